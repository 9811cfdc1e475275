//! `moodleleaks scan` through the real binary on real temp trees.

mod common;

use common::{json, moodleleaks, private_token, scan_json, token, write_tree};
use std::collections::BTreeSet;
use tempfile::TempDir;

/// A tree with one planted credential per rule family and the hard negatives that must stay
/// silent next to them.
fn planted_tree() -> (TempDir, Vec<(String, String, String)>) {
    let dir = TempDir::new().unwrap();
    let t = |l: &str| token(l);
    let launch_payload = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:::{}:::{}",
            t("siteid"),
            t("launch"),
            private_token("launch")
        ))
    };
    let files: Vec<(String, String)> = vec![
        (
            "deploy/healthcheck.sh".into(),
            format!(
                "#!/bin/sh\ncurl -X POST https://lms.example.edu/webservice/rest/server.php \\\n  -d wstoken={} -d wsfunction=core_webservice_get_site_info\n",
                t("curl")
            ),
        ),
        (
            ".env".into(),
            format!("MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n", t("env")),
        ),
        (
            "src/client.py".into(),
            format!(
                "import requests\nSITE = 'https://lms.example.edu'\nparams = {{'wstoken': '{}', 'wsfunction': 'core_user_get_users'}}\n",
                t("python")
            ),
        ),
        (
            "config/moodle.yml".into(),
            format!(
                "moodle:\n  url: https://lms.example.edu\n  token: {}\n",
                t("yaml-generic")
            ),
        ),
        (
            "docs/files.md".into(),
            format!(
                "![logo](https://lms.example.edu/webservice/pluginfile.php/27/course/overviewfiles/logo.png?token={})\n![me](https://lms.example.edu/tokenpluginfile.php/{}/27/user/icon/f1)\n",
                t("pluginfile"),
                t("userkey")
            ),
        ),
        (
            "fixtures/login.json".into(),
            format!(
                "{{\"token\":\"{}\",\"privatetoken\":\"{}\"}}\n",
                t("login"),
                private_token("login")
            ),
        ),
        (
            "app/launch.html".into(),
            format!("<a href=\"moodlemobile://token={launch_payload}\">Open in the app</a>\n"),
        ),
        (
            "scripts/get_token.sh".into(),
            "curl 'https://lms.example.edu/login/token.php?username=api&password=Sup3r-S3cret!&service=moodle_mobile_app'\n".into(), // moodleleaks:allow
        ),
        (
            "legacy/client.php".into(),
            format!(
                "$url = 'http://lms.example.edu/webservice/rest/server.php?wstoken={}&wsfunction=core_course_get_courses';\n", // moodleleaks:allow
                t("php-query")
            ),
        ),
        // Hard negatives.
        (
            "package-lock.json".into(),
            format!(
                "{{\"name\":\"x\",\"packages\":{{\"node_modules/a\":{{\"resolved\":\"https://registry.npmjs.org/a/-/a-1.0.0.tgz\",\"integrity\":\"sha512-{}\",\"md5\":\"{}\"}}}}}}\n",
                t("npm"),
                t("npm-md5")
            ),
        ),
        (
            "checksums.md5".into(),
            format!("{}  moodle-4.5.tgz\n{}  token.php\n", t("md5-1"), t("md5-2")),
        ),
        (
            "CHANGELOG.md".into(),
            format!("Moodle token fix in commit {}{}\n", t("sha-a"), &t("sha-b")[..8]),
        ),
        (
            "ci/.github-workflow.yml".into(),
            "env:\n  MOODLE_TOKEN: ${{ secrets.MOODLE_TOKEN }}\n  MOODLE_URL: https://lms.example.edu\n".into(),
        ),
        (
            "README.md".into(),
            "Set `wstoken=YOUR_TOKEN_HERE` or MOODLE_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; token: <token>; moodle_token = os.environ[\"MOODLE_TOKEN\"]\nid 123e4567-e89b-12d3-a456-426614174000\n".into(),
        ),
        (
            "theme/colours.scss".into(),
            "$palette: #ff00aa #00ffaa #123abc; // moodle theme\n".into(),
        ),
        (
            "local/plugin/version.php".into(),
            format!("$plugin->component = 'local_x'; // moodle\n$checksum = '{}';\n", t("version-md5")),
        ),
    ];
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_bytes()))
        .collect();
    write_tree(dir.path(), &refs);
    let expected = vec![
        ("deploy/healthcheck.sh", "wstoken", t("curl")),
        (".env", "wstoken", t("env")),
        ("src/client.py", "wstoken", t("python")),
        ("config/moodle.yml", "wstoken", t("yaml-generic")),
        ("docs/files.md", "wstoken", t("pluginfile")),
        ("docs/files.md", "userkey", t("userkey")),
        ("fixtures/login.json", "wstoken", t("login")),
        (
            "fixtures/login.json",
            "privatetoken",
            private_token("login"),
        ),
        ("app/launch.html", "mobile-launch", launch_payload.clone()),
        ("app/launch.html", "wstoken", t("launch")),
        ("app/launch.html", "privatetoken", private_token("launch")),
        (
            "scripts/get_token.sh",
            "password-in-url",
            "Sup3r-S3cret!".into(),
        ),
        ("legacy/client.php", "wstoken", t("php-query")),
        ("legacy/client.php", "hygiene", t("php-query")),
        (
            "legacy/client.php",
            "hygiene",
            "http://lms.example.edu/webservice/rest/server.php".into(), // moodleleaks:allow
        ),
    ]
    .into_iter()
    .map(|(p, k, s)| (p.to_string(), k.to_string(), s))
    .collect();
    (dir, expected)
}

