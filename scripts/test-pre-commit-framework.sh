#!/usr/bin/env bash
# Proves the pre-commit framework path for real: installs pre-commit from PyPI into a
# throw-away virtualenv; in a temp repository, a .pre-commit-config.yaml points at this
# checkout's HEAD commit (repo: <this path>, rev: <HEAD>), `pre-commit install` puts
# pre-commit's own git hook in place (pre-commit builds moodleleaks with `cargo install`, as
# users get it), and real `git commit`s run it: a commit adding a token is refused with the
# finding printed, a clean commit and a line marked moodleleaks:allow pass. It prints how
# long each step took. (Equivalent to `pre-commit try-repo`, which rebuilds on every call.)
#
# Usage: scripts/test-pre-commit-framework.sh   (needs python3, git, cargo; network for PyPI)
# It tests the committed HEAD of this checkout: commit first.
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

rev="$(git -C "$here" rev-parse HEAD)"
if [ -n "$(git -C "$here" status --porcelain)" ]; then
  echo "note: $here has uncommitted changes; testing its HEAD $rev"
fi
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: moodleleaks
YAML
git add .pre-commit-config.yaml && git commit -q --no-verify -m "pre-commit config"
# The hook's build is the release profile (thin LTO, 4 codegen units: ~6 min on 2 cores);
# what is tested here is the hook's wiring, not the optimiser, so CI builds that profile
# unoptimised, without LTO or debuginfo (set through cargo's profile variables, which
# pre-commit's `cargo install` inherits).
CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false \
  "$precommit" install --install-hooks > "$work/install.log" 2>&1 || {
  cat "$work/install.log"; echo "FAIL: pre-commit install"; exit 1; }
t2=$(date +%s)
echo "pre-commit install --install-hooks (clone + cargo install of moodleleaks): $((t2 - t1))s"

printf 'MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN=%s\n' "$token" > .env
git add .env
if git commit -q -m leak > "$work/refused.log" 2>&1; then
  cat "$work/refused.log"; echo "FAIL: a commit adding a token was not refused"; exit 1
fi
grep -q '\.env' "$work/refused.log" && grep -q "${token:0:4}…" "$work/refused.log" || {
  cat "$work/refused.log"; echo "FAIL: the finding was not printed"; exit 1; }
if grep -q "$token" "$work/refused.log"; then echo "FAIL: the token was printed in full"; exit 1; fi
[ "$(git rev-list --count HEAD)" = 2 ] || { echo "FAIL: the commit was made"; exit 1; }

printf 'MOODLE_URL=https://lms.example.edu\n' > .env
git add .env
git commit -q -m clean > "$work/clean.log" 2>&1 || {
  cat "$work/clean.log"; echo "FAIL: a clean commit was refused"; exit 1; }
# `git commit -a` hands the hook a temporary index (GIT_INDEX_FILE): still refused.
printf 'MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN=%s\n' "$token" > .env
if git commit -q -a -m leak-a > "$work/refused-a.log" 2>&1; then
  cat "$work/refused-a.log"; echo "FAIL: git commit -a adding a token was not refused"; exit 1
fi
grep -q "${token:0:4}…" "$work/refused-a.log" || {
  cat "$work/refused-a.log"; echo "FAIL: the -a finding was not printed"; exit 1; }
[ "$(git rev-list --count HEAD)" = 3 ] || { echo "FAIL: the -a commit was made"; exit 1; }
git checkout -q -- .env
printf 'example: MOODLE_TOKEN=%s # moodleleaks:allow\n' "$token" > docs.md
git add docs.md
git commit -q -m doc > "$work/allow.log" 2>&1 || {
  cat "$work/allow.log"; echo "FAIL: an allowed line was refused"; exit 1; }
[ "$(git rev-list --count HEAD)" = 4 ] || { echo "FAIL: expected 4 commits"; exit 1; }
t3=$(date +%s)
echo "token refused (also with commit -a), clean commit and moodleleaks:allow line passed: $((t3 - t2))s"
echo "pre-commit framework test passed in $((t3 - t0))s"
