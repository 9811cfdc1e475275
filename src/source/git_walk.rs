//! Walks the trees of the planned commits, oldest first, and scans each blob the first time
//! it is seen: one thread walks (skipping subtrees already seen, so unchanged folders cost
//! nothing), worker threads with their own `git2::Repository` read and match the blobs.

use super::git::{one_line, short};
use super::ScanContext;
use crate::finding::Finding;
use crate::input::{self, SkipReason};
use anyhow::Result;
use crossbeam_channel::{bounded, Receiver};
use flate2::read::ZlibDecoder;
use git2::{Oid, Repository};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rustc_hash::FxHashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Duration;

/// Git file modes (`git2::FileMode` as the raw integers tree entries carry).
const MODE_TREE: i32 = 0o040000;
const MODE_LINK: i32 = 0o120000;
const MODE_COMMIT: i32 = 0o160000;

/// What to walk.
pub struct WalkPlan<'a> {
    /// Commits to scan, oldest first.
    pub commits: &'a [Oid],
    /// Commits whose content counts as already known (a range's base): marked seen, not
    /// scanned.
    pub base: &'a [Oid],
    pub threads: usize,
    pub progress: bool,
    /// Incremental audits: blobs scanned before are not scanned again (their stored findings
    /// are reused) and blobs scanned now are recorded.
    pub memo: Option<&'a super::blob_memo::BlobMemo>,
}

/// A blob with findings, where it was first seen.
pub struct BlobHit {
    pub blob: Oid,
    /// Index into the planned commits of the commit that first holds the blob.
    pub commit: usize,
    pub path: String,
    pub findings: Vec<Finding>,
}

/// What the walk found and which blobs it covered.
pub struct Walked {
    pub hits: Vec<BlobHit>,
    /// Every blob seen in the planned commits or the base.
    pub seen_blobs: FxHashSet<Oid>,
    /// Blobs of the base commits (seen, never scanned).
    pub base_blobs: FxHashSet<Oid>,
    /// Distinct blobs seen in the planned commits.
    pub blobs_seen: usize,
}

/// A blob to scan.
struct Job {
    blob: Oid,
    commit: usize,
    path: String,
}

/// Walks every planned commit's tree and scans its new blobs in parallel.
pub fn walk(ctx: &ScanContext<'_>, repo: &Repository, plan: &WalkPlan<'_>) -> Result<Walked> {
    // One repository per worker, opened up front: a worker that cannot open its own would
    // leave the bounded channel full and the walk blocked.
    let mut repos = Vec::with_capacity(plan.threads);
    for _ in 0..plan.threads {
        repos.push(Repository::open(repo.path())?);
    }
    let mut seen = Seen::default();
    for oid in plan.base {
        let Ok(tree) = repo.find_commit(*oid).and_then(|c| c.tree()) else {
            continue;
        };
        let mut path = String::new();
        seen.walk_tree(ctx, repo, &tree, &mut path, usize::MAX, &mut |_| {});
    }
    let base_blobs = std::mem::take(&mut seen.base_new);

    let hits = Mutex::new(Vec::new());
    let found = AtomicU64::new(0);
    let progress = Progress::new(plan.progress, plan.commits.len() as u64);
    let blobs_before = seen.blobs.len();
    let mut reused = Vec::new();
    std::thread::scope(|s| {
        let (tx, rx) = bounded::<Job>(4096);
        for worker_repo in repos {
            let rx = rx.clone();
            let (hits, found) = (&hits, &found);
            let (commits, memo) = (plan.commits, plan.memo);
            s.spawn(move || scan_blobs(ctx, &worker_repo, commits, memo, rx, hits, found));
        }
        drop(rx);
        for (index, oid) in plan.commits.iter().enumerate() {
            match repo.find_commit(*oid).and_then(|c| c.tree()) {
                Ok(tree) => {
                    let mut path = String::new();
                    seen.walk_tree(ctx, repo, &tree, &mut path, index, &mut |job| {
                        if let Some(findings) = plan.memo.and_then(|m| m.reuse(job.blob, &job.path))
                        {
                            if !findings.is_empty() {
                                reused.push(BlobHit {
                                    blob: job.blob,
                                    commit: job.commit,
                                    path: job.path,
                                    findings,
                                });
                            }
                            return;
                        }
                        // A send fails only when every worker is gone; nothing to scan then.
                        let _ = tx.send(job);
                    });
                }
                Err(e) => ctx
                    .stats
                    .error(format!("commit {}: {}", short(*oid), one_line(&e))),
            }
            progress.commit(ctx, &found);
        }
        drop(tx);
    });
    progress.done();
    let blobs_seen = seen.blobs.len() - blobs_before;
    let mut hits = hits.into_inner().unwrap_or_default();
    hits.append(&mut reused);
    Ok(Walked {
        hits,
        seen_blobs: seen.blobs,
        base_blobs,
        blobs_seen,
    })
}

