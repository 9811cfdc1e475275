//! Output formats through the real binary: the JSON schema snapshot, the human output and
//! `--help` snapshots, and SARIF validated against the official 2.1.0 schema.

mod common;

use common::{json, moodleleaks, token, write_tree};
use tempfile::TempDir;

fn small_tree() -> TempDir {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "deploy/check.sh",
                format!(
                    "curl http://lms.example.edu/webservice/rest/server.php?wstoken={}&wsfunction=core_webservice_get_site_info\n", // moodleleaks:allow
                    token("fmt-a")
                )
                .as_bytes(),
            ),
            (
                "config/.env",
                format!(
                    "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n",
                    token("fmt-b")
                )
                .as_bytes(),
            ),
            ("src/empty.txt", b"nothing"),
        ],
    );
    dir
}

#[test]
fn json_schema_is_stable() {
    let dir = small_tree();
    let out = moodleleaks()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    insta::assert_json_snapshot!(report, {
        ".summary.elapsed_ms" => "[elapsed]",
        ".version" => "[version]",
    });
}

#[test]
fn human_output() {
    let dir = small_tree();
    let out = moodleleaks()
        .args(["scan", "--no-color"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::with_settings!({filters => vec![(r"(?m)\d+\.\d\ds$", "[elapsed]")]}, {
        insta::assert_snapshot!(text);
    });
}

#[test]
fn human_output_is_coloured_only_when_asked_for_a_terminal() {
    // Not a terminal here: no escapes, whatever NO_COLOR says.
    let dir = small_tree();
    let out = moodleleaks().arg("scan").arg(dir.path()).output().unwrap();
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn help_texts() {
    for args in [
        vec!["--help"],
        vec!["scan", "--help"],
        vec!["rules", "--help"],
        vec!["probe", "--help"],
    ] {
        let out = moodleleaks()
            .args(&args)
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        assert!(out.status.success());
        let name = format!("help_{}", args.join("_").replace("--", ""));
        insta::assert_snapshot!(name, String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = small_tree();
    let out = moodleleaks()
        .args(["scan", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    let sarif = json(&out.stdout);
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.starts_with('/') && !uri.contains("://"), "{uri}");
        let fps = r["partialFingerprints"].as_object().unwrap();
        assert!(fps.contains_key("secretFingerprint/v1"));
        let text = r.to_string();
        assert!(!text.contains(&token("fmt-a")[..10]));
        assert!(!text.contains(&token("fmt-b")[..10]));
    }
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.len() >= 10);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
}

#[test]
fn jsonl_is_one_finding_per_line() {
    let dir = small_tree();
    let out = moodleleaks()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(v["rule_id"].is_string() && v["fingerprint"].is_string());
    }
}
