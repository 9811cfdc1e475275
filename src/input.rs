//! Turns raw bytes from any source into bytes the matcher can read, or says why it should
//! not: UTF-16 files with a BOM and text in legacy encodings are transcoded; binary content is reported as such
//! ([`SkipReason::Binary`]) and then read as its printable runs by the sources
//! ([`crate::strings`]). Invalid UTF-8 is fine: the matcher works on bytes.

use std::borrow::Cow;

/// How many leading bytes are inspected for NUL to call content binary (as git and ripgrep).
pub const BINARY_PROBE_LEN: usize = 8192;

/// Default `--max-file-size` for git blobs (git hands a blob over whole): 25 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 25 * 1024 * 1024;

/// Why an input was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// Binary content: not text, so read as its printable runs ([`crate::strings`]).
    Binary,
    TooLarge,
    Unreadable,
    Symlink,
    GitLfsPointer,
    Submodule,
    /// A FIFO, socket or device: reading one can block forever or never end.
    SpecialFile,
    /// An archive nested deeper than `--archive-max-depth`.
    ArchiveDepth,
    /// Members past `--archive-max-members` of one archive.
    ArchiveMembers,
    /// A member cut at `--archive-max-member-size` uncompressed bytes.
    ArchiveMemberTooLarge,
    /// An archive cut at `--archive-max-size` uncompressed bytes.
    ArchiveTooLarge,
    /// A member cut because it inflates past `--archive-max-ratio` (a bomb).
    ArchiveRatio,
    /// A corrupt or truncated archive or compressed stream (read up to the damage).
    ArchiveCorrupt,
    /// An encrypted archive member (no password to open it).
    ArchiveEncrypted,
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
            SkipReason::ArchiveDepth => "archive_depth",
            SkipReason::ArchiveMembers => "archive_members",
            SkipReason::ArchiveMemberTooLarge => "archive_member_too_large",
            SkipReason::ArchiveTooLarge => "archive_too_large",
            SkipReason::ArchiveRatio => "archive_ratio",
            SkipReason::ArchiveCorrupt => "archive_corrupt",
            SkipReason::ArchiveEncrypted => "archive_encrypted",
        }
    }
}

/// How a byte stream is text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 or any ASCII-compatible bytes (matched as they are); `bom` bytes to drop.
    Bytes { bom: usize },
    /// UTF-16, little or big endian; `bom` bytes to drop.
    Utf16 { little: bool, bom: usize },
}

/// What the first bytes of an input say it is (`head`: up to [`BINARY_PROBE_LEN`] bytes,
/// fewer only at end of input), or why it should be skipped.
///
/// A UTF-16 byte order mark alone is not enough evidence (a file may start with the bytes
/// FF FE and be anything): the text after it must hold a NUL byte (UTF-16 text nearly
/// always has ASCII characters, newlines and spaces at least, one zero byte each). Without a mark, NUL
/// bytes that sit almost only at odd (LE) or even (BE) offsets are UTF-16, as Windows tools
/// write it; any other NUL means binary, as git and ripgrep decide.
pub fn sniff(head: &[u8]) -> Result<Encoding, SkipReason> {
    let probe = &head[..head.len().min(BINARY_PROBE_LEN)];
    for (bom, little) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        if let Some(rest) = probe.strip_prefix(&bom) {
            // Text after a real mark holds ASCII characters, each with a zero byte; an
            // empty rest is an empty UTF-16 file.
            if rest.is_empty() || memchr::memchr(0, rest).is_some() {
                return Ok(Encoding::Utf16 { little, bom: 2 });
            }
        }
    }
    if memchr::memchr(0, probe).is_none() {
        let bom = if probe.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        return Ok(Encoding::Bytes { bom });
    }
    if probe.len() >= 16 {
        let units = probe.len() / 2;
        let (mut even, mut odd) = (0usize, 0usize);
        for pair in probe.chunks_exact(2) {
            even += usize::from(pair[0] == 0);
            odd += usize::from(pair[1] == 0);
        }
        // Mostly ASCII text: about one zero byte per unit, all on one side.
        if odd * 10 >= units * 3 && even * 50 <= units {
            return Ok(Encoding::Utf16 {
                little: true,
                bom: 0,
            });
        }
        if even * 10 >= units * 3 && odd * 50 <= units {
            return Ok(Encoding::Utf16 {
                little: false,
                bom: 0,
            });
        }
    }
    Err(SkipReason::Binary)
}

