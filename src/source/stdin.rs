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
pub fn scan_reader(ctx: &ScanContext<'_>, input: impl Read) -> Result<Vec<Finding>> {
    super::chunked::scan_reader(ctx, STDIN_PATH, input)
        .context("<stdin>: cannot read standard input")
}
