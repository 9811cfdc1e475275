//! Compressed files and archives, opened and scanned member by member: gzip, bzip2, xz,
//! zstd, the zip family (jar, docx, xlsx, apk...), tar, tar.gz and Moodle course backups
//! (`.mbz`: a gzip'd tar, or a zip for old ones). Containers are recognised by their magic
//! bytes ([`detect`]), nested up to a depth limit, and every limit ([`Limits`]) holds
//! against hostile input.
//!
//! Sources call this stage below them: files ([`scan_file`]), blobs of history and the
//! index ([`scan_bytes`]) and standard input ([`scan_stream`]). A finding in a member is
//! reported at `outer!member` (`backups/moodle.sql.gz!moodle.sql`, `a.zip!b.tar.gz!c/.env`)
//! with the member chain in [`Finding::member`].

mod detect;
pub mod limits;
mod walk;
mod zstd;

pub use detect::{detect, inner_name, Kind, MAGIC_LEN};
pub use limits::{ArchiveArgs, Limits};

use crate::finding::Finding;
use crate::source::ScanContext;
use std::io::{BufReader, Cursor, Read};
use walk::Job;

/// The container `head` starts, when archives are on for `ctx`.
pub fn sniff(ctx: &ScanContext<'_>, head: &[u8]) -> Option<Kind> {
    ctx.archives?;
    detect(head)
}

/// Scans a container file on disk (read from its start), reported under `path`.
pub fn scan_file(
    ctx: &ScanContext<'_>,
    path: &str,
    file: std::fs::File,
    kind: Kind,
) -> Vec<Finding> {
    let Some(limits) = ctx.archives else {
        return Vec::new();
    };
    let job = Job::new(ctx, limits, path, false);
    job.open_seekable(kind, &mut BufReader::with_capacity(64 << 10, file), "", 0);
    job.into_findings()
}

/// Scans a container held in memory (a git blob), reported under `path`.
pub fn scan_bytes(ctx: &ScanContext<'_>, path: &str, data: &[u8], kind: Kind) -> Vec<Finding> {
    scan_bytes_as(ctx, path, data, kind, false)
}

/// [`scan_bytes`] without a word on stderr: for a second look at a blob (history
/// attribution), whose problems the first look reported.
pub fn scan_bytes_quietly(
    ctx: &ScanContext<'_>,
    path: &str,
    data: &[u8],
    kind: Kind,
) -> Vec<Finding> {
    scan_bytes_as(ctx, path, data, kind, true)
}

fn scan_bytes_as(
    ctx: &ScanContext<'_>,
    path: &str,
    data: &[u8],
    kind: Kind,
    quiet: bool,
) -> Vec<Finding> {
    let Some(limits) = ctx.archives else {
        return Vec::new();
    };
    let job = Job::new(ctx, limits, path, quiet);
    job.open_seekable(kind, &mut Cursor::new(data), "", 0);
    job.into_findings()
}

/// Scans a container read front to back (standard input), reported under `path`. A zip
/// needs random access: it is held in memory up to [`walk::NESTED_ZIP_MAX`] bytes.
pub fn scan_stream(
    ctx: &ScanContext<'_>,
    path: &str,
    input: &mut dyn Read,
    kind: Kind,
) -> Vec<Finding> {
    let Some(limits) = ctx.archives else {
        return Vec::new();
    };
    let job = Job::new(ctx, limits, path, false);
    job.open_stream(kind, input, "", 0);
    job.into_findings()
}
