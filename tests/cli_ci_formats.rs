//! The CI and audit formats through the real binary: GitLab's secret-detection report, JUnit
//! XML, and the rotation report as Markdown and HTML.

mod common;

use common::{json, moodleleaks, token, write_tree};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashSet;
use tempfile::TempDir;

/// A file name that is markup in every format it could leak into.
const HOSTILE: &str = "deploy/<script>alert(1)<!--&\".env";

fn tree() -> TempDir {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "deploy/check.sh",
                format!(
                    "curl http://lms.example.edu/webservice/rest/server.php?wstoken={}&wsfunction=core_webservice_get_site_info\n", // moodleleaks:allow
                    token("ci-a")
                )
                .as_bytes(),
            ),
            (
                "config/.env",
                format!(
                    "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n",
                    token("ci-b")
                )
                .as_bytes(),
            ),
            (
                HOSTILE,
                format!(
                    "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n",
                    token("ci-b")
                )
                .as_bytes(),
            ),
        ],
    );
    dir
}

fn run(dir: &TempDir, format: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = moodleleaks()
        .args(["scan", "--format", format])
        .args(extra)
        .arg(dir.path())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn assert_no_secret(text: &str) {
    for label in ["ci-a", "ci-b"] {
        assert!(!text.contains(&token(label)[..12]), "secret {label} leaked");
    }
}

fn is_gitlab_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn gitlab_report_has_every_required_field_and_no_secret() {
    let dir = tree();
    // --show-secrets is ignored on purpose: GitLab keeps vulnerabilities for good.
    let (code, text) = run(&dir, "gitlab", &["--show-secrets"]);
    assert_eq!(code, Some(1));
    assert_no_secret(&text);
    let r = json(text.as_bytes());
    assert!(r["version"].as_str().unwrap().starts_with("15."));
    let scan = &r["scan"];
    for tool in ["analyzer", "scanner"] {
        for field in ["id", "name", "version"] {
            assert!(scan[tool][field].is_string(), "scan.{tool}.{field}");
        }
        assert!(
            scan[tool]["vendor"]["name"].is_string(),
            "scan.{tool}.vendor"
        );
    }
    assert_eq!(scan["type"], "secret_detection");
    assert_eq!(scan["status"], "success");
    assert!(is_gitlab_time(scan["start_time"].as_str().unwrap()));
    assert!(is_gitlab_time(scan["end_time"].as_str().unwrap()));

    let vulns = r["vulnerabilities"].as_array().unwrap();
    assert_eq!(
        vulns.len(),
        5,
        "2 tokens in .env files, 1 in a URL, 2 hygiene"
    );
    let mut ids = HashSet::new();
    for v in vulns {
        assert!(
            ids.insert(v["id"].as_str().unwrap().to_string()),
            "ids unique"
        );
        assert_eq!(v["category"], "secret_detection");
        assert!(!v["name"].as_str().unwrap().is_empty());
        assert!(!v["description"].as_str().unwrap().is_empty());
        assert!(["Critical", "High", "Medium", "Low", "Info"]
            .contains(&v["severity"].as_str().unwrap()));
        let loc = &v["location"];
        assert!(loc["file"].is_string());
        assert!(loc["start_line"].as_u64().unwrap() >= 1);
        assert!(loc["commit"]["sha"].is_string());
        let idents = v["identifiers"].as_array().unwrap();
        assert!(!idents.is_empty());
        for i in idents {
            for field in ["type", "name", "value"] {
                assert!(i[field].is_string(), "identifier.{field}");
            }
        }
        assert!(idents.iter().any(|i| i["type"] == "moodleleaks_rule_id"));
        let extract = v["raw_source_code_extract"].as_str().unwrap();
        assert!(extract.contains('…') || v["name"].as_str().unwrap().contains("HTTP"));
    }
    assert!(vulns.iter().any(|v| v["location"]["file"] == HOSTILE));

    // Ids are stable from run to run.
    let (_, again) = run(&dir, "gitlab", &[]);
    let again: Vec<_> = json(again.as_bytes())["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, again.into_iter().collect());
}

#[test]
fn gitlab_report_of_a_clean_tree_is_empty_and_successful() {
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("README", b"nothing here")]);
    let (code, text) = run(&dir, "gitlab", &[]);
    assert_eq!(code, Some(0));
    let r = json(text.as_bytes());
    assert_eq!(r["vulnerabilities"].as_array().unwrap().len(), 0);
    assert_eq!(r["scan"]["status"], "success");
}

/// (testsuite count, testcases as (name, file, failure message, failure text)).
type Case = (String, Option<String>, Option<String>, String);

