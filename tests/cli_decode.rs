//! Tokens inside other encodings (issue 10): the key/value layer reads the text before a value
//! with its escapes undone, and base64-written values are decoded where the input says it
//! holds base64. Each test builds its input with a synthetic token and checks the reported
//! line (the original file's) and secret through the real binary.

mod common;

use base64::Engine;
use common::{json, moodleleaks, token, write_tree};
use tempfile::TempDir;

/// Scans one file holding `text` and returns (line, secret) of each credential finding.
fn found(name: &str, text: &str) -> Vec<(u64, String)> {
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[(name, text.as_bytes())]);
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets"])
        .arg(dir.path())
        .output()
        .unwrap();
    json(&out.stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "hygiene")
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn kubernetes_secret_data_values_are_decoded_and_redacted() {
    let t = token("k8s-secret");
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{t}\n"));
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sync\ndata:\n  MOODLE_WSTOKEN: {encoded}\n"
    );
    assert_eq!(found("k8s/secret.yaml", &text), [(6, t.clone())]);
    // Without --show-secrets neither the token nor its encoded form is printed.
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("secret.yaml", text.as_bytes())]);
    let out = moodleleaks().arg("scan").arg(dir.path()).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        !shown.contains(&encoded[..12]) && !shown.contains(&t[..12]),
        "{shown}"
    );
}

#[test]
fn a_key_inside_a_json_string_is_read_unescaped() {
    let t = token("json-escaped");
    // A notebook cell: the source line is a JSON string with escaped quotes.
    let nb = format!(
        "{{\n \"cells\": [{{\n  \"source\": [\n   \"MOODLE_TOKEN = \\\"{t}\\\"\\n\",\n   \"# moodle\\n\"\n  ]\n }}]\n}}\n"
    );
    assert_eq!(found("a.ipynb", &nb), [(4, t)]);
}

#[test]
fn a_percent_encoded_url_inside_another_url() {
    let t = token("percent");
    let text = format!(
        "https://sso.example.edu/return?next=https%3A%2F%2Flms.example.edu%2Fwebservice%2Frest%2Fserver.php%3Fwsfunction%3Dcore_course_get_courses%26wstoken%3D{t}\n"
    );
    assert_eq!(found("redirect.txt", &text), [(1, t)]);
}

#[test]
fn quoted_printable_email() {
    let t = token("qp");
    let text = format!(
        "Content-Transfer-Encoding: quoted-printable\n\nThe call is https://lms.example.edu/webservice/rest/server.php?wsfunction=3Dcore_=\nwebservice_get_site_info&wstoken=3D{t}\n"
    );
    assert_eq!(found("ticket.eml", &text), [(4, t)]);
}

#[test]
fn html_entities_in_an_attribute() {
    let t = token("html");
    let text = format!(
        "<a href=\"https://lms.example.edu/webservice/rest/server.php?wsfunction=core_course_get_courses&amp;wstoken={t}\">x</a>\n"
    );
    assert_eq!(found("page.html", &text), [(1, t)]);
}

/// A password percent-encoded in a `login/token.php` query that is itself inside another
/// layer (a quoted-printable mail, a JSON string holding HTML): the outer layer is undone
/// alone, and the password is read as Moodle reads its query (`Kr4nich%23Ob3n%26qZ6` →
/// `Kr4nich#Ob3n&qZ6`), never cut at the `&` its `%26` stands for. An encoded URL inside
/// another URL still has its own escapes undone (the test above).
#[test]
fn a_password_percent_encoded_under_another_layer_keeps_its_ampersand() {
    let site = "https://lernen.example.de/login/token.php";
    // Synthetic passwords, built here so the repository passes its own scan.
    let (mail_pw, ticket_pw) = (
        ["Kr4nich", "%23Ob3n%26qZ6"].concat(),
        ["Qv9Wjp", "MVXOa%26"].concat(),
    );
    let mail = format!(
        "Content-Transfer-Encoding: quoted-printable\n\n{site}?username=3Dj.wendler&=\n\
         password=3D{mail_pw}&service=3Dmoodle_mobile_app\n"
    );
    assert_eq!(
        found("mail.eml", &mail),
        [(4, ["Kr4nich", "#Ob3n&qZ6"].concat())]
    );
    let ticket = format!(
        "{{\"description\": \"\\u003cdiv\\u003eLink: {site}?username=docente\\u0026amp;\
         password={ticket_pw}\\u0026amp;service=moodle_mobile_app\\u003c/div\\u003e\"}}\n"
    );
    assert_eq!(
        found("ticket.json", &ticket),
        [(1, ["Qv9Wjp", "MVXOa&"].concat())]
    );
}

/// A login URL percent-encoded inside another URL's `redirect=` holds the password twice
/// encoded: one reading gives it whole (`%2526` is its `&`), and no other reading of the
/// same bytes adds a second, cut password finding.
#[test]
fn a_password_read_two_ways_is_one_finding() {
    let dir = tempfile::TempDir::new().unwrap();
    let password = ["Kr4n", "&ich%Ob3n"].concat();
    let written = ["Kr4n", "%2526ich%2525Ob3n"].concat();
    let line = format!("redirect=https%3A%2F%2Flms.example.edu%2Flogin%2Ftoken.php%3Fusername%3Dsvc%26password%3D{written}%26service%3Dmoodle_mobile_app\n");
    common::write_tree(dir.path(), &[("sso.log", line.as_bytes())]);
    let report = common::scan_json(dir.path(), &[]);
    let found: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "password-in-url")
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["secret"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, vec![("moodle-password-in-url", password.as_str())]);
}

/// A terminal capture (`script(1)`'s typescript of `curl … | jq -C`, a CI console log)
/// writes colour codes between a key and its value: read without them, the token and the
/// private token are found on their own lines.
#[test]
fn colour_codes_of_a_terminal_capture_are_read_through() {
    let dir = TempDir::new().unwrap();
    let (wstoken, private) = (token("typescript"), common::private_token("typescript"));
    let e = '\u{1b}';
    let capture = format!(
        "Script started on 2025-02-18 14:03:27+01:00\n\
         {e}]0;jan@host: ~{e}\\{e}[01;32mjan@host{e}[00m$ curl -s https://lms.example.nl/login/token.php -d service=moodle_mobile_app | jq -C .\r\n\
         {e}[1;39m{{\r\n  {e}[0m{e}[34;1m\"token\"{e}[0m{e}[1;39m:{e}[0m {e}[0;32m\"{wstoken}\"{e}[0m{e}[1;39m,\r\n  \
         {e}[0m{e}[34;1m\"privatetoken\"{e}[0m{e}[1;39m:{e}[0m {e}[0;32m\"{private}\"{e}[0m\r\n\
         {e}[1;39m}}{e}[0m\r\n"
    );
    write_tree(dir.path(), &[("typescript", capture.as_bytes())]);
    let report = common::scan_json(dir.path(), &[]);
    let mut found: Vec<(u64, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "wstoken" || f["kind"] == "privatetoken")
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_string(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (4, "wstoken".to_string(), wstoken),
            (5, "privatetoken".to_string(), private)
        ]
    );
}
