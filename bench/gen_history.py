#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a synthetic history to stdout: COMMITS commits of
mixed source files (PHP, JS, Python, YAML, Markdown) with planted Moodle tokens, some
deleted in the next commit, some only on side branches, some merged back.

Usage: gen_history.py COMMITS > stream;  the planted tokens are listed on stderr as
`planted <kind> <label>` (never the token itself)."""
import hashlib
import random
import sys

COMMITS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
rng = random.Random(42)
out = sys.stdout.buffer
WORDS = ("course user grade enrol assign quiz forum section module context capability "
         "cache session config renderer output form lib event task upgrade").split()


def token(label):
    return hashlib.sha256(f"moodleleaks-bench:{label}".encode()).hexdigest()[:32]


def line(ext):
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.randint(0, 99999)
    if ext == "php":
        return f"    ${a}_{b} = get_{a}_{b}({c}, MUST_EXIST); // {a} {b}"
    if ext == "js":
        return f"  const {a}{b.title()} = await fetch{b.title()}({c}); /* {a} */"
    if ext == "py":
        return f"    {a}_{b} = client.{a}_{b}(id={c})  # {b}"
    if ext == "yml":
        return f"  {a}_{b}: {c}"
    return f"The {a} {b} step {c} updates the {rng.choice(WORDS)} table."


EXTS = ["php"] * 5 + ["js"] * 3 + ["py"] * 2 + ["yml", "md"]
files = {}
for i in range(300):
    ext = rng.choice(EXTS)
    path = f"{rng.choice(WORDS)}/{rng.choice(WORDS)}/file{i}.{ext}"
    files[path] = [line(ext) for _ in range(rng.randint(40, 120))]
paths = sorted(files)

mark = 0
clock = 1_600_000_000


def emit_commit(ref, message, parent, changes, merge=None):
    """changes: {path: text or None (delete)}; returns the new mark."""
    global mark, clock
    mark += 1
    clock += 600
    msg = message.encode()
    out.write(f"commit {ref}\nmark :{mark}\n".encode())
    who = f"Dev {mark % 7} <dev{mark % 7}@example.org> {clock} +0000\n"
    out.write(f"author {who}committer {who}data {len(msg)}\n".encode() + msg + b"\n")
    if parent:
        out.write(f"from :{parent}\n".encode())
    if merge:
        out.write(f"merge :{merge}\n".encode())
    for p, text in changes.items():
        if text is None:
            out.write(f"D {p}\n".encode())
        else:
            data = text.encode()
            out.write(f"M 100644 inline {p}\ndata {len(data)}\n".encode() + data + b"\n")
    return mark


def text(path):
    return "\n".join(files[path]) + "\n"


def edit(path):
    ext = path.rsplit(".", 1)[1]
    body = files[path]
    body[rng.randrange(len(body))] = line(ext)
    if len(body) < 160:
        body.append(line(ext))


head = emit_commit("refs/heads/main", "initial import", None, {p: text(p) for p in paths})
n = 1
side = 0
while n < COMMITS:
    changed = {}
    for p in rng.sample(paths, rng.randint(1, 3)):
        edit(p)
        changed[p] = text(p)
    if n % 500 == 0:
        # Each token gets its own config file: kept (present at HEAD), deleted in the next
        # commit, committed on a side branch only, or on a side branch merged back.
        kind = ("kept", "deleted", "side", "merged")[(n // 500) % 4]
        label = f"{kind}-{n}"
        sys.stderr.write(f"planted {kind} {label}\n")
        cfg = f"config/moodle-{n}.php"
        secret = f"<?php\n$CFG->wwwroot = 'https://lms.example.edu';\n$wstoken = '{token(label)}';\n"
        if kind in ("side", "merged"):
            side += 1
            branch = f"refs/heads/feature-{side}"
            tip = emit_commit(branch, f"feature {side}: wire the client", head, {cfg: secret})
            n += 1
            if kind == "merged":
                # fast-import takes the tree from the first parent: list the merged file.
                head = emit_commit("refs/heads/main", f"merge feature {side}", head, {cfg: secret}, merge=tip)
                n += 1
        else:
            head = emit_commit("refs/heads/main", f"configure site {n}", head, {**changed, cfg: secret})
            n += 1
            if kind == "deleted":
                head = emit_commit("refs/heads/main", f"remove token {n}", head, {cfg: None})
                n += 1
        continue
    head = emit_commit("refs/heads/main", f"work {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}", head, changed)
    n += 1
out.write(b"done\n")
