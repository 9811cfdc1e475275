//! Live probing through the real binary against a real HTTP server on 127.0.0.1 that behaves
//! like Moodle's webservice/rest/server.php and answers with the responses recorded from a
//! real Moodle site (tests/fixtures/moodle-responses/).

mod common;

use common::{json, moodleleaks, token, write_tree};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use tiny_http::{Header, Response, Server, StatusCode};

/// How the fake site answers one token.
#[derive(Clone)]
enum Answer {
    /// HTTP status, recorded body, content type.
    Fixture(u16, &'static str, &'static str),
    /// A 303 to another host (never to be followed).
    RedirectElsewhere,
    /// Never answers (holds the connection for a while).
    Hang,
    /// 10 MiB of body.
    Huge,
    /// A hostile server that echoes the token it was sent into every field it can.
    EchoToken,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    url: String,
    body: String,
    user_agent: String,
    content_type: String,
}

/// A fake Moodle site on 127.0.0.1 that records every request.
struct FakeMoodle {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeMoodle {
    fn start(answers: HashMap<String, Answer>) -> FakeMoodle {
        let server = Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for mut req in server.incoming_requests() {
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let header = |name: &'static str| {
                    req.headers()
                        .iter()
                        .find(|h| h.field.equiv(name))
                        .map(|h| h.value.to_string())
                        .unwrap_or_default()
                };
                let s = Seen {
                    method: req.method().to_string(),
                    url: req.url().to_string(),
                    body: body.clone(),
                    user_agent: header("User-Agent"),
                    content_type: header("Content-Type"),
                };
                log.lock().unwrap().push(s);
                if req.url().contains("wstoken") {
                    // A token in the query string would land in this server's logs.
                    let _ =
                        req.respond(Response::from_string("token in URL").with_status_code(400));
                    continue;
                }
                if req.url() != "/webservice/rest/server.php" {
                    let _ = req.respond(
                        Response::from_data(fixture("redirect_303_wrong_host.html"))
                            .with_status_code(404),
                    );
                    continue;
                }
                let token = form_value(&body, "wstoken").unwrap_or_default();
                let answer = answers.get(&token).cloned().unwrap_or(Answer::Fixture(
                    200,
                    "invalid_random.json",
                    "application/json",
                ));
                respond(req, answer, &token);
            }
        });
        FakeMoodle { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn respond(req: tiny_http::Request, answer: Answer, token: &str) {
    let ct = |v: &str| Header::from_bytes("Content-Type", v).unwrap();
    let _ = match answer {
        Answer::Fixture(status, name, content_type) => req.respond(
            Response::from_data(fixture(name))
                .with_status_code(status)
                .with_header(ct(content_type)),
        ),
        Answer::RedirectElsewhere => req.respond(
            Response::from_data(fixture("redirect_303_wrong_host.html"))
                .with_status_code(303)
                .with_header(
                    Header::from_bytes("Location", "http://127.0.0.2:9/webservice/rest/server.php")
                        .unwrap(),
                ),
        ),
        Answer::Hang => {
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(4));
                drop(req);
            });
            Ok(())
        }
        Answer::Huge => {
            let size = 10 * 1024 * 1024;
            let body = std::io::repeat(b'x').take(size as u64);
            req.respond(Response::new(
                StatusCode(200),
                vec![ct("application/json")],
                body,
                Some(size),
                None,
            ))
        }
        Answer::EchoToken => {
            let body = serde_json::json!({
                "sitename": format!("site {token}"),
                "siteurl": format!("https://x.example/{}", token.to_uppercase()),
                "username": token,
                "fullname": token,
                "userid": 5,
                "release": token,
                "version": "1",
                "userissiteadmin": false,
                "functions": [{"name": format!("fn_{token}"), "version": "1"}],
                "userprivateaccesskey": token,
            });
            req.respond(
                Response::from_string(body.to_string())
                    .with_status_code(200)
                    .with_header(
                        Header::from_bytes(
                            "Location",
                            format!("https://evil.example/?t={token}").as_str(),
                        )
                        .unwrap(),
                    )
                    .with_header(ct("application/json")),
            )
        }
    };
}

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/moodle-responses")
        .join(name);
    std::fs::read(p).unwrap()
}

fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_string())
    })
}

/// The flags every test uses: the servers are plain http on loopback.
const LOOPBACK_OK: [&str; 2] = ["--allow-http", "--allow-internal"];

/// A finding's probe object by the label of its token.
fn probes_by_token(report: &Value, labels: &[&str]) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for f in report["findings"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        for l in labels {
            if path == format!("{l}.env") && f["kind"] == "wstoken" {
                out.insert(l.to_string(), f["probe"].clone());
            }
        }
    }
    out
}

/// Asserts no token (in any case) appears in `text`.
fn assert_no_token(text: &[u8], labels: &[&str], what: &str) {
    let text = String::from_utf8_lossy(text).to_ascii_lowercase();
    for l in labels {
        assert!(
            !text.contains(&token(l)),
            "{what} contains the token of {l}"
        );
    }
}

const CASES: &[(&str, Answer, &str, Option<&str>)] = &[
    (
        "live-user",
        Answer::Fixture(200, "valid.json", "application/json"),
        "live",
        None,
    ),
    (
        "live-admin",
        Answer::Fixture(200, "admin_overprivileged.json", "application/json"),
        "live",
        None,
    ),
    (
        "invalid",
        Answer::Fixture(200, "revoked.json", "application/json"),
        "invalid",
        Some("invalidtoken"),
    ),
    (
        "expired",
        Answer::Fixture(200, "debug_expired.json", "application/json"),
        "denied",
        Some("expired"),
    ),
    (
        "expired-nodebug",
        Answer::Fixture(200, "expired.json", "application/json"),
        "denied",
        Some("unknown"),
    ),
    (
        "iprestricted",
        Answer::Fixture(200, "debug_iprestricted.json", "application/json"),
        "denied",
        Some("ip-restricted"),
    ),
    (
        "service-disabled",
        Answer::Fixture(200, "debug_service_disabled.json", "application/json"),
        "denied",
        Some("not-authorised"),
    ),
    (
        "service-disabled-nodebug",
        Answer::Fixture(200, "service_disabled.json", "application/json"),
        "denied",
        Some("unknown"),
    ),
    (
        "ws-disabled",
        Answer::Fixture(403, "ws_disabled_403_empty.txt", "text/html"),
        "ws-disabled",
        None,
    ),
    (
        "suspended",
        Answer::Fixture(200, "user_suspended.json", "application/json"),
        "user-blocked",
        Some("wsaccessusersuspended"),
    ),
    (
        "maintenance",
        Answer::Fixture(503, "cli_maintenance_503.html", "text/html"),
        "maintenance",
        None,
    ),
    (
        "login-page",
        Answer::Fixture(200, "redirect_303_wrong_host.html", "text/html"),
        "not-moodle",
        None,
    ),
    (
        "not-found",
        Answer::Fixture(404, "redirect_303_wrong_host.html", "text/html"),
        "not-moodle",
        None,
    ),
    (
        "server-error",
        Answer::Fixture(500, "cli_maintenance_503.html", "text/html"),
        "server-error",
        None,
    ),
    (
        "rate-limited",
        Answer::Fixture(429, "ws_disabled_403_empty.txt", "text/plain"),
        "rate-limited",
        None,
    ),
    ("redirect", Answer::RedirectElsewhere, "redirected", None),
    ("hang", Answer::Hang, "unreachable", None),
    ("huge", Answer::Huge, "not-moodle", None),
];

/// One file per case, each naming the fake site next to its token.
fn case_tree(site: &str, cases: &[&str]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for l in cases {
        write_tree(
            dir.path(),
            &[(
                format!("{l}.env").as_str(),
                format!("MOODLE_URL={site}\nMOODLE_TOKEN={}\n", token(l)).as_bytes(),
            )],
        );
    }
    dir
}

