//! Incremental history scans: the blobs a previous audit already scanned, with their
//! findings, so that a re-run scans only new blobs and still reports the complete result.
//!
//! The history walk asks [`BlobMemo::reuse`] before scanning a blob: a blob scanned before
//! *at the same first-seen path* gives back its stored findings (path-dependent rules and
//! allowlists then see exactly what a cold scan would). Every blob the walk does scan is
//! [`BlobMemo::record`]ed. The memo is stored per repository as JSON in the cache folder
//! ([`StoredMemo`]); it holds raw secrets (like the mirrors beside it), so it is written
//! readable by its owner only. A memo written by other rules, another allowlist, another size
//! limit or another moodleleaks version is ignored (see [`scanner_key`]).

use crate::finding::{sha256_hex, Finding, Kind, Severity};
use anyhow::{Context, Result};
use git2::Oid;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

/// Version of the stored memo layout.
const MEMO_VERSION: u32 = 1;

/// Blobs already scanned (read-only during a walk) and blobs scanned now (collected).
#[derive(Default)]
pub struct BlobMemo {
    known: FxHashMap<Oid, Known>,
    scanned: Mutex<Vec<(Oid, Known)>>,
    reused: AtomicU64,
}

/// One blob's path when first seen and what scanning it gave.
#[derive(Clone)]
struct Known {
    path: String,
    findings: Vec<Finding>,
}

impl std::fmt::Debug for BlobMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobMemo({} known blobs)", self.known.len())
    }
}

impl BlobMemo {
    /// The stored findings of `blob` when it was scanned before at `path` (counted as reused),
    /// `None` when it must be scanned.
    pub fn reuse(&self, blob: Oid, path: &str) -> Option<Vec<Finding>> {
        let k = self.known.get(&blob).filter(|k| k.path == path)?;
        self.reused.fetch_add(1, Relaxed);
        Some(k.findings.clone())
    }

    /// Records a blob the walk scanned at `path` and its findings (none for a clean blob).
    pub fn record(&self, blob: Oid, path: &str, findings: &[Finding]) {
        self.scanned.lock().expect("memo lock").push((
            blob,
            Known {
                path: path.to_string(),
                findings: findings.to_vec(),
            },
        ));
    }

    /// Blobs whose stored findings were reused in this walk.
    pub fn reused(&self) -> u64 {
        self.reused.load(Relaxed)
    }

    /// Blobs scanned in this walk.
    pub fn scanned(&self) -> usize {
        self.scanned.lock().expect("memo lock").len()
    }
}

