//! Reporters: one module per output format, all reading the same [`Report`]. Redaction is
//! decided by [`Finding::secret_shown`] and [`Finding::line_shown`], never here.

pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rotation;
pub mod sarif;
pub mod timestamp;

use crate::finding::Finding;
use crate::rules::Rule;
use crate::summary::Summary;
use anyhow::Result;
use std::io::Write;

/// Output formats users pick with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by file, coloured on a terminal.
    Human,
    /// One JSON document: `findings` and `summary`.
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitLab secret-detection report (gl-secret-detection-report.json, schema 15).
    Gitlab,
    /// JUnit XML: one failing test case per finding.
    Junit,
    /// Rotation report in Markdown, grouped by secret, most urgent first.
    Markdown,
    /// Rotation report as a self-contained HTML page.
    Html,
}

/// Everything a reporter may show.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub summary: &'a Summary,
    pub rules: &'a [Rule],
    pub show_secrets: bool,
    /// Colour escapes allowed (human format on a terminal).
    pub color: bool,
    /// Leave out the human summary.
    pub quiet: bool,
}

/// Writes `report` in `format`.
pub fn write(format: Format, report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Human => human::write(report, out),
        Format::Json => json::write_document(report, out),
        Format::Jsonl => json::write_lines(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Gitlab => gitlab::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Markdown => markdown::write(&rotation::RotationReport::new(report), out),
        Format::Html => html::write(&rotation::RotationReport::new(report), out),
    }
}

/// One line describing a probe result (`status`, `rating`, `reason`, user and site) for the
/// text formats.
pub fn probe_line(p: &serde_json::Value) -> String {
    let get = |k: &str| p.get(k).and_then(|v| v.as_str());
    let mut parts = vec![get("status").unwrap_or("unknown").to_string()];
    for key in ["rating", "reason", "username", "sitename"] {
        if let Some(v) = get(key) {
            parts.push(format!("{key}={v}"));
        }
    }
    if let Some(admin) = p.get("userissiteadmin").and_then(|v| v.as_bool()) {
        parts.push(format!("siteadmin={admin}"));
    }
    if let Some(n) = p.get("function_count").and_then(|v| v.as_u64()) {
        parts.push(format!("functions={n}"));
    }
    parts.join(" ")
}