/// Objects already walked: a tree seen once is never walked again, a blob never rescanned.
#[derive(Default)]
struct Seen {
    trees: FxHashSet<Oid>,
    blobs: FxHashSet<Oid>,
    others: FxHashSet<Oid>,
    /// Blobs recorded while walking the base (commit index `usize::MAX`).
    base_new: FxHashSet<Oid>,
}

impl Seen {
    /// Walks `tree` under `path`, calling `emit` for each blob not seen before. Commit index
    /// `usize::MAX` means a base commit: blobs are recorded as base, not emitted.
    fn walk_tree(
        &mut self,
        ctx: &ScanContext<'_>,
        repo: &Repository,
        tree: &git2::Tree<'_>,
        path: &mut String,
        commit: usize,
        emit: &mut dyn FnMut(Job),
    ) {
        let is_base = commit == usize::MAX;
        for entry in tree.iter() {
            let id = entry.id();
            let mode = entry.filemode();
            let len = path.len();
            match mode {
                MODE_TREE => {
                    if !self.trees.insert(id) {
                        continue;
                    }
                    path.push_str(&String::from_utf8_lossy(entry.name_bytes()));
                    match repo.find_tree(id) {
                        Ok(sub) => {
                            path.push('/');
                            self.walk_tree(ctx, repo, &sub, path, commit, emit);
                        }
                        Err(e) => {
                            ctx.stats
                                .error(format!("{path}: tree {}: {}", short(id), one_line(&e)))
                        }
                    }
                }
                MODE_COMMIT | MODE_LINK => {
                    // Submodules are other repositories; symlinks hold a target, not content.
                    if self.others.insert(id) && !is_base {
                        ctx.stats.skipped(if mode == MODE_COMMIT {
                            SkipReason::Submodule
                        } else {
                            SkipReason::Symlink
                        });
                    }
                }
                _ => {
                    if self.blobs.contains(&id) {
                        continue;
                    }
                    path.push_str(&String::from_utf8_lossy(entry.name_bytes()));
                    if is_base {
                        self.blobs.insert(id);
                        self.base_new.insert(id);
                    } else if !ctx.allowlist.allows_path(path) {
                        // An allowlisted path leaves the blob unseen: the same content at
                        // another path is still scanned.
                        self.blobs.insert(id);
                        emit(Job {
                            blob: id,
                            commit,
                            path: path.clone(),
                        });
                    }
                }
            }
            path.truncate(len);
        }
    }
}

/// A worker: reads each blob (its size first, so a huge blob is never loaded) and scans it.
fn scan_blobs(
    ctx: &ScanContext<'_>,
    repo: &Repository,
    commits: &[Oid],
    memo: Option<&super::blob_memo::BlobMemo>,
    jobs: Receiver<Job>,
    hits: &Mutex<Vec<BlobHit>>,
    found: &AtomicU64,
) {
    let odb = match repo.odb() {
        Ok(odb) => odb,
        Err(e) => {
            ctx.stats
                .error(format!("cannot read objects: {}", one_line(&e)));
            return;
        }
    };
    let objects_dir = repo.commondir().join("objects");
    let mut buf = Vec::new();
    for job in jobs {
        let failed = |e: git2::Error| {
            ctx.stats.error(format!(
                "{} (blob {} in commit {}): {}",
                job.path,
                short(job.blob),
                short(commits[job.commit]),
                one_line(&e)
            ));
            ctx.stats.skipped(SkipReason::Unreadable);
        };
        let findings = match read_blob(&odb, &objects_dir, job.blob, ctx.max_file_size, &mut buf) {
            Ok(Blob::TooLarge) => {
                ctx.stats.skipped(SkipReason::TooLarge);
                continue;
            }
            Ok(Blob::Data(data)) if input::is_lfs_pointer(data) => {
                ctx.stats.skipped(SkipReason::GitLfsPointer);
                continue;
            }
            Ok(Blob::Data(data)) => ctx.scan_bytes(&job.path, data),
            Err(e) => {
                failed(e);
                continue;
            }
        };
        if let Some(memo) = memo {
            memo.record(job.blob, &job.path, &findings);
        }
        if !findings.is_empty() {
            found.fetch_add(findings.len() as u64, Relaxed);
            hits.lock().expect("hits lock").push(BlobHit {
                blob: job.blob,
                commit: job.commit,
                path: job.path,
                findings,
            });
        }
    }
}

