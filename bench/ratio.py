#!/usr/bin/env python3
"""The files benchmark's ratio against an older build, both against ripgrep, in one sitting.

Each build is timed against ripgrep searching that build's own rule patterns (as
`bench/files.py` does), in rounds that alternate the four commands (old build, ripgrep with
its patterns, this build, ripgrep with this build's patterns; the order reversed every other
round), so that a slower spell of this shared machine weighs on all four alike. Prints the
medians and the ratio of the two ratios (this build's time over its ripgrep's, divided by the
old build's over its ripgrep's), in CPU (user + system) and wall time.

Also printed: the median over rounds of each round's own ratio of ratios (the four commands
of a round ran back to back, so a slow spell of the machine cancels out of it), with its
quartiles. ripgrep's own times swing the most from one sitting to the next (its two pattern
sets by up to 20% against each other), so this paired figure is the steadier one.

Usage: bench/ratio.py OLD_BIN OLD_ROOT TREE [ROUNDS] [--threads N] [--bin NEW_BIN]
  OLD_BIN   the older build's binary; OLD_ROOT its checkout (for its rules/)
  TREE      a generated tree (bench/gen_tree.py TREE 70 42 --moodle)
  --threads N   every command runs with N threads (`-j N`), e.g. 1 for steadier CPU times
  --bin NEW_BIN the build measured (default target/release/moodleleaks of this checkout,
                built first)
Needs `rg` (cargo install ripgrep --locked).
"""
import os
import re
import shutil
import statistics
import sys
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYED_VALUES = {"hex32": "[0-9a-fA-F]{32,}", "alnum64": "[0-9A-Za-z]{64,}"}


def rg_command(root, tree):
    """ripgrep over `tree` with the rule patterns of the checkout at `root` (files.py's)."""
    rg = shutil.which("rg") or sys.exit("rg not found: cargo install ripgrep --locked")
    cmd = [rg, "--hidden", "-c", "--no-messages"]
    rules = os.path.join(root, "rules")
    for name in sorted(os.listdir(rules)):
        if name.endswith(".toml"):
            with open(os.path.join(rules, name), "rb") as f:
                rule = tomllib.load(f)
            regex = rule.get("regex") or KEYED_VALUES[rule["value"]]
            cmd += ["-e", re.sub(r"\(\?P<\w+>", "(", regex)]
    return cmd + [tree]


def run(cmd):
    """CPU seconds (user + system) and wall seconds of one run, output discarded."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execvp(cmd[0], cmd)
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def main():
    args = sys.argv[1:]
    options = {}
    for flag in ("--threads", "--bin"):
        if flag in args:
            i = args.index(flag)
            if i + 1 >= len(args):
                sys.exit(f"{flag} needs a value\n{__doc__}")
            options[flag] = args[i + 1]
            del args[i:i + 2]
    if len(args) < 3:
        sys.exit(__doc__)
    old_bin, old_root, tree = args[:3]
    rounds = int(args[3]) if len(args) > 3 else 25
    new_bin = options.get("--bin") or os.path.join(ROOT, "target", "release", "moodleleaks")
    threads = ["-j", options["--threads"]] if "--threads" in options else []
    scan = ["scan"] + threads + ["--format", "json", "--quiet", "--output", os.devnull, tree]

    def rg(root):
        cmd = rg_command(root, tree)
        return cmd[:1] + threads + cmd[1:]

    cmds = {
        "old": [old_bin] + scan,
        "rg_old": rg(old_root),
        "new": [new_bin] + scan,
        "rg_new": rg(ROOT),
    }
    for cmd in cmds.values():
        run(cmd)  # warm the page cache
    cpu = {k: [] for k in cmds}
    wall = {k: [] for k in cmds}
    order = list(cmds)
    for r in range(rounds):
        for k in order if r % 2 == 0 else order[::-1]:
            c, w = run(cmds[k])
            cpu[k].append(c)
            wall[k].append(w)
    med = {k: (statistics.median(cpu[k]), statistics.median(wall[k])) for k in cmds}
    print(f"tree: {tree}, {rounds} rounds; medians, CPU and wall seconds:")
    for k, (c, w) in med.items():
        print(f"  {k:7s} {c:6.3f} {w:6.3f}")
    for i, what in [(0, "CPU"), (1, "wall")]:
        new = med["new"][i] / med["rg_new"][i]
        old = med["old"][i] / med["rg_old"][i]
        print(f"{what}: this build {new:.3f}x its ripgrep, old {old:.3f}x: {new / old:.2f}x the old ratio")
    for what, times in [("CPU", cpu), ("wall", wall)]:
        paired = sorted(
            (times["new"][r] / times["rg_new"][r]) / (times["old"][r] / times["rg_old"][r])
            for r in range(rounds)
        )
        q1, q2, q3 = statistics.quantiles(paired, n=4) if rounds > 1 else paired * 3
        print(f"{what}, round by round: median {q2:.2f}x the old ratio (quartiles {q1:.2f}–{q3:.2f})")


if __name__ == "__main__":
    main()
