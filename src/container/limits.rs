//! Limits that hold against hostile archives (zip bombs, 42.zip-style nesting, endless
//! streams): the flags that set them, and the readers that enforce them by counting the
//! bytes actually decoded. Sizes written in headers are never trusted.

use crate::input::SkipReason;
use clap::Args;
use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};

/// The archive flags every scanning command shares (flattened into its options).
#[derive(Debug, Args, Clone)]
pub struct ArchiveArgs {
    /// Do not open compressed files and archives: read them as binary (printable runs only).
    #[arg(long, help_heading = "Archives")]
    pub no_archives: bool,
    /// Deepest nesting opened: 1 opens a file's members, 2 the members of those, and so on.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.depth, help_heading = "Archives")]
    pub archive_max_depth: u32,
    /// Most members read from one archive, nested members included.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.members, help_heading = "Archives")]
    pub archive_max_members: u64,
    /// Most uncompressed bytes read from one member; the rest is skipped and counted.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.member_bytes, value_parser = crate::cli::parse_bytes, help_heading = "Archives")]
    pub archive_max_member_size: u64,
    /// Most uncompressed bytes read from one archive, all nesting levels together.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.archive_bytes, value_parser = crate::cli::parse_bytes, help_heading = "Archives")]
    pub archive_max_size: u64,
    /// Most uncompressed bytes per compressed byte of a member (checked past 1 MiB).
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.ratio, help_heading = "Archives")]
    pub archive_max_ratio: u64,
}

impl ArchiveArgs {
    /// The limits asked for, or `None` with `--no-archives`.
    pub fn limits(&self) -> Option<Limits> {
        (!self.no_archives).then_some(Limits {
            depth: self.archive_max_depth,
            members: self.archive_max_members,
            member_bytes: self.archive_max_member_size,
            archive_bytes: self.archive_max_size,
            ratio: self.archive_max_ratio.max(1),
        })
    }
}

/// What one outermost archive may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest member level opened (the outer file's members are level 1).
    pub depth: u32,
    /// Members read from one outermost archive, all levels together.
    pub members: u64,
    /// Uncompressed bytes read from one member.
    pub member_bytes: u64,
    /// Uncompressed bytes decoded for one outermost archive, all levels together.
    pub archive_bytes: u64,
    /// Uncompressed bytes per compressed byte of one member.
    pub ratio: u64,
}

impl Limits {
    /// The defaults: 5 levels (as TruffleHog and Kingfisher), 100 000 members (a large
    /// project zip), 1 GiB per member (a large database dump), 4 GiB per archive, and a
    /// ratio of 250 (text rarely compresses past 20:1, repetitive logs past 100:1;
    /// deflate bombs reach 1032:1 and bzip2 bombs far more).
    pub const DEFAULT: Limits = Limits {
        depth: 5,
        members: 100_000,
        member_bytes: 1 << 30,
        archive_bytes: 4 << 30,
        ratio: 250,
    };
}

/// Uncompressed bytes a member may produce before its ratio is checked: small files of one
/// repeated byte compress past any ratio and are harmless.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// Counts the bytes read (the compressed side of a decoder) into a shared counter; seeks
/// pass through (a zip archive seeks to each member).
pub struct Counting<'c, R> {
    /// The compressed input.
    pub inner: R,
    /// Bytes read from it so far, shared with the [`Limited`] readers that check ratios.
    pub count: &'c Cell<u64>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<'_, R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Why a member was not read to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A limit was reached (the reason to count).
    Limit(SkipReason),
    /// The decoder failed: corrupt or truncated data (the message).
    Corrupt(String),
}

/// Shared counters of one outermost archive.
#[derive(Debug, Default)]
pub struct Budget {
    /// Uncompressed bytes decoded so far, all levels.
    pub bytes: Cell<u64>,
    /// Members opened so far, all levels.
    pub members: Cell<u64>,
    /// Set once the archive-wide byte limit is hit: nothing more is read from it.
    pub exhausted: Cell<bool>,
    /// The id of the reader cut short first (a limit or a decoder error), until it is
    /// reported: a nested decoder's "unexpected end" is then that cut's echo, not news.
    pub cut: Cell<Option<u32>>,
}