/// A blob's content, or the news that it is over the size limit.
pub enum Blob<'a> {
    Data(&'a [u8]),
    TooLarge,
}

/// Reads a blob, checking its size before loading it. Loose objects are inflated here:
/// libgit2 (1.9) loops forever inflating a truncated loose object, and a corrupt object must
/// be one error line, not a hung scan. Packed objects are read by libgit2 after a header
/// check.
pub fn read_blob<'a>(
    odb: &git2::Odb<'_>,
    objects_dir: &Path,
    oid: Oid,
    max_size: u64,
    buf: &'a mut Vec<u8>,
) -> Result<Blob<'a>, git2::Error> {
    let hex = oid.to_string();
    if let Ok(file) = File::open(objects_dir.join(&hex[..2]).join(&hex[2..])) {
        return read_loose(file, max_size, buf).map_err(|e| git2::Error::from_str(&e));
    }
    let (size, _) = odb.read_header(oid)?;
    if size as u64 > max_size {
        return Ok(Blob::TooLarge);
    }
    let object = odb.read(oid)?;
    buf.clear();
    buf.extend_from_slice(object.data());
    Ok(Blob::Data(buf.as_slice()))
}

/// A loose object is zlib-compressed `<type> <size>\0<content>`.
fn read_loose(file: File, max_size: u64, buf: &mut Vec<u8>) -> Result<Blob<'_>, String> {
    let mut z = ZlibDecoder::new(BufReader::new(file));
    let mut header = Vec::with_capacity(32);
    let mut byte = [0u8; 1];
    loop {
        z.read_exact(&mut byte)
            .map_err(|e| format!("corrupt loose object: {e}"))?;
        if byte[0] == 0 {
            break;
        }
        if header.len() >= 32 {
            return Err("corrupt loose object: no header".into());
        }
        header.push(byte[0]);
    }
    let size: u64 = std::str::from_utf8(&header)
        .ok()
        .and_then(|h| h.strip_prefix("blob "))
        .and_then(|n| n.parse().ok())
        .ok_or("corrupt loose object: bad header")?;
    if size > max_size {
        return Ok(Blob::TooLarge);
    }
    buf.clear();
    let read = (&mut z).take(size).read_to_end(buf);
    if let Err(e) = read {
        return Err(format!("corrupt loose object: {e}"));
    }
    if buf.len() as u64 != size {
        return Err(format!(
            "corrupt loose object: truncated at {} of {size} bytes",
            buf.len()
        ));
    }
    Ok(Blob::Data(buf.as_slice()))
}

/// The progress bar on stderr: drawn only when stderr is a terminal and not turned off.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(enabled: bool, commits: u64) -> Progress {
        if !enabled {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(commits), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] commits {pos}/{len} {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(Some(bar))
    }

    fn commit(&self, ctx: &ScanContext<'_>, found: &AtomicU64) {
        let Some(bar) = &self.0 else {
            return;
        };
        bar.inc(1);
        if bar.position() % 64 == 0 || Some(bar.position()) == bar.length() {
            bar.set_message(format!(
                "· blobs {} · {:.1} MB · findings {}",
                ctx.stats.files_scanned.load(Relaxed),
                ctx.stats.bytes_scanned.load(Relaxed) as f64 / 1e6,
                found.load(Relaxed)
            ));
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
