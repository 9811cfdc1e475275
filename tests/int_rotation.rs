//! The rotation report through the real library: grouping by secret, urgency from probe
//! results, history places, advice, and the Markdown and HTML renderings of the same model.
//!
//! History and probe results come from the `git` and `probe` commands, so the findings here
//! are built the way those commands fill them in. `MOODLELEAKS_HTML_SAMPLE=FILE` also writes
//! the HTML page of this report to FILE (scripts/check-html-report.sh screenshots it).

mod common;

use common::{private_token, token};
use moodleleaks::finding::{fingerprint, CommitInfo, CommitRef, Finding, Kind, Severity};
use moodleleaks::probe::outcome::{ProbeResult, ProbeStatus, Rating, SiteInfo};
use moodleleaks::report::rotation::{Exposure, RotationReport, Urgency};
use moodleleaks::report::{html, markdown};

const SCRIPT_PATH: &str = "deploy/<script>alert(1)</script>.env";

fn finding(kind: Kind, secret: &str, path: &str, line: u32) -> Finding {
    let key = if kind == Kind::Privatetoken {
        "privatetoken"
    } else {
        "MOODLE_TOKEN"
    };
    Finding {
        rule_id: format!("moodle-{kind}-test"),
        kind,
        severity: Severity::High,
        path: path.to_string(),
        member: None,
        line,
        column: 14,
        byte_offset: None,
        secret: secret.to_string(),
        redact: true,
        fingerprint: fingerprint(kind, secret),
        line_redacted: format!("{key}={}", moodleleaks::finding::redact(secret)),
        line_raw: format!("{key}={secret}"),
        site: Some("https://lms.example.edu".to_string()),
        commit: None,
        present_at_head: None,
        also_in: Vec::new(),
        probe: None,
        repository: None,
        new: None,
    }
}

fn in_history(mut f: Finding, commit: &str, date: &str, at_head: bool) -> Finding {
    f.commit = Some(CommitInfo {
        commit: commit.repeat(40 / commit.len()),
        author: "Dana <Dev> & Co".to_string(),
        email: "dana@example.edu".to_string(),
        date: date.to_string(),
        summary: "add <b>config</b>".to_string(),
    });
    f.present_at_head = Some(at_head);
    f
}

/// A live probe result as the probe would attach it.
fn live_probe(rating: Rating, user: &str, admin: Option<bool>, functions: &[&str]) -> ProbeResult {
    let mut p = ProbeResult::new(ProbeStatus::Live, None);
    p.rating = Some(rating);
    p.site_info = Some(SiteInfo {
        sitename: "Example <LMS>".to_string(),
        siteurl: "https://lms.example.edu".to_string(),
        release: None,
        version: None,
        userid: 2,
        username: user.to_string(),
        fullname: None,
        userissiteadmin: admin,
        function_count: functions.len(),
        functions: functions.iter().map(|f| f.to_string()).collect(),
    });
    p
}

/// One secret of each urgency, the admin token in two files and in history.
fn findings() -> Vec<Finding> {
    let admin = token("rot-admin");
    let live = token("rot-live");
    let denied = token("rot-denied");
    let dead = token("rot-dead");
    let history = private_token("rot-history");
    let mut out = Vec::new();

    let mut a1 = finding(Kind::Wstoken, &admin, "config/.env", 2);
    a1.probe = Some(live_probe(
        Rating::Critical,
        "admin",
        Some(true),
        &[
            "core_user_create_users",
            "core_role_assign_roles",
            "core_webservice_get_site_info",
        ],
    ));
    let mut a2 = in_history(
        finding(Kind::Wstoken, &admin, SCRIPT_PATH, 7),
        "a1",
        "2024-03-01T10:00:00+00:00",
        true,
    );
    a2.also_in.push(CommitRef {
        commit: "b2".repeat(20),
        path: "old/settings.php".to_string(),
        line: 12,
        date: "2025-06-30T08:00:00+00:00".to_string(),
    });
    out.push(a2);
    out.push(a1);

    let mut l = finding(Kind::Wstoken, &live, "sync/cron.sh", 4);
    l.probe = Some(live_probe(
        Rating::High,
        "svc-sync",
        Some(false),
        &["core_webservice_get_site_info"],
    ));
    out.push(l);

    let mut d = finding(Kind::Wstoken, &denied, "a-denied.env", 1);
    d.probe = Some(ProbeResult::new(
        ProbeStatus::Denied,
        Some("ip-restricted".to_string()),
    ));
    out.push(d);

    let mut x = finding(Kind::Wstoken, &dead, "a-dead.env", 1);
    x.probe = Some(ProbeResult::new(ProbeStatus::Invalid, None));
    out.push(x);

    out.push(in_history(
        finding(Kind::Privatetoken, &history, "legacy/app.json", 3),
        "c3",
        "2023-01-15T09:30:00+00:00",
        false,
    ));
    out
}

fn raw_secrets() -> Vec<String> {
    vec![
        token("rot-admin"),
        token("rot-live"),
        token("rot-denied"),
        token("rot-dead"),
        private_token("rot-history"),
    ]
}

