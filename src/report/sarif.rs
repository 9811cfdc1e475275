//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers (types from `serde-sarif`).
//!
//! Locations are relative `file`-scheme URIs under `%SRCROOT%` (uploads fail on anything
//! else), and `partialFingerprints` come from the secret fingerprint, so alerts keep their
//! identity when lines move and never carry a secret or an e-mail address.

use super::Report;
use crate::finding::{Finding, Kind, Severity, FINGERPRINT_ALGORITHM};
use anyhow::Result;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;
use std::io::Write;

/// Characters escaped in a relative URI path (RFC 3986 path segments keep `/`).
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// GitHub orders alerts by this 0–10 score.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// What to do about a finding of this kind, shown as the rule's help in code scanning.
pub fn remediation(kind: Kind) -> &'static str {
    match kind {
        Kind::Wstoken | Kind::MobileLaunch | Kind::Privatetoken => {
            "Treat the token as leaked: delete it in Moodle (Site administration > Server > Web services > Manage tokens), issue a new one for a dedicated service account on a service with only the functions needed, and load it from a secret store instead of the repository."
        }
        Kind::Userkey => {
            "Treat the user private access key as leaked: reset the user's keys (log in as the user and reset the private access key) and do not commit site_info answers or tokenpluginfile.php URLs."
        }
        Kind::PasswordInUrl => {
            "Change the account's password now, and request tokens with a POST body (never a URL query string) using credentials from a secret store."
        }
        Kind::Hygiene => {
            "Call Moodle web services over HTTPS only and send the token in the POST body, never in a URL query string (it ends up in web-server and proxy logs)."
        }
    }
}

/// The run's invocation: whether it succeeded, and as notifications every file it skipped
/// though it may hold text and every note, so a skip never passes as clean in code scanning.
fn invocation(report: &Report<'_>) -> serde_json::Value {
    let s = report.summary;
    let mut notifications: Vec<serde_json::Value> = s
        .skipped_files
        .iter()
        .map(|skip| {
            json!({
                "level": "warning",
                "message": {"text": format!("{}: not scanned ({})", skip.path, skip.reason)},
                "locations": [{"physicalLocation": {"artifactLocation": {
                    "uri": uri(skipped_artifact(&skip.path, skip.reason)), "uriBaseId": "%SRCROOT%"}}}],
            })
        })
        .collect();
    notifications.extend(
        s.notes
            .iter()
            .map(|n| json!({"level": "note", "message": {"text": n}})),
    );
    json!({
        "executionSuccessful": s.errors == 0,
        "toolExecutionNotifications": notifications,
    })
}

/// The file a skip notification points at: for an archive member (`outer!member`, reasons
/// `archive_*`), the outer file, as for findings.
fn skipped_artifact<'a>(path: &'a str, reason: &str) -> &'a str {
    if reason.starts_with("archive_") {
        path.split('!').next().unwrap_or(path)
    } else {
        path
    }
}

fn uri(path: &str) -> String {
    utf8_percent_encode(path.trim_start_matches('/'), URI_PATH).to_string()
}

/// `--format sarif`.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> Result<()> {
    let rule_index: BTreeMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.spec.id.as_str(), i))
        .collect();
    let descriptors: Vec<ReportingDescriptor> = report
        .rules
        .iter()
        .map(|r| {
            let mut props = BTreeMap::new();
            props.insert(
                "security-severity".to_string(),
                json!(security_severity(r.spec.severity)),
            );
            props.insert("kind".to_string(), json!(r.spec.kind));
            ReportingDescriptor::builder()
                .id(r.spec.id.clone())
                .name(r.spec.id.clone())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(r.spec.description.clone())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(r.spec.description.clone())
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(remediation(r.spec.kind).to_string())
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(r.spec.severity)))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(vec!["security".into(), "secret".into(), "moodle".into()])
                        .additional_properties(props)
                        .build(),
                )
                .build()
        })
        .collect();

    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let mut partial = BTreeMap::new();
            partial.insert("secretFingerprint/v1".to_string(), f.fingerprint.clone());
            partial.insert("secretLocation/v1".to_string(), f.location_fingerprint());
            let mut props = BTreeMap::new();
            props.insert("kind".to_string(), json!(f.kind));
            props.insert("severity".to_string(), json!(f.severity));
            props.insert("fingerprint".to_string(), json!(f.fingerprint));
            props.insert(
                "fingerprint_algorithm".to_string(),
                json!(FINGERPRINT_ALGORITHM),
            );
            if let Some(site) = &f.site {
                props.insert("site".to_string(), json!(site));
            }
            if let Some(c) = &f.commit {
                props.insert("commit".to_string(), json!(c.commit));
                props.insert("date".to_string(), json!(c.date));
            }
            if let Some(h) = f.present_at_head {
                props.insert("present_at_head".to_string(), json!(h));
            }
            if let Some(p) = &f.probe {
                props.insert("probe".to_string(), json!(p));
            }
            if let Some(m) = &f.member {
                // The artifact is the outer file; the member is named here and in the text.
                props.insert("member".to_string(), json!(m));
                props.insert("path".to_string(), json!(f.path));
            }
            let member_text = f
                .member
                .as_ref()
                .map(|m| format!(" In archive member {m} (line {}).", f.line))
                .unwrap_or_default();
            let probe_text = f
                .probe
                .as_ref()
                .map(|p| format!(" Probe: {}.", super::probe_line(p)))
                .unwrap_or_default();
            let text = format!(
                "Moodle {} {} found by rule {} (fingerprint {}).{member_text}{probe_text} {}",
                f.kind,
                f.secret_shown(report.show_secrets),
                f.rule_id,
                &f.fingerprint[..16],
                remediation(f.kind)
            );
            let mut builder = SarifResult::builder()
                .rule_id(f.rule_id.clone())
                .level(level(f.severity))
                .message(Message::builder().text(text).build())
                .locations(vec![Location::builder()
                    .physical_location(
                        PhysicalLocation::builder()
                            .artifact_location(
                                ArtifactLocation::builder()
                                    .uri(uri(f.artifact_path()))
                                    .uri_base_id("%SRCROOT%".to_string())
                                    .build(),
                            )
                            .region(region(f))
                            .build(),
                    )
                    .build()])
                .partial_fingerprints(partial)
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build();
            builder.rule_index = rule_index.get(f.rule_id.as_str()).map(|&i| i as i64);
            builder
        })
        .collect();

    let driver = ToolComponent::builder()
        .name("moodleleaks".to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .information_uri("https://github.com/moodleleaks/moodleleaks".to_string())
        .rules(descriptors)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let sarif = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json".to_string())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut sarif = serde_json::to_value(&sarif)?;
    sarif["runs"][0]["invocations"] = json!([invocation(report)]);
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)?;
    Ok(())
}

/// Where a finding is: its line and column, or, in a binary input (no lines), the byte
/// offset of its first byte (SARIF 2.1.0 §3.30.13, `region.byteOffset`, zero-based).
fn region(f: &Finding) -> Region {
    match f.byte_offset {
        Some(offset) => Region::builder().byte_offset(offset as i64).build(),
        None => Region::builder()
            .start_line(f.line as i64)
            .start_column(f.column as i64)
            .build(),
    }
}
