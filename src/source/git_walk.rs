//! Reads the blobs of the planned commits, each distinct blob exactly once, the way git's
//! own tools do:
//!
//! 1. **Enumerate** (one thread, libgit2): walk every planned commit's tree, oldest first,
//!    skipping subtrees already seen, so unchanged folders cost nothing. Each new blob gets a
//!    compact record (object id, first commit index, interned path id): no blob content and
//!    no per-blob strings are held.
//! 2. **Read in pack order** (gitoxide): each pack is traversed along a delta tree of the
//!    wanted blobs and their bases only ([`git_pack`](super::git_pack)), so every base is
//!    inflated once per batch and every delta applied once, in bounded memory; wanted blobs
//!    are matched as they are decoded. While the enumeration goes on, a second thread reads
//!    the blobs enumerated so far, a batch at a time (a batch is handed over whenever that
//!    thread is idle, see [`BATCH_BLOBS`]), so both cores work from the start; the last batch is read on all
//!    threads once the enumeration ends.
//! 3. **Leftovers** (all cores, libgit2): blobs no pack held (loose objects, alternates) or
//!    that a pack could not decode are read one by one; a missing or corrupt object is one
//!    error line and the scan goes on.

use super::git::{one_line, short};
use super::git_pack::Pack;
use super::ScanContext;
use crate::finding::Finding;
use crate::input::{self, SkipReason};
use anyhow::Result;
use crossbeam_channel::{bounded, Receiver};
use flate2::read::ZlibDecoder;
use git2::{Oid, Repository};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Duration;

/// Git file modes (`git2::FileMode` as the raw integers tree entries carry).
const MODE_TREE: i32 = 0o040000;
const MODE_LINK: i32 = 0o120000;
const MODE_COMMIT: i32 = 0o160000;

/// Decoded objects above this size abort a pack traversal (the rest is then read blob by
/// blob, where the size is checked before loading): memory stays bounded even for a
/// repository with a multi-gigabyte blob. Never below the scan's own size limit.
const TRAVERSAL_ALLOC_LIMIT: u64 = 256 << 20;

/// What to walk.
pub struct WalkPlan<'a> {
    /// Commits to scan, oldest first.
    pub commits: &'a [Oid],
    /// Commits whose content counts as already known (a range's base): marked seen, not
    /// scanned.
    pub base: &'a [Oid],
    pub threads: usize,
    pub progress: bool,
    /// Blobs already scanned elsewhere (an earlier incremental audit): marked seen, never
    /// read or scanned again.
    pub skip_blobs: Option<&'a FxHashSet<Oid>>,
    /// Incremental audits: a blob scanned before at the same path is not read again (its
    /// stored findings are reused), and blobs scanned now are recorded.
    pub memo: Option<&'a super::blob_memo::BlobMemo>,
    /// How many enumerated blobs make a batch for the background reader (see
    /// [`BATCH_BLOBS`]); results never depend on it.
    pub batch_blobs: usize,
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
    /// The blobs this walk read and matched (or tried to: unreadable ones included), in no
    /// particular order; the skip set of a later incremental scan.
    pub scanned_blobs: Vec<Oid>,
}

/// The blobs to read: one compact record per distinct blob, in first-seen order.
#[derive(Default)]
struct Wanted {
    ids: Vec<Oid>,
    /// Per blob: the commit index that first holds it and its path id there.
    first: Vec<(u32, u32)>,
    paths: Paths,
}

impl Wanted {
    fn push(&mut self, blob: Oid, commit: usize, path: &str) {
        self.ids.push(blob);
        let path = self.paths.intern(path);
        self.first.push((commit as u32, path));
    }

    fn path(&self, i: usize) -> &str {
        &self.paths.list[self.first[i].1 as usize]
    }

    fn commit(&self, i: usize) -> usize {
        self.first[i].0 as usize
    }
}