#[test]
fn groups_by_secret_most_urgent_first() {
    let report = RotationReport::from_findings(&findings(), false);
    let order: Vec<Urgency> = report.secrets.iter().map(|s| s.urgency).collect();
    assert_eq!(
        order,
        [
            Urgency::LiveSiteAdmin,
            Urgency::Live,
            Urgency::Unknown,
            Urgency::Unknown,
            Urgency::Dead
        ]
    );
    assert_eq!(report.summary.secrets, 5);
    assert_eq!(report.summary.findings, 6);
    assert_eq!(report.summary.history_only, 1);

    let admin = &report.secrets[0];
    assert_eq!(
        admin.fingerprint,
        fingerprint(Kind::Wstoken, &token("rot-admin"))
    );
    // Two findings plus the later commit that introduced it again.
    assert_eq!(admin.places.len(), 3);
    assert_eq!(admin.places[0].path, "config/.env");
    assert!(admin.places[0].commit.is_none());
    assert_eq!(
        admin.first_seen.as_deref(),
        Some("2024-03-01T10:00:00+00:00")
    );
    assert_eq!(
        admin.last_seen.as_deref(),
        Some("2025-06-30T08:00:00+00:00")
    );
    assert_eq!(admin.exposure, Exposure::Head);
    let probe = admin.probe.as_ref().unwrap();
    assert_eq!(probe.site_admin, Some(true));
    assert_eq!(probe.function_count, Some(3));

    // Unknown: not-probed history-only secrets sort after ones still at HEAD.
    assert_eq!(report.secrets[2].probe.as_ref().unwrap().status, "denied");
    let history = &report.secrets[3];
    assert_eq!(history.kind, Kind::Privatetoken);
    assert_eq!(history.exposure, Exposure::HistoryOnly);
    assert!(history.actions.iter().any(|a| a.contains("filter-repo")));
    assert!(!admin.actions.iter().any(|a| a.contains("filter-repo")));
    assert!(admin.actions.iter().any(|a| a.contains("Manage tokens")));
    assert!(admin
        .actions
        .iter()
        .any(|a| a.contains("Authorised users only")));
    assert!(admin.actions.iter().any(|a| a.contains("validuntil")));
    assert!(admin.actions.iter().any(|a| a.contains("secret store")));
}

#[test]
fn json_model_carries_no_secret() {
    let report = RotationReport::from_findings(&findings(), false);
    let text = serde_json::to_string(&report).unwrap();
    for s in raw_secrets() {
        assert!(!text.contains(&s[..12]), "secret leaked into JSON");
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["secrets"][0]["urgency"], "live-site-admin");
    assert_eq!(v["secrets"][3]["exposure"], "history-only");
    assert_eq!(v["schema_version"], 1);

    let shown = serde_json::to_string(&RotationReport::from_findings(&findings(), true)).unwrap();
    assert!(shown.contains(&token("rot-admin")));
}

#[test]
fn markdown_shows_every_group_escaped() {
    let md = markdown::render(&RotationReport::from_findings(&findings(), false));
    for n in 1..=5 {
        assert!(md.contains(&format!("\n## {n}. ")), "group {n} missing");
    }
    for s in raw_secrets() {
        assert!(!md.contains(&s[..12]));
    }
    assert!(!md.contains("<b>config</b>"), "commit message not escaped");
    assert!(md.contains("LIVE — site administrator"));
    assert!(md.contains("`core_user_create_users`"));
    insta::with_settings!({filters => vec![
        (r"on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d UTC", "on [date] UTC"),
        (r"moodleleaks \d+\.\d+\.\d+", "moodleleaks [version]"),
    ]}, {
        insta::assert_snapshot!(md);
    });
}

#[test]
fn html_page_escapes_everything_and_is_self_contained() {
    let page = html::render(&RotationReport::from_findings(&findings(), false));
    for n in 1..=5 {
        assert!(
            page.contains(&format!("id=\"secret-{n}\"")),
            "group {n} missing"
        );
    }
    for s in raw_secrets() {
        assert!(!page.contains(&s[..12]));
    }
    assert!(
        !page.contains("<script"),
        "a path injected a script element"
    );
    assert!(page.contains("deploy/&lt;script&gt;alert(1)&lt;/script&gt;.env"));
    assert!(!page.contains("<b>config</b>") && !page.contains("<Dev>"));
    assert!(page.contains("Example &lt;LMS&gt;"));
    // No external resource of any kind.
    for needle in ["http://", "https://", "src=", "<link", "@import", "url("] {
        let outside_text = page
            .split("<code>")
            .map(|part| part.split("</code>").last().unwrap_or(""))
            .any(|rest| rest.contains(needle));
        assert!(!outside_text, "{needle} outside of a code element");
    }
    assert!(page.contains("Content-Security-Policy"));
    if let Some(path) = std::env::var_os("MOODLELEAKS_HTML_SAMPLE") {
        std::fs::write(path, &page).unwrap();
    }
}

#[test]
fn empty_report_says_nothing_to_rotate() {
    let report = RotationReport::from_findings(&[], false);
    assert!(markdown::render(&report).contains("nothing to rotate"));
    assert!(html::render(&report).contains("nothing to rotate"));
}
