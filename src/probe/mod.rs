//! Live probing: is a found token still a working credential, and what can it do?
//!
//! Every distinct (token, site) pair among the `wstoken` findings is probed once, however
//! many places the token appears in (a liveness call that runs nothing, then
//! `core_webservice_get_site_info`; see [`probe_one`]); the result is attached to every
//! finding of that pair. Which site a token may go to is decided by
//! [`binding`], which addresses by [`guard`], the request by [`client`], the status by
//! [`classify`] and the rating by [`rate`].

pub mod binding;
pub mod classify;
pub mod client;
pub mod guard;
pub mod outcome;
pub mod rate;

use crate::finding::{Finding, Kind};
use binding::{Target, TargetPolicy};
use classify::AfterLiveness;
use client::{Call, NoAnswer};
use outcome::{ProbeResult, ProbeStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Duration;

/// Pause between two probes to the same host, so a scan never looks like a brute force.
pub const SAME_HOST_PAUSE: Duration = Duration::from_millis(250);

/// How probing runs.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub policy: TargetPolicy,
    /// `--allow-internal`.
    pub allow_internal: bool,
    /// Total time for one probe (`--probe-timeout`).
    pub timeout: Duration,
    /// Probes in flight overall (`--probe-concurrency`); one per host at most.
    pub concurrency: usize,
}

/// What probing did, for the summary.
#[derive(Debug, Clone, Default)]
pub struct ProbeSummary {
    /// Distinct (token, site) pairs, by status.
    pub by_status: BTreeMap<ProbeStatus, usize>,
}

impl ProbeSummary {
    /// One line for the summary notes.
    pub fn note(&self) -> String {
        let total: usize = self.by_status.values().sum();
        let parts: Vec<String> = self
            .by_status
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        format!(
            "probe: {total} distinct token{}: {}",
            if total == 1 { "" } else { "s" },
            if parts.is_empty() {
                "none".to_string()
            } else {
                parts.join(", ")
            }
        )
    }
}

/// Shortest run of a token's characters that counts as the token when a server reflects it.
pub const MIN_SECRET_RUN: usize = 8;

/// Replaces every copy of `token` (any case), and every run of [`MIN_SECRET_RUN`] or more of
/// its consecutive characters, in `text` by its redacted face, and control characters by
/// spaces (server-provided text must not drive a terminal). A hostile server knows the token
/// it was sent and may send back any part of it.
pub fn scrub(text: &str, token: &str) -> String {
    let cleaned: String;
    let text = if text.chars().any(char::is_control) {
        cleaned = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        cleaned.as_str()
    } else {
        text
    };
    if token.is_empty() {
        return text.to_string();
    }
    let lower_token = token.to_ascii_lowercase();
    // Windows of a non-ASCII token could start inside a character: match whole copies only.
    let run = if token.is_ascii() {
        MIN_SECRET_RUN.min(token.len())
    } else {
        token.len()
    };
    // Every window of `run` bytes of the token; a text byte is secret when it lies in a window
    // of the text equal to one of them. Any run of `run` or more token characters is covered
    // by such windows, and matched ranges start and end on character boundaries.
    let grams: std::collections::HashSet<&[u8]> = lower_token.as_bytes().windows(run).collect();
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut secret = vec![false; bytes.len()];
    let mut any = false;
    for (i, w) in bytes.windows(run).enumerate() {
        if grams.contains(w) {
            secret[i..i + run].fill(true);
            any = true;
        }
    }
    if !any {
        return text.to_string();
    }
    let face = crate::finding::redact(token);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if secret[i] {
            while i < bytes.len() && secret[i] {
                i += 1;
            }
            out.push_str(&face);
        } else {
            let start = i;
            while i < bytes.len() && !secret[i] {
                i += 1;
            }
            out.push_str(&text[start..i]);
        }
    }
    out
}

/// One distinct thing to probe.
struct Job {
    token: String,
    target: Target,
    /// Functions named next to the token (its apparent use), for the least-privilege note.
    used: BTreeSet<String>,
    /// Indices of the findings that get the result.
    findings: Vec<usize>,
}

/// Probes one token at one target: the whole path from address check to rating, at most two
/// requests in the normal case, all within one `opts.timeout` deadline.
///
/// 1. The liveness call (the token, no `wsfunction`): Moodle runs its token checks and
///    refuses the missing function name with `invalidparameter`, so no function runs.
/// 2. `invalidparameter`: the token works; `core_webservice_get_site_info` says who it acts as
///    and what it can call (refused: live, functions unknown).
///    `accessexception` without `debuginfo`: expired or refused; the liveness call again
///    tells which (Moodle deletes an expired token when it refuses it, so the second answer
///    is `invalidtoken`).
///
/// Any other answer to the first call is final.
pub fn probe_one(
    target: &Target,
    token: &str,
    used: &BTreeSet<String>,
    opts: &ProbeOptions,
) -> ProbeResult {
    let mut result = match client::Session::open(target, opts.allow_internal, opts.timeout) {
        Ok(session) => exchange(&session, token),
        Err(no) => no_answer(no),
    };
    if let Some(info) = &result.site_info {
        let a = rate::assess(info, used);
        result.rating = Some(a.rating);
        result.rating_reason = Some(a.reason);
        result.mutating_functions = a.mutating_functions;
        result.least_privilege = a.least_privilege;
    }
    result.site = Some(target.site.clone());
    result.site_source = Some(target.source);
    result.scrub(token);
    result
}

