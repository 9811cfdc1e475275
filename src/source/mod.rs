//! Sources of bytes: files on disk, stdin, git history and the staged index. Each source
//! enumerates inputs with their provenance and hands the bytes to [`ScanContext`]; matching
//! and suppression are the same for all of them.

pub mod blob_memo;
pub mod fs;
pub mod git;
mod git_attribute;
mod git_walk;
pub mod remote;
pub mod staged;
pub mod stdin;

use crate::finding::Finding;
use crate::input::{self, SkipReason};
use crate::scan::Scanner;
use crate::summary::Stats;
use crate::suppress::Allowlist;
use std::sync::atomic::Ordering::Relaxed;

/// What every source needs to turn bytes into findings.
pub struct ScanContext<'a> {
    pub scanner: &'a Scanner,
    pub allowlist: &'a Allowlist,
    pub stats: &'a Stats,
    pub max_file_size: u64,
}

impl ScanContext<'_> {
    /// Prepares (transcodes, skips binary), scans and filters one input. Counts it.
    pub fn scan_bytes(&self, path: &str, raw: &[u8]) -> Vec<Finding> {
        if raw.len() as u64 > self.max_file_size {
            self.stats.skipped(SkipReason::TooLarge);
            return Vec::new();
        }
        match input::prepare(raw) {
            Ok(buf) => {
                self.stats.scanned(raw.len());
                self.find(path, &buf)
            }
            Err(why) => {
                self.stats.skipped(why);
                Vec::new()
            }
        }
    }

    /// Like [`scan_bytes`](Self::scan_bytes) for one chunk of a stream: no size limit (the
    /// caller bounds chunks) and only bytes are counted (the stream is one input).
    pub fn scan_chunk(&self, path: &str, raw: &[u8]) -> Vec<Finding> {
        match input::prepare(raw) {
            Ok(buf) => {
                self.stats
                    .bytes_scanned
                    .fetch_add(raw.len() as u64, Relaxed);
                self.find(path, &buf)
            }
            Err(why) => {
                self.stats.skipped(why);
                Vec::new()
            }
        }
    }

    fn find(&self, path: &str, buf: &[u8]) -> Vec<Finding> {
        let found = self.scanner.scan(path, buf);
        self.stats
            .suppressed_inline
            .fetch_add(found.inline_allowed as u64, Relaxed);
        let before = found.findings.len();
        let kept: Vec<Finding> = found
            .findings
            .into_iter()
            .filter(|f| !self.allowlist.allows(f))
            .collect();
        self.stats
            .suppressed_allowlist
            .fetch_add((before - kept.len()) as u64, Relaxed);
        kept
    }
}
