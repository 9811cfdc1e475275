//! Binary content read as `strings` reads it: the printable runs of a binary input (a SQLite
//! database, a `.class`, a `.pyc`, an image's metadata) become text the matcher scans, and
//! every byte of that text maps back to its byte offset in the input.
//!
//! Two kinds of runs are found, as GNU `strings -n 8` (`-e s`) and `strings -n 8 -e l` find
//! them: ASCII/UTF-8 runs (printable ASCII, tab and valid UTF-8 sequences) and UTF-16LE runs
//! (printable ASCII code units, at either byte parity: Windows and .NET strings). Runs are
//! joined by a newline in the order of their offsets, so a key and its value in adjacent
//! runs stay near each other (the keyed rules bind them), while a run boundary never glues a
//! value to a neighbouring word. A run holds no line break, so the text's line `n` is run
//! `n` ([`Strings::offset_of`]).
//!
//! The [`Extractor`] is fed a stream piece by piece (files are read in 8 MiB chunks): a run
//! cut between two pieces carries over; memory is bounded by the piece plus
//! [`MAX_RUN`] per run in progress.

/// Shortest run kept, in characters (`strings -n 8`): shorter runs in binary data are noise,
/// and every Moodle credential is longer.
pub const MIN_RUN: usize = 8;

/// Longest run kept whole, in bytes of text; a longer run is cut there and carries on as a
/// new run, so one endless printable stretch cannot grow memory.
pub const MAX_RUN: usize = 1 << 20;

/// One run in the text: where its text starts and where its first byte is in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Byte position of the run's first byte in [`Strings::text`].
    pub text_start: usize,
    /// Byte offset of the run's first character in the input.
    pub offset: u64,
    /// UTF-16LE (2 input bytes per character, ASCII only) rather than ASCII/UTF-8 (1:1).
    pub wide: bool,
}

/// The runs of (a piece of) a binary input, joined by newlines.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Strings {
    /// The runs, each ended by `\n`.
    pub text: Vec<u8>,
    /// The runs, in text order (which is input order).
    pub runs: Vec<Run>,
}

impl Strings {
    /// The byte offset in the input of the character at 1-based `line` and `column` (in
    /// characters, as findings count them) of [`Strings::text`]; `None` past the runs.
    pub fn offset_of(&self, line: u32, column: u32) -> Option<u64> {
        let run = self.runs.get((line as usize).checked_sub(1)?)?;
        let text = &self.text[run.text_start..];
        let skip = column.saturating_sub(1) as usize;
        // Byte index of the `skip`-th character of the run.
        let idx = text
            .iter()
            .enumerate()
            .filter(|(_, &b)| (b & 0xC0) != 0x80)
            .nth(skip)
            .map_or(skip, |(i, _)| i);
        Some(run.offset + if run.wide { 2 * idx as u64 } else { idx as u64 })
    }
}

/// A run being read.
#[derive(Debug, Default)]
struct Partial {
    offset: u64,
    text: Vec<u8>,
    /// Characters in `text` (UTF-8 sequences count once).
    chars: usize,
}

/// Reads printable runs from a stream fed in pieces.
#[derive(Debug, Default)]
pub struct Extractor {
    /// The ASCII/UTF-8 run in progress.
    narrow: Partial,
    /// A UTF-8 sequence in progress: its bytes and how many continuation bytes are missing.
    seq: Vec<u8>,
    seq_need: u8,
    /// The UTF-16LE runs in progress, by the parity of their first byte's offset.
    wide: [Partial; 2],
    /// The previous input byte (the low half of a UTF-16LE unit) and its offset.
    prev: Option<u8>,
    /// Offset of the next byte fed.
    at: u64,
    /// Runs completed and not yet taken: (offset, wide, text).
    done: Vec<(u64, bool, Vec<u8>)>,
}

/// Bytes that end any narrow run and any UTF-8 sequence in progress: control characters
/// other than tab, and bytes UTF-8 never holds (`C0`, `C1`, `F5`–`FF`).
static ENDS_EVERY_RUN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b < 0x20 && b != 0x09) || b == 0x7F || b == 0xC0 || b == 0xC1 || b >= 0xF5;
        b += 1;
    }
    t
};

fn printable(b: u8) -> bool {
    (0x20..0x7F).contains(&b) || b == b'\t'
}

impl Extractor {
    /// An extractor at offset 0.
    pub fn new() -> Extractor {
        Extractor::default()
    }

