//! The format people read: findings grouped by file, the redacted line with the secret
//! highlighted, and a summary line.

use super::Report;
use crate::finding::{Finding, Severity};
use crate::probe::outcome::ProbeStatus;
use anyhow::Result;
use std::io::Write;
use termcolor::{Ansi, Color, ColorSpec, NoColor, WriteColor};

/// Writes the human report, with ANSI colours when `report.color`.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    if report.color {
        render(report, &mut Ansi::new(out))
    } else {
        render(report, &mut NoColor::new(out))
    }
}

fn spec(fg: Color, bold: bool) -> ColorSpec {
    let mut s = ColorSpec::new();
    s.set_fg(Some(fg)).set_bold(bold);
    s
}

fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Critical | Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low | Severity::Info => Color::Cyan,
    }
}

fn render(report: &Report<'_>, w: &mut dyn WriteColor) -> Result<()> {
    let mut current: Option<&str> = None;
    for f in report.findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(w)?;
            }
            w.set_color(&spec(Color::Magenta, true))?;
            write!(w, "{}", f.path)?;
            w.reset()?;
            writeln!(w)?;
            current = Some(&f.path);
        }
        finding(report, f, w)?;
    }
    if !report.quiet {
        if !report.findings.is_empty() {
            writeln!(w)?;
        }
        summary(report, w)?;
    }
    Ok(())
}

fn finding(report: &Report<'_>, f: &Finding, w: &mut dyn WriteColor) -> Result<()> {
    let secret = f.secret_shown(report.show_secrets);
    write!(w, "  {}  ", f.location())?;
    w.set_color(&spec(severity_color(f.severity), true))?;
    write!(w, "{}", f.severity)?;
    w.reset()?;
    // A secret is the scanned input's text: its control characters (an ESC that would
    // clear the screen, a CR, a bidi override) are shown escaped, never sent to a terminal.
    let shown = super::escape_control(&secret);
    write!(w, "  {}  {}  {}", f.kind, shown, f.rule_id)?;
    writeln!(w, "  fp:{}", &f.fingerprint[..12])?;
    let line = f.line_shown(report.show_secrets).trim();
    write!(w, "      ")?;
    match line.find(&secret) {
        Some(at) if !secret.is_empty() => {
            write!(w, "{}", &line[..at])?;
            w.set_color(&spec(Color::Red, true))?;
            write!(w, "{shown}")?;
            w.reset()?;
            writeln!(w, "{}", &line[at + secret.len()..])?;
        }
        _ => writeln!(w, "{line}")?,
    }
    if let Some(site) = &f.site {
        writeln!(w, "      site: {site}")?;
    }
    if let Some(c) = &f.commit {
        let short = &c.commit[..c.commit.len().min(12)];
        writeln!(
            w,
            "      commit {short} by {} <{}> on {}: {}",
            c.author, c.email, c.date, c.summary
        )?;
    }
    if let Some(head) = f.present_at_head {
        let label = if head {
            "present at HEAD"
        } else {
            "history only (still leaked: rotate it)"
        };
        writeln!(w, "      {label}")?;
    }
    for other in &f.also_in {
        let short = &other.commit[..other.commit.len().min(12)];
        writeln!(
            w,
            "      also introduced in {short} at {}:{} on {}",
            other.path, other.line, other.date
        )?;
    }
    if let Some(p) = &f.probe {
        write!(w, "      probe: ")?;
        let color = match p.status {
            ProbeStatus::Live => Some(Color::Red),
            ProbeStatus::Invalid => Some(Color::Green),
            ProbeStatus::Denied | ProbeStatus::UserBlocked => Some(Color::Yellow),
            _ => None,
        };
        if let Some(c) = color {
            w.set_color(&spec(c, true))?;
        }
        write!(w, "{}", super::probe_line(p))?;
        w.reset()?;
        writeln!(w)?;
        for line in super::probe_details(p) {
            writeln!(w, "        {line}")?;
        }
    }
    Ok(())
}

fn summary(report: &Report<'_>, w: &mut dyn WriteColor) -> Result<()> {
    let s = report.summary;
    let files_with = {
        let mut paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        paths.len()
    };
    let skipped = if s.skipped.is_empty() {
        "none".to_string()
    } else {
        s.skipped
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for note in &s.notes {
        w.set_color(&spec(Color::Yellow, true))?;
        write!(w, "note:")?;
        w.reset()?;
        writeln!(w, " {note}")?;
    }
    const NAMED: usize = 20;
    for skip in s.skipped_files.iter().take(NAMED) {
        w.set_color(&spec(Color::Yellow, true))?;
        write!(w, "skipped:")?;
        w.reset()?;
        writeln!(
            w,
            " {} ({})",
            super::escape_control(&skip.path),
            skip.reason
        )?;
    }
    if s.skipped_files.len() > NAMED {
        writeln!(
            w,
            "skipped: {} more files (listed in --format json)",
            s.skipped_files.len() - NAMED
        )?;
    }
    writeln!(
        w,
        "{} findings{} in {} files; scanned {} files ({}){}; skipped: {}; suppressed: {}; errors: {}; {:.2}s",
        s.findings,
        s.live.map(|n| format!(" ({n} live)")).unwrap_or_default(),
        files_with,
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        match s.binary_as_strings {
            0 => String::new(),
            n => format!(", {n} binary scanned as strings"),
        },
        skipped,
        s.suppressed.inline + s.suppressed.allowlist + s.suppressed.baseline,
        s.errors,
        s.elapsed_ms as f64 / 1000.0
    )?;
    Ok(())
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
