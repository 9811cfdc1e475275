//! `audit --shard K/N` and `moodleleaks merge`: three shards run in parallel over real
//! repositories served from 127.0.0.1, merged, give exactly the findings of one unsharded
//! audit, in JSON Lines and as the rotation report.

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

fn lines(text: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(text)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What makes two findings the same: secret, repository, place and introducing commit.
fn keys(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}:{} {}",
                f["fingerprint"], f["repository"], f["path"], f["line"], f["column"], f["commit"]
            )
        })
        .collect()
}

fn bin() -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("moodleleaks"));
    c.env_remove("NO_COLOR");
    c
}

#[test]
fn three_shards_in_parallel_merge_into_the_unsharded_audit() {
    let server = GitServer::start();
    let mut urls = Vec::new();
    let mut repos = Vec::new();
    for i in 0..9 {
        let mut r = Repo::new();
        r.write(
            "config/.env",
            &format!("MOODLE_TOKEN={}\n", token(&format!("shard-{i}"))),
        );
        // One secret shared by three repositories: it must group as one secret after merge.
        if i % 3 == 0 {
            r.write(
                "shared.env",
                &format!("wstoken={}\n", token("shard-shared")),
            );
        }
        r.commit("config");
        urls.push(server.publish(r.path(), &format!("org/repo{i}.git")));
        repos.push(r);
    }
    let work = TempDir::new().unwrap();
    let list = work.path().join("repos.txt");
    std::fs::write(&list, urls.join("\n")).unwrap();
    let audit = |cache: &Path, out: &Path, shard: Option<&str>| {
        let mut c = bin();
        c.args([
            "audit",
            "--format",
            "jsonl",
            "--no-progress",
            "--repos-file",
        ])
        .arg(&list)
        .arg("--cache-dir")
        .arg(cache)
        .arg("--output")
        .arg(out);
        if let Some(s) = shard {
            c.args(["--shard", s]);
        }
        c
    };
    let whole = work.path().join("whole.jsonl");
    let st = audit(&work.path().join("cache-whole"), &whole, None)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(1));

    // Three shards at once, as a CI matrix would run them, each with its own cache.
    let mut children = Vec::new();
    let mut reports = Vec::new();
    for k in 0..3 {
        let out = work.path().join(format!("shard{k}.jsonl"));
        let cache = work.path().join(format!("cache{k}"));
        children.push(
            audit(&cache, &out, Some(&format!("{k}/3")))
                .spawn()
                .unwrap(),
        );
        reports.push(out);
    }
    for mut c in children {
        let code = c.wait().unwrap().code();
        assert!(matches!(code, Some(0 | 1)), "{code:?}");
    }
    let shard_sizes: Vec<usize> = reports
        .iter()
        .map(|r| lines(&std::fs::read(r).unwrap()).len())
        .collect();
    // Every shard did a share, not the whole.
    let whole_findings = lines(&std::fs::read(&whole).unwrap());
    assert_eq!(shard_sizes.iter().sum::<usize>(), whole_findings.len());
    assert!(
        shard_sizes.iter().all(|n| *n < whole_findings.len()),
        "{shard_sizes:?}"
    );

    let merged = moodleleaks()
        .args(["merge", "--format", "jsonl"])
        .args(&reports)
        .output()
        .unwrap();
    assert_eq!(
        merged.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let merged_findings = lines(&merged.stdout);
    assert_eq!(keys(&merged_findings), keys(&whole_findings));
    assert_eq!(merged_findings.len(), whole_findings.len());
    assert!(merged_findings.iter().all(|f| f["repository"].is_string()));

    // A report given twice counts once.
    let twice = moodleleaks()
        .args(["merge", "--format", "jsonl"])
        .args(&reports)
        .arg(&reports[0])
        .output()
        .unwrap();
    assert_eq!(lines(&twice.stdout).len(), whole_findings.len());

    // The rotation report of the merge equals the unsharded one's (same secrets, same places).
    let rotation_merged = json(
        &moodleleaks()
            .args(["merge", "--format", "json"])
            .args(&reports)
            .output()
            .unwrap()
            .stdout,
    );
    let rotation_whole = json(
        &moodleleaks()
            .args(["audit", "--format", "json", "--no-progress", "--repos-file"])
            .arg(&list)
            .arg("--cache-dir")
            .arg(work.path().join("cache-whole"))
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(rotation_merged["summary"]["secrets"], 10);
    assert_eq!(rotation_merged["secrets"], rotation_whole["secrets"]);
    let md = moodleleaks()
        .args(["merge", "--format", "markdown"])
        .args(&reports)
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("# "), "{md}");
    assert!(!md.contains(&token("shard-shared")[..10]));
}

#[test]
fn a_bad_shard_or_report_is_one_clear_line() {
    let out = moodleleaks()
        .args(["audit", "--shard", "3/3", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("3/3: expected K/N"));
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "not json\n").unwrap();
    let out = moodleleaks().arg("merge").arg(&bad).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.jsonl:1: not a moodleleaks finding"),
        "{err}"
    );
}
