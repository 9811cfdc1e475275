#!/usr/bin/env python3
"""Several builds timed against each other on one tree, in alternating rounds.

Each round runs every build once (`scan --format json --quiet --output /dev/null TREE`), the
order reversed every other round, so that a slow spell of this shared machine weighs on all
alike; prints each build's median CPU (user + system) and wall seconds, and its CPU as a
multiple of the first build's. The measure for one change: the build before it first.

Usage: bench/ab.py BIN [BIN...] TREE ROUNDS
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    bins, tree, rounds = sys.argv[1:-2], sys.argv[-2], int(sys.argv[-1])
    cpu = {b: [] for b in bins}
    wall = {b: [] for b in bins}
    for r in range(rounds):
        for b in bins if r % 2 == 0 else bins[::-1]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            scan = [b, "scan", "--format", "json", "--quiet", "--output", "/dev/null", tree]
            subprocess.run(scan, check=False)
            wall[b].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[b].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    first = statistics.median(cpu[bins[0]])
    for b in bins:
        c, w = statistics.median(cpu[b]), statistics.median(wall[b])
        print(f"{b}: CPU {c:.3f} s ({c / first:.3f}x), wall {w:.3f} s")


if __name__ == "__main__":
    main()
