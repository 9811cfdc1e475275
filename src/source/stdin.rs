//! Standard input as a source: a CI log or a diff piped into `moodleleaks scan -`.
//!
//! Input is read in chunks that end on a line boundary, so an endless or huge stream is
//! scanned in bounded memory; line numbers continue across chunks. A rule's context
//! (Moodle words for generic keys) is looked for in the same chunk.

use super::ScanContext;
use crate::finding::Finding;
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Read};

/// The path findings from standard input are reported under.
pub const STDIN_PATH: &str = "<stdin>";

/// Chunks are cut at the first line end after this many bytes.
const CHUNK: usize = 8 << 20;

/// Reads all of standard input and scans it chunk by chunk.
pub fn scan(ctx: &ScanContext<'_>) -> Result<Vec<Finding>> {
    scan_reader(ctx, std::io::stdin().lock())
}

/// Scans any reader as if it were standard input.
pub fn scan_reader(ctx: &ScanContext<'_>, input: impl Read) -> Result<Vec<Finding>> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut findings = Vec::new();
    let mut lines_before = 0u32;
    let mut chunk = Vec::with_capacity(CHUNK + (1 << 16));
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            let n = reader
                .read_until(b'\n', &mut chunk)
                .context("<stdin>: cannot read standard input")?;
            if n == 0 {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let mut found = ctx.scan_chunk(STDIN_PATH, &chunk);
        found.iter_mut().for_each(|f| f.line += lines_before);
        findings.extend(found);
        lines_before += memchr::memchr_iter(b'\n', &chunk).count() as u32;
    }
    ctx.stats
        .files_scanned
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(findings)
}
