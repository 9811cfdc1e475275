//! A zstd stream as the format defines it: one or more frames in a row, with skippable frames
//! allowed among them (RFC 8878 §3: "Zstandard compressed data is made of one or more
//! frames"; §3.1.2, skippable frames). `zstd` and `pzstd` write several frames (a parallel
//! compressor, `cat a.zst b.zst`), and `pzstd` starts with a skippable one; ruzstd's
//! streaming decoder reads one frame, so this reads them all, as `zstd -d` does.
//!
//! Where the zstd data ends is where the next four bytes are no frame's magic number: the end
//! of the input, or the data descriptor after a zip member written without its size.

use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use std::io::{self, Read};

/// A zstd frame's magic number, little-endian (RFC 8878 §3.1.1).
const FRAME_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Whether `magic` (4 bytes, little-endian) opens a skippable frame: `0x184D2A5?`.
fn is_skippable(magic: &[u8; 4]) -> bool {
    magic[0] & 0xF0 == 0x50 && magic[1..] == [0x2A, 0x4D, 0x18]
}

/// Where the reader stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Inside a frame.
    InFrame,
    /// After a frame (or before the first): the next bytes say whether another follows.
    Between,
    /// Past the last frame: no frame magic follows (or the input ended).
    Done,
}

/// The decoded bytes of every frame of a zstd stream, in order.
pub struct Frames<R: Read> {
    source: R,
    decoder: FrameDecoder,
    state: State,
    /// Bytes read past a frame to look for the next one, not a frame's: handed back by
    /// [`Frames::into_rest`].
    rest: Vec<u8>,
}

impl<R: Read> Frames<R> {
    /// Starts reading `source`, which must open with a frame or a skippable frame.
    ///
    /// # Errors
    /// The first frame's header is damaged or absent, or the source cannot be read.
    pub fn new(source: R) -> io::Result<Frames<R>> {
        let mut frames = Frames {
            source,
            decoder: FrameDecoder::new(),
            state: State::Between,
            rest: Vec::new(),
        };
        frames.next_frame()?;
        if frames.state == State::Done {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a zstd frame (bad magic number)",
            ));
        }
        Ok(frames)
    }

    /// Whether every frame was read to its end and nothing but the end of the input, or
    /// bytes that open no frame, followed.
    pub fn ended(&self) -> bool {
        self.state == State::Done
    }

    /// The bytes read after the last frame to see that no other follows (at most 4): the
    /// start of what comes next in the source.
    pub fn rest(&self) -> &[u8] {
        &self.rest
    }

    /// Moves to the next frame: skips skippable frames, starts the next data frame, or
    /// marks the end.
    fn next_frame(&mut self) -> io::Result<()> {
        loop {
            let mut magic = [0u8; 4];
            let got = read_up_to(&mut self.source, &mut magic)?;
            if got < 4 || !(magic == FRAME_MAGIC || is_skippable(&magic)) {
                self.rest = magic[..got].to_vec();
                self.state = State::Done;
                return Ok(());
            }
            if is_skippable(&magic) {
                let mut len = [0u8; 4];
                if read_up_to(&mut self.source, &mut len)? < 4 {
                    return Err(truncated("skippable frame"));
                }
                let len = u64::from(u32::from_le_bytes(len));
                let skipped = io::copy(&mut (&mut self.source).take(len), &mut io::sink())?;
                if skipped < len {
                    return Err(truncated("skippable frame"));
                }
                continue;
            }
            let mut header = io::Cursor::new(magic).chain(&mut self.source);
            self.decoder.reset(&mut header).map_err(io::Error::other)?;
            self.state = State::InFrame;
            return Ok(());
        }
    }
}

impl<R: Read> Read for Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.state {
                State::Done => return Ok(0),
                State::Between => self.next_frame()?,
                State::InFrame => {
                    if self.decoder.can_collect() > 0 {
                        return self.decoder.read(buf);
                    }
                    if self.decoder.is_finished() {
                        self.state = State::Between;
                        continue;
                    }
                    self.decoder
                        .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                        .map_err(io::Error::other)?;
                }
            }
        }
    }
}

/// An input ended inside `what`.
fn truncated(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, format!("truncated {what}"))
}

/// Reads into `buf` until it is full or the input ends; how many bytes were read.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zstd(data: &[u8]) -> Vec<u8> {
        ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
    }

    fn skippable(payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0x53, 0x2A, 0x4D, 0x18];
        out.extend((payload.len() as u32).to_le_bytes());
        out.extend(payload);
        out
    }

    fn decode(input: &[u8]) -> (Vec<u8>, bool, Vec<u8>) {
        let mut frames = Frames::new(input).unwrap();
        let mut out = Vec::new();
        frames.read_to_end(&mut out).unwrap();
        (out, frames.ended(), frames.rest().to_vec())
    }

    #[test]
    fn every_frame_is_read_and_skippable_frames_are_passed() {
        let input = [
            skippable(b"pzstd index"),
            zstd(b"first frame, "),
            skippable(b""),
            zstd(b"second frame"),
        ]
        .concat();
        let (out, ended, rest) = decode(&input);
        assert_eq!(out, b"first frame, second frame");
        assert!(ended);
        assert!(rest.is_empty());
    }

    #[test]
    fn the_data_ends_where_no_frame_follows() {
        let input = [zstd(b"member"), b"PK\x07\x08crc.".to_vec()].concat();
        let mut frames = Frames::new(&input[..]).unwrap();
        let mut out = Vec::new();
        frames.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"member");
        assert!(frames.ended());
        assert_eq!(frames.rest(), b"PK\x07\x08");
    }

    #[test]
    fn damage_is_an_error_not_an_end() {
        assert!(Frames::new(&b"PK\x03\x04 not zstd"[..]).is_err());
        let whole = zstd(&b"0123456789abcdef".repeat(4096));
        let mut frames = Frames::new(&whole[..whole.len() / 2]).unwrap();
        assert!(frames.read_to_end(&mut Vec::new()).is_err());
        assert!(!frames.ended());
        let cut_skip = &skippable(b"long payload")[..9];
        assert!(Frames::new(cut_skip).is_err());
    }
}
