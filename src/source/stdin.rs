//! Standard input as a source: a CI log or a diff piped into `moodleleaks scan -`.

use super::ScanContext;
use crate::finding::Finding;
use anyhow::{Context, Result};
use std::io::Read;

/// The path findings from standard input are reported under.
pub const STDIN_PATH: &str = "<stdin>";

/// Reads all of standard input and scans it as one buffer.
pub fn scan(ctx: &ScanContext<'_>) -> Result<Vec<Finding>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut buf)
        .context("<stdin>: cannot read standard input")?;
    Ok(ctx.scan_bytes(STDIN_PATH, &buf))
}
