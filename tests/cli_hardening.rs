//! Hostile and odd inputs through the real binary: special files, empty-matching rules,
//! absurd thread counts, secrets that must stay redacted, terminal escapes, huge files.

mod common;

use common::{json, moodleleaks, token, write_tree, Rng};
use std::time::Duration;
use tempfile::TempDir;

/// Every scan here must end well within this; a hang fails the test instead of the suite.
const DEADLINE: Duration = Duration::from_secs(60);

/// The deadline of a scan whose input is large on purpose (a line of 20,000 values): a hang
/// or a reading that grows with the square of the values still fails it.
const LONG_LINE_DEADLINE: Duration = Duration::from_secs(300);

#[cfg(unix)]
#[test]
fn fifos_sockets_and_devices_are_skipped_counted_and_never_opened() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "app.env",
            format!("MOODLE_TOKEN={}\n", token("fifo")).as_bytes(),
        )],
    );
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
    let out = moodleleaks()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .timeout(DEADLINE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json(&out.stdout);
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["summary"]["skipped"]["special_file"], 2,
        "{report:#}"
    );
    assert_eq!(report["summary"]["files_scanned"], 1);

    // Named explicitly: one note saying what it is.
    let out = moodleleaks()
        .args(["scan", "--format", "json"])
        .arg(&fifo)
        .arg(dir.path().join("app.env"))
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(
        report["summary"]["skipped"]["special_file"], 1,
        "{report:#}"
    );
    let notes = report["summary"]["notes"].to_string();
    assert!(
        notes.contains("pipe: a FIFO, not a regular file"),
        "{notes}"
    );
    let dev = moodleleaks()
        .args(["scan", "--format", "json", "/dev/zero"])
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let report = json(&dev.stdout);
    assert_eq!(
        report["summary"]["skipped"]["special_file"], 1,
        "{report:#}"
    );
}

/// A rule file for a custom rule with `regex` (TOML literal string) and keyword `zz`.
fn custom_rule(regex: &str) -> String {
    format!(
        "id = \"custom\"\ndescription = \"d\"\nkind = \"wstoken\"\nseverity = \"high\"\nkeywords = [\"zz\"]\nregex = '''{regex}'''\n[[examples]]\npositive = \"zz zzz\"\n"
    )
}

/// `moodleleaks rules check DIR`: (exit status, stderr).
fn rules_check(dir: &std::path::Path) -> (Option<i32>, String) {
    let out = moodleleaks()
        .args(["rules", "check"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn rules_that_can_match_the_empty_string_are_refused_with_a_reason() {
    for (regex, why) in [
        ("(?P<secret>[a-z]*)", "regex can match the empty string"),
        ("(?m)(?P<secret>zz)?$", "regex can match the empty string"),
        (
            "zz(?P<secret>[0-9]*)",
            "group `secret` can match the empty string",
        ),
    ] {
        let dir = TempDir::new().unwrap();
        write_tree(dir.path(), &[("r.toml", custom_rule(regex).as_bytes())]);
        for args in [&["rules", "check"][..], &["scan", "--rules"][..]] {
            let out = moodleleaks()
                .args(args)
                .arg(dir.path())
                .timeout(DEADLINE)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{regex}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(
                stderr.contains("r.toml: rule custom: ") && stderr.contains(why),
                "{stderr}"
            );
        }
    }
    // A bad regex is one line too.
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[("r.toml", custom_rule("(?P<secret>zz").as_bytes())],
    );
    let (code, stderr) = rules_check(dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("invalid regex"), "{stderr}");
}

/// `encoded_groups` must name secret groups of the rule's regex and come with a
/// `secret_encoding`, `percent_groups` must name secret groups; a rule that gets either
/// wrong is refused in one line, and a right one decodes only the groups it names.
#[test]
fn encoded_groups_are_checked_when_a_rule_is_loaded() {
    let rule = |extra: &str| {
        format!(
            "id = \"custom\"\ndescription = \"d\"\nkind = \"password-in-url\"\nseverity = \"high\"\nkeywords = [\"zz\"]\nregex = '''zz=(?P<secret>[^ ]+)|yy=(?P<secret2>[^ ]+)'''\n{extra}\n[[examples]]\npositive = \"zz=a%40b\"\nsecret = \"a%40b\"\n[[examples]]\npositive = \"zz yy=c%40d\"\nsecret = \"c@d\"\n"
        )
    };
    for (extra, why) in [
        (
            "secret_encoding = \"query\"\nencoded_groups = [\"host\"]",
            "encoded_groups names \"host\", which is not a secret group of its regex",
        ),
        (
            "encoded_groups = [\"secret2\"]",
            "encoded_groups needs secret_encoding",
        ),
        (
            "percent_groups = [\"host\"]",
            "percent_groups names \"host\", which is not a secret group of its regex",
        ),
    ] {
        let dir = TempDir::new().unwrap();
        write_tree(dir.path(), &[("r.toml", rule(extra).as_bytes())]);
        let (code, stderr) = rules_check(dir.path());
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("r.toml: rule custom: ") && stderr.contains(why),
            "{stderr}"
        );
    }
    let dir = TempDir::new().unwrap();
    let right = rule("secret_encoding = \"query\"\nencoded_groups = [\"secret2\"]");
    write_tree(dir.path(), &[("r.toml", right.as_bytes())]);
    let (code, stderr) = rules_check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
}

/// Two files of one rules directory with the same id are refused (one would silently
/// replace the other); a check that fails says how many rules fail, not a count of
/// examples that leaves out rules without any.
#[test]
fn duplicate_rule_ids_are_refused_and_failures_are_counted_by_rule() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            ("a.toml", custom_rule("zz(?P<secret>z+)").as_bytes()),
            ("b.toml", custom_rule("zz (?P<secret>z+)").as_bytes()),
        ],
    );
    for args in [&["rules", "check"][..], &["scan", "--rules"][..]] {
        let out = moodleleaks().args(args).arg(dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("b.toml: rule id custom is already defined by")
                && stderr.contains("a.toml"),
            "{stderr}"
        );
    }
    let no_examples = custom_rule("zz(?P<secret>z+)");
    let no_examples = no_examples.split("[[examples]]").next().unwrap();
    write_tree(
        dir.path(),
        &[(
            "b.toml",
            no_examples.replace("\"custom\"", "\"other\"").as_bytes(),
        )],
    );
    let (code, stderr) = rules_check(dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("rule other example 0: rule has no examples")
            && stderr.ends_with("1 of 2 rules failed their check (1 problem, 1 examples run)\n"),
        "{stderr}"
    );
}

