//! `moodleleaks git` through the real binary on real repositories built with git.

mod common;
mod gitrepo;

use common::{json, moodleleaks, token};
use gitrepo::{git_in, Repo, AUTHOR, EMAIL};
use serde_json::Value;
use tempfile::TempDir;

fn env_line(label: &str) -> String {
    format!(
        "MOODLE_URL=https://lms.example.edu\nMOODLE_TOKEN={}\n",
        token(label)
    )
}

/// Runs `moodleleaks git --format json ARGS REPO`; returns (status, findings, report).
fn scan(repo: &std::path::Path, args: &[&str]) -> (i32, Vec<Value>, Value, String) {
    scan_in_batches(repo, args, None)
}

/// [`scan`], the background reader taking batches of `batch` blobs (the default if `None`).
fn scan_in_batches(
    repo: &std::path::Path,
    args: &[&str],
    batch: Option<usize>,
) -> (i32, Vec<Value>, Value, String) {
    let mut cmd = moodleleaks();
    if let Some(batch) = batch {
        cmd.env("MOODLELEAKS_GIT_BATCH_BLOBS", batch.to_string());
    }
    let out = cmd
        .args(["git", "--format", "json"])
        .args(args)
        .arg(repo)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = if out.stdout.is_empty() {
        Value::Null
    } else {
        json(&out.stdout)
    };
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap(), findings, report, stderr)
}

/// The findings of the secret `label` (by its redacted head).
fn of<'a>(findings: &'a [Value], label: &str) -> Vec<&'a Value> {
    let head = &token(label)[..4];
    findings
        .iter()
        .filter(|f| f["secret"].as_str().unwrap().starts_with(head))
        .collect()
}

#[test]
fn token_added_then_removed_is_found_as_history_only() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("start");
    r.write(".env", &env_line("removed"));
    let added = r.commit("add moodle config\n\nlonger body");
    r.write(".env", "MOODLE_URL=https://lms.example.edu\n");
    r.commit("remove the token");

    let (code, findings, report, _) = scan(r.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f["path"], ".env");
    assert_eq!(f["line"], 2);
    assert_eq!(f["commit"], added.as_str());
    assert_eq!(f["author"], AUTHOR);
    assert_eq!(f["email"], EMAIL);
    assert_eq!(f["date"], "2023-11-15T00:15:20+02:00");
    assert_eq!(f["commit_summary"], "add moodle config");
    assert_eq!(f["present_at_head"], false);
    assert!(f.get("also_introduced_in").is_none());
    assert!(!report.to_string().contains(&token("removed")));

    let human = moodleleaks().arg("git").arg(r.path()).output().unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("history only"), "{text}");
    assert!(text.contains(&added[..12]), "{text}");
}

#[test]
fn a_file_edited_many_times_around_its_token_is_one_finding() {
    let mut r = Repo::new();
    r.write(".env", &env_line("kept"));
    let first = r.commit("add");
    for i in 0..5 {
        r.write(".env", &format!("{}DEBUG={i}\n", env_line("kept")));
        r.commit(&format!("edit {i}"));
    }
    let (code, findings, report, _) = scan(r.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["commit"], first.as_str());
    assert_eq!(findings[0]["present_at_head"], true);
    // Six distinct blobs were each read once.
    assert_eq!(report["summary"]["files_scanned"], 6);
}

