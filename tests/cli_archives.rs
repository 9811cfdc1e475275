//! Compressed files and archives through the real binary: each container built in the test
//! with the crates moodleleaks reads them with, a synthetic token inside, and the reported
//! member path and line checked; hostile archives (bombs, deep nesting, truncated and
//! corrupt data) skipped, counted and named while the rest of the scan goes on.

mod common;
mod gitrepo;

use common::{json, moodleleaks, token, write_tree};
use gitrepo::Repo;
use serde_json::Value;
use std::io::{Cursor, Write};
use std::path::Path;
use tempfile::TempDir;

/// Text whose line 3 holds a token: `MOODLE_WSTOKEN=<token(label)>`.
fn env_text(label: &str) -> Vec<u8> {
    format!(
        "# settings\nMOODLE_URL=https://lms.example.edu\nMOODLE_WSTOKEN={}\n",
        token(label)
    )
    .into_bytes()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// A zip of `(name, content)` members, deflated.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A tar of `(name, content)` members.
fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// `scan --format json` of `dir` with extra `args`: (exit status, report, stderr).
fn scan(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    run("scan", dir, args)
}

/// `COMMAND --format json` of `dir` with extra `args`: (exit status, report, stderr).
fn run(command: &str, dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = moodleleaks()
        .args([command, "--format", "json"])
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap(), json(&out.stdout), stderr)
}

