//! Turns raw bytes from any source into bytes the matcher can read, or says why it should
//! not: UTF-16 files with a BOM are transcoded, binary content and oversized input are
//! skipped. Invalid UTF-8 is fine: the matcher works on bytes.

use std::borrow::Cow;

/// How many leading bytes are inspected for NUL to call content binary (as git and ripgrep).
pub const BINARY_PROBE_LEN: usize = 8192;

/// Default `--max-file-size`: 25 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 25 * 1024 * 1024;

/// Why an input was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    Binary,
    TooLarge,
    Unreadable,
    Symlink,
    GitLfsPointer,
    Submodule,
    /// A FIFO, socket or device: reading one can block forever or never end.
    SpecialFile,
}

impl SkipReason {
    /// Name used in summaries and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too_large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Symlink => "symlink",
            SkipReason::GitLfsPointer => "git_lfs_pointer",
            SkipReason::Submodule => "submodule",
            SkipReason::SpecialFile => "special_file",
        }
    }
}

/// Bytes ready for matching, or the reason to skip them.
pub fn prepare(bytes: &[u8]) -> Result<Cow<'_, [u8]>, SkipReason> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(Cow::Owned(utf16_to_utf8(rest, u16::from_le_bytes)));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(Cow::Owned(utf16_to_utf8(rest, u16::from_be_bytes)));
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE_LEN)];
    if memchr::memchr(0, probe).is_some() {
        return Err(SkipReason::Binary);
    }
    Ok(Cow::Borrowed(
        bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes),
    ))
}

fn utf16_to_utf8(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

/// Whether a blob is a Git LFS pointer (its content lives elsewhere and is not fetched).
pub fn is_lfs_pointer(bytes: &[u8]) -> bool {
    bytes.len() < 1024 && bytes.starts_with(b"version https://git-lfs.github.com/spec/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom_is_transcoded() {
        let text = "wstoken=abc";
        let mut le = vec![0xFF, 0xFE];
        text.encode_utf16()
            .for_each(|u| le.extend_from_slice(&u.to_le_bytes()));
        assert_eq!(&*prepare(&le).unwrap(), text.as_bytes());
        let mut be = vec![0xFE, 0xFF];
        text.encode_utf16()
            .for_each(|u| be.extend_from_slice(&u.to_be_bytes()));
        assert_eq!(&*prepare(&be).unwrap(), text.as_bytes());
    }

    #[test]
    fn nul_means_binary_and_invalid_utf8_is_kept() {
        assert_eq!(prepare(b"abc\0def"), Err(SkipReason::Binary));
        assert_eq!(&*prepare(b"a\xff\xfeb").unwrap(), b"a\xff\xfeb");
    }
}
