//! Decoded views for the regex rules (issue 10): a launch URL, a web-service URL or a token
//! written inside quoted-printable, percent-encoding, a JSON string, HTML entities or base64
//! is found through the real binary, at the line and column of the original bytes, once;
//! `--no-decode` turns the views off in `scan`, `git` and `staged`.

mod common;
mod gitrepo;

use base64::Engine;
use common::{json, moodleleaks, token, write_tree};
use gitrepo::Repo;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

/// A mobile launch URL's base64 payload (`siteid:::token`) for `label`'s token.
fn launch_payload(label: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:::{}",
        token(&format!("{label}-site")),
        token(label)
    ))
}

fn report(cmd: &str, dir: &Path, extra: &[&str]) -> Value {
    let out = moodleleaks()
        .args([cmd, "--format", "json", "--show-secrets"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    json(&out.stdout)
}

/// (rule, line, column, secret) of every finding, sorted.
fn found(r: &Value) -> Vec<(String, u64, u64, String)> {
    let mut v: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn scan_one(name: &str, text: &str, extra: &[&str]) -> Vec<(String, u64, u64, String)> {
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[(name, text.as_bytes())]);
    found(&report("scan", dir.path(), extra))
}

/// The 1-based (line, column) of the first `needle` in `text`.
fn place(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() as u64 + 1;
    let col = text[..at].rsplit('\n').next().unwrap().chars().count() as u64 + 1;
    (line, col)
}

/// The quoted-printable e-mail of a launch URL, split by a soft line break inside `token`.
fn eml(label: &str) -> String {
    let payload = launch_payload(label).replace('=', "=3D");
    format!(
        "From: admin@lms.example.edu\nSubject: your app link\nContent-Transfer-Encoding: quoted-printable\n\nOpen this on your phone: moodlemobile://to=\nken=3D{payload}\nThanks\n"
    )
}

#[test]
fn a_quoted_printable_launch_url_split_by_a_soft_line_break_is_found() {
    let text = eml("qp");
    let payload = launch_payload("qp");
    let at = place(&text, &payload[..20]);
    let got = scan_one("mail.eml", &text, &[]);
    assert!(
        got.contains(&("moodle-mobile-launch".into(), at.0, at.1, token("qp"))),
        "{got:?}"
    );
    assert_eq!(at.0, 6);
    assert!(scan_one("mail.eml", &text, &["--no-decode"]).is_empty());
}

#[test]
fn a_percent_encoded_launch_url_in_another_url_is_found() {
    let payload = launch_payload("pct");
    let launch = format!("moodlemobile://token={payload}");
    let encoded: String =
        percent_encoding::utf8_percent_encode(&launch, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let text = format!("# links\nhttps://example.org/redirect?next={encoded}&ref=mail\n");
    let at = place(&text, &encoded[encoded.find("token").unwrap() + 8..][..10]);
    let got = scan_one("links.txt", &text, &[]);
    assert!(
        got.contains(&("moodle-mobile-launch".into(), 2, at.1, token("pct"))),
        "{got:?}"
    );
    assert!(scan_one("links.txt", &text, &["--no-decode"]).is_empty());
}

#[test]
fn a_json_log_line_with_escaped_ampersands_and_slashes_gives_the_hygiene_finding() {
    let t = token("json-log");
    let text = format!(
        "{{\"level\":\"info\",\"msg\":\"start\"}}\n{{\"level\":\"debug\",\"url\":\"http:\\/\\/lms.example.edu\\/webservice\\/rest\\/server.php?moodlewsrestformat=json\\u0026wstoken={t}\\u0026wsfunction=core_user_get_users\"}}\n"
    );
    let got = scan_one("app.log", &text, &[]);
    let http = place(&text, "http:");
    assert!(
        got.iter().any(
            |(rule, line, col, secret)| rule == "moodle-hygiene-http-webservice"
                && (*line, *col) == http
                && secret == "http://lms.example.edu/webservice/rest/server.php"
        ),
        "{got:?}"
    );
    // The token: found once (the URL rule, in the view), at its place in the raw line.
    let tok = place(&text, &t);
    let wstoken: Vec<_> = got
        .iter()
        .filter(|f| f.3 == t && !f.0.contains("hygiene"))
        .collect();
    assert_eq!(wstoken.len(), 1, "{got:?}");
    assert_eq!((wstoken[0].1, wstoken[0].2), tok);
    assert_eq!(wstoken[0].0, "moodle-wstoken-url");
    let plain = scan_one("app.log", &text, &["--no-decode"]);
    assert!(
        plain
            .iter()
            .all(|f| f.0 != "moodle-hygiene-http-webservice"),
        "{plain:?}"
    );
}

/// A long JSON log where rule keywords repeat long before the escaped lines: the prefilter
/// stops looking at a word once seen, yet every escaped URL further down is still decoded.
#[test]
fn escaped_urls_deep_in_a_log_full_of_keywords_are_all_decoded() {
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&format!(
            "{{\"level\":\"info\",\"msg\":\"token refresh {i} for webservice client\"}}\n"
        ));
    }
    let (a, b) = (token("deep-a"), token("deep-b"));
    for t in [&a, &b] {
        text.push_str(&format!(
            "{{\"url\":\"http:\\/\\/lms.example.edu\\/webservice\\/rest\\/server.php?moodlewsrestformat=json\\u0026wstoken={t}\\u0026wsfunction=core_user_get_users\"}}\n"
        ));
        for i in 0..100 {
            text.push_str(&format!("{{\"msg\":\"token {i}\"}}\n"));
        }
    }
    let got = scan_one("app.log", &text, &[]);
    for t in [&a, &b] {
        let at = place(&text, t);
        assert!(
            got.iter()
                .any(|f| f.0 == "moodle-wstoken-url" && &f.3 == t && (f.1, f.2) == at),
            "{t}: {got:?}"
        );
    }
    let http = got
        .iter()
        .filter(|f| f.0 == "moodle-hygiene-http-webservice")
        .count();
    assert_eq!(http, 2, "{got:?}");
}

/// An e-mail whose body is base64 (as mail clients send non-ASCII text): the body is
/// decoded and a token in it is found, placed on the encoded line that holds it.
#[test]
fn a_token_in_a_base64_mail_body_is_found_on_its_encoded_line() {
    let t = token("mime-b64");
    let body = format!(
        "Hola Ana,\n\nel token del servicio web de Moodle para la integración de matrícula es: {t}\nNo lo compartas.\n"
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(body.as_bytes());
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let headers = "From: lms-admin@example.es\nSubject: Credenciales\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n";
    let text = format!("{headers}{}\n", lines.join("\n"));
    let got = scan_one("credenciales.eml", &text, &[]);
    // The encoded character of the token's first byte, and the line it is on.
    let i = body.find(&t).unwrap();
    let char_index = i / 3 * 4 + i % 3;
    let line = headers.matches('\n').count() as u64 + 1 + (char_index / 76) as u64;
    assert!(
        got.iter()
            .any(|f| f.3 == t && f.1 == line && f.0 != "moodle-hygiene-token-in-query"),
        "line {line}: {got:?}"
    );
    let plain = scan_one("credenciales.eml", &text, &["--no-decode"]);
    assert!(plain.iter().all(|f| f.3 != t), "{plain:?}");
}

#[test]
fn an_html_entity_encoded_launch_url_is_found() {
    let payload = launch_payload("html");
    let text = format!(
        "<html>\n<body>\n<a href=\"moodlemobile:&#x2F;&#x2F;token&#x3D;{payload}\">Open in the app</a>\n</body>\n</html>\n"
    );
    let at = place(&text, &payload);
    let got = scan_one("page.html", &text, &[]);
    assert!(
        got.contains(&("moodle-mobile-launch".into(), at.0, at.1, token("html"))),
        "{got:?}"
    );
    assert!(scan_one("page.html", &text, &["--no-decode"]).is_empty());
}

#[test]
fn base64_text_holding_a_token_url_is_found() {
    let t = token("b64-url");
    let inner = format!(
        "Sync calls https://lms.example.edu/webservice/rest/server.php?wstoken={t}&wsfunction=core_course_get_courses nightly"
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(&inner);
    let text = format!("job:\n  name: sync\n  notes: {encoded}\n");
    let got = scan_one("job.yaml", &text, &[]);
    let found_at: Vec<_> = got
        .iter()
        .filter(|f| f.0 == "moodle-wstoken-url" && f.3 == t)
        .collect();
    assert_eq!(found_at.len(), 1, "{got:?}");
    // On the line of the encoded value, inside it.
    let (line, col) = place(&text, &encoded);
    assert_eq!(found_at[0].1, line);
    assert!(found_at[0].2 > col && (found_at[0].2 as usize) < col as usize + encoded.len());
    assert!(scan_one("job.yaml", &text, &["--no-decode"]).is_empty());
    // Redacted unless asked: neither the token nor the base64 around it is shown whole.
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("job.yaml", text.as_bytes())]);
    let out = moodleleaks().arg("scan").arg(dir.path()).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains(&t) && !shown.contains(&encoded), "{shown}");
}

