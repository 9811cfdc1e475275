//! `audit --github-org / --github-user / --gitlab-group`: a fake GitHub and a fake GitLab
//! REST API on 127.0.0.1 (pagination, forks, archived, a rate limit, a bad token) whose clone
//! URLs point at real repositories served by `git daemon` on 127.0.0.1.

mod common;
mod gitrepo;
mod gitserve;

use common::{moodleleaks, token};
use gitrepo::Repo;
use gitserve::GitServer;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tempfile::TempDir;

const GH_TOKEN: &str = "gh-test-token-not-real";
const GL_TOKEN: &str = "gl-test-token-not-real";

/// Publishes one repository holding one token per name, returning their git:// URLs.
fn publish(server: &GitServer, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            let mut r = Repo::new();
            r.write("settings.env", &format!("MOODLE_TOKEN={}\n", token(n)));
            r.commit("settings");
            server.publish(r.path(), &format!("acme/{n}.git"))
        })
        .collect()
}

fn respond(req: tiny_http::Request, status: u16, body: &Value, headers: &[(&str, String)]) {
    let mut resp = tiny_http::Response::from_string(body.to_string()).with_status_code(status);
    resp.add_header(tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap());
    for (k, v) in headers {
        resp.add_header(tiny_http::Header::from_bytes(*k, v.as_bytes()).unwrap());
    }
    let _ = req.respond(resp);
}

fn header(req: &tiny_http::Request, name: &'static str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.to_string())
}

/// A fake GitHub: two pages for org `acme` (a fork and an archived repository on page 1),
/// the first request for page 2 rate limited with a reset one second ahead; user `ada`; 401
/// for any other token.
fn fake_github(urls: Vec<String>) -> (String, Arc<AtomicBool>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!(
        "http://127.0.0.1:{}",
        server.server_addr().to_ip().unwrap().port()
    );
    let limited = Arc::new(AtomicBool::new(false));
    let (b, l) = (base.clone(), limited.clone());
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            if header(&req, "Authorization").as_deref() != Some(&format!("Bearer {GH_TOKEN}")) {
                respond(req, 401, &json!({"message": "Bad credentials"}), &[]);
                continue;
            }
            let url = req.url().to_string();
            let repo = |i: usize, fork: bool, archived: bool| json!({"full_name": format!("acme/{i}"), "clone_url": urls[i], "fork": fork, "archived": archived});
            if url.starts_with("/orgs/acme/repos") && !url.contains("page=2") {
                let next = format!("<{b}/orgs/acme/repos?per_page=100&type=all&page=2>; rel=\"next\", <{b}/orgs/acme/repos?page=2>; rel=\"last\"");
                respond(
                    req,
                    200,
                    &json!([
                        repo(0, false, false),
                        repo(1, true, false),
                        repo(2, false, true)
                    ]),
                    &[("Link", next)],
                );
            } else if url.starts_with("/orgs/acme/repos") {
                if !l.swap(true, Ordering::SeqCst) {
                    let reset = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_secs()
                        + 1;
                    respond(
                        req,
                        403,
                        &json!({"message": "API rate limit exceeded"}),
                        &[
                            ("x-ratelimit-remaining", "0".into()),
                            ("x-ratelimit-reset", reset.to_string()),
                        ],
                    );
                } else {
                    respond(req, 200, &json!([repo(3, false, false)]), &[]);
                }
            } else if url.starts_with("/users/ada/repos") {
                respond(req, 200, &json!([repo(4, false, false)]), &[]);
            } else {
                respond(req, 404, &json!({"message": "Not Found"}), &[]);
            }
        }
    });
    (base, limited)
}