/// (path, line, member) of every finding, sorted.
fn places(report: &Value) -> Vec<(String, u64, String)> {
    let mut v: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["member"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The secrets of the wstoken findings of `report` (run with `--show-secrets`), in order.
fn wstoken_secrets(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "wstoken")
        .map(|f| f["secret"].as_str().unwrap())
        .collect()
}

fn skipped(report: &Value, reason: &str) -> u64 {
    report["summary"]["skipped"][reason].as_u64().unwrap_or(0)
}

fn place(path: &str, line: u64, member: &str) -> (String, u64, String) {
    (path.to_string(), line, member.to_string())
}

#[test]
fn every_container_is_opened_and_findings_name_the_member() {
    let dir = TempDir::new().unwrap();
    let sql = env_text("sql");
    let docx_xml = format!(
        "<?xml version=\"1.0\"?>\n<w:document>\n<w:p><w:t>wstoken={}</w:t></w:p>\n</w:document>\n",
        token("docx")
    );
    let tgz = gzip(&tar(&[("c/.env", &env_text("tgz"))]));
    write_tree(
        dir.path(),
        &[
            ("backups/moodle.sql.gz", &gzip(&sql)),
            ("dump.sql.bz2", &bzip2(&env_text("bz2"))),
            ("dump.sql.xz", &xz(&env_text("xz"))),
            ("dump.sql.zst", &zstd(&env_text("zst"))),
            ("site.zip", &zip(&[("config/.env", &env_text("zip"))])),
            (
                "notes.docx",
                &zip(&[
                    ("[Content_Types].xml", b"<Types/>\n"),
                    ("word/document.xml", docx_xml.as_bytes()),
                ]),
            ),
            (
                "app.jar",
                &zip(&[
                    ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"),
                    ("moodle.properties", &env_text("jar")),
                ]),
            ),
            ("release.tar", &tar(&[("etc/.env", &env_text("tar"))])),
            ("release.tar.gz", &tgz),
            (
                "course.mbz",
                &gzip(&tar(&[
                    ("moodle_backup.xml", b"<moodle_backup/>\n"),
                    ("files/notes.txt", &env_text("mbz")),
                ])),
            ),
            (
                "old-course.mbz",
                &zip(&[("files/notes.txt", &env_text("old-mbz"))]),
            ),
            // Magic bytes decide, not names: a zip called .dat is still opened.
            ("blob.dat", &zip(&[("inner/.env", &env_text("dat"))])),
            // Nested: a tar.gz inside a zip.
            ("a.zip", &zip(&[("b.tar.gz", &tgz)])),
            ("plain.env", &env_text("plain")),
        ],
    );
    let (code, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        places(&report),
        vec![
            place("a.zip!b.tar.gz!c/.env", 3, "b.tar.gz!c/.env"),
            place("app.jar!moodle.properties", 3, "moodle.properties"),
            place("backups/moodle.sql.gz!moodle.sql", 3, "moodle.sql"),
            place("blob.dat!inner/.env", 3, "inner/.env"),
            place("course.mbz!files/notes.txt", 3, "files/notes.txt"),
            place("dump.sql.bz2!dump.sql", 3, "dump.sql"),
            place("dump.sql.xz!dump.sql", 3, "dump.sql"),
            place("dump.sql.zst!dump.sql", 3, "dump.sql"),
            place("notes.docx!word/document.xml", 3, "word/document.xml"),
            place("old-course.mbz!files/notes.txt", 3, "files/notes.txt"),
            place("plain.env", 3, ""),
            place("release.tar!etc/.env", 3, "etc/.env"),
            place("release.tar.gz!c/.env", 3, "c/.env"),
            place("site.zip!config/.env", 3, "config/.env"),
        ]
    );
    let col = |p: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap()["column"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(col("site.zip!config/.env"), 16);
    assert_eq!(col("notes.docx!word/document.xml"), 19);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(report["summary"]["errors"], 0);

    // --no-archives: containers are binary files again, read as their printable runs (a
    // stored member's text shows through, at a byte offset of the outer file, no member).
    let (_, report, _) = scan(dir.path(), &["--no-archives"]);
    let found = places(&report);
    assert!(found.contains(&place("plain.env", 3, "")), "{found:?}");
    for (path, line, member) in &found {
        assert!(
            path == "plain.env" || (*line == 0 && member.is_empty()),
            "{found:?}"
        );
    }
    assert!(
        report["summary"]["binary_as_strings"].as_u64().unwrap_or(0) >= 13,
        "{report:#}"
    );
}

/// Zip members compressed with bzip2 and xz (as 7-Zip and Info-ZIP can write them) are read
/// like deflated ones.
#[test]
fn zip_members_compressed_with_bzip2_or_xz_are_read() {
    let dir = TempDir::new().unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, method, label) in [
        ("bz/.env", zip::CompressionMethod::Bzip2, "zip-bz2"),
        ("xz/.env", zip::CompressionMethod::Xz, "zip-xz"),
    ] {
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(name, opts).unwrap();
        w.write_all(&env_text(label)).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    write_tree(dir.path(), &[("methods.zip", &bytes)]);
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(
        places(&report),
        vec![
            place("methods.zip!bz/.env", 3, "bz/.env"),
            place("methods.zip!xz/.env", 3, "xz/.env"),
        ]
    );
    assert!(stderr.is_empty(), "{stderr}");
}

/// A one-member zip compressed with zstd (method 93, APPNOTE 4.4.5), as 7-Zip's zstd
/// builds and WinZip write it; built byte by byte because the zip crate writes zstd only
/// through its C binding.
fn zstd_zip(name: &str, data: &[u8]) -> Vec<u8> {
    zstd_zip_laid_out(&[(name, data)], ZstdLayout::Sized, zstd)
}

/// `data` as `pzstd` writes it: a skippable frame, then one zstd frame per half (RFC 8878
/// §3: a zstd stream is frames in a row).
fn zstd_frames(data: &[u8]) -> Vec<u8> {
    let (first, second) = data.split_at(data.len() / 2);
    let skippable = [&[0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0][..], b"pzst"].concat();
    [skippable, zstd(first), zstd(second)].concat()
}

/// How [`zstd_zip_laid_out`] writes each member's sizes.
#[derive(Clone, Copy, PartialEq)]
enum ZstdLayout {
    /// In the local header.
    Sized,
    /// In a data descriptor after the data (flag bit 3, APPNOTE 4.3.9), as a zip written
    /// to a pipe has them: the local header's sizes are zero.
    Descriptor,
    /// `0xFFFFFFFF` in the local header and the real sizes in its zip64 extra field
    /// (APPNOTE 4.5.3).
    Zip64,
}

/// That `stderr` is one line: the one saying the zip `file` is damaged (`label`: the case).
fn assert_only_damage_line(stderr: &str, file: &str, label: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{label}: {stderr}");
    let damage = format!("moodleleaks: {file}: corrupt or truncated zip archive");
    assert!(lines[0].starts_with(&damage), "{label}: {stderr}");
}

/// `zip` cut before its central directory, as a download cut short leaves it.
fn cut_before_directory(zip: &[u8]) -> &[u8] {
    let directory = zip
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    &zip[..directory]
}

/// A zip of zstd members (each packed by `pack`) laid out as `layout` says, with its
/// central directory.
fn zstd_zip_laid_out(
    members: &[(&str, &[u8])],
    layout: ZstdLayout,
    pack: fn(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let u16le = |v: usize| (v as u16).to_le_bytes();
    let u32le = |v: usize| (v as u32).to_le_bytes();
    let mut out = Vec::new();
    let mut directory_entries = Vec::new();
    for &(name, data) in members {
        let packed = pack(data);
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let (flags, header_sizes) = match layout {
            ZstdLayout::Sized => (0, (packed.len(), data.len())),
            ZstdLayout::Descriptor => (0x0008, (0, 0)),
            ZstdLayout::Zip64 => (0, (u32::MAX as usize, u32::MAX as usize)),
        };
        let extra: Vec<u8> = match layout {
            ZstdLayout::Zip64 => [
                &u16le(1)[..],
                &u16le(16),
                &(data.len() as u64).to_le_bytes(),
                &(packed.len() as u64).to_le_bytes(),
            ]
            .concat(),
            _ => Vec::new(),
        };
        // version needed 6.3, flags, method 93, time and date 0, crc, sizes, name length.
        let fields = |sizes: (usize, usize)| {
            let mut f = Vec::new();
            f.extend(u16le(63));
            f.extend(u16le(flags));
            f.extend(u16le(93));
            f.extend(u32le(0));
            let header_crc = if layout == ZstdLayout::Descriptor && sizes.0 == 0 {
                0
            } else {
                crc.sum()
            };
            f.extend(header_crc.to_le_bytes());
            f.extend(u32le(sizes.0));
            f.extend(u32le(sizes.1));
            f.extend(u16le(name.len()));
            f
        };
        let offset = out.len();
        out.extend(u32le(0x0403_4b50));
        out.extend(fields(header_sizes));
        out.extend(u16le(extra.len()));
        out.extend(name.as_bytes());
        out.extend(&extra);
        out.extend(&packed);
        if layout == ZstdLayout::Descriptor {
            out.extend(u32le(0x0807_4b50));
            out.extend(crc.sum().to_le_bytes());
            out.extend(u32le(packed.len()));
            out.extend(u32le(data.len()));
        }
        let mut entry = Vec::new();
        entry.extend(u32le(0x0201_4b50));
        entry.extend(u16le(63)); // made by
        entry.extend(fields((packed.len(), data.len())));
        entry.extend([0u8; 12]); // extra, comment, disk, internal and external attributes
        entry.extend(u32le(offset));
        entry.extend(name.as_bytes());
        directory_entries.push(entry);
    }
    let directory = out.len();
    for entry in &directory_entries {
        out.extend(entry);
    }
    let directory_len = out.len() - directory;
    out.extend(u32le(0x0605_4b50));
    out.extend([0u8; 4]); // this disk, the directory's disk
    out.extend(u16le(members.len()));
    out.extend(u16le(members.len()));
    out.extend(u32le(directory_len));
    out.extend(u32le(directory));
    out.extend(u16le(0)); // comment length
    out
}

/// A zstd member of a zip is read like a `.zst` file (the pure-Rust decoder), not
/// reported as an unsupported method.
#[test]
fn zip_members_compressed_with_zstd_are_read() {
    let dir = TempDir::new().unwrap();
    let bytes = zstd_zip("zs/.env", &env_text("zip-zstd"));
    write_tree(dir.path(), &[("zstd.zip", &bytes)]);
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(
        places(&report),
        vec![place("zstd.zip!zs/.env", 3, "zs/.env")]
    );
    assert!(stderr.is_empty(), "{stderr}");
}

/// A zip cut short before its central directory still has its zstd members: they are read
/// from their local headers, past the one line that says the archive is damaged.
#[test]
fn zstd_members_of_a_zip_cut_before_its_directory_are_read() {
    let dir = TempDir::new().unwrap();
    let whole = zstd_zip("zs/.env", &env_text("zip-zstd-cut"));
    write_tree(
        dir.path(),
        &[("cut-zstd.zip", cut_before_directory(&whole))],
    );
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(
        places(&report),
        vec![place("cut-zstd.zip!zs/.env", 3, "zs/.env")]
    );
    assert_only_damage_line(&stderr, "cut-zstd.zip", "");
}

/// zstd members written with a data descriptor (a zip streamed to a pipe) or with zip64
/// sizes, in a zip cut before its central directory, are read from their local headers too,
/// and the member after each is still found: the first one's end comes from its zstd frame
/// or its zip64 field.
#[test]
fn streamed_and_zip64_zstd_members_of_a_cut_zip_are_read() {
    for (layout, label) in [
        (ZstdLayout::Descriptor, "descriptor"),
        (ZstdLayout::Zip64, "zip64"),
    ] {
        let dir = TempDir::new().unwrap();
        let first = env_text(&format!("zstd-{label}-1"));
        let second = env_text(&format!("zstd-{label}-2"));
        let whole = zstd_zip_laid_out(&[("a/.env", &first), ("b/.env", &second)], layout, zstd);
        // Whole, it reads through the directory.
        write_tree(dir.path(), &[("whole.zip", &whole)]);
        write_tree(dir.path(), &[("cut.zip", cut_before_directory(&whole))]);
        let (_, report, stderr) = scan(dir.path(), &[]);
        assert_eq!(
            places(&report),
            vec![
                place("cut.zip!a/.env", 3, "a/.env"),
                place("cut.zip!b/.env", 3, "b/.env"),
                place("whole.zip!a/.env", 3, "a/.env"),
                place("whole.zip!b/.env", 3, "b/.env"),
            ],
            "{label}"
        );
        assert_only_damage_line(&stderr, "cut.zip", label);
    }
}

/// A zstd stream of several frames after a skippable one (as `pzstd` writes it) is read
/// whole: as a `.zst` file, as a zip member, and as the first member of a cut zip written
/// with data descriptors, where the member after it is still found.
#[test]
fn zstd_streams_of_several_frames_are_read_whole() {
    let dir = TempDir::new().unwrap();
    let whole = zstd_zip_laid_out(
        &[("a/.env", &env_text("frames-zip"))],
        ZstdLayout::Sized,
        zstd_frames,
    );
    let streamed = zstd_zip_laid_out(
        &[
            ("a/.env", &env_text("frames-cut-1")),
            ("b/.env", &env_text("frames-cut-2")),
        ],
        ZstdLayout::Descriptor,
        zstd_frames,
    );
    write_tree(
        dir.path(),
        &[
            ("conf.env.zst", &zstd_frames(&env_text("frames-file"))),
            ("whole.zip", &whole),
            ("cut.zip", cut_before_directory(&streamed)),
        ],
    );
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(
        places(&report),
        vec![
            place("conf.env.zst!conf.env", 3, "conf.env"),
            place("cut.zip!a/.env", 3, "a/.env"),
            place("cut.zip!b/.env", 3, "b/.env"),
            place("whole.zip!a/.env", 3, "a/.env"),
        ]
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
}

/// What the scan leaves of a streamed zstd member (here all of it: the member is
/// allowlisted) is decoded to find the member's end within the ratio limit: a bomb there is
/// cut and said, not decoded to the end.
#[test]
fn a_bomb_in_a_streamed_zstd_member_is_cut_by_the_ratio_limit() {
    let dir = TempDir::new().unwrap();
    let bomb = vec![b'a'; 64 << 20];
    let streamed = zstd_zip_laid_out(
        &[
            ("vendor/zeros.txt", &bomb),
            ("b/.env", &env_text("after-bomb")),
        ],
        ZstdLayout::Descriptor,
        zstd,
    );
    write_tree(dir.path(), &[("cut.zip", cut_before_directory(&streamed))]);
    std::fs::write(
        dir.path().join(".moodleleaks.toml"),
        "[allowlist]\npaths = [\"vendor/**\"]\n",
    )
    .unwrap();
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert!(stderr.contains("--archive-max-ratio"), "{stderr}");
    assert_eq!(report["summary"]["skipped"]["archive_ratio"], 1, "{stderr}");
}

#[test]
fn every_output_format_names_the_member_and_sarif_points_at_the_outer_file() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[("site.zip", &zip(&[("config/.env", &env_text("formats"))]))],
    );
    let run = |format: &str| {
        let out = moodleleaks()
            .args(["scan", "--no-color", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    for format in ["human", "jsonl", "gitlab", "junit", "markdown", "html"] {
        let text = run(format);
        assert!(text.contains("site.zip!config/.env"), "{format}: {text}");
    }
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "site.zip");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(result["properties"]["member"], "config/.env");
    assert_eq!(result["properties"]["path"], "site.zip!config/.env");
    let text = result["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("In archive member config/.env (line 3)"),
        "{text}"
    );
}

#[test]
fn allowlist_globs_and_baselines_cover_members() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "vendor/lib.zip",
                &zip(&[("x/.env", &env_text("allow-outer"))]),
            ),
            (
                "site.zip",
                &zip(&[
                    ("fixtures/.env", &env_text("allow-member")),
                    ("real/.env", &env_text("kept")),
                ]),
            ),
            (
                ".moodleleaks.toml",
                b"[allowlist]\npaths = [\"vendor/*.zip\", \"fixtures/**\"]\n",
            ),
        ],
    );
    let (_, report, _) = scan(dir.path(), &[]);
    assert_eq!(
        places(&report),
        vec![place("site.zip!real/.env", 3, "real/.env")]
    );
    let baseline = dir.path().join("baseline.json");
    let out = moodleleaks()
        .args(["scan", "--quiet", "--write-baseline"])
        .arg(&baseline)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (code, report, _) = scan(dir.path(), &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!((code, places(&report).len()), (0, 0));
    assert_eq!(report["summary"]["suppressed"]["baseline"], 1);
}

#[test]
fn standard_input_may_be_compressed() {
    let out = moodleleaks()
        .args(["scan", "--format", "json", "-"])
        .write_stdin(gzip(&env_text("stdin")))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    assert_eq!(
        places(&report),
        vec![place("<stdin>!<stdin>", 3, "<stdin>")]
    );
}

/// One MiB of text that deflates about 1000:1 (zeros would be skipped as binary after
/// the first 8 KiB, never inflated further).
fn bomb_text(mib: usize) -> Vec<u8> {
    b"x = 1\n".iter().copied().cycle().take(mib << 20).collect()
}

/// A zip whose `bomb.txt` is `mib` MiB of text, then a member with a token.
fn zip_bomb(mib: usize) -> Vec<u8> {
    let zeros = bomb_text(1);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("bomb.txt", opts).unwrap();
    for _ in 0..mib {
        w.write_all(&zeros).unwrap();
    }
    w.start_file("after/.env", opts).unwrap();
    w.write_all(&env_text("after-bomb")).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_is_a_counted_skip_and_the_scan_goes_on() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            ("bomb.zip", &zip_bomb(64)),
            ("sibling.env", &env_text("sibling")),
        ],
    );
    // The ratio stops it first (64 MiB from about 64 KiB).
    let (code, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(skipped(&report, "archive_ratio"), 1, "{report:#}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("bomb.zip!bomb.txt") && lines[0].contains("--archive-max-ratio"),
        "{stderr}"
    );
    assert_eq!(
        places(&report),
        vec![
            place("bomb.zip!after/.env", 3, "after/.env"),
            place("sibling.env", 3, ""),
        ]
    );
    let named = &report["summary"]["skipped_files"];
    assert_eq!(named[0]["path"], "bomb.zip!bomb.txt", "{named:#}");
    assert_eq!(named[0]["reason"], "archive_ratio");

    // With the ratio lifted, the member size limit stops it instead.
    let (_, report, stderr) = scan(
        dir.path(),
        &[
            "--archive-max-ratio",
            "1000000",
            "--archive-max-member-size",
            "4MB",
        ],
    );
    assert_eq!(
        skipped(&report, "archive_member_too_large"),
        1,
        "{report:#}"
    );
    assert!(stderr.contains("--archive-max-member-size"), "{stderr}");
    assert!(report["summary"]["bytes_scanned"].as_u64().unwrap() < 5_000_000);
    assert_eq!(places(&report).len(), 2);

    // And the archive-wide limit stops reading the archive at all.
    let (_, report, stderr) = scan(
        dir.path(),
        &[
            "--archive-max-ratio",
            "1000000",
            "--archive-max-size",
            "2 MB",
        ],
    );
    assert_eq!(skipped(&report, "archive_too_large"), 1, "{report:#}");
    assert!(stderr.contains("--archive-max-size"), "{stderr}");
    assert_eq!(places(&report), vec![place("sibling.env", 3, "")]);
}

