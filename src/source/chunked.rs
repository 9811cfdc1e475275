//! Streams scanned in bounded, line-aligned chunks: standard input and files larger than one
//! chunk. Memory is bounded by the chunk, not the input: a 2 GB file or an endless pipe is
//! scanned in the same few tens of megabytes.
//!
//! The encoding is decided once from the first bytes ([`input::sniff`]) and decoded across
//! chunk boundaries ([`input::StreamDecoder`]), so UTF-16 is read to the end. A chunk ends
//! after its last complete line; a line longer than a chunk is cut between two words (where
//! it can be) and carries on in the next chunk, with line numbers and columns continued.
//! A rule's context (Moodle words for generic keys) and the site are looked for in the same
//! chunk.
//!
//! Binary content is read as its printable runs ([`crate::strings`]), a chunk of runs at a time.

use super::ScanContext;
use crate::finding::Finding;
use crate::input::{self, SkipReason, StreamDecoder, BINARY_PROBE_LEN};
use crate::redact::is_word_byte;
use crate::strings::Extractor;
use std::io::{ErrorKind, Read};
use std::sync::atomic::Ordering::Relaxed;

/// Chunk size in decoded bytes.
pub const CHUNK: usize = 8 << 20;

/// How far back from a chunk's end a cut inside a long line looks for a word boundary.
const WORD_BACKOFF: usize = 4096;

/// Reads `input` to its end and scans it chunk by chunk under `path`. Counts it as one
/// scanned input, or as skipped (binary). Errors are read errors.
pub fn scan_reader(
    ctx: &ScanContext<'_>,
    path: &str,
    mut input: impl Read,
) -> std::io::Result<Vec<Finding>> {
    let mut raw = vec![0u8; 1 << 16];
    let mut head = Vec::with_capacity(BINARY_PROBE_LEN);
    while head.len() < BINARY_PROBE_LEN {
        let want = (BINARY_PROBE_LEN - head.len()).min(raw.len());
        match input.read(&mut raw[..want]) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&raw[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let encoding = match input::sniff(&head) {
        Ok(e) => e,
        Err(SkipReason::Binary) => return scan_binary(ctx, path, head, input),
        Err(why) => {
            ctx.stats.skipped(why);
            return Ok(Vec::new());
        }
    };
    let mut decoder = StreamDecoder::new(encoding);
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK + raw.len() * 2);
    let mut state = State::default();
    let mut findings = Vec::new();
    let mut bytes = head.len() as u64;
    decoder.feed(&head, &mut pending);
    drop(head);
    loop {
        while pending.len() >= CHUNK {
            let cut = cut_point(&pending);
            findings.extend(state.scan(ctx, path, &pending[..cut]));
            pending.drain(..cut);
        }
        let n = match input.read(&mut raw) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        bytes += n as u64;
        decoder.feed(&raw[..n], &mut pending);
    }
    decoder.finish(&mut pending);
    if !pending.is_empty() {
        findings.extend(state.scan(ctx, path, &pending));
    }
    ctx.stats.files_scanned.fetch_add(1, Relaxed);
    ctx.stats.bytes_scanned.fetch_add(bytes, Relaxed);
    Ok(findings)
}

/// Scans a binary stream (its first bytes `head` already read) as its printable runs
/// ([`crate::strings`]), a chunk of up to [`CHUNK`] bytes of runs at a time; a run cut between two
/// reads carries over. Counts it as one scanned input, read as strings.
fn scan_binary(
    ctx: &ScanContext<'_>,
    path: &str,
    head: Vec<u8>,
    mut input: impl Read,
) -> std::io::Result<Vec<Finding>> {
    let mut runs = Extractor::new();
    let mut findings = Vec::new();
    let mut bytes = head.len() as u64;
    runs.feed(&head);
    drop(head);
    let mut raw = vec![0u8; 1 << 16];
    loop {
        if runs.pending() >= CHUNK {
            findings.extend(ctx.scan_strings(path, &runs.take()));
        }
        let n = match input.read(&mut raw) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        bytes += n as u64;
        runs.feed(&raw[..n]);
    }
    runs.finish();
    findings.extend(ctx.scan_strings(path, &runs.take()));
    ctx.stats.files_scanned.fetch_add(1, Relaxed);
    ctx.stats.bytes_scanned.fetch_add(bytes, Relaxed);
    ctx.stats.binary_as_strings.fetch_add(1, Relaxed);
    Ok(findings)
}

/// Where to end the chunk at the front of `pending` (at least [`CHUNK`] bytes long): after
/// the last line end, else at the last word boundary near the end, else at [`CHUNK`].
fn cut_point(pending: &[u8]) -> usize {
    let window = &pending[..CHUNK];
    if let Some(nl) = memchr::memrchr(b'\n', window) {
        return nl + 1;
    }
    let from = CHUNK - WORD_BACKOFF;
    match window[from..].iter().rposition(|&b| !is_word_byte(b)) {
        Some(p) => from + p + 1,
        None => {
            // No boundary: cut on a character boundary.
            let mut at = CHUNK;
            while at > from && (window[at] & 0xC0) == 0x80 {
                at -= 1;
            }
            at
        }
    }
}

/// Where the next chunk starts in the whole stream.
#[derive(Debug, Default)]
struct State {
    /// Complete lines before it.
    lines_before: u32,
    /// Characters of its first line that earlier chunks held (a line cut in the middle).
    column_before: u32,
}

impl State {
    fn scan(&mut self, ctx: &ScanContext<'_>, path: &str, chunk: &[u8]) -> Vec<Finding> {
        let mut found = ctx.scan_decoded(path, chunk);
        for f in &mut found {
            if f.line == 1 {
                f.column += self.column_before;
            }
            f.line += self.lines_before;
        }
        let newlines = memchr::memchr_iter(b'\n', chunk).count() as u32;
        let tail = memchr::memrchr(b'\n', chunk).map_or(chunk, |p| &chunk[p + 1..]);
        let tail_chars = tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32;
        if newlines > 0 {
            self.column_before = tail_chars;
        } else {
            self.column_before += tail_chars;
        }
        self.lines_before += newlines;
        found
    }
}
