//! `moodleleaks staged` and `moodleleaks install-hook` through the real binary, and a real
//! `git commit` running the installed hook.

mod common;
mod gitrepo;

use common::{json, moodleleaks, token};
use gitrepo::Repo;
use serde_json::Value;

fn staged(repo: &Repo) -> (i32, Vec<Value>, String) {
    let out = moodleleaks()
        .args(["staged", "--format", "json"])
        .arg(repo.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let findings = if out.stdout.is_empty() {
        Vec::new()
    } else {
        json(&out.stdout)["findings"].as_array().unwrap().clone()
    };
    (out.status.code().unwrap(), findings, stderr)
}

fn secret_head(label: &str) -> String {
    format!("{}…", &token(label)[..4])
}

#[test]
fn only_added_lines_are_reported() {
    let mut r = Repo::new();
    r.write(
        ".env",
        &format!(
            "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\nMOODLE_WSTOKEN={}\n",
            token("unchanged"),
            token("deleted")
        ),
    );
    r.commit("committed earlier");
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (0, 0));

    // Delete one token line, add a new one; the unchanged one stays.
    r.write(
        ".env",
        &format!(
            "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\nDEBUG=1\nmoodle_token={}\n",
            token("unchanged"),
            token("added")
        ),
    );
    r.git(&["add", ".env"]);
    let (code, findings, _) = staged(&r);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["secret"], secret_head("added").as_str());
    assert_eq!(findings[0]["line"], 4);
    assert_eq!(findings[0]["path"], ".env");
    assert!(findings[0].get("commit").is_none());

    // A change that only deletes a token line adds nothing.
    r.commit("with added");
    r.write(".env", "MOODLE_URL=https://lms.example.edu\n");
    r.git(&["add", ".env"]);
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (0, 0));

    // Nor does a rename.
    r.commit("clean");
    r.write("conf/a.env", &format!("MOODLE_TOKEN={}\n", token("moved")));
    r.commit("moved token");
    r.git(&["mv", "conf/a.env", "conf/b.env"]);
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn the_index_is_scanned_not_the_working_tree() {
    let mut r = Repo::new();
    r.write("README.md", "x\n");
    r.commit("start");
    r.write(".env", &format!("MOODLE_TOKEN={}\n", token("staged")));
    r.git(&["add", ".env"]);
    // Edited after staging: the staged content still holds the token.
    r.write(".env", "MOODLE_TOKEN=\n");
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["secret"], secret_head("staged").as_str());

    // A token only in the working tree is not staged.
    r.git(&["add", ".env"]);
    r.write(
        "other.env",
        &format!("MOODLE_TOKEN={}\n", token("unstaged")),
    );
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn file_level_context_comes_from_the_whole_staged_file() {
    let mut r = Repo::new();
    r.write("config.yml", "moodle:\n  url: https://lms.example.edu\n");
    r.commit("moodle config");
    r.write(
        "config.yml",
        &format!(
            "moodle:\n  url: https://lms.example.edu\n  token: {}\n",
            token("generic")
        ),
    );
    r.git(&["add", "config.yml"]);
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (1, 1), "{findings:#?}");
    assert_eq!(findings[0]["line"], 3);
}

#[test]
fn the_first_commit_is_compared_with_the_empty_tree() {
    let r = Repo::new();
    r.write(".env", &format!("MOODLE_TOKEN={}\n", token("first")));
    r.git(&["add", ".env"]);
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (1, 1));
}