    /// Reads `bytes`, the next piece of the input.
    ///
    /// Narrow runs are found as spans of the piece and copied once, when they end (or when
    /// the piece does); wide runs only around the zero bytes that are their high halves.
    /// Binary data is mostly neither, so a piece costs about one table lookup per byte.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.feed_narrow(bytes);
        self.feed_wide(bytes);
        self.at += bytes.len() as u64;
    }

    /// The ASCII/UTF-8 runs of `bytes` (at offset `self.at`).
    fn feed_narrow(&mut self, bytes: &[u8]) {
        let base = self.at;
        let mut i = 0;
        // A UTF-8 sequence cut by the previous piece.
        while self.seq_need > 0 && i < bytes.len() {
            if bytes[i] & 0xC0 != 0x80 {
                // An invalid sequence ends the run before it; the byte is read afresh.
                self.seq.clear();
                self.seq_need = 0;
                Self::end(&mut self.done, &mut self.narrow, false);
                break;
            }
            self.seq.push(bytes[i]);
            self.seq_need -= 1;
            i += 1;
            if self.seq_need == 0 {
                let n = &mut self.narrow;
                if n.text.is_empty() {
                    n.offset = base + i as u64 - self.seq.len() as u64;
                }
                n.text.append(&mut self.seq);
                n.chars += 1;
            }
        }
        if self.seq_need > 0 {
            return; // the piece ended inside the sequence
        }
        // The current run's bytes in this piece start at `from`; `self.narrow` holds what
        // came before them (from earlier pieces).
        let mut from = i;
        let mut chars = 0usize;
        while i < bytes.len() {
            // No run in progress: a run long enough to keep cannot hold a byte that ends
            // every run, so eight bytes holding one are skipped past its last (binary data
            // holds such a byte in most eight-byte spans).
            if from == i && self.narrow.text.is_empty() && i + 8 <= bytes.len() {
                let mut breaks = 0u32;
                for (k, &b) in bytes[i..i + 8].iter().enumerate() {
                    breaks |= u32::from(ENDS_EVERY_RUN[b as usize]) << k;
                }
                if breaks != 0 {
                    i += (32 - breaks.leading_zeros()) as usize;
                    from = i;
                    continue;
                }
            }
            let b = bytes[i];
            if printable(b) {
                i += 1;
                chars += 1;
                if self.narrow.text.len() + (i - from) >= MAX_RUN {
                    self.take_narrow(bytes, base, from, i, chars);
                    Self::end(&mut self.done, &mut self.narrow, false);
                    (from, chars) = (i, 0);
                }
                continue;
            }
            let need = match b {
                0xC2..=0xDF => 1,
                0xE0..=0xEF => 2,
                0xF0..=0xF4 => 3,
                _ => {
                    self.take_narrow(bytes, base, from, i, chars);
                    Self::end(&mut self.done, &mut self.narrow, false);
                    i += 1;
                    (from, chars) = (i, 0);
                    continue;
                }
            };
            let conts = bytes[i + 1..]
                .iter()
                .take(need)
                .take_while(|&&c| c & 0xC0 == 0x80)
                .count();
            if conts == need {
                i += 1 + need;
                chars += 1;
            } else if i + 1 + conts == bytes.len() {
                // The piece ends inside the sequence: it carries over.
                self.take_narrow(bytes, base, from, i, chars);
                self.seq.extend_from_slice(&bytes[i..]);
                self.seq_need = (need - conts) as u8;
                return;
            } else {
                // An invalid sequence ends the run before it; the byte after the
                // sequence's valid part is read afresh.
                self.take_narrow(bytes, base, from, i, chars);
                Self::end(&mut self.done, &mut self.narrow, false);
                i += 1 + conts;
                (from, chars) = (i, 0);
            }
        }
        self.take_narrow(bytes, base, from, i, chars);
    }

    /// Adds `bytes[from..to]`, `chars` characters at offset `base + from`, to the narrow run.
    fn take_narrow(&mut self, bytes: &[u8], base: u64, from: usize, to: usize, chars: usize) {
        if from == to {
            return;
        }
        let n = &mut self.narrow;
        if n.text.is_empty() {
            n.offset = base + from as u64;
        }
        n.text.extend_from_slice(&bytes[from..to]);
        n.chars += chars;
    }

    /// The UTF-16LE runs of `bytes` (at offset `self.at`): a unit is a printable byte
    /// followed by a zero byte, at either parity.
    fn feed_wide(&mut self, bytes: &[u8]) {
        let base = self.at;
        let mut i = 0;
        while i < bytes.len() {
            if self.wide[0].text.is_empty() && self.wide[1].text.is_empty() {
                // No run in progress: one can only grow at a zero byte.
                let Some(z) = memchr::memchr(0, &bytes[i..]) else {
                    self.prev = bytes.last().copied().or(self.prev);
                    return;
                };
                if i + z > 0 {
                    self.prev = Some(bytes[i + z - 1]);
                }
                i += z;
            }
            let b = bytes[i];
            let at = base + i as u64;
            if let Some(lo) = self.prev {
                let parity = ((at - 1) & 1) as usize;
                if b == 0 && printable(lo) {
                    let w = &mut self.wide[parity];
                    if w.text.is_empty() {
                        w.offset = at - 1;
                    }
                    w.text.push(lo);
                    w.chars += 1;
                    if w.text.len() >= MAX_RUN {
                        Self::end(&mut self.done, w, true);
                    }
                } else {
                    Self::end(&mut self.done, &mut self.wide[parity], true);
                }
            }
            self.prev = Some(b);
            i += 1;
        }
    }

    fn end(done: &mut Vec<(u64, bool, Vec<u8>)>, run: &mut Partial, wide: bool) {
        if run.chars >= MIN_RUN {
            done.push((run.offset, wide, std::mem::take(&mut run.text)));
        } else {
            run.text.clear();
        }
        run.chars = 0;
    }

    /// Ends the runs in progress: the input is over.
    pub fn finish(&mut self) {
        self.seq.clear();
        self.seq_need = 0;
        Self::end(&mut self.done, &mut self.narrow, false);
        let [a, b] = &mut self.wide;
        Self::end(&mut self.done, a, true);
        Self::end(&mut self.done, b, true);
    }

    /// Bytes of text completed and not yet taken.
    pub fn pending(&self) -> usize {
        self.done.iter().map(|(_, _, t)| t.len() + 1).sum()
    }

    /// The runs completed so far, in offset order, joined by newlines; they are not
    /// returned again.
    pub fn take(&mut self) -> Strings {
        let mut done = std::mem::take(&mut self.done);
        done.sort_by_key(|&(offset, wide, _)| (offset, wide));
        let mut out = Strings {
            text: Vec::with_capacity(done.iter().map(|(_, _, t)| t.len() + 1).sum()),
            runs: Vec::with_capacity(done.len()),
        };
        for (offset, wide, text) in done {
            out.runs.push(Run {
                text_start: out.text.len(),
                offset,
                wide,
            });
            out.text.extend_from_slice(&text);
            out.text.push(b'\n');
        }
        out
    }
}

