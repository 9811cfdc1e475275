//! Runs a parsed command line: builds the scanner from rules and config, runs a source,
//! applies the baseline, writes the report and decides the exit status.

use crate::cli::{
    Cli, Command, CommonArgs, FailOn, GitArgs, InstallHookArgs, ProbeArgs, ProbeFormat,
    RulesCommand, ScanArgs, StagedArgs,
};
use crate::config::Config;
use crate::finding::Finding;
use crate::probe::binding::TargetPolicy;
use crate::probe::outcome::Verdict;
use crate::probe::{self, ProbeOptions};
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
    /// `moodleleaks probe`: the token is not confirmed dead (refused or inconclusive).
    pub const NOT_DEAD: i32 = 4;
}

/// Runs `cli` and returns the process exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Git(args) => git_history(args),
        Command::Staged(args) => staged(args),
        Command::InstallHook(args) => install_hook(args),
        Command::Rules(cmd) => rules_command(cmd),
        Command::Probe(args) => probe_command(args),
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
    summary.suppressed.baseline = baseline_suppressed;
    if common.probe {
        summary.live = Some(live_count(&findings));
    }
    write_report(common, rules, &findings, &summary)?;
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

/// Largest token input read from standard input.
const MAX_TOKEN_INPUT: u64 = 4096;

/// `moodleleaks probe --url SITE [TOKEN]`.
fn probe_command(args: ProbeArgs) -> Result<i32> {
    let token = match &args.token {
        Some(t) => t.trim().to_string(),
        None => {
            let mut input = String::new();
            std::io::Read::read_to_string(
                &mut std::io::Read::take(std::io::stdin().lock(), MAX_TOKEN_INPUT),
                &mut input,
            )
            .context("cannot read the token from standard input")?;
            input.trim().to_string()
        }
    };
    if token.is_empty() {
        bail!("TOKEN: no token given (pass it as an argument or on standard input)");
    }
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        // The value is not echoed: it may be a password pasted by mistake.
        bail!("TOKEN: not a Moodle web-service token (expected 32 hex characters)");
    }
    let policy = TargetPolicy {
        allow_http: args.net.allow_http,
        ..Default::default()
    };
    let target = policy
        .explicit(&args.url)
        .map_err(|e| anyhow::anyhow!("--url: {e}"))?;
    let opts = ProbeOptions {
        policy,
        allow_internal: args.net.allow_internal,
        timeout: std::time::Duration::from_secs(args.net.probe_timeout),
        concurrency: 1,
    };
    let result = probe::probe_one(&target, &token, &Default::default(), &opts);
    let mut out = std::io::stdout().lock();
    match args.format {
        ProbeFormat::Human => {
            writeln!(out, "{}", report::probe_line(&result))?;
            for line in report::probe_details(&result) {
                writeln!(out, "  {line}")?;
            }
        }
        ProbeFormat::Json => {
            let doc = serde_json::json!({
                "tool": "moodleleaks",
                "version": env!("CARGO_PKG_VERSION"),
                "probe": result,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush().context("cannot write to standard output")?;
    Ok(match result.verdict {
        Verdict::Live => exit::LIVE,
        Verdict::Dead => exit::CLEAN,
        Verdict::NotAttempted => {
            eprintln!(
                "moodleleaks: --url: not probed: {}",
                result.reason.as_deref().unwrap_or("refused")
            );
            exit::ERROR
        }
        Verdict::Exists | Verdict::Inconclusive => exit::NOT_DEAD,
    })
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