/// Decodes a stream fed in pieces to the bytes the matcher reads: UTF-16 to UTF-8 (a unit
/// or surrogate pair cut between pieces is carried over), other bytes as they are; the
/// byte order mark is dropped.
#[derive(Debug)]
pub struct StreamDecoder {
    encoding: Encoding,
    skip: usize,
    carry: Vec<u8>,
}

impl StreamDecoder {
    /// A decoder for `encoding` (from [`sniff`]).
    pub fn new(encoding: Encoding) -> StreamDecoder {
        let skip = match encoding {
            Encoding::Bytes { bom } | Encoding::Utf16 { bom, .. } => bom,
        };
        StreamDecoder {
            encoding,
            skip,
            carry: Vec::new(),
        }
    }

    /// Appends the decoded form of `raw` to `out`.
    pub fn feed(&mut self, mut raw: &[u8], out: &mut Vec<u8>) {
        let drop = self.skip.min(raw.len());
        self.skip -= drop;
        raw = &raw[drop..];
        let Encoding::Utf16 { little, .. } = self.encoding else {
            out.extend_from_slice(raw);
            return;
        };
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(raw);
        let unit = |c: &[u8]| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        };
        let mut whole = bytes.len() / 2 * 2;
        // Keep a trailing high surrogate for its pair in the next piece.
        if whole >= 2 && (0xD800..0xDC00).contains(&unit(&bytes[whole - 2..whole])) {
            whole -= 2;
        }
        let units = bytes[..whole].chunks_exact(2).map(unit);
        let mut tmp = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
        self.carry = bytes[whole..].to_vec();
    }

    /// Flushes what is left at end of input (an odd byte or a lone surrogate).
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if !self.carry.is_empty() {
            self.carry.clear();
            out.extend_from_slice("\u{FFFD}".as_bytes());
        }
    }
}

/// Bytes ready for matching, or the reason to skip them.
pub fn prepare(bytes: &[u8]) -> Result<Cow<'_, [u8]>, SkipReason> {
    match sniff(bytes)? {
        Encoding::Bytes { bom } => {
            let text = &bytes[bom..];
            Ok(match legacy_encoding(text) {
                Some(legacy) => Cow::Owned(
                    (legacy.decode_without_bom_handling(text).0)
                        .into_owned()
                        .into_bytes(),
                ),
                None => Cow::Borrowed(text),
            })
        }
        encoding => {
            let mut out = Vec::with_capacity(bytes.len());
            let mut d = StreamDecoder::new(encoding);
            d.feed(bytes, &mut out);
            d.finish(&mut out);
            Ok(Cow::Owned(out))
        }
    }
}

