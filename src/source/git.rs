//! Git history as a source: every commit of the selected refs (all refs, `--branch`, or a
//! `--range`), every distinct blob read and matched exactly once, and each finding
//! attributed to the commit that introduced it.
//!
//! The flow: [`plan`] picks the commits (oldest first), [`walk`](super::git_walk) walks their
//! trees and scans new blobs in parallel, [`attribute`](super::git_attribute) turns blob
//! findings into one finding per secret and path with its introducing commit.

use super::git_attribute::{self, Attribution};
use super::git_walk::{self, WalkPlan};
use super::ScanContext;
use crate::finding::Finding;
use crate::input::SkipReason;
use anyhow::{bail, Result};
use git2::{Oid, Repository, Sort};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once};

/// Which commits a history scan covers.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every commit reachable from any ref (branches, tags, remotes, stash, notes) or HEAD.
    All,
    /// Commits reachable from these revisions (`--branch`, repeatable).
    Refs(Vec<String>),
    /// Commits reachable from `tip` and not from `base` (`--range base..tip`); `option` names
    /// the flag the user gave, for error messages.
    Range {
        option: String,
        base: String,
        tip: String,
    },
}

impl Selection {
    /// Parses `A..B` (an empty side means HEAD) as given to `option`.
    pub fn range(option: &str, spec: &str) -> Result<Selection> {
        let Some((base, tip)) = spec.split_once("..") else {
            bail!("{option} {spec}: expected a range A..B");
        };
        if tip.starts_with('.') {
            bail!("{option} {spec}: three-dot ranges are not supported; use A..B");
        }
        let or_head = |s: &str| if s.is_empty() { "HEAD" } else { s }.to_string();
        Ok(Selection::Range {
            option: format!("{option} {spec}"),
            base: or_head(base),
            tip: or_head(tip),
        })
    }
}

/// How to scan history.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub selection: Selection,
    /// Scan only the newest N selected commits (compared with their parents, as a range).
    pub max_commits: Option<usize>,
    /// Worker threads; 0 picks the number of CPUs.
    pub threads: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// Accept an incomplete (shallow) history without counting it as an error.
    pub allow_shallow: bool,
    /// Incremental audits: blobs already scanned, and where newly scanned ones are recorded.
    pub memo: Option<std::sync::Arc<super::blob_memo::BlobMemo>>,
    /// Blobs already scanned (by an earlier incremental audit): never read or scanned again,
    /// and treated as clean when attributing. `None` scans every blob.
    pub skip_blobs: Option<Arc<FxHashSet<Oid>>>,
}

/// A history scan's findings and which blobs it read.
pub struct HistoryScan {
    pub findings: Vec<Finding>,
    /// Every blob this scan read and matched (unreadable ones included, skipped ones not):
    /// what the next incremental scan can pass as [`HistoryOptions::skip_blobs`].
    pub scanned_blobs: Vec<Oid>,
}

/// Opens the repository at `path` or in one of its parents; a one-line error otherwise.
pub fn open(path: &Path) -> Result<Repository> {
    if std::fs::symlink_metadata(path).is_err() {
        bail!("{}: no such file or directory", path.display());
    }
    match Repository::discover(path) {
        Ok(repo) => {
            fix_gitlink_workdir(&repo, path);
            Ok(repo)
        }
        Err(e) => bail!(
            "{}: not a git repository ({})",
            path.display(),
            one_line(&e)
        ),
    }
}