/// A fake GitLab: group `acme/campus` (subgroups included) over two pages by x-next-page,
/// a fork on page 1.
fn fake_gitlab(urls: Vec<String>) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!(
        "http://127.0.0.1:{}",
        server.server_addr().to_ip().unwrap().port()
    );
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            if header(&req, "PRIVATE-TOKEN").as_deref() != Some(GL_TOKEN) {
                respond(req, 401, &json!({"message": "401 Unauthorized"}), &[]);
                continue;
            }
            let url = req.url().to_string();
            if !url.starts_with("/api/v4/groups/acme%2Fcampus/projects?")
                || !url.contains("include_subgroups=true")
            {
                respond(req, 404, &json!({"message": "404 Group Not Found"}), &[]);
                continue;
            }
            let project = |i: usize, fork: bool| {
                let mut p = json!({"path_with_namespace": format!("acme/campus/p{i}"), "http_url_to_repo": urls[i], "archived": false});
                if fork {
                    p["forked_from_project"] = json!({"id": 1});
                }
                p
            };
            if url.contains("page=2") {
                respond(
                    req,
                    200,
                    &json!([project(1, false)]),
                    &[("x-next-page", String::new())],
                );
            } else {
                respond(
                    req,
                    200,
                    &json!([project(0, false), project(2, true)]),
                    &[("x-next-page", "2".into())],
                );
            }
        }
    });
    base
}

fn repositories(out: &[u8]) -> BTreeSet<String> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["repository"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_github_org_and_user_are_listed_page_by_page_through_a_rate_limit() {
    let git = GitServer::start();
    let urls = publish(&git, &["gh0", "gh1", "gh2", "gh3", "gh4"]);
    let (api, limited) = fake_github(urls);
    let cache = TempDir::new().unwrap();
    let run = |extra: &[&str]| {
        moodleleaks()
            .args([
                "audit",
                "--format",
                "jsonl",
                "--no-progress",
                "--github-org",
                "acme",
            ])
            .args([
                "--github-user",
                "ada",
                "--github-api-url",
                &api,
                "--cache-dir",
            ])
            .arg(cache.path())
            .args(extra)
            .env("GITHUB_TOKEN", GH_TOKEN)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(limited.load(Ordering::SeqCst));
    assert!(
        err.contains("rate limit") && err.contains("waiting"),
        "{err}"
    );
    assert!(!err.contains(GH_TOKEN));
    // Page 1 and page 2 of the org, and the user; no fork, no archived repository.
    let want: BTreeSet<String> = ["gh0", "gh3", "gh4"]
        .iter()
        .map(|n| format!("127.0.0.1/acme/{n}"))
        .collect();
    assert_eq!(repositories(&out.stdout), want);

    let out = run(&["--include-forks", "--include-archived"]);
    assert_eq!(repositories(&out.stdout).len(), 5);
}

#[test]
fn a_bad_github_token_is_one_error_line_and_never_printed() {
    let git = GitServer::start();
    let urls = publish(&git, &["bad0"]);
    let (api, _) = fake_github(urls);
    let out = moodleleaks()
        .args([
            "audit",
            "--no-progress",
            "--github-org",
            "acme",
            "--github-api-url",
            &api,
        ])
        .arg("--cache-dir")
        .arg(TempDir::new().unwrap().path())
        .env("GITHUB_TOKEN", "wrong-token-value")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("acme")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("GITHUB_TOKEN") && lines[0].contains("401"),
        "{err}"
    );
    assert!(!err.contains("wrong-token-value"), "{err}");
}

#[test]
fn a_gitlab_group_with_subgroups_is_listed_by_next_page_headers() {
    let git = GitServer::start();
    let urls = publish(&git, &["gl0", "gl1", "gl2"]);
    let api = fake_gitlab(urls);
    let out = moodleleaks()
        .args([
            "audit",
            "--format",
            "jsonl",
            "--no-progress",
            "--gitlab-group",
            "acme/campus",
        ])
        .args(["--gitlab-url", &api, "--cache-dir"])
        .arg(TempDir::new().unwrap().path())
        .env("GITLAB_TOKEN", GL_TOKEN)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let want: BTreeSet<String> = ["gl0", "gl1"]
        .iter()
        .map(|n| format!("127.0.0.1/acme/{n}"))
        .collect();
    assert_eq!(repositories(&out.stdout), want);
    assert!(!err.contains(GL_TOKEN));
    // Without the token the group is one error line; nothing else is audited.
    let out = moodleleaks()
        .args([
            "audit",
            "--no-progress",
            "--gitlab-group",
            "acme/campus",
            "--gitlab-url",
            &api,
        ])
        .arg("--cache-dir")
        .arg(TempDir::new().unwrap().path())
        .env_remove("GITLAB_TOKEN")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("GitLab group acme/campus"))
            .count(),
        1,
        "{err}"
    );
}
