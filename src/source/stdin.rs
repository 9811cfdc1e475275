//! Standard input as a source: a CI log or a diff piped into `moodleleaks scan -`.
//!
//! Read in bounded, line-aligned chunks ([`super::chunked`]), so an endless or huge stream
//! is scanned in bounded memory; line numbers continue across chunks.

use super::ScanContext;
use crate::finding::Finding;
use anyhow::{Context, Result};
use std::io::Read;

/// The path findings from standard input are reported under.
pub const STDIN_PATH: &str = "<stdin>";

/// Reads all of standard input and scans it chunk by chunk.
pub fn scan(ctx: &ScanContext<'_>) -> Result<Vec<Finding>> {
    scan_reader(ctx, std::io::stdin().lock())
}

/// Scans any reader as if it were standard input.
pub fn scan_reader(ctx: &ScanContext<'_>, mut input: impl Read) -> Result<Vec<Finding>> {
    // The first bytes say whether the stream is a compressed file or an archive.
    let mut head = Vec::with_capacity(crate::container::MAGIC_LEN);
    (&mut input)
        .take(crate::container::MAGIC_LEN as u64)
        .read_to_end(&mut head)
        .context("<stdin>: cannot read standard input")?;
    let mut input = std::io::Cursor::new(head).chain(input);
    if let Some(kind) = crate::container::sniff(ctx, input.get_ref().0.get_ref()) {
        return Ok(crate::container::scan_stream(
            ctx, STDIN_PATH, &mut input, kind,
        ));
    }
    super::chunked::scan_reader(ctx, STDIN_PATH, input)
        .context("<stdin>: cannot read standard input")
}