#[test]
fn a_gzip_bomb_is_measured_by_its_own_compressed_bytes() {
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            ("bomb.log.gz", &gzip(&bomb_text(16))),
            ("sibling.env", &env_text("sibling")),
        ],
    );
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(skipped(&report, "archive_ratio"), 1, "{report:#}");
    assert!(stderr.contains("bomb.log.gz!bomb.log"), "{stderr}");
    // A ratio allowed by the flag is not a bomb (gzip reads its input ahead: the bytes it
    // read before the member started count too); the member size limit cuts it instead.
    let (_, report, _) = scan(
        dir.path(),
        &[
            "--archive-max-ratio",
            "100000",
            "--archive-max-member-size",
            "4MB",
        ],
    );
    assert_eq!(skipped(&report, "archive_ratio"), 0, "{report:#}");
    assert_eq!(
        skipped(&report, "archive_member_too_large"),
        1,
        "{report:#}"
    );
    assert_eq!(places(&report), vec![place("sibling.env", 3, "")]);
}

#[test]
fn nesting_past_the_depth_limit_is_a_counted_skip() {
    let dir = TempDir::new().unwrap();
    // level7.zip ⊃ level6.zip ⊃ ... ⊃ level1.zip ⊃ deep/.env
    let mut data = zip(&[("deep/.env", &env_text("deep"))]);
    let mut names = Vec::new();
    for level in 2..=7 {
        let name = format!("level{}.zip", level - 1);
        data = zip(&[(&name, &data)]);
        names.push(name);
    }
    write_tree(
        dir.path(),
        &[("level7.zip", &data), ("sibling.env", &env_text("sibling"))],
    );
    let (code, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(skipped(&report, "archive_depth"), 1, "{report:#}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--archive-max-depth 5"), "{stderr}");
    assert_eq!(places(&report), vec![place("sibling.env", 3, "")]);

    let (_, report, stderr) = scan(dir.path(), &["--archive-max-depth", "7"]);
    assert!(stderr.is_empty(), "{stderr}");
    let deep =
        "level7.zip!level6.zip!level5.zip!level4.zip!level3.zip!level2.zip!level1.zip!deep/.env";
    assert_eq!(places(&report)[0].0, deep);
}

