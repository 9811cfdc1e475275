//! `moodleleaks probe`: one token, one site.

use crate::app::exit;
use crate::cli::{ProbeArgs, ProbeFormat};
use crate::probe::binding::TargetPolicy;
use crate::probe::outcome::Verdict;
use crate::probe::{self, ProbeOptions};
use crate::report;
use anyhow::{bail, Context, Result};
use std::io::Write;

/// A token read from standard input is at most this long (anything longer is not a token).
const MAX_TOKEN_INPUT: u64 = 4096;

/// `moodleleaks probe --url SITE [TOKEN]`.
pub fn run(args: ProbeArgs) -> Result<i32> {
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
