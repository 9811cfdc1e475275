//! `moodleleaks audit`: the files and the whole history of one or many repositories, as one
//! rotation report. This is the auditor's view: every secret once, with every place it
//! appears, most urgent first.
//!
//! Repositories come from paths, git URLs, `--repos-file` and organisation enumeration
//! ([`crate::forge`]); `--shard` keeps this machine's share ([`crate::shard`]); remote ones
//! are cloned or fetched into the cache ([`crate::source::remote`]) in parallel; then each is
//! audited, incrementally when a scan cache is kept ([`crate::source::blob_memo`]).

use crate::app::{finish_as, Setup};
use crate::cli::AuditArgs;
use crate::finding::Finding;
use crate::report::View;
use crate::rules::{self, Rule};
use crate::source::blob_memo::{self, BlobMemo};
use crate::source::fs::{self, WalkOptions};
use crate::source::git::{self, HistoryOptions, Selection};
use crate::source::remote::{self, RepoSpec, Synced};
use crate::summary::Stats;
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What one repository's audit gives: its position in the list, its findings, its rules.
type Audited = (usize, Vec<Finding>, Vec<Rule>);

/// One repository ready to audit: where it is on disk and how reports name it.
struct Target {
    /// The local repository, or the bare mirror of a remote one.
    path: PathBuf,
    /// How reports name it: the path as given, or the remote's `host/owner/repo`.
    name: String,
    /// The incremental scan cache of this repository, when one is kept.
    memo_file: Option<PathBuf>,
}

/// Counts the incremental walk reports in the summary.
#[derive(Default)]
struct BlobCounts {
    scanned: AtomicU64,
    reused: AtomicU64,
}

/// Audits every repository named and writes one report.
pub fn run(args: AuditArgs) -> Result<i32> {
    let start = Instant::now();
    let stats = Stats::default();
    let mut specs = repositories(&args)?;
    let enumerated = crate::forge::enumerate(&args.forge, &stats);
    let enumerating = crate::forge::requested(&args.forge);
    specs.extend(enumerated);
    if specs.is_empty() && !enumerating {
        specs.push(RepoSpec::Local(PathBuf::from(".")));
    }
    // The same repository named twice (or by https and ssh) is audited once.
    let mut identities = HashSet::new();
    specs.retain(|s| identities.insert(s.identity()));
    let total = specs.len();
    if let Some(shard) = args.shard {
        specs.retain(|s| shard.owns(&s.identity()));
        stats.note(format!(
            "shard {}/{}: {} of {total} repositories",
            shard.index,
            shard.count,
            specs.len()
        ));
    }
    // Paths are prefixed whenever the whole list has several repositories, sharded or not, so
    // that shard reports merge into exactly the unsharded report.
    let several = total > 1;
    let targets = prepare(&args, specs, &stats)?;
    let results: Mutex<Vec<Audited>> = Mutex::new(Vec::new());
    let counts = BlobCounts::default();
    let next = AtomicUsize::new(0);
    let workers = if targets.len() > 1 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(targets.len()))
    } else {
        1
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(target) = targets.get(i) else { break };
                let progress = targets.len() == 1;
                match audit_one(target, several, &args, &stats, &counts, progress) {
                    Ok((findings, rules)) => results
                        .lock()
                        .expect("audit results")
                        .push((i, findings, rules)),
                    // One unreadable repository must not stop an organisation-wide audit;
                    // the error is counted, so the run cannot pass as clean.
                    Err(e) => stats.error(format!("{e:#}")),
                }
            });
        }
    });
    if targets.iter().any(|t| t.memo_file.is_some()) {
        stats.note(format!(
            "incremental: {} blobs scanned, {} already scanned in an earlier audit",
            counts.scanned.load(Ordering::Relaxed),
            counts.reused.load(Ordering::Relaxed)
        ));
    }
    let mut results = results.into_inner().expect("audit results");
    results.sort_by_key(|(i, _, _)| *i);
    let rules = match results.first() {
        Some((_, _, rules)) => rules.clone(),
        None => rules::builtin()?,
    };
    let findings: Vec<Finding> = results.into_iter().flat_map(|(_, f, _)| f).collect();
    finish_as(
        View::Rotation,
        &args.common,
        &rules,
        findings,
        &stats,
        start,
    )
}

/// The repositories named: arguments, then `--repos-file` lines.
fn repositories(args: &AuditArgs) -> Result<Vec<RepoSpec>> {
    let mut names = args.repos.clone();
    if let Some(file) = &args.repos_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read repository list", file.display()))?;
        let before = names.len();
        names.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from),
        );
        if names.len() == before {
            bail!("{}: lists no repository", file.display());
        }
    }
    names.iter().map(|n| RepoSpec::parse(n)).collect()
}