#[test]
fn a_nested_bomb_is_bounded_by_the_archive_limits() {
    // 42.zip in small: 8 zips of 8 members of 4 MiB of text each (256 MiB in all).
    let zeros = bomb_text(4);
    let leaves: Vec<(String, Vec<u8>)> = (0..8)
        .map(|i| (format!("{i}.bin"), zeros.clone()))
        .collect();
    let leaf_refs: Vec<(&str, &[u8])> = leaves
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let inner = zip(&leaf_refs);
    let mids: Vec<(String, Vec<u8>)> = (0..8)
        .map(|i| (format!("lib{i}.zip"), inner.clone()))
        .collect();
    let mid_refs: Vec<(&str, &[u8])> = mids
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[
            ("42.zip", &zip(&mid_refs)),
            ("sibling.env", &env_text("sibling")),
        ],
    );
    let (code, report, stderr) = scan(dir.path(), &["--archive-max-members", "20"]);
    assert_eq!(code, 1);
    assert_eq!(skipped(&report, "archive_members"), 1, "{report:#}");
    // Every leaf is a ratio bomb too: counted each time, warned about once.
    assert!(skipped(&report, "archive_ratio") >= 8, "{report:#}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert_eq!(places(&report), vec![place("sibling.env", 3, "")]);
}

