#!/usr/bin/env bash
# Renders the rotation report's HTML page in real headless Chromium and checks what the
# browser made of it: a screenshot to look at, and the DOM Chromium built (no script element
# from a malicious file name, every group present, no secret).
#
#   scripts/check-html-report.sh [OUT_DIR]     (default target/html-report-check)
#
# The page is the one tests/int_rotation.rs renders (every urgency, history places, a
# `<script>` path) plus a real `moodleleaks scan --format html` of a small tree.
# Needs chromium (`apt-get install -y chromium`); installs it when missing and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-target/html-report-check}")
mkdir -p "$out"

if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "check-html-report: chromium is not installed (apt-get install -y chromium)" >&2
        exit 2
    fi
fi

# 1. The library page with every urgency.
MOODLELEAKS_HTML_SAMPLE="$out/rotation-sample.html" \
    cargo test --quiet --locked --test int_rotation html_page_escapes_everything >/dev/null

# 2. A real scan through the CLI, with a hostile file name.
tree=$(mktemp -d)
trap 'rm -rf "$tree" "$profile"' EXIT
mkdir -p "$tree/deploy"
tok=$(printf 'check-html-report' | sha256sum | cut -c1-32)
printf 'MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN=%s\n' "$tok" >"$tree/deploy/<script>alert(1)<!--.env"
printf 'curl http://lms.example.edu/webservice/rest/server.php?wstoken=%s\n' "$tok" >"$tree/cron.sh" # moodleleaks:allow (a hygiene finding on purpose)
set +e
cargo run --quiet --locked -- scan "$tree" --format html --output "$out/rotation-scan.html"
status=$?
set -e
[ "$status" = 1 ] || { echo "check-html-report: scan exited $status, expected 1" >&2; exit 1; }

profile=$(mktemp -d)
chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        "$@" 2>/dev/null
}

fail=0
for page in rotation-sample rotation-scan; do
    html="$out/$page.html"
    chrome --screenshot="$out/$page.png" --window-size=1280,1600 "file://$html" >/dev/null
    chrome --dump-dom "file://$html" >"$out/$page.dom.html"
    size=$(stat -c %s "$out/$page.png")
    groups=$(grep -c 'class="secret ' "$out/$page.dom.html" || true)
    echo "$page: screenshot $out/$page.png ($size bytes), $groups groups in the DOM"
    if [ "$size" -lt 20000 ]; then echo "  FAIL: screenshot looks empty" >&2; fail=1; fi
    if [ "$groups" -lt 1 ]; then echo "  FAIL: no secret group rendered" >&2; fail=1; fi
    if grep -qi '<script' "$out/$page.dom.html"; then
        echo "  FAIL: the browser built a script element" >&2; fail=1
    fi
    if grep -q "$tok" "$out/$page.dom.html"; then echo "  FAIL: raw secret in page" >&2; fail=1; fi
done
[ "$(grep -c 'class="secret ' "$out/rotation-sample.dom.html")" = 5 ] || {
    echo "FAIL: the sample page should show 5 groups" >&2; fail=1; }
exit "$fail"
