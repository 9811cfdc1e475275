#!/usr/bin/env bash
# The logic of the moodleleaks GitHub Action (action.yml only calls this script).
#
#   github-action.sh install   find the prebuilt release binary for this runner and verify its
#                              SHA-256; writes `bin=` (or `need-build=true`) to $GITHUB_OUTPUT
#   github-action.sh build     cargo install from the action's own checkout; writes `bin=`
#   github-action.sh plan      print the moodleleaks arguments the scan step will run, one a
#                              line (after fetching missing history)
#   github-action.sh scan      run the scan: SARIF, annotations, job summary, outputs, exit
#
# Inputs come as INPUT_* variables (action.yml maps them), the GitHub context as the usual
# GITHUB_* and RUNNER_* variables. MOODLELEAKS_BIN overrides the binary (tests use the one
# they just built); MOODLELEAKS_RELEASE_BASE overrides where release assets are downloaded.
set -euo pipefail

PROG="moodleleaks-action"
ZERO_SHA="0000000000000000000000000000000000000000"

die() {
    echo "::error title=moodleleaks::$*"
    echo "$PROG: $*" >&2
    exit 2
}
note() { echo "$PROG: $*" >&2; }

PYTHON=$(command -v python3 || command -v python || true)
[ -n "$PYTHON" ] || die "python3 is needed to read the GitHub event and the report"

output() {
    # output NAME VALUE: a step output (and the log, for people).
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    fi
}

action_root() {
    if [ -n "${GITHUB_ACTION_PATH:-}" ]; then
        printf '%s' "$GITHUB_ACTION_PATH"
    else
        cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
    fi
}

# ---------------------------------------------------------------------------------------
# install / build