#[test]
fn truncated_and_corrupt_containers_are_one_error_line_each() {
    let dir = TempDir::new().unwrap();
    let mut text = env_text("truncated");
    text.extend(
        (0..20_000)
            .map(|i| format!("row {i} of a long dump\n"))
            .flat_map(String::into_bytes),
    );
    let gz = gzip(&text);
    let mut corrupt_zip = b"PK\x03\x04".to_vec();
    corrupt_zip.extend(std::iter::repeat_n(0xA5u8, 300));
    // A download cut short: the central directory is gone, the first member is whole.
    let mut long = env_text("cut-zip");
    long.extend((0..50_000).flat_map(|i| format!("{i:08x} {}\n", i * 7919).into_bytes()));
    let whole = zip(&[("a/.env", &env_text("cut-zip")), ("b/data.txt", &long)]);
    let cut_zip = &whole[..whole.len() / 2];
    write_tree(
        dir.path(),
        &[
            ("dump.sql.gz", &gz[..gz.len() / 2]),
            ("broken.zip", &corrupt_zip),
            ("cut.zip", cut_zip),
            ("sibling.env", &env_text("sibling")),
        ],
    );
    let (code, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "findings win over errors for the exit status");
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort();
    assert_eq!(lines.len(), 4, "{stderr}");
    assert_eq!(report["summary"]["errors"], 4, "{stderr}");
    assert_eq!(skipped(&report, "archive_corrupt"), 4);
    let starts = [
        "moodleleaks: broken.zip: corrupt or truncated zip archive",
        // The cut zip: its directory is missing, and its second member ends in the cut.
        "moodleleaks: cut.zip!b/data.txt: corrupt or truncated zip member",
        "moodleleaks: cut.zip: corrupt or truncated zip archive",
        "moodleleaks: dump.sql.gz!dump.sql: corrupt or truncated gzip stream",
    ];
    for (line, start) in lines.iter().zip(starts) {
        assert!(line.starts_with(start), "{stderr}");
    }
    // What came before the damage is still scanned.
    assert_eq!(
        places(&report),
        vec![
            place("cut.zip!a/.env", 3, "a/.env"),
            // Read up to the cut: its token sits before it.
            place("cut.zip!b/data.txt", 3, "b/data.txt"),
            place("dump.sql.gz!dump.sql", 3, "dump.sql"),
            place("sibling.env", 3, ""),
        ]
    );
}