#[test]
fn hits_starting_on_a_line_end_never_hang_the_scan() {
    // Secrets that start on the `\r` of a CRLF or on the `\n` itself, and at end of file.
    for regex in [
        "(?P<secret>\\r\\nzz)",
        "(?P<secret>\\nzz)",
        "(?P<secret>zz\\n?)",
    ] {
        let dir = TempDir::new().unwrap();
        write_tree(
            dir.path(),
            &[
                ("rules/r.toml", custom_rule(regex).as_bytes()),
                ("scan/a.txt", b"one\r\nzz two\r\nzz"),
            ],
        );
        let out = moodleleaks()
            .args(["scan", "--format", "json", "--rules"])
            .arg(dir.path().join("rules"))
            .arg(dir.path().join("scan"))
            .timeout(DEADLINE)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{regex}: {out:?}");
        assert!(!json(&out.stdout)["findings"].as_array().unwrap().is_empty());
    }
}

#[test]
fn absurd_thread_counts_are_lowered_with_a_note_and_help_shows_one_default() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "a.env",
            format!("MOODLE_TOKEN={}\n", token("threads")).as_bytes(),
        )],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json", "-j", "1000000"])
        .arg(dir.path())
        .timeout(DEADLINE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let notes = json(&out.stdout)["summary"]["notes"].to_string();
    assert!(notes.contains("-j 1000000 lowered to"), "{notes}");
    let help = moodleleaks().args(["scan", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let threads = &help[help.find("--threads").unwrap()..];
    let threads = &threads[..threads.find("--max-file-size").unwrap()];
    assert!(threads.contains("4× the CPUs"), "{threads}");
    assert_eq!(threads.matches("[default:").count(), 1, "{threads}");
}

const FORMATS: &[&str] = &[
    "human", "json", "jsonl", "sarif", "gitlab", "junit", "markdown", "html",
];

/// Fails when any 8-character run of any secret appears in `output`.
fn assert_no_secret_run(output: &str, secrets: &[String], what: &str) {
    let lower = output.to_ascii_lowercase();
    for secret in secrets {
        let bytes = secret.as_bytes();
        for w in bytes.windows(8) {
            let run = std::str::from_utf8(w).unwrap();
            let hex = run.bytes().all(|b| b.is_ascii_hexdigit());
            let leaked = if hex {
                lower.contains(&run.to_ascii_lowercase())
            } else {
                output.contains(run)
            };
            assert!(!leaked, "{what}: {run:?} of a secret leaked:\n{output}");
        }
    }
}

#[test]
fn no_run_of_any_secret_reaches_any_output_without_show_secrets() {
    use base64::Engine;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..8 {
        let dir = TempDir::new().unwrap();
        let t: Vec<String> = (0..4).map(|k| token(&format!("prop-{case}-{k}"))).collect();
        let pt = common::private_token(&format!("prop-{case}"));
        let pw = rng.word(
            b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!$*~",
            12,
        );
        let payload = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:::{}",
            token("siteid"),
            t[3]
        ));
        let mut secrets = t.clone();
        secrets.push(pt.clone());
        secrets.push(pw.clone());
        secrets.push(payload.clone());
        // File `a` holds every token matched; `b` mixes them, copies, user info, long lines.
        let a: String = t
            .iter()
            .map(|x| format!("MOODLE_TOKEN={x}\n"))
            .collect::<String>()
            + &format!("privatetoken={pt}\n");
        let mut b = String::new();
        for _ in 0..(3 + rng.below(6)) {
            let x = &t[rng.below(3)];
            let line = match rng.below(6) {
                0 => format!("MOODLE_TOKEN={x} # the same: {x}"),
                1 => format!(
                    "curl \"https://admin:{pw}@lms.example.edu/webservice/rest/server.php?wstoken={x}&wsfunction=core_webservice_get_site_info\" # was {x}"
                ),
                2 => format!(
                    "{} wstoken={x} {} {x}{} {}",
                    "a".repeat(rng.below(700)),
                    "z".repeat(rng.below(400)),
                    "c".repeat(rng.below(3)),
                    t[(rng.below(3) + 1) % 3]
                ),
                3 => format!(
                    "<a href=\"moodlemobile://token={payload}\">app</a> {} {}",
                    t[3], t[3]
                ),
                4 => format!("privatetoken={pt} copy={pt} {}", "q".repeat(rng.below(500))),
                _ => format!(
                    "MOODLE_URL=https://svc:{pw}@lms.example.edu/moodle\nmoodle_token={x} note {}",
                    t[0]
                ),
            };
            b.push_str(&line);
            b.push_str(if rng.below(2) == 0 { "\n" } else { "\r\n" });
        }
        write_tree(
            dir.path(),
            &[("a.env", a.as_bytes()), ("b.txt", b.as_bytes())],
        );
        for format in FORMATS {
            let out = moodleleaks()
                .args(["scan", "--format", format])
                .arg(dir.path())
                .timeout(DEADLINE)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_no_secret_run(&shown, &secrets, &format!("case {case} --format {format}"));
        }
        // The check can fail: with --show-secrets the same runs are there.
        let out = moodleleaks()
            .args(["scan", "--format", "json", "--show-secrets"])
            .arg(dir.path())
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains(&t[0]) && shown.contains(&pt), "{shown}");
    }
}

