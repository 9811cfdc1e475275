//! Every command and flag, defined once: `--help`, completions and the man page come from
//! these definitions.

use crate::report::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Finds Moodle web-service credentials (wstoken, private tokens, user keys, mobile-app
/// launch URLs, passwords in login/token.php URLs) in files, git history and staged changes.
#[derive(Debug, Parser)]
#[command(name = "moodleleaks", version, about, long_about = None)]
#[command(
    after_help = "Exit status: 0 no findings; 1 (or --exit-code) findings; 2 usage, configuration or scan error; 3 a live token was found (--probe)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders on disk (`-` reads standard input).
    ///
    /// This is a files-only scan, also inside a git work tree: it reads the files as they are
    /// on disk and never the history. Use `moodleleaks git` for history and
    /// `moodleleaks staged` for a commit about to be made.
    Scan(ScanArgs),
    /// Scan git history: every commit of every ref, a branch, or a commit range.
    ///
    /// Every distinct blob is read once. Each finding names the commit that introduced it,
    /// lists later commits that introduced the same secret elsewhere, and says whether the
    /// secret is still present at HEAD or in history only (both must be rotated).
    Git(GitArgs),
    /// Scan the lines staged for the next commit (index vs HEAD): the pre-commit check.
    ///
    /// Reads the staged content from the index, not the working tree, and reports only
    /// credentials on added lines. It never probes the network: a commit must not send tokens
    /// to hosts named in the files being committed, nor wait on them (`scan --probe` and
    /// `git --probe` do that).
    #[command(
        mut_arg("probe", |a| a.hide(true)),
        mut_arg("moodle_url", |a| a.hide(true)),
        mut_arg("probe_hosts", |a| a.hide(true)),
        mut_arg("probe_only_configured", |a| a.hide(true)),
        mut_arg("probe_concurrency", |a| a.hide(true)),
        mut_arg("only_live", |a| a.hide(true)),
        mut_arg("allow_internal", |a| a.hide(true)),
        mut_arg("allow_http", |a| a.hide(true)),
        mut_arg("probe_timeout", |a| a.hide(true))
    )]
    Staged(StagedArgs),
    /// Install a git pre-commit hook that runs `moodleleaks staged`.
    InstallHook(InstallHookArgs),
    /// Audit repositories: files and whole history (and --probe), as a rotation report.
    ///
    /// Findings are grouped by secret, most urgent first (live site-admin tokens, live tokens,
    /// not confirmed, dead), with every place each secret appears and what to do in Moodle.
    /// `human` and `markdown` print the report in Markdown, `html` as a self-contained page,
    /// `json` as the model both are rendered from; `sarif`, `gitlab`, `junit` and `jsonl` list
    /// the findings. Several repositories (REPO... or --repos-file) are audited in parallel
    /// into one report, each path prefixed with its repository.
    Audit(AuditArgs),
    /// Merge shard reports (`audit --shard K/N --format jsonl`) into one report.
    ///
    /// Findings are joined by fingerprint and place (a finding in two reports counts once)
    /// and written in any format, the rotation report included (human, markdown, html and
    /// json are the rotation report, as for `audit`).
    Merge(MergeArgs),
    /// List or check rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Check whether one token works at one site (core_webservice_get_site_info).
    ///
    /// With no TOKEN it is read from standard input, so it stays out of shell history. The
    /// token is never printed. Exit status: 3 live; 0 invalid (Moodle does not know the
    /// token: it is dead); 4 anything else (the token exists but was refused, or the answer
    /// was inconclusive: it is not confirmed dead); 2 usage error or target refused.
    Probe(ProbeArgs),
    /// Print a shell completion script.
    ///
    /// For example `moodleleaks completions bash > /etc/bash_completion.d/moodleleaks`, or
    /// `moodleleaks completions zsh > "${fpath[1]}/_moodleleaks"`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    ///
    /// Read it with `moodleleaks man | man -l -`, or install it with
    /// `moodleleaks man > /usr/local/share/man/man1/moodleleaks.1`.
    Man,
}

/// `moodleleaks probe`.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The Moodle site (web root), e.g. https://lms.example.edu.
    #[arg(long, value_name = "SITE")]
    pub url: String,
    /// The token (32 hex); read from standard input when absent.
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProbeFormat::Human)]
    pub format: ProbeFormat,
    #[command(flatten)]
    pub net: ProbeNetArgs,
}

/// Output formats of `moodleleaks probe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProbeFormat {
    /// Status line and details.
    Human,
    /// One JSON document with a `probe` object.
    Json,
}

/// Which findings make a scan fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any finding (exit 1, or 3 when a token is live).
    Any,
    /// Only live tokens (exit 3); other findings exit 0.
    Live,
    /// Never (exit 0 unless there were errors).
    None,
}

