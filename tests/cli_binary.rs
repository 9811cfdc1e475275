//! Binary inputs read as their printable runs (issue 10): a token in a SQLite database, a
//! `.pyc`, a `.class`-like constant pool, a PNG's text chunk and a UTF-16LE string inside a
//! binary is found through the real binary, in files, stdin, git history and staged blobs,
//! and each finding gives the byte offset of the secret in the binary.

mod common;
mod gitrepo;

use common::{json, moodleleaks, private_token, token, write_tree};
use gitrepo::Repo;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// Runs a python3 script in `dir` (CI has python3; the test fails loudly without it).
fn python(dir: &Path, script: &str) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .expect("python3 runs (needed to build real SQLite and .pyc files)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The byte offset of `needle` in `hay` (exactly once).
fn offset(hay: &[u8], needle: &str) -> u64 {
    let at: Vec<usize> = hay
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle.as_bytes())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "{needle} occurs once");
    at[0] as u64
}

/// UTF-16LE bytes of `s`.
fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// `scan --format json --show-secrets` of `dir`.
fn scan(dir: &Path, extra: &[&str]) -> Value {
    common::scan_json(dir, extra)
}

/// (path, byte_offset) of the credential findings holding `secret`.
fn places(report: &Value, secret: &str) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["secret"] == secret && f["kind"] != "hygiene")
        .map(|f| {
            assert_eq!(
                (f["line"].as_u64(), f["column"].as_u64()),
                (Some(0), Some(0))
            );
            (
                f["path"].as_str().unwrap().to_string(),
                f["byte_offset"].as_u64().expect("a byte offset"),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A web-service call URL holding `t`, followed by another parameter.
fn call_url(t: &str) -> String {
    format!("https://moodle.example.edu/webservice/rest/server.php?wstoken={t}&wsfunction=core_webservice_get_site_info")
}

/// A PNG with a `tEXt` chunk (`keyword` NUL `text`), per the PNG spec: signature, IHDR,
/// tEXt, IEND, each chunk with its CRC-32.
fn png_with_text(keyword: &str, text: &str) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    let mut text_data = keyword.as_bytes().to_vec();
    text_data.push(0);
    text_data.extend_from_slice(text.as_bytes());
    chunk(&mut png, b"tEXt", &text_data);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A `.class`-like constant pool: length-prefixed UTF-8 entries (tag 1, u16 length), the
/// field name `MOODLE_WSTOKEN` right before its value, and a short hex-ish entry after it
/// (runs joined by a newline must not glue it to the value).
fn class_like(t: &str) -> Vec<u8> {
    let mut b = vec![0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 0x34, 0, 7];
    for entry in [
        "org/example/MoodleSync",
        "java/lang/Object",
        "MOODLE_WSTOKEN",
        t,
        "cafe0123",
        "Ljava/lang/String;",
    ] {
        b.push(1);
        b.extend_from_slice(&(entry.len() as u16).to_be_bytes());
        b.extend_from_slice(entry.as_bytes());
    }
    b.extend_from_slice(&[0, 0x21, 0, 1, 0, 2]);
    b
}

/// Binary filler around a UTF-16LE string: bytes no run is made of.
fn utf16_in_binary(text: &str) -> Vec<u8> {
    let mut b: Vec<u8> = (0..600u32).map(|i| (i % 7) as u8 + 1).collect();
    b.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x00]);
    b.extend_from_slice(&utf16le(text));
    b.extend_from_slice(&[0x00, 0x00, 0x03, 0x9C]);
    b.extend((0..300u32).map(|i| (i % 5) as u8 + 1));
    b
}

#[test]
fn tokens_in_sqlite_pyc_class_png_and_utf16_are_found_with_their_byte_offsets() {
    let dir = TempDir::new().unwrap();
    let (t_db, t_pyc, t_class, t_png, t_wide) = (
        token("bin-sqlite"),
        token("bin-pyc"),
        token("bin-class"),
        token("bin-png"),
        token("bin-utf16"),
    );
    // A real SQLite database (a browser history) and a real compiled Python module.
    python(
        dir.path(),
        &format!(
            r#"
import sqlite3, py_compile
db = sqlite3.connect("places.sqlite")
db.execute("create table moz_places(id integer primary key, url text, title text)")
for i in range(200):
    db.execute("insert into moz_places(url, title) values (?, ?)", ("https://example.org/p%d" % i, "Page %d" % i))
db.execute("insert into moz_places(url, title) values (?, ?)", ("{}", "Moodle"))
db.commit()
db.close()
open("moodle_sync.py", "w").write('URL = "{}"\n')
py_compile.compile("moodle_sync.py", cfile="moodle_sync.pyc", doraise=True)
"#,
            call_url(&t_db),
            call_url(&t_pyc)
        ),
    );
    std::fs::remove_file(dir.path().join("moodle_sync.py")).unwrap();
    let wide_text = format!("MOODLE_WSTOKEN={t_wide}");
    write_tree(
        dir.path(),
        &[
            ("MoodleSync.class", &class_like(&t_class)),
            (
                "logo.png",
                &png_with_text(
                    "Comment",
                    &format!("moodle setup: MOODLE_WSTOKEN={t_png} (lms)"),
                ),
            ),
            ("tool.exe", &utf16_in_binary(&wide_text)),
        ],
    );
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    let report = scan(dir.path(), &[]);
    let cases = [
        (
            "places.sqlite",
            &t_db,
            offset(&read("places.sqlite"), &t_db),
        ),
        (
            "moodle_sync.pyc",
            &t_pyc,
            offset(&read("moodle_sync.pyc"), &t_pyc),
        ),
        (
            "MoodleSync.class",
            &t_class,
            offset(&read("MoodleSync.class"), &t_class),
        ),
        ("logo.png", &t_png, offset(&read("logo.png"), &t_png)),
        (
            "tool.exe",
            &t_wide,
            offset(
                &read("tool.exe"),
                &String::from_utf8(utf16le(&t_wide)).unwrap(),
            ),
        ),
    ];
    for (name, t, at) in cases {
        assert_eq!(
            places(&report, t),
            vec![(name.to_string(), at)],
            "{name}: {report:#}"
        );
    }
    assert_eq!(report["summary"]["binary_as_strings"], 5, "{report:#}");
    assert!(report["summary"]["skipped"].get("binary").is_none());

    // Human output names the offset; SARIF gives region.byteOffset and no line.
    let out = moodleleaks().arg("scan").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("@offset {}", cases[0].2)), "{text}");
    assert!(!text.contains(&t_db), "{text}");
    let out = moodleleaks()
        .args(["scan", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    let sarif = json(&out.stdout);
    let regions: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "places.sqlite"
        })
        .map(|r| &r["locations"][0]["physicalLocation"]["region"])
        .collect();
    assert!(!regions.is_empty());
    for r in regions {
        assert_eq!(r["byteOffset"].as_u64(), Some(cases[0].2), "{r}");
        assert!(r.get("startLine").is_none(), "{r}");
    }
}

