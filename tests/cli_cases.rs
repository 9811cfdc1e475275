//! Regression tests for the cases handed over in `../shared/cases/` (copied to
//! `tests/fixtures/cases/`): inputs that an independent labelled set caught us missing, each
//! with its right answer in `expected.tsv` (path, line, kind, secret). One test per case, so a
//! failure names the kind of miss. They scan through the real binary with `--format json`.

mod common;

use common::{json, moodleleaks};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases")
}

/// (path, line, kind, secret) rows of expected.tsv for one case folder; `none` rows (a file
/// that must yield no credential) come back with kind `none`.
fn expected(case: &str) -> Vec<(String, u64, String, String)> {
    let text = std::fs::read_to_string(cases_dir().join("expected.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| l.starts_with(&format!("{case}/")))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_string(),
                f[1].parse().unwrap(),
                f[2].to_string(),
                f[3].to_string(),
            )
        })
        .collect()
}

/// Scans one case folder and compares: every expected credential found at its line with its
/// secret, no other credential, and an http hygiene finding where one is expected.
fn check(case: &str) {
    let dir = cases_dir().join(case);
    let out = moodleleaks()
        .args(["scan", "--no-ignore", "--format", "json", "--show-secrets"])
        .arg(&dir)
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    let mut got = BTreeSet::new();
    for f in doc["findings"].as_array().unwrap() {
        let path = format!("{case}/{}", f["path"].as_str().unwrap());
        let line = f["line"].as_u64().unwrap();
        let kind = f["kind"].as_str().unwrap();
        if kind == "hygiene" {
            if f["rule_id"].as_str().unwrap().contains("http") {
                got.insert((path, line, "hygiene-http".to_string(), String::new()));
            }
        } else {
            got.insert((
                path,
                line,
                kind.to_string(),
                f["secret"].as_str().unwrap().to_string(),
            ));
        }
    }
    let want: BTreeSet<_> = expected(case)
        .into_iter()
        .filter(|(_, _, kind, _)| kind != "none")
        .collect();
    let missed: Vec<_> = want.difference(&got).collect();
    let unwanted: Vec<_> = got
        .difference(&want)
        .filter(|(_, _, kind, _)| kind != "hygiene-http")
        .collect();
    assert!(
        missed.is_empty() && unwanted.is_empty(),
        "{case}: missed {missed:?}, unwanted {unwanted:?}"
    );
}

#[test]
fn notebook_json_escaped_source() {
    check("01-notebook");
}

#[test]
fn json_log_with_unicode_escaped_ampersand() {
    check("02-json-log");
}

#[test]
fn token_php_password_as_first_parameter() {
    check("03-token-php-order");
}

#[test]
fn typed_fields_and_properties() {
    check("04-typed");
}

#[test]
fn helm_name_value_pairs_and_another_services_key() {
    check("05-name-value");
}

#[test]
fn csv_token_column_and_content_hashes() {
    check("06-csv");
}

#[test]
fn dump_binds_values_to_external_tokens_columns_only() {
    check("07-dump");
}

#[test]
fn http_pluginfile_is_hygiene_and_its_token_a_finding() {
    check("08-http-file");
}
