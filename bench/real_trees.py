#!/usr/bin/env python3
"""Real trees benchmark: moodleleaks `scan` over checkouts of public repositories, against
ripgrep reading the same tree in the same run (the machine is shared and noisy: read the
ratios), and optionally against another moodleleaks build (a release to compare with).

Why: the generated trees of bench/files.py hold only the shapes we thought of. Real trees
found what they could not: one 780 KB TypeScript file of the Moodle app took 380 ms (a rule
regex the regex crate's fast engine gave up on), and a documentation tree spent half its
time reading images. Run this on real checkouts before and after a change to the matcher.

Usage: bench/real_trees.py [-n RUNS] [--vs OTHER_MOODLELEAKS] DIR...
The trees of bench/HISTORY.md (any checkout of them will do):
  https://github.com/moodle/devdocs                         Moodle's developer docs, images
  https://github.com/moodlehq/moodle-local_moodlemobileapp  the app's language strings
  https://github.com/moodlehq/sample-ws-clients             web-service clients, 7 languages
  Moodle plugins: mod_booking, mod_vpl, mod_bigbluebuttonbn, mod_zoom, mod_hvp,
  mod_questionnaire, mod_customcert, tool_objectfs, moodle-docker, moodle-plugin-ci
Needs rg (cargo install ripgrep --locked).
"""
import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from files import timed  # noqa: E402  (the files benchmark's timer: median, min)


def median_wall(cmd, runs):
    return timed(cmd, runs)[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="runs per command (median)")
    ap.add_argument("--vs", help="another moodleleaks binary to compare with")
    ap.add_argument("trees", nargs="+")
    a = ap.parse_args()
    rg = shutil.which("rg") or sys.exit("rg not found: cargo install ripgrep --locked")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    ml = os.path.join(ROOT, "target", "release", "moodleleaks")
    for tree in a.trees:
        mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree)
                 for f in fs if os.path.isfile(os.path.join(d, f))) / 1e6
        scan = lambda binary: [binary, "scan", "--format", "json", "--quiet",
                               "--output", os.devnull, tree]
        median_wall(scan(ml), 1)  # warm the page cache
        t_ml = median_wall(scan(ml), a.n)
        t_rg = median_wall([rg, "--hidden", "-c", "--no-messages", "-i", "-e", "token", tree], a.n)
        line = (f"{tree}: {mb:.0f} MB; moodleleaks {t_ml:.3f}s ({mb / t_ml:.0f} MB/s); "
                f"rg -i token {t_rg:.3f}s; {t_ml / t_rg:.2f}x rg")
        if a.vs:
            t_vs = median_wall(scan(a.vs), a.n)
            line += f"; {a.vs} {t_vs:.3f}s; {t_ml / t_vs:.2f}x it"
        print(line)


if __name__ == "__main__":
    main()