/// Interned paths: a file's many versions share one string.
#[derive(Default)]
struct Paths {
    ids: FxHashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Paths {
    fn intern(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(path.into());
        self.ids.insert(path.into(), id);
        id
    }
}

/// Enumerates, then reads and scans, every new blob of the planned commits.
pub fn walk(ctx: &ScanContext<'_>, repo: &Repository, plan: &WalkPlan<'_>) -> Result<Walked> {
    let progress = Progress::new(plan.progress, plan.commits.len() as u64);
    let mut seen = Seen::default();
    for oid in plan.base {
        let Ok(tree) = repo.find_commit(*oid).and_then(|c| c.tree()) else {
            continue;
        };
        let mut path = String::new();
        seen.walk_tree(ctx, repo, &tree, &mut path, usize::MAX, &mut |_, _, _| {});
    }
    let base_blobs = std::mem::take(&mut seen.base_new);
    let blobs_before = seen.blobs.len();

    let objects = repo.commondir().join("objects");
    let packs = packs(&objects);
    let reading = Reading {
        ctx,
        commits: plan.commits,
        progress: &progress,
        memo: plan.memo,
        objects: &objects,
        packs: &packs,
        repo: repo.path(),
    };
    let mut reused = Vec::new();
    let mut scanned_blobs = Vec::new();
    let mut hits = Vec::new();
    let blobs_seen = std::thread::scope(|s| -> Result<usize> {
        // While this thread enumerates (libgit2, one thread), a second reads and scans
        // the blobs enumerated so far, a batch at a time: a batch is handed over when the
        // reader is idle and it holds at least BATCH_BLOBS blobs, so both cores work
        // during the enumeration. The last batch is read on all threads.
        let (batches, next_batch) = bounded::<Wanted>(0);
        let background = (plan.threads > 1).then(|| {
            let reading = &reading;
            s.spawn(move || -> Result<Vec<(Vec<BlobHit>, Vec<Oid>)>> {
                next_batch
                    .iter()
                    .map(|batch| reading.read(batch, plan.threads - 1))
                    .collect()
            })
        });
        let mut wanted = Wanted::default();
        for (index, oid) in plan.commits.iter().enumerate() {
            match repo.find_commit(*oid).and_then(|c| c.tree()) {
                Ok(tree) => {
                    let mut path = String::new();
                    seen.walk_tree(ctx, repo, &tree, &mut path, index, &mut |blob, c, p| {
                        // The one place an incremental scan's skip set applies: the blob
                        // counts as seen (attribution treats it as scanned) but is never read.
                        if plan.skip_blobs.is_some_and(|skip| skip.contains(&blob)) {
                            return;
                        }
                        match plan.memo.and_then(|m| m.reuse(blob, p)) {
                            Some(findings) if !findings.is_empty() => reused.push(BlobHit {
                                blob,
                                commit: c,
                                path: p.to_string(),
                                findings,
                            }),
                            Some(_) => {}
                            None => wanted.push(blob, c, p),
                        }
                    });
                }
                Err(e) => ctx
                    .stats
                    .error(format!("commit {}: {}", short(*oid), one_line(&e))),
            }
            progress.commit();
            if background.is_some() && wanted.ids.len() >= plan.batch_blobs.max(1) {
                // Handed over only to an idle reader (a rendezvous channel).
                if let Err(e) = batches.try_send(std::mem::take(&mut wanted)) {
                    wanted = e.into_inner();
                }
            }
        }
        drop(batches);
        // The tree set is the largest structure of the walk; it is not needed to read blobs.
        drop(std::mem::take(&mut seen.trees));
        let blobs_seen = seen.blobs.len() - blobs_before;
        if let Some(background) = background {
            let read = background
                .join()
                .map_err(|_| anyhow::anyhow!("the blob reader stopped"))??;
            for (batch_hits, ids) in read {
                hits.extend(batch_hits);
                scanned_blobs.extend(ids);
            }
        }
        progress.blobs(progress.read() + wanted.ids.len() as u64);
        let (batch_hits, ids) = reading.read(wanted, plan.threads)?;
        hits.extend(batch_hits);
        scanned_blobs.extend(ids);
        Ok(blobs_seen)
    })?;
    progress.done();
    hits.append(&mut reused);
    Ok(Walked {
        hits,
        seen_blobs: seen.blobs,
        base_blobs,
        blobs_seen,
        scanned_blobs,
    })
}

/// How many enumerated blobs make a batch worth reading while the enumeration goes on:
/// each batch traverses the packs once, and a base that blobs of two batches need is
/// inflated by both. On laravel/framework's history 8,192 and 32,768 took the same time
/// (11.4–12.6 s); the smaller holds less memory. `MOODLELEAKS_GIT_BATCH_BLOBS` overrides
/// it (the tests make batches of a few blobs).
pub const BATCH_BLOBS: usize = 8192;

/// What reading a batch of blobs needs, shared by the threads that read batches.
struct Reading<'a> {
    ctx: &'a ScanContext<'a>,
    commits: &'a [Oid],
    progress: &'a Progress,
    memo: Option<&'a super::blob_memo::BlobMemo>,
    objects: &'a Path,
    /// The pack index files, largest pack first.
    packs: &'a [PathBuf],
    /// The repository's git directory, opened anew by each leftover reader.
    repo: &'a Path,
}