fn found_set(report: &serde_json::Value) -> BTreeSet<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn finds_every_planted_credential_and_nothing_else() {
    let (dir, expected) = planted_tree();
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    let found = found_set(&report);
    let want: BTreeSet<_> = expected.into_iter().collect();
    let missed: Vec<_> = want.difference(&found).collect();
    let extra: Vec<_> = found.difference(&want).collect();
    assert!(missed.is_empty(), "missed: {missed:#?}");
    assert!(extra.is_empty(), "false positives: {extra:#?}");
    assert_eq!(report["findings"].as_array().unwrap().len(), want.len());
}

#[test]
fn every_output_redacts_unless_asked() {
    let (dir, expected) = planted_tree();
    for format in ["human", "json", "jsonl", "sarif"] {
        let out = moodleleaks()
            .args(["scan", "--format", format])
            .arg(dir.path())
            .assert()
            .code(1)
            .get_output()
            .clone();
        let text = String::from_utf8_lossy(&out.stdout);
        for (_, kind, secret) in &expected {
            if kind != "hygiene" || secret.len() == 32 {
                assert!(
                    !text.contains(&secret[..secret.len().min(12)]),
                    "{format} output shows a secret of kind {kind}"
                );
            }
        }
    }
}

#[test]
fn findings_carry_location_fingerprint_redacted_line_and_site() {
    let (dir, _) = planted_tree();
    let out = moodleleaks()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "deploy/healthcheck.sh")
        .unwrap();
    assert_eq!(f["rule_id"], "moodle-wstoken-url");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 14);
    assert_eq!(f["secret"], format!("{}…", &token("curl")[..4]));
    assert_eq!(f["site"], "https://lms.example.edu");
    assert_eq!(f["severity"], "high");
    assert_eq!(
        f["line_text"],
        format!(
            "  -d wstoken={}… -d wsfunction=core_webservice_get_site_info",
            &token("curl")[..4]
        )
    );
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 64);
    assert!(report["fingerprint_algorithm"]
        .as_str()
        .unwrap()
        .contains("v1"));
}

#[test]
fn same_token_in_two_files_shares_one_fingerprint() {
    let dir = TempDir::new().unwrap();
    let tok = token("shared");
    write_tree(
        dir.path(),
        &[
            ("a.env", format!("MOODLE_TOKEN={tok}\n").as_bytes()),
            (
                "b.sh",
                format!("curl x -d wstoken={} -d y\n", tok.to_uppercase()).as_bytes(),
            ),
        ],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["fingerprint"], lines[1]["fingerprint"]);
}

#[test]
fn exit_statuses_follow_ripgrep() {
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("clean.txt", b"nothing to see")]);
    moodleleaks().arg("scan").arg(dir.path()).assert().code(0);
    write_tree(
        dir.path(),
        &[(
            "leak.env",
            format!("MOODLE_TOKEN={}\n", token("exit")).as_bytes(),
        )],
    );
    moodleleaks().arg("scan").arg(dir.path()).assert().code(1);
    moodleleaks()
        .args(["scan", "--exit-code", "7"])
        .arg(dir.path())
        .assert()
        .code(7);
    moodleleaks()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("/definitely/not/here"));
    moodleleaks()
        .args(["scan", "--format", "yaml", "."])
        .assert()
        .code(2);
}

