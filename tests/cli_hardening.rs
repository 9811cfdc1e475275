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