#[test]
fn the_same_secret_introduced_elsewhere_later_is_listed() {
    let mut r = Repo::new();
    r.write(".env", &env_line("spread"));
    let first = r.commit("add");
    r.write(
        "deploy/run.sh",
        &format!("MOODLE_TOKEN={}\n", token("spread")),
    );
    let second = r.commit("copy into a script");
    let (_, findings, _, _) = scan(r.path(), &[]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let env = findings.iter().find(|f| f["path"] == ".env").unwrap();
    assert_eq!(env["commit"], first.as_str());
    let also = env["also_introduced_in"].as_array().unwrap();
    assert_eq!(also.len(), 1);
    assert_eq!(also[0]["commit"], second.as_str());
    assert_eq!(also[0]["path"], "deploy/run.sh");
    assert_eq!(also[0]["line"], 1);
    let script = findings
        .iter()
        .find(|f| f["path"] == "deploy/run.sh")
        .unwrap();
    assert_eq!(script["commit"], second.as_str());
    assert_eq!(env["fingerprint"], script["fingerprint"]);
}

#[test]
fn a_renamed_file_is_one_finding_at_its_first_commit() {
    let mut r = Repo::new();
    r.write("config/old.env", &env_line("renamed"));
    let first = r.commit("add");
    r.git(&["mv", "config/old.env", "config/new.env"]);
    r.commit("rename");
    r.git(&["mv", "config", "settings"]);
    r.commit("move folder");
    let (_, findings, _, _) = scan(r.path(), &[]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["commit"], first.as_str());
    assert_eq!(findings[0]["path"], "config/old.env");
    assert_eq!(findings[0]["present_at_head"], true);
}

#[test]
fn a_token_on_a_side_branch_only_is_found_and_branch_limits_the_refs() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("start");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write(".env", &env_line("side"));
    let side = r.commit("side work");
    r.git(&["checkout", "-q", "main"]);
    r.write("README.md", "hello again\n");
    r.commit("main work");

    let (code, findings, _, _) = scan(r.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["commit"], side.as_str());
    assert_eq!(findings[0]["present_at_head"], false);

    let (code, findings, _, _) = scan(r.path(), &["--branch", "main"]);
    assert_eq!((code, findings.len()), (0, 0));
    let (code, findings, _, _) = scan(r.path(), &["--branch", "main", "--branch", "side"]);
    assert_eq!((code, findings.len()), (1, 1));

    let (code, _, _, stderr) = scan(r.path(), &["--branch", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--branch nope"), "{stderr}");
}

#[test]
fn tokens_in_merges_are_attributed_to_the_commit_that_added_them() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("start");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("feature.env", &env_line("from-branch"));
    let branch_commit = r.commit("feature with token");
    r.git(&["checkout", "-q", "main"]);
    r.write("main.txt", "main\n");
    r.commit("main moves on");
    r.tick();
    r.git(&["merge", "-q", "--no-ff", "--no-commit", "feature"]);
    r.write("merge.env", &env_line("in-merge"));
    let merge = r.commit("merge feature");
    assert_eq!(
        r.git(&["rev-list", "--parents", "-n1", "HEAD"])
            .split(' ')
            .count(),
        3
    );

    let (_, findings, _, _) = scan(r.path(), &[]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert_eq!(
        of(&findings, "from-branch")[0]["commit"],
        branch_commit.as_str()
    );
    assert_eq!(of(&findings, "in-merge")[0]["commit"], merge.as_str());
}

/// c1 adds A, c2 adds B, c3 edits A's file (A unchanged), c4 adds C.
fn four_commits() -> (Repo, Vec<String>) {
    let mut r = Repo::new();
    let mut ids = Vec::new();
    r.write("a.env", &env_line("A"));
    ids.push(r.commit("c1"));
    r.write("b.env", &env_line("B"));
    ids.push(r.commit("c2"));
    r.write("a.env", &format!("{}DEBUG=1\n", env_line("A")));
    ids.push(r.commit("c3"));
    r.write("c.env", &env_line("C"));
    ids.push(r.commit("c4"));
    (r, ids)
}

#[test]
fn a_range_reports_only_secrets_its_commits_introduce() {
    let (r, ids) = four_commits();
    let (code, findings, _, _) = scan(r.path(), &["--range", "HEAD~2..HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["commit"], ids[3].as_str());
    assert_eq!(of(&findings, "C").len(), 1);

    let (_, findings, _, _) = scan(r.path(), &["--range", &format!("{}..{}", ids[0], ids[1])]);
    assert_eq!(findings.len(), 1);
    assert_eq!(of(&findings, "B").len(), 1);

    let (_, findings, _, _) = scan(r.path(), &["--since-commit", &ids[1]]);
    assert_eq!(findings.len(), 1);
    assert_eq!(of(&findings, "C").len(), 1);

    // The editing commit alone re-introduces nothing.
    let (code, findings, _, _) = scan(r.path(), &["--range", "HEAD~2..HEAD~1"]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn max_commits_scans_what_the_newest_commits_introduce() {
    let (r, ids) = four_commits();
    let (_, findings, report, _) = scan(r.path(), &["--max-commits", "1"]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(of(&findings, "C")[0]["commit"], ids[3].as_str());
    let notes = report["summary"]["notes"].to_string();
    assert!(notes.contains("1 commits"), "{notes}");
    let (_, findings, _, _) = scan(r.path(), &["--max-commits", "3"]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert_eq!(of(&findings, "B")[0]["commit"], ids[1].as_str());
}

#[test]
fn bad_repositories_and_ranges_are_one_line_errors() {
    let (r, _) = four_commits();
    let missing = r.path().join("nope");
    let plain = TempDir::new().unwrap();
    for (args, path, expect) in [
        (
            vec!["--range", "nope..HEAD"],
            r.path(),
            "--range nope..HEAD",
        ),
        (vec!["--range", "HEAD"], r.path(), "A..B"),
        (
            vec!["--since-commit", "0000000"],
            r.path(),
            "--since-commit",
        ),
        (vec![], missing.as_path(), "no such file"),
        (vec![], plain.path(), "not a git repository"),
    ] {
        let out = moodleleaks()
            .arg("git")
            .args(&args)
            .arg(path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    }
}

#[test]
fn a_shallow_clone_is_never_passed_as_clean() {
    let mut origin = Repo::new();
    origin.write(".env", &env_line("old"));
    let first = origin.commit("token");
    origin.write(".env", "MOODLE_URL=https://lms.example.edu\n");
    origin.commit("removed");
    origin.write("README.md", "clean\n");
    origin.commit("clean");
    let dest = TempDir::new().unwrap();
    let url = format!("file://{}", origin.path().display());
    git_in(dest.path(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    let clone = dest.path().join("clone");

    let (code, findings, report, stderr) = scan(&clone, &[]);
    assert_eq!((code, findings.len()), (2, 0), "{stderr}");
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(stderr.contains("--allow-shallow"), "{stderr}");
    assert!(report["summary"]["notes"].to_string().contains("shallow"));

    let (code, _, report, stderr) = scan(&clone, &["--allow-shallow"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(report["summary"]["notes"]
        .to_string()
        .contains("incomplete"));

    let (code, _, _, stderr) = scan(&clone, &["--range", &format!("{first}..HEAD")]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");

    // A range inside the fetched history is complete.
    let deeper = dest.path().join("deeper");
    git_in(
        dest.path(),
        &["clone", "-q", "--depth", "2", &url, "deeper"],
    );
    let (code, _, _, stderr) = scan(&deeper, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_corrupt_or_missing_object_is_one_error_and_the_scan_goes_on() {
    let mut r = Repo::new();
    r.write("gone.env", &env_line("gone"));
    r.write("broken.env", &env_line("broken"));
    r.write("fine.env", &env_line("fine"));
    r.commit("three tokens");
    let blob = |p: &str| r.git(&["rev-parse", &format!("HEAD:{p}")]);
    let gone = r.loose_object(&blob("gone.env"));
    let broken = r.loose_object(&blob("broken.env"));
    std::fs::remove_file(&gone).unwrap();
    let bytes = std::fs::read(&broken).unwrap();
    let mut perms = std::fs::metadata(&broken).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&broken, perms).unwrap();
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();

    let (code, findings, report, stderr) = scan(r.path(), &["-j", "2"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["path"], "fine.env");
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.contains("gone.env"), "{stderr}");
    assert!(stderr.contains("broken.env"), "{stderr}");

    // Without any finding, the partial scan exits 2.
    let (code, _, _, _) = scan(r.path(), &["--exit-code", "0"]);
    assert_eq!(code, 0);
    std::fs::remove_file(r.loose_object(&blob("fine.env"))).unwrap();
    let (code, findings, _, _) = scan(r.path(), &[]);
    assert_eq!((code, findings.len()), (2, 0));
}

#[test]
fn bare_repositories_work() {
    let mut r = Repo::new();
    r.write(".env", &env_line("bare"));
    r.commit("add");
    let dest = TempDir::new().unwrap();
    git_in(
        dest.path(),
        &[
            "clone",
            "-q",
            "--bare",
            &r.path().display().to_string(),
            "bare.git",
        ],
    );
    let (code, findings, _, _) = scan(&dest.path().join("bare.git"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["present_at_head"], true);
}

#[test]
fn unborn_and_detached_heads_work() {
    let empty = Repo::new();
    let (code, findings, report, _) = scan(empty.path(), &[]);
    assert_eq!((code, findings.len()), (0, 0));
    assert!(report["summary"]["notes"]
        .to_string()
        .contains("no commits"));

    // An orphan branch checked out: HEAD is unborn, other refs still hold history.
    let mut r = Repo::new();
    r.write(".env", &env_line("orphaned"));
    r.commit("add");
    r.git(&["checkout", "-q", "--orphan", "fresh"]);
    let (code, findings, _, _) = scan(r.path(), &[]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["present_at_head"], false);

    // A commit made on a detached HEAD belongs to no branch.
    let mut d = Repo::new();
    d.write("README.md", "x\n");
    d.commit("start");
    d.git(&["checkout", "-q", "--detach"]);
    d.write(".env", &env_line("detached"));
    let detached = d.commit("detached work");
    let (code, findings, _, _) = scan(d.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["commit"], detached.as_str());
    assert_eq!(findings[0]["present_at_head"], true);
}

#[test]
fn symlinks_submodules_and_lfs_pointers_are_skipped_and_counted() {
    let mut r = Repo::new();
    r.write("README.md", "x\n");
    let some_commit = r.commit("start");
    std::os::unix::fs::symlink(format!("wstoken={}", token("link")), r.path().join("link"))
        .unwrap();
    r.write(
        "big.bin",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    r.git(&["add", "-A"]);
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{some_commit},vendor/sub"),
    ]);
    r.tick();
    r.git(&["commit", "-q", "-m", "odd entries"]);
    let (code, findings, report, _) = scan(r.path(), &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    let skipped = &report["summary"]["skipped"];
    assert_eq!(skipped["symlink"], 1, "{skipped}");
    assert_eq!(skipped["submodule"], 1, "{skipped}");
    assert_eq!(skipped["git_lfs_pointer"], 1, "{skipped}");
    let notes = report["summary"]["notes"].to_string();
    assert!(notes.contains("submodule"), "{notes}");
    assert!(notes.contains("LFS"), "{notes}");
}

#[test]
fn huge_blobs_are_skipped_and_binary_ones_read_as_strings() {
    let mut r = Repo::new();
    r.write(
        "big.env",
        &format!("{}{}", env_line("huge"), "x".repeat(4096)),
    );
    r.write("data.bin", &format!("\0\0{}", env_line("binary")));
    r.commit("add");
    let (code, findings, report, _) = scan(r.path(), &["--max-file-size", "1024"]);
    assert_eq!((code, findings.len()), (1, 1), "{findings:#?}");
    assert_eq!(findings[0]["path"], "data.bin");
    let at = 2 + env_line("binary").find(&token("binary")).unwrap();
    assert_eq!(findings[0]["byte_offset"], at);
    assert_eq!(report["summary"]["skipped"]["too_large"], 1);
    assert_eq!(report["summary"]["binary_as_strings"], 1);
}

#[test]
fn stashes_tags_and_remote_branches_are_scanned() {
    let mut r = Repo::new();
    r.write(".env", "MOODLE_URL=https://lms.example.edu\n");
    r.commit("start");
    r.write(".env", &env_line("stashed"));
    r.tick();
    r.git(&["stash", "-q"]);
    assert_eq!(r.git(&["status", "--porcelain"]), "");

    r.git(&["checkout", "-q", "-b", "tagged"]);
    r.write("tag.env", &env_line("tagged"));
    r.commit("tagged work");
    r.git(&["tag", "v1"]);
    r.git(&["checkout", "-q", "main"]);
    r.git(&["branch", "-q", "-D", "tagged"]);

    r.git(&["checkout", "-q", "-b", "remote-only"]);
    r.write("remote.env", &env_line("remote"));
    let remote = r.commit("pushed elsewhere");
    r.git(&["update-ref", "refs/remotes/origin/feature", &remote]);
    r.git(&["checkout", "-q", "main"]);
    r.git(&["branch", "-q", "-D", "remote-only"]);

    let (code, findings, _, _) = scan(r.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 3, "{findings:#?}");
    for label in ["stashed", "tagged", "remote"] {
        assert_eq!(of(&findings, label).len(), 1, "{label}");
        assert_eq!(of(&findings, label)[0]["present_at_head"], false);
    }
    let (_, findings, _, _) = scan(r.path(), &["--branch", "v1"]);
    assert_eq!(findings.len(), 1);
    assert_eq!(of(&findings, "tagged").len(), 1);
}

/// Runs `moodleleaks git ARGS REPO` under `script`, so that stderr is a terminal; returns
/// everything the terminal got.
fn on_a_terminal(repo: &std::path::Path, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("moodleleaks");
    let cmd = format!(
        "'{}' git {args} -o /dev/null '{}'",
        bin.display(),
        repo.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("MOODLELEAKS_TEST", "1")
        .output()
        .expect("script(1) from util-linux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_is_drawn_only_on_a_terminal_and_can_be_turned_off() {
    let mut r = Repo::new();
    for i in 0..3 {
        r.write("a.txt", &format!("{i}\n"));
        r.commit(&format!("c{i}"));
    }
    let shown = on_a_terminal(r.path(), "");
    // Drawing is rate-limited: the first state is always drawn, later ones may not be.
    assert!(
        shown.contains("commits ") && shown.contains("/3"),
        "{shown:?}"
    );
    let off = on_a_terminal(r.path(), "--no-progress");
    assert!(!off.contains("commits"), "{off:?}");
    // Not a terminal: nothing.
    let (_, _, _, stderr) = scan(r.path(), &[]);
    assert_eq!(stderr, "");
}

/// A long history read on two threads gives what one thread gives: the same findings with
/// the same introducing commits and places, one error for a tree every commit misses, each
/// submodule and symlink counted once, a blob copied to another path later no new finding.
#[test]
fn a_long_history_gives_the_same_on_one_or_two_threads() {
    let r = Repo::new();
    // 700 commits through fast-import: the first holds a token, a symlink, a submodule
    // and a folder that never changes; later ones touch a counter, one (in the second
    // half) adds a token of its own and one copies the first token to another path.
    let mut stream = String::new();
    for i in 1..=700u32 {
        stream += &commit_header(i);
        if i == 1 {
            stream += "M 100644 inline first.env\n";
            stream += &fast_import_data(&env_line("share-first"));
            stream += &format!("M 120000 inline link\n{}", fast_import_data("target"));
            stream += "M 160000 1111111111111111111111111111111111111111 vendor/sub\n";
            stream += "M 100644 inline fixed/notes.txt\n";
            stream += &fast_import_data("never changes");
        }
        if i == 520 {
            stream += "M 100644 inline late/second.env\n";
            stream += &fast_import_data(&env_line("share-second"));
        }
        if i == 600 {
            stream += "M 100644 inline copy/first.env\n";
            stream += &fast_import_data(&env_line("share-first"));
        }
        stream += "M 100644 inline counter.txt\n";
        stream += &fast_import_data(&format!("{i}"));
    }
    fast_import(&r, &stream);
    // Objects loose, so one tree can go missing: `fixed/`, in every commit.
    let pack_dir = r.path().join(".git/objects/pack");
    for entry in std::fs::read_dir(&pack_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "pack") {
            let aside = r.path().join("aside.pack");
            std::fs::rename(&path, &aside).unwrap();
            std::fs::remove_file(path.with_extension("idx")).unwrap();
            let out = r
                .git_command(&["unpack-objects", "-q"])
                .stdin(std::fs::File::open(&aside).unwrap())
                .output()
                .unwrap();
            assert!(out.status.success());
        }
    }
    let fixed = r.git(&["rev-parse", "main:fixed"]);
    std::fs::remove_file(r.loose_object(&fixed)).unwrap();

    let run = |threads: &str, batch: Option<usize>| {
        let (code, findings, report, stderr) = scan_in_batches(r.path(), &["-j", threads], batch);
        let places: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {} {}",
                    f["path"], f["commit"], f["present_at_head"], f["also_in"], f["secret"]
                )
            })
            .collect();
        (
            code,
            places,
            report["summary"]["skipped"].clone(),
            report["summary"]["errors"].clone(),
            stderr,
        )
    };
    let one = run("1", None);
    let two = run("2", None);
    // Read in batches of 16 blobs while the enumeration goes on: the same again.
    let batches = run("2", Some(16));
    assert_eq!(
        (&two.1, &two.2, &two.3, &two.4),
        (&batches.1, &batches.2, &batches.3, &batches.4)
    );
    assert_eq!(one.0, 1, "{}", one.4);
    assert_eq!(one.1.len(), 2, "{:#?}", one.1);
    assert_eq!(
        (&one.1, &one.2, &one.3),
        (&two.1, &two.2, &two.3),
        "one thread:\n{}\ntwo threads:\n{}",
        one.4,
        two.4
    );
    assert_eq!(
        (two.2["symlink"].clone(), two.2["submodule"].clone()),
        (1.into(), 1.into())
    );
    assert_eq!(two.3, 1, "{}", two.4);
    assert_eq!(two.4.lines().count(), 1, "{}", two.4);
    assert!(two.4.contains("fixed: tree"), "{}", two.4);
    // The copy in the second half is the same blob: no finding of its own.
    let paths: Vec<&str> = two.1.iter().map(|p| p.split(' ').next().unwrap()).collect();
    assert_eq!(
        paths,
        ["\"first.env\"", "\"late/second.env\""],
        "{:#?}",
        two.1
    );
}

#[test]
fn a_packed_history_read_in_batches_gives_what_one_thread_gives() {
    // 300 commits packed by fast-import, each changing a file that holds a token in some
    // versions, so that versions of one file (one delta chain) land in different batches.
    let r = Repo::new();
    let mut stream = String::new();
    for i in 1..=300u32 {
        stream += &commit_header(i);
        let mut body = String::from("MOODLE_URL=https://lms.example.edu\n");
        for line in 0..40 {
            body += &format!("SETTING_{line}=value {line} of version {}\n", i / 3);
        }
        if i % 50 == 7 {
            body += &format!("MOODLE_TOKEN={}\n", token(&format!("batch-{i}")));
        }
        stream += "M 100644 inline settings.env\n";
        stream += &fast_import_data(&body);
        stream += &format!("M 100644 inline notes/{}.txt\n", i % 13);
        stream += &fast_import_data(&format!("note {i}"));
    }
    fast_import(&r, &stream);
    r.git(&["repack", "-a", "-d", "-q", "--depth=50"]);

    let run = |threads: &str, batch: Option<usize>| {
        let (code, findings, report, stderr) = scan_in_batches(r.path(), &["-j", threads], batch);
        let mut places: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["path"], f["commit"], f["present_at_head"], f["secret"]
                )
            })
            .collect();
        places.sort();
        let summary = &report["summary"];
        let counts = (
            summary["files_scanned"].clone(),
            summary["bytes_scanned"].clone(),
        );
        (code, places, counts, summary["errors"].clone(), stderr)
    };
    let one = run("1", None);
    assert_eq!(one.0, 1, "{}", one.4);
    assert_eq!(one.1.len(), 6, "{:#?}", one.1);
    for batch in [1, 8, 100] {
        let batches = run("2", Some(batch));
        assert_eq!(
            (&one.0, &one.1, &one.2, &one.3),
            (&batches.0, &batches.1, &batches.2, &batches.3),
            "batches of {batch}: {}",
            batches.4
        );
    }
}

/// Feeds a `git fast-import` stream to the repository `r`.
fn fast_import(r: &Repo, stream: &str) {
    let mut import = r.git_command(&["fast-import", "--quiet"]);
    import.stdin(std::process::Stdio::piped());
    let mut child = import.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

/// The `data` command of a fast-import stream holding `s`.
fn fast_import_data(s: &str) -> String {
    format!("data {}\n{s}\n", s.len())
}

/// The header of commit number `i` on `main` in a fast-import stream, a minute after the
/// one before, with its message.
fn commit_header(i: u32) -> String {
    format!(
        "commit refs/heads/main\ncommitter {AUTHOR} <{EMAIL}> {} +0000\n{}",
        1_700_000_000 + i * 60,
        fast_import_data(&format!("commit {i}"))
    )
}