#[test]
fn a_plain_launch_url_is_reported_once_though_a_view_sees_it_too() {
    let payload = launch_payload("both");
    // The escape next to the keyword makes a view of this line; the raw line matches too.
    let text = format!("{{\"a\\/b\": 1, \"link\": \"moodlemobile://token={payload}\"}}\n");
    let got = scan_one("x.json", &text, &[]);
    assert_eq!(
        got.iter().filter(|f| f.3 == token("both")).count(),
        1,
        "{got:?}"
    );
}

#[test]
fn views_and_no_decode_in_git_history_and_staged() {
    let mut r = Repo::new();
    r.write("mail/link.eml", &eml("git-qp"));
    r.commit("keep the mail");
    let secrets = |v: &Value| -> Vec<String> { found(v).into_iter().map(|f| f.3).collect() };
    assert!(secrets(&report("git", r.path(), &[])).contains(&token("git-qp")));
    assert!(secrets(&report("git", r.path(), &["--no-decode"])).is_empty());

    r.write("mail/other.eml", &eml("staged-qp"));
    r.git(&["add", "mail/other.eml"]);
    assert!(secrets(&report("staged", r.path(), &[])).contains(&token("staged-qp")));
    assert!(secrets(&report("staged", r.path(), &["--no-decode"])).is_empty());
}

