//! Live probing: is a found token still a working credential, and what can it do?
//!
//! Every distinct (token, site) pair among the `wstoken` findings is probed once with
//! `core_webservice_get_site_info`, however many places the token appears in; the result is
//! attached to every finding of that pair. Which site a token may go to is decided by
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
use client::NoAnswer;
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

/// Replaces every copy of `token` (any case) in `text` by its redacted face, and control
/// characters by spaces (server-provided text must not drive a terminal).
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
    let lower_text = text.to_ascii_lowercase();
    let lower_token = token.to_ascii_lowercase();
    if !lower_text.contains(&lower_token) {
        return text.to_string();
    }
    // ASCII lowercasing keeps byte offsets, so positions found in the lowercased copy are
    // valid in the original.
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (at, _) in lower_text.match_indices(&lower_token) {
        if at < pos {
            continue;
        }
        out.push_str(&text[pos..at]);
        out.push_str(&crate::finding::redact(token));
        pos = at + token.len();
    }
    out.push_str(&text[pos..]);
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

/// Probes one token at one target: the whole path from address check to rating.
pub fn probe_one(
    target: &Target,
    token: &str,
    used: &BTreeSet<String>,
    opts: &ProbeOptions,
) -> ProbeResult {
    let mut result = match client::post_site_info(target, token, opts.allow_internal, opts.timeout)
    {
        Ok(answer) => classify::classify(&answer),
        Err(NoAnswer::Refused(why)) => ProbeResult::not_attempted(why),
        Err(NoAnswer::Unreachable(why)) => {
            let mut r = ProbeResult::new(ProbeStatus::Unreachable, Some(why));
            r.detail = Some("inconclusive: the site did not answer".into());
            r
        }
    };
    if let Some(info) = &result.site_info {
        let a = rate::assess(info, used);
        result.rating = Some(a.rating);
        result.mutating_functions = a.mutating_functions;
        result.least_privilege = a.least_privilege;
    }
    result.site = Some(target.site.clone());
    result.site_source = Some(target.source);
    result.scrub(token);
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
}