impl Reading<'_> {
    /// Reads and scans the blobs of `wanted` on `threads` threads: from each pack, then the
    /// leftovers one by one. Its hits and the blobs it read (or tried to).
    fn read(&self, wanted: Wanted, threads: usize) -> Result<(Vec<BlobHit>, Vec<Oid>)> {
        if wanted.ids.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let reader = Reader {
            ctx: self.ctx,
            wanted: &wanted,
            commits: self.commits,
            done: (0..wanted.ids.len())
                .map(|_| AtomicBool::new(false))
                .collect(),
            hits: Mutex::new(Vec::new()),
            progress: self.progress,
            memo: self.memo,
        };
        for pack in self.packs {
            reader.read_pack(pack, threads);
        }
        reader.read_leftovers(self.repo, self.objects, threads)?;
        let hits = reader.hits.into_inner().unwrap_or_default();
        Ok((hits, wanted.ids))
    }
}

/// The index files of the repository's own packs, largest pack first.
fn packs(objects: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(objects.join("pack")) else {
        return Vec::new();
    };
    let mut out: Vec<(u64, PathBuf)> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .map(|p| {
            let size = std::fs::metadata(p.with_extension("pack")).map_or(0, |m| m.len());
            (size, p)
        })
        .collect();
    out.sort_by(|a, b| b.cmp(a));
    out.into_iter().map(|(_, p)| p).collect()
}

/// Reads wanted blobs and scans each once, whichever path it comes by.
struct Reader<'a> {
    ctx: &'a ScanContext<'a>,
    wanted: &'a Wanted,
    commits: &'a [Oid],
    /// Per wanted blob: already read (from a pack or one by one).
    done: Vec<AtomicBool>,
    hits: Mutex<Vec<BlobHit>>,
    progress: &'a Progress,
    memo: Option<&'a super::blob_memo::BlobMemo>,
}