/// The decoded bytes of one member, counted: past a limit it ends early (end of file, so
/// the scan keeps what it found so far) and says why in [`Limited::stop`]; a decoder error
/// ends it the same way. Overshoot is one read (at most the caller's buffer).
pub struct Limited<'b, R> {
    inner: R,
    limits: Limits,
    budget: &'b Budget,
    /// The compressed-side counter and its value when the member started, for the ratio.
    compressed: Option<(&'b Cell<u64>, u64)>,
    out: u64,
    id: u32,
    /// Why the member ended early, if it did (taken and reported by the reader's owner).
    pub stop: Option<Stop>,
}

impl<'b, R: Read> Limited<'b, R> {
    /// Wraps a member's decoded bytes. `compressed` is the counter of the compressed bytes
    /// read for it and its value where the member starts (none for a tar member, stored as
    /// it is). The start is the caller's: a decoder may read ahead before this is made.
    pub fn new(
        inner: R,
        limits: Limits,
        budget: &'b Budget,
        compressed: Option<(&'b Cell<u64>, u64)>,
        id: u32,
    ) -> Self {
        Limited {
            inner,
            limits,
            budget,
            compressed,
            out: 0,
            id,
            stop: None,
        }
    }

    /// This reader's id (see [`Budget::cut`]).
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Lifts the per-member byte limit: the stream turned out to be a tar whose members
    /// are limited one by one (the archive-wide limit and the ratio still hold).
    pub fn lift_member_limit(&mut self) {
        self.limits.member_bytes = u64::MAX;
    }

    fn cut(&mut self, stop: Stop) {
        self.stop = Some(stop);
        if self.budget.cut.get().is_none() {
            self.budget.cut.set(Some(self.id));
        }
    }

    /// Uncompressed bytes read so far.
    pub fn decoded(&self) -> u64 {
        self.out
    }

    fn check(&mut self) {
        let reason = if self.budget.bytes.get() > self.limits.archive_bytes {
            self.budget.exhausted.set(true);
            Some(SkipReason::ArchiveTooLarge)
        } else if self.out > self.limits.member_bytes {
            Some(SkipReason::ArchiveMemberTooLarge)
        } else if let Some((counter, start)) = self.compressed {
            let packed = counter.get().saturating_sub(start).max(1);
            (self.out > RATIO_FLOOR && self.out / packed >= self.limits.ratio)
                .then_some(SkipReason::ArchiveRatio)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.cut(Stop::Limit(reason));
        }
    }
}

impl<R: Read> Read for Limited<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() || self.budget.exhausted.get() {
            return Ok(0);
        }
        loop {
            match self.inner.read(buf) {
                Ok(n) => {
                    self.out += n as u64;
                    self.budget.bytes.set(self.budget.bytes.get() + n as u64);
                    self.check();
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.cut(Stop::Corrupt(one_line(&e.to_string())));
                    return Ok(0);
                }
            }
        }
    }
}

/// Decoder messages on one line.
pub fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            member_bytes: 100,
            ..Limits::DEFAULT
        }
    }

    #[test]
    fn a_member_ends_past_its_limit_whatever_its_header_says() {
        let budget = Budget::default();
        let data = vec![b'a'; 10_000];
        let mut r = Limited::new(&data[..], limits(), &budget, None, 1);
        let mut out = Vec::new();
        let mut buf = [0u8; 64];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert!(out.len() <= 100 + 64, "{}", out.len());
        assert_eq!(r.stop, Some(Stop::Limit(SkipReason::ArchiveMemberTooLarge)));
        assert_eq!(budget.cut.get(), Some(1));
    }

    #[test]
    fn the_ratio_is_checked_past_the_floor() {
        let budget = Budget::default();
        let packed = Cell::new(0u64);
        let data = vec![0u8; 3 << 20];
        // One compressed byte claimed for megabytes out: a bomb.
        packed.set(1);
        let mut r = Limited::new(&data[..], Limits::DEFAULT, &budget, Some((&packed, 1)), 1);
        packed.set(2);
        let n = std::io::copy(&mut r, &mut std::io::sink()).unwrap();
        assert!(n < (2 << 20), "{n}");
        assert_eq!(r.stop, Some(Stop::Limit(SkipReason::ArchiveRatio)));
    }

    #[test]
    fn decoder_errors_end_the_member_and_are_kept() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "truncated\nstream",
                ))
            }
        }
        let budget = Budget::default();
        let mut r = Limited::new(Broken, Limits::DEFAULT, &budget, None, 1);
        assert_eq!(r.read(&mut [0u8; 8]).unwrap(), 0);
        assert_eq!(r.stop, Some(Stop::Corrupt("truncated stream".into())));
    }
}