/// Writes the three containers git and staged are tested with.
fn write_containers(dir: &Path, label: &str) {
    write_tree(
        dir,
        &[
            ("db/moodle.sql.gz", &gzip(&env_text(&format!("{label}-gz")))),
            (
                "site.zip",
                &zip(&[("config/.env", &env_text(&format!("{label}-zip")))]),
            ),
            (
                "release.tar.gz",
                &gzip(&tar(&[("c/.env", &env_text(&format!("{label}-tgz")))])),
            ),
        ],
    );
}

fn container_places() -> Vec<(String, u64, String)> {
    vec![
        place("db/moodle.sql.gz!moodle.sql", 3, "moodle.sql"),
        place("release.tar.gz!c/.env", 3, "c/.env"),
        place("site.zip!config/.env", 3, "config/.env"),
    ]
}

#[test]
fn history_opens_committed_archives() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("first");
    write_containers(r.path(), "git");
    let added = r.commit("add archives");
    // A later commit that leaves the archives alone reintroduces nothing.
    r.write("README.md", "hello again\n");
    r.commit("third");
    let (status, report, stderr) = run("git", r.path(), &[]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(places(&report), container_places());
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["commit"], added.as_str());
        assert_eq!(f["present_at_head"], true);
    }

    // The zip changes: its old member's secret stays attributed to the commit that
    // introduced it; only the new member's secret is introduced by the change.
    write_tree(
        r.path(),
        &[(
            "site.zip",
            &zip(&[
                ("config/.env", &env_text("git-zip")),
                ("config/new.env", &env_text("git-new")),
            ]),
        )],
    );
    let changed = r.commit("another member");
    let out = moodleleaks()
        .args(["git", "--format", "json"])
        .arg(r.path())
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let commits: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["commit"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(p, _)| p.starts_with("site.zip"))
        .collect();
    let mut commits = commits;
    commits.sort();
    assert_eq!(
        commits,
        vec![
            ("site.zip!config/.env".to_string(), added.clone()),
            ("site.zip!config/new.env".to_string(), changed),
        ]
    );
}

