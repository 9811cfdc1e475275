//! The staged changes of a commit about to be made (the pre-commit path): the index compared
//! with HEAD (or with the empty tree before the first commit). Each changed file's staged
//! blob is read from the index, not the working tree (a file can be staged in one state and
//! edited after), scanned whole so file-level context works, and only findings on added
//! lines are kept.

use super::git::one_line;
use super::git_walk::{read_blob, Blob};
use super::ScanContext;
use crate::finding::Finding;
use crate::input::SkipReason;
use anyhow::{bail, Result};
use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Oid, Repository};
use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Which lines of a staged file are new.
#[derive(Debug, Default)]
enum Added {
    /// Every line (git has no line diff for it, e.g. a UTF-16 file it calls binary).
    #[default]
    All,
    Lines(FxHashSet<u32>),
}

impl Added {
    fn contains(&self, line: u32) -> bool {
        match self {
            Added::All => true,
            Added::Lines(set) => set.contains(&line),
        }
    }
}

/// A staged file to scan.
struct StagedFile {
    blob: Oid,
    mode: FileMode,
    added: Added,
    /// The blob HEAD has at the file's old path (a modified or renamed file).
    old: Option<Oid>,
}

/// Scans the lines the index adds relative to HEAD.
pub fn scan(ctx: &ScanContext<'_>, repo: &Repository) -> Result<Vec<Finding>> {
    if repo.is_bare() {
        bail!(
            "{}: a bare repository has no index to scan; use `moodleleaks git`",
            repo.path().display()
        );
    }
    let files = staged_files(repo)?;
    let odb = repo.odb()?;
    let objects = repo.commondir().join("objects");
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for (path, file) in files {
        match file.mode {
            FileMode::Link => {
                ctx.stats.skipped(SkipReason::Symlink);
                continue;
            }
            FileMode::Commit => {
                ctx.stats.skipped(SkipReason::Submodule);
                continue;
            }
            _ => {}
        }
        if ctx.allowlist.allows_path(&path) {
            continue;
        }
        let data = match read_blob(&odb, &objects, file.blob, ctx.max_file_size, &mut buf) {
            Ok(Blob::Data(data)) => data,
            Ok(Blob::TooLarge) => {
                ctx.stats.skipped(SkipReason::TooLarge);
                continue;
            }
            Err(e) => {
                ctx.stats
                    .error(format!("{path}: staged blob: {}", one_line(&e)));
                ctx.stats.skipped(SkipReason::Unreadable);
                continue;
            }
        };
        let found = ctx.scan_bytes(&path, data);
        // In an archive, "added" is by member: a secret its HEAD version held in the same
        // member is not new.
        let known = match file.old {
            Some(old) if found.iter().any(|f| f.member.is_some()) => {
                old_members(ctx, &odb, &objects, old, &path)
            }
            _ => FxHashSet::default(),
        };
        out.extend(found.into_iter().filter(|f| match &f.member {
            Some(_) => !known.contains(&(f.path.clone(), f.fingerprint.clone())),
            // A binary blob has no lines: its findings are its runs' (git marks its
            // change binary, all added, too).
            None => f.byte_offset.is_some() || file.added.contains(f.line),
        }));
    }
    Ok(out)
}

/// (path, fingerprint) of every finding in the members of HEAD's version `old` of the
/// archive at `path`, found quietly (the staged version's scan reports and counts).
fn old_members(
    ctx: &ScanContext<'_>,
    odb: &git2::Odb<'_>,
    objects: &std::path::Path,
    old: Oid,
    path: &str,
) -> FxHashSet<(String, String)> {
    let mut buf = Vec::new();
    let Ok(Blob::Data(data)) = read_blob(odb, objects, old, ctx.max_file_size, &mut buf) else {
        return FxHashSet::default();
    };
    let Some(kind) = crate::container::sniff(ctx, data) else {
        return FxHashSet::default();
    };
    let stats = crate::summary::Stats::default();
    let quiet = ScanContext {
        stats: &stats,
        ..*ctx
    };
    crate::container::scan_bytes_quietly(&quiet, path, data, kind)
        .into_iter()
        .map(|f| (f.path, f.fingerprint))
        .collect()
}

/// Staged files with their added lines, by path.
fn staged_files(repo: &Repository) -> Result<BTreeMap<String, StagedFile>> {
    let head = match repo.head() {
        Ok(h) => Some(h.peel_to_tree()?),
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
        Err(e) if e.code() == git2::ErrorCode::NotFound => None,
        Err(e) => bail!("HEAD: {}", one_line(&e)),
    };
    let index = super::git::commit_index(repo)?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0).ignore_submodules(false);
    let mut diff = repo.diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))?;
    // A renamed file is compared with its old self: renaming adds no secret.
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    let files: RefCell<BTreeMap<String, StagedFile>> = RefCell::default();
    let path_of = |d: &git2::DiffDelta<'_>| {
        d.new_file()
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    };
    let all_lines = |delta: git2::DiffDelta<'_>| {
        if let Some(path) = path_of(&delta) {
            if let Some(file) = files.borrow_mut().get_mut(&path) {
                file.added = Added::All;
            }
        }
    };
    diff.foreach(
        &mut |delta, _| {
            let new = delta.new_file();
            let keep = !matches!(delta.status(), Delta::Deleted) && !new.id().is_zero();
            if let (true, Some(path)) = (keep, path_of(&delta)) {
                let added = if delta.flags().is_binary() {
                    Added::All
                } else {
                    Added::Lines(FxHashSet::default())
                };
                let old = delta.old_file();
                let old = (!old.id().is_zero() && old.mode() != FileMode::Commit).then(|| old.id());
                files.borrow_mut().insert(
                    path,
                    StagedFile {
                        blob: new.id(),
                        mode: new.mode(),
                        added,
                        old,
                    },
                );
            }
            true
        },
        Some(&mut |delta, _| {
            all_lines(delta);
            true
        }),
        None,
        Some(&mut |delta, _hunk, line| {
            if let (Some(n), Some(path)) = (line.new_lineno(), path_of(&delta)) {
                if line.origin() == '+' {
                    if let Some(StagedFile {
                        added: Added::Lines(set),
                        ..
                    }) = files.borrow_mut().get_mut(&path)
                    {
                        set.insert(n);
                    }
                }
            }
            true
        }),
    )?;
    Ok(files.into_inner())
}
