//! Sources of bytes: files on disk, stdin, git history and the staged index. Each source
//! enumerates inputs with their provenance and hands the bytes to [`ScanContext`]; matching
//! and suppression are the same for all of them.

pub mod blob_memo;
pub mod chunked;
pub mod fs;
pub mod git;
mod git_attribute;
mod git_pack;
mod git_walk;
pub mod remote;
pub mod staged;
pub mod stdin;

use crate::finding::Finding;
use crate::input::{self, SkipReason};
use crate::scan::Scanner;
use crate::strings::{self, Strings};
use crate::summary::Stats;
use crate::suppress::Allowlist;
use std::sync::atomic::Ordering::Relaxed;

/// What every source needs to turn bytes into findings.
pub struct ScanContext<'a> {
    pub scanner: &'a Scanner,
    pub allowlist: &'a Allowlist,
    pub stats: &'a Stats,
    /// Blobs (git history, staged) larger than this are skipped: git hands them over whole.
    pub max_file_size: u64,
    /// Files on disk larger than this are skipped (`--max-file-size`); none by default:
    /// files are streamed in chunks, so size costs time, not memory.
    pub file_limit: Option<u64>,
    /// Limits for opening compressed files and archives; `None` (`--no-archives`) leaves
    /// them to the binary skip.
    pub archives: Option<crate::container::Limits>,
}

impl ScanContext<'_> {
    /// Prepares (opens a container, transcodes), scans and filters one input held whole (a
    /// git blob, a staged blob). Counts it. Larger than `max_file_size`: skipped.
    pub fn scan_bytes(&self, path: &str, raw: &[u8]) -> Vec<Finding> {
        if raw.len() as u64 > self.max_file_size {
            self.stats.skipped(SkipReason::TooLarge);
            return Vec::new();
        }
        if let Some(kind) = crate::container::sniff(self, raw) {
            return crate::container::scan_bytes(self, path, raw, kind);
        }
        self.scan_content(path, raw)
    }

    /// Scans one input held whole, whatever it is: text (transcoded when UTF-16) as it is,
    /// binary content as its printable runs ([`strings`]), its findings then giving byte
    /// offsets. Counts it. A function of the bytes only, so that any whole input (a file, a
    /// blob, an archive member) is read the same way.
    pub fn scan_content(&self, path: &str, raw: &[u8]) -> Vec<Finding> {
        match input::prepare(raw) {
            Ok(buf) => {
                self.stats.scanned(raw.len());
                self.find(path, &buf, None)
            }
            Err(SkipReason::Binary) => {
                self.stats.scanned(raw.len());
                self.stats.binary_as_strings.fetch_add(1, Relaxed);
                self.scan_strings(path, &strings::extract(raw))
            }
            Err(why) => {
                self.stats.skipped(why);
                Vec::new()
            }
        }
    }

    /// Scans the printable runs of (a piece of) a binary input: each finding's line and
    /// column in the runs' text become the byte offset in the input (line and column 0).
    /// Nothing is counted here.
    pub fn scan_strings(&self, path: &str, runs: &Strings) -> Vec<Finding> {
        let mut found = self.find(path, &runs.text, None);
        for f in &mut found {
            f.byte_offset = runs.offset_of(f.line, f.column);
            f.line = 0;
            f.column = 0;
        }
        found
    }

    /// Scans bytes already decoded (a chunk of a stream): nothing is counted here, the
    /// stream is counted once as a whole.
    pub fn scan_decoded(&self, path: &str, buf: &[u8]) -> Vec<Finding> {
        self.find(path, buf, None)
    }

    /// [`Self::scan_decoded`] of a buffer whose lines outside `lines` (1-based, inclusive)
    /// are another reading's (a chunk's lead-in and trail, see `chunked`): their findings
    /// are dropped and their suppressions not counted, so nothing is reported or counted
    /// twice.
    pub fn scan_decoded_lines(
        &self,
        path: &str,
        buf: &[u8],
        lines: std::ops::RangeInclusive<u32>,
    ) -> Vec<Finding> {
        self.find(path, buf, Some(lines))
    }

    fn find(
        &self,
        path: &str,
        buf: &[u8],
        lines: Option<std::ops::RangeInclusive<u32>>,
    ) -> Vec<Finding> {
        // A bug that panics on one input costs that input, not the scan: it is reported as
        // that input's error (the panic's own message went to stderr before it), and the
        // other inputs are still scanned and reported.
        let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.scanner.scan(path, buf)
        }));
        let found = match scanned {
            Ok(found) => found,
            Err(panic) => {
                let why = crate::panic_message(panic.as_ref());
                self.stats.error(format_args!(
                    "{path}: internal error while scanning, input skipped (a bug: please report it): {why}"
                ));
                return Vec::new();
            }
        };
        if found.decoding_bounded {
            self.stats.note(format!(
                "{path}: more escaped or encoded regions than one input may ask to decode (one per 64 bytes); secrets written encoded past them may be missed"
            ));
        }
        let within = |line: u32| lines.as_ref().is_none_or(|r| r.contains(&line));
        let inline = found.inline_allowed.iter().filter(|&&l| within(l)).count();
        self.stats
            .suppressed_inline
            .fetch_add(inline as u64, Relaxed);
        let findings: Vec<Finding> = found
            .findings
            .into_iter()
            .filter(|f| within(f.line))
            .collect();
        let before = findings.len();
        let kept: Vec<Finding> = findings
            .into_iter()
            .filter(|f| !self.allowlist.allows(f))
            .collect();
        self.stats
            .suppressed_allowlist
            .fetch_add((before - kept.len()) as u64, Relaxed);
        kept
    }
}