fn parse_junit(xml: &str) -> (usize, Vec<Case>) {
    let mut reader = Reader::from_str(xml);
    let mut suites = 0;
    let mut cases: Vec<Case> = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| {
        e.try_get_attribute(name).unwrap().map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .unwrap()
                .into_owned()
        })
    };
    let mut in_failure = false;
    loop {
        match reader.read_event().expect("well-formed JUnit XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testsuite" => suites += 1,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                cases.push((
                    attr(&e, b"name").unwrap(),
                    attr(&e, b"file"),
                    None,
                    String::new(),
                ));
            }
            Event::Start(e) if e.name().as_ref() == b"failure" => {
                in_failure = true;
                cases.last_mut().unwrap().2 = attr(&e, b"message");
            }
            Event::Text(t) if in_failure => {
                cases.last_mut().unwrap().3 += &t.decode().unwrap();
            }
            Event::GeneralRef(r) if in_failure => {
                let name = r.decode().unwrap();
                let ch = match name.as_ref() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other}"),
                };
                cases.last_mut().unwrap().3.push(ch);
            }
            Event::End(e) if e.name().as_ref() == b"failure" => in_failure = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases)
}

#[test]
fn junit_has_one_failing_case_per_finding_and_parses_back() {
    let dir = tree();
    let (code, xml) = run(&dir, "junit", &[]);
    assert_eq!(code, Some(1));
    assert_no_secret(&xml);
    let (suites, cases) = parse_junit(&xml);
    assert_eq!(suites, 1);
    assert_eq!(cases.len(), 5);
    for (name, _, message, text) in &cases {
        assert!(message.is_some(), "{name} must fail");
        assert!(text.contains("fingerprint: "), "{text}");
    }
    // The hostile path survives escaping exactly.
    let hostile = cases
        .iter()
        .find(|c| c.1.as_deref() == Some(HOSTILE))
        .expect("hostile path round-trips");
    assert!(hostile.0.starts_with(HOSTILE));
    assert!(hostile.3.starts_with(&format!("{HOSTILE}:2:")));
    assert!(!xml.contains("<script>"));
}

#[test]
fn junit_of_a_clean_tree_is_one_passing_case() {
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("README", b"nothing here")]);
    let (code, xml) = run(&dir, "junit", &[]);
    assert_eq!(code, Some(0));
    let (suites, cases) = parse_junit(&xml);
    assert_eq!(suites, 1);
    assert_eq!(cases.len(), 1);
    assert!(cases[0].2.is_none());
}

#[test]
fn markdown_rotation_report() {
    let dir = tree();
    let (code, md) = run(&dir, "markdown", &[]);
    assert_eq!(code, Some(1));
    assert_no_secret(&md);
    insta::with_settings!({filters => vec![
        (r"on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d UTC", "on [date] UTC"),
        (r"moodleleaks \d+\.\d+\.\d+", "moodleleaks [version]"),
    ]}, {
        insta::assert_snapshot!(md);
    });
}

#[test]
fn html_rotation_report_groups_and_escapes() {
    let dir = tree();
    let (code, page) = run(&dir, "html", &[]);
    assert_eq!(code, Some(1));
    assert_no_secret(&page);
    assert!(page.starts_with("<!DOCTYPE html>"));
    // ci-b in two files is one secret; ci-a plus two hygiene notes.
    for n in 1..=4 {
        assert!(page.contains(&format!("id=\"secret-{n}\"")), "group {n}");
    }
    assert!(!page.contains("id=\"secret-5\""));
    assert!(!page.contains("<script"), "path injected markup");
    assert!(page.contains("deploy/&lt;script&gt;alert(1)&lt;!--&amp;&quot;.env"));
    assert!(!page.contains("<link") && !page.contains("src="));
}

#[test]
fn show_secrets_reaches_the_rotation_report() {
    let dir = tree();
    let (_, md) = run(&dir, "markdown", &["--show-secrets"]);
    assert!(md.contains(&token("ci-b")));
}

#[test]
fn an_incomplete_scan_is_not_a_clean_one() {
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("README", b"nothing here")]);
    // A symlink loop is a scan error (a broken link is only a note).
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/back")).unwrap();
    let (code, xml) = run(&dir, "junit", &["--follow-symlinks"]);
    assert_eq!(code, Some(2));
    assert!(xml.contains("errors=\"1\""), "{xml}");
    assert!(
        xml.contains("<error message=\"1 inputs could not be scanned"),
        "{xml}"
    );
    let (code, text) = run(&dir, "gitlab", &["--follow-symlinks"]);
    assert_eq!(code, Some(2));
    assert_eq!(json(text.as_bytes())["scan"]["status"], "failure");
}