/// The result of a request that got no answer.
fn no_answer(no: NoAnswer) -> ProbeResult {
    match no {
        NoAnswer::Refused(why) => ProbeResult::not_attempted(why),
        NoAnswer::Unreachable(why) => {
            let mut r = ProbeResult::new(ProbeStatus::Unreachable, Some(why));
            r.detail = Some("inconclusive: the site did not answer".into());
            r
        }
    }
}

/// The calls of one probe (see [`probe_one`]).
fn exchange(session: &client::Session<'_>, token: &str) -> ProbeResult {
    let post = |call: Call| {
        session.post(token, call).map(|a| {
            let status = a.status;
            (classify::read(&a, token), status)
        })
    };
    let (first, status) = match post(Call::Liveness) {
        Ok(x) => x,
        Err(no) => return no_answer(no),
    };
    let (mut result, last_status) = match classify::after_liveness(first) {
        AfterLiveness::Done(r) => (*r, status),
        AfterLiveness::Refused => match post(Call::Liveness) {
            Ok((reply, s)) => (classify::after_recheck(reply), s),
            Err(_) => (classify::after_recheck_unanswered(), status),
        },
        AfterLiveness::Passed => match post(Call::SiteInfo) {
            Ok((reply, s)) => (classify::after_site_info(reply), s),
            Err(no) => {
                let why = match no {
                    NoAnswer::Refused(w) | NoAnswer::Unreachable(w) => w,
                };
                (
                    classify::live_functions_unknown(Some(format!("unreachable: {why}"))),
                    status,
                )
            }
        },
    };
    result.http_status = Some(last_status);
    result
}

/// Probes every `wstoken` finding's token at its bound site, attaching a result to each.
pub fn probe_findings(findings: &mut [Finding], opts: &ProbeOptions) -> ProbeSummary {
    let mut jobs: BTreeMap<(String, String), Job> = BTreeMap::new();
    let mut refused: Vec<(usize, ProbeResult)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.kind != Kind::Wstoken {
            continue;
        }
        match opts.policy.target(f.site.as_deref()) {
            Ok(target) => {
                let key = (f.secret.to_ascii_lowercase(), target.endpoint.to_string());
                let job = jobs.entry(key).or_insert_with(|| Job {
                    token: f.secret.clone(),
                    target,
                    used: BTreeSet::new(),
                    findings: Vec::new(),
                });
                job.used.extend(rate::functions_named(&f.line_raw));
                job.findings.push(i);
            }
            Err(why) => {
                let mut r = ProbeResult::not_attempted(why);
                r.site = f.site.clone();
                r.scrub(&f.secret);
                refused.push((i, r));
            }
        }
    }

    let mut summary = ProbeSummary::default();
    // Distinct refused tokens count once, like probed ones.
    let mut refused_keys = BTreeSet::new();
    for (i, r) in refused {
        let f = &findings[i];
        if refused_keys.insert((f.secret.to_ascii_lowercase(), f.site.clone())) {
            *summary.by_status.entry(r.status).or_default() += 1;
        }
        findings[i].probe = Some(r);
    }

    // One queue per host: a worker takes a whole host, so at most one probe is in flight per
    // host, with a pause between them.
    let mut by_host: BTreeMap<(String, u16), Vec<Job>> = BTreeMap::new();
    for job in jobs.into_values() {
        by_host
            .entry((job.target.host.clone(), job.target.port))
            .or_default()
            .push(job);
    }
    let queues = Mutex::new(by_host.into_values().collect::<Vec<_>>());
    let results: Mutex<Vec<(Vec<usize>, ProbeResult)>> = Mutex::new(Vec::new());
    let workers = opts
        .concurrency
        .max(1)
        .min(queues.lock().map_or(1, |q| q.len()).max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // The guard is consumed by the closure: the lock is held only to pop.
                while let Some(queue) = queues.lock().ok().and_then(|mut q| q.pop()) {
                    for (n, job) in queue.into_iter().enumerate() {
                        if n > 0 {
                            std::thread::sleep(SAME_HOST_PAUSE);
                        }
                        let r = probe_one(&job.target, &job.token, &job.used, opts);
                        if let Ok(mut out) = results.lock() {
                            out.push((job.findings, r));
                        }
                    }
                }
            });
        }
    });
    for (indices, r) in results.into_inner().unwrap_or_default() {
        *summary.by_status.entry(r.status).or_default() += 1;
        for i in indices {
            findings[i].probe = Some(r.clone());
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_every_copy_in_any_case() {
        let t = "c8ff1654a992bc683c2c7901b1aa1d97"; // moodleleaks:allow
        let text = format!("a {t} b {} c", t.to_ascii_uppercase());
        let s = scrub(&text, t);
        assert_eq!(s, "a c8ff… b c8ff… c");
        assert_eq!(scrub("nothing", t), "nothing");
        assert_eq!(scrub("a\x1b[31mb\n", t), "a [31mb ");
    }

    #[test]
    fn scrub_removes_every_run_of_eight_token_characters() {
        let t = "c8ff1654a992bc683c2c7901b1aa1d97"; // moodleleaks:allow
        let text = format!(
            "x{}y{}z{}w",
            &t[3..11],
            t[10..30].to_ascii_uppercase(),
            &t[20..27]
        );
        let s = scrub(&text, t);
        assert_eq!(s, format!("xc8ff…yc8ff…z{}w", &t[20..27]));
        for w in t.as_bytes().windows(MIN_SECRET_RUN) {
            assert!(!s
                .to_ascii_lowercase()
                .contains(std::str::from_utf8(w).unwrap()));
        }
        assert_eq!(scrub("é ü", t), "é ü");
        assert_eq!(scrub("abc", ""), "abc");
    }
}
