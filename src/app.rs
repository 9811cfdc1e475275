//! Runs a parsed command line: builds the scanner from rules and config, runs a source,
//! applies the baseline, writes the report and decides the exit status.

use crate::cli::{
    Cli, Command, CommonArgs, GitArgs, InstallHookArgs, RulesCommand, ScanArgs, StagedArgs,
};
use crate::config::Config;
use crate::finding::Finding;
use crate::report::{self, Format, Report};
use crate::rules::{self, Rule};
use crate::scan::Scanner;
use crate::source::git::{HistoryOptions, Selection};
use crate::source::{self, fs::WalkOptions, ScanContext};
use crate::summary::{Stats, Summary};
use crate::suppress::{Allowlist, Baseline};
use anyhow::{bail, Context, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Exit statuses (ripgrep's convention, plus one for a confirmed live credential).
pub mod exit {
    /// Nothing found.
    pub const CLEAN: i32 = 0;
    /// Usage, configuration or scan error.
    pub const ERROR: i32 = 2;
    /// At least one live credential confirmed by the probe.
    pub const LIVE: i32 = 3;
}

/// Runs `cli` and returns the process exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Git(args) => git_history(args),
        Command::Staged(args) => staged(args),
        Command::InstallHook(args) => install_hook(args),
        Command::Rules(cmd) => rules_command(cmd),
    }
}

/// What a scanning command needs, built from its common options and scan root.
pub struct Setup {
    pub scanner: Scanner,
    pub allowlist: Allowlist,
    pub config: Config,
}

impl Setup {
    /// Loads the config (explicit, or `.moodleleaks.toml` at `root`) and the rules.
    pub fn new(common: &CommonArgs, root: &Path) -> Result<Setup> {
        let (config, origin) = Config::discover(common.config.as_deref(), root)?;
        let origin = origin.map_or_else(|| "config".to_string(), |p| p.display().to_string());
        let allowlist = Allowlist::compile(&config.allowlist, &origin)?;
        let mut dirs = common.rules.clone();
        dirs.extend(config.rules.iter().cloned());
        let scanner = Scanner::new(rules::load(&dirs)?)?;
        Ok(Setup {
            scanner,
            allowlist,
            config,
        })
    }

    /// The context sources scan with.
    pub fn context<'a>(&'a self, stats: &'a Stats, common: &CommonArgs) -> ScanContext<'a> {
        ScanContext {
            scanner: &self.scanner,
            allowlist: &self.allowlist,
            stats,
            max_file_size: common.max_file_size,
        }
    }
}

fn scan(args: ScanArgs) -> Result<i32> {
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
        threads: args.common.threads,
    };
    findings.extend(source::fs::scan(&ctx, &disk, root.as_deref(), &opts));
    finish(&args.common, setup.scanner.rules(), findings, &stats, start)
}

fn git_history(args: GitArgs) -> Result<i32> {
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
        progress: !args.no_progress && !args.common.quiet && std::io::stderr().is_terminal(),
        allow_shallow: args.allow_shallow,
    };
    let setup = Setup::new(&args.common, &source::git::root(&repo))?;
    let stats = Stats::default();
    let ctx = setup.context(&stats, &args.common);
    let findings = source::git::scan(&ctx, &repo, &opts)?;
    finish(&args.common, setup.scanner.rules(), findings, &stats, start)
}

fn staged(args: StagedArgs) -> Result<i32> {
    let start = Instant::now();
    let repo = source::git::open(&args.repo)?;
    let setup = Setup::new(&args.common, &source::git::root(&repo))?;
    let stats = Stats::default();
    let ctx = setup.context(&stats, &args.common);
    let findings = source::staged::scan(&ctx, &repo)?;
    finish(&args.common, setup.scanner.rules(), findings, &stats, start)
}

fn install_hook(args: InstallHookArgs) -> Result<i32> {
    let hook = crate::hook::install(&crate::hook::HookOptions {
        repo: &args.repo,
        force: args.force,
        command: args.command.as_deref(),
    })?;
    println!("installed {}", hook.display());
    Ok(exit::CLEAN)
}

/// Shared ending of every scanning command: sort, baseline, report, exit status.
pub fn finish(
    common: &CommonArgs,
    rules: &[Rule],
    mut findings: Vec<Finding>,
    stats: &Stats,
    start: Instant,
) -> Result<i32> {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    if let Some(path) = &common.write_baseline {
        Baseline::from_findings(&findings).write(path)?;
    }
    let mut baseline_suppressed = 0;
    if let Some(path) = &common.baseline {
        let baseline = Baseline::load(path)?;
        let before = findings.len();
        findings.retain(|f| !baseline.contains(f));
        baseline_suppressed = (before - findings.len()) as u64;
    }
    let mut summary: Summary = stats.summary(findings.len(), start.elapsed());
    summary.suppressed.baseline = baseline_suppressed;
    write_report(common, rules, &findings, &summary)?;
    Ok(status(common, &findings, &summary))
}

fn status(common: &CommonArgs, findings: &[Finding], summary: &Summary) -> i32 {
    if !findings.is_empty() {
        common.exit_code
    } else if summary.errors > 0 {
        exit::ERROR
    } else {
        exit::CLEAN
    }
}

fn write_report(
    common: &CommonArgs,
    rules: &[Rule],
    findings: &[Finding],
    summary: &Summary,
) -> Result<()> {
    let to_terminal = common.output.is_none() && std::io::stdout().is_terminal();
    let color = common.format == Format::Human
        && to_terminal
        && !common.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let report = Report {
        findings,
        summary,
        rules,
        show_secrets: common.show_secrets,
        color,
        quiet: common.quiet,
    };
    match &common.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create output file", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            report::write(common.format, &report, &mut w)?;
            w.flush()
                .with_context(|| format!("{}: cannot write output file", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            report::write(common.format, &report, &mut w)?;
            w.flush().context("cannot write to standard output")?;
        }
    }
    Ok(())
}

fn rules_command(cmd: RulesCommand) -> Result<i32> {
    match cmd {
        RulesCommand::List { rules: dirs, json } => {
            let rules = rules::load(&dirs)?;
            let mut out = std::io::stdout().lock();
            if json {
                let list: Vec<_> = rules
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.spec.id, "kind": r.spec.kind, "severity": r.spec.severity,
                            "description": r.spec.description, "keywords": r.spec.keywords,
                            "origin": r.origin,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for r in &rules {
                    writeln!(
                        out,
                        "{:<34} {:<15} {:<8} {}",
                        r.spec.id, r.spec.kind, r.spec.severity, r.spec.description
                    )?;
                }
            }
            Ok(exit::CLEAN)
        }
        RulesCommand::Check { dir } => {
            let rules = match &dir {
                Some(d) => rules::load_dir(d)?,
                None => rules::builtin()?,
            };
            if rules.is_empty() {
                bail!(
                    "{}: no rule files (*.toml) found",
                    dir.unwrap_or_default().display()
                );
            }
            let (run, failures) = rules::check::check(&rules)?;
            for f in &failures {
                eprintln!("moodleleaks: {f}");
            }
            if failures.is_empty() {
                println!("{} rules, {run} examples: all pass", rules.len());
                Ok(exit::CLEAN)
            } else {
                eprintln!(
                    "moodleleaks: {} of {run} examples failed in {} rules",
                    failures.len(),
                    rules.len()
                );
                Ok(exit::ERROR)
            }
        }
    }
}
