#!/usr/bin/env bash
# Organisation audit benchmark: generates an organisation of REPOS repositories (default 50;
# each a synthetic history of COMMITS commits from bench/gen_history.py, made distinct by a
# per-repository commit), served by file:// URLs and cloned through git like any remote,
# then measures in the same run:
#   1. a cold `moodleleaks audit` (clone every repository, scan every blob)
#   2. a re-run with nothing changed (fetch only; blobs scanned should be 0)
#   3. a re-run after one new commit in one repository (only that commit's new blobs)
#   4. a cold audit of the updated organisation in a fresh cache, whose report must equal 3's
# and prints blobs scanned (summary files_scanned) and wall time of each.
#
# Usage: bench/org_audit.sh [REPOS] [COMMITS]   (needs git, python3, jq, bc; builds --release
#        unless SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."
repos="${1:-50}"
commits="${2:-300}"
out="bench/out/org"
mkdir -p "$out"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
command -v jq >/dev/null || { echo "needs jq"; exit 2; }
[ -n "${SKIP_BUILD:-}" ] || flock /tmp/cargo.lock cargo build --release --quiet
bin="$PWD/target/release/moodleleaks"

org="$out/repos-$repos-$commits-v2"
if [ ! -f "$org/.done" ]; then
  rm -rf "$org"; mkdir -p "$org/src"
  python3 bench/gen_history.py "$commits" 2>/dev/null > "$out/stream"
  for i in $(seq 1 "$repos"); do
    w="$org/src/r$i"
    git init -q -b main "$w"
    git -C "$w" fast-import --quiet < "$out/stream"
    git -C "$w" checkout -q -f main
    echo "repository $i" > "$w/ID.md"
    # One planted token per repository (synthetic: a hash of the index), so reports differ.
    mkdir -p "$w/deploy"
    printf 'MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN=%s\n' \
      "$(echo -n "bench-org-$i" | sha256sum | cut -c1-32)" > "$w/deploy/moodle.env"
    git -C "$w" add ID.md deploy && git -C "$w" commit -q -m "identify $i"
    git clone -q --bare "$w" "$org/r$i.git"
  done
  touch "$org/.done"
fi
list="$out/repos.txt"
for i in $(seq 1 "$repos"); do echo "file://$PWD/$org/r$i.git"; done > "$list"
echo "organisation: $repos repositories x $(git -C "$org/r1.git" rev-list --all --count) commits"

run() { # run NAME CACHE: audits the org, prints "NAME: blobs scanned N, wall S s"
  local name="$1" cache="$2" start end
  start=$(date +%s.%N)
  "$bin" audit --no-progress --format json --repos-file "$list" --cache-dir "$cache" \
    -o "$out/$name.json" >/dev/null 2>"$out/$name.err" || true
  end=$(date +%s.%N)
  printf '%-28s blobs scanned %7d   wall %6.2f s   secrets %d   errors %d\n' "$name" \
    "$(jq '.scan.files_scanned' "$out/$name.json")" "$(echo "$end - $start" | bc)" \
    "$(jq '.summary.secrets' "$out/$name.json")" "$(jq '.scan.errors' "$out/$name.json")"
}

cache="$out/cache"; rm -rf "$cache" "$out/fresh"
run cold "$cache"
run unchanged "$cache"
w="$org/src/r7"
printf 'MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN=%s\n' \
  "$(echo -n "bench-org-new-$(date +%s%N)" | sha256sum | cut -c1-32)" > "$w/new.env"
echo "changed $(date +%s%N)" >> "$w/ID.md"
git -C "$w" add -A && git -C "$w" commit -q -m "one new commit"
git -C "$w" push -q --mirror "$PWD/$org/r7.git"
run one-new-commit "$cache"
run cold-after-commit "$out/fresh"
if cmp -s <(jq -S '.secrets' "$out/one-new-commit.json") <(jq -S '.secrets' "$out/cold-after-commit.json"); then
  echo "incremental report == cold report: yes"
else
  echo "incremental report == cold report: NO"; exit 1
fi