#[test]
fn every_recorded_answer_gets_its_status_and_no_output_holds_a_token() {
    let answers = CASES
        .iter()
        .map(|(l, a, _, _)| (token(l), a.clone()))
        .collect();
    let site = FakeMoodle::start(answers);
    let labels: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    let dir = case_tree(&site.url(), &labels);
    let out = moodleleaks()
        .args([
            "scan",
            "--probe",
            "--probe-timeout",
            "1",
            "--format",
            "json",
        ])
        .args(LOOPBACK_OK)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_token(&out.stdout, &labels, "stdout");
    assert_no_token(&out.stderr, &labels, "stderr");
    let report = json(&out.stdout);
    let probes = probes_by_token(&report, &labels);
    for (label, _, status, reason) in CASES {
        let p = &probes[*label];
        assert_eq!(p["status"], *status, "{label}: {p}");
        if let Some(r) = reason {
            assert_eq!(p["reason"], *r, "{label}: {p}");
        }
        if *status != "live" && *status != "invalid" {
            assert_ne!(p["verdict"], "live", "{label}");
            assert_ne!(p["verdict"], "dead", "{label}");
        }
        assert_eq!(p["site"], site.url(), "{label}");
    }
    assert_eq!(report["summary"]["live"], 2);
    let notes = report["summary"]["notes"].to_string();
    assert!(
        notes.contains(&format!(
            "probe: {} distinct tokens: 2 live, 1 invalid, 5 denied",
            CASES.len()
        )),
        "{notes}"
    );

    let user = &probes["live-user"];
    assert_eq!(user["rating"], "high");
    assert_eq!(user["username"], "apiservice");
    assert_eq!(user["userid"], 3);
    assert_eq!(user["sitename"], "Scanner Test Site");
    assert_eq!(user["siteurl"], "http://127.0.0.1:8089");
    assert_eq!(user["release"], "5.1+ (Build: 20251017)");
    assert_eq!(user["version"], "2025100600.02");
    assert_eq!(user["fullname"], "API Service");
    assert_eq!(user["userissiteadmin"], false);
    assert_eq!(user["function_count"], 1);
    assert!(user.get("least_privilege").is_none(), "{user}");

    let admin = &probes["live-admin"];
    assert_eq!(admin["rating"], "critical");
    assert_eq!(admin["userissiteadmin"], true);
    assert_eq!(admin["function_count"], 6);
    assert_eq!(admin["functions"].as_array().unwrap().len(), 6);
    assert_eq!(
        admin["mutating_functions"],
        serde_json::json!(["core_user_create_users"])
    );
    assert!(admin["least_privilege"]
        .as_str()
        .unwrap()
        .contains("site admin"));

    // The second credential in site_info answers is never kept.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("userprivateaccesskey"));
    assert!(!text.contains("d455c68e141f621f1f120618098d2e17")); // moodleleaks:allow
    assert!(!text.contains("1a3952017697544cea42d33ab0851e6a")); // moodleleaks:allow

    assert!(probes["expired"]["detail"]
        .as_str()
        .unwrap()
        .contains("may still work from another address"));
    assert!(probes["huge"]["reason"]
        .as_str()
        .unwrap()
        .contains("oversize"));
    assert!(probes["hang"]["reason"]
        .as_str()
        .unwrap()
        .contains("timeout"));
    assert_eq!(probes["redirect"]["http_status"], 303);

    // Every probe was a POST with the token in the body and never in the URL.
    let seen = site.requests();
    assert_eq!(seen.len(), CASES.len(), "one request per distinct token");
    for s in &seen {
        assert_eq!(s.method, "POST");
        assert_eq!(s.url, "/webservice/rest/server.php");
        assert!(!s.url.contains("wstoken"));
        assert!(form_value(&s.body, "wstoken").is_some_and(|t| t.len() == 32));
        assert_eq!(
            form_value(&s.body, "wsfunction").as_deref(),
            Some("core_webservice_get_site_info")
        );
        assert_eq!(
            form_value(&s.body, "moodlewsrestformat").as_deref(),
            Some("json")
        );
        assert!(s.user_agent.starts_with("moodleleaks/"), "{}", s.user_agent);
        assert!(s
            .content_type
            .starts_with("application/x-www-form-urlencoded"));
    }
}