/// Makes the work tree the one git uses when the repository was found through a `.git`
/// *file* (`gitdir: ...`: `git init --separate-git-dir`, `git clone --separate-git-dir`):
/// the folder holding that file. libgit2 takes the parent of the git directory instead, so
/// the wrong `.moodleleaks.toml` was read and `audit` scanned files outside the repository.
/// A `core.worktree` setting, which git honours first, is left to libgit2.
fn fix_gitlink_workdir(repo: &Repository, path: &Path) {
    if repo.is_bare()
        || repo
            .config()
            .is_ok_and(|c| c.get_path("core.worktree").is_ok())
    {
        return;
    }
    let Ok(start) = std::path::absolute(path) else {
        return;
    };
    let holder = start.ancestors().find(|dir| dir.join(".git").exists());
    let Some(holder) = holder else { return };
    if !holder.join(".git").is_file() {
        return;
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if repo.workdir().is_some_and(|w| !same(w, holder)) {
        let _ = repo.set_workdir(holder, false);
    }
}

/// Opens the repository the way git hands it to a hook: `GIT_DIR` (relative to the current
/// folder, as git reads it) names the git directory when set, and `GIT_WORK_TREE` its work
/// tree; otherwise the repository is discovered from `path` as [`open`] does. Git sets
/// `GIT_DIR` for hooks run in a linked worktree (`git worktree add`), so the hook must read
/// it (git's own rule: an explicit `GIT_DIR` wins over discovery; see git(1), ENVIRONMENT).
pub fn open_from_env(path: &Path) -> Result<Repository> {
    let Some(dir) = std::env::var_os("GIT_DIR").filter(|d| !d.is_empty()) else {
        return open(path);
    };
    let dir = PathBuf::from(dir);
    let repo = match Repository::open(&dir) {
        Ok(repo) => repo,
        Err(e) => bail!(
            "GIT_DIR={}: not a git directory ({})",
            dir.display(),
            one_line(&e)
        ),
    };
    if let Some(tree) = std::env::var_os("GIT_WORK_TREE").filter(|d| !d.is_empty()) {
        let tree = std::path::absolute(PathBuf::from(&tree))?;
        if let Err(e) = repo.set_workdir(&tree, false) {
            bail!(
                "GIT_WORK_TREE={}: cannot use it as the work tree ({})",
                tree.display(),
                one_line(&e)
            );
        }
    }
    Ok(repo)
}

/// The index a commit is about to be made from: the file git names in `GIT_INDEX_FILE`
/// (absolute, or relative to the work tree, where git runs hooks) when set, else the
/// repository's own index.
///
/// `git commit -a`, `git commit <path>` and `--amend` with paths build a temporary index
/// (`.git/index.lock`, `.git/next-index-*.lock`) and hand it to the pre-commit hook only
/// through this variable (githooks(5)); libgit2's `Repository::index` always reads
/// `.git/index`, so reading that instead would let the commit through unchecked.
pub fn commit_index(repo: &Repository) -> Result<git2::Index> {
    let Some(file) = std::env::var_os("GIT_INDEX_FILE").filter(|f| !f.is_empty()) else {
        return Ok(repo.index()?);
    };
    let file = root(repo).join(PathBuf::from(file));
    match git2::Index::open(&file) {
        Ok(index) if file.is_file() => Ok(index),
        Ok(_) => bail!("GIT_INDEX_FILE={}: no such index file", file.display()),
        Err(e) => bail!(
            "GIT_INDEX_FILE={}: cannot read the index ({})",
            file.display(),
            one_line(&e)
        ),
    }
}

/// The folder config is discovered in and paths are relative to: the work tree, or the git
/// directory of a bare repository.
pub fn root(repo: &Repository) -> PathBuf {
    repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf()
}

/// The commits to scan, oldest first, and the commits outside the selection whose trees
/// the selection is compared with (the parents at a range's boundary).
struct CommitPlan {
    commits: Vec<Oid>,
    base: Vec<Oid>,
}

/// Scans the history of `repo` as `opts` says.
pub fn scan(
    ctx: &ScanContext<'_>,
    repo: &Repository,
    opts: &HistoryOptions,
) -> Result<Vec<Finding>> {
    Ok(scan_history(ctx, repo, opts)?.findings)
}

/// Scans the history of `repo` as `opts` says and lists the blobs it read.
pub fn scan_history(
    ctx: &ScanContext<'_>,
    repo: &Repository,
    opts: &HistoryOptions,
) -> Result<HistoryScan> {
    tune_libgit2();
    let plan = plan(repo, opts)?;
    check_shallow(ctx, repo, opts, &plan.commits);
    if plan.commits.is_empty() {
        ctx.stats.note("no commits to scan");
        return Ok(HistoryScan {
            findings: Vec::new(),
            scanned_blobs: Vec::new(),
        });
    }
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let walked = git_walk::walk(
        ctx,
        repo,
        &WalkPlan {
            commits: &plan.commits,
            base: &plan.base,
            threads,
            progress: opts.progress,
            memo: opts.memo.as_deref(),
            skip_blobs: opts.skip_blobs.as_deref(),
            batch_blobs: std::env::var("MOODLELEAKS_GIT_BATCH_BLOBS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(git_walk::BATCH_BLOBS),
        },
    )?;
    ctx.stats.note(format!(
        "history: {} commits, {} distinct blobs",
        plan.commits.len(),
        walked.blobs_seen
    ));
    note_skips(ctx);
    let (findings, scanned_blobs) = git_attribute::attribute(
        ctx,
        repo,
        Attribution {
            commits: &plan.commits,
            walked,
        },
    );
    Ok(HistoryScan {
        findings,
        scanned_blobs,
    })
}

/// libgit2 here only walks commits and trees (blobs are read by gitoxide), each object
/// once. Its defaults suit random re-reads, not that: the object cache would hold every
/// tree (up to 256 MB) for nothing, and re-hashing each object it inflates (strict hash
/// verification, SHA-1 with collision detection) was a quarter of a history scan's time.
/// git itself does not re-hash objects it reads; a corrupt object still fails to inflate.
/// Its pack windows are capped too (default: the whole pack mapped and kept resident, while
/// gitoxide maps it again for the blobs): the windows it reads trees through are unmapped
/// past 32 MB, which keeps peak memory near one copy of the pack.
fn tune_libgit2() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        git2::opts::enable_caching(false);
        git2::opts::strict_hash_verification(false);
        // SAFETY: libgit2 global options, set once before any repository reads a pack
        // in this scan; the setters only store sizes.
        unsafe {
            let _ = git2::opts::set_mwindow_size(MWINDOW_SIZE);
            let _ = git2::opts::set_mwindow_mapped_limit(MWINDOW_MAPPED_LIMIT);
        }
    });
}

