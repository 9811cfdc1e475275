//! The rotation report: findings grouped by secret (fingerprint), most urgent first, each with
//! every place it appears and what to do about it in Moodle.
//!
//! [`RotationReport`] is the one model the Markdown and HTML pages are rendered from, and it
//! serialises to JSON as it is, so `audit` can emit it next to the findings document. Secrets
//! in it are redacted unless `--show-secrets`.

use super::Report;
use crate::finding::{Finding, Kind, Severity};
use crate::probe::outcome::ProbeResult;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::SystemTime;

/// Version of the rotation report's JSON layout.
pub const ROTATION_SCHEMA_VERSION: u32 = 1;

/// How soon a secret must be rotated; the report is ordered by it, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// The probe reached the site and the token acts as a site administrator.
    LiveSiteAdmin,
    /// The probe reached the site and the token works.
    Live,
    /// Not probed, or the probe could not tell (denied, unreachable, not Moodle, ...).
    Unknown,
    /// The site said the token does not exist (revoked, expired and deleted, never real).
    Dead,
    /// Not a credential: a practice to fix (plain-HTTP web service, token in a URL query).
    Hygiene,
}

impl Urgency {
    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::LiveSiteAdmin => "LIVE — site administrator",
            Urgency::Live => "LIVE",
            Urgency::Unknown => "not confirmed (treat as live)",
            Urgency::Dead => "dead",
            Urgency::Hygiene => "practice to fix",
        }
    }
}

/// What the probe learnt about a token, read from [`Finding::probe`].
///
/// The probe result is read in [`ProbeFacts::from_probe`] only, so a change of the probe's
/// layout is one change here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProbeFacts {
    /// `live`, `invalid`, `denied`, `unreachable`, ...
    pub status: String,
    /// `critical`, `high` or `medium` for live tokens whose functions are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// Why that rating: `site administrator`, or the functions that earned it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating_reason: Option<String>,
    /// Why the probe could not tell, or why access was denied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sitename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siteurl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_admin: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_count: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<String>,
}

impl ProbeFacts {
    /// Reads a probe result.
    pub fn from_probe(p: &ProbeResult) -> ProbeFacts {
        let info = p.site_info.as_ref();
        ProbeFacts {
            status: p.status.as_str().to_string(),
            rating: p.rating.map(|r| r.to_string()),
            rating_reason: p.rating_reason.clone(),
            reason: p.reason.clone(),
            sitename: info.map(|i| i.sitename.clone()),
            siteurl: info.map(|i| i.siteurl.clone()),
            username: info.map(|i| i.username.clone()),
            site_admin: info.and_then(|i| i.userissiteadmin),
            function_count: info.map(|i| i.function_count as u64),
            functions: info.map(|i| i.functions.clone()).unwrap_or_default(),
        }
    }

    /// `N: a, b, c and K more`, each name rendered by `show` and at most `max` listed: the
    /// Markdown and HTML pages list a token's functions alike. `None` when not known.
    pub fn functions_line(
        &self,
        max: usize,
        show: impl Fn(&str) -> String,
        separator: &str,
    ) -> Option<String> {
        let count = self.function_count?;
        let mut line = count.to_string();
        if !self.functions.is_empty() {
            let shown: Vec<String> = self.functions.iter().take(max).map(|f| show(f)).collect();
            line.push_str(": ");
            line.push_str(&shown.join(separator));
            if self.functions.len() > max {
                line.push_str(&format!(" and {} more", self.functions.len() - max));
            }
        }
        Some(line)
    }

    /// The probe facts of `f`, when it was probed.
    pub fn of(f: &Finding) -> Option<ProbeFacts> {
        f.probe.as_ref().map(ProbeFacts::from_probe)
    }

    /// Whether the site accepted the token.
    pub fn is_live(&self) -> bool {
        self.status == "live"
    }

    /// Whether the site said the token does not exist (Moodle's `invalidtoken`, or an expired
    /// token Moodle deleted when probed). Every other answer, `denied` included, may still
    /// hide a working token.
    pub fn is_dead(&self) -> bool {
        self.status == "invalid" || self.status == "expired"
    }
}

/// One place a secret appears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub path: String,
    pub line: u32,
    /// The commit that introduced it there; absent for files on disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// RFC 3339 author date of `commit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_summary: Option<String>,
}

/// Where a secret still is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    /// In the current files (a file scan, or a history finding still present at HEAD).
    Head,
    /// Only in history: gone from the files, still in every clone.
    HistoryOnly,
}

impl Exposure {
    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Exposure::Head => "present at HEAD",
            Exposure::HistoryOnly => "history only",
        }
    }
}

