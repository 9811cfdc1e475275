//! Files on disk: a parallel, .gitignore-aware walk (the `ignore` crate, as ripgrep), one
//! reused read buffer per thread, one pass per file.
//!
//! Hidden files are scanned (secrets love `.env`); `.git/` never is. This is a files-only
//! scan even inside a git work tree: history is `moodleleaks git`.

use super::{chunked, ScanContext};
use crate::finding::Finding;
use crate::input::SkipReason;
use ignore::{WalkBuilder, WalkState};
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Scan files that .gitignore/.ignore would skip.
    pub no_ignore: bool,
    /// Follow symbolic links (broken links and loops are then reported).
    pub follow_symlinks: bool,
    /// Worker threads; 0 picks the number of CPUs.
    pub threads: usize,
}

/// Walks `roots` and scans every file; paths are reported relative to `display_root` when
/// given (the single directory being scanned), else as walked.
pub fn scan(
    ctx: &ScanContext<'_>,
    roots: &[PathBuf],
    display_root: Option<&Path>,
    opts: &WalkOptions,
) -> Vec<Finding> {
    let Some((first, rest)) = roots.split_first() else {
        return Vec::new();
    };
    let mut builder = WalkBuilder::new(first);
    rest.iter().for_each(|r| {
        builder.add(r);
    });
    builder
        .hidden(false)
        .parents(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .require_git(false)
        .follow_links(opts.follow_symlinks)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");

    let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let mut buf: Vec<u8> = Vec::new();
        let found = &found;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) if is_broken_link(&err) => {
                    // A dangling link has no content to scan: a note, not a scan error.
                    ctx.stats.skipped(SkipReason::Symlink);
                    ctx.stats.note(format!("{}; skipped", one_line(&err)));
                    return WalkState::Continue;
                }
                Err(err) => {
                    ctx.stats.error(one_line(&err));
                    if is_unreadable(&err) {
                        ctx.stats.skipped(SkipReason::Unreadable);
                    }
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue; // stdin is handled by its own source
            };
            if ft.is_dir() {
                return WalkState::Continue;
            }
            if ft.is_symlink() {
                // Not following links: the target is outside this walk, or walked anyway.
                ctx.stats.skipped(SkipReason::Symlink);
                return WalkState::Continue;
            }
            let path = entry.path();
            if !ft.is_file() {
                // A FIFO, socket or device: opening a FIFO blocks until a writer comes, and a
                // device can be endless. Never opened; counted, and named when asked for.
                ctx.stats
                    .skipped_file(SkipReason::SpecialFile, &display_path(path, display_root));
                if entry.depth() == 0 {
                    ctx.stats.note(format!(
                        "{}: {}, not a regular file; skipped",
                        path.display(),
                        special_kind(ft)
                    ));
                }
                return WalkState::Continue;
            }
            let shown = display_path(path, display_root);
            if ctx.allowlist.allows_path(&shown) {
                // Not read at all; counted so that the summary says it was suppressed.
                ctx.stats
                    .suppressed_allowlist
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return WalkState::Continue;
            }
            let findings = scan_file(ctx, path, &shown, &mut buf);
            if !findings.is_empty() {
                found.lock().expect("findings lock").extend(findings);
            }
            WalkState::Continue
        })
    });
    found.into_inner().expect("findings lock")
}

fn scan_file(ctx: &ScanContext<'_>, path: &Path, shown: &str, buf: &mut Vec<u8>) -> Vec<Finding> {
    let unreadable = |err: std::io::Error| {
        ctx.stats.error(format!("{}: {err}", path.display()));
        ctx.stats.skipped_file(SkipReason::Unreadable, shown);
        Vec::new()
    };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return unreadable(e),
    };
    let len = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return unreadable(e),
    };
    if ctx.file_limit.is_some_and(|limit| len > limit) {
        ctx.stats.skipped_file(SkipReason::TooLarge, shown);
        return Vec::new();
    }
    buf.clear();
    // Read whole when it fits one chunk (the common case, one read); a larger file, or one
    // that grew meanwhile, is streamed in bounded chunks from where the read stopped.
    let whole = chunked::CHUNK as u64;
    if let Err(e) = (&mut file).take(whole + 1).read_to_end(buf) {
        return unreadable(e);
    }
    let findings = if let Some(kind) = crate::container::sniff(ctx, buf) {
        // An archive or compressed file: opened and scanned member by member.
        if buf.len() as u64 <= whole {
            crate::container::scan_bytes(ctx, shown, buf, kind)
        } else {
            match file.rewind() {
                Ok(()) => crate::container::scan_file(ctx, shown, file, kind),
                Err(e) => return unreadable(e),
            }
        }
    } else if buf.len() as u64 <= whole {
        ctx.scan_content(shown, buf)
    } else {
        let read = std::io::Cursor::new(std::mem::take(buf)).chain(file);
        match chunked::scan_reader(ctx, shown, read) {
            Ok(f) => f,
            Err(e) => return unreadable(e),
        }
    };
    if buf.capacity() > 4 << 20 {
        // Do not keep one large file's buffer alive for the rest of the walk.
        *buf = Vec::new();
    }
    findings
}

/// The path as reported: relative to the scanned directory, with `./` dropped, `/` as the
/// separator on every platform (SARIF and baselines need stable paths).
pub fn display_path(path: &Path, root: Option<&Path>) -> String {
    let rel = root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// What sort of special file `ft` is, for the note about a path given explicitly.
fn special_kind(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    let _ = ft;
    "a special file"
}

/// Whether the walk error is a symbolic link whose target does not exist.
fn is_broken_link(err: &ignore::Error) -> bool {
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path, err } => {
                let dangling = std::fs::symlink_metadata(path)
                    .is_ok_and(|m| m.file_type().is_symlink())
                    && std::fs::metadata(path).is_err();
                if dangling {
                    return true;
                }
                e = err.as_ref();
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err.as_ref()
            }
            _ => return false,
        }
    }
}

fn is_unreadable(err: &ignore::Error) -> bool {
    err.io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

/// ignore's errors can nest (a path and a cause); print them on one line.
fn one_line(err: &ignore::Error) -> String {
    err.to_string().replace('\n', " ")
}
