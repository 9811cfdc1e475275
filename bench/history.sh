#!/usr/bin/env bash
# History benchmark: generates a repository with ~20,000 commits (git fast-import) of mixed
# source with planted tokens (some later deleted, some only on side branches), then measures
# in the same run:
#   - `moodleleaks git` (release build): wall time, MB of unique blobs/s, commits/s, peak RSS
#     (median of ROUNDS runs, default 5, alternating with the baseline below)
#   - the practical limit: `git cat-file --batch-all-objects --batch | rg -c PATTERN`, with
#     PATTERN the rules' keywords (what moodleleaks' prefilter looks for)
#   - `moodleleaks staged` on a typical small commit (median of 10 runs)
# and prints the ratios. Output goes to bench/out/.
#
# Usage: bench/history.sh [COMMITS] [REPO]   (REPO: an existing repository to measure instead)
# Usage: bench/history.sh [COMMITS]      (needs git, python3, rg; builds --release)
set -euo pipefail
cd "$(dirname "$0")/.."
commits="${1:-20000}"
out="bench/out"
mkdir -p "$out"
repo="$out/history-repo"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

command -v rg >/dev/null || cargo install ripgrep --locked
flock -o /tmp/cargo.lock cargo build --release --quiet
bin="$PWD/target/release/moodleleaks"

real="${2:-}"
if [ -n "$real" ]; then
  repo="$real"
  : > "$out/planted.txt"
elif [ ! -f "$repo/.generated-$commits" ] || [ bench/gen_history.py -nt "$repo/.generated-$commits" ]; then
  rm -rf "$repo"
  git init -q -b main "$repo"
  python3 bench/gen_history.py "$commits" 2> "$out/planted.txt" | git -C "$repo" fast-import --quiet
  git -C "$repo" checkout -q -f main
  touch "$repo/.git/.generated-$commits" "$repo/.generated-$commits"
  echo ".generated-*" >> "$repo/.git/info/exclude"
fi
ncommits=$(git -C "$repo" rev-list --all --count)
packs_mb=$(du -sm "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)/objects" | cut -f1)
echo "objects on disk: $packs_mb MB"
planted=$(wc -l < "$out/planted.txt")
objects_mb=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objectsize)' |
  awk '{s+=$1} END {printf "%.1f", s/1e6}')
echo "repository: $ncommits commits, $planted planted tokens, $objects_mb MB of objects (uncompressed)"

timed() { # timed LOG CMD...: runs CMD under /usr/bin/time -v; prints "wall_s rss_kb"
  local log="$1"; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$@" 2> "$log" || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
      awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    echo "$wall $rss"
  else
    python3 - "$log" "$@" <<'PY'
import resource, subprocess, sys, time
t = time.time()
with open(sys.argv[1], "w") as err:
    subprocess.run(sys.argv[2:], stderr=err)
print(f"{time.time() - t:.2f}", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
  fi
}

pattern="(?i)($("$bin" rules list --json | python3 -c '
import json, re, sys
kws = sorted({k for r in json.load(sys.stdin) for k in r["keywords"]})
print("|".join(re.escape(k).replace("\\ ", " ") for k in kws))'))"
cat > "$out/baseline.sh" <<SH
git -C "$repo" cat-file --batch-all-objects --batch | rg -c -a '$pattern' > "$out/baseline.count"
SH
# The machine is shared and noisy: moodleleaks and the baseline alternate, ROUNDS times
# (after one warm-up of each), and the medians are compared.
rounds="${ROUNDS:-5}"
"$bin" git --no-progress -o /dev/null "$repo" >/dev/null 2>&1 || true
bash "$out/baseline.sh"
: > "$out/rounds.txt"
for r in $(seq "$rounds"); do
  read -r w m < <(timed "$out/moodleleaks.time" "$bin" git --no-progress \
    --format json -o "$out/moodleleaks.json" "$repo")
  read -r bw bm < <(timed "$out/baseline.time" bash "$out/baseline.sh")
  echo "$w $m $bw $bm" >> "$out/rounds.txt"
  echo "round $r: moodleleaks ${w}s ${m} KB, git|rg ${bw}s ${bm} KB"
done
read -r ml_wall ml_rss gb_wall gb_rss < <(python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
print(*(statistics.median(c) for c in zip(*rows)))' "$out/rounds.txt")
ml_rss=${ml_rss%.*}; gb_rss=${gb_rss%.*}
read -r found blobs bytes < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print(len(d["findings"]), s["files_scanned"], s["bytes_scanned"])' "$out/moodleleaks.json")
# Every planted token must be found once; kept and merged ones present at HEAD.
[ -n "$real" ] || python3 - "$out/moodleleaks.json" "$out/planted.txt" <<'PY'
import collections, json, sys
findings = json.load(open(sys.argv[1]))["findings"]
kinds = collections.Counter(l.split()[1] for l in open(sys.argv[2]))
at_head = sum(f["present_at_head"] for f in findings)
want = kinds["kept"] + kinds["merged"]
print(f"check: {len(findings)} findings for {sum(kinds.values())} planted tokens "
      f"({dict(kinds)}); present at HEAD {at_head}, expected {want}")
if len(findings) != sum(kinds.values()) or at_head != want:
    sys.exit("check FAILED")
PY

staged_ms=n/a
if [ -z "$real" ]; then
# A typical commit: two files edited, staged.
work="$out/staged-work"
rm -rf "$work"
git clone -q "$repo" "$work"
for f in $(git -C "$work" ls-files '*.php' | head -2); do echo '// one more line' >> "$work/$f"; done
git -C "$work" add -A
staged_ms=$(python3 - "$bin" "$work" <<'PY'
import subprocess, sys, time
runs = []
for _ in range(10):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "staged", "--quiet", sys.argv[2]], stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
print(f"{sorted(runs)[len(runs) // 2]:.1f}")
PY
)
fi

python3 - "$ml_wall" "$ml_rss" "$gb_wall" "$ncommits" "$blobs" "$bytes" "$found" "$planted" \
  "$staged_ms" "$objects_mb" "$gb_rss" <<'PY' | tee "$out/history-results.txt"
import sys
ml, rss, gb, commits, blobs, nbytes, found, planted, staged, objmb, gbrss = sys.argv[1:]
ml, gb, rss, nbytes = float(ml), float(gb), int(rss), int(nbytes)
mb = nbytes / 1e6
print(f"moodleleaks git:   {ml:.2f}s wall, {blobs} unique blobs, {mb:.1f} MB scanned, "
      f"{mb / ml:.1f} MB/s, {int(commits) / ml:.0f} commits/s, peak RSS {rss / 1024:.0f} MiB, "
      f"{found} findings ({planted} tokens planted)")
print(f"git cat-file | rg: {gb:.2f}s wall for {objmb} MB of objects "
      f"({float(objmb) / gb:.1f} MB/s), peak RSS of its largest process {int(gbrss) / 1024:.0f} MiB")
print(f"ratio moodleleaks / (git cat-file | rg): {ml / gb:.2f}x (medians of the alternating rounds)")
print(f"moodleleaks staged, typical 2-file commit: {staged} ms (median of 10)")
PY
