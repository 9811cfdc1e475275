#!/usr/bin/env bash
# Proves the pre-commit framework path for real: installs pre-commit from PyPI into a
# throw-away virtualenv, then runs `pre-commit try-repo` against this checkout (which makes
# pre-commit build moodleleaks with `cargo install`, as users get it) in a temp repository:
# a staged token must be refused with the finding printed, a clean change and a line marked
# moodleleaks:allow must pass. Prints how long each step took.
#
# Usage: scripts/test-pre-commit-framework.sh   (needs python3, git, cargo; network for PyPI)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"   # a cold cache: the build is measured
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.org
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.org

t0=$(date +%s)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
precommit="$work/venv/bin/pre-commit"
t1=$(date +%s)
echo "pre-commit $("$precommit" --version | cut -d' ' -f2) installed in $((t1 - t0))s"

repo="$work/repo"
git init -q -b main "$repo"
cd "$repo"
echo "# demo" > README.md
git add README.md && git commit -q -m start
# A synthetic token made at run time: no token literal lives in this script.
token="$(python3 -c 'import hashlib; print(hashlib.sha256(b"moodleleaks-pre-commit-test").hexdigest()[:32])')"

try() { "$precommit" try-repo "$here" moodleleaks --verbose; }

printf 'MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN=%s\n' "$token" > .env
git add .env
if try > "$work/refused.log" 2>&1; then
  cat "$work/refused.log"; echo "FAIL: a staged token was not refused"; exit 1
fi
grep -q '\.env' "$work/refused.log" && grep -q "${token:0:4}…" "$work/refused.log" || {
  cat "$work/refused.log"; echo "FAIL: the finding was not printed"; exit 1; }
if grep -q "$token" "$work/refused.log"; then echo "FAIL: the token was printed in full"; exit 1; fi
t2=$(date +%s)
echo "refused a staged token (first run, including pre-commit's cargo install): $((t2 - t1))s"

printf 'MOODLE_URL=https://lms.example.edu\n' > .env
git add .env
try > "$work/clean.log" 2>&1 || { cat "$work/clean.log"; echo "FAIL: a clean change was refused"; exit 1; }
printf 'example: MOODLE_TOKEN=%s # moodleleaks:allow\n' "$token" > docs.md
git add docs.md
try > "$work/allow.log" 2>&1 || { cat "$work/allow.log"; echo "FAIL: an allowed line was refused"; exit 1; }
t3=$(date +%s)
echo "clean change and moodleleaks:allow line passed: $((t3 - t2))s"
echo "pre-commit framework test passed in $((t3 - t0))s"
