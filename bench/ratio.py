#!/usr/bin/env python3
"""The files benchmark's ratio against an older build, both against ripgrep, in one sitting.

Each build is timed against ripgrep searching that build's own rule patterns (as
`bench/files.py` does), in rounds that alternate the four commands (old build, ripgrep with
its patterns, this build, ripgrep with this build's patterns; the order reversed every other
round), so that a slower spell of this shared machine weighs on all four alike. Prints the
medians and the ratio of the two ratios (this build's time over its ripgrep's, divided by the
old build's over its ripgrep's), in CPU (user + system) and wall time.

Usage: bench/ratio.py OLD_BIN OLD_ROOT TREE [ROUNDS]
  OLD_BIN   the older build's binary; OLD_ROOT its checkout (for its rules/)
  TREE      a generated tree (bench/gen_tree.py TREE 70 42 --moodle)
The build measured is target/release/moodleleaks of this checkout (build it first).
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
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    old_bin, old_root, tree = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    new_bin = os.path.join(ROOT, "target", "release", "moodleleaks")
    scan = ["scan", "--format", "json", "--quiet", "--output", os.devnull, tree]
    cmds = {
        "old": [old_bin] + scan,
        "rg_old": rg_command(old_root, tree),
        "new": [new_bin] + scan,
        "rg_new": rg_command(ROOT, tree),
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


if __name__ == "__main__":
    main()