/// The memo file of one repository.
#[derive(Serialize, Deserialize)]
pub struct StoredMemo {
    version: u32,
    /// [`scanner_key`] of the run that wrote it.
    scanner: String,
    blobs: Vec<StoredBlob>,
    /// Location keys ([`location_key`]) of the findings the last audit reported: what a
    /// finding is compared with to be marked new.
    reported: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredBlob {
    id: String,
    path: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<StoredFinding>,
}

/// A blob finding as scanning made it (no commit yet: attribution adds that).
#[derive(Serialize, Deserialize)]
struct StoredFinding {
    rule_id: String,
    kind: Kind,
    severity: Severity,
    line: u32,
    column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    byte_offset: Option<u64>,
    secret: String,
    redact: bool,
    fingerprint: String,
    line_redacted: String,
    line_raw: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    site: Option<String>,
    /// The member chain of a finding inside an archive blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member: Option<String>,
}

/// What must be equal for stored findings to equal fresh ones: the rules, the allowlist, the
/// size limit and the scanner version.
pub fn scanner_key(
    rules: &[crate::rules::Rule],
    allowlist: &impl std::fmt::Debug,
    max_file_size: u64,
) -> String {
    let specs: Vec<String> = rules.iter().map(|r| format!("{:?}", r.spec)).collect();
    sha256_hex(&[
        env!("CARGO_PKG_VERSION"),
        &specs.join("\n"),
        &format!("{allowlist:?}"),
        &max_file_size.to_string(),
    ])
}

/// The identity of a reported finding for "new" marking: secret, path and commit.
pub fn location_key(f: &Finding) -> String {
    let commit = f.commit.as_ref().map_or("", |c| c.commit.as_str());
    sha256_hex(&[&f.fingerprint, &f.path, commit])
}

/// A loaded memo: the blobs to reuse and the findings last reported.
pub struct Loaded {
    pub memo: BlobMemo,
    pub reported: Option<FxHashSet<String>>,
}

/// Loads the memo at `file` if it exists and was written with `scanner`; an unreadable or
/// outdated memo is ignored (the audit is then cold, and the memo rewritten).
pub fn load(file: &Path, scanner: &str) -> Loaded {
    let empty = Loaded {
        memo: BlobMemo::default(),
        reported: None,
    };
    let Ok(text) = std::fs::read(file) else {
        return empty;
    };
    let Ok(stored) = serde_json::from_slice::<StoredMemo>(&text) else {
        return empty;
    };
    if stored.version != MEMO_VERSION || stored.scanner != scanner {
        return empty;
    }
    let mut known = FxHashMap::default();
    for b in stored.blobs {
        let Ok(id) = Oid::from_str(&b.id) else {
            continue;
        };
        let findings = b
            .findings
            .into_iter()
            .map(|s| Finding {
                rule_id: s.rule_id,
                kind: s.kind,
                severity: s.severity,
                path: match &s.member {
                    Some(m) => format!("{}!{m}", b.path),
                    None => b.path.clone(),
                },
                member: s.member,
                line: s.line,
                column: s.column,
                byte_offset: s.byte_offset,
                secret: s.secret,
                redact: s.redact,
                fingerprint: s.fingerprint,
                line_redacted: s.line_redacted,
                line_raw: s.line_raw,
                site: s.site,
                commit: None,
                present_at_head: None,
                also_in: Vec::new(),
                probe: None,
                repository: None,
                new: None,
            })
            .collect();
        known.insert(
            id,
            Known {
                path: b.path,
                findings,
            },
        );
    }
    Loaded {
        memo: BlobMemo {
            known,
            ..BlobMemo::default()
        },
        reported: Some(stored.reported.into_iter().collect()),
    }
}

/// Writes the memo after an audit: the blobs known before that still count plus the blobs
/// scanned now, and the findings reported. Written to a temporary file and renamed, mode
/// 0600 on Unix.
pub fn save(file: &Path, scanner: &str, memo: BlobMemo, reported: &[Finding]) -> Result<()> {
    let mut all = memo.known;
    for (id, k) in memo.scanned.into_inner().expect("memo lock") {
        all.insert(id, k);
    }
    let mut blobs: Vec<StoredBlob> = all
        .into_iter()
        .map(|(id, k)| StoredBlob {
            id: id.to_string(),
            path: k.path,
            findings: k
                .findings
                .into_iter()
                .map(|f| StoredFinding {
                    rule_id: f.rule_id,
                    kind: f.kind,
                    severity: f.severity,
                    line: f.line,
                    column: f.column,
                    byte_offset: f.byte_offset,
                    secret: f.secret,
                    redact: f.redact,
                    fingerprint: f.fingerprint,
                    line_redacted: f.line_redacted,
                    line_raw: f.line_raw,
                    site: f.site,
                    member: f.member,
                })
                .collect(),
        })
        .collect();
    blobs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut reported: Vec<String> = reported.iter().map(location_key).collect();
    reported.sort();
    reported.dedup();
    let stored = StoredMemo {
        version: MEMO_VERSION,
        scanner: scanner.to_string(),
        blobs,
        reported,
    };
    let dir = file.parent().context("memo path has no folder")?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create cache folder", dir.display()))?;
    let tmp = file.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut w = std::io::BufWriter::new(
        opts.open(&tmp)
            .with_context(|| format!("{}: cannot write scan cache", tmp.display()))?,
    );
    serde_json::to_writer(&mut w, &stored)?;
    std::io::Write::flush(&mut w)
        .with_context(|| format!("{}: cannot write scan cache", tmp.display()))?;
    drop(w);
    std::fs::rename(&tmp, file)
        .with_context(|| format!("{}: cannot write scan cache", file.display()))?;
    Ok(())
}
