//! Counters every source updates while it scans, and the summary every reporter ends with.
//! Nothing is skipped silently: each skipped input is counted under its reason.

use crate::input::SkipReason;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Duration;

/// Shared, thread-safe counters of a scan in progress.
#[derive(Debug, Default)]
pub struct Stats {
    pub files_scanned: AtomicU64,
    pub bytes_scanned: AtomicU64,
    pub errors: AtomicU64,
    pub suppressed_inline: AtomicU64,
    pub suppressed_allowlist: AtomicU64,
    /// Binary inputs scanned as their printable runs (see [`crate::strings`]).
    pub binary_as_strings: AtomicU64,
    skipped: Mutex<BTreeMap<SkipReason, u64>>,
    skipped_files: Mutex<Vec<SkippedFile>>,
    notes: Mutex<Vec<String>>,
}

/// Most skipped files named in a summary; every one is still counted.
pub const MAX_NAMED_SKIPS: usize = 1000;

/// A file that was not scanned although it may hold text (too large, unreadable, special),
/// named so that a skip never passes as clean silently.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: &'static str,
}

impl Stats {
    /// Counts one scanned input of `bytes` bytes.
    pub fn scanned(&self, bytes: usize) {
        self.files_scanned.fetch_add(1, Relaxed);
        self.bytes_scanned.fetch_add(bytes as u64, Relaxed);
    }

    /// Counts one skipped input.
    pub fn skipped(&self, why: SkipReason) {
        *self
            .skipped
            .lock()
            .expect("stats lock")
            .entry(why)
            .or_default() += 1;
    }

    /// Counts one skipped file and names it in the summary (up to [`MAX_NAMED_SKIPS`]).
    pub fn skipped_file(&self, why: SkipReason, path: &str) {
        self.skipped(why);
        let mut named = self.skipped_files.lock().expect("stats lock");
        if named.len() < MAX_NAMED_SKIPS {
            named.push(SkippedFile {
                path: path.to_string(),
                reason: why.as_str(),
            });
        }
    }

    /// Reports an error on one input (one line on stderr) and counts it; the scan goes on.
    pub fn error(&self, message: impl std::fmt::Display) {
        self.errors.fetch_add(1, Relaxed);
        // Messages name files and repositories: a hostile name must not drive the terminal.
        let message = message.to_string();
        eprintln!("moodleleaks: {}", crate::report::escape_control(&message));
    }

    /// A remark for the summary (shallow history, submodule skipped, ...).
    pub fn note(&self, message: impl Into<String>) {
        let message = message.into();
        let mut notes = self.notes.lock().expect("stats lock");
        // The same remark from several repositories or threads is said once.
        if !notes.contains(&message) {
            notes.push(message);
        }
    }

    /// The summary so far.
    pub fn summary(&self, findings: usize, elapsed: Duration) -> Summary {
        Summary {
            files_scanned: self.files_scanned.load(Relaxed),
            bytes_scanned: self.bytes_scanned.load(Relaxed),
            binary_as_strings: self.binary_as_strings.load(Relaxed),
            skipped: self
                .skipped
                .lock()
                .expect("stats lock")
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), *v))
                .collect(),
            errors: self.errors.load(Relaxed),
            findings: findings as u64,
            suppressed: Suppressed {
                inline: self.suppressed_inline.load(Relaxed),
                allowlist: self.suppressed_allowlist.load(Relaxed),
                baseline: 0,
            },
            skipped_files: {
                let mut named = self.skipped_files.lock().expect("stats lock").clone();
                named.sort();
                named
            },
            notes: self.notes.lock().expect("stats lock").clone(),
            elapsed_ms: elapsed.as_millis() as u64,
            live: None,
        }
    }
}

/// What a scan did, in every output format.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    /// Of the inputs scanned, the binary ones read as their printable runs (`strings`).
    #[serde(skip_serializing_if = "is_zero")]
    pub binary_as_strings: u64,
    pub skipped: BTreeMap<String, u64>,
    /// The files skipped though they may hold text (too large, unreadable, special), by path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_files: Vec<SkippedFile>,
    pub errors: u64,
    pub findings: u64,
    pub suppressed: Suppressed,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub elapsed_ms: u64,
    /// Number of findings whose probe said live; present when probing ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<u64>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Findings dropped on purpose, by mechanism.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Suppressed {
    pub inline: u64,
    pub allowlist: u64,
    pub baseline: u64,
}
