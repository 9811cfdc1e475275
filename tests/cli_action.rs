//! The GitHub Action's script (scripts/github-action.sh) run the way the runner runs it: a
//! faked GitHub environment (event JSON, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP)
//! around real temp git repositories and the freshly built binary.

mod common;

use common::{token, write_tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/github-action.sh")
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("moodleleaks")
}

/// Runs git in `dir` with a fixed identity and no user configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Dana Dev",
            "-c",
            "user.email=dana@example.edu",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn commit(dir: &Path, files: &[(&str, &[u8])], message: &str) -> String {
    write_tree(dir, files);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

fn env_line(token_label: &str) -> Vec<u8> {
    format!(
        "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n",
        token(token_label)
    )
    .into_bytes()
}

/// A faked runner: a workspace and the files GitHub hands a step.
struct Runner {
    dir: TempDir,
}

struct Run {
    out: Output,
    outputs: String,
    summary: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn output(&self, name: &str) -> Option<String> {
        self.outputs
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .map(str::to_string)
    }
}

impl Runner {
    fn new() -> Runner {
        let dir = TempDir::new().unwrap();
        std::fs::create_dir_all(dir.path().join("workspace")).unwrap();
        std::fs::create_dir_all(dir.path().join("temp")).unwrap();
        Runner { dir }
    }

    fn workspace(&self) -> PathBuf {
        self.dir.path().join("workspace")
    }

    fn init_repo(&self) -> PathBuf {
        let ws = self.workspace();
        git(&ws, &["init", "-q"]);
        ws
    }

    /// Runs `github-action.sh COMMAND` for `event` (name, JSON) with `inputs`.
    fn run(&self, command: &str, event: (&str, serde_json::Value), inputs: &[(&str, &str)]) -> Run {
        let event_path = self.dir.path().join("event.json");
        std::fs::write(&event_path, serde_json::to_vec_pretty(&event.1).unwrap()).unwrap();
        let output_path = self.dir.path().join("output.txt");
        let summary_path = self.dir.path().join("summary.md");
        let _ = std::fs::remove_file(&output_path);
        let _ = std::fs::remove_file(&summary_path);
        let mut cmd = Command::new("bash");
        cmd.arg(script())
            .arg(command)
            .current_dir(self.workspace())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", event.0)
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_OUTPUT", &output_path)
            .env("GITHUB_STEP_SUMMARY", &summary_path)
            .env("GITHUB_WORKSPACE", self.workspace())
            .env("RUNNER_TEMP", self.dir.path().join("temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("MOODLELEAKS_BIN", binary());
        for (k, v) in inputs {
            if *k == "MOODLELEAKS_BIN" && v.is_empty() {
                cmd.env_remove("MOODLELEAKS_BIN");
            } else {
                cmd.env(k, v);
            }
        }
        let out = cmd.output().unwrap();
        Run {
            out,
            outputs: std::fs::read_to_string(&output_path).unwrap_or_default(),
            summary: std::fs::read_to_string(&summary_path).unwrap_or_default(),
        }
    }
}

fn push_event(before: &str, after: &str) -> (&'static str, serde_json::Value) {
    (
        "push",
        serde_json::json!({
            "ref": "refs/heads/main",
            "before": before,
            "after": after,
            "created": before.chars().all(|c| c == '0'),
            "deleted": false,
            "forced": false,
            "base_ref": null,
            "compare": "https://github.com/example/lms-scripts/compare/x...y",
            "commits": [{"id": after, "message": "update", "distinct": true}],
            "head_commit": {"id": after, "message": "update"},
            "repository": {"full_name": "example/lms-scripts", "default_branch": "main"},
            "pusher": {"name": "dana"},
        }),
    )
}

fn pull_request_event(base: &str, head: &str) -> (&'static str, serde_json::Value) {
    (
        "pull_request",
        serde_json::json!({
            "action": "synchronize",
            "number": 7,
            "pull_request": {
                "number": 7,
                "state": "open",
                "title": "Add sync script",
                "base": {"ref": "main", "sha": base, "repo": {"full_name": "example/lms-scripts"}},
                "head": {"ref": "feature/sync", "sha": head, "repo": {"full_name": "example/lms-scripts"}},
            },
            "repository": {"full_name": "example/lms-scripts", "default_branch": "main"},
        }),
    )
}

fn workflow_dispatch() -> (&'static str, serde_json::Value) {
    (
        "workflow_dispatch",
        serde_json::json!({"ref": "refs/heads/main", "inputs": {}, "repository": {"full_name": "example/lms-scripts"}}),
    )
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_string).collect()
}

// ----------------------------------------------------------------------------------------
// Files mode: the whole reporting path, runs now.

fn leaky_workspace(runner: &Runner) {
    write_tree(
        &runner.workspace(),
        &[
            ("config/.env", &env_line("action-a")),
            ("deploy/<b>x</b>|y.env", &env_line("action-b")),
            ("README.md", b"# scripts\n"),
        ],
    );
}

#[test]
fn files_mode_reports_outputs_summary_annotations_and_sarif() {
    let runner = Runner::new();
    leaky_workspace(&runner);
    let run = runner.run(
        "scan",
        workflow_dispatch(),
        &[
            ("INPUT_MODE", "files"),
            ("INPUT_SARIF_FILE", "out/ml.sarif"),
        ],
    );
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert_eq!(run.output("findings").as_deref(), Some("2"));
    assert_eq!(run.output("live").as_deref(), Some("0"));
    assert_eq!(run.output("sarif-file").as_deref(), Some("out/ml.sarif"));

    // Annotations: one per finding, at the file and line, redacted.
    let stdout = run.stdout();
    let annotations: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(annotations.len(), 2, "{stdout}");
    assert!(annotations
        .iter()
        .any(|a| a.starts_with("::error file=config/.env,line=2,")));
    assert!(stdout.contains(&token("action-a")[..4]));
    for label in ["action-a", "action-b"] {
        assert!(!stdout.contains(&token(label)[..12]), "secret in the log");
        assert!(
            !run.summary.contains(&token(label)[..12]),
            "secret in the summary"
        );
    }
    // The human report is in the log too.
    assert!(stdout.contains("2 findings"), "{stdout}");

    // Job summary: a table, markup in a file name escaped.
    assert!(run
        .summary
        .contains("| severity | kind | secret | location |"));
    assert!(run.summary.contains("config/.env:2"));
    assert!(
        run.summary.contains("\\<b\\>x\\</b\\>\\|y.env:2"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("<b>"));

    // SARIF written where asked, with both results, and not scanned by itself.
    let sarif: serde_json::Value = serde_json::from_slice(
        &std::fs::read(runner.workspace().join("out/ml.sarif")).expect("SARIF file"),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn fail_on_decides_the_exit_status() {
    let runner = Runner::new();
    leaky_workspace(&runner);
    for (fail_on, code) in [("any", 1), ("live", 0), ("none", 0)] {
        let run = runner.run(
            "scan",
            workflow_dispatch(),
            &[
                ("INPUT_MODE", "files"),
                ("INPUT_FAIL_ON", fail_on),
                ("INPUT_FORMAT", "none"),
            ],
        );
        assert_eq!(
            run.code(),
            Some(code),
            "fail-on {fail_on}: {}",
            run.stderr()
        );
        // The findings are reported whatever fail-on says.
        assert_eq!(
            run.output("findings").as_deref(),
            Some("2"),
            "fail-on {fail_on}"
        );
        assert!(run.stdout().contains("::error file=config/.env"));
    }
    let run = runner.run(
        "scan",
        workflow_dispatch(),
        &[("INPUT_MODE", "files"), ("INPUT_FAIL_ON", "sometimes")],
    );
    assert_eq!(run.code(), Some(2));
    assert!(run.stderr().contains("fail-on must be any, live or none"));
}

#[test]
fn clean_workspace_passes_with_zero_counts() {
    let runner = Runner::new();
    write_tree(&runner.workspace(), &[("README.md", b"# nothing\n")]);
    let run = runner.run("scan", workflow_dispatch(), &[("INPUT_MODE", "files")]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(run.output("findings").as_deref(), Some("0"));
    assert!(run.summary.contains("No Moodle credentials found."));
    assert!(!run.stdout().contains("::error"));
}

#[test]
fn a_failing_scan_is_never_reported_clean() {
    let runner = Runner::new();
    leaky_workspace(&runner);
    let run = runner.run(
        "scan",
        workflow_dispatch(),
        &[("INPUT_MODE", "files"), ("INPUT_CONFIG", "missing.toml")],
    );
    assert_eq!(run.code(), Some(2));
    assert!(run
        .stdout()
        .contains("::error title=moodleleaks::moodleleaks failed"));
    assert_eq!(
        run.output("findings"),
        None,
        "no counts for an incomplete scan"
    );
}

// ----------------------------------------------------------------------------------------
// Which commits: the plan, from real event JSON and real repositories. Runs now.

fn three_commits(ws: &Path) -> (String, String, String) {
    let a = commit(ws, &[("README.md", b"# one\n")], "one");
    let b = commit(ws, &[("sync.sh", b"echo two\n")], "two");
    let c = commit(ws, &[("sync.sh", b"echo three\n")], "three");
    (a, b, c)
}

#[test]
fn pull_request_scans_base_to_head() {
    let runner = Runner::new();
    let ws = runner.init_repo();
    let (a, _, c) = three_commits(&ws);
    let run = runner.run(
        "plan",
        pull_request_event(&a, &c),
        &[("INPUT_CONFIG", "ci/ml.toml")],
    );
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(
        lines(&run.stdout()),
        [
            "git",
            ".",
            "--range",
            &format!("{a}..{c}"),
            "--config",
            "ci/ml.toml"
        ]
    );
}

#[test]
fn push_scans_the_pushed_range_or_everything_for_a_new_branch() {
    let runner = Runner::new();
    let ws = runner.init_repo();
    let (a, b, c) = three_commits(&ws);
    let run = runner.run("plan", push_event(&b, &c), &[]);
    assert_eq!(
        lines(&run.stdout()),
        ["git", ".", "--range", &format!("{b}..{c}")]
    );

    let zero = "0".repeat(40);
    let run = runner.run("plan", push_event(&zero, &c), &[]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(lines(&run.stdout()), ["git", "."]);
    assert!(run.stderr().contains("new branch"));

    // A deleted branch has nothing to scan.
    let (name, mut event) = push_event(&a, &zero);
    event["deleted"] = serde_json::json!(true);
    let run = runner.run("plan", (name, event), &[]);
    assert_eq!(run.code(), Some(0));
    assert_eq!(run.stdout(), "");

    // Any other event: the whole history.
    let run = runner.run("plan", workflow_dispatch(), &[("INPUT_BASELINE", "b.json")]);
    assert_eq!(lines(&run.stdout()), ["git", ".", "--baseline", "b.json"]);
}

#[test]
fn event_without_shas_is_an_error() {
    let runner = Runner::new();
    let ws = runner.init_repo();
    three_commits(&ws);
    let run = runner.run(
        "plan",
        ("pull_request", serde_json::json!({"action": "opened"})),
        &[],
    );
    assert_eq!(run.code(), Some(2));
    assert!(run.stdout().contains("::error"), "{}", run.stdout());
}

/// An origin repository with history, and a depth-1 clone of it as the workspace.
fn shallow_clone(runner: &Runner) -> (PathBuf, String, String) {
    let origin = runner.dir.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q"]);
    let first = commit(
        &origin,
        &[("deploy/.env", &env_line("action-shallow"))],
        "add env",
    );
    commit(
        &origin,
        &[("deploy/.env", b"MOODLE_TOKEN=${MOODLE_TOKEN}\n")],
        "use a secret",
    );
    let last = commit(&origin, &[("README.md", b"# lms\n")], "docs");
    std::fs::remove_dir_all(runner.workspace()).unwrap();
    let url = format!("file://{}", origin.display());
    git(
        runner.dir.path(),
        &["clone", "-q", "--depth", "1", &url, "workspace"],
    );
    assert_eq!(
        git(
            &runner.workspace(),
            &["rev-parse", "--is-shallow-repository"]
        ),
        "true"
    );
    (origin, first, last)
}

#[test]
fn shallow_checkout_fetches_the_missing_history() {
    let runner = Runner::new();
    let (_origin, first, last) = shallow_clone(&runner);
    let run = runner.run("plan", push_event(&first, &last), &[]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(
        lines(&run.stdout()),
        ["git", ".", "--range", &format!("{first}..{last}")]
    );
    assert_eq!(
        git(
            &runner.workspace(),
            &["rev-parse", "--is-shallow-repository"]
        ),
        "false"
    );
    git(
        &runner.workspace(),
        &["cat-file", "-e", &format!("{first}^{{commit}}")],
    );
}

#[test]
fn shallow_checkout_that_cannot_fetch_fails_and_says_fetch_depth_0() {
    let runner = Runner::new();
    let (origin, first, last) = shallow_clone(&runner);
    std::fs::remove_dir_all(origin).unwrap();
    for event in [push_event(&first, &last), workflow_dispatch()] {
        let run = runner.run("scan", event, &[]);
        assert_eq!(run.code(), Some(2));
        assert!(run.stdout().contains("fetch-depth: 0"), "{}", run.stdout());
        assert_eq!(
            run.output("findings"),
            None,
            "a shallow scan reported counts"
        );
    }
}

// ----------------------------------------------------------------------------------------
// Installing the prebuilt binary from a release (a file:// release base stands in for
// GitHub's download URL). Runs now.

fn fake_release(dir: &Path, version: &str, tamper: bool) -> String {
    let release = dir.join("releases").join(format!("v{version}"));
    let stage = dir.join("stage");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(stage.join("moodleleaks")).unwrap();
    std::fs::copy(binary(), stage.join("moodleleaks/moodleleaks")).unwrap();
    let asset = format!("moodleleaks-v{version}-x86_64-unknown-linux-gnu.tar.gz");
    let status = Command::new("tar")
        .args(["-czf"])
        .arg(release.join(&asset))
        .args(["-C"])
        .arg(&stage)
        .arg("moodleleaks")
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(release.join(&asset)).unwrap();
    let mut sum: String = sha2_hex(&bytes);
    if tamper {
        sum = sum.replace(&sum[..1], if &sum[..1] == "0" { "1" } else { "0" });
    }
    std::fs::write(
        release.join(format!("{asset}.sha256")),
        format!("{sum}  {asset}\n"),
    )
    .unwrap();
    format!("file://{}", dir.join("releases").display())
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn install_uses_the_release_binary_after_checking_its_checksum() {
    let runner = Runner::new();
    let base = fake_release(runner.dir.path(), "9.8.7", false);
    let run = runner.run(
        "install",
        workflow_dispatch(),
        &[
            ("MOODLELEAKS_BIN", ""),
            ("MOODLELEAKS_RELEASE_BASE", &base),
            ("INPUT_VERSION", "v9.8.7"),
        ],
    );
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(run.output("need-build"), None);
    let bin = run.output("bin").expect("bin output");
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("moodleleaks "));
}

#[test]
fn install_refuses_a_binary_whose_checksum_does_not_match() {
    let runner = Runner::new();
    let base = fake_release(runner.dir.path(), "9.8.7", true);
    let run = runner.run(
        "install",
        workflow_dispatch(),
        &[
            ("MOODLELEAKS_BIN", ""),
            ("MOODLELEAKS_RELEASE_BASE", &base),
            ("INPUT_VERSION", "9.8.7"),
        ],
    );
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr().contains("checksum mismatch"),
        "{}",
        run.stderr()
    );
    assert_eq!(run.output("bin"), None);
    assert_eq!(
        run.output("need-build"),
        None,
        "tampering must not fall back to a build"
    );
}

#[test]
fn install_builds_from_source_when_the_release_has_no_binary() {
    let runner = Runner::new();
    let base = fake_release(runner.dir.path(), "9.8.7", false);
    let run = runner.run(
        "install",
        workflow_dispatch(),
        &[
            ("MOODLELEAKS_BIN", ""),
            ("MOODLELEAKS_RELEASE_BASE", &base),
            ("INPUT_VERSION", "1.2.3"),
        ],
    );
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(run.output("need-build").as_deref(), Some("true"));
    assert!(run
        .output("cache-key")
        .is_some_and(|k| k.starts_with("moodleleaks-cargo-Linux-X64-")));
}

// ----------------------------------------------------------------------------------------
// End to end through `moodleleaks git`.

#[test]
fn pull_request_end_to_end_reports_the_commits_it_adds() {
    let runner = Runner::new();
    let ws = runner.init_repo();
    // A leak before the PR is not the PR's business.
    let base = commit(&ws, &[("old/.env", &env_line("action-old"))], "old leak");
    git(&ws, &["checkout", "-q", "-b", "feature"]);
    commit(
        &ws,
        &[("sync/.env", &env_line("action-pr"))],
        "add sync config",
    );
    let head = commit(&ws, &[("README.md", b"# sync\n")], "docs");
    let run = runner.run("scan", pull_request_event(&base, &head), &[]);
    assert_eq!(run.code(), Some(1), "{}\n{}", run.stdout(), run.stderr());
    assert_eq!(run.output("findings").as_deref(), Some("1"));
    assert!(run.stdout().contains("::error file=sync/.env,line=2,"));
    assert!(!run.stdout().contains("old/.env"));
    assert!(run.summary.contains("sync/.env:2"));
    for label in ["action-pr", "action-old"] {
        assert!(!run.stdout().contains(&token(label)[..12]));
        assert!(!run.summary.contains(&token(label)[..12]));
    }
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.join("moodleleaks.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
}

#[test]
fn push_of_a_new_branch_scans_the_whole_history() {
    let runner = Runner::new();
    let ws = runner.init_repo();
    commit(
        &ws,
        &[("deploy/.env", &env_line("action-history"))],
        "add env",
    );
    let last = commit(
        &ws,
        &[("deploy/.env", b"MOODLE_TOKEN=${MOODLE_TOKEN}\n")],
        "use a secret",
    );
    let run = runner.run("scan", push_event(&"0".repeat(40), &last), &[]);
    assert_eq!(run.code(), Some(1), "{}\n{}", run.stdout(), run.stderr());
    assert_eq!(run.output("findings").as_deref(), Some("1"));
    assert!(run.stdout().contains("history only"), "{}", run.stdout());
    assert!(run.summary.contains("| no |"), "{}", run.summary);
}

#[test]
fn shallow_checkout_end_to_end_finds_the_old_leak() {
    let runner = Runner::new();
    let (_origin, _first, _last) = shallow_clone(&runner);
    let run = runner.run("scan", workflow_dispatch(), &[]);
    assert_eq!(run.code(), Some(1), "{}\n{}", run.stdout(), run.stderr());
    assert_eq!(run.output("findings").as_deref(), Some("1"));
    assert!(run.stdout().contains("::error file=deploy/.env,line=2,"));
}

#[test]
fn repository_workflow_is_the_documented_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let body = |p: &str| -> Vec<String> {
        std::fs::read_to_string(root.join(p))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                l.replace(
                    "uses: ./ # this repository is the action",
                    "uses: moodleleaks/moodleleaks@v1",
                )
            })
            .collect()
    };
    assert_eq!(
        body(".github/workflows/moodleleaks.yml"),
        body("docs/github-workflow.yml")
    );
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    for input in [
        "path:",
        "mode:",
        "probe:",
        "moodle-url:",
        "fail-on:",
        "baseline:",
        "config:",
        "format:",
        "sarif-file:",
        "version:",
    ] {
        assert!(
            action.contains(&format!("\n  {input}")),
            "action.yml lacks input {input}"
        );
    }
    for output in ["findings:", "live:", "sarif-file:"] {
        assert!(
            action.contains(&format!("\n  {output}")),
            "action.yml lacks output {output}"
        );
    }
}
