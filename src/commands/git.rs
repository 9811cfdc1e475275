//! The git commands: `git` (history), `staged` (the pre-commit path) and `install-hook`.

use crate::app::{exit, finish, Setup};
use crate::cli::{GitArgs, InstallHookArgs, StagedArgs};
use crate::source::{
    self,
    git::{HistoryOptions, Selection},
};
use crate::summary::Stats;
use anyhow::Result;
use std::time::Instant;

/// Scans the selected history of a repository and reports.
pub fn history(args: GitArgs) -> Result<i32> {
    let start = Instant::now();
    let repo = source::git::open(&args.repo)?;
    let selection = match (&args.range, &args.since_commit) {
        (Some(range), _) => Selection::range("--range", range)?,
        (None, Some(sha)) => Selection::range("--since-commit", &format!("{sha}..HEAD"))?,
        (None, None) if !args.branch.is_empty() => Selection::Refs(args.branch.clone()),
        (None, None) => Selection::All,
    };
    let opts = HistoryOptions {
        selection,
        max_commits: args.max_commits,
        threads: args.common.threads,
        progress: args.history.progress(&args.common),
        allow_shallow: args.history.allow_shallow,
        memo: None,
        skip_blobs: None,
    };
    let setup = Setup::new(&args.common, &source::git::root(&repo))?;
    let stats = Stats::default();
    let opts = HistoryOptions {
        threads: crate::app::worker_threads(&args.common, &stats),
        ..opts
    };
    let ctx = setup.context(&stats, &args.common);
    let findings = source::git::scan(&ctx, &repo, &opts)?;
    finish(&args.common, setup.scanner.rules(), findings, &stats, start)
}

/// Scans the lines a commit about to be made adds (index against HEAD) and reports.
pub fn staged(args: StagedArgs) -> Result<i32> {
    let start = Instant::now();
    if args.common.probe {
        // The pre-commit check stays offline (README, "Staged changes").
        anyhow::bail!(
            "staged never probes the network: run `moodleleaks scan --probe` or `moodleleaks git --probe` instead"
        );
    }
    let repo = source::git::open_from_env(&args.repo)?;
    let setup = Setup::new(&args.common, &source::git::root(&repo))?;
    let stats = Stats::default();
    let ctx = setup.context(&stats, &args.common);
    let findings = source::staged::scan(&ctx, &repo)?;
    finish(&args.common, setup.scanner.rules(), findings, &stats, start)
}

/// Writes a pre-commit hook that runs `moodleleaks staged`.
pub fn install_hook(args: InstallHookArgs) -> Result<i32> {
    let hook = crate::hook::install(&crate::hook::HookOptions {
        repo: &args.repo,
        force: args.force,
        command: args.command.as_deref(),
    })?;
    println!("installed {}", hook.display());
    Ok(exit::CLEAN)
}