impl Reader<'_> {
    /// Claims wanted blob `i`: true the first time only (a blob can sit in several packs).
    fn claim(&self, i: usize) -> bool {
        !self.done[i].swap(true, Relaxed)
    }

    /// Scans the content of wanted blob `i`.
    fn scan(&self, i: usize, data: &[u8]) {
        self.progress.blob();
        if data.len() as u64 > self.ctx.max_file_size {
            self.ctx.stats.skipped(SkipReason::TooLarge);
            return;
        }
        if input::is_lfs_pointer(data) {
            self.ctx.stats.skipped(SkipReason::GitLfsPointer);
            return;
        }
        let path = self.wanted.path(i);
        let findings = self.ctx.scan_bytes(path, data);
        if let Some(memo) = self.memo {
            memo.record(self.wanted.ids[i], path, &findings);
        }
        if !findings.is_empty() {
            self.hits.lock().expect("hits lock").push(BlobHit {
                blob: self.wanted.ids[i],
                commit: self.wanted.commit(i),
                path: path.to_string(),
                findings,
            });
        }
    }

    /// Reads the wanted blobs `idx`'s pack holds, in pack order on `threads` threads (see
    /// [`git_pack`](super::git_pack)), scanning each as it is decoded. A pack that cannot be
    /// opened, and blobs it cannot decode, are left to
    /// [`read_leftovers`](Self::read_leftovers), which reports unreadable blobs one by one.
    fn read_pack(&self, idx: &Path, threads: usize) {
        let Some(pack) = Pack::open(idx) else {
            return;
        };
        let located = pack.locate(
            self.wanted
                .ids
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.done[*i].load(Relaxed))
                .map(|(i, id)| (i as u32, id.as_bytes())),
        );
        let limit = TRAVERSAL_ALLOC_LIMIT.max(self.ctx.max_file_size);
        pack.read_blobs(
            &located,
            threads,
            usize::try_from(limit).unwrap_or(usize::MAX),
            &|i, data| {
                if self.claim(i as usize) {
                    self.scan(i as usize, data);
                }
            },
        );
    }

    /// Reads the wanted blobs no pack traversal delivered, one by one with libgit2 on
    /// `threads` threads (each with its own repository handle).
    fn read_leftovers(&self, repo: &Path, objects: &Path, threads: usize) -> Result<()> {
        let left: Vec<usize> = (0..self.done.len())
            .filter(|i| !self.done[*i].load(Relaxed))
            .collect();
        if left.is_empty() {
            return Ok(());
        }
        // One repository per worker, opened up front: a worker that cannot open its own
        // would leave the bounded channel full and the walk blocked.
        let mut repos = Vec::with_capacity(threads);
        for _ in 0..threads.min(left.len()) {
            repos.push(Repository::open(repo)?);
        }
        std::thread::scope(|s| {
            let (tx, rx) = bounded::<usize>(1024);
            for worker_repo in repos {
                let rx = rx.clone();
                s.spawn(move || self.read_one_by_one(&worker_repo, objects, rx));
            }
            drop(rx);
            for i in left {
                // A send fails only when every worker is gone; nothing to read then.
                let _ = tx.send(i);
            }
        });
        Ok(())
    }

    /// A leftover worker: reads each blob (its size first, so a huge blob is never loaded).
    fn read_one_by_one(&self, repo: &Repository, objects: &Path, jobs: Receiver<usize>) {
        let ctx = self.ctx;
        let odb = match repo.odb() {
            Ok(odb) => odb,
            Err(e) => {
                ctx.stats
                    .error(format!("cannot read objects: {}", one_line(&e)));
                return;
            }
        };
        let mut buf = Vec::new();
        for i in jobs {
            if !self.claim(i) {
                continue;
            }
            let blob = self.wanted.ids[i];
            match read_blob(&odb, objects, blob, ctx.max_file_size, &mut buf) {
                Ok(Blob::TooLarge) => {
                    self.progress.blob();
                    ctx.stats.skipped(SkipReason::TooLarge);
                }
                Ok(Blob::Data(data)) => self.scan(i, data),
                Err(e) => {
                    self.progress.blob();
                    ctx.stats.error(format!(
                        "{} (blob {} in commit {}): {}",
                        self.wanted.path(i),
                        short(blob),
                        short(self.commits[self.wanted.commit(i)]),
                        one_line(&e)
                    ));
                    ctx.stats.skipped(SkipReason::Unreadable);
                }
            }
        }
    }
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
        emit: &mut dyn FnMut(Oid, usize, &str),
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
                        emit(id, commit, path);
                    }
                }
            }
            path.truncate(len);
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

/// The progress bar on stderr: drawn only when stderr is a terminal and not turned off. It
/// counts commits while they are enumerated, then blobs; blobs read meanwhile (by the
/// background reader) are counted and shown once it switches.
struct Progress {
    bar: Option<ProgressBar>,
    /// Blobs read so far.
    read: AtomicU64,
    /// Whether the bar counts blobs.
    counting_blobs: AtomicBool,
}

impl Progress {
    fn new(enabled: bool, commits: u64) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(commits), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] commits {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            // Drawn at once: the commit phase can be over before the first steady tick.
            bar.tick();
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            read: AtomicU64::new(0),
            counting_blobs: AtomicBool::new(false),
        }
    }

    fn commit(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// How many blobs were read so far.
    fn read(&self) -> u64 {
        self.read.load(Relaxed)
    }

    /// Switches from counting commits to counting the `total` blobs to read.
    fn blobs(&self, total: u64) {
        if let Some(bar) = &self.bar {
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] blobs {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_length(total);
            bar.set_position(self.read());
            self.counting_blobs.store(true, Relaxed);
        }
    }

    fn blob(&self) {
        self.read.fetch_add(1, Relaxed);
        if let Some(bar) = self
            .bar
            .as_ref()
            .filter(|_| self.counting_blobs.load(Relaxed))
        {
            bar.inc(1);
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