/// The legacy encoding text that is not UTF-8 is written in (Windows-1251 or -1252,
/// Shift_JIS, EUC-KR, GBK, …, or 7-bit ISO-2022-JP, which is valid UTF-8 byte by byte), as
/// chardetng guesses it from the first [`LEGACY_PROBE_LEN`] bytes; `None` for UTF-8 (the
/// common case: one validation pass), and where the guess is UTF-8, scored no better than
/// another candidate, or would not keep the text's lines (an encoding that is not
/// ASCII-compatible). A value's ASCII bytes are the
/// same in every such encoding; the words around it (`Токен веб-сервиса:`, `Schlüssel=`,
/// `トークン：`) become readable.
fn legacy_encoding(text: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    // ISO-2022-JP switches character sets with escape sequences (ESC `$B`, ESC `(B`), the
    // first within the first lines of Japanese text (a mail's subject or first paragraph).
    let head = &text[..text.len().min(ESCAPE_PROBE_LEN)];
    let escapes = || memchr::memchr_iter(0x1b, head).any(|at| head.get(at + 1) == Some(&b'$'));
    if simdutf8::basic::from_utf8(text).is_ok() && !escapes() {
        return None;
    }
    let probe = &text[..text.len().min(LEGACY_PROBE_LEN)];
    // UTF-8 with damage (more characters of several bytes than bytes that are none) stays
    // UTF-8: read as a legacy encoding, its words would be garbled.
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in probe.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if multibyte >= invalid && invalid > 0 {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(probe, probe.len() == text.len());
    // Only a guess that scored above another candidate: a few stray bytes (a binary
    // fragment, a cut character) say nothing of a language, and stay bytes.
    let (guess, assessed) = detector.guess_assess(None, true);
    let keeps_lines = guess.is_ascii_compatible() || guess == encoding_rs::ISO_2022_JP;
    (assessed && guess != encoding_rs::UTF_8 && keeps_lines).then_some(guess)
}

/// How many leading bytes of a non-UTF-8 text [`legacy_encoding`] reads to guess its
/// encoding.
const LEGACY_PROBE_LEN: usize = 64 << 10;

/// How many leading bytes of a UTF-8 text [`legacy_encoding`] reads for ISO-2022-JP's
/// escape sequences.
const ESCAPE_PROBE_LEN: usize = 16 << 10;

/// Whether a blob is a Git LFS pointer (its content lives elsewhere and is not fetched).
pub fn is_lfs_pointer(bytes: &[u8]) -> bool {
    bytes.len() < 1024 && bytes.starts_with(b"version https://git-lfs.github.com/spec/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text in a legacy encoding is read as UTF-8, its lines kept; UTF-8 and ASCII are
    /// left as they are.
    #[test]
    fn legacy_encodings_are_read_as_utf8() {
        let samples = [
            (
                encoding_rs::WINDOWS_1251,
                "Токен веб-сервиса для интеграции с расписанием:\nзначение\n",
            ),
            (
                encoding_rs::WINDOWS_1252,
                "[Moodle]\nSchlüssel=Wert für die Notenübertragung\nÄnderung\n",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "本番のウェブサービス・トークン：\n値はこちらです。設定してください。\n",
            ),
            (
                encoding_rs::ISO_2022_JP,
                "成績連携用のウェブサービス・トークンを送ります。\n値\n",
            ),
        ];
        for (encoding, text) in samples {
            let (bytes, _, lossy) = encoding.encode(text);
            assert!(!lossy, "{}", encoding.name());
            assert_eq!(
                &*prepare(&bytes).unwrap(),
                text.as_bytes(),
                "{}",
                encoding.name()
            );
        }
        for text in ["wstoken=abc\n", "Токен: abc\n"] {
            assert!(matches!(
                prepare(text.as_bytes()).unwrap(),
                Cow::Borrowed(_)
            ));
        }
    }

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
    fn utf16_needs_more_evidence_than_two_bytes() {
        // FF FE followed by UTF-8 text without NUL: not UTF-16 (the two bytes are read as
        // whatever legacy encoding they suit; the text after them is the same).
        let fake = b"\xFF\xFEwstoken=abc\n";
        assert!(prepare(fake).unwrap().ends_with(b"wstoken=abc\n"));
        // UTF-16LE without a BOM is text, not binary.
        let mut le = Vec::new();
        "MOODLE_TOKEN=abc\nmore text here\n"
            .encode_utf16()
            .for_each(|u| le.extend_from_slice(&u.to_le_bytes()));
        assert_eq!(
            &*prepare(&le).unwrap(),
            b"MOODLE_TOKEN=abc\nmore text here\n"
        );
    }

    #[test]
    fn the_stream_decoder_carries_cut_units_and_surrogates() {
        let text = "a\u{1F600}b\u{e9}c\n";
        let mut raw = vec![0xFF, 0xFE];
        text.encode_utf16()
            .for_each(|u| raw.extend_from_slice(&u.to_le_bytes()));
        for cut in 0..raw.len() {
            let mut d = StreamDecoder::new(sniff(&raw).unwrap());
            let mut out = Vec::new();
            d.feed(&raw[..cut], &mut out);
            d.feed(&raw[cut..], &mut out);
            d.finish(&mut out);
            assert_eq!(out, text.as_bytes(), "cut at {cut}");
        }
    }

    /// NUL makes binary; UTF-8 text with a few damaged bytes (a cut character, a stray
    /// byte) is kept as its bytes, not read as a legacy encoding.
    #[test]
    fn nul_means_binary_and_damaged_utf8_is_kept() {
        assert_eq!(prepare(b"abc\0def"), Err(SkipReason::Binary));
        let damaged = "Токен веб-сервиса: abc\n"
            .bytes()
            .chain([0xff, b'\n'])
            .collect::<Vec<u8>>();
        assert_eq!(&*prepare(&damaged).unwrap(), &damaged[..]);
    }
}
