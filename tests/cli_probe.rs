//! Live probing through the real binary against a real HTTP server on 127.0.0.1 that behaves
//! like Moodle's webservice/rest/server.php and answers with the responses recorded from a
//! real Moodle site (tests/fixtures/moodle-responses/).

mod common;

use common::{json, moodleleaks, token, write_tree};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use tiny_http::{Header, Response, Server, StatusCode};

/// One answer of the fake site.
#[derive(Clone)]
enum Answer {
    /// HTTP status, recorded body, content type.
    Fixture(u16, &'static str, &'static str),
    /// A body built here (HTTP 200, JSON): for answers the recordings lack.
    Body(String),
    /// valid.json with its `functions` replaced: a live token of a service with these.
    SiteInfoWith(&'static [&'static str]),
    /// A 303 to another host (never to be followed).
    RedirectElsewhere,
    /// Never answers (holds the connection for a while).
    Hang,
    /// 10 MiB of body.
    Huge,
    /// A hostile server that echoes the token it was sent into every field it can, and next
    /// to the 200-character cut.
    EchoToken,
}

/// A recorded JSON answer (HTTP 200).
fn rec(name: &'static str) -> Answer {
    Answer::Fixture(200, name, "application/json")
}

/// How the fake site treats one token, as Moodle's REST server does: one answer to the call
/// without `wsfunction` (the token checks), one to `core_webservice_get_site_info`; an
/// expired token is deleted by the first call, and `invalidtoken` after.
#[derive(Clone)]
struct Behaviour {
    liveness: Answer,
    site_info: Answer,
    expires: bool,
}

/// A live token (it passes the token checks) whose site_info call answers `site_info`.
fn live(site_info: Answer) -> Behaviour {
    Behaviour {
        liveness: rec("nofunction_valid.json"),
        site_info,
        expires: false,
    }
}

/// A token answered the same whatever the call.
fn same(a: Answer) -> Behaviour {
    Behaviour {
        liveness: a.clone(),
        site_info: a,
        expires: false,
    }
}

