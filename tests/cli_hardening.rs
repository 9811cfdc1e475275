//! Hostile and odd inputs through the real binary: special files, empty-matching rules,
//! absurd thread counts, secrets that must stay redacted, terminal escapes, huge files.

mod common;

use common::{json, moodleleaks, token, write_tree};
use std::time::Duration;
use tempfile::TempDir;

/// Every scan here must end well within this; a hang fails the test instead of the suite.
const DEADLINE: Duration = Duration::from_secs(60);

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
    let out = moodleleaks()
        .args(["rules", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("invalid regex"), "{stderr}");
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

/// A small deterministic generator (xorshift64*): property tests without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
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