#[cfg(unix)]
#[test]
fn control_characters_are_escaped_in_human_output_and_exact_in_json() {
    let dir = TempDir::new().unwrap();
    let name = "evil\x1b]0;owned\x07\r.env";
    let content = format!(
        "MOODLE_URL=https://lms.example.edu/\x1b[2J\nMOODLE_TOKEN={} \x1b[31mred\u{202e}\n",
        token("escape")
    );
    std::fs::write(dir.path().join(name), content).unwrap();
    for format in ["human", "markdown"] {
        let out = moodleleaks()
            .args(["scan", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(
            !text.contains('\r') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        assert!(text.contains("evil\\x1b]0;owned\\x07\\x0d.env"), "{text}");
    }
    let out = moodleleaks()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(report["findings"][0]["path"], name);

    // A hostile repository: author name and commit message.
    let repo = TempDir::new().unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(repo.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Mallory\x1b[2K")
            .env("GIT_AUTHOR_EMAIL", "m@example.org")
            .env("GIT_COMMITTER_NAME", "m")
            .env("GIT_COMMITTER_EMAIL", "m@example.org")
            .args(args)
            .status()
            .unwrap();
        assert!(ok.success());
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(
        repo.path().join("a.env"),
        format!("MOODLE_TOKEN={}\n", token("escape-git")),
    )
    .unwrap();
    git(&["add", "a.env"]);
    git(&["commit", "-q", "-m", "fix\x1b[1A\x1b[2Kall clean"]);
    let out = moodleleaks()
        .args(["git", "--no-progress"])
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(
        text.contains("Mallory\\x1b[2K") && text.contains("fix\\x1b[1A"),
        "{text}"
    );
}

#[test]
fn large_files_are_scanned_in_chunks_by_default_and_skips_are_named() {
    // 20 MB of text (more than two chunks), tokens at the start, across the first chunk
    // boundary region, and at the very end of one long last line.
    let dir = TempDir::new().unwrap();
    let mut big = String::with_capacity(21 << 20);
    big.push_str(&format!("MOODLE_TOKEN={}\n", token("big-start")));
    let filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    while big.len() < 20 << 20 {
        big.push_str(filler);
    }
    let lines_before = big.matches('\n').count();
    big.push_str(&"x".repeat(100));
    big.push_str(&format!(" MOODLE_TOKEN={}", token("big-end")));
    std::fs::write(dir.path().join("big.log"), &big).unwrap();
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets"])
        .arg(dir.path())
        .timeout(DEADLINE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    let found: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["secret"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (token("big-start"), 1, 14),
            (token("big-end"), lines_before as u64 + 1, 115)
        ]
    );
    assert_eq!(report["summary"]["bytes_scanned"], big.len() as u64);

    // An explicit limit still skips, and the file is named in the summary and in SARIF.
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--max-file-size", "1000000"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(report["summary"]["skipped"]["too_large"], 1);
    assert_eq!(report["summary"]["skipped_files"][0]["path"], "big.log");
    assert_eq!(report["summary"]["skipped_files"][0]["reason"], "too_large");
    let out = moodleleaks()
        .args(["scan", "--format", "human", "--max-file-size", "1000000"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("big.log") && text.contains("too_large"),
        "{text}"
    );
    let out = moodleleaks()
        .args(["scan", "--format", "sarif", "--max-file-size", "1000000"])
        .arg(dir.path())
        .output()
        .unwrap();
    let sarif = json(&out.stdout);
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    let text = notes.to_string();
    assert!(
        text.contains("big.log") && text.contains("too_large"),
        "{sarif:#}"
    );
}

#[test]
fn utf16_is_decoded_across_chunks_and_without_a_bom() {
    // A UTF-16LE stream of ~19 MB on standard input with the token near its end.
    let mut text = String::new();
    while text.len() < 9_500_000 {
        text.push_str("log line without anything of interest here\n");
    }
    text.push_str(&format!("MOODLE_TOKEN={}\n", token("utf16-late")));
    let mut le = vec![0xFF, 0xFE];
    text.encode_utf16()
        .for_each(|u| le.extend_from_slice(&u.to_le_bytes()));
    assert!(le.len() > 18_000_000);
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets", "-"])
        .write_stdin(le)
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(
        report["findings"][0]["secret"],
        token("utf16-late").as_str(),
        "{report:#}"
    );
    assert_eq!(
        report["findings"][0]["line"].as_u64().unwrap(),
        text.matches('\n').count() as u64
    );

    // Without a BOM (LE and BE), as some Windows tools write; FF FE before UTF-8 is not UTF-16.
    let dir = TempDir::new().unwrap();
    let line = format!("MOODLE_TOKEN={}\r\nDEBUG=1\r\n", token("utf16-nobom"));
    let le: Vec<u8> = line.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = line.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    let mut fake = vec![0xFF, 0xFE];
    fake.extend_from_slice(format!("MOODLE_TOKEN={}\n", token("fake-bom")).as_bytes());
    write_tree(
        dir.path(),
        &[("le.env", &le), ("be.env", &be), ("ff-fe-utf8.env", &fake)],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let mut secrets: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    secrets.sort_unstable();
    let mut want = vec![
        token("utf16-nobom"),
        token("utf16-nobom"),
        token("fake-bom"),
    ];
    want.sort_unstable();
    assert_eq!(secrets, want, "{report:#}");
}

#[test]
fn nothing_scanned_is_not_clean_and_small_suppression_gaps_are_closed() {
    // Everything ignored: exit 2 with a one-line reason, not a silent 0.
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(".gitignore", b"*\n"), ("a.env", b"MOODLE_URL=x\n")],
    );
    let out = moodleleaks().arg("scan").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nothing was scanned"), "{stderr}");

    // Allowlisted paths written `./dir/**` and `/dir/**` match, and count as suppressed.
    for glob in ["./secret/**", "/secret/**", "secret/**"] {
        let dir = TempDir::new().unwrap();
        write_tree(
            dir.path(),
            &[
                (
                    ".moodleleaks.toml",
                    format!("[allowlist]\npaths = [\"{glob}\"]\n").as_bytes(),
                ),
                (
                    "secret/a.env",
                    format!("MOODLE_TOKEN={}\n", token("allowlisted")).as_bytes(),
                ),
                ("clean.txt", b"nothing\n"),
            ],
        );
        let out = moodleleaks()
            .args(["scan", "--format", "json"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{glob}: {out:?}");
        assert_eq!(
            json(&out.stdout)["summary"]["suppressed"]["allowlist"],
            1,
            "{glob}"
        );
    }

    // --follow-symlinks: a broken link in a clean tree is a note, not an error.
    #[cfg(unix)]
    {
        let dir = TempDir::new().unwrap();
        write_tree(dir.path(), &[("ok.txt", b"fine\n")]);
        std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("dangling"))
            .unwrap();
        let out = moodleleaks()
            .args(["scan", "--follow-symlinks", "--format", "json"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let report = json(&out.stdout);
        assert!(
            report["summary"]["notes"].to_string().contains("dangling"),
            "{report:#}"
        );
    }

    // A baseline without fingerprint_algorithm says so.
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[("b.json", b"{\"entries\": []}"), ("a.txt", b"x\n")],
    );
    let out = moodleleaks()
        .args(["scan", "--baseline"])
        .arg(dir.path().join("b.json"))
        .arg(dir.path().join("a.txt"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("no fingerprint_algorithm"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn a_gitdir_file_repository_has_its_own_work_tree() {
    // `git init --separate-git-dir`: `.git` is a file; the git directory lives elsewhere.
    let top = TempDir::new().unwrap();
    let wt = top.path().join("wt");
    let store = top.path().join("store.git");
    let git = |dir: &std::path::Path, args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "a")
            .env("GIT_AUTHOR_EMAIL", "a@example.org")
            .env("GIT_COMMITTER_NAME", "a")
            .env("GIT_COMMITTER_EMAIL", "a@example.org")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .args(args)
            .status()
            .unwrap();
        assert!(ok.success(), "git {args:?}");
    };
    git(
        top.path(),
        &[
            "init",
            "-q",
            "-b",
            "main",
            "--separate-git-dir",
            "store.git",
            "wt",
        ],
    );
    assert!(wt.join(".git").is_file() && store.is_dir());
    write_tree(
        top.path(),
        &[
            (
                "outside.env",
                format!("MOODLE_TOKEN={}\n", token("outside")).as_bytes(),
            ),
            (
                "wt/inside.env",
                format!("MOODLE_TOKEN={}\n", token("inside")).as_bytes(),
            ),
            (
                "wt/.moodleleaks.toml",
                b"[allowlist]\npaths = [\"allowed/**\"]\n",
            ),
        ],
    );
    git(&wt, &["add", "."]);
    git(&wt, &["commit", "-q", "-m", "start"]);
    let out = moodleleaks()
        .args([
            "audit",
            "--no-progress",
            "--format",
            "json",
            "--show-secrets",
        ])
        .arg(&wt)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&token("inside")), "{text}");
    assert!(
        !text.contains(&token("outside")),
        "audit left the repository: {text}"
    );

    // The work tree's config is the one read: its allowlist applies to `staged`.
    write_tree(
        &wt,
        &[(
            "allowed/x.env",
            format!("MOODLE_TOKEN={}\n", token("allowed")).as_bytes(),
        )],
    );
    git(&wt, &["add", "allowed/x.env"]);
    let out = moodleleaks().arg("staged").arg(&wt).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// `scan --no-ignore --format json` of `path` with `extra` arguments, failing the test past
/// [`DEADLINE`].
fn scan_within_deadline(path: &std::path::Path, extra: &[&str]) -> std::process::Output {
    moodleleaks()
        .args(["scan", "--no-ignore", "--format", "json"])
        .args(extra)
        .arg(path)
        .timeout(DEADLINE)
        .output()
        .unwrap()
}

/// A rule file whose regex runs only near its keyword `anchor`.
fn windowed_rule(regex: &str, window: &str) -> String {
    format!(
        "id = \"windowed\"\ndescription = \"d\"\nkind = \"password-in-url\"\nseverity = \"high\"\nkeywords = [\"anchor\"]\nregex = '''{regex}'''\n{window}\n[[examples]]\npositive = \"anchor\\npw=near0001\"\n"
    )
}

/// The secrets a `--rules DIR` scan of `file` reports, sorted.
fn secrets_with_rules(rule: &str, file: &[u8]) -> Vec<String> {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[("rules/r.toml", rule.as_bytes()), ("scan/a.txt", file)],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets", "--rules"])
        .arg(dir.path().join("rules"))
        .arg(dir.path().join("scan"))
        .timeout(DEADLINE)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() <= 1, "{out:?}");
    let mut secrets: Vec<String> = json(&out.stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "windowed")
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect();
    secrets.sort();
    secrets
}

#[test]
fn a_rule_window_keeps_its_matches_near_a_keyword_and_reads_whole_lines() {
    let filler = "x".repeat(60);
    let far = format!("pw=farbefore\n{}\n", format!("{filler}\n").repeat(5));
    let text = format!(
        "{far}pw=linebefore\nsome ANCHOR here\npw=lineafter\n{}pw=farafter1\n",
        format!("{filler}\n").repeat(5)
    );
    // `^` at the start of a widened window is a line start, as in the whole file.
    let rule = windowed_rule(r"(?m)^pw=(?P<secret>[a-z0-9]{6,})", "window = [20, 20]");
    assert_eq!(
        secrets_with_rules(&rule, text.as_bytes()),
        ["lineafter", "linebefore"]
    );
    // Without a window the same regex reads the whole file.
    let rule = windowed_rule(r"(?m)^pw=(?P<secret>[a-z0-9]{6,})", "");
    assert_eq!(secrets_with_rules(&rule, text.as_bytes()).len(), 4);
    // Windows of two keywords that overlap are one: a match across them is found once.
    let twice = "anchor pw=across01 anchor\n";
    let rule = windowed_rule(r"pw=(?P<secret>[a-z0-9]{6,})", "window = [4, 4]");
    assert_eq!(secrets_with_rules(&rule, twice.as_bytes()), ["across01"]);
    // A keyed rule has no regex to bound: a window there is refused when loaded.
    let dir = TempDir::new().unwrap();
    let keyed = "id = \"k\"\ndescription = \"d\"\nkind = \"wstoken\"\nseverity = \"high\"\nkeywords = [\"token\"]\nmechanism = \"keyed\"\nvalue = \"hex32\"\nwindow = [1, 1]\n[names]\nstrong = [\"token\"]\n";
    write_tree(dir.path(), &[("k.toml", keyed.as_bytes())]);
    let (code, stderr) = rules_check(dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`window` is for regex rules"), "{stderr}");
}

/// With `window_within_section`, a window in a Markdown file stays within its keyword's
/// section, subsections included (a `#` line in a code fence is a comment, not a heading;
/// HTML and quoted headings count); in other files the window is as wide as it says. Without a `window` the field is refused when loaded.
#[test]
fn a_rule_window_within_section_stops_at_markdown_headings() {
    let rule = windowed_rule(
        r"pw=(?P<secret>[a-z0-9]{6,})",
        "window = [200, 200]\nwindow_within_section = true",
    );
    // A subsection of the keyword's section is part of it; an HTML heading and a heading
    // in a block quote end it as `##` does.
    let text = "pw=aboveall\n## Login\n\nanchor\n```sh\n# a comment\npw=fenced01\n```\n\n### Example\n\npw=subsect1\n\n## Database\n\npw=nextsect\n<h2>Other</h2>\npw=htmlsect\n> ## Quoted\npw=quotsect\n";
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            ("rules/r.toml", rule.as_bytes()),
            ("scan/README.md", text.as_bytes()),
            ("scan/notes.txt", text.as_bytes()),
        ],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets", "--rules"])
        .arg(dir.path().join("rules"))
        .arg(dir.path().join("scan"))
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let mut found: Vec<(String, String)> = json(&out.stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "windowed")
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let name = path.rsplit(['/', '\\']).next().unwrap().to_string();
            (name, f["secret"].as_str().unwrap().to_string())
        })
        .collect();
    found.sort();
    let row = |f: &str, s: &str| (f.to_string(), s.to_string());
    assert_eq!(
        found,
        [
            row("README.md", "fenced01"),
            row("README.md", "subsect1"),
            row("notes.txt", "aboveall"),
            row("notes.txt", "fenced01"),
            row("notes.txt", "htmlsect"),
            row("notes.txt", "nextsect"),
            row("notes.txt", "quotsect"),
            row("notes.txt", "subsect1"),
        ]
    );
    let bare = windowed_rule(
        r"pw=(?P<secret>[a-z0-9]{6,})",
        "window_within_section = true",
    );
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("r.toml", bare.as_bytes())]);
    let (code, stderr) = rules_check(dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("needs a `window`"), "{stderr}");
}

#[test]
fn word_boundaries_in_rules_are_ascii_ones() {
    // `é` is a word character to a Unicode `\b`, not to an ASCII one (Go's RE2, gitleaks).
    let rule = windowed_rule(r"\bpw=(?P<secret>[a-z0-9]{6,})", "");
    let text = "anchor\nmot de passe épw=accent01\n";
    assert_eq!(secrets_with_rules(&rule, text.as_bytes()), ["accent01"]);
}

#[test]
fn a_panic_on_one_input_costs_that_input_and_the_scan_goes_on() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (token("before-bug"), token("after-bug"));
    write_tree(
        dir.path(),
        &[
            ("a.env", format!("MOODLE_TOKEN={a}\n").as_bytes()),
            ("bug.txt", b"PANIC-HERE MOODLE_TOKEN=x\n"),
            ("z.env", format!("MOODLE_TOKEN={b}\n").as_bytes()),
        ],
    );
    let out = moodleleaks()
        .args(["scan", "--format", "json", "--show-secrets", "-j", "1"])
        .arg(dir.path())
        .env("MOODLELEAKS_FAILPOINT_PANIC", "PANIC-HERE")
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report = json(&out.stdout);
    let mut secrets: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    secrets.sort();
    let mut want = vec![a.as_str(), b.as_str()];
    want.sort();
    assert_eq!(secrets, want);
    assert_eq!(report["summary"]["errors"], 1, "{stderr}");
    assert!(
        stderr.contains("bug.txt: internal error while scanning, input skipped"),
        "{stderr}"
    );
}

/// Inputs a breaker found (stop 26): a value after nothing but Unicode blanks, and after a
/// short tag of non-ASCII text, once panicked and lost their whole file; a quoted-printable
/// mail's password was reported with its `3D`; a secret holding an ESC reached the
/// terminal raw; a long line of many values was read whole once per value (a deadline, not
/// a timing, guards that one).
#[test]
fn breaker_inputs_neither_panic_nor_misread_nor_reach_the_terminal() {
    let dir = TempDir::new().unwrap();
    let (nbsp, irc, many) = (token("nbsp"), token("irc"), token("many"));
    let site = "https://lms.example.edu";
    let blanks =
        format!("\u{a0}\u{3000}{nbsp}\n# {site}/webservice/rest/server.php?wstoken={nbsp}\n");
    let log = format!("‹Jörg> {irc}\n{site}/webservice/rest/server.php?wstoken={irc}\n");
    let mail = format!(
        "Content-Transfer-Encoding: quoted-printable\n\nLogin: {site}/login/token.php?username=3Dsvc&password=3D{}&se=\nrvice=3Dmoodle_mobile_app\n",
        ["Summer", "2024x"].concat()
    );
    let esc = format!(
        "curl \"{site}/login/token.php?username=a&password=\x1b[2J{}&service=x\"\n",
        ["FAKE", "-OK"].concat()
    );
    let mut line = format!("{{\"u\": \"{site}/webservice/rest/server.php?wsfunction=core_x");
    for i in 0..20_000 {
        line.push_str(&format!(
            "\\u0026wstoken={}%26x=1",
            token(&format!("many{i}"))
        ));
    }
    line.push_str(&format!("\\u0026wstoken={many}\"}}\n"));
    write_tree(
        dir.path(),
        &[
            ("blanks.txt", blanks.as_bytes()),
            ("irc.log", log.as_bytes()),
            ("mail.eml", mail.as_bytes()),
            ("esc.txt", esc.as_bytes()),
            ("min.json", line.as_bytes()),
        ],
    );
    // The debug build the suite runs takes ~50 s over the 20,000 values of `min.json`; the
    // quadratic reading this guards against took 82 s in a release build.
    let out = moodleleaks()
        .args(["scan", "--no-ignore", "--format", "json", "--show-secrets"])
        .arg(dir.path())
        .timeout(LONG_LINE_DEADLINE)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    let secrets: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let name = path.rsplit(['/', '\\']).next().unwrap().to_string();
            (name, f["secret"].as_str().unwrap().to_string())
        })
        .collect();
    let has = |file: &str, secret: &str| secrets.iter().any(|(f, s)| f == file && s == secret);
    assert!(
        has("blanks.txt", &nbsp) && has("irc.log", &irc),
        "{secrets:?}"
    );
    assert!(
        has("mail.eml", &["Summer", "2024x"].concat()),
        "{secrets:?}"
    );
    assert!(
        !secrets
            .iter()
            .any(|(f, s)| f == "mail.eml" && s.starts_with("3D")),
        "{secrets:?}"
    );
    assert!(has("min.json", &many), "{secrets:?}");
    let human = moodleleaks()
        .args(["scan", "--no-ignore", "--no-color"])
        .arg(dir.path().join("esc.txt"))
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(!text.contains('\x1b'), "{text}");
    assert!(text.contains("\\x1b"), "{text}");
}