#[test]
fn staged_opens_staged_archives() {
    let mut r = Repo::new();
    r.write("README.md", "hello\n");
    r.commit("first");
    write_containers(r.path(), "staged");
    r.git(&["add", "-A"]);
    let (status, report, stderr) = run("staged", r.path(), &[]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(places(&report), container_places());

    // An archive changed later: only a secret its HEAD version did not hold is new.
    r.commit("archives");
    write_tree(
        r.path(),
        &[(
            "site.zip",
            &zip(&[
                ("config/.env", &env_text("staged-zip")),
                ("config/new.env", &env_text("staged-new")),
            ]),
        )],
    );
    r.git(&["add", "-A"]);
    let out = moodleleaks()
        .args(["staged", "--format", "json"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        places(&json(&out.stdout)),
        vec![place("site.zip!config/new.env", 3, "config/new.env")]
    );
}

#[test]
fn binary_and_utf16_are_decided_after_decompression() {
    let dir = TempDir::new().unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    String::from_utf8(env_text("utf16"))
        .unwrap()
        .encode_utf16()
        .for_each(|u| utf16.extend_from_slice(&u.to_le_bytes()));
    let mut binary = b"\0\0\0\x01ELF".to_vec();
    binary.extend(env_text("binary"));
    write_tree(
        dir.path(),
        &[
            ("notes.txt.gz", &gzip(&utf16)),
            ("tool.bin.gz", &gzip(&binary)),
        ],
    );
    let (_, report, _) = scan(dir.path(), &[]);
    // The binary member is read as its printable runs: found at a byte offset of the member.
    assert_eq!(
        places(&report),
        vec![
            place("notes.txt.gz!notes.txt", 3, "notes.txt"),
            place("tool.bin.gz!tool.bin", 0, "tool.bin"),
        ]
    );
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["member"] == "tool.bin")
        .unwrap();
    let secret = token("binary");
    let expected = binary
        .windows(secret.len())
        .position(|w| w == secret.as_bytes())
        .unwrap();
    assert_eq!(finding["byte_offset"], expected as u64, "{finding:#}");
    assert_eq!(skipped(&report, "binary"), 0, "{report:#}");
    assert_eq!(report["summary"]["binary_as_strings"], 1, "{report:#}");
}

#[test]
fn a_container_larger_than_a_chunk_is_read_from_the_file() {
    // Over the 8 MiB read-whole size: the file is reopened and streamed, not loaded.
    let log: Vec<u8> = (0..400_000)
        .flat_map(|i| format!("request {i} served in 12 ms\n").into_bytes())
        .collect();
    assert!(log.len() > 9 << 20);
    let dir = TempDir::new().unwrap();
    write_tree(
        dir.path(),
        &[(
            "logs.tar",
            &tar(&[("access.log", &log), ("z/.env", &env_text("big-tar"))]),
        )],
    );
    let (code, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(places(&report), vec![place("logs.tar!z/.env", 3, "z/.env")]);
    assert_eq!(report["summary"]["files_scanned"], 2);
}

#[test]
fn an_encrypted_member_is_a_counted_skip() {
    use zip::unstable::write::FileOptionsExt;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let plain = zip::write::SimpleFileOptions::default();
    let locked = plain.with_deprecated_encryption(b"secret").unwrap();
    w.start_file("locked/.env", locked).unwrap();
    w.write_all(&env_text("locked")).unwrap();
    w.start_file("open/.env", plain).unwrap();
    w.write_all(&env_text("open")).unwrap();
    let data = w.finish().unwrap().into_inner();
    let dir = TempDir::new().unwrap();
    write_tree(dir.path(), &[("mixed.zip", &data)]);
    let (_, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(skipped(&report, "archive_encrypted"), 1, "{report:#}");
    assert!(
        stderr.contains("mixed.zip!locked/.env: encrypted member"),
        "{stderr}"
    );
    assert_eq!(
        places(&report),
        vec![place("mixed.zip!open/.env", 3, "open/.env")]
    );
}

/// An independent tester's set (set 40): a Word handover document whose paragraph holds
/// the label `Token: ` in one run (bold) and the value in the next (Consolas): Word splits a
/// paragraph's text into runs wherever the formatting changes, so the label and its value
/// stand in elements of their own on one line of `word/document.xml`. The label names the
/// value as in the paragraph's text; a digest labelled the same way stays a digest.
#[test]
fn a_label_and_its_value_in_separate_runs_of_a_word_paragraph_are_one_pair() {
    let dir = TempDir::new().unwrap();
    let (tok, sum) = (token("docx-run-token"), token("docx-run-sum"));
    let run = |label: &str, value: &str| {
        format!(
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{label}: </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\"/></w:rPr><w:t>{value}</w:t></w:r></w:p>"
        )
    };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t xml:space=\"preserve\">URL: https://moodle.gymnasium.example.de</w:t></w:r></w:p>{}{}</w:body></w:document>",
        run("Token", &tok),
        run("MD5-Prüfsumme des Pakets", &sum),
    );
    let docx = zip(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
        ("word/document.xml", document.as_bytes()),
    ]);
    write_tree(dir.path(), &[("handover/Uebergabe-Moodle.docx", &docx)]);
    let (code, report, stderr) = scan(dir.path(), &["--show-secrets"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(wstoken_secrets(&report), vec![tok.as_str()]);
    assert_eq!(
        places(&report),
        vec![place(
            "handover/Uebergabe-Moodle.docx!word/document.xml",
            2,
            "word/document.xml"
        )]
    );
}

/// Set 42's xlsx: a worksheet whose cells hold their text inline (`t="inlineStr"`, what
/// many exporters write instead of the shared-strings table), the whole sheet on one line.
/// A cell is named by the header cell of its column *by reference* (`r="C2"` under
/// `r="C1"`): Excel leaves a row's empty cells out, so counting the cells before it would put
/// the checksum under `Token`.
#[test]
fn an_xlsx_inline_string_cell_is_named_by_the_header_of_its_referenced_column() {
    let dir = TempDir::new().unwrap();
    let (tok, sum) = (token("xlsx-inline-token"), token("xlsx-inline-md5"));
    let cell =
        |r: &str, text: &str| format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{text}</t></is></c>");
    let header: String = [
        ("A1", "Usuario"),
        ("B1", "Servicio"),
        ("C1", "Token"),
        ("D1", "MD5"),
    ]
    .iter()
    .map(|(r, t)| cell(r, t))
    .collect();
    // Row 2 has no service: its B2 is left out, as Excel writes an empty cell.
    let values = format!(
        "{}{}{}",
        cell("A2", "ws_sis"),
        cell("C2", &tok),
        cell("D2", &sum)
    );
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\">{header}</row><row r=\"2\">{values}</row></sheetData></worksheet>"
    );
    let xlsx = zip(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    write_tree(dir.path(), &[("exports/auditoria_tokens.xlsx", &xlsx)]);
    let (code, report, stderr) = scan(dir.path(), &["--show-secrets"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(wstoken_secrets(&report), vec![tok.as_str()]);
}