#[test]
fn no_decode_also_turns_off_the_keyed_rules_decoding() {
    let t = token("k8s-no-decode");
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{t}\n"));
    let secret = format!("apiVersion: v1\nkind: Secret\ndata:\n  MOODLE_WSTOKEN: {encoded}\n");
    let got = scan_one("secret.yaml", &secret, &[]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].1, got[0].3.as_str()), (4, t.as_str()));
    assert!(scan_one("secret.yaml", &secret, &["--no-decode"]).is_empty());
}

/// A Kubernetes Secret holding a whole `.env` file under one key (`kubectl create secret
/// generic --from-file=.env`): the file is decoded and its token found on the encoded line;
/// another service's key in such a file is not a Moodle token.
#[test]
fn a_whole_env_file_in_a_kubernetes_secret_is_read_decoded() {
    let (t, other) = (token("secret-env-file"), token("secret-env-mailgun"));
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    let env = b64(format!(
        "MOODLE_URL=https://lms.example.edu\nMOODLE_WSTOKEN={t}\nSYNC_INTERVAL=300\n"
    ));
    let mail = b64(format!(
        "MAILGUN_DOMAIN=mg.example.edu\nMAILGUN_API_KEY={other}\nMAIL_FROM=lms@example.edu\n"
    ));
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: lms-sync-env\ntype: Opaque\ndata:\n  .env: {env}\n  mail.env: {mail}\n"
    );
    let got = scan_one("secret.yaml", &text, &[]);
    let secrets: Vec<(&str, u64)> = got.iter().map(|f| (f.3.as_str(), f.1)).collect();
    assert_eq!(secrets, vec![(t.as_str(), 7)], "{got:?}");
    let plain = scan_one("secret.yaml", &text, &["--no-decode"]);
    assert!(plain.is_empty(), "{plain:?}");
}

/// A browser's saved HAR keeps a response body it could not store as text in base64, said
/// by the `content` object's `"encoding": "base64"`: the `login/token.php` answer inside is
/// read, both its token and private token found on the encoded line. The masked password
/// of the request's form body (`%2A%2A%2A`, `***`) is no password.
#[test]
fn a_har_response_body_declared_base64_is_read() {
    let (t, p) = (token("har-b64"), common::private_token("har-b64"));
    let answer = format!("{{\"token\": \"{t}\", \"privatetoken\": \"{p}\"}}");
    let body = base64::engine::general_purpose::STANDARD.encode(answer.as_bytes());
    let har = format!(
        "{{\"log\": {{\"entries\": [{{\n  \"request\": {{\"method\": \"POST\", \
         \"url\": \"https://lms.example.cz/login/token.php\",\n  \
         \"postData\": {{\"text\": \"username=nova&password=%2A%2A%2A&service=moodle_mobile_app\"}}}},\n  \
         \"response\": {{\"status\": 200, \"content\": {{\"mimeType\": \"application/json\", \
         \"encoding\": \"base64\",\n    \"text\": \"{body}\"}}}}\n}}]}}}}\n"
    );
    let got = scan_one("login.har", &har, &[]);
    let secrets: Vec<(&str, u64)> = got.iter().map(|f| (f.3.as_str(), f.1)).collect();
    assert_eq!(secrets.len(), 2, "{got:?}");
    assert!(
        secrets.contains(&(t.as_str(), 5)) && secrets.contains(&(p.as_str(), 5)),
        "{got:?}"
    );
}
