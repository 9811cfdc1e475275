//! Runs a parsed command line: dispatches to [`crate::commands`], and holds what every
//! scanning command shares: [`Setup`] (config and rules) and [`finish`] (baseline, probe,
//! report, exit status).

use crate::cli::{Cli, Command, CommonArgs, FailOn};
use crate::commands;
use crate::config::Config;
use crate::finding::Finding;
use crate::probe::binding::TargetPolicy;
use crate::probe::{self, ProbeOptions};
use crate::report::{self, Format, Report, View};
use crate::rules::{self, Rule};
use crate::scan::Scanner;
use crate::source::ScanContext;
use crate::summary::{Stats, Summary};
use crate::suppress::{Allowlist, Baseline};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

/// Exit statuses (ripgrep's convention, plus one for a confirmed live credential).
pub mod exit {
    /// Nothing found.
    pub const CLEAN: i32 = 0;
    /// Usage, configuration or scan error.
    pub const ERROR: i32 = 2;
    /// At least one live credential confirmed by the probe.
    pub const LIVE: i32 = 3;
    /// `moodleleaks probe`: the token is not confirmed dead (refused or inconclusive).
    pub const NOT_DEAD: i32 = 4;
}

/// Runs `cli` and returns the process exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Git(args) => commands::git::history(args),
        Command::Staged(args) => commands::git::staged(args),
        Command::InstallHook(args) => commands::git::install_hook(args),
        Command::Audit(args) => commands::audit::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Rules(cmd) => commands::rules::run(cmd),
        Command::Probe(args) => commands::probe::run(args),
        Command::Completions { shell } => {
            write_stdout(|out| crate::manual::completions(shell, out))
        }
        Command::Man => write_stdout(crate::manual::man),
    }
}

/// Runs a generator that writes to standard output, and reports a failed write.
fn write_stdout(generate: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<i32> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    generate(&mut w)?;
    w.flush().context("cannot write to standard output")?;
    Ok(exit::CLEAN)
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
        // Bad probe flags are usage errors, found before a long scan rather than after it.
        probe_options(common)?;
        let (config, origin) = Config::discover(common.config.as_deref(), root)?;
        let origin = origin.map_or_else(|| "config".to_string(), |p| p.display().to_string());
        let allowlist = Allowlist::compile(&config.allowlist, &origin)?;
        let mut dirs = common.rules.clone();
        dirs.extend(config.rules.iter().cloned());
        let mut scanner = Scanner::new(rules::load(&dirs)?)?;
        scanner.set_decode(!common.no_decode);
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
            max_file_size: common
                .max_file_size
                .unwrap_or(crate::input::DEFAULT_MAX_FILE_SIZE),
            file_limit: common.max_file_size,
            archives: common.archives.limits(),
        }
    }
}

/// Most worker threads per CPU `-j` may ask for: more only adds memory and switching.
pub const THREADS_PER_CPU: usize = 4;

/// The worker threads to use for `-j N`: the CPUs for 0, else N lowered to
/// [`THREADS_PER_CPU`] × CPUs (with a note), so that `-j 1000000` cannot start a million
/// threads.
pub fn worker_threads(common: &CommonArgs, stats: &Stats) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = cpus * THREADS_PER_CPU;
    match common.threads {
        0 => cpus,
        n if n > max => {
            stats.note(format!(
                "-j {n} lowered to {max} threads ({THREADS_PER_CPU}× the {cpus} CPUs)"
            ));
            max
        }
        n => n,
    }
}

/// Shared ending of every scanning command: sort, baseline, probe, report, exit status.
pub fn finish(
    common: &CommonArgs,
    rules: &[Rule],
    findings: Vec<Finding>,
    stats: &Stats,
    start: Instant,
) -> Result<i32> {
    finish_as(View::Findings, common, rules, findings, stats, start)
}

/// [`finish`] with the report's view chosen (`audit` reports secrets to rotate).
pub fn finish_as(
    view: View,
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
    if let Some(opts) = probe_options(common)? {
        let probed = probe::probe_findings(&mut findings, &opts);
        stats.note(probed.note());
        if common.only_live {
            let before = findings.len();
            findings.retain(|f| f.probe.as_ref().is_some_and(|p| p.is_live()));
            let hidden = before - findings.len();
            if hidden > 0 {
                stats.note(format!(
                    "--only-live: {hidden} findings without a live token not shown"
                ));
            }
        }
    }
    let mut summary: Summary = stats.summary(findings.len(), start.elapsed());
    if !common.show_secrets {
        // One redaction pass over everything printed, with every secret of the run.
        crate::redact::Redactor::new(&findings).apply(&mut findings, &mut summary.notes);
    }
    if matches!(common.format, Format::Human | Format::Markdown) {
        report::escape_for_humans(&mut findings, &mut summary.notes);
    }
    summary.suppressed.baseline = baseline_suppressed;
    if common.probe {
        summary.live = Some(live_count(&findings));
    }
    write_report(view, common, rules, &findings, &summary)?;
    Ok(status(common, &findings, &summary))
}

/// The probe settings of a scanning command, or `None` without `--probe`.
fn probe_options(common: &CommonArgs) -> Result<Option<ProbeOptions>> {
    if !common.probe {
        return Ok(None);
    }
    let policy = TargetPolicy {
        moodle_url: common.moodle_url.clone(),
        probe_hosts: common.probe_hosts.clone(),
        only_configured: common.probe_only_configured,
        allow_http: common.probe_net.allow_http,
    };
    policy.validate().map_err(anyhow::Error::msg)?;
    Ok(Some(ProbeOptions {
        policy,
        allow_internal: common.probe_net.allow_internal,
        timeout: std::time::Duration::from_secs(common.probe_net.probe_timeout),
        concurrency: common.probe_concurrency as usize,
    }))
}

fn live_count(findings: &[Finding]) -> u64 {
    findings
        .iter()
        .filter(|f| f.probe.as_ref().is_some_and(|p| p.is_live()))
        .count() as u64
}

/// The exit status: 3 when a live token was found (unless `--fail-on none`), then
/// ripgrep's 1/0/2 as `--fail-on` asks.
fn status(common: &CommonArgs, findings: &[Finding], summary: &Summary) -> i32 {
    let live = live_count(findings) > 0;
    let failing = match common.fail_on {
        FailOn::Any if live => return exit::LIVE,
        FailOn::Any => !findings.is_empty(),
        FailOn::Live if live => return exit::LIVE,
        FailOn::Live | FailOn::None => {
            return if summary.errors > 0 {
                exit::ERROR
            } else {
                exit::CLEAN
            }
        }
    };
    if failing {
        common.exit_code
    } else if summary.errors > 0 {
        exit::ERROR
    } else {
        exit::CLEAN
    }
}

fn write_report(
    view: View,
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
        view,
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
