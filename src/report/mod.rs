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
use crate::probe::outcome::ProbeResult;
use crate::rules::Rule;
use crate::summary::Summary;
use anyhow::Result;
use std::borrow::Cow;
use std::io::Write;

/// Whether `c` must not reach a terminal raw: control characters (ESC starts the sequences
/// that move the cursor, recolour, set the title...; CR and BS overwrite what was printed)
/// and the bidirectional overrides that reorder text ("Trojan Source", CVE-2021-42574).
fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every unsafe character written as a visible escape (`\x1b`, `\u{202e}`), as
/// git and ripgrep print hostile file names: for the human-readable formats, so that a file
/// name, a line, a site or a commit message cannot drive the terminal or forge report lines.
/// Machine formats (JSON, SARIF, XML) keep text exact; their encoders escape it.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !is_unsafe_char(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Escapes, in place, every text of `findings` and `notes` the human-readable formats print
/// (see [`escape_control`]).
pub fn escape_for_humans(findings: &mut [Finding], notes: &mut [String]) {
    let fix = |s: &mut String| {
        if let Cow::Owned(e) = escape_control(s) {
            *s = e;
        }
    };
    for f in findings.iter_mut() {
        fix(&mut f.path);
        fix(&mut f.line_redacted);
        fix(&mut f.line_raw);
        fix(&mut f.rule_id);
        if let Some(site) = &mut f.site {
            fix(site);
        }
        if let Some(c) = &mut f.commit {
            fix(&mut c.author);
            fix(&mut c.email);
            fix(&mut c.summary);
        }
        for other in &mut f.also_in {
            fix(&mut other.path);
        }
    }
    notes.iter_mut().for_each(fix);
}

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

/// What a report is about: the findings, or the secrets to rotate (`audit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Findings, place by place.
    #[default]
    Findings,
    /// Secrets grouped for rotation: `human` renders it as Markdown and `json` writes the
    /// rotation model; the other formats list the findings.
    Rotation,
}

/// Everything a reporter may show.
pub struct Report<'a> {
    pub view: View,
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
    match (format, report.view) {
        (Format::Human, View::Rotation) | (Format::Markdown, _) => {
            markdown::write(&rotation::RotationReport::new(report), out)
        }
        (Format::Json, View::Rotation) => {
            rotation::write_json(&rotation::RotationReport::new(report), out)
        }
        (Format::Html, _) => html::write(&rotation::RotationReport::new(report), out),
        (Format::Human, View::Findings) => human::write(report, out),
        (Format::Json, View::Findings) => json::write_document(report, out),
        (Format::Jsonl, _) => json::write_lines(report, out),
        (Format::Sarif, _) => sarif::write(report, out),
        (Format::Gitlab, _) => gitlab::write(report, out),
        (Format::Junit, _) => junit::write(report, out),
    }
}

/// One line describing a probe result for the text formats: status, rating and reason,
/// then who the token acts as and where.
pub fn probe_line(p: &ProbeResult) -> String {
    let mut parts = vec![p.status.to_string()];
    if let Some(r) = p.rating {
        parts.push(format!("rating={r}"));
    }
    if let Some(why) = &p.rating_reason {
        parts.push(format!("rating_reason=\"{why}\""));
    }
    if let Some(reason) = &p.reason {
        parts.push(format!("reason={reason}"));
    }
    if let Some(i) = &p.site_info {
        parts.push(format!("user={} (id {})", i.username, i.userid));
        if let Some(admin) = i.userissiteadmin {
            parts.push(format!("siteadmin={admin}"));
        }
        parts.push(format!("sitename=\"{}\"", i.sitename));
        if let Some(release) = &i.release {
            parts.push(format!("release=\"{release}\""));
        }
        parts.push(format!("functions={}", i.function_count));
    }
    if let Some(site) = &p.site {
        parts.push(format!("site={site}"));
    }
    parts.join(" ")
}

/// The lines that follow [`probe_line`] in the human formats: what the status means, what a
/// live token can call and the least-privilege note.
pub fn probe_details(p: &ProbeResult) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = &p.detail {
        lines.push(d.clone());
    }
    if let Some(i) = &p.site_info {
        lines.push(format!("can call: {}", i.functions.join(", ")));
    }
    if !p.mutating_functions.is_empty() {
        lines.push(format!("changes data: {}", p.mutating_functions.join(", ")));
    }
    if let Some(n) = &p.least_privilege {
        lines.push(format!("least privilege: {n}"));
    }
    lines
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_made_visible() {
        assert_eq!(escape_control("a\x1b[2Jb\rc\td"), "a\\x1b[2Jb\\x0dc\td");
        assert_eq!(escape_control("x\u{202e}y"), "x\\u{202e}y");
        assert!(matches!(escape_control("plain"), Cow::Borrowed(_)));
    }
}
