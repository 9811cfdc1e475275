//! Incremental audits: the cache keeps each repository's scanned blobs and their findings;
//! a re-run of an unchanged repository scans nothing, a re-run after one commit scans only
//! that commit's new blobs, and both report exactly what a cold audit reports, new findings
//! marked `"new": true`.

mod common;
mod gitrepo;
mod gitserve;

use common::{json, moodleleaks, token};
use gitrepo::Repo;
use gitserve::GitServer;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;

fn audit(url: &str, cache: &Path, format: &str) -> std::process::Output {
    let out = moodleleaks()
        .args(["audit", "--no-progress", "--format", format, "--cache-dir"])
        .arg(cache)
        .arg(url)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn scanned(report: &Value) -> u64 {
    report["scan"]["files_scanned"].as_u64().unwrap()
}

fn findings(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Findings without the `new` mark: what must equal a cold audit's.
fn result(out: &[u8]) -> BTreeSet<String> {
    findings(out)
        .into_iter()
        .map(|mut f| {
            f.as_object_mut().unwrap().remove("new");
            f.to_string()
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    let st = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn a_rerun_scans_only_new_blobs_and_reports_the_complete_result() {
    let server = GitServer::start();
    let mut repo = Repo::new();
    repo.write(
        "config/.env",
        &format!("MOODLE_TOKEN={}\n", token("incr-head")),
    );
    repo.write("legacy.sh", &format!("wstoken={}\n", token("incr-gone")));
    repo.write("README.md", "# app\n");
    repo.commit("first");
    repo.write("legacy.sh", "echo rotated\n");
    repo.write("src/app.php", "<?php echo 1;\n");
    repo.commit("rotate");
    let url = server.publish(repo.path(), "acme/app.git");
    let work = TempDir::new().unwrap();
    let cache = work.path().join("cache");

    let cold = json(&audit(&url, &cache, "json").stdout);
    assert_eq!(scanned(&cold), 5, "{cold:#}");
    assert_eq!(cold["summary"]["secrets"], 2);

    // Unchanged: nothing is scanned, the report is the same, nothing is new.
    let again = json(&audit(&url, &cache, "json").stdout);
    assert_eq!(scanned(&again), 0, "{again:#}");
    assert_eq!(again["secrets"], cold["secrets"]);
    assert!(again["scan"]["notes"]
        .to_string()
        .contains("0 blobs scanned, 5 already scanned"));
    let lines = audit(&url, &cache, "jsonl");
    assert!(findings(&lines.stdout).iter().all(|f| f["new"] == false));

    // One new commit: a new token in a new file, and an edited file. Two new blobs.
    repo.write(
        "deploy/sync.env",
        &format!("WSTOKEN={}\n", token("incr-new")),
    );
    repo.write("README.md", "# app\n\nSee docs.\n");
    repo.commit("sync");
    server.publish(repo.path(), "acme/app.git");
    let cache_copy = work.path().join("cache-copy");
    copy_dir(&cache, &cache_copy);

    let after = json(&audit(&url, &cache, "json").stdout);
    assert_eq!(scanned(&after), 2, "{after:#}");
    assert_eq!(after["summary"]["secrets"], 3);
    let fresh = json(&audit(&url, &work.path().join("fresh"), "json").stdout);
    assert_eq!(after["secrets"], fresh["secrets"]);

    // The same run in JSON Lines: the complete result, the new token marked new.
    let incremental = audit(&url, &cache_copy, "jsonl");
    let cold_lines = audit(&url, &work.path().join("fresh2"), "jsonl");
    assert_eq!(result(&incremental.stdout), result(&cold_lines.stdout));
    let marked: Vec<String> = findings(&incremental.stdout)
        .iter()
        .filter(|f| f["new"] == true)
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(marked, vec!["deploy/sync.env".to_string()]);
    // A cold audit has no previous audit to compare with: no `new` mark at all.
    assert!(findings(&cold_lines.stdout)
        .iter()
        .all(|f| f.get("new").is_none()));

    // --full scans everything again.
    let full = moodleleaks()
        .args([
            "audit",
            "--no-progress",
            "--full",
            "--format",
            "json",
            "--cache-dir",
        ])
        .arg(&cache)
        .arg(&url)
        .output()
        .unwrap();
    assert_eq!(scanned(&json(&full.stdout)), 7);
}

#[test]
fn a_stale_or_corrupt_scan_cache_means_a_cold_audit_not_a_wrong_one() {
    let server = GitServer::start();
    let mut repo = Repo::new();
    repo.write("a.env", &format!("MOODLE_TOKEN={}\n", token("corrupt")));
    repo.commit("a");
    let url = server.publish(repo.path(), "acme/c.git");
    let cache = TempDir::new().unwrap();
    let cold = json(&audit(&url, cache.path(), "json").stdout);
    for entry in std::fs::read_dir(cache.path().join("scans")).unwrap() {
        std::fs::write(entry.unwrap().path(), "{ not json").unwrap();
    }
    let again = json(&audit(&url, cache.path(), "json").stdout);
    assert_eq!(scanned(&again), scanned(&cold));
    assert_eq!(again["secrets"], cold["secrets"]);
    // Other rules (here: another size limit) invalidate the stored findings.
    let out = moodleleaks()
        .args([
            "audit",
            "--no-progress",
            "--format",
            "json",
            "--max-file-size",
            "100000",
            "--cache-dir",
        ])
        .arg(cache.path())
        .arg(&url)
        .output()
        .unwrap();
    assert_eq!(scanned(&json(&out.stdout)), scanned(&cold));
}
