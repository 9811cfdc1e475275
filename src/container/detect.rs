//! Which container a stream is, from its first bytes (never from its name), and what the
//! single member of a compressed file is called.

/// A container format moodleleaks opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// gzip (RFC 1952): `.gz`, `.tgz`, Moodle course backups (`.mbz`).
    Gzip,
    /// bzip2: `.bz2`.
    Bzip2,
    /// xz (the .xz container of LZMA2): `.xz`, `.txz`.
    Xz,
    /// Zstandard (RFC 8878): `.zst`.
    Zstd,
    /// ZIP and its family: `.zip`, `.jar`, `.docx`, `.xlsx`, `.apk`, old `.mbz`.
    Zip,
    /// POSIX/GNU tar (ustar), and old v7 tar headers.
    Tar,
}

impl Kind {
    /// The name used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gzip => "gzip",
            Kind::Bzip2 => "bzip2",
            Kind::Xz => "xz",
            Kind::Zstd => "zstd",
            Kind::Zip => "zip",
            Kind::Tar => "tar",
        }
    }
}

/// Bytes a caller should have read before calling [`detect`] on a stream that is longer:
/// the tar magic sits at offset 257 and a tar header is 512 bytes.
pub const MAGIC_LEN: usize = 512;

/// The container `head` (the first bytes of a stream, at least [`MAGIC_LEN`] unless the
/// stream is shorter) starts, if any. A few byte comparisons: this is the whole cost of
/// the archive stage for a file that is not a container.
///
/// Magic numbers: gzip `1F 8B 08` (RFC 1952 §2.3.1, deflate is the only method);
/// bzip2 `BZh1`–`BZh9` then the block magic (π) or the end-of-stream magic (√π), so text
/// starting with "BZh1" is not taken; xz `FD 37 7A 58 5A 00` (xz file format §2.1.1.1);
/// zstd frame `28 B5 2F FD` (RFC 8878 §3.1.1), perhaps after a skippable frame (§3.1.2,
/// `5? 2A 4D 18`, its length, its bytes); zip local header `PK 03 04` or, for an
/// empty archive, end of central directory `PK 05 06` (APPNOTE 4.3.7, 4.3.16); tar
/// `ustar` at 257 (POSIX ustar), or a v7 header whose checksum adds up.
pub fn detect(head: &[u8]) -> Option<Kind> {
    if head.len() < 4 {
        return None;
    }
    match head {
        [0x1F, 0x8B, 0x08, ..] => return Some(Kind::Gzip),
        [0xFD, b'7', b'z', b'X', b'Z', 0x00, ..] => return Some(Kind::Xz),
        [0x28, 0xB5, 0x2F, 0xFD, ..] => return Some(Kind::Zstd),
        // A skippable frame (`pzstd` opens with one, RFC 8878 §3.1.2) before a zstd frame.
        [0x50..=0x5F, 0x2A, 0x4D, 0x18, a, b, c, d, rest @ ..] => {
            let len = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
            if rest.get(len..len.saturating_add(4)) == Some(&[0x28, 0xB5, 0x2F, 0xFD][..]) {
                return Some(Kind::Zstd);
            }
        }
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => return Some(Kind::Zip),
        [b'B', b'Z', b'h', b'1'..=b'9', rest @ ..]
            if rest.starts_with(&[0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
                || rest.starts_with(&[0x17, 0x72, 0x45, 0x38, 0x50, 0x90]) =>
        {
            return Some(Kind::Bzip2)
        }
        _ => {}
    }
    if head.len() >= 512 && (&head[257..262] == b"ustar" || v7_tar_header(&head[..512])) {
        return Some(Kind::Tar);
    }
    None
}

/// Whether a 512-byte block is an old (v7) tar header: a name, a checksum field of octal
/// digits, and the checksum (bytes summed with the field as spaces) matching it.
fn v7_tar_header(block: &[u8]) -> bool {
    let field = &block[148..156];
    // Cheap rejections first: text never has the NUL-padded name and octal field.
    if block[0] == 0 || !field.iter().all(|b| matches!(b, b'0'..=b'7' | b' ' | 0)) {
        return false;
    }
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(b))
        .collect();
    if digits.is_empty() || !block[100..148].contains(&0) {
        return false;
    }
    let Ok(want) = u32::from_str_radix(std::str::from_utf8(&digits).unwrap_or("x"), 8) else {
        return false;
    };
    let sum: u32 = block
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                *b as u32
            }
        })
        .sum();
    sum == want
}

/// The name of the one member of a compressed file named `outer` (its last path segment):
/// the name without its compression suffix (`moodle.sql.gz` → `moodle.sql`, `site.tgz` →
/// `site.tar`), or the name itself when it has no known suffix.
pub fn inner_name(outer: &str) -> String {
    let base = outer.rsplit(['/', '!']).next().unwrap_or(outer);
    let lower = base.to_ascii_lowercase();
    for (suffix, replacement) in [
        (".tgz", ".tar"),
        (".tbz2", ".tar"),
        (".tbz", ".tar"),
        (".txz", ".tar"),
        (".tzst", ".tar"),
        (".gz", ""),
        (".gzip", ""),
        (".bz2", ""),
        (".bz", ""),
        (".xz", ""),
        (".zst", ""),
        (".zstd", ""),
    ] {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            return format!("{}{replacement}", &base[..base.len() - suffix.len()]);
        }
    }
    base.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_not_names() {
        assert_eq!(detect(b"\x1f\x8b\x08\0\0\0"), Some(Kind::Gzip));
        assert_eq!(detect(b"PK\x03\x04rest"), Some(Kind::Zip));
        assert_eq!(detect(b"\xfd7zXZ\0rest"), Some(Kind::Xz));
        assert_eq!(detect(b"\x28\xb5\x2f\xfdrest"), Some(Kind::Zstd));
        assert_eq!(detect(b"BZh91AY&SYrest"), Some(Kind::Bzip2));
        assert_eq!(detect(b"BZh1 is how this text starts"), None);
        assert_eq!(detect(b"PK is a text too"), None);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect(&tar), Some(Kind::Tar));
        assert_eq!(detect(&[b'a'; 600]), None);
    }

    #[test]
    fn v7_tar_headers_need_a_matching_checksum() {
        let mut h = vec![0u8; 512];
        h[..5].copy_from_slice(b"a.txt");
        h[100..107].copy_from_slice(b"0000644");
        h[124..135].copy_from_slice(b"00000000005");
        let sum: u32 = h.iter().map(|b| *b as u32).sum::<u32>() + 8 * 32;
        let field = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(field.as_bytes());
        assert_eq!(detect(&h), Some(Kind::Tar));
        h[0] = b'b';
        assert_eq!(detect(&h), None);
    }

    #[test]
    fn the_member_of_a_compressed_file_loses_the_suffix() {
        assert_eq!(inner_name("backups/moodle.sql.gz"), "moodle.sql");
        assert_eq!(inner_name("a.zip!dump.SQL.GZ"), "dump.SQL");
        assert_eq!(inner_name("site.tgz"), "site.tar");
        assert_eq!(inner_name("x.zst"), "x");
        assert_eq!(inner_name("course.mbz"), "course.mbz");
        assert_eq!(inner_name(".gz"), ".gz");
    }
}
