//! `moodleleaks audit` through the real binary: files plus whole history of real
//! repositories, one rotation report, several repositories at once, and probing.

mod common;
mod gitrepo;

use common::{json, moodleleaks, token};
use gitrepo::Repo;
use serde_json::Value;
use tempfile::TempDir;

/// A repository with a token still at HEAD (committed twice in two files), a token that
/// only history holds, and a hygiene problem.
fn audited_repo(label: &str) -> Repo {
    let mut repo = Repo::new();
    let head = token(&format!("{label}-head"));
    let gone = token(&format!("{label}-gone"));
    repo.write(
        "config/.env",
        &format!("MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={head}\n"),
    );
    repo.write("legacy.sh", &format!("curl x -d wstoken={gone}\n"));
    repo.commit("add config");
    repo.write("legacy.sh", "echo rotated\n");
    repo.write("deploy/sync.env", &format!("MOODLE_WSTOKEN={head}\n"));
    repo.commit("remove the old token, add sync");
    repo
}

fn secrets(report: &Value) -> &Vec<Value> {
    report["secrets"].as_array().expect("rotation secrets")
}

fn group_with<'a>(report: &'a Value, path: &str) -> &'a Value {
    secrets(report)
        .iter()
        .find(|s| {
            s["places"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["path"].as_str().is_some_and(|x| x.ends_with(path)))
        })
        .unwrap_or_else(|| panic!("no secret at {path}: {report:#}"))
}

#[test]
fn one_repository_gives_one_group_per_secret_with_every_place() {
    let repo = audited_repo("one");
    let out = moodleleaks()
        .args(["audit", "--format", "json"])
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    assert_eq!(report["summary"]["secrets"], 2, "{report:#}");
    assert_eq!(report["summary"]["history_only"], 1);

    let head = group_with(&report, "config/.env");
    assert_eq!(head["exposure"], "head");
    let places = head["places"].as_array().unwrap();
    // Two files at HEAD, each also in the commit that introduced it.
    assert_eq!(places.len(), 4, "{head:#}");
    assert!(places.iter().any(|p| p["commit"].is_string()));
    assert!(places.iter().any(|p| p["commit"].is_null()));
    assert!(head["actions"].as_array().unwrap()[0]
        .as_str()
        .unwrap()
        .contains("Manage tokens"));

    let gone = group_with(&report, "legacy.sh");
    assert_eq!(gone["exposure"], "history-only");
    assert!(gone["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a.as_str().unwrap().contains("filter-repo")));
    assert!(report["scan"]["files_scanned"].as_u64().unwrap() >= 2);

    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&token("one-head")[..10]));
    assert!(!text.contains(&token("one-gone")[..10]));
}

#[test]
fn default_output_is_the_markdown_report_and_html_is_a_page() {
    let repo = audited_repo("md");
    let out = moodleleaks()
        .arg("audit")
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("history only"), "{md}");
    assert!(!md.contains(&token("md-head")[..10]));
    let html_path = repo.path().join("report.html");
    moodleleaks()
        .args(["audit", "--format", "html", "--output"])
        .arg(&html_path)
        .arg(repo.path())
        .assert()
        .code(1);
    let html = std::fs::read_to_string(html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    assert!(!html.contains(&token("md-gone")[..10]));
}

#[test]
fn several_repositories_are_audited_into_one_report() {
    let a = audited_repo("org-a");
    let b = audited_repo("org-b");
    let clean = Repo::new();
    let list = TempDir::new().unwrap();
    let file = list.path().join("repos.txt");
    std::fs::write(
        &file,
        format!(
            "# the organisation's repositories\n{}\n\n{}\n/definitely/not/a/repo\n",
            b.path().display(),
            clean.path().display()
        ),
    )
    .unwrap();
    let out = moodleleaks()
        .args(["audit", "--format", "json"])
        .arg(a.path())
        .arg("--repos-file")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("/definitely/not/a/repo"))
            .count(),
        1,
        "{err}"
    );
    let report = json(&out.stdout);
    assert_eq!(report["summary"]["secrets"], 4, "{report:#}");
    assert_eq!(report["scan"]["errors"], 1);
    let paths: Vec<String> = secrets(&report)
        .iter()
        .flat_map(|s| s["places"].as_array().unwrap().clone())
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect();
    let a_prefix = a.path().display().to_string();
    let b_prefix = b.path().display().to_string();
    assert!(paths.iter().any(|p| p.starts_with(&a_prefix)), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with(&b_prefix)), "{paths:?}");
}

#[test]
fn audit_probes_history_tokens_and_ranks_live_ones_first() {
    // A fake Moodle on loopback: the token still at HEAD is live, every other one invalid.
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let live = token("probe-head");
    let live_for_server = live.clone();
    std::thread::spawn(move || {
        for mut req in server.incoming_requests() {
            let mut body = String::new();
            let _ = req.as_reader().read_to_string(&mut body);
            let fixture = if body.contains(&live_for_server) {
                "valid.json"
            } else {
                "revoked.json"
            };
            let data = std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/moodle-responses")
                    .join(fixture),
            )
            .unwrap();
            let _ = req.respond(tiny_http::Response::from_data(data));
        }
    });
    let mut repo = Repo::new();
    let site = format!("http://127.0.0.1:{port}");
    repo.write(
        "config/.env",
        &format!("MOODLE_URL={site}\nMOODLE_TOKEN={live}\n"),
    );
    repo.write(
        "old.env",
        &format!("MOODLE_URL={site}\nMOODLE_TOKEN={}\n", token("probe-old")),
    );
    repo.commit("tokens");
    repo.write("old.env", "rotated\n");
    repo.commit("rotate");
    let out = moodleleaks()
        .args([
            "audit",
            "--format",
            "json",
            "--probe",
            "--allow-http",
            "--allow-internal",
        ])
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    let first = &secrets(&report)[0];
    assert_eq!(first["urgency"], "live", "{report:#}");
    assert_eq!(first["probe"]["username"], "apiservice");
    let last = secrets(&report).last().unwrap();
    assert_eq!(last["urgency"], "dead", "{report:#}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&live[..10]));
}