/// libgit2 pack window size and the cap on all mapped windows, in bytes.
const MWINDOW_SIZE: usize = 8 << 20;
const MWINDOW_MAPPED_LIMIT: usize = 32 << 20;

/// Says what history holds that was deliberately not scanned.
fn note_skips(ctx: &ScanContext<'_>) {
    let skipped = ctx.stats.summary(0, std::time::Duration::ZERO).skipped;
    let count = |reason: SkipReason| skipped.get(reason.as_str()).copied().unwrap_or(0);
    let submodules = count(SkipReason::Submodule);
    if submodules > 0 {
        ctx.stats.note(format!(
            "{submodules} submodule commits skipped: scan those repositories separately"
        ));
    }
    let lfs = count(SkipReason::GitLfsPointer);
    if lfs > 0 {
        ctx.stats.note(format!(
            "{lfs} Git LFS pointer files: their content is stored outside git and was not fetched or scanned"
        ));
    }
}

fn plan(repo: &Repository, opts: &HistoryOptions) -> Result<CommitPlan> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let is_range = matches!(opts.selection, Selection::Range { .. });
    match &opts.selection {
        Selection::All => {
            walk.push_glob("refs/*")?;
            // A detached HEAD may be on no ref; an unborn HEAD has nothing to push.
            if let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) {
                walk.push(head.id())?;
            }
        }
        Selection::Refs(refs) => {
            for r in refs {
                walk.push(resolve(repo, r, &format!("--branch {r}"))?)?;
            }
        }
        Selection::Range { option, base, tip } => {
            let tip = resolve(repo, tip, option)?;
            let base = match resolve(repo, base, option) {
                Ok(b) => b,
                Err(_) if repo.is_shallow() => bail!(
                    "{option}: base commit {base} is not in this shallow clone: fetch it \
                     (git fetch --deepen=N or git fetch --unshallow) or check out with fetch-depth: 0"
                ),
                Err(e) => return Err(e),
            };
            walk.push(tip)?;
            walk.hide(base)?;
        }
    }
    let mut commits = Vec::new();
    for oid in walk {
        match oid {
            Ok(oid) => commits.push(oid),
            Err(e) => bail!("cannot walk the commit graph: {}", one_line(&e)),
        }
    }
    if let Some(n) = opts.max_commits {
        let cut = commits.len().saturating_sub(n);
        commits.drain(..cut);
    }
    let base = if is_range || opts.max_commits.is_some() {
        boundary_parents(repo, &commits)
    } else {
        Vec::new()
    };
    Ok(CommitPlan { commits, base })
}

/// Parents of the selected commits that are not selected: what a range is compared with.
fn boundary_parents(repo: &Repository, commits: &[Oid]) -> Vec<Oid> {
    let selected: FxHashSet<Oid> = commits.iter().copied().collect();
    let mut base = Vec::new();
    let mut seen = FxHashSet::default();
    for oid in commits {
        let Ok(commit) = repo.find_commit(*oid) else {
            continue;
        };
        for parent in commit.parent_ids() {
            if !selected.contains(&parent) && seen.insert(parent) {
                base.push(parent);
            }
        }
    }
    base
}

