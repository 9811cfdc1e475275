#!/usr/bin/env python3
"""Generates a large synthetic source tree for the files benchmark.

Mixed PHP, JS, Python, JSON, YAML, lock files and Markdown, with the noise real repositories
carry (CSRF tokens, md5 sums, git SHAs, UUIDs, colours) and a few planted synthetic Moodle
tokens. Deterministic for a given seed. Usage: gen_tree.py OUT_DIR [SIZE_MB] [SEED] [--moodle]
With --moodle every file starts with Moodle's GPL header (as in Moodle core and plugins), so
every file holds the keywords `moodle` and `http://`: the worst case for the prefilter.
"""
import os
import random
import sys

WORDS = ("course user grade enrol module section context capability render output "
         "request response session cache lang string config admin report quiz forum "
         "assign page file upload download event task service external api token "
         "value result item list count index record field table query param").split()


def ident(r):
    return "_".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))


def hexs(r, n):
    return "%0*x" % (n, r.getrandbits(4 * n))


def line_pool(r):
    """Lines in the style of several languages; most carry no keyword at all."""
    pool = []
    for _ in range(4000):
        k = r.random()
        a, b, c = ident(r), ident(r), ident(r)
        if k < 0.25:
            pool.append(f"    ${a} = $this->{b}(${c}, {r.randint(0, 9999)});")
        elif k < 0.45:
            pool.append(f"  const {a} = await {b}.{c}({{ id: {r.randint(0, 999)}, name: '{c}' }});")
        elif k < 0.6:
            pool.append(f"        {a} = self.{b}({c}, timeout={r.randint(1, 60)})")
        elif k < 0.68:
            pool.append(f"// {a.replace('_', ' ')} {b.replace('_', ' ')}: see {c.replace('_', ' ')} for details.")
        elif k < 0.73:
            pool.append(f'    "{a}": "{hexs(r, 32)}",')  # md5-like values under random keys
        elif k < 0.76:
            pool.append(f"  integrity sha512-{hexs(r, 64)}")
        elif k < 0.78:
            pool.append(f"    'csrf_token' => $this->{a}->get_csrf_token(),")
        elif k < 0.80:
            pool.append(f"id = '{hexs(r, 8)}-{hexs(r, 4)}-{hexs(r, 4)}-{hexs(r, 4)}-{hexs(r, 12)}'")
        elif k < 0.82:
            pool.append(f"  color: #{hexs(r, 6)}; background: #{hexs(r, 6)};")
        elif k < 0.84:
            pool.append(f"Merge commit {hexs(r, 40)} into {b}")
        else:
            pool.append(f"    if (${a} !== null && ${b} > {r.randint(0, 100)}) {{ return ${c}; }}")
    return pool


EXTS = [".php", ".js", ".py", ".json", ".yml", ".md", ".ts", ".lock", ".css"]


MOODLE_HEADER = """<?php
// This file is part of Moodle - http://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <http://www.gnu.org/licenses/>.
"""


def main():
    moodle = "--moodle" in sys.argv
    args = [a for a in sys.argv if a != "--moodle"]
    out = args[1]
    size_mb = int(args[2]) if len(args) > 2 else 277
    seed = int(args[3]) if len(args) > 3 else 42
    r = random.Random(seed)
    pool = line_pool(r)
    target = size_mb * 1024 * 1024
    written = 0
    n = 0
    planted = 0
    while written < target:
        d = os.path.join(out, f"pkg{n % 97:02d}", f"mod{n % 13:02d}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"{ident(r)}_{n}{r.choice(EXTS)}")
        lines = r.choices(pool, k=r.randint(20, 800))
        if n % 997 == 0:
            lines.insert(r.randrange(len(lines)), f"MOODLE_TOKEN={hexs(r, 32)}")
            planted += 1
        data = (MOODLE_HEADER if moodle else "") + "\n".join(lines) + "\n"
        with open(path, "w") as f:
            f.write(data)
        written += len(data)
        n += 1
    print(f"{n} files, {written / 1048576:.0f} MiB, {planted} planted tokens in {out}")


if __name__ == "__main__":
    main()
