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

fn printable(b: u8) -> bool {
    (0x20..0x7F).contains(&b) || b == b'\t'
}

impl Extractor {
    /// An extractor at offset 0.
    pub fn new() -> Extractor {
        Extractor::default()
    }

    /// Reads `bytes`, the next piece of the input.
    pub fn feed(&mut self, bytes: &[u8]) {
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