#[test]
fn bad_config_is_one_line_naming_the_file() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(".moodleleaks.toml", b"[allowlist]\npathz = [1]\n")],
    );
    let out = moodleleaks().arg("scan").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".moodleleaks.toml"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn stdin_is_scanned() {
    let input = format!("log: calling server.php?wstoken={}\n", token("stdin"));
    let out = moodleleaks()
        .args(["scan", "-", "--format", "json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    assert_eq!(report["findings"][0]["path"], "<stdin>");
}

#[test]
fn gitignore_is_honoured_hidden_files_scanned_and_git_dir_never() {
    let dir = TempDir::new().unwrap();
    let line = |l: &str| format!("MOODLE_TOKEN={}\n", token(l));
    write_tree(
        dir.path(),
        &[
            (".gitignore", b"ignored/\n"),
            ("ignored/secret.env", line("ignored").as_bytes()),
            (".hidden/.env", line("hidden").as_bytes()),
            (".git/config", line("gitdir").as_bytes()),
        ],
    );
    let paths = |extra: &[&str]| -> BTreeSet<String> {
        let out = moodleleaks()
            .args(["scan", "--format", "json"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        json(&out.stdout)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths(&[]), BTreeSet::from([".hidden/.env".to_string()]));
    assert_eq!(
        paths(&["--no-ignore"]),
        BTreeSet::from([".hidden/.env".to_string(), "ignored/secret.env".to_string()])
    );
}

#[test]
fn binary_huge_utf16_and_invalid_utf8_inputs() {
    let dir = TempDir::new().unwrap();
    let line = format!("MOODLE_TOKEN={}\n", token("inputs"));
    let mut binary = b"\x00\x01\x02".to_vec();
    binary.extend_from_slice(line.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    format!("MOODLE_TOKEN={}\n", token("utf16"))
        .encode_utf16()
        .for_each(|u| utf16.extend_from_slice(&u.to_le_bytes()));
    let mut latin1 = b"caf\xe9 \xff\xfe ".to_vec();
    latin1.extend_from_slice(format!("MOODLE_TOKEN={}\n", token("latin1")).as_bytes());
    let mut huge = vec![b'a'; 4096];
    huge.extend_from_slice(line.as_bytes());
    write_tree(
        dir.path(),
        &[
            ("bin.dat", &binary),
            ("utf16.env", &utf16),
            ("latin1.env", &latin1),
            ("huge.env", &huge),
        ],
    );
    let out = moodleleaks()
        .args([
            "scan",
            "--format",
            "json",
            "--show-secrets",
            "--max-file-size",
            "1024",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let secrets: BTreeSet<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect();
    // The binary file is read as its printable runs (its token found at its byte offset);
    // the huge one holding the same token is skipped.
    assert_eq!(
        secrets,
        BTreeSet::from([token("utf16"), token("latin1"), token("inputs")]),
        "{report:#}"
    );
    let bin = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "bin.dat")
        .unwrap();
    assert_eq!(bin["byte_offset"], 3 + "MOODLE_TOKEN=".len());
    assert_eq!(report["summary"]["binary_as_strings"], 1);
    assert!(report["summary"]["skipped"].get("binary").is_none());
    assert_eq!(report["summary"]["skipped"]["too_large"], 1);
    assert_eq!(report["summary"]["files_scanned"], 3);
}

#[cfg(unix)]
#[test]
fn broken_symlinks_and_loops_are_reported_once_and_the_scan_goes_on() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "ok.env",
            format!("MOODLE_TOKEN={}\n", token("links")).as_bytes(),
        )],
    );
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("broken")).unwrap();
    std::fs::create_dir(dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop/back")).unwrap();
    let out = moodleleaks()
        .args(["scan", "--follow-symlinks", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    // The loop is an error; the broken link has no content: a note (issue 8).
    assert_eq!(report["summary"]["errors"], 1, "{report:#}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("loop"), "{err}");
    assert!(
        report["summary"]["notes"].to_string().contains("broken"),
        "{report:#}"
    );
}

#[test]
fn allowlist_inline_and_baseline_suppress() {
    let dir = TempDir::new().unwrap();
    let (a, b, c, d) = (token("al-a"), token("al-b"), token("al-c"), token("al-d"));
    write_tree(
        dir.path(),
        &[
            (
                "tests/fixtures/x.env",
                format!("MOODLE_TOKEN={a}\n").as_bytes(),
            ),
            (
                "src/y.env",
                format!("MOODLE_TOKEN={b} # moodleleaks:allow\n").as_bytes(),
            ),
            (
                "src/z.env",
                format!("MOODLE_TOKEN={c}\nMOODLE_WSTOKEN={d}\n").as_bytes(),
            ),
        ],
    );
    let cfg = format!(
        "[allowlist]\npaths = [\"tests/fixtures/**\"]\nregexes = [\"^{}\"]\n",
        &c[..10]
    );
    write_tree(dir.path(), &[(".moodleleaks.toml", cfg.as_bytes())]);
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let found: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert_eq!(found, vec![d.as_str()]);
    assert_eq!(report["summary"]["suppressed"]["inline"], 1);
    // One finding by regex, and the file under the allowlisted path (never read).
    assert_eq!(report["summary"]["suppressed"]["allowlist"], 2);

    // Baseline: write it, then the same scan is clean; a new token is reported.
    let baseline = dir.path().join("baseline.json");
    moodleleaks()
        .args(["scan", "--write-baseline"])
        .arg(&baseline)
        .arg(dir.path())
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert!(!text.contains(&d[..8]), "baseline holds a secret");
    assert!(!text.contains("\"line\""), "baseline holds line numbers");
    moodleleaks()
        .args(["scan", "--baseline"])
        .arg(&baseline)
        .arg(dir.path())
        .assert()
        .code(0);
    // Lines moving does not churn the baseline.
    write_tree(
        dir.path(),
        &[(
            "src/z.env",
            format!("\n\n# moved\nMOODLE_WSTOKEN={d}\n").as_bytes(),
        )],
    );
    moodleleaks()
        .args(["scan", "--baseline"])
        .arg(&baseline)
        .arg(dir.path())
        .assert()
        .code(0);
    let fresh = token("al-new");
    write_tree(
        dir.path(),
        &[("src/new.env", format!("MOODLE_TOKEN={fresh}\n").as_bytes())],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--baseline"])
        .arg(&baseline)
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    assert_eq!(report["findings"][0]["path"], "src/new.env");
    assert_eq!(report["summary"]["suppressed"]["baseline"], 1);
}

#[test]
fn fingerprint_allowlist() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "a.env",
            format!("MOODLE_TOKEN={}\n", token("fp")).as_bytes(),
        )],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let fp = json(&out.stdout)["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    write_tree(
        dir.path(),
        &[(
            ".moodleleaks.toml",
            format!("[allowlist]\nfingerprints = [\"{fp}\"]\n").as_bytes(),
        )],
    );
    moodleleaks().arg("scan").arg(dir.path()).assert().code(0);
}

#[test]
fn output_file_and_extra_rules() {
    let dir = TempDir::new().unwrap();
    let rules = TempDir::new().unwrap();
    write_tree(
        rules.path(),
        &[(
            "custom.toml",
            br#"id = "custom-moodle-secret"
description = "A team's own key"
kind = "wstoken"
severity = "critical"
# Built-in keyed rules also know `moodle key` names: the team's rule wins by priority.
priority = 100
keywords = ["acme_moodle_key"]
regex = '''acme_moodle_key=(?P<secret>[0-9a-f]{32})'''
validators = ["hex-token"]
[[examples]]
positive = "acme_moodle_key=0e5619b7954d566a26f4f57bf38dd601"
"#,
        )],
    );
    write_tree(
        dir.path(),
        &[(
            "x.txt",
            format!("acme_moodle_key={}\n", token("custom")).as_bytes(),
        )],
    );
    let report_path = dir.path().join("out.json");
    moodleleaks()
        .args(["scan", "--format", "json", "--rules"])
        .arg(rules.path())
        .arg("--output")
        .arg(&report_path)
        .arg(dir.path().join("x.txt"))
        .assert()
        .code(1)
        .stdout("");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "custom-moodle-secret");
    assert_eq!(report["findings"][0]["severity"], "critical");
}

#[test]
fn rules_check_passes_builtins_and_fails_a_broken_rule() {
    moodleleaks()
        .args(["rules", "check"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("all pass"));
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "broken.toml",
            br#"id = "broken"
description = "never matches its example"
kind = "wstoken"
severity = "high"
keywords = ["zzz"]
regex = '''zzz(?P<secret>[0-9]{3})'''
[[examples]]
positive = "nothing here"
"#,
        )],
    );
    moodleleaks()
        .args(["rules", "check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "broken.toml: rule broken example 1",
        ));
    write_tree(
        dir.path(),
        &[("broken.toml", b"id = \"x\"\nregex = '''(unclosed'''\n")],
    );
    moodleleaks()
        .args(["rules", "check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("broken.toml"));
}

#[test]
fn rules_list_shows_every_builtin() {
    let out = moodleleaks()
        .args(["rules", "list", "--json"])
        .output()
        .unwrap();
    let list = json(&out.stdout);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "moodle-wstoken-url",
        "moodle-wstoken-assignment",
        "moodle-webservice-file-token",
        "moodle-tokenpluginfile-userkey",
        "moodle-userprivateaccesskey",
        "moodle-generic-token-in-context",
        "moodle-privatetoken",
        "moodle-mobile-launch",
        "moodle-password-in-url",
        "moodle-hygiene-http-webservice",
        "moodle-hygiene-token-in-query",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn large_stdin_is_scanned_in_chunks_with_continuous_line_numbers() {
    // 200,000 lines (~10 MB, more than one 8 MiB chunk and more than --max-file-size),
    // then a token: found, on the right line.
    let mut input = "a harmless log line with nothing to report in it at all\n".repeat(200_000);
    input.push_str(&format!("POST server.php wstoken={}\n", token("big-stdin")));
    let out = moodleleaks()
        .args(["scan", "-", "--format", "json", "--max-file-size", "1024"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    assert_eq!(report["findings"][0]["line"], 200_001);
    assert_eq!(report["summary"]["files_scanned"], 1);
    assert!(report["summary"]["bytes_scanned"].as_u64().unwrap() > 10_000_000);
}

#[test]
fn a_baseline_knows_its_secret_when_a_version_reports_it_as_another_token_kind() {
    let dir = TempDir::new().unwrap();
    let value = token("rekinded");
    write_tree(
        dir.path(),
        &[("app/x.env", format!("MOODLE_TOKEN={value}\n").as_bytes())],
    );
    let baseline = dir.path().join("baseline.json");
    moodleleaks()
        .args(["scan", "--write-baseline"])
        .arg(&baseline)
        .arg(dir.path().join("app"))
        .assert()
        .code(1);
    // The same value spelt in a user-key URL: every occurrence is now a user key.
    let icon =
        format!("ICON=https://lms.example.edu/tokenpluginfile.php/{value}/12/user/icon/f1\n");
    write_tree(
        dir.path(),
        &[(
            "app/x.env",
            format!("MOODLE_TOKEN={value}\n{icon}").as_bytes(),
        )],
    );
    let report = scan_json(&dir.path().join("app"), &[]);
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["userkey", "userkey"], "{report:#}");
    moodleleaks()
        .args(["scan", "--baseline"])
        .arg(&baseline)
        .arg(dir.path().join("app"))
        .assert()
        .code(0);
    // An allowlisted fingerprint written under the old kind, likewise.
    let fingerprint = report["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let old = moodleleaks::finding::fingerprint(moodleleaks::finding::Kind::Wstoken, &value);
    assert_ne!(fingerprint, old);
    let cfg = format!("[allowlist]\nfingerprints = [\"{old}\"]\n");
    write_tree(dir.path(), &[("app/.moodleleaks.toml", cfg.as_bytes())]);
    moodleleaks()
        .args(["scan"])
        .arg(dir.path().join("app"))
        .assert()
        .code(0);
}

/// A baseline written when a percent-encoded `login/token.php` password was reported as
/// written (`x%40Y7z%21q`) still knows it now that it is reported as Moodle reads it
/// (`x@Y7z!q`): the finding is not new.
#[test]
fn a_baseline_knows_a_password_it_listed_percent_encoded() {
    let dir = TempDir::new().unwrap();
    let written = format!("x%40Y7z%21{}", "q");
    write_tree(
        dir.path(),
        &[(
            "logs/access.log",
            format!(
                "GET /login/token.php?username=u&password={written}&service=moodle_mobile_app\n"
            )
            .as_bytes(),
        )],
    );
    let report = scan_json(&dir.path().join("logs"), &[]);
    assert_eq!(report["findings"][0]["secret"], "x@Y7z!q", "{report:#}");
    let old =
        moodleleaks::finding::fingerprint(moodleleaks::finding::Kind::PasswordInUrl, &written);
    assert_ne!(report["findings"][0]["fingerprint"], old.as_str());
    let baseline = dir.path().join("baseline.json");
    std::fs::write(
        &baseline,
        format!(
            "{{\"fingerprint_algorithm\": \"moodleleaks-fp-v1:sha256(kind NUL normalised-secret)\",\n \"entries\": [{{\"fingerprint\":\"{old}\",\"path\":\"access.log\"}}]}}\n"
        ),
    )
    .unwrap();
    moodleleaks()
        .args(["scan", "--baseline"])
        .arg(&baseline)
        .arg(dir.path().join("logs"))
        .assert()
        .code(0);
}