/// A line of many values is read once, not once per value: 100,000 `token=<hex>` values on
/// one 4 MB line with no Moodle context (each value asked whether its line is a table's row,
/// which read the whole line: minutes in a release build, breaker B1) end well within the
/// deadline with nothing reported; 5,000 `wstoken=` values on one line are each reported.
#[test]
fn a_line_of_many_values_is_read_once() {
    let dir = TempDir::new().unwrap();
    let mut plain = String::new();
    for i in 0..100_000 {
        plain.push_str(&format!("token={} ", token(&format!("line{i}"))));
    }
    plain.push('\n');
    let mut ws = String::new();
    for i in 0..5_000 {
        ws.push_str(&format!("wstoken={} ", token(&format!("ws{i}"))));
    }
    ws.push('\n');
    write_tree(dir.path(), &[("plain.txt", plain.as_bytes())]);
    let out = scan_within_deadline(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    write_tree(dir.path(), &[("ws.txt", ws.as_bytes())]);
    let out = scan_within_deadline(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5_000);
    assert!(findings
        .iter()
        .all(|f| f["path"].as_str().unwrap().ends_with("ws.txt") && f["line"] == 1));
}

/// Per-value readings are bounded by the input, not by the values times the input: a
/// Python file that imports something and assigns 16,000 tokens to distinct names (each
/// name's import was searched with a regex of its own over the whole input: ~43 s in a
/// release build) and a minified chat export of 4,000 rich-text fragments (each read the
/// whole line before it: ~99 s) end well within the deadline, every token found.
#[test]
fn many_names_and_many_fragments_are_read_in_linear_time() {
    let dir = TempDir::new().unwrap();
    let mut py = String::from("import os\n");
    for i in 0..16_000 {
        py.push_str(&format!(
            "c{i} = moodle_client(token=\"{}\")\n",
            token(&format!("name{i}"))
        ));
    }
    let mut elements = Vec::new();
    for i in 0..4_000 {
        elements.push(format!(
            "{{\"type\":\"text\",\"text\":\"Moodle token {i}: \"}}"
        ));
        elements.push(format!(
            "{{\"type\":\"text\",\"text\":\"{}\",\"style\":{{\"code\":true}}}}",
            token(&format!("fragment{i}"))
        ));
    }
    let slack = format!(
        "[{{\"type\":\"message\",\"blocks\":[{{\"type\":\"rich_text\",\"elements\":[{{\"type\":\"rich_text_section\",\"elements\":[{}]}}]}}]}}]",
        elements.join(",")
    );
    write_tree(
        dir.path(),
        &[
            ("clients.py", py.as_bytes()),
            ("slack.json", slack.as_bytes()),
        ],
    );
    let out = scan_within_deadline(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json(&out.stdout);
    let count = |file: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(file))
            .count()
    };
    assert_eq!((count("clients.py"), count("slack.json")), (16_000, 4_000));
}