/// A settings table in SQLite (an app's cache, a plugin's store): a record's text columns
/// are stored back to back, so the name and its value come out glued
/// (`moodle_wstoken<hex>`) and the name still binds the value; an md5 glued to another
/// name does not.
#[test]
fn a_name_value_row_of_a_sqlite_database_is_found() {
    let dir = TempDir::new().unwrap();
    let (t, md5) = (token("bin-sqlite-row"), token("bin-sqlite-md5"));
    python(
        dir.path(),
        &format!(
            r#"
import sqlite3
db = sqlite3.connect("app.sqlite")
db.execute("create table settings(name text, value text)")
db.execute("insert into settings values ('theme', 'boost')")
db.execute("insert into settings values ('moodle_wstoken', '{t}')")
db.execute("insert into settings values ('moodle_cache_rev', '{md5}')")
db.commit()
db.close()
"#
        ),
    );
    let report = scan(dir.path(), &[]);
    let bytes = std::fs::read(dir.path().join("app.sqlite")).unwrap();
    assert_eq!(
        places(&report, &t),
        vec![("app.sqlite".to_string(), offset(&bytes, &t))]
    );
    assert!(places(&report, &md5).is_empty(), "{report:#}");
}

#[test]
fn a_private_token_in_utf16_and_one_glued_to_binary_words_are_told_apart() {
    let dir = TempDir::new().unwrap();
    let p = private_token("bin-wide-private");
    let t = token("bin-glued");
    // A wide private token is found; a hex run glued to other letters in the same run is
    // part of a longer word and is not a token.
    let mut glued = b"\x00\x01\x02".to_vec();
    glued.extend_from_slice(format!("MOODLE_WSTOKEN {t}zz\x00\x00").as_bytes());
    write_tree(
        dir.path(),
        &[
            (
                "app.dll",
                &utf16_in_binary(&format!("moodle privatetoken: {p}")),
            ),
            ("glued.bin", &glued),
        ],
    );
    let report = scan(dir.path(), &[]);
    let dll = std::fs::read(dir.path().join("app.dll")).unwrap();
    let at = offset(&dll, &String::from_utf8(utf16le(&p)).unwrap());
    assert_eq!(
        places(&report, &p),
        vec![("app.dll".to_string(), at)],
        "{report:#}"
    );
    assert!(places(&report, &t).is_empty(), "{report:#}");
}