#[test]
fn human_jsonl_and_sarif_show_the_status_and_never_the_token() {
    let labels = ["live-admin", "expired", "invalid", "echo"];
    let mut answers: HashMap<String, Answer> = CASES
        .iter()
        .filter(|c| labels.contains(&c.0))
        .map(|(l, a, _, _)| (token(l), a.clone()))
        .collect();
    answers.insert(token("echo"), Answer::EchoToken);
    let site = FakeMoodle::start(answers);
    let dir = case_tree(&site.url(), &labels);
    for format in ["human", "json", "jsonl", "sarif"] {
        let out = moodleleaks()
            .args(["scan", "--probe", "--format", format])
            .args(LOOPBACK_OK)
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{format}");
        assert_no_token(&out.stdout, &labels, format);
        assert_no_token(&out.stderr, &labels, format);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("live"), "{format}");
        assert!(text.contains("critical"), "{format}");
        if format == "human" {
            assert!(text.contains("probe: live rating=critical"), "{text}");
            assert!(text.contains("probe: denied reason=expired"), "{text}");
            assert!(
                text.contains("may still work from another address"),
                "{text}"
            );
            assert!(
                text.contains("changes data: core_user_create_users"),
                "{text}"
            );
            assert!(text.contains("(2 live)"), "{text}");
        }
        if format == "sarif" {
            let sarif = json(&out.stdout);
            let results = sarif["runs"][0]["results"].as_array().unwrap();
            assert!(results
                .iter()
                .any(|r| r["properties"]["probe"]["status"] == "live"));
            let schema: Value =
                serde_json::from_str(include_str!("fixtures/sarif-schema-2.1.0.json")).unwrap();
            let validator = jsonschema::validator_for(&schema).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&sarif)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }
}

#[test]
fn a_token_is_never_sent_to_a_site_named_in_another_file() {
    let site_a = FakeMoodle::start(HashMap::new());
    let site_b = FakeMoodle::start(HashMap::new());
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "config/.env",
                format!(
                    "MOODLE_URL={}\nMOODLE_TOKEN={}\n",
                    site_a.url(),
                    token("bound-a")
                )
                .as_bytes(),
            ),
            (
                "deploy/orphan.yml",
                format!("# moodle\nmoodle_token: {}\n", token("orphan")).as_bytes(),
            ),
            (
                "docs/planted.md",
                format!(
                    "See {}/webservice/rest/server.php and MOODLE_URL={}\n",
                    site_b.url(),
                    site_b.url()
                )
                .as_bytes(),
            ),
        ],
    );
    let out = moodleleaks()
        .args(["scan", "--probe", "--format", "json"])
        .args(LOOPBACK_OK)
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert!(
        site_b.requests().is_empty(),
        "site B got {:?}",
        site_b.requests()
    );
    let seen_a = site_a.requests();
    assert_eq!(seen_a.len(), 1);
    assert_eq!(
        form_value(&seen_a[0].body, "wstoken").unwrap(),
        token("bound-a")
    );
    let orphan = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "deploy/orphan.yml")
        .expect("orphan token found");
    assert_eq!(orphan["probe"]["status"], "not-attempted");
    assert!(orphan["probe"]["reason"]
        .as_str()
        .unwrap()
        .contains("--moodle-url"));
    // Invalid everywhere (the fake site does not know the token): findings, no live: 1.
    assert_eq!(out.status.code(), Some(1));

    // --moodle-url names the site of the orphan; the bound token still goes to A only.
    let out = moodleleaks()
        .args(["scan", "--probe", "--format", "json", "--moodle-url"])
        .arg(site_a.url())
        .args(LOOPBACK_OK)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success() || out.status.code() == Some(1));
    assert!(site_b.requests().is_empty());
    let tokens_at_a: Vec<String> = site_a
        .requests()
        .iter()
        .filter_map(|s| form_value(&s.body, "wstoken"))
        .collect();
    assert_eq!(tokens_at_a.len(), 3);
    assert!(tokens_at_a.contains(&token("orphan")));
}

