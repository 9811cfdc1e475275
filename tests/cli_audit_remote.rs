//! `moodleleaks audit` of repositories named by URL: real repositories served by `git daemon`
//! on 127.0.0.1 and by file:// URLs, cloned as bare mirrors into the cache, fetched again on
//! the next run; a repository that cannot be cloned is one counted error line.

mod common;
mod gitrepo;
mod gitserve;

use common::{json, moodleleaks, token};
use gitrepo::Repo;
use gitserve::GitServer;
use serde_json::Value;
use tempfile::TempDir;

fn leaky_repo(label: &str) -> Repo {
    let mut repo = Repo::new();
    repo.write(
        "config/.env",
        &format!(
            "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n",
            token(&format!("{label}-head"))
        ),
    );
    repo.write(
        "legacy.sh",
        &format!("curl x -d wstoken={}\n", token(&format!("{label}-gone"))),
    );
    repo.commit("add config");
    repo.write("legacy.sh", "echo rotated\n");
    repo.commit("rotate");
    repo
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn urls_are_cloned_into_the_cache_audited_and_fetched_again() {
    let server = GitServer::start();
    let a = leaky_repo("remote-a");
    let b = leaky_repo("remote-b");
    let a_url = server.publish(a.path(), "acme/app.git");
    server.publish(b.path(), "acme/plugin.git");
    let b_url = server.file_url("acme/plugin.git");
    let cache = TempDir::new().unwrap();
    let run = || {
        moodleleaks()
            .args(["audit", "--format", "jsonl", "--cache-dir"])
            .arg(cache.path())
            .arg(&a_url)
            .arg(&b_url)
            .output()
            .unwrap()
    };
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let found = lines(&out.stdout);
    // Two secrets per repository, each reported with its repository.
    let repos: std::collections::BTreeSet<&str> = found
        .iter()
        .map(|f| f["repository"].as_str().unwrap())
        .collect();
    assert_eq!(repos.len(), 2, "{found:#?}");
    assert!(repos.contains("127.0.0.1/acme/app"), "{repos:?}");
    assert!(found.iter().any(|f| f["path"]
        .as_str()
        .unwrap()
        .ends_with("acme/app/config/.env")));
    assert!(found.iter().any(
        |f| f["path"].as_str().unwrap().ends_with("legacy.sh") && f["present_at_head"] == false
    ));
    let mirrors: Vec<_> = std::fs::read_dir(cache.path().join("mirrors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(mirrors.len(), 2, "{mirrors:?}");
    assert!(mirrors.iter().all(|m| m.ends_with(".git")));

    // A new commit upstream is fetched into the existing mirror on the next run.
    let mut a2 = a;
    a2.write(
        "more.env",
        &format!("MOODLE_TOKEN={}\n", token("remote-a-new")),
    );
    a2.commit("another token");
    server.publish(a2.path(), "acme/app.git");
    let out = moodleleaks()
        .args(["audit", "--format", "json", "--cache-dir"])
        .arg(cache.path())
        .arg(&a_url)
        .arg(&b_url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    assert_eq!(report["summary"]["secrets"], 5, "{report:#}");
    let notes = report["scan"]["notes"].to_string();
    assert!(notes.contains("0 cloned, 2 fetched"), "{notes}");
}

#[test]
fn a_repository_that_cannot_be_cloned_is_one_error_line_without_its_credentials() {
    let server = GitServer::start();
    let a = leaky_repo("partial");
    let good = server.publish(a.path(), "good.git");
    let missing = server.url("missing.git");
    // A port nobody listens on, with credentials in the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let with_secret = format!("http://ci-bot:hunter2secret@127.0.0.1:{closed}/org/x.git");
    let cache = TempDir::new().unwrap();
    let list = cache.path().join("repos.txt");
    std::fs::write(&list, format!("{missing}\n{with_secret}\n")).unwrap();
    let out = moodleleaks()
        .args(["audit", "--format", "json", "--cache-dir"])
        .arg(cache.path().join("c"))
        .arg(&good)
        .arg("--repos-file")
        .arg(&list)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // Findings of the good repository, and the errors counted: not a clean pass.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("hunter2secret"), "{err}");
    assert!(!err.contains("ci-bot"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2secret"));
    assert_eq!(
        err.lines().filter(|l| l.contains("missing.git")).count(),
        1,
        "{err}"
    );
    assert_eq!(
        err.lines()
            .filter(|l| l.contains(&format!("127.0.0.1:{closed}/org/x.git")))
            .count(),
        1,
        "{err}"
    );
    let report = json(&out.stdout);
    assert_eq!(report["scan"]["errors"], 2, "{report:#}");
    assert_eq!(report["summary"]["secrets"], 2, "{report:#}");
    // Only failures: exit 2, never clean.
    let out = moodleleaks()
        .args(["audit", "--cache-dir"])
        .arg(cache.path().join("c"))
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn scp_and_ssh_urls_are_urls_not_paths() {
    // Nothing listens for ssh here: the point is that the argument is taken as a URL (a
    // clone error naming it), not as a missing local path.
    let cache = TempDir::new().unwrap();
    let out = moodleleaks()
        .args(["audit", "--no-progress", "--cache-dir"])
        .arg(cache.path())
        .arg("git@127.0.0.1:acme/app.git")
        .env("GIT_SSH_COMMAND", "false")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("git@127.0.0.1:acme/app.git: cannot clone"),
        "{err}"
    );
    assert!(!err.contains("no such file"), "{err}");
}
