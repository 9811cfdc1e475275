//! Streams scanned in bounded, line-aligned chunks: standard input and files larger than one
//! chunk. Memory is bounded by the chunk, not the input: a 2 GB file or an endless pipe is
//! scanned in the same few tens of megabytes.
//!
//! The encoding is decided once from the first bytes ([`input::sniff`]) and decoded across
//! chunk boundaries ([`input::StreamDecoder`]), so UTF-16 is read to the end. A chunk ends
//! after its last complete line; a line longer than a chunk is cut between two words (where
//! it can be) and carries on in the next chunk, with line numbers and columns continued.
//! A rule's context (Moodle words for generic keys) and the site are looked for in the same
//! chunk, read across its seams: each chunk after the first is read after the last lines of
//! the one before ([`LEAD_LINES`], at most [`LEAD_BYTES`]) and after the first of the
//! stream's first lines that has a table header's shape, and before the first lines of the
//! one after, so that
//! a name just across a seam (a password manager entry's title below its password) and a
//! CSV header rows away still name their values. Findings that start in the lines read
//! across a seam belong to the other chunk and are dropped there.
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

/// How many of a chunk's last lines lead into the next chunk.
const LEAD_LINES: usize = 64;

/// At most how many bytes of a chunk's last lines lead into the next chunk.
const LEAD_BYTES: usize = 16 << 10;

/// The longest line of a stream kept as a possible table header.
const HEADER_MAX: usize = 1024;

/// How many of a stream's first lines are looked at for a table header.
const HEADER_LINES: usize = 8;

/// Whether `line` has a table header's shape: two tabs, commas or semicolons, or, past its
/// indentation, two gaps of two blanks or more (a blank-aligned table). The table readers
/// decide whether it is one.
fn has_header_shape(line: &[u8]) -> bool {
    if [b'\t', b',', b';']
        .iter()
        .any(|&d| memchr::memchr_iter(d, line).count() >= 2)
    {
        return true;
    }
    let text = line.trim_ascii();
    text.windows(3)
        .filter(|w| w[0] != b' ' && w[1] == b' ' && w[2] == b' ')
        .count()
        >= 2
}

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
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK + LEAD_BYTES + raw.len() * 2);
    let mut state = State::default();
    let mut findings = Vec::new();
    let mut bytes = head.len() as u64;
    decoder.feed(&head, &mut pending);
    drop(head);
    // A chunk is cut once the lines that follow it are read too (up to LEAD_BYTES), or at
    // the end of the stream.
    let mut cut_chunks = |pending: &mut Vec<u8>, state: &mut State, wanted: usize| {
        while pending.len() >= wanted {
            let cut = cut_point(pending);
            let trail = cut + first_lines(&pending[cut..], pending[cut - 1] == b'\n');
            findings.extend(state.scan(ctx, path, &pending[..cut], &pending[cut..trail]));
            pending.drain(..cut);
        }
    };
    loop {
        cut_chunks(&mut pending, &mut state, CHUNK + LEAD_BYTES);
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
    cut_chunks(&mut pending, &mut state, CHUNK);
    if !pending.is_empty() {
        findings.extend(state.scan(ctx, path, &pending, &[]));
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

/// Where the next chunk starts in the whole stream, and what leads into it.
#[derive(Debug, Default)]
struct State {
    /// Complete lines before it.
    lines_before: u32,
    /// Characters of its first line that earlier chunks held (a line cut in the middle).
    column_before: u32,
    /// Whether a chunk was scanned already.
    started: bool,
    /// The first of the stream's first [`HEADER_LINES`] lines that has a table header's
    /// shape ([`has_header_shape`]), with its line break.
    header: Vec<u8>,
    /// The last whole lines of the chunk before, with their line breaks (empty when it
    /// ended inside a line).
    tail: Vec<u8>,
}

impl State {
    /// Scans `chunk`, read after what leads into it and before `next` (the first whole lines
    /// of the chunk after it, if any).
    fn scan(
        &mut self,
        ctx: &ScanContext<'_>,
        path: &str,
        chunk: &[u8],
        next: &[u8],
    ) -> Vec<Finding> {
        let newlines = memchr::memchr_iter(b'\n', chunk).count() as u32;
        let mut found = if self.header.is_empty() && self.tail.is_empty() && next.is_empty() {
            ctx.scan_decoded(path, chunk)
        } else {
            let lead_len = self.header.len() + self.tail.len();
            let mut buf = Vec::with_capacity(lead_len + chunk.len() + next.len());
            buf.extend_from_slice(&self.header);
            buf.extend_from_slice(&self.tail);
            let lead = memchr::memchr_iter(b'\n', &buf).count() as u32;
            buf.extend_from_slice(chunk);
            buf.extend_from_slice(next);
            // The chunk's lines are the buffer's lines lead+1 ..= lead+newlines, and its last
            // line too when it ends inside a line (then `next` is empty).
            let last = lead + newlines + u32::from(!chunk.ends_with(b"\n"));
            let mut found = ctx.scan_decoded_lines(path, &buf, lead + 1..=last);
            for f in &mut found {
                f.line -= lead;
            }
            found
        };
        for f in &mut found {
            if f.line == 1 {
                f.column += self.column_before;
            }
            f.line += self.lines_before;
        }
        if !self.started {
            self.started = true;
            // A report's title or a page's breadcrumb may stand above the header.
            let header = chunk
                .split_inclusive(|&b| b == b'\n')
                .take(HEADER_LINES)
                .find(|line| has_header_shape(line));
            if let Some(line) = header.filter(|l| l.len() <= HEADER_MAX && l.ends_with(b"\n")) {
                self.header = line.to_vec();
            }
        }
        let tail = memchr::memrchr(b'\n', chunk).map_or(chunk, |p| &chunk[p + 1..]);
        let tail_chars = tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32;
        if newlines > 0 {
            self.column_before = tail_chars;
        } else {
            self.column_before += tail_chars;
        }
        self.lines_before += newlines;
        self.tail = if tail.is_empty() {
            lead_lines(chunk)
        } else {
            Vec::new()
        };
        found
    }
}

/// The length of the first [`LEAD_LINES`] whole lines of `rest` (the stream after a chunk),
/// at most [`LEAD_BYTES`] of them; none when the chunk did not end at a line break
/// (`at_line_start` false: its last line goes on in `rest`).
fn first_lines(rest: &[u8], at_line_start: bool) -> usize {
    if !at_line_start {
        return 0;
    }
    let mut end = 0;
    for _ in 0..LEAD_LINES {
        match memchr::memchr(b'\n', &rest[end..]) {
            Some(nl) if end + nl < LEAD_BYTES => end += nl + 1,
            _ => break,
        }
    }
    end
}

/// The last [`LEAD_LINES`] whole lines of `chunk` (which ends with a line break), at most
/// [`LEAD_BYTES`] of them: whole lines only, so the lead-in's lines are the stream's own.
fn lead_lines(chunk: &[u8]) -> Vec<u8> {
    let floor = chunk.len().saturating_sub(LEAD_BYTES);
    let mut start = chunk.len();
    for _ in 0..LEAD_LINES {
        match memchr::memrchr(b'\n', &chunk[..start.saturating_sub(1)]) {
            Some(nl) if nl + 1 >= floor => start = nl + 1,
            Some(_) => break,
            None => {
                if floor == 0 {
                    start = 0;
                }
                break;
            }
        }
    }
    chunk[start..].to_vec()
}
