//! JSON and JSON Lines. The field names of [`FindingRecord`] are a contract that users'
//! pipelines depend on (see README, "Output schema"); a snapshot test keeps them stable.

use super::Report;
use crate::finding::{CommitRef, Finding, Kind, Severity, FINGERPRINT_ALGORITHM};
use crate::probe::outcome::ProbeResult;
use crate::summary::Summary;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// Version of the JSON document layout.
pub const SCHEMA_VERSION: u32 = 1;

/// One finding as every machine-readable output shows it: secrets redacted unless asked.
#[derive(Debug, Serialize)]
pub struct FindingRecord<'a> {
    pub rule_id: &'a str,
    pub kind: Kind,
    pub severity: Severity,
    pub path: &'a str,
    /// Inside an archive: the member chain after the outer file (`path` is `outer!member`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<&'a str>,
    pub line: u32,
    pub column: u32,
    /// A finding in a binary input: the byte offset of the secret (line and column are 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<u64>,
    pub secret: String,
    pub fingerprint: &'a str,
    pub fingerprint_algorithm: &'static str,
    pub line_text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present_at_head: Option<bool>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub also_introduced_in: &'a [CommitRef],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<&'a ProbeResult>,
    /// `audit`: the repository (normalised name) the finding is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<&'a str>,
    /// Incremental `audit`: whether the previous audit did not report this finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
}

impl<'a> FindingRecord<'a> {
    /// The record of `f`, redacted unless `show_secrets`.
    pub fn new(f: &'a Finding, show_secrets: bool) -> Self {
        let c = f.commit.as_ref();
        FindingRecord {
            rule_id: &f.rule_id,
            kind: f.kind,
            severity: f.severity,
            path: &f.path,
            member: f.member.as_deref(),
            line: f.line,
            column: f.column,
            byte_offset: f.byte_offset,
            secret: f.secret_shown(show_secrets),
            fingerprint: &f.fingerprint,
            fingerprint_algorithm: FINGERPRINT_ALGORITHM,
            line_text: f.line_shown(show_secrets),
            site: f.site.as_deref(),
            commit: c.map(|c| c.commit.as_str()),
            author: c.map(|c| c.author.as_str()),
            email: c.map(|c| c.email.as_str()),
            date: c.map(|c| c.date.as_str()),
            commit_summary: c.map(|c| c.summary.as_str()),
            present_at_head: f.present_at_head,
            also_introduced_in: &f.also_in,
            probe: f.probe.as_ref(),
            repository: f.repository.as_deref(),
            new: f.new,
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    tool: &'static str,
    version: &'static str,
    schema_version: u32,
    fingerprint_algorithm: &'static str,
    findings: Vec<FindingRecord<'a>>,
    summary: &'a Summary,
}

/// `--format json`: one document.
pub fn write_document(report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    let doc = Document {
        tool: "moodleleaks",
        version: env!("CARGO_PKG_VERSION"),
        schema_version: SCHEMA_VERSION,
        fingerprint_algorithm: FINGERPRINT_ALGORITHM,
        findings: report
            .findings
            .iter()
            .map(|f| FindingRecord::new(f, report.show_secrets))
            .collect(),
        summary: report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

/// `--format jsonl`: one finding per line, nothing else (streams into log pipelines).
pub fn write_lines(report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    for f in report.findings {
        serde_json::to_writer(&mut *out, &FindingRecord::new(f, report.show_secrets))?;
        writeln!(out)?;
    }
    Ok(())
}