/// A script of many queries of Moodle's token table, one bare value under each: every
/// query's answer is read within one budget of lines for the input, not once per query
/// over the rest of the input, and each value is still its query's token.
#[test]
fn many_queries_answers_are_read_in_linear_time() {
    let dir = TempDir::new().unwrap();
    let mut sql = String::new();
    for i in 0..20_000 {
        sql.push_str(&format!(
            "SELECT token FROM mdl_external_tokens WHERE id = {i}\n{}\n",
            token(&format!("answer{i}"))
        ));
    }
    write_tree(dir.path(), &[("answers.txt", sql.as_bytes())]);
    let out = scan_within_deadline(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let findings = json(&out.stdout)["findings"].as_array().unwrap().len();
    assert_eq!(findings, 20_000);
}

/// An input larger than one chunk (8 MiB, read a chunk at a time to bound memory) is read
/// across its seams: rows past the first chunk still have their CSV header (below a
/// title), a password
/// manager entry whose title lies past the seam still has its title, and nothing is
/// reported twice or on the wrong line; the same through standard input.
#[test]
fn a_large_input_is_read_across_its_chunk_seams() {
    const CHUNK: usize = 8 << 20;
    let dir = TempDir::new().unwrap();
    let (row, entry) = (token("seam-row"), token("seam-entry"));
    // A title above the header, as a report's export writes it.
    let mut csv = String::from("Moodle tokens export (2024-11-04)\n\nuser,token,service,site\n");
    let mut i = 0;
    while csv.len() < CHUNK + 4096 {
        csv.push_str(&format!(
            "user{i},revoked,sis_sync,https://lms.example.edu\n"
        ));
        i += 1;
    }
    let row_line = csv.matches('\n').count() as u64 + 1;
    csv.push_str(&format!(
        "Sync Bot,{row},sis_sync,https://lms.example.edu\n"
    ));
    // The entry's password line ends exactly at the first chunk's end; its title follows.
    let open = "      <Entry>\n";
    let password = format!(
        "        <String><Key>Password</Key><Value ProtectInMemory=\"True\">{entry}</Value></String>\n"
    );
    let mut kp = String::from("<KeePassFile><Root><Group><Name>Moodle</Name>\n");
    let filler = "      <!-- an entry without a secret -->\n";
    while CHUNK - kp.len() - open.len() - password.len() > filler.len() + 16 {
        kp.push_str(filler);
    }
    let pad = CHUNK - kp.len() - open.len() - password.len();
    kp.push_str(&format!("<!--{}-->\n", "x".repeat(pad - 8)));
    kp.push_str(open);
    kp.push_str(&password);
    assert_eq!(kp.len(), CHUNK);
    let entry_line = kp.matches('\n').count() as u64;
    kp.push_str("        <String><Key>Title</Key><Value>Moodle WS token (SIS)</Value></String>\n      </Entry>\n</Group></Root></KeePassFile>\n");
    // Tokens an inline marker allows, one just before the first chunk's end (read again as
    // the next chunk's lead-in) and one just after it (read first as the chunk's trail):
    // each suppression is counted once.
    let allowed = |label: &str| {
        format!(
            "MOODLE_TOKEN={} # moodleleaks:allow (test fixture)\n",
            token(label)
        )
    };
    let mut env = String::new();
    while env.len() < CHUNK - 300 {
        env.push_str("# a comment line without any secret in it at all\n");
    }
    env.push_str(&allowed("seam-allowed-before"));
    while env.len() < CHUNK + 300 {
        env.push_str("# a comment line without any secret in it at all\n");
    }
    env.push_str(&allowed("seam-allowed-after"));
    env.push_str(&"# a comment line without any secret in it at all\n".repeat(200));
    write_tree(
        dir.path(),
        &[
            ("export.csv", csv.as_bytes()),
            ("vault.xml", kp.as_bytes()),
            ("allowed.env", env.as_bytes()),
        ],
    );
    let found = |out: &[u8]| {
        let report = json(out);
        let mut found: Vec<(String, u64, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let path = f["path"].as_str().unwrap();
                let name = path.rsplit(['/', '\\']).next().unwrap().to_string();
                (
                    name,
                    f["line"].as_u64().unwrap(),
                    f["secret"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let out = scan_within_deadline(dir.path(), &["--show-secrets"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        found(&out.stdout),
        vec![
            ("export.csv".to_string(), row_line, row.clone()),
            ("vault.xml".to_string(), entry_line, entry.clone()),
        ]
    );
    assert_eq!(json(&out.stdout)["summary"]["suppressed"]["inline"], 2);
    let piped = moodleleaks()
        .args(["scan", "-", "--format", "json", "--show-secrets"])
        .write_stdin(csv.into_bytes())
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let lines: Vec<(u64, String)> = found(&piped.stdout)
        .into_iter()
        .map(|(_, line, secret)| (line, secret))
        .collect();
    assert_eq!(lines, vec![(row_line, row)]);
}

/// An input holding more places to decode than its bound (one per 64 bytes) says so in the
/// report's notes, naming the file; an input within the bound has no such note.
#[test]
fn an_input_past_the_decoding_bound_is_named_in_the_notes() {
    let dir = TempDir::new().unwrap();
    let dense = "{\"a\":\"x\\u0026wstoken=y\"}\n".repeat(100_000);
    let sparse = format!(
        "{}{}",
        "plain line of text\n".repeat(2_000),
        &dense[..2_600]
    );
    write_tree(
        dir.path(),
        &[
            ("dense.json", dense.as_bytes()),
            ("sparse.json", sparse.as_bytes()),
        ],
    );
    let out = scan_within_deadline(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report = json(&out.stdout);
    let notes: Vec<&str> = report["summary"]["notes"]
        .as_array()
        .map(|n| n.iter().map(|x| x.as_str().unwrap()).collect())
        .unwrap_or_default();
    let bounded: Vec<&&str> = notes
        .iter()
        .filter(|n| n.contains("may be missed"))
        .collect();
    assert_eq!(bounded.len(), 1, "{notes:?}");
    assert!(bounded[0].contains("dense.json"), "{notes:?}");
}

/// Decoding is bounded by the input's size, not by a fixed number of regions: thousands of
/// escaped `login/token.php` URLs in front of an escaped password (a JSON log, or padding
/// put there on purpose) no longer use the bound up before the password is read.
#[test]
fn escaped_lines_in_front_of_a_secret_do_not_use_up_decoding() {
    let dir = TempDir::new().unwrap();
    let harmless = "{\"note\":\"https:\\/\\/lms.example.edu\\/login\\/token.php?username=admin\\u0026password=\\u0026service=moodle_mobile_app\"}\n";
    let password = ["Summer", "2024!x"].concat();
    let mut log = harmless.repeat(6000);
    log.push_str(&format!(
        "{{\"url\":\"https:\\/\\/lms.example.edu\\/login\\/token.php?username=admin\\u0026password={password}\\u0026service=moodle_mobile_app\"}}\n"
    ));
    write_tree(dir.path(), &[("app.ndjson", log.as_bytes())]);
    let out = scan_within_deadline(dir.path(), &["--show-secrets"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    let found: Vec<(u64, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "password-in-url")
        .map(|f| (f["line"].as_u64().unwrap(), f["secret"].as_str().unwrap()))
        .collect();
    assert_eq!(found, vec![(6001, password.as_str())]);
}
