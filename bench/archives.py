#!/usr/bin/env python3
"""Archives benchmark: the generated tree packed as tar.gz, zip, tar.bz2, tar.xz and
tar.zst, and as one big dump per compressor (dump.sql.gz ...), each scanned by `moodleleaks
scan`; reports MB/s of *uncompressed* content (the summary's bytes_scanned) next to the
plain tree scanned in the same run, and checks the planted tokens are found inside.

Usage: bench/archives.py [SIZE_MB] [RUNS]   (default 20 MB, 3 runs; tar.zst needs `zstd`)
"""
import bz2
import gzip
import json
import lzma
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")


def build(tree, dest):
    """Packs `tree` into every container under `dest` (skipped when already there)."""
    if os.path.isdir(dest):
        return
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs)
    with tarfile.open(os.path.join(tmp, "tree.tar.gz"), "w:gz") as t:
        t.add(tree, arcname="tree")
    with tarfile.open(os.path.join(tmp, "tree.tar.bz2"), "w:bz2") as t:
        t.add(tree, arcname="tree")
    with tarfile.open(os.path.join(tmp, "tree.tar.xz"), "w:xz") as t:
        t.add(tree, arcname="tree")
    with zipfile.ZipFile(os.path.join(tmp, "tree.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, os.path.relpath(f, tree))
    if shutil.which("zstd"):
        with tarfile.open(os.path.join(tmp, "tree.tar"), "w") as t:
            t.add(tree, arcname="tree")
        subprocess.run(["zstd", "-q", "--rm", os.path.join(tmp, "tree.tar")], check=True)
    dump = b"".join(open(f, "rb").read() for f in files)
    for name, opener in [("dump.sql.gz", gzip.open), ("dump.sql.bz2", bz2.open),
                         ("dump.sql.xz", lzma.open)]:
        with opener(os.path.join(tmp, name), "wb") as f:
            f.write(dump)
    os.rename(tmp, dest)


def scan(ml, path, runs):
    """Median seconds over `runs`, and the last run's summary and finding count."""
    times, report = [], None
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run([ml, "scan", "--format", "json", path], capture_output=True)
        times.append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            sys.exit(f"scan {path} failed ({p.returncode}): {p.stderr.decode()[:500]}")
        report = json.loads(p.stdout)
    return statistics.median(times), report["summary"], len(report["findings"])


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tree = os.path.join(OUT, f"tree-{size}mb")
    if not os.path.isdir(tree):
        gen = [sys.executable, os.path.join(ROOT, "bench", "gen_tree.py"), tree, str(size), "42"]
        subprocess.run(gen, check=True)
    dest = os.path.join(OUT, f"archives-{size}mb")
    build(tree, dest)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    ml = os.path.join(ROOT, "target", "release", "moodleleaks")
    rows = [("plain tree (no archives)", tree)]
    rows += [(name, os.path.join(dest, name)) for name in sorted(os.listdir(dest))]
    scan(ml, tree, 1)  # warm the page cache
    print(f"{size} MB tree, {runs} runs each, median; MB/s of uncompressed content; cores: {os.cpu_count()}")
    base = None
    for name, path in rows:
        secs, summary, found = scan(ml, path, runs)
        mb = summary["bytes_scanned"] / 1e6
        packed = (os.path.getsize(path) if os.path.isfile(path) else
                  sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs))
        base = found if base is None else base
        # A dump joins files (lines around a token change) and tar keeps ignored files:
        # counts near the plain tree's, not equal, are expected.
        print(f"  {name:26s} {secs:7.3f}s {mb:7.1f} MB out of {packed / 1e6:6.1f} MB  "
              f"{mb / secs:7.1f} MB/s  findings {found} (plain {base})"
              f"  skipped {summary['skipped'] or '-'}")


if __name__ == "__main__":
    main()