#[test]
fn a_token_in_many_files_is_probed_once() {
    let mut answers = HashMap::new();
    answers.insert(
        token("shared"),
        Answer::Fixture(200, "valid.json", "application/json"),
    );
    let site = FakeMoodle::start(answers);
    let dir = TempDir::new().unwrap();
    for i in 0..5 {
        write_tree(
            dir.path(),
            &[(
                format!("app{i}/.env").as_str(),
                format!(
                    "MOODLE_URL={}\nMOODLE_TOKEN={}\n",
                    site.url(),
                    token("shared")
                )
                .as_bytes(),
            )],
        );
    }
    let out = moodleleaks()
        .args(["scan", "--probe", "--format", "json"])
        .args(LOOPBACK_OK)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(site.requests().len(), 1);
    let report = json(&out.stdout);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5);
    assert!(findings.iter().all(|f| f["probe"]["status"] == "live"));
    assert_eq!(report["summary"]["live"], 5);
}

#[test]
fn loopback_from_content_and_plain_http_are_refused_by_default() {
    let site = FakeMoodle::start(HashMap::new());
    let dir = case_tree(&site.url(), &["internal"]);
    let run = |extra: &[&str]| {
        let out = moodleleaks()
            .args(["scan", "--probe", "--format", "json"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        let report = json(&out.stdout);
        report["findings"][0]["probe"].clone()
    };
    let p = run(&["--allow-http"]);
    assert_eq!(p["status"], "not-attempted");
    assert!(p["reason"].as_str().unwrap().contains("loopback"), "{p}");
    let p = run(&["--allow-internal"]);
    assert_eq!(p["status"], "not-attempted");
    assert!(
        p["reason"].as_str().unwrap().contains("--allow-http"),
        "{p}"
    );
    assert!(site.requests().is_empty());

    // --probe-only-configured: a content host is refused even when allowed, unless named.
    let p = run(&[
        "--allow-http",
        "--allow-internal",
        "--probe-only-configured",
        "--probe-hosts",
        "lms.example.edu",
    ]);
    assert_eq!(p["status"], "not-attempted");
    assert!(p["reason"]
        .as_str()
        .unwrap()
        .contains("--probe-only-configured"));
    assert!(site.requests().is_empty());
    let p = run(&[
        "--allow-http",
        "--probe-only-configured",
        "--probe-hosts",
        "127.0.0.1",
    ]);
    assert_eq!(
        p["status"], "invalid",
        "a host named by the user is intended: {p}"
    );
    assert_eq!(site.requests().len(), 1);
}

#[test]
fn moodle_url_counts_as_intended_for_internal_hosts() {
    let mut answers = HashMap::new();
    answers.insert(
        token("plain"),
        Answer::Fixture(200, "valid.json", "application/json"),
    );
    let site = FakeMoodle::start(answers);
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "cfg/moodle.ini",
            format!("[moodle]\nwstoken = {}\n", token("plain")).as_bytes(),
        )],
    );
    let out = moodleleaks()
        .args([
            "scan",
            "--probe",
            "--allow-http",
            "--format",
            "json",
            "--moodle-url",
        ])
        .arg(site.url())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report = json(&out.stdout);
    assert_eq!(report["findings"][0]["probe"]["site_source"], "configured");
    assert_eq!(site.requests().len(), 1);
}

