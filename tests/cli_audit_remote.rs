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

/// `git http-backend` (CGI) behind a tiny HTTP server on 127.0.0.1, serving `root`.
fn smart_http(root: std::path::PathBuf) -> u16 {
    use std::io::Write;
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for mut req in server.incoming_requests() {
            let url = req.url().to_string();
            let (path, query) = url.split_once('?').unwrap_or((&url, ""));
            let header = |name: &'static str| {
                req.headers()
                    .iter()
                    .find(|h| h.field.equiv(name))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default()
            };
            let (ctype, encoding) = (header("Content-Type"), header("Content-Encoding"));
            let mut body = Vec::new();
            req.as_reader().read_to_end(&mut body).unwrap();
            let mut child = std::process::Command::new("git")
                .arg("http-backend")
                .env("GIT_PROJECT_ROOT", &root)
                .env("GIT_HTTP_EXPORT_ALL", "1")
                .env("REQUEST_METHOD", req.method().as_str())
                .env("PATH_INFO", path)
                .env("QUERY_STRING", query)
                .env("CONTENT_TYPE", ctype)
                .env("HTTP_CONTENT_ENCODING", encoding)
                .env("CONTENT_LENGTH", body.len().to_string())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(&body).unwrap();
            let out = child.wait_with_output().unwrap().stdout;
            let split = out
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|p| (p, 4));
            let split = split.or_else(|| out.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2)));
            let (head, skip) = split.unwrap_or((0, 0));
            let mut resp = tiny_http::Response::from_data(out[head + skip..].to_vec());
            for line in String::from_utf8_lossy(&out[..head]).lines() {
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("Status") {
                        let code: u16 = v.trim().split(' ').next().unwrap().parse().unwrap();
                        resp = resp.with_status_code(code);
                    } else {
                        resp.add_header(tiny_http::Header::from_bytes(k, v.trim()).unwrap());
                    }
                }
            }
            let _ = req.respond(resp);
        }
    });
    port
}

#[test]
fn http_urls_clone_and_credentials_in_them_are_not_kept_in_the_mirror() {
    let server = GitServer::start();
    let r = leaky_repo("http");
    server.publish(r.path(), "org/app.git");
    let port = smart_http(server.path_of(""));
    let cache = TempDir::new().unwrap();
    let url = format!("http://ci-bot:hunter2secret@127.0.0.1:{port}/org/app.git");
    let out = moodleleaks()
        .args(["audit", "--no-progress", "--format", "jsonl", "--cache-dir"])
        .arg(cache.path())
        .arg(&url)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("hunter2secret"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("127.0.0.1/org/app"));
    let mirror = std::fs::read_dir(cache.path().join("mirrors"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let config = std::fs::read_to_string(mirror.join("config")).unwrap();
    assert!(!config.contains("hunter2secret"), "{config}");
    assert!(
        config.contains(&format!("http://127.0.0.1:{port}/org/app.git")),
        "{config}"
    );
    // The re-run fetches with the URL as given.
    moodleleaks()
        .args(["audit", "--no-progress", "--cache-dir"])
        .arg(cache.path())
        .arg(&url)
        .assert()
        .code(1);
}