#[test]
fn a_large_binary_stream_is_read_in_chunks_without_losing_runs_at_the_cuts() {
    let dir = TempDir::new().unwrap();
    // 20 MiB of short printable runs between NULs: more than two chunks of runs. Tokens sit
    // at the start, across a 64 KiB read boundary, after the first chunk and at the end.
    let mut b = Vec::with_capacity(21 << 20);
    let filler = b"record-data-0123\x00\x01";
    let mut planted = Vec::new();
    let mut plant = |b: &mut Vec<u8>, label: &str| {
        let t = token(label);
        b.extend_from_slice(b"\x00\x00");
        let line = format!("?wstoken={t}&x=1");
        let at = b.len() as u64 + line.find(&t).unwrap() as u64;
        b.extend_from_slice(line.as_bytes());
        b.push(0);
        planted.push((t, at));
    };
    plant(&mut b, "big-start");
    for target in [(1 << 16) - 20, 9 << 20, (20 << 20) - 100] {
        while b.len() + filler.len() < target {
            b.extend_from_slice(filler);
        }
        while b.len() < target {
            b.push(0);
        }
        let label = format!("big-{target}");
        plant(&mut b, &label);
    }
    write_tree(dir.path(), &[("dump.bin", &b)]);
    let report = scan(dir.path(), &[]);
    for (t, at) in &planted {
        assert_eq!(
            places(&report, t),
            vec![("dump.bin".to_string(), *at)],
            "{t}"
        );
    }
    assert_eq!(report["summary"]["binary_as_strings"], 1);

    // The same bytes through standard input.
    let out = moodleleaks()
        .args(["scan", "-", "--format", "json", "--show-secrets"])
        .write_stdin(b.clone())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    for (t, at) in &planted {
        assert_eq!(places(&report, t), vec![("<stdin>".to_string(), *at)]);
    }
}

#[test]
fn binary_blobs_are_read_as_strings_in_history_and_staged() {
    let mut r = Repo::new();
    let t_hist = token("bin-history");
    let t_staged = token("bin-staged");
    r.write("README.md", "a Moodle sync tool\n");
    python(
        r.path(),
        &format!(
            r#"
import sqlite3
db = sqlite3.connect("cache.db")
db.execute("create table calls(url text)")
db.execute("insert into calls values (?)", ("{}",))
db.commit()
"#,
            call_url(&t_hist)
        ),
    );
    r.commit("add the cache");
    let db = std::fs::read(r.path().join("cache.db")).unwrap();
    let out = moodleleaks()
        .args(["git", "--format", "json", "--show-secrets"])
        .arg(r.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert_eq!(
        places(&report, &t_hist),
        vec![("cache.db".to_string(), offset(&db, &t_hist))],
        "{report:#}"
    );
    assert!(report["findings"][0]["commit"].is_string());

    let exe = utf16_in_binary(&format!("MOODLE_WSTOKEN={t_staged}"));
    std::fs::write(r.path().join("tool.exe"), &exe).unwrap();
    r.git(&["add", "tool.exe"]);
    let out = moodleleaks()
        .args(["staged", "--format", "json", "--show-secrets"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    let at = offset(&exe, &String::from_utf8(utf16le(&t_staged)).unwrap());
    assert_eq!(
        places(&report, &t_staged),
        vec![("tool.exe".to_string(), at)],
        "{report:#}"
    );
}