/// One secret and everything known about it.
#[derive(Debug, Clone, Serialize)]
pub struct SecretGroup {
    pub urgency: Urgency,
    pub kind: Kind,
    /// The highest rule severity among its findings.
    pub severity: Severity,
    /// Redacted unless `--show-secrets`.
    pub secret: String,
    pub fingerprint: String,
    pub rules: Vec<String>,
    /// Sites named next to the secret.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeFacts>,
    pub exposure: Exposure,
    /// Earliest and latest commit dates, for history findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    pub places: Vec<Place>,
    /// What to do, in order.
    pub actions: Vec<String>,
}

/// Counts by urgency, for the report's head.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RotationSummary {
    pub secrets: usize,
    pub findings: usize,
    pub live_site_admin: usize,
    pub live: usize,
    pub unknown: usize,
    pub dead: usize,
    pub hygiene: usize,
    pub history_only: usize,
}

/// The whole rotation report.
#[derive(Debug, Clone, Serialize)]
pub struct RotationReport {
    pub tool: &'static str,
    pub version: &'static str,
    pub schema_version: u32,
    /// UTC, `YYYY-MM-DDTHH:MM:SS`.
    pub generated_at: String,
    pub summary: RotationSummary,
    pub secrets: Vec<SecretGroup>,
    /// What the scan behind the report covered (files, bytes, skips, errors, notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<crate::summary::Summary>,
}

/// The rotation model as JSON (`audit --format json`): what the Markdown and HTML pages are
/// rendered from.
pub fn write_json(report: &RotationReport, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)?;
    Ok(())
}

impl RotationReport {
    /// Groups the findings of `report` by secret.
    pub fn new(report: &Report<'_>) -> RotationReport {
        let mut r = RotationReport::from_findings(report.findings, report.show_secrets);
        r.scan = Some(report.summary.clone());
        r
    }

    /// Groups `findings` by secret, most urgent first.
    pub fn from_findings(findings: &[Finding], show_secrets: bool) -> RotationReport {
        let mut by_secret: BTreeMap<(&str, Kind), Vec<&Finding>> = BTreeMap::new();
        for f in findings {
            by_secret
                .entry((f.fingerprint.as_str(), f.kind))
                .or_default()
                .push(f);
        }
        let mut secrets: Vec<SecretGroup> = by_secret
            .into_values()
            .map(|group| SecretGroup::new(&group, show_secrets))
            .collect();
        secrets.sort_by(|a, b| {
            (a.urgency, std::cmp::Reverse(a.severity), a.exposure as u8)
                .cmp(&(b.urgency, std::cmp::Reverse(b.severity), b.exposure as u8))
                .then_with(|| a.places[0].path.cmp(&b.places[0].path))
                .then_with(|| a.places[0].line.cmp(&b.places[0].line))
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        });
        let mut summary = RotationSummary {
            secrets: secrets.len(),
            findings: findings.len(),
            ..RotationSummary::default()
        };
        for s in &secrets {
            match s.urgency {
                Urgency::LiveSiteAdmin => summary.live_site_admin += 1,
                Urgency::Live => summary.live += 1,
                Urgency::Unknown => summary.unknown += 1,
                Urgency::Dead => summary.dead += 1,
                Urgency::Hygiene => summary.hygiene += 1,
            }
            if s.exposure == Exposure::HistoryOnly && s.urgency != Urgency::Hygiene {
                summary.history_only += 1;
            }
        }
        RotationReport {
            tool: "moodleleaks",
            version: env!("CARGO_PKG_VERSION"),
            schema_version: ROTATION_SCHEMA_VERSION,
            generated_at: super::timestamp::utc(SystemTime::now()),
            summary,
            secrets,
            scan: None,
        }
    }
}

/// How a page marks up a secret's facts: the Markdown and HTML pages show the same facts in
/// the same order, each in its own syntax, so the list is built once ([`SecretGroup::facts`]).
pub trait Markup {
    /// Between the items of a list of values.
    const SEPARATOR: &'static str;
    /// Plain text, escaped.
    fn text(&self, s: &str) -> String;
    /// A value in monospace, escaped.
    fn code(&self, s: &str) -> String;
    /// What must not be missed.
    fn strong(&self, s: &str) -> String;
}

/// At most this many of a token's functions are listed by name.
pub const MAX_FUNCTIONS_SHOWN: usize = 20;