target_triple() {
    local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
    case "$os/$arch" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

crate_version() {
    sed -n 's/^version = "\(.*\)"$/\1/p' "$(action_root)/Cargo.toml" | head -n1
}

cmd_install() {
    if [ -n "${MOODLELEAKS_BIN:-}" ]; then
        output bin "$MOODLELEAKS_BIN"
        return
    fi
    local version=${INPUT_VERSION:-}
    version=${version#v}
    [ -n "$version" ] || version=$(crate_version)
    local target base
    target=$(target_triple)
    if [ -n "${MOODLELEAKS_RELEASE_BASE:-}" ]; then
        base=$MOODLELEAKS_RELEASE_BASE
    elif [ -n "${ACTION_REPOSITORY:-}" ]; then
        base="https://github.com/$ACTION_REPOSITORY/releases/download"
    else
        base=""
    fi
    if [ -z "$target" ] || [ -z "$base" ] || [ -z "$version" ]; then
        note "no prebuilt binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} (version ${version:-?}): building from source"
        need_build
        return
    fi
    local ext=tar.gz exe=moodleleaks
    if [[ $target == *windows* ]]; then ext=zip exe=moodleleaks.exe; fi
    local asset="moodleleaks-v$version-$target.$ext"
    local dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/moodleleaks-v$version"
    mkdir -p "$dir"
    if ! curl -fsSL --retry 3 -o "$dir/$asset" "$base/v$version/$asset" ||
        ! curl -fsSL --retry 3 -o "$dir/$asset.sha256" "$base/v$version/$asset.sha256"; then
        note "release v$version has no $asset: building from source"
        need_build
        return
    fi
    local want got
    want=$(cut -d' ' -f1 <"$dir/$asset.sha256" | tr -d '\r\n')
    got=$(sha256_of "$dir/$asset")
    if [ "$want" != "$got" ]; then
        rm -f "$dir/$asset"
        die "checksum mismatch for $asset (expected $want, got $got): refusing to run it"
    fi
    if [ "$ext" = zip ]; then
        if command -v unzip >/dev/null; then
            unzip -qo "$dir/$asset" -d "$dir"
        else
            7z x -y -o"$dir" "$dir/$asset" >/dev/null
        fi
    else
        tar -xzf "$dir/$asset" -C "$dir"
    fi
    local bin
    bin=$(find "$dir" -type f -name "$exe" | head -n1)
    [ -n "$bin" ] || die "$asset does not contain $exe"
    chmod +x "$bin"
    note "installed $asset (sha256 $got)"
    output bin "$bin"
}

need_build() {
    output need-build true
    output cache-key "moodleleaks-cargo-${RUNNER_OS:-os}-${RUNNER_ARCH:-arch}-$(sha256_of "$(action_root)/Cargo.lock")"
}

cmd_build() {
    local root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/moodleleaks-build"
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cargo/moodleleaks-target}"
    command -v cargo >/dev/null || die "no prebuilt binary and no cargo to build one: set the version input to a released version"
    cargo install --locked --path "$(action_root)" --root "$root" >&2
    local exe=moodleleaks
    [ -x "$root/bin/moodleleaks.exe" ] && exe=moodleleaks.exe
    output bin "$root/bin/$exe"
}

# ---------------------------------------------------------------------------------------
# plan: which commits to scan

event_field() {
    # event_field a.b.c: a string field of the event JSON, empty when absent.
    [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ] || return 0
    "$PYTHON" - "$GITHUB_EVENT_PATH" "$1" <<'PY'
import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
if isinstance(value, bool):
    value = "true" if value else "false"
print("" if value is None else value)
PY
}

is_shallow() {
    [ "$(git -C "$REPO" rev-parse --is-shallow-repository)" = true ]
}

has_commit() {
    git -C "$REPO" cat-file -e "$1^{commit}" 2>/dev/null
}

SHALLOW_HELP="use actions/checkout with 'fetch-depth: 0' so the history can be scanned"

# Makes the whole history available or fails: a shallow clone must never pass as clean.
ensure_full_history() {
    if is_shallow; then
        note "shallow checkout: fetching the rest of the history"
        git -C "$REPO" fetch --no-tags --unshallow --quiet origin >&2 ||
            die "this checkout is shallow and its history could not be fetched: $SHALLOW_HELP"
        is_shallow && die "this checkout is still shallow after fetching: $SHALLOW_HELP"
    fi
    return 0
}

# Makes the commits of BASE..HEAD available.
ensure_range() {
    local base=$1 head=$2
    ensure_full_history
    local sha
    for sha in "$base" "$head"; do
        if ! has_commit "$sha"; then
            note "fetching missing commit $sha"
            git -C "$REPO" fetch --no-tags --quiet origin "$sha" >&2 ||
                die "commit $sha is not in this checkout and could not be fetched: $SHALLOW_HELP"
        fi
    done
}

# Prints the moodleleaks arguments, one a line, into PLAN (an array).
make_plan() {
    REPO=${INPUT_PATH:-.}
    [ -d "$REPO" ] || die "path '$REPO' is not a directory"
    local mode=${INPUT_MODE:-auto} event=${GITHUB_EVENT_NAME:-}
    PLAN=()
    case "$mode" in
    files)
        PLAN=(scan "$REPO")
        ;;
    history)
        git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || die "'$REPO' is not a git repository"
        ensure_full_history
        PLAN=(git "$REPO")
        ;;
    auto)
        git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || die "'$REPO' is not a git repository (mode auto scans history; use mode: files for a plain folder)"
        case "$event" in
        pull_request | pull_request_target)
            local base head
            base=$(event_field pull_request.base.sha)
            head=$(event_field pull_request.head.sha)
            [ -n "$base" ] && [ -n "$head" ] || die "the $event event has no pull_request.base.sha/head.sha"
            ensure_range "$base" "$head"
            PLAN=(git "$REPO" --range "$base..$head")
            ;;
        push)
            local before after
            before=$(event_field before)
            after=$(event_field after)
            if [ "$(event_field deleted)" = true ] || [ "$after" = "$ZERO_SHA" ]; then
                note "the push deleted a branch: nothing to scan"
                PLAN=()
            elif [ -z "$before" ] || [ "$before" = "$ZERO_SHA" ]; then
                note "new branch: scanning the whole history"
                ensure_full_history
                PLAN=(git "$REPO")
            else
                ensure_full_history
                if ! has_commit "$before" && ! git -C "$REPO" fetch --no-tags --quiet origin "$before" >&2; then
                    # A force push can make `before` unreachable: scan everything instead.
                    echo "::warning title=moodleleaks::commit $before (before the push) is gone: scanning the whole history"
                    PLAN=(git "$REPO")
                else
                    has_commit "$after" || ensure_range "$before" "$after"
                    PLAN=(git "$REPO" --range "$before..$after")
                fi
            fi
            ;;
        *)
            ensure_full_history
            PLAN=(git "$REPO")
            ;;
        esac
        ;;
    *) die "mode must be auto, history or files (got '$mode')" ;;
    esac
    if [ ${#PLAN[@]} -gt 0 ]; then
        [ -n "${INPUT_CONFIG:-}" ] && PLAN+=(--config "$INPUT_CONFIG")
        [ -n "${INPUT_BASELINE:-}" ] && PLAN+=(--baseline "$INPUT_BASELINE")
    fi
    return 0
}

cmd_plan() {
    make_plan
    if [ ${#PLAN[@]} -gt 0 ]; then printf '%s\n' "${PLAN[@]}"; fi
}

# ---------------------------------------------------------------------------------------
# scan

# Runs moodleleaks with the plan and extra arguments; returns its exit status.
run_moodleleaks() {
    local status=0
    "$BIN" ${PLAN[@]+"${PLAN[@]}"} "$@" || status=$?
    return "$status"
}

cmd_scan() {
    BIN=${MOODLELEAKS_BIN:-moodleleaks}
    local fail_on=${INPUT_FAIL_ON:-any} format=${INPUT_FORMAT:-human}
    local sarif=${INPUT_SARIF_FILE:-moodleleaks.sarif}
    case "$fail_on" in any | live | none) ;; *) die "fail-on must be any, live or none (got '$fail_on')" ;; esac
    local probe=()
    case "${INPUT_PROBE:-false}" in
    true)
        probe=(--probe)
        if [ -n "${INPUT_MOODLE_URL:-}" ]; then probe+=(--moodle-url "$INPUT_MOODLE_URL"); fi
        ;;
    false | "") ;;
    *) die "probe must be true or false (got '$INPUT_PROBE')" ;;
    esac

    make_plan
    output sarif-file "$sarif"
    if [ ${#PLAN[@]} -eq 0 ]; then
        # Nothing to scan: an empty but valid SARIF log, so an upload step does not fail.
        mkdir -p "$(dirname "$sarif")"
        printf '%s\n' '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"moodleleaks"}},"results":[]}]}' >"$sarif"
        output findings 0
        output live 0
        return 0
    fi
    local work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/moodleleaks-$$"
    mkdir -p "$work"
    local report="$work/report.json"
    note "running: moodleleaks ${PLAN[*]}"

    # 1. The JSON report (with the probe when asked): counts, annotations, summary.
    local status=0
    run_moodleleaks --format json --output "$report" --quiet ${probe[@]+"${probe[@]}"} || status=$?
    case "$status" in 0 | 1 | 3) ;; *) die "moodleleaks failed (exit status $status): the scan is incomplete, so it is not reported as clean" ;; esac
    # 2. SARIF for code scanning (no second probe).
    status=0
    run_moodleleaks --format sarif --output "$work/report.sarif" --quiet || status=$?
    case "$status" in 0 | 1 | 3) ;; *) die "moodleleaks could not write SARIF (exit status $status)" ;; esac
    # 3. The report people read in the log.
    if [ "$format" != none ]; then
        status=0
        run_moodleleaks --format "$format" --no-color || status=$?
        case "$status" in 0 | 1 | 3) ;; *) die "moodleleaks failed writing the $format report (exit status $status)" ;; esac
    fi

    local findings live
    # Annotations go to standard output (workflow commands); the counts to a file.
    "$PYTHON" - "$report" "$REPO" "${GITHUB_STEP_SUMMARY:-}" "$fail_on" "$work/counts" <<'PY'