#[test]
fn install_hook_refuses_a_commit_that_adds_a_token() {
    let mut r = Repo::new();
    r.write("README.md", "x\n");
    r.commit("start");
    let bin = assert_cmd::cargo::cargo_bin("moodleleaks");
    let install = moodleleaks()
        .arg("install-hook")
        .arg("--command")
        .arg(&bin)
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(install.status.code(), Some(0));
    let hook = r.path().join(".git/hooks/pre-commit");
    assert!(hook.is_file());

    // A second install would clobber it: refused unless --force.
    let again = moodleleaks()
        .arg("install-hook")
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);

    // A commit adding a token is refused, and the finding is shown (redacted).
    r.write(".env", &format!("MOODLE_TOKEN={}\n", token("hooked")));
    r.git(&["add", ".env"]);
    let refused = r
        .git_command(&["commit", "-q", "-m", "leak"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(shown.contains(".env"), "{shown}");
    assert!(shown.contains(&secret_head("hooked")), "{shown}");
    assert!(!shown.contains(&token("hooked")), "{shown}");
    assert_eq!(r.git(&["rev-list", "--count", "HEAD"]), "1");

    // A clean commit passes; so does a line marked moodleleaks:allow.
    r.git(&["reset", "-q"]);
    r.write(".env", "MOODLE_URL=https://lms.example.edu\n");
    r.git(&["add", ".env"]);
    let clean = r
        .git_command(&["commit", "-q", "-m", "clean"])
        .output()
        .unwrap();
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    r.write(
        "docs.md",
        &format!(
            "example: MOODLE_TOKEN={} # moodleleaks:allow\n",
            token("doc")
        ),
    );
    r.git(&["add", "docs.md"]);
    let allowed = r
        .git_command(&["commit", "-q", "-m", "doc"])
        .output()
        .unwrap();
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert_eq!(r.git(&["rev-list", "--count", "HEAD"]), "3");

    let forced = moodleleaks()
        .args(["install-hook", "--force"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("exec moodleleaks staged"), "{script}");
}

#[test]
fn install_hook_follows_core_hooks_path() {
    let r = Repo::new();
    r.git(&["config", "core.hooksPath", "ci/hooks"]);
    let out = moodleleaks()
        .arg("install-hook")
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(r.path().join("ci/hooks/pre-commit").is_file());
    assert!(!r.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn staged_needs_a_work_tree() {
    let mut r = Repo::new();
    r.write("README.md", "x\n");
    r.commit("start");
    let dest = tempfile::TempDir::new().unwrap();
    gitrepo::git_in(
        dest.path(),
        &[
            "clone",
            "-q",
            "--bare",
            &r.path().display().to_string(),
            "b.git",
        ],
    );
    for path in [dest.path().join("b.git"), dest.path().join("missing")] {
        let out = moodleleaks().arg("staged").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

/// A repository with one clean commit (`README.md` tracked) and the hook installed, running
/// this build of moodleleaks.
fn hooked_repo(configure: &[&[&str]]) -> Repo {
    let mut r = Repo::new();
    for args in configure {
        r.git(args);
    }
    r.write("README.md", "x\n");
    r.write("app.env", "MOODLE_URL=https://lms.example.edu\n");
    r.commit("start");
    let bin = assert_cmd::cargo::cargo_bin("moodleleaks");
    let install = moodleleaks()
        .arg("install-hook")
        .arg("--command")
        .arg(&bin)
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(
        install.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );
    r
}

/// Runs a `git commit` that must be refused by the hook, and checks that it was, that the
/// finding was shown redacted and that HEAD did not move.
fn assert_refused(dir: &std::path::Path, args: &[&str], label: &str) {
    let before = gitrepo::git_in(dir, &["rev-parse", "HEAD"]);
    let out = gitrepo::git_command_in(dir, args).output().unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "git {args:?} was not refused: {shown}"
    );
    assert!(shown.contains(&secret_head(label)), "git {args:?}: {shown}");
    assert!(!shown.contains(&token(label)), "{shown}");
    assert_eq!(
        gitrepo::git_in(dir, &["rev-parse", "HEAD"]),
        before,
        "git {args:?} moved HEAD"
    );
}

#[test]
fn the_hook_reads_the_index_git_hands_it() {
    // `commit -a` and `commit <path>` build a temporary index, named to the hook only in
    // GIT_INDEX_FILE; the token is never in .git/index.
    let r = hooked_repo(&[]);
    r.write("app.env", &format!("MOODLE_TOKEN={}\n", token("all")));
    assert_refused(r.path(), &["commit", "-q", "-a", "-m", "leak"], "all");
    assert_refused(r.path(), &["commit", "-q", "-m", "leak", "app.env"], "all");
    assert_refused(
        r.path(),
        &["commit", "-q", "--amend", "-a", "-m", "leak"],
        "all",
    );
    // --amend of staged content, and with a path.
    r.git(&["add", "app.env"]);
    assert_refused(r.path(), &["commit", "-q", "--amend", "-m", "leak"], "all");
    r.git(&["reset", "-q"]);
    assert_refused(
        r.path(),
        &["commit", "-q", "--amend", "-m", "leak", "--", "app.env"],
        "all",
    );
    // The same commits without a token pass through the same hook.
    r.write("app.env", "MOODLE_URL=https://lms.example.edu/x\n");
    let ok = r
        .git_command(&["commit", "-q", "-a", "-m", "clean"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn the_hook_works_in_a_linked_worktree_and_with_core_hooks_path() {
    let r = hooked_repo(&[]);
    let wt = r.path().join("wt");
    r.git(&["worktree", "add", "-q", &wt.display().to_string()]);
    std::fs::write(
        wt.join("app.env"),
        format!("MOODLE_TOKEN={}\n", token("worktree")),
    )
    .unwrap();
    assert_refused(&wt, &["commit", "-q", "-a", "-m", "leak"], "worktree");
    gitrepo::git_in(&wt, &["add", "app.env"]);
    assert_refused(&wt, &["commit", "-q", "-m", "leak"], "worktree");

    let r = hooked_repo(&[&["config", "core.hooksPath", "ci/hooks"]]);
    assert!(r.path().join("ci/hooks/pre-commit").is_file());
    r.write("app.env", &format!("MOODLE_TOKEN={}\n", token("hookspath")));
    assert_refused(r.path(), &["commit", "-q", "-a", "-m", "leak"], "hookspath");
}

#[test]
fn staged_reads_git_index_file_and_git_dir() {
    let mut r = Repo::new();
    r.write("README.md", "x\n");
    r.commit("start");
    r.write(".env", &format!("MOODLE_TOKEN={}\n", token("other-index")));
    // Stage into another index only: .git/index stays clean.
    let other = r.path().join(".git/other-index");
    std::fs::copy(r.path().join(".git/index"), &other).unwrap();
    let added = r
        .git_command(&["add", ".env"])
        .env("GIT_INDEX_FILE", &other)
        .output()
        .unwrap();
    assert!(added.status.success());
    let (code, findings, _) = staged(&r);
    assert_eq!((code, findings.len()), (0, 0));
    // Absolute, and relative to the work tree as git hands it to hooks.
    for value in [other.display().to_string(), ".git/other-index".to_string()] {
        let out = moodleleaks()
            .args(["staged", "--format", "json"])
            .current_dir(r.path())
            .env("GIT_INDEX_FILE", &value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "GIT_INDEX_FILE={value}");
        assert_eq!(json(&out.stdout)["findings"].as_array().unwrap().len(), 1);
    }
    // GIT_DIR and GIT_WORK_TREE name the repository from anywhere.
    let elsewhere = tempfile::TempDir::new().unwrap();
    let out = moodleleaks()
        .args(["staged", "--format", "json"])
        .current_dir(elsewhere.path())
        .env("GIT_DIR", r.path().join(".git"))
        .env("GIT_WORK_TREE", r.path())
        .env("GIT_INDEX_FILE", &other)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A missing index file is a one-line error, not a clean pass.
    let out = moodleleaks()
        .arg("staged")
        .current_dir(r.path())
        .env("GIT_INDEX_FILE", ".git/no-such-index")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no-such-index"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn staged_never_probes() {
    // A server that would record any request: none may come.
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let r = Repo::new();
    r.write(
        ".env",
        &format!(
            "MOODLE_URL=http://127.0.0.1:{port}\nMOODLE_TOKEN={}\n",
            token("no-probe")
        ),
    );
    r.git(&["add", ".env"]);
    let out = moodleleaks()
        .args(["staged", "--probe", "--allow-internal", "--allow-http"])
        .arg(r.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("staged never probes"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(server
        .recv_timeout(std::time::Duration::from_millis(200))
        .unwrap()
        .is_none());
    let help = moodleleaks().args(["staged", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("never probes"), "{help}");
    let options: Vec<&str> = help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .collect();
    for hidden in [
        "--probe",
        "--moodle-url",
        "--probe-timeout",
        "--allow-internal",
    ] {
        assert!(
            !options.iter().any(|o| o.starts_with(hidden)),
            "{hidden} shown: {help}"
        );
    }
}