/// An expired token: `first` once, then `invalidtoken`.
fn expired(first: &'static str) -> Behaviour {
    Behaviour {
        liveness: rec(first),
        site_info: rec(first),
        expires: true,
    }
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
    fn start(behaviours: HashMap<String, Behaviour>) -> FakeMoodle {
        let server = Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut deleted: HashSet<String> = HashSet::new();
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
                let unknown = same(rec("nofunction_revoked.json"));
                let b = behaviours
                    .get(&token)
                    .filter(|_| !deleted.contains(&token))
                    .unwrap_or(&unknown);
                let answer = match form_value(&body, "wsfunction").as_deref() {
                    None => b.liveness.clone(),
                    Some("core_webservice_get_site_info") => b.site_info.clone(),
                    Some(_) => {
                        let _ = req.respond(
                            Response::from_string("the probe called a function")
                                .with_status_code(400),
                        );
                        continue;
                    }
                };
                if b.expires {
                    deleted.insert(token.clone());
                }
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

    /// The requests that carried `label`'s token.
    fn requests_of(&self, label: &str) -> Vec<Seen> {
        self.requests()
            .into_iter()
            .filter(|s| form_value(&s.body, "wstoken").as_deref() == Some(token(label).as_str()))
            .collect()
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
        Answer::Body(text) => req.respond(
            Response::from_string(text)
                .with_status_code(200)
                .with_header(ct("application/json")),
        ),
        Answer::SiteInfoWith(functions) => {
            let mut v: Value = serde_json::from_slice(&fixture("valid.json")).unwrap();
            v["functions"] = functions
                .iter()
                .map(|f| serde_json::json!({"name": f, "version": "2025100600"}))
                .collect();
            req.respond(
                Response::from_string(v.to_string())
                    .with_status_code(200)
                    .with_header(ct("application/json")),
            )
        }
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
                "sitename": format!("{}{token}", "s".repeat(185)),
                "siteurl": format!("https://x.example/{}", token.to_uppercase()),
                "username": &token[4..20],
                "fullname": token,
                "userid": 5,
                "release": format!("{}{}", "r".repeat(190), token.to_uppercase()),
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

/// Asserts no run of 8 characters of any token (in any case) appears in `text`.
fn assert_no_token(text: &[u8], labels: &[&str], what: &str) {
    let text = String::from_utf8_lossy(text).to_ascii_lowercase();
    for l in labels {
        let t = token(l);
        for w in t.as_bytes().windows(8) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                !text.contains(w),
                "{what} contains {w}, part of the token of {l}"
            );
        }
    }
}

/// A Moodle error answer shaped like the recorded ones, for the codes no recording has.
fn moodle_error(code: &str, message: &str) -> Answer {
    Answer::Body(
        serde_json::json!({
            "exception": "moodle_exception",
            "errorcode": code,
            "message": message,
        })
        .to_string(),
    )
}

/// label, behaviour, status, reason, requests the probe may make for it.
fn cases() -> Vec<(
    &'static str,
    Behaviour,
    &'static str,
    Option<&'static str>,
    usize,
)> {
    vec![
        ("live-user", live(rec("valid.json")), "live", None, 2),
        (
            "live-admin",
            live(rec("admin_overprivileged.json")),
            "live",
            None,
            2,
        ),
        (
            "live-no-siteinfo",
            Behaviour {
                liveness: rec("nofunction_no_siteinfo_function.json"),
                site_info: rec("siteinfo_not_in_service.json"),
                expires: false,
            },
            "live",
            Some("functions-unknown"),
            2,
        ),
        (
            "not-authorised",
            Behaviour {
                liveness: rec("nofunction_user_not_authorised.json"),
                site_info: rec("siteinfo_user_not_authorised.json"),
                expires: false,
            },
            "live",
            Some("functions-unknown"),
            2,
        ),
        (
            "service-disabled",
            Behaviour {
                liveness: rec("nofunction_service_disabled.json"),
                site_info: rec("service_disabled.json"),
                expires: false,
            },
            "live",
            Some("functions-unknown"),
            2,
        ),
        (
            "invalid",
            same(rec("nofunction_revoked.json")),
            "invalid",
            Some("invalidtoken"),
            1,
        ),
        (
            "expired",
            expired("nofunction_expired_first.json"),
            "expired",
            Some("expired"),
            2,
        ),
        (
            "expired-debug",
            expired("debug_expired.json"),
            "expired",
            Some("expired"),
            1,
        ),
        (
            "iprestricted",
            same(rec("nofunction_iprestricted.json")),
            "denied",
            Some("unknown"),
            2,
        ),
        (
            "iprestricted-debug",
            same(rec("debug_iprestricted.json")),
            "denied",
            Some("ip-restricted"),
            1,
        ),
        (
            "suspended",
            same(rec("nofunction_suspended_user.json")),
            "user-blocked",
            Some("wsaccessusersuspended"),
            1,
        ),
        (
            // Not in the recordings: Moodle's error shape with admin's `sitemaintenance`.
            "in-maintenance",
            same(moodle_error(
                "sitemaintenance",
                "The site is undergoing maintenance and is currently not available",
            )),
            "exists-maintenance",
            Some("sitemaintenance"),
            1,
        ),
        (
            "ws-disabled",
            same(Answer::Fixture(
                403,
                "ws_disabled_403_empty.txt",
                "text/html",
            )),
            "ws-disabled",
            None,
            1,
        ),
        (
            "maintenance",
            same(Answer::Fixture(
                503,
                "cli_maintenance_503.html",
                "text/html",
            )),
            "maintenance",
            None,
            1,
        ),
        (
            "login-page",
            same(Answer::Fixture(
                200,
                "redirect_303_wrong_host.html",
                "text/html",
            )),
            "not-moodle",
            None,
            1,
        ),
        (
            "not-found",
            same(Answer::Fixture(
                404,
                "redirect_303_wrong_host.html",
                "text/html",
            )),
            "not-moodle",
            None,
            1,
        ),
        (
            "server-error",
            same(Answer::Fixture(
                500,
                "cli_maintenance_503.html",
                "text/html",
            )),
            "server-error",
            None,
            1,
        ),
        (
            "rate-limited",
            same(Answer::Fixture(
                429,
                "ws_disabled_403_empty.txt",
                "text/plain",
            )),
            "rate-limited",
            None,
            1,
        ),
        (
            "redirect",
            same(Answer::RedirectElsewhere),
            "redirected",
            None,
            1,
        ),
        ("hang", same(Answer::Hang), "unreachable", None, 1),
        ("huge", same(Answer::Huge), "not-moodle", None, 1),
    ]
}

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
    let cases = cases();
    let behaviours = cases
        .iter()
        .map(|(l, b, ..)| (token(l), b.clone()))
        .collect();
    let site = FakeMoodle::start(behaviours);
    let labels: Vec<&str> = cases.iter().map(|c| c.0).collect();
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
    for (label, _, status, reason, _) in &cases {
        let p = &probes[*label];
        assert_eq!(p["status"], *status, "{label}: {p}");
        if let Some(r) = reason {
            assert_eq!(p["reason"], *r, "{label}: {p}");
        }
        if *status != "live" && *status != "invalid" && *status != "expired" {
            assert_ne!(p["verdict"], "live", "{label}");
            assert_ne!(p["verdict"], "dead", "{label}");
        }
        assert_eq!(p["site"], site.url(), "{label}");
    }
    assert_eq!(report["summary"]["live"], 5);
    let notes = report["summary"]["notes"].to_string();
    assert!(
        notes.contains(&format!(
            "probe: {} distinct tokens: 5 live, 1 invalid, 2 expired, 2 denied, 1 user-blocked, 1 ws-disabled, 1 exists-maintenance, 1 maintenance, 3 not-moodle",
            cases.len()
        )),
        "{notes}"
    );

    let user = &probes["live-user"];
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
    assert_eq!(user["rating"], "medium");
    assert_eq!(
        user["rating_reason"],
        "read-only: none of its 1 functions changes data"
    );

    let admin = &probes["live-admin"];
    assert_eq!(admin["rating"], "critical");
    assert_eq!(
        admin["rating_reason"],
        "site administrator; acts beyond its own user: core_user_create_users"
    );
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

    // A working token whose service lacks site_info (or is disabled, or whose user is not
    // authorised): live, functions unknown, no rating.
    for label in ["live-no-siteinfo", "not-authorised", "service-disabled"] {
        let p = &probes[label];
        assert_eq!(p["verdict"], "live", "{label}");
        assert!(p["detail"].as_str().unwrap().starts_with(
            "functions unknown: it authenticates, but its service does not let it call core_webservice_get_site_info (or the service is disabled, or its user is not authorised for it — Moodle does not tell these apart without debugging on)"
        ), "{label}: {p}");
        assert!(p.get("rating").is_none(), "{label}: {p}");
        assert!(p.get("username").is_none(), "{label}: {p}");
    }

    // The second credential in site_info answers is never kept.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("userprivateaccesskey"));
    assert!(!text.contains("d455c68e141f621f1f120618098d2e17")); // moodleleaks:allow
    assert!(!text.contains("1a3952017697544cea42d33ab0851e6a")); // moodleleaks:allow

    for label in ["expired", "expired-debug"] {
        let p = &probes[label];
        assert_eq!(p["verdict"], "dead", "{label}");
        assert_eq!(
            p["detail"],
            "Moodle deleted this expired token when it was probed; it is dead now; the integration that used it needs a new one"
        );
    }
    assert_eq!(probes["in-maintenance"]["verdict"], "exists");
    assert_eq!(probes["iprestricted"]["verdict"], "exists");
    assert!(probes["huge"]["reason"]
        .as_str()
        .unwrap()
        .contains("oversize"));
    assert!(probes["hang"]["reason"]
        .as_str()
        .unwrap()
        .contains("timeout"));
    assert_eq!(probes["redirect"]["http_status"], 303);

    // Every probe was a POST with the token in the body and never in the URL; the first call
    // of each token named no function, any later one only site_info.
    let seen = site.requests();
    let expected: usize = cases.iter().map(|c| c.4).sum();
    assert_eq!(seen.len(), expected, "requests: {seen:#?}");
    for (label, _, _, _, n) in &cases {
        let mine = site.requests_of(label);
        assert_eq!(mine.len(), *n, "{label}: {mine:#?}");
        assert_eq!(form_value(&mine[0].body, "wsfunction"), None, "{label}");
        assert!(mine.len() <= 2, "{label}");
    }
    for s in &seen {
        assert_eq!(s.method, "POST");
        assert_eq!(s.url, "/webservice/rest/server.php");
        assert!(!s.url.contains('?'), "{}", s.url);
        assert!(form_value(&s.body, "wstoken").is_some_and(|t| t.len() == 32));
        assert!(matches!(
            form_value(&s.body, "wsfunction").as_deref(),
            None | Some("core_webservice_get_site_info")
        ));
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
fn a_least_privilege_token_without_site_info_is_live_and_fails_the_scan_with_3() {
    let mut behaviours = HashMap::new();
    behaviours.insert(
        token("scoped"),
        Behaviour {
            liveness: rec("nofunction_no_siteinfo_function.json"),
            site_info: rec("siteinfo_not_in_service.json"),
            expires: false,
        },
    );
    let site = FakeMoodle::start(behaviours);
    let dir = case_tree(&site.url(), &["scoped"]);
    let out = moodleleaks()
        .args(["scan", "--probe"])
        .args(LOOPBACK_OK)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("probe: live reason=functions-unknown"),
        "{text}"
    );
    assert!(
        text.contains("functions unknown: it authenticates, but its service does not let it call core_webservice_get_site_info (or the service is disabled, or its user is not authorised for it — Moodle does not tell these apart without debugging on)"),
        "{text}"
    );
    assert!(text.contains("(1 live)"), "{text}");
    assert_eq!(site.requests().len(), 2);
}

#[test]
fn the_liveness_call_sends_no_function_and_the_token_only_in_the_body() {
    let mut behaviours = HashMap::new();
    behaviours.insert(token("body-only"), live(rec("valid.json")));
    let site = FakeMoodle::start(behaviours);
    let out = moodleleaks()
        .args(["probe", "--format", "json", "--allow-http", "--url"])
        .arg(site.url())
        .arg(token("body-only"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let seen = site.requests();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    let first = &seen[0];
    let keys: Vec<&str> = first
        .body
        .split('&')
        .filter_map(|kv| kv.split_once('=').map(|(k, _)| k))
        .collect();
    assert_eq!(keys, ["wstoken", "moodlewsrestformat"], "{}", first.body);
    assert_eq!(
        form_value(&seen[1].body, "wsfunction").as_deref(),
        Some("core_webservice_get_site_info")
    );
    for s in &seen {
        assert_eq!(s.url, "/webservice/rest/server.php");
        assert!(!s.url.contains(&token("body-only")));
        assert_eq!(
            form_value(&s.body, "wstoken").as_deref(),
            Some(token("body-only").as_str())
        );
    }
}

#[test]
fn each_rating_level_states_its_reason_in_every_format() {
    let labels = ["r-critical", "r-high", "r-medium", "r-admin", "echo"];
    let mut behaviours = HashMap::new();
    behaviours.insert(
        token("r-critical"),
        live(Answer::SiteInfoWith(&[
            "core_webservice_get_site_info",
            "core_user_get_users_by_field",
            "enrol_manual_enrol_users",
        ])),
    );
    behaviours.insert(
        token("r-high"),
        live(Answer::SiteInfoWith(&[
            "core_webservice_get_site_info",
            "core_message_send_instant_messages",
            "mod_forum_add_discussion_post",
            "mod_forum_can_add_discussion",
        ])),
    );
    behaviours.insert(
        token("r-medium"),
        live(Answer::SiteInfoWith(&[
            "core_webservice_get_site_info",
            "core_user_get_users_by_field",
        ])),
    );
    behaviours.insert(token("r-admin"), live(rec("admin_overprivileged.json")));
    behaviours.insert(token("echo"), live(Answer::EchoToken));
    let site = FakeMoodle::start(behaviours);
    let dir = case_tree(&site.url(), &labels);
    let reasons = [
        ("critical", "acts beyond its own user: enrol_manual_enrol_users"),
        (
            "high",
            "changes data as its own user: core_message_send_instant_messages, mod_forum_add_discussion_post",
        ),
        ("medium", "read-only: none of its 2 functions changes data"),
        ("critical", "site administrator"),
    ];
    for format in [
        "json", "human", "jsonl", "sarif", "gitlab", "junit", "markdown", "html",
    ] {
        let out = moodleleaks()
            .args(["scan", "--probe", "--format", format])
            .args(LOOPBACK_OK)
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(3),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_no_token(&out.stdout, &labels, format);
        assert_no_token(&out.stderr, &labels, format);
        // Each format's own escaping undone: JSON strings, XML entities, Markdown backslashes.
        let text = String::from_utf8_lossy(&out.stdout)
            .replace("\\\"", "\"")
            .replace("&quot;", "\"")
            .replace('\\', "");
        for (rating, reason) in reasons {
            let shown = match format {
                "markdown" | "html" => format!("rating {rating} — {reason}"),
                "json" | "jsonl" => format!("\"rating_reason\":\"{reason}"),
                _ => format!("rating={rating} rating_reason=\"{reason}"),
            };
            let text = text.replace("\": \"", "\":\"");
            assert!(text.contains(&shown), "{format} lacks {shown}:\n{text}");
        }
        if format == "json" {
            let report = json(&out.stdout);
            let probes = probes_by_token(&report, &labels);
            for (label, (rating, reason)) in labels.iter().zip(reasons) {
                assert_eq!(probes[*label]["rating"], rating, "{label}");
                assert!(
                    probes[*label]["rating_reason"]
                        .as_str()
                        .unwrap()
                        .starts_with(reason),
                    "{label}"
                );
            }
        }
        if format == "sarif" {
            let sarif = json(&out.stdout);
            let results = sarif["runs"][0]["results"].as_array().unwrap();
            assert!(results
                .iter()
                .any(|r| r["properties"]["probe"]["rating_reason"]
                    == "read-only: none of its 2 functions changes data"));
        }
    }
}

#[test]
fn human_jsonl_and_sarif_show_the_status_and_never_the_token() {
    let labels = ["live-admin", "expired", "invalid", "echo", "echo-error"];
    let mut behaviours: HashMap<String, Behaviour> = cases()
        .into_iter()
        .filter(|c| labels.contains(&c.0))
        .map(|(l, b, ..)| (token(l), b))
        .collect();
    behaviours.insert(token("echo"), live(Answer::EchoToken));
    // An error whose code reflects the token right at the 200-character cut.
    let reflected = format!("{}{}", "e".repeat(185), token("echo-error"));
    behaviours.insert(
        token("echo-error"),
        same(Answer::Body(
            serde_json::json!({
                "exception": "moodle_exception",
                "errorcode": reflected,
                "message": format!("bad token {}", &token("echo-error")[3..15]),
                "debuginfo": token("echo-error"),
            })
            .to_string(),
        )),
    );
    let site = FakeMoodle::start(behaviours);
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
        assert!(text.contains("unexpected"), "{format}");
        if format == "human" {
            assert!(text.contains("probe: live rating=critical"), "{text}");
            assert!(text.contains("probe: expired reason=expired"), "{text}");
            assert!(
                text.contains("Moodle deleted this expired token when it was probed"),
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

/// A server on 127.0.0.1 that answers every connection with headers and then a body one
/// byte at a time (every 50 ms, for far longer than any test), like a slowloris in reverse.
fn dripping_server() -> (u16, Arc<Mutex<usize>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(Mutex::new(0));
    let count = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            *count.lock().unwrap() += 1;
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stream.set_nodelay(true);
                let mut buf = [0u8; 4096];
                let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                let _ = stream.read(&mut buf);
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for _ in 0..100_000 {
                    if stream.write_all(b" ").and_then(|_| stream.flush()).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    (port, connections)
}

#[test]
fn probe_timeout_bounds_a_dripping_answer() {
    let (port, connections) = dripping_server();
    let url = format!("http://127.0.0.1:{port}");
    // `probe`: one token, a 2 s deadline; the server would drip for well over an hour.
    let out = moodleleaks()
        .args([
            "probe",
            "--format",
            "json",
            "--allow-http",
            "--probe-timeout",
            "2",
            "--url",
        ])
        .arg(&url)
        .arg(token("drip"))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = &json(&out.stdout)["probe"];
    assert_eq!(p["status"], "unreachable", "{p}");
    assert!(p["reason"].as_str().unwrap().contains("timeout"), "{p}");

    // A scan with several tokens on that host: each probe ends at its own deadline.
    let labels = ["drip-1", "drip-2", "drip-3"];
    let dir = case_tree(&url, &labels);
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
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    let probes = probes_by_token(&report, &labels);
    for l in labels {
        assert_eq!(probes[l]["status"], "unreachable", "{l}");
        assert!(probes[l]["reason"].as_str().unwrap().contains("timeout"));
    }
    assert_eq!(*connections.lock().unwrap(), 4);
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
    let mut behaviours = HashMap::new();
    behaviours.insert(token("shared"), live(rec("valid.json")));
    let site = FakeMoodle::start(behaviours);
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
    assert_eq!(
        site.requests().len(),
        2,
        "the liveness call, then site_info"
    );
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
    let mut behaviours = HashMap::new();
    behaviours.insert(token("plain"), live(rec("valid.json")));
    let site = FakeMoodle::start(behaviours);
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
    assert_eq!(site.requests().len(), 2);
}

#[test]
fn fail_on_and_only_live_shape_the_exit_status_and_report() {
    let mut behaviours = HashMap::new();
    behaviours.insert(token("alive"), live(rec("valid.json")));
    behaviours.insert(token("dead"), same(rec("nofunction_revoked.json")));
    let site = FakeMoodle::start(behaviours);
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
    let mut behaviours = HashMap::new();
    behaviours.insert(token("cmd-live"), live(rec("admin_overprivileged.json")));
    behaviours.insert(token("cmd-dead"), same(rec("nofunction_revoked.json")));
    behaviours.insert(
        token("cmd-denied"),
        same(rec("nofunction_iprestricted.json")),
    );
    behaviours.insert(
        token("cmd-busy"),
        same(Answer::Fixture(
            429,
            "ws_disabled_403_empty.txt",
            "text/plain",
        )),
    );
    behaviours.insert(
        token("cmd-scoped"),
        Behaviour {
            liveness: rec("nofunction_no_siteinfo_function.json"),
            site_info: rec("siteinfo_not_in_service.json"),
            expires: false,
        },
    );
    behaviours.insert(
        token("cmd-expired"),
        expired("nofunction_expired_first.json"),
    );
    let site = FakeMoodle::start(behaviours);
    let labels = [
        "cmd-live",
        "cmd-dead",
        "cmd-denied",
        "cmd-busy",
        "cmd-scoped",
        "cmd-expired",
    ];
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
        text.starts_with("live rating=critical rating_reason=\"site administrator; acts beyond its own user: core_user_create_users\" user=admin"),
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
    assert_eq!(site.requests().len(), 6, "2 live, 1 dead, 2 denied, 1 busy");

    // A least-privilege token whose service lacks site_info: live, exit 3.
    let out = probe("cmd-scoped", true, "human");
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("live reason=functions-unknown"), "{text}");
    assert!(
        text.contains("functions unknown: it authenticates, but its service does not let it call core_webservice_get_site_info"),
        "{text}"
    );
    let out = probe("cmd-scoped", false, "json");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out.stdout)["probe"]["verdict"], "live");

    // An expired token: the first call deletes it; the second says so.
    let out = probe("cmd-expired", true, "json");
    assert_eq!(out.status.code(), Some(0));
    let p = &json(&out.stdout)["probe"];
    assert_eq!(p["status"], "expired", "{p}");
    assert_eq!(p["verdict"], "dead", "{p}");
    assert_eq!(site.requests_of("cmd-expired").len(), 2);
    let out = probe("cmd-expired", true, "json");
    assert_eq!(
        json(&out.stdout)["probe"]["status"],
        "invalid",
        "deleted by the first probe"
    );
    let before = site.requests().len();

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
    assert_eq!(site.requests().len(), before);
}

#[test]
fn host_names_are_resolved_checked_and_pinned() {
    let mut behaviours = HashMap::new();
    behaviours.insert(token("by-name"), live(rec("valid.json")));
    let site = FakeMoodle::start(behaviours);
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
    assert_eq!(site.requests().len(), 2);
}