import json, os, sys

report_path, repo, summary_path, fail_on, counts_path = sys.argv[1:6]
report = json.load(open(report_path, encoding="utf-8"))
findings = report.get("findings", [])
summary = report.get("summary", {})

def is_live(f):
    return isinstance(f.get("probe"), dict) and f["probe"].get("status") == "live"

live = summary.get("live")
if live is None:
    live = sum(1 for f in findings if is_live(f))

def data(s):
    return str(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

def prop(s):
    return data(s).replace(":", "%3A").replace(",", "%2C")

prefix = "" if repo in (".", "./", "") else repo.rstrip("/") + "/"
for f in findings:
    where = "" if f.get("present_at_head", True) else " (history only: rotate it)"
    commit = f" in commit {f['commit'][:12]}" if f.get("commit") else ""
    probe = f" — probe: {f['probe'].get('status')}" if isinstance(f.get("probe"), dict) else ""
    level = "error" if f.get("kind") != "hygiene" else "warning"
    message = (f"Moodle {f['kind']} {f['secret']} (rule {f['rule_id']}, fingerprint "
               f"{f['fingerprint'][:16]}){commit}{where}{probe}")
    print(f"::{level} file={prop(prefix + f['path'])},line={f['line']},col={f['column']},"
          f"title={prop('moodleleaks ' + f['rule_id'])}::{data(message)}")

def cell(s):
    s = str(s).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for c in "<>&`*_[]":
        s = s.replace(c, "\\" + c)
    return s

if summary_path:
    lines = ["## moodleleaks", ""]
    if not findings:
        lines.append("No Moodle credentials found.")
    else:
        lines.append(f"**{len(findings)} findings**, {live} live. Secrets are redacted.")
        lines += ["", "| severity | kind | secret | location | commit | at HEAD | probe |",
                  "|---|---|---|---|---|---|---|"]
        for f in findings:
            head = f.get("present_at_head")
            probe = f["probe"].get("status", "") if isinstance(f.get("probe"), dict) else "not probed"
            lines.append("| " + " | ".join(cell(x) for x in [
                f["severity"], f["kind"], f["secret"], f"{prefix}{f['path']}:{f['line']}",
                (f.get("commit") or "")[:12], "" if head is None else ("yes" if head else "no"),
                probe]) + " |")
    lines.append("")
    lines.append(f"fail-on: `{fail_on}`; scanned {summary.get('files_scanned', 0)} files, "
                 f"{summary.get('errors', 0)} errors.")
    with open(summary_path, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
with open(counts_path, "w", encoding="utf-8") as out:
    out.write(f"{len(findings)} {live}\n")
PY
    read -r findings live <"$work/counts"
    # Moved into place last, so no run of this step scans its own SARIF.
    mkdir -p "$(dirname "$sarif")"
    mv "$work/report.sarif" "$sarif"
    output findings "$findings"
    output live "$live"
    rm -rf "$work"
    note "$findings findings, $live live (fail-on: $fail_on)"
    case "$fail_on" in
    any)
        [ "$live" -gt 0 ] && exit 3
        [ "$findings" -gt 0 ] && exit 1
        ;;
    live) [ "$live" -gt 0 ] && exit 3 ;;
    none) ;;
    esac
    exit 0
}

case "${1:-scan}" in
install) cmd_install ;;
build) cmd_build ;;
plan) cmd_plan ;;
scan) cmd_scan ;;
*) die "unknown command '${1}' (install, build, plan or scan)" ;;
esac
