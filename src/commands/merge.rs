//! `moodleleaks merge`: shard reports back into one report. Each shard of an organisation
//! audit (`audit --shard K/N --format jsonl`) lists its findings with their repository; the
//! merge reads them all, keeps each finding once (by fingerprint and place) and writes any
//! format, the rotation report included.
//!
//! The reports hold redacted secrets (unless the shards ran with `--show-secrets`), so the
//! merge never probes: probe in the shard audits, and the merged report keeps their verdicts.

use crate::app::finish_as;
use crate::cli::MergeArgs;
use crate::finding::{redact, CommitInfo, CommitRef, Finding, Kind, Severity};
use crate::probe::outcome::ProbeResult;
use crate::report::View;
use crate::rules;
use crate::summary::Stats;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// One finding as `--format jsonl` / `json` writes it ([`crate::report::json::FindingRecord`]).
#[derive(Deserialize)]
struct Record {
    rule_id: String,
    kind: Kind,
    severity: Severity,
    path: String,
    #[serde(default)]
    member: Option<String>,
    line: u32,
    column: u32,
    #[serde(default)]
    byte_offset: Option<u64>,
    secret: String,
    fingerprint: String,
    line_text: String,
    site: Option<String>,
    commit: Option<String>,
    #[serde(default)]
    author: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    commit_summary: String,
    present_at_head: Option<bool>,
    #[serde(default)]
    also_introduced_in: Vec<CommitRef>,
    probe: Option<ProbeResult>,
    repository: Option<String>,
    new: Option<bool>,
}

/// A `--format json` findings document.
#[derive(Deserialize)]
struct Document {
    findings: Vec<Record>,
}

/// Reads every report, merges the findings and writes one report.
pub fn run(args: MergeArgs) -> Result<i32> {
    let start = Instant::now();
    if args.common.probe {
        bail!("merge: --probe needs the secrets, which shard reports redact; probe in the shard audits (audit --probe) and merge their reports");
    }
    let stats = Stats::default();
    let mut seen = HashSet::new();
    let mut findings = Vec::new();
    for path in &args.reports {
        let records = match read(path) {
            Ok(r) => r,
            Err(e) => {
                stats.error(format!("{e:#}"));
                continue;
            }
        };
        stats.scanned(0);
        for r in records {
            let key = (
                r.fingerprint.clone(),
                r.repository.clone(),
                r.path.clone(),
                r.line,
                r.column,
                r.commit.clone(),
                r.rule_id.clone(),
            );
            if seen.insert(key) {
                findings.push(finding(r));
            }
        }
    }
    stats.note(format!(
        "merged {} reports into {} findings",
        args.reports.len(),
        findings.len()
    ));
    finish_as(
        View::Rotation,
        &args.common,
        &rules::builtin()?,
        findings,
        &stats,
        start,
    )
}

/// The findings of one report: JSON Lines, or one JSON document with `findings`.
fn read(path: &Path) -> Result<Vec<Record>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read report", path.display()))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') && !trimmed.starts_with("{\"rule_id\"") {
        if let Ok(doc) = serde_json::from_str::<Document>(&text) {
            return Ok(doc.findings);
        }
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(line).with_context(|| {
            format!(
                "{}:{}: not a moodleleaks finding (expected audit --format jsonl)",
                path.display(),
                i + 1
            )
        })?;
        out.push(r);
    }
    Ok(out)
}

/// A record back as a finding. The secret may be redacted already (it then stays so); a
/// shard written with `--show-secrets` has it in full, and the line is redacted here so
/// that the merged report redacts unless `--show-secrets` is given again.
fn finding(r: Record) -> Finding {
    let line_redacted = if r.kind.is_credential() && !r.secret.is_empty() {
        r.line_text.replace(&r.secret, &redact(&r.secret))
    } else {
        r.line_text.clone()
    };
    Finding {
        rule_id: r.rule_id,
        kind: r.kind,
        severity: r.severity,
        path: r.path,
        member: r.member,
        line: r.line,
        column: r.column,
        byte_offset: r.byte_offset,
        redact: r.kind.is_credential(),
        secret: r.secret,
        fingerprint: r.fingerprint,
        line_redacted,
        line_raw: r.line_text,
        site: r.site,
        commit: r.commit.map(|commit| CommitInfo {
            commit,
            author: r.author,
            email: r.email,
            date: r.date,
            summary: r.commit_summary,
        }),
        present_at_head: r.present_at_head,
        also_in: r.also_introduced_in,
        probe: r.probe,
        repository: r.repository,
        new: r.new,
    }
}
