//! `moodleleaks scan`: files and folders on disk, and standard input.

use crate::app::{finish, Setup};
use crate::cli::ScanArgs;
use crate::source::{self, fs::WalkOptions};
use crate::summary::Stats;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Scans the paths (and standard input for `-`) and reports.
pub fn run(args: ScanArgs) -> Result<i32> {
    let start = Instant::now();
    let stdin = Path::new("-");
    for p in args.paths.iter().filter(|p| p.as_path() != stdin) {
        if std::fs::symlink_metadata(p).is_err() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let disk: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_path() != stdin)
        .cloned()
        .collect();
    let root = match disk.as_slice() {
        [only] if only.is_dir() => Some(only.clone()),
        _ => None,
    };
    let setup = Setup::new(&args.common, root.as_deref().unwrap_or(Path::new(".")))?;
    let stats = Stats::default();
    let ctx = setup.context(&stats, &args.common);
    let mut findings = Vec::new();
    if args.paths.iter().any(|p| p.as_path() == stdin) {
        findings.extend(source::stdin::scan(&ctx)?);
    }
    let opts = WalkOptions {
        no_ignore: args.no_ignore,
        follow_symlinks: args.follow_symlinks,
        threads: crate::app::worker_threads(&args.common, &stats),
    };
    findings.extend(source::fs::scan(&ctx, &disk, root.as_deref(), &opts));
    if stats
        .files_scanned
        .load(std::sync::atomic::Ordering::Relaxed)
        == 0
    {
        // A run that read nothing must not pass as clean.
        stats.error(
            "nothing was scanned: every path given was ignored, allowlisted or skipped \
             (see the summary; --no-ignore scans ignored files)",
        );
    }
    finish(&args.common, setup.scanner.rules(), findings, &stats, start)
}
