#!/usr/bin/env python3
"""Files benchmark: moodleleaks `scan` against ripgrep searching the same patterns over the
same generated tree, in the same run (the machine is shared and noisy: read the ratio).

Usage: bench/files.py [SIZE_MB] [RUNS] [--moodle]   (needs `rg`: cargo install ripgrep)
--moodle gives every file Moodle's GPL header (keywords `moodle` and `http://` everywhere).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")


KEYED_VALUES = {"hex32": "[0-9a-fA-F]{32,}", "alnum64": "[0-9A-Za-z]{64,}"}


def rule_patterns():
    pats = []
    for name in sorted(os.listdir(os.path.join(ROOT, "rules"))):
        if name.endswith(".toml"):
            with open(os.path.join(ROOT, "rules", name), "rb") as f:
                rule = tomllib.load(f)
            # A keyed rule's regex is its value shape (src/keyed/mod.rs, ValueShape).
            regex = rule.get("regex") or KEYED_VALUES[rule["value"]]
            # ripgrep joins -e patterns into one regex: group names must go.
            pats.append(re.sub(r"\(\?P<\w+>", "(", regex))
    return pats


def timed(cmd, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode()[:500]}")
    return statistics.median(times), min(times)


def main():
    moodle = "--moodle" in sys.argv
    args = [a for a in sys.argv if a != "--moodle"]
    size = int(args[1]) if len(args) > 1 else 277
    runs = int(args[2]) if len(args) > 2 else 5
    rg = shutil.which("rg") or sys.exit("rg not found: cargo install ripgrep --locked")
    tree = os.path.join(OUT, f"tree-{size}mb" + ("-moodle" if moodle else ""))
    if not os.path.isdir(tree):
        gen = [sys.executable, os.path.join(ROOT, "bench", "gen_tree.py"), tree, str(size), "42"]
        subprocess.run(gen + (["--moodle"] if moodle else []), check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    ml = os.path.join(ROOT, "target", "release", "moodleleaks")
    nbytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs)
    rg_cmd = [rg, "--hidden", "-c", "--no-messages"]
    for p in rule_patterns():
        rg_cmd += ["-e", p]
    rg_cmd.append(tree)
    rg_plain = [rg, "--hidden", "-c", "--no-messages", "-i", "-e", "token", tree]
    ml_cmd = [ml, "scan", "--format", "json", "--quiet", "--output", os.devnull, tree]
    # Warm the page cache once for all.
    timed(ml_cmd, 1)
    timed(rg_plain, 1)
    results = {}
    for name, cmd in [("ripgrep (same rule regexes)", rg_cmd),
                      ("ripgrep -i token (keyword only)", rg_plain),
                      ("moodleleaks scan", ml_cmd)]:
        results[name] = timed(cmd, runs)
    base = results["ripgrep (same rule regexes)"][0]
    mb = nbytes / 1e6
    print(f"tree: {tree} ({mb:.0f} MB), {runs} runs each, median (min); cores: {os.cpu_count()}")
    for name, (med, mn) in results.items():
        print(f"  {name:34s} {med:6.3f}s ({mn:.3f}s)  {mb / med:7.0f} MB/s  {med / base:5.2f}x ripgrep")


if __name__ == "__main__":
    main()
