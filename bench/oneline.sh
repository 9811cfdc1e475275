#!/usr/bin/env bash
# One-line dump benchmark: a mysqldump of mdl_external_tokens writes every row of the table
# on ONE line. Placing each finding must not rescan that line (issue 8, item 7): time must
# grow linearly with the rows, not with their square. Generates one-line dumps of 2,500 to
# 20,000 rows (each row a distinct synthetic token) and, as the linear reference, the same
# rows one per line; times `moodleleaks scan` (release build, best of 3) on each and prints
# seconds, findings and the time per row, and the ratio one-line / one-per-line.
#
# Usage: bench/oneline.sh            (needs python3; builds --release)
set -euo pipefail
cd "$(dirname "$0")/.."
out="bench/out/oneline"
mkdir -p "$out"
cargo build --release --quiet
bin="$PWD/target/release/moodleleaks"

gen() { # rows, layout (line|rows) -> file
  python3 - "$1" "$2" "$3" <<'PY'
import hashlib, sys
rows, layout, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tok = lambda i: hashlib.sha256(f"oneline-bench-{i}".encode()).hexdigest()[:32]
vals = [f"({i},'{tok(i)}',NULL,0,{i},1,NULL,1,2,NULL,0,1700000000,NULL,'Webservice-{i:05d}')" for i in range(1, rows + 1)]
sep = "," if layout == "line" else ",\n"
with open(path, "w") as f:
    f.write("INSERT INTO `mdl_external_tokens` VALUES " + sep.join(vals) + ";\n")
PY
}

best() { # file -> "seconds findings"
  local best=999999 n=0
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N)
    n=$("$bin" scan --format json --no-ignore "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)
    e=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $e - $s))")
  done
  echo "$best $n"
}

printf '%8s %12s %10s %14s %12s %8s\n' rows one-line-s findings us/row-1line per-line-s ratio
for rows in 2500 5000 10000 20000; do
  gen "$rows" line "$out/dump-$rows-line.sql"
  gen "$rows" rows "$out/dump-$rows-rows.sql"
  read -r t1 n1 < <(best "$out/dump-$rows-line.sql")
  read -r t2 _ < <(best "$out/dump-$rows-rows.sql")
  python3 -c "print('%8d %12.3f %10d %14.1f %12.3f %8.2f' % ($rows, $t1, $n1, $t1 / $rows * 1e6, $t2, $t1 / $t2))"
done