/// Network limits shared by `--probe` and the `probe` command.
#[derive(Debug, Args, Clone)]
pub struct ProbeNetArgs {
    /// Allow probing sites on private, loopback and reserved addresses (link-local and
    /// cloud metadata addresses stay refused).
    #[arg(long, help_heading = "Live probing")]
    pub allow_internal: bool,
    /// Allow probing over plain http (the token would travel in clear text).
    #[arg(long, help_heading = "Live probing")]
    pub allow_http: bool,
    /// Total time for one probe, in seconds (connect: 5 s at most).
    #[arg(long, value_name = "SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=300), help_heading = "Live probing")]
    pub probe_timeout: u64,
}

/// `moodleleaks scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also scan files that .gitignore/.ignore exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (broken links and loops are reported).
    #[arg(long)]
    pub follow_symlinks: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `moodleleaks git`.
#[derive(Debug, Args)]
pub struct GitArgs {
    /// The repository (or a folder inside it); bare repositories work too.
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Scan only commits reachable from REF (branch, tag, remote branch or commit);
    /// repeatable [default: every ref and HEAD].
    #[arg(long, value_name = "REF", conflicts_with_all = ["range", "since_commit"])]
    pub branch: Vec<String>,
    /// Scan only commits reachable from B and not from A (what a push or pull request adds);
    /// only secrets introduced in the range are reported.
    #[arg(long, value_name = "A..B", conflicts_with = "since_commit")]
    pub range: Option<String>,
    /// Shorthand for --range SHA..HEAD.
    #[arg(long, value_name = "SHA")]
    pub since_commit: Option<String>,
    /// Scan only the newest N of the selected commits; like a range, only secrets those
    /// commits introduce are reported.
    #[arg(long, value_name = "N")]
    pub max_commits: Option<usize>,
    #[command(flatten)]
    pub history: HistoryArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options of the commands that walk history (`git`, `audit`).
#[derive(Debug, Args, Clone)]
pub struct HistoryArgs {
    /// Accept a shallow clone's incomplete history: without it, a shallow scan without
    /// findings exits 2, so that it never passes as clean.
    #[arg(long)]
    pub allow_shallow: bool,
    /// Never draw the progress bar (it is drawn only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

impl HistoryArgs {
    /// Whether to draw the progress bar: stderr is a terminal and nobody said no.
    pub fn progress(&self, common: &CommonArgs) -> bool {
        !self.no_progress && !common.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())
    }
}

/// `moodleleaks staged`.
#[derive(Debug, Args)]
pub struct StagedArgs {
    /// The repository (or a folder inside it).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `moodleleaks audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Repositories: local paths (or folders inside them) or git URLs (https://, ssh://,
    /// git://, file://, git@host:owner/repo.git) [default: .].
    #[arg(value_name = "REPO")]
    pub repos: Vec<String>,
    /// A file listing repositories (paths or URLs), one per line (blank lines and `#`
    /// comments ignored).
    #[arg(long, value_name = "FILE")]
    pub repos_file: Option<PathBuf>,
    /// Where cloned repositories (bare mirrors) and the incremental scan cache live
    /// [default: the user's cache folder, e.g. ~/.cache/moodleleaks].
    #[arg(
        long,
        value_name = "DIR",
        env = "MOODLELEAKS_CACHE_DIR",
        help_heading = "Remote repositories"
    )]
    pub cache_dir: Option<PathBuf>,
    /// Repositories cloned or fetched at once.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u64).range(1..=64), help_heading = "Remote repositories")]
    pub clone_jobs: u64,
    /// Scan every blob again, ignoring the incremental scan cache (it is rewritten).
    #[arg(long, help_heading = "Remote repositories")]
    pub full: bool,
    /// Audit only shard K of N (0-based) of the repository list; `moodleleaks merge` joins
    /// the shard reports.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse, help_heading = "Remote repositories")]
    pub shard: Option<crate::shard::Shard>,
    #[command(flatten)]
    pub forge: ForgeArgs,
    #[command(flatten)]
    pub history: HistoryArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Enumerating an organisation's repositories through the GitHub and GitLab REST APIs. The
