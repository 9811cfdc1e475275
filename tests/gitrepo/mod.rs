//! Real git repositories in temp folders, built with the `git` command line, with fixed
//! identities and dates so that tests are deterministic and the user's config stays out.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// Author of every test commit.
pub const AUTHOR: &str = "Ada Tester";
pub const EMAIL: &str = "ada@example.org";

/// A temp git repository.
pub struct Repo {
    dir: TempDir,
    commits: u32,
}

/// `git` with a clean, fixed environment in `dir`.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = base_git(dir, 0).args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A `git ARGS` command in `dir` with the same clean environment (to see it fail).
pub fn git_command_in(dir: &Path, args: &[&str]) -> Command {
    let mut c = base_git(dir, 0);
    c.args(args);
    c
}

fn base_git(dir: &Path, tick: u32) -> Command {
    let mut c = Command::new("git");
    let date = format!("{} +0200", 1_700_000_000 + u64::from(tick) * 60);
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", AUTHOR)
        .env("GIT_AUTHOR_EMAIL", EMAIL)
        .env("GIT_COMMITTER_NAME", AUTHOR)
        .env("GIT_COMMITTER_EMAIL", EMAIL)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE");
    c
}

impl Repo {
    /// An empty repository on branch `main`.
    pub fn new() -> Repo {
        let dir = TempDir::new().unwrap();
        git_in(dir.path(), &["init", "-q", "-b", "main"]);
        git_in(dir.path(), &["config", "commit.gpgsign", "false"]);
        Repo { dir, commits: 0 }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `git ARGS` in the repository, its stdout trimmed; panics on failure.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_command(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A `git ARGS` command to run yourself (e.g. to see it fail).
    pub fn git_command(&self, args: &[&str]) -> Command {
        let mut c = base_git(self.path(), self.commits);
        c.args(args);
        c
    }

    /// Writes a file in the work tree.
    pub fn write(&self, path: &str, contents: &str) {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// Stages everything and commits; returns the commit id.
    pub fn commit(&mut self, message: &str) -> String {
        self.commits += 1;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.head()
    }

    /// Advances the clock for the next raw `git` command that records a date.
    pub fn tick(&mut self) {
        self.commits += 1;
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    /// Path of the loose object file of `oid`.
    pub fn loose_object(&self, oid: &str) -> PathBuf {
        self.path()
            .join(".git/objects")
            .join(&oid[..2])
            .join(&oid[2..])
    }
}
