//! Shell completions and the man page, generated from the clap definitions.

mod common;

use common::moodleleaks;

fn stdout(args: &[&str]) -> String {
    let out = moodleleaks().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_shell_gets_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for word in ["scan", "rules", "completions", "man"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        for flag in ["format", "show-secrets", "baseline", "no-ignore"] {
            // fish spells long flags `-l NAME`.
            let spelled = if shell == "fish" {
                format!("-l {flag}")
            } else {
                format!("--{flag}")
            };
            assert!(
                script.contains(&spelled),
                "{shell} completion lacks {spelled}"
            );
        }
        // Possible values of --format are completed too (where the shell's generator
        // supports values).
        assert!(
            !matches!(shell, "bash" | "zsh" | "fish")
                || script.contains("sarif") && script.contains("gitlab"),
            "{shell}"
        );
    }
}

#[test]
fn bash_accepts_the_bash_completion() {
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("moodleleaks.bash");
    std::fs::write(&file, &script).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // And it registers the completion when sourced.
    let sourced = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p moodleleaks",
            file.display()
        ))
        .output()
        .unwrap();
    assert!(
        sourced.status.success(),
        "{}",
        String::from_utf8_lossy(&sourced.stderr)
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let out = moodleleaks()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcsh"));
}

#[test]
fn man_page_is_roff_with_every_command_and_flag() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH moodleleaks 1"));
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH \"MOODLELEAKS SCAN\"",
        ".SH \"MOODLELEAKS RULES CHECK\"",
    ] {
        assert!(page.contains(section), "missing {section}");
    }
    // roff escapes dashes in flags.
    for flag in [
        "\\-\\-format",
        "\\-\\-show\\-secrets",
        "\\-\\-write\\-baseline",
        "\\-\\-no\\-ignore",
    ] {
        assert!(page.contains(flag), "missing {flag}");
    }
    assert!(page.contains("gitlab") && page.contains("junit"));
}