/// Clones or fetches the remote repositories (at most `--clone-jobs` at once, a progress bar
/// on a terminal) and decides where each repository's scan cache lives. A repository that
/// cannot be cloned is one counted error line; the others go on.
fn prepare(args: &AuditArgs, specs: Vec<RepoSpec>, stats: &Stats) -> Result<Vec<Target>> {
    let any_remote = specs.iter().any(|s| matches!(s, RepoSpec::Remote(_)));
    let cache_dir = match &args.cache_dir {
        Some(d) => Some(d.clone()),
        None if any_remote => Some(remote::default_cache_dir()?),
        None => None,
    };
    let memo_for = |identity: &str| {
        cache_dir.as_ref().map(|d| {
            let hash = crate::finding::sha256_hex(&[identity]);
            d.join("scans").join(format!("{}.json", &hash[..24]))
        })
    };
    let remotes = specs
        .iter()
        .filter(|s| matches!(s, RepoSpec::Remote(_)))
        .count();
    let bar = clone_progress(args, remotes as u64);
    let slots: Vec<Mutex<Option<Target>>> = specs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let (cloned, fetched) = (AtomicU64::new(0), AtomicU64::new(0));
    let jobs = (args.clone_jobs as usize).min(specs.len()).max(1);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = specs.get(i) else { break };
                let target = match spec {
                    RepoSpec::Local(path) => Target {
                        path: path.clone(),
                        name: display_prefix(path),
                        // Local audits write nothing unless a cache folder was asked for.
                        memo_file: args.cache_dir.as_ref().and(memo_for(&spec.identity())),
                    },
                    RepoSpec::Remote(url) => {
                        let dir = cache_dir.as_deref().expect("a cache folder for remotes");
                        let mirror = remote::mirror_path(dir, url);
                        if let Some(bar) = &bar {
                            bar.set_message(spec.display());
                        }
                        let synced = remote::sync(url, &mirror);
                        if let Some(bar) = &bar {
                            bar.inc(1);
                        }
                        match synced {
                            Ok(Synced::Cloned) => cloned.fetch_add(1, Ordering::Relaxed),
                            Ok(Synced::Fetched) => fetched.fetch_add(1, Ordering::Relaxed),
                            Err(e) => {
                                stats.error(format!("{e:#}"));
                                continue;
                            }
                        };
                        Target {
                            path: mirror,
                            name: spec.identity(),
                            memo_file: memo_for(&spec.identity()),
                        }
                    }
                };
                *slots[i].lock().expect("target slot") = Some(target);
            });
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if remotes > 0 {
        let (cloned, fetched) = (cloned.into_inner(), fetched.into_inner());
        stats.note(format!(
            "remote repositories: {cloned} cloned, {fetched} fetched, {} failed",
            remotes as u64 - cloned - fetched
        ));
    }
    Ok(slots
        .into_iter()
        .filter_map(|s| s.into_inner().expect("target slot"))
        .collect())
}

/// The clone progress bar: only on a terminal, only when nobody turned progress off.
fn clone_progress(args: &AuditArgs, remotes: u64) -> Option<ProgressBar> {
    if remotes == 0 || !args.history.progress(&args.common) {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(remotes), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} cloning {pos}/{len} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

/// How a repository's paths are prefixed in a report over several: as it was named.
fn display_prefix(repo: &Path) -> String {
    let shown = fs::display_path(repo, None);
    let trimmed = shown.trim_end_matches('/');
    if trimmed.is_empty() {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Files at HEAD's work tree (when there is one) and the whole history of one repository.
fn audit_one(
    target: &Target,
    several: bool,
    args: &AuditArgs,
    stats: &Stats,
    counts: &BlobCounts,
    progress: bool,
) -> Result<(Vec<Finding>, Vec<Rule>)> {
    let repo = git::open(&target.path)?;
    let root = git::root(&repo);
    let setup = Setup::new(&args.common, &root)?;
    let ctx = setup.context(stats, &args.common);
    let scanner_key = blob_memo::scanner_key(
        setup.scanner.rules(),
        &(&setup.config.allowlist, ctx.archives),
        ctx.max_file_size,
    );
    let loaded = match &target.memo_file {
        Some(file) if !args.full => Some(blob_memo::load(file, &scanner_key)),
        Some(_) => Some(blob_memo::Loaded {
            memo: BlobMemo::default(),
            reported: None,
        }),
        None => None,
    };
    let (memo, reported) = match loaded {
        Some(l) => (Some(Arc::new(l.memo)), l.reported),
        None => (None, None),
    };
    let mut findings = Vec::new();
    if let Some(workdir) = repo.workdir() {
        let opts = WalkOptions {
            threads: crate::app::worker_threads(&args.common, stats),
            ..WalkOptions::default()
        };
        findings.extend(fs::scan(
            &ctx,
            &[workdir.to_path_buf()],
            Some(workdir),
            &opts,
        ));
    }
    let history = HistoryOptions {
        selection: Selection::All,
        max_commits: None,
        threads: crate::app::worker_threads(&args.common, stats),
        progress: progress && args.history.progress(&args.common),
        allow_shallow: args.history.allow_shallow,
        memo: memo.clone(),
        skip_blobs: None,
    };
    findings.extend(git::scan(&ctx, &repo, &history)?);
    drop(history);
    for f in &mut findings {
        if several {
            f.path = format!("{}/{}", target.name, f.path);
            for other in &mut f.also_in {
                other.path = format!("{}/{}", target.name, other.path);
            }
        }
        f.repository = Some(target.name.clone());
    }
    if let (Some(file), Some(memo)) = (&target.memo_file, memo) {
        let memo = Arc::into_inner(memo).unwrap_or_default();
        counts
            .scanned
            .fetch_add(memo.scanned() as u64, Ordering::Relaxed);
        counts.reused.fetch_add(memo.reused(), Ordering::Relaxed);
        if let Some(before) = &reported {
            for f in &mut findings {
                f.new = Some(!before.contains(&blob_memo::location_key(f)));
            }
        }
        if let Err(e) = blob_memo::save(file, &scanner_key, memo, &findings) {
            stats.note(format!("{}: scan cache not saved: {e:#}", target.name));
        }
    }
    Ok((findings, setup.scanner.rules().to_vec()))
}
