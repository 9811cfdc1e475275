//! GitLab's secret-detection report (`gl-secret-detection-report.json`, security report
//! schema 15), so GitLab CI shows findings in merge requests and the vulnerability report.
//!
//! GitLab keeps vulnerabilities in its database long after the artifact expires, so this
//! report never carries a secret, whatever `--show-secrets` says: names, descriptions and the
//! source extract use the redacted forms.

use super::rotation::ProbeFacts;
use super::sarif::remediation;
use super::Report;
use crate::finding::{sha256_hex, Finding, Kind, Severity, FINGERPRINT_ALGORITHM};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, SystemTime};

/// The schema version this report follows: the 15.0 line GitLab's own secrets analyzer writes.
pub const SCHEMA_VERSION: &str = "15.0.7";

/// Commit GitLab's own analyzer reports for a scan of the working tree (no commit known).
const NO_COMMIT: &str = "0000000";

#[derive(Serialize)]
struct Document {
    version: &'static str,
    scan: Scan,
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Serialize)]
struct Scan {
    analyzer: Tool,
    scanner: Tool,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    start_time: String,
    end_time: String,
}

#[derive(Serialize)]
struct Tool {
    id: &'static str,
    name: &'static str,
    version: &'static str,
    vendor: Vendor,
    url: &'static str,
}

#[derive(Serialize)]
struct Vendor {
    name: &'static str,
}

#[derive(Serialize)]
struct Vulnerability {
    id: String,
    category: &'static str,
    name: String,
    description: String,
    severity: &'static str,
    solution: &'static str,
    location: Location,
    identifiers: Vec<Identifier>,
    raw_source_code_extract: String,
}

#[derive(Serialize)]
struct Location {
    file: String,
    start_line: u32,
    end_line: u32,
    commit: Commit,
}

#[derive(Serialize)]
struct Commit {
    sha: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Serialize)]
struct Identifier {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'static str>,
}

fn tool() -> Tool {
    Tool {
        id: "moodleleaks",
        name: "moodleleaks",
        version: env!("CARGO_PKG_VERSION"),
        vendor: Vendor {
            name: "moodleleaks",
        },
        url: "https://github.com/moodleleaks/moodleleaks",
    }
}

/// GitLab's severity: the rule's, raised by what the probe learnt.
fn severity(f: &Finding) -> &'static str {
    let probe = ProbeFacts::of(f);
    let raised = match &probe {
        Some(p) if p.is_live() && p.rating.as_deref() == Some("critical") => Severity::Critical,
        Some(p) if p.is_live() => f.severity.max(Severity::High),
        _ => f.severity,
    };
    match raised {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// An id derived from `parts`. Each part is followed by a NUL (hence the empty last part),
/// as ids have been built since this format was added: they must not change between runs.
fn digest(parts: &[&str]) -> String {
    let mut all = parts.to_vec();
    all.push("");
    sha256_hex(&all)
}

/// A UUID-shaped id from a hex digest.
fn uuid_shape(hex: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The weakness a finding is: a hard-coded credential, or for hygiene findings cleartext
/// transport or a secret in a GET query string.
fn cwe(f: &Finding) -> (&'static str, &'static str) {
    match f.kind {
        Kind::Hygiene if f.rule_id.contains("http") => {
            ("319", "https://cwe.mitre.org/data/definitions/319.html")
        }
        Kind::Hygiene => ("598", "https://cwe.mitre.org/data/definitions/598.html"),
        _ => ("798", "https://cwe.mitre.org/data/definitions/798.html"),
    }
}

fn vulnerability(f: &Finding, id: String, rule_description: Option<&str>) -> Vulnerability {
    let (cwe, cwe_url) = cwe(f);
    let secret = f.secret_shown(false);
    let probe = f
        .probe
        .as_ref()
        .map(|p| format!(" Probe: {}.", super::probe_line(p)))
        .unwrap_or_default();
    let history = match (&f.commit, f.present_at_head) {
        (Some(c), Some(false)) => format!(
            " Introduced in commit {} and no longer at HEAD: it is still in the history of every clone.",
            &c.commit[..c.commit.len().min(12)]
        ),
        (Some(c), _) => format!(" Introduced in commit {}.", &c.commit[..c.commit.len().min(12)]),
        _ => String::new(),
    };
    let c = f.commit.as_ref();
    Vulnerability {
        id,
        category: "secret_detection",
        name: match rule_description {
            Some(d) if !f.kind.is_credential() => d.to_string(),
            _ => format!("Moodle {} {secret}", f.kind),
        },
        description: format!(
            "A Moodle {} ({secret}, fingerprint {}) was found by rule {} in {} at {}.{history}{probe}",
            f.kind,
            &f.fingerprint[..16],
            f.rule_id,
            f.path,
            match f.byte_offset {
                Some(o) => format!("byte offset {o} (a binary file)"),
                None => format!("line {}", f.line),
            }
        ),
        severity: severity(f),
        solution: remediation(f.kind),
        location: Location {
            file: f.path.clone(),
            // A binary file has no lines: GitLab needs one, its first.
            start_line: f.line.max(1),
            end_line: f.line.max(1),
            commit: Commit {
                sha: c.map_or_else(|| NO_COMMIT.to_string(), |c| c.commit.clone()),
                author: c.map(|c| c.author.clone()),
                date: c.map(|c| c.date.clone()),
                message: c.map(|c| c.summary.clone()),
            },
        },
        identifiers: vec![
            Identifier {
                kind: "moodleleaks_rule_id",
                name: format!("moodleleaks rule {}", f.rule_id),
                value: f.rule_id.clone(),
                url: None,
            },
            Identifier {
                kind: "moodleleaks_fingerprint",
                name: format!("moodleleaks fingerprint ({FINGERPRINT_ALGORITHM})"),
                value: f.fingerprint.clone(),
                url: None,
            },
            Identifier {
                kind: "cwe",
                name: format!("CWE-{cwe}"),
                value: cwe.to_string(),
                url: Some(cwe_url),
            },
        ],
        raw_source_code_extract: f.line_shown(false).trim().to_string(),
    }
}

/// `--format gitlab`.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    let end = SystemTime::now();
    let start = end
        .checked_sub(Duration::from_millis(report.summary.elapsed_ms))
        .unwrap_or(end);
    let mut seen = HashSet::new();
    let vulnerabilities = report
        .findings
        .iter()
        .map(|f| {
            // Stable across runs and line moves: the secret and its path (and commit in
            // history); the line only separates the same secret twice in one file.
            let mut id = f.location_fingerprint();
            if let Some(c) = &f.commit {
                id = digest(&[&id, &c.commit]);
            }
            if !seen.insert(id.clone()) {
                let place = f
                    .byte_offset
                    .map_or_else(|| f.line.to_string(), |o| format!("@{o}"));
                id = digest(&[&id, &place]);
                seen.insert(id.clone());
            }
            let description = report
                .rules
                .iter()
                .find(|r| r.spec.id == f.rule_id)
                .map(|r| r.spec.description.as_str());
            vulnerability(f, uuid_shape(&id), description)
        })
        .collect();
    let doc = Document {
        version: SCHEMA_VERSION,
        scan: Scan {
            analyzer: tool(),
            scanner: tool(),
            kind: "secret_detection",
            // A partial scan that found nothing must not look clean; one that found something
            // still shows its findings.
            status: if report.summary.errors > 0 && report.findings.is_empty() {
                "failure"
            } else {
                "success"
            },
            start_time: super::timestamp::utc(start),
            end_time: super::timestamp::utc(end),
        },
        vulnerabilities,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}
