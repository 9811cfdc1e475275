//! JUnit XML for CI systems that show test results (GitLab, Jenkins, Azure, CircleCI): one
//! test suite, one failing test case per finding, and a passing case when there is nothing to
//! report, so a clean run is visible as a pass and not as an empty file.
//!
//! quick-xml writes and escapes the XML; characters XML 1.0 cannot carry at all (control
//! characters in a scanned line) are replaced first.

use super::Report;
use crate::finding::Finding;
use anyhow::Result;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::io::{self, Write};

/// Replaces characters that are not allowed anywhere in an XML 1.0 document.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn failure_text(f: &Finding, show_secrets: bool) -> String {
    let mut text = format!(
        "{}:{}  {}  {}  {}\nfingerprint: {}\nline: {}\n",
        f.path,
        f.location().trim_start_matches('@'),
        f.severity,
        f.kind,
        f.secret_shown(show_secrets),
        f.fingerprint,
        f.line_shown(show_secrets).trim()
    );
    if let Some(site) = &f.site {
        text.push_str(&format!("site: {site}\n"));
    }
    if let Some(c) = &f.commit {
        text.push_str(&format!(
            "commit: {} by {} on {}: {}\n",
            c.commit, c.author, c.date, c.summary
        ));
    }
    if let Some(head) = f.present_at_head {
        text.push_str(if head {
            "present at HEAD\n"
        } else {
            "history only (still leaked: rotate it)\n"
        });
    }
    if let Some(p) = &f.probe {
        text.push_str(&format!("probe: {}\n", super::probe_line(p)));
    }
    text.push_str(super::sarif::remediation(f.kind));
    text.push('\n');
    xml_safe(&text)
}

fn write_xml<W: Write>(report: &Report<'_>, w: &mut Writer<W>) -> io::Result<()> {
    let s = report.summary;
    let tests = report.findings.len().max(1) + usize::from(s.errors > 0);
    let failures = report.findings.len().to_string();
    let errors = u64::from(s.errors > 0).to_string();
    let tests = tests.to_string();
    let time = format!("{:.3}", s.elapsed_ms as f64 / 1000.0);
    let attrs = [
        ("name", "moodleleaks"),
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", errors.as_str()),
        ("time", time.as_str()),
    ];
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("testsuites")
        .with_attributes(attrs)
        .write_inner_content(|w| {
            w.create_element("testsuite")
                .with_attributes(attrs)
                .with_attribute(("skipped", "0"))
                .write_inner_content(|w| {
                    for f in report.findings {
                        let name = xml_safe(&format!("{}:{} {}", f.path, f.line, f.rule_id));
                        let class = format!("moodleleaks.{}", f.kind);
                        let line = f.line.to_string();
                        let path = xml_safe(&f.path);
                        let message = xml_safe(&format!(
                            "Moodle {} {} found by rule {}",
                            f.kind,
                            f.secret_shown(report.show_secrets),
                            f.rule_id
                        ));
                        w.create_element("testcase")
                            .with_attributes([
                                ("name", name.as_str()),
                                ("classname", class.as_str()),
                                ("file", path.as_str()),
                                ("line", line.as_str()),
                            ])
                            .write_inner_content(|w| {
                                w.create_element("failure")
                                    .with_attributes([
                                        ("message", message.as_str()),
                                        ("type", f.kind.as_str()),
                                    ])
                                    .write_text_content(BytesText::new(&failure_text(
                                        f,
                                        report.show_secrets,
                                    )))?;
                                Ok(())
                            })?;
                    }
                    if report.findings.is_empty() {
                        w.create_element("testcase")
                            .with_attributes([
                                ("name", "no Moodle credentials found"),
                                ("classname", "moodleleaks"),
                            ])
                            .write_empty()?;
                    }
                    if s.errors > 0 {
                        let message = format!(
                            "{} inputs could not be scanned (see the log): the scan is incomplete",
                            s.errors
                        );
                        w.create_element("testcase")
                            .with_attributes([
                                ("name", "every input was scanned"),
                                ("classname", "moodleleaks"),
                            ])
                            .write_inner_content(|w| {
                                w.create_element("error")
                                    .with_attributes([
                                        ("message", message.as_str()),
                                        ("type", "scan-error"),
                                    ])
                                    .write_empty()?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")?;
    Ok(())
}

/// `--format junit`.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    write_xml(report, &mut w)?;
    Ok(())
}