#[test]
fn fail_on_and_only_live_shape_the_exit_status_and_report() {
    let mut answers = HashMap::new();
    answers.insert(
        token("alive"),
        Answer::Fixture(200, "valid.json", "application/json"),
    );
    answers.insert(
        token("dead"),
        Answer::Fixture(200, "revoked.json", "application/json"),
    );
    let site = FakeMoodle::start(answers);
    let both = case_tree(&site.url(), &["alive", "dead"]);
    let dead_only = case_tree(&site.url(), &["dead"]);
    let code = |dir: &TempDir, extra: &[&str]| {
        moodleleaks()
            .args(["scan", "--probe", "-q"])
            .args(LOOPBACK_OK)
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap()
    };
    assert_eq!(code(&both, &[]).status.code(), Some(3));
    assert_eq!(code(&both, &["--fail-on", "live"]).status.code(), Some(3));
    assert_eq!(code(&both, &["--fail-on", "none"]).status.code(), Some(0));
    assert_eq!(code(&dead_only, &[]).status.code(), Some(1));
    assert_eq!(
        code(&dead_only, &["--fail-on", "live"]).status.code(),
        Some(0)
    );
    assert_eq!(
        code(&dead_only, &["--exit-code", "7"]).status.code(),
        Some(7)
    );

    let out = code(&both, &["--only-live", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let report = json(&out.stdout);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "alive.env");
    assert_eq!(report["summary"]["findings"], 1);
    assert_eq!(report["summary"]["live"], 1);

    // Probe-only flags without --probe are usage errors.
    let out = moodleleaks()
        .args(["scan", "--only-live"])
        .arg(both.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = moodleleaks()
        .args(["scan", "--fail-on", "live"])
        .arg(both.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn probe_command_reads_the_token_from_stdin_and_exits_by_verdict() {
    let mut answers = HashMap::new();
    answers.insert(
        token("cmd-live"),
        Answer::Fixture(200, "admin_overprivileged.json", "application/json"),
    );
    answers.insert(
        token("cmd-dead"),
        Answer::Fixture(200, "expired_second_call.json", "application/json"),
    );
    answers.insert(
        token("cmd-denied"),
        Answer::Fixture(200, "iprestricted.json", "application/json"),
    );
    answers.insert(
        token("cmd-busy"),
        Answer::Fixture(429, "ws_disabled_403_empty.txt", "text/plain"),
    );
    let site = FakeMoodle::start(answers);
    let labels = ["cmd-live", "cmd-dead", "cmd-denied", "cmd-busy"];
    let probe = |label: &str, stdin: bool, format: &str| {
        let mut cmd = moodleleaks();
        cmd.args(["probe", "--format", format, "--allow-http", "--url"])
            .arg(site.url());
        if stdin {
            cmd.write_stdin(format!("  {}\n", token(label)));
        } else {
            cmd.arg(token(label));
        }
        let out = cmd.output().unwrap();
        assert_no_token(&out.stdout, &labels, "probe stdout");
        assert_no_token(&out.stderr, &labels, "probe stderr");
        out
    };
    let out = probe("cmd-live", true, "human");
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("live rating=critical user=admin"),
        "{text}"
    );
    assert!(text.contains("core_user_create_users"));

    let out = probe("cmd-dead", false, "json");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out.stdout)["probe"]["status"], "invalid");

    let out = probe("cmd-denied", true, "json");
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(json(&out.stdout)["probe"]["status"], "denied");

    let out = probe("cmd-busy", true, "json");
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(json(&out.stdout)["probe"]["status"], "rate-limited");
    assert_eq!(site.requests().len(), 4);

    // Plain http needs --allow-http even for a named site; a bad token is not echoed.
    let out = moodleleaks()
        .args(["probe", "--url"])
        .arg(site.url())
        .arg(token("cmd-live"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-http"));
    let out = moodleleaks()
        .args(["probe", "--allow-http", "--url"])
        .arg(site.url())
        .write_stdin("Sup3r-S3cret-password\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TOKEN"), "{err}");
    assert!(!err.contains("Sup3r"), "{err}");
    assert_eq!(site.requests().len(), 4);
}

#[test]
fn host_names_are_resolved_checked_and_pinned() {
    let mut answers = HashMap::new();
    answers.insert(
        token("by-name"),
        Answer::Fixture(200, "valid.json", "application/json"),
    );
    let site = FakeMoodle::start(answers);
    let named = format!("http://localhost:{}", site.port);
    let dir = case_tree(&named, &["by-name"]);
    let run = |extra: &[&str]| {
        let out = moodleleaks()
            .args(["scan", "--probe", "--allow-http", "--format", "json"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        json(&out.stdout)["findings"][0]["probe"].clone()
    };
    // The name resolves to loopback: refused from content without --allow-internal.
    let p = run(&[]);
    assert_eq!(p["status"], "not-attempted");
    assert!(p["reason"].as_str().unwrap().contains("loopback"), "{p}");
    assert!(site.requests().is_empty());
    // Allowed, the probe connects to the checked address (the name is kept for the request).
    let p = run(&["--allow-internal"]);
    assert_eq!(p["status"], "live", "{p}");
    assert_eq!(site.requests().len(), 1);
}