impl SecretGroup {
    /// The secret's facts as (label, marked-up value) rows, in display order.
    pub fn facts<M: Markup>(&self, m: &M) -> Vec<(&'static str, String)> {
        let codes = |items: &[String]| {
            let shown: Vec<String> = items.iter().map(|s| m.code(s)).collect();
            shown.join(M::SEPARATOR)
        };
        let mut rows = vec![
            ("fingerprint", m.code(&self.fingerprint)),
            ("severity", m.text(self.severity.as_str())),
            ("rules", codes(&self.rules)),
        ];
        if !self.sites.is_empty() {
            rows.push(("site", codes(&self.sites)));
        }
        match &self.probe {
            None if !self.kind.is_credential() => {}
            None => rows.push(("probe", "not probed".to_string())),
            Some(p) => {
                let mut status = m.text(&p.status);
                if let Some(r) = &p.rating {
                    status.push_str(&format!(", rating {}", m.text(r)));
                    if let Some(why) = &p.rating_reason {
                        status.push_str(&format!(" — {}", m.text(why)));
                    }
                }
                if let Some(r) = &p.reason {
                    status.push_str(&format!(" ({})", m.text(r)));
                }
                rows.push(("probe", status));
                let site: Vec<String> = [
                    p.sitename.as_deref().map(|n| m.text(n)),
                    p.siteurl.as_deref().map(|u| m.code(u)),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !site.is_empty() {
                    rows.push(("site (probe)", site.join(" ")));
                }
                if let Some(u) = &p.username {
                    rows.push(("user", m.code(u)));
                }
                if let Some(admin) = p.site_admin {
                    let shown = if admin { m.strong("yes") } else { "no".into() };
                    rows.push(("site admin", shown));
                }
                let code = |f: &str| m.code(f);
                if let Some(v) = p.functions_line(MAX_FUNCTIONS_SHOWN, code, M::SEPARATOR) {
                    rows.push(("functions", v));
                }
            }
        }
        rows.push(("where", m.text(self.exposure.label())));
        if let Some(d) = &self.first_seen {
            rows.push(("first seen", m.text(d)));
        }
        if let Some(d) = &self.last_seen {
            rows.push(("last seen", m.text(d)));
        }
        rows
    }

    fn new(group: &[&Finding], show_secrets: bool) -> SecretGroup {
        let first = group[0];
        let probe = group.iter().find_map(|f| ProbeFacts::of(f));
        let urgency = if !first.kind.is_credential() {
            Urgency::Hygiene
        } else {
            match &probe {
                Some(p) if p.is_live() && p.site_admin == Some(true) => Urgency::LiveSiteAdmin,
                Some(p) if p.is_live() => Urgency::Live,
                Some(p) if p.is_dead() => Urgency::Dead,
                _ => Urgency::Unknown,
            }
        };
        let mut places: Vec<Place> = Vec::new();
        for f in group {
            let c = f.commit.as_ref();
            places.push(Place {
                path: f.path.clone(),
                line: f.line,
                commit: c.map(|c| c.commit.clone()),
                author: c.map(|c| c.author.clone()),
                date: c.map(|c| c.date.clone()),
                commit_summary: c.map(|c| c.summary.clone()),
            });
            for other in &f.also_in {
                places.push(Place {
                    path: other.path.clone(),
                    line: other.line,
                    commit: Some(other.commit.clone()),
                    author: None,
                    date: Some(other.date.clone()),
                    commit_summary: None,
                });
            }
        }
        // A history finding's `also_in` may name a place that is also a finding of its own:
        // one place, keeping the entry that carries the commit's author and message.
        places.sort_by(|a, b| {
            (
                a.commit.is_some(),
                &a.date,
                &a.path,
                a.line,
                &a.commit,
                a.author.is_none(),
            )
                .cmp(&(
                    b.commit.is_some(),
                    &b.date,
                    &b.path,
                    b.line,
                    &b.commit,
                    b.author.is_none(),
                ))
        });
        places.dedup_by(|later, kept| {
            (&later.path, later.line, &later.commit) == (&kept.path, kept.line, &kept.commit)
        });
        let dates: Vec<&String> = places.iter().filter_map(|p| p.date.as_ref()).collect();
        let first_seen = dates.iter().min().map(|d| d.to_string());
        let last_seen = dates.iter().max().map(|d| d.to_string());
        let at_head = group
            .iter()
            .any(|f| f.commit.is_none() || f.present_at_head == Some(true));
        let exposure = if at_head {
            Exposure::Head
        } else {
            Exposure::HistoryOnly
        };
        let mut sites: Vec<String> = group.iter().filter_map(|f| f.site.clone()).collect();
        sites.sort();
        sites.dedup();
        let mut rules: Vec<String> = group.iter().map(|f| f.rule_id.clone()).collect();
        rules.sort();
        rules.dedup();
        SecretGroup {
            urgency,
            kind: first.kind,
            severity: group
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(first.severity),
            secret: first.secret_shown(show_secrets),
            fingerprint: first.fingerprint.clone(),
            rules,
            actions: actions(first.kind, urgency, exposure, probe.as_ref()),
            sites,
            probe,
            exposure,
            first_seen,
            last_seen,
            places,
        }
    }
}

/// What to do about one secret, specific to Moodle, in the order to do it.
pub fn actions(
    kind: Kind,
    urgency: Urgency,
    exposure: Exposure,
    probe: Option<&ProbeFacts>,
) -> Vec<String> {
    let mut steps: Vec<String> = Vec::new();
    let now = match urgency {
        Urgency::LiveSiteAdmin => "Now: this token acts as a site administrator. ",
        Urgency::Live => "Now: the token works. ",
        Urgency::Unknown => "Treat it as live until the site says otherwise. ",
        Urgency::Dead => "The site no longer accepts it; still confirm and clean up. ",
        Urgency::Hygiene => "",
    };
    match kind {
        Kind::Wstoken | Kind::Privatetoken | Kind::MobileLaunch => {
            steps.push(format!(
                "{now}Delete the token in Site administration → Server → Web services → Manage tokens (this also invalidates its private token)."
            ));
            steps.push(
                "Issue a new token for a dedicated service account (not a person, never a site administrator), on a service with \"Authorised users only\" and only the functions the integration calls."
                    .to_string(),
            );
            steps.push(
                "Restrict the new token: set an IP restriction to the caller's addresses and an expiry date (validuntil)."
                    .to_string(),
            );
            steps.push(
                "Move the token out of the repository into a secret store (CI secret, vault) and load it at run time."
                    .to_string(),
            );
            if let Some(p) = probe.filter(|p| p.is_live()) {
                steps.push(format!(
                    "Review the site's logs for calls made with this token{}: it could call {} functions.",
                    p.username
                        .as_ref()
                        .map(|u| format!(" as user {u}"))
                        .unwrap_or_default(),
                    p.function_count
                        .map_or_else(|| "an unknown number of".to_string(), |n| n.to_string())
                ));
            }
        }
        Kind::Userkey => {
            steps.push(format!(
                "{now}Reset the user's private access key (log in as that user and reset it), which invalidates the tokenpluginfile.php links made with it."
            ));
            steps.push(
                "Stop committing saved site_info answers and tokenpluginfile.php URLs.".to_string(),
            );
        }
        Kind::PasswordInUrl => {
            steps.push(format!(
                "{now}Change the account's password, and delete the tokens issued to it in Site administration → Server → Web services → Manage tokens."
            ));
            steps.push(
                "Request tokens with a POST body (never a URL query string) using credentials from a secret store."
                    .to_string(),
            );
        }
        Kind::Hygiene => {
            steps.push(
                "Call Moodle web services over HTTPS only, and send the token in the POST body, never in a URL query string (it ends up in web-server and proxy logs)."
                    .to_string(),
            );
        }
    }
    if exposure == Exposure::HistoryOnly && kind.is_credential() {
        steps.push(
            "The secret is only in history, but every clone still has it: rotate first (above), then rewrite history (git filter-repo --replace-text) and have every clone re-cloned."
                .to_string(),
        );
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::outcome::{ProbeStatus, Rating, SiteInfo};

    #[test]
    fn probe_facts_read_a_live_result() {
        let mut live = ProbeResult::new(ProbeStatus::Live, None);
        live.rating = Some(Rating::Critical);
        live.site_info = Some(SiteInfo {
            sitename: "Campus".into(),
            siteurl: "https://lms.example.edu".into(),
            release: None,
            version: None,
            userid: 2,
            username: "admin".into(),
            fullname: None,
            userissiteadmin: Some(true),
            function_count: 2,
            functions: vec![
                "core_user_create_users".into(),
                "core_webservice_get_site_info".into(),
            ],
        });
        let p = ProbeFacts::from_probe(&live);
        assert!(p.is_live());
        assert_eq!(p.site_admin, Some(true));
        assert_eq!(p.function_count, Some(2));
        assert_eq!(p.rating.as_deref(), Some("critical"));
        let denied = ProbeResult::new(ProbeStatus::Denied, Some("ip-restricted".into()));
        assert!(!ProbeFacts::from_probe(&denied).is_dead());
        let invalid = ProbeResult::new(ProbeStatus::Invalid, None);
        assert!(ProbeFacts::from_probe(&invalid).is_dead());
    }

    #[test]
    fn history_only_credentials_are_told_to_rotate_before_rewriting() {
        let steps = actions(Kind::Wstoken, Urgency::Unknown, Exposure::HistoryOnly, None);
        let rotate = steps
            .iter()
            .position(|s| s.contains("Manage tokens"))
            .unwrap();
        let rewrite = steps
            .iter()
            .position(|s| s.contains("filter-repo"))
            .unwrap();
        assert!(rotate < rewrite);
        let head = actions(Kind::Wstoken, Urgency::Live, Exposure::Head, None);
        assert!(!head.iter().any(|s| s.contains("filter-repo")));
    }
}