fn resolve(repo: &Repository, rev: &str, option: &str) -> Result<Oid> {
    match repo.revparse_single(rev).and_then(|o| o.peel_to_commit()) {
        Ok(c) => Ok(c.id()),
        Err(e) => bail!("{option}: {rev}: not a commit here ({})", one_line(&e)),
    }
}

/// A shallow clone lacks old commits. Say so loudly; unless the user accepts it, count it as
/// an error so that a shallow scan without findings never passes as clean. A range whose
/// commits all lie above the shallow boundary is complete and only gets a note.
fn check_shallow(ctx: &ScanContext<'_>, repo: &Repository, opts: &HistoryOptions, commits: &[Oid]) {
    if !repo.is_shallow() {
        return;
    }
    let roots = shallow_roots(repo);
    let range_complete = matches!(opts.selection, Selection::Range { .. })
        && !commits.iter().any(|c| roots.contains(c));
    if range_complete {
        ctx.stats
            .note("shallow clone: the range lies entirely within the fetched history");
        return;
    }
    let what = "shallow clone: commits before the shallow boundary are missing, so this \
                history scan is incomplete; fetch the full history (git fetch --unshallow, or \
                fetch-depth: 0 in CI)";
    ctx.stats.note(what);
    if opts.allow_shallow {
        eprintln!("moodleleaks: warning: {what}");
    } else {
        ctx.stats.error(format!(
            "{what}, or pass --allow-shallow to accept a partial scan"
        ));
    }
}

fn shallow_roots(repo: &Repository) -> FxHashSet<Oid> {
    std::fs::read_to_string(repo.commondir().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

/// libgit2 messages can span lines; every error is one line.
pub fn one_line(e: &git2::Error) -> String {
    e.message().replace('\n', " ")
}

/// The first 12 hex digits of an object id, for messages.
pub fn short(oid: Oid) -> String {
    let mut s = oid.to_string();
    s.truncate(12);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Scanner;
    use crate::summary::Stats;
    use crate::suppress::Allowlist;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A config line with a synthetic wstoken derived from `label`.
    fn config_line(label: &str) -> String {
        let token = &crate::finding::sha256_hex(&["moodleleaks-unit", label])[..32];
        format!("<?php\n$wstoken = '{token}';\n")
    }

    fn scan_with(repo: &Repository, skip: Option<FxHashSet<Oid>>) -> HistoryScan {
        let scanner = Scanner::new(crate::rules::builtin().unwrap()).unwrap();
        let allowlist = Allowlist::default();
        let stats = Stats::default();
        let ctx = ScanContext {
            scanner: &scanner,
            allowlist: &allowlist,
            stats: &stats,
            max_file_size: 1 << 20,
            file_limit: None,
            archives: Some(crate::container::Limits::DEFAULT),
        };
        let opts = HistoryOptions {
            selection: Selection::All,
            max_commits: None,
            threads: 2,
            progress: false,
            allow_shallow: false,
            skip_blobs: skip.map(Arc::new),
            memo: None,
        };
        scan_history(&ctx, repo, &opts).unwrap()
    }

    #[test]
    fn skipped_blobs_are_not_read_and_scanned_blobs_are_listed() {
        let dir = tempfile::TempDir::new().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a.php"), config_line("skip-a")).unwrap();
        git(d, &["add", "-A"]);
        git(d, &["commit", "-qm", "a"]);
        // One packed commit and one loose: both reading paths are covered.
        git(d, &["repack", "-adq"]);
        std::fs::write(d.join("b.php"), config_line("skip-b")).unwrap();
        git(d, &["add", "-A"]);
        git(d, &["commit", "-qm", "b"]);
        let a = Oid::from_str(&git(d, &["rev-parse", "HEAD:a.php"])).unwrap();
        let b = Oid::from_str(&git(d, &["rev-parse", "HEAD:b.php"])).unwrap();
        let repo = Repository::open(d).unwrap();

        let full = scan_with(&repo, None);
        let paths: Vec<&str> = full.findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.len(), 2, "{paths:?}");
        let mut scanned = full.scanned_blobs.clone();
        scanned.sort();
        let mut want = vec![a, b];
        want.sort();
        assert_eq!(scanned, want);

        let incremental = scan_with(&repo, Some([a].into_iter().collect()));
        let paths: Vec<&str> = incremental
            .findings
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(paths, ["b.php"]);
        assert_eq!(incremental.scanned_blobs, [b]);
    }
}