/// tokens come from `GITHUB_TOKEN` and `GITLAB_TOKEN` only (never a flag, never printed).
#[derive(Debug, Args, Clone, Default)]
pub struct ForgeArgs {
    /// Audit every repository of this GitHub organisation (repeatable).
    #[arg(long, value_name = "ORG", help_heading = "Organisations")]
    pub github_org: Vec<String>,
    /// Audit every repository this GitHub user owns (repeatable).
    #[arg(long, value_name = "USER", help_heading = "Organisations")]
    pub github_user: Vec<String>,
    /// Audit every project of this GitLab group and its subgroups (repeatable; a full path
    /// such as parent/child works).
    #[arg(long, value_name = "GROUP", help_heading = "Organisations")]
    pub gitlab_group: Vec<String>,
    /// Include forks (left out by default: their history is mostly their upstream's).
    #[arg(long, help_heading = "Organisations")]
    pub include_forks: bool,
    /// Include archived repositories (left out by default).
    #[arg(long, help_heading = "Organisations")]
    pub include_archived: bool,
    /// GitHub API base URL (GitHub Enterprise Server: https://HOST/api/v3).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://api.github.com",
        help_heading = "Organisations"
    )]
    pub github_api_url: String,
    /// GitLab instance URL (self-managed GitLab).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://gitlab.com",
        help_heading = "Organisations"
    )]
    pub gitlab_url: String,
}

/// `moodleleaks merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard reports written by `audit --format jsonl` (or `--format json` of `git`/`scan`).
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `moodleleaks install-hook`.
#[derive(Debug, Args)]
pub struct InstallHookArgs {
    /// The repository (or a folder inside it).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Replace an existing pre-commit hook.
    #[arg(long)]
    pub force: bool,
    /// The moodleleaks command the hook runs [default: moodleleaks from PATH].
    #[arg(long, value_name = "PATH")]
    pub command: Option<String>,
}

/// Options every scanning command shares.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file [default: .moodleleaks.toml at the scan root, when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Extra rule files (*.toml) to load; a rule with a built-in's id replaces it.
    #[arg(long, value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Print secrets in full (every output redacts them otherwise).
    #[arg(long)]
    pub show_secrets: bool,
    /// Exit status when findings exist.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub exit_code: i32,
    /// Worker threads, at most 4× the CPUs (more is lowered to that, with a note)
    /// [default: number of CPUs].
    #[arg(
        long,
        short = 'j',
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub threads: usize,
    /// Skip (count and name) files larger than this many bytes [default: no limit for
    /// files, which are read in bounded chunks; 25 MiB for git blobs, read whole].
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub max_file_size: Option<u64>,
    /// Scan only the bytes as written: no decoded views (JSON/JS escapes, HTML entities,
    /// quoted-printable, percent-encoding, base64) and no escapes undone before a value.
    #[arg(long)]
    pub no_decode: bool,
    /// Report only findings whose (fingerprint, path) is not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write a baseline of the findings to FILE (no secrets, sorted).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print findings only: no summary, no notes.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Never colour output (NO_COLOR is honoured too).
    #[arg(long)]
    pub no_color: bool,
    /// Check each distinct wstoken found at the site bound to it (live, invalid, denied, ...).
    #[arg(long, help_heading = "Live probing")]
    pub probe: bool,
    /// The Moodle site of tokens whose own file names none (also an allowed host).
    #[arg(
        long,
        value_name = "URL",
        requires = "probe",
        help_heading = "Live probing"
    )]
    pub moodle_url: Option<String>,
    /// More hosts the user vouches for (allowed even on internal addresses).
    #[arg(
        long,
        value_name = "HOST,...",
        value_delimiter = ',',
        requires = "probe",
        help_heading = "Live probing"
    )]
    pub probe_hosts: Vec<String>,
    /// Send tokens only to --moodle-url and --probe-hosts, never to hosts found in the
    /// scanned content.
    #[arg(long, requires = "probe", help_heading = "Live probing")]
    pub probe_only_configured: bool,
    /// Probes in flight at once (never more than one per host).
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u64).range(1..=64), help_heading = "Live probing")]
    pub probe_concurrency: u64,
    /// Report only findings whose token is live.
    #[arg(long, requires = "probe", help_heading = "Live probing")]
    pub only_live: bool,
    /// Which findings fail the run: any (exit 1, 3 if live), live (only live tokens, exit
    /// 3) or none.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = FailOn::Any,
          requires_if("live", "probe"), help_heading = "Live probing")]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub probe_net: ProbeNetArgs,
    #[command(flatten)]
    pub archives: crate::container::ArchiveArgs,
}

/// `moodleleaks rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the built-in and loaded rules.
    List {
        /// Extra rule directories to load.
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Validate rule files and run each rule's own examples; fails on a broken rule.
    Check {
        /// A directory of rule files [default: the built-in rules].
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Parses a byte count as people write it: `1048576`, `25MiB`, `4 GiB`, `500kB` (SI and IEC
/// units, by the `bytesize` crate). The error names the accepted forms.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    if let Ok(n) = text.trim().parse::<u64>() {
        return Ok(n);
    }
    text.trim()
        .parse::<bytesize::ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|_| {
            format!("{text:?} is not a size: write bytes (1048576) or a unit (25MiB, 4GB)")
        })
}
