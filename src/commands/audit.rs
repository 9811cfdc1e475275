//! `moodleleaks audit`: the files and the whole history of one or many repositories, as one
//! rotation report. This is the auditor's view: every secret once, with every place it
//! appears, most urgent first.

use crate::app::{finish_as, Setup};
use crate::cli::AuditArgs;
use crate::finding::Finding;
use crate::report::View;
use crate::rules::{self, Rule};
use crate::source::fs::{self, WalkOptions};
use crate::source::git::{self, HistoryOptions, Selection};
use crate::summary::Stats;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// What one repository's audit gives: its position in the list, its findings, its rules.
type Audited = (usize, Vec<Finding>, Vec<Rule>);

/// Audits every repository named and writes one report.
pub fn run(args: AuditArgs) -> Result<i32> {
    let start = Instant::now();
    let repos = repositories(&args)?;
    let several = repos.len() > 1;
    let stats = Stats::default();
    let results: Mutex<Vec<Audited>> = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = if several {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(repos.len()))
    } else {
        1
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(repo) = repos.get(i) else { break };
                let prefix = several.then(|| display_prefix(repo));
                match audit_one(repo, prefix.as_deref(), &args, &stats, !several) {
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

/// The repositories to audit: arguments, then `--repos-file` lines; `.` when none.
fn repositories(args: &AuditArgs) -> Result<Vec<PathBuf>> {
    let mut repos = args.repos.clone();
    if let Some(file) = &args.repos_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read repository list", file.display()))?;
        repos.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(PathBuf::from),
        );
        if repos.is_empty() {
            bail!("{}: lists no repository", file.display());
        }
    }
    if repos.is_empty() {
        repos.push(PathBuf::from("."));
    }
    Ok(repos)
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
    path: &Path,
    prefix: Option<&str>,
    args: &AuditArgs,
    stats: &Stats,
    progress: bool,
) -> Result<(Vec<Finding>, Vec<Rule>)> {
    let repo = git::open(path)?;
    let root = git::root(&repo);
    let setup = Setup::new(&args.common, &root)?;
    let ctx = setup.context(stats, &args.common);
    let mut findings = Vec::new();
    if let Some(workdir) = repo.workdir() {
        let opts = WalkOptions {
            threads: args.common.threads,
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
        threads: args.common.threads,
        progress: progress && args.history.progress(&args.common),
        allow_shallow: args.history.allow_shallow,
        skip_blobs: None,
    };
    findings.extend(git::scan(&ctx, &repo, &history)?);
    if let Some(prefix) = prefix {
        for f in &mut findings {
            f.path = format!("{prefix}/{}", f.path);
            for other in &mut f.also_in {
                other.path = format!("{prefix}/{}", other.path);
            }
        }
    }
    Ok((findings, setup.scanner.rules().to_vec()))
}