/// The runs of a whole binary input (a blob, a small file, an archive member).
pub fn extract(bytes: &[u8]) -> Strings {
    let mut e = Extractor::new();
    e.feed(bytes);
    e.finish();
    e.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time reading [`Extractor::feed`] replaced: the reference it must equal.
    impl Extractor {
        pub fn feed_bytewise(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.narrow_byte(b);
                if let Some(lo) = self.prev {
                    let parity = ((self.at - 1) & 1) as usize;
                    if b == 0 && printable(lo) {
                        let w = &mut self.wide[parity];
                        if w.text.is_empty() {
                            w.offset = self.at - 1;
                        }
                        w.text.push(lo);
                        w.chars += 1;
                        if w.text.len() >= MAX_RUN {
                            Self::end(&mut self.done, w, true);
                        }
                    } else {
                        Self::end(&mut self.done, &mut self.wide[parity], true);
                    }
                }
                self.prev = Some(b);
                self.at += 1;
            }
        }

        fn narrow_byte(&mut self, b: u8) {
            if self.seq_need > 0 {
                if b & 0xC0 == 0x80 {
                    self.seq.push(b);
                    self.seq_need -= 1;
                    if self.seq_need == 0 {
                        let n = &mut self.narrow;
                        if n.text.is_empty() {
                            n.offset = self.at + 1 - self.seq.len() as u64;
                        }
                        n.text.append(&mut self.seq);
                        n.chars += 1;
                    }
                    return;
                }
                // An invalid sequence ends the run before it; `b` is read afresh.
                self.seq.clear();
                self.seq_need = 0;
                Self::end(&mut self.done, &mut self.narrow, false);
            }
            let need = match b {
                _ if printable(b) => 0,
                0xC2..=0xDF => 1,
                0xE0..=0xEF => 2,
                0xF0..=0xF4 => 3,
                _ => {
                    Self::end(&mut self.done, &mut self.narrow, false);
                    return;
                }
            };
            if need > 0 {
                self.seq.push(b);
                self.seq_need = need;
                return;
            }
            let n = &mut self.narrow;
            if n.text.is_empty() {
                n.offset = self.at;
            }
            n.text.push(b);
            n.chars += 1;
            if n.text.len() >= MAX_RUN {
                Self::end(&mut self.done, n, false);
            }
        }
    }

    #[test]
    fn runs_longer_than_the_cap_are_cut_where_bytewise_reading_cut_them() {
        let mut b = "\u{e9}".repeat(3).into_bytes();
        b.extend(std::iter::repeat_n(b'a', MAX_RUN * 2 + 5));
        b.push(0);
        b.extend("x\0".repeat(MAX_RUN + 3).into_bytes());
        let mut want = Extractor::new();
        want.feed_bytewise(&b);
        want.finish();
        let mut got = Extractor::new();
        for piece in b.chunks(MAX_RUN / 3 + 1) {
            got.feed(piece);
        }
        got.finish();
        let (want, got) = (want.take(), got.take());
        assert_eq!(runs(&got), runs(&want));
        assert_eq!(runs(&got).len(), 4);
    }

    #[test]
    fn pieces_read_in_bulk_give_the_runs_bytewise_reading_gives() {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..400 {
            let mut b = Vec::new();
            while b.len() < 50 + round * 7 {
                match next() % 7 {
                    0 => b.extend_from_slice(b"printable text run "),
                    1 => b.extend_from_slice(
                        "caf\u{e9} \u{20ac}uro \u{1F600} \u{4f60}\u{597d}".as_bytes(),
                    ),
                    2 => "wide chars"
                        .encode_utf16()
                        .for_each(|u| b.extend_from_slice(&u.to_le_bytes())),
                    3 => b.push(0),
                    4 => b.extend_from_slice(&[0xE2, 0x82]), // a cut sequence
                    _ => b.extend((0..(next() % 9)).map(|_| next() as u8)),
                }
            }
            let mut want = Extractor::new();
            want.feed_bytewise(&b);
            want.finish();
            let want = want.take();
            let mut got = Extractor::new();
            let mut at = 0;
            let mut text = Vec::new();
            let mut taken = Vec::new();
            while at < b.len() {
                let piece = 1 + (next() % 40) as usize;
                let end = (at + piece).min(b.len());
                got.feed(&b[at..end]);
                taken.push(got.take());
                at = end;
            }
            got.finish();
            taken.push(got.take());
            let mut all: Vec<(u64, bool, String)> = taken.iter().flat_map(runs).collect();
            all.sort();
            for s in &taken {
                text.extend_from_slice(&s.text);
            }
            let mut whole = runs(&want);
            whole.sort();
            assert_eq!(all, whole, "round {round}");
            assert_eq!(text.len(), want.text.len());
        }
    }

    fn runs(s: &Strings) -> Vec<(u64, bool, String)> {
        s.runs
            .iter()
            .map(|r| {
                let end = s.text[r.text_start..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap();
                let t = String::from_utf8_lossy(&s.text[r.text_start..r.text_start + end]);
                (r.offset, r.wide, t.into_owned())
            })
            .collect()
    }

    #[test]
    fn finds_narrow_utf8_and_wide_runs_with_their_offsets() {
        let mut b = vec![0u8, 1, 2];
        b.extend_from_slice(b"short\0");
        b.extend_from_slice("caf\u{e9} au lait".as_bytes()); // at 9
        b.extend_from_slice(&[0xFF, 0x00]);
        let wide_at = b.len() as u64;
        "wide string"
            .encode_utf16()
            .for_each(|u| b.extend_from_slice(&u.to_le_bytes()));
        b.extend_from_slice(&[0x01, 0x02]);
        let s = extract(&b);
        assert_eq!(
            runs(&s),
            vec![
                (9, false, "caf\u{e9} au lait".to_string()),
                (wide_at, true, "wide string".to_string()),
            ]
        );
        // Line 2, column 6 ('s' of "string") maps to its first byte.
        assert_eq!(s.offset_of(2, 6), Some(wide_at + 10));
        // Line 1, column 5 (after the two-byte 'é') maps past it.
        assert_eq!(s.offset_of(1, 5), Some(9 + 5));
    }

    #[test]
    fn pieces_cut_anywhere_give_the_same_runs() {
        let mut b = b"\x00\x01first run here\x00\x00".to_vec();
        "utf16 text"
            .encode_utf16()
            .for_each(|u| b.extend_from_slice(&u.to_le_bytes()));
        b.extend_from_slice("\x03\u{20ac}uro and more\x04odd".as_bytes());
        b.insert(0, 7); // shifts everything to the other parity
        let whole = extract(&b);
        for cut in 0..=b.len() {
            let mut e = Extractor::new();
            e.feed(&b[..cut]);
            let mut first = e.take();
            e.feed(&b[cut..]);
            e.finish();
            let second = e.take();
            let mut all = runs(&first);
            all.extend(runs(&second));
            all.sort();
            let mut want = runs(&whole);
            want.sort();
            assert_eq!(all, want, "cut at {cut}");
            first.text.clear();
        }
    }
}
