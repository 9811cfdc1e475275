//! Reading one outermost archive member by member, nested to the depth limit: each member's
//! decoded bytes go through the same path as a file (sniffed for binary and UTF-16, scanned
//! in bounded chunks), or, when they are a container themselves, are opened in turn.
//!
//! Everything streams except a zip nested in another container (a zip needs random access:
//! it is held in memory, at most [`NESTED_ZIP_MAX`] bytes). One job is single-threaded;
//! jobs for different files run in parallel.

use super::detect::{detect, inner_name, Kind};
use super::limits::{one_line, Budget, Counting, Limited, Limits, Stop};
use super::zstd::Frames;
use crate::finding::Finding;
use crate::input::SkipReason;
use crate::source::{chunked, ScanContext};
use std::cell::{Cell, RefCell};
use std::io::{Cursor, Read, Seek};

/// Largest nested zip held in memory to be opened (a zip inside a tar, a gzip or another
/// zip has no random access); a larger one is skipped and counted as too large.
pub const NESTED_ZIP_MAX: u64 = 64 << 20;

/// xz decoder memory limit: `xz -9` needs 65 MiB to decode; a header asking for more is a
/// corrupt (or hostile) stream.
const XZ_MEMLIMIT: u64 = 128 << 20;

/// How much of a member is read to decide what it is (as much as binary sniffing reads).
const HEAD_LEN: usize = crate::input::BINARY_PROBE_LEN;

/// A readable, seekable input (a file, a blob in memory, a buffered nested zip).
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// One outermost archive being read.
pub struct Job<'c, 'a> {
    ctx: &'c ScanContext<'a>,
    limits: Limits,
    budget: Budget,
    /// The outer file's path as reported.
    top: String,
    /// Print nothing (a second, silent look by history attribution).
    quiet: bool,
    /// Reasons already warned about for this archive: one line each, every skip counted.
    warned: RefCell<Vec<SkipReason>>,
    findings: RefCell<Vec<Finding>>,
    /// Ids for [`Limited`] readers: which one was cut first (see [`Budget::cut`]).
    next_id: Cell<u32>,
}

impl<'c, 'a> Job<'c, 'a> {
    /// A job for the archive at `top` (its reported path).
    pub fn new(ctx: &'c ScanContext<'a>, limits: Limits, top: &str, quiet: bool) -> Self {
        Job {
            ctx,
            limits,
            budget: Budget::default(),
            top: top.to_string(),
            quiet,
            warned: RefCell::default(),
            findings: RefCell::default(),
            next_id: Cell::new(0),
        }
    }

    /// The findings of every member read.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings.into_inner()
    }

    fn display(&self, chain: &str) -> String {
        if chain.is_empty() {
            self.top.clone()
        } else {
            format!("{}!{chain}", self.top)
        }
    }

    /// Opens a container with random access (a file, a blob, a buffered nested zip);
    /// `chain` names it inside the outer file ("" for the outer file), `depth` is its own
    /// level (0 for the outer file).
    pub fn open_seekable(&self, kind: Kind, input: &mut dyn ReadSeek, chain: &str, depth: u32) {
        match kind {
            Kind::Zip => self.zip(input, chain, depth),
            _ => self.open_stream(kind, input, chain, depth),
        }
    }

    /// Opens a container read front to back (a zip is buffered first).
    pub fn open_stream(&self, kind: Kind, input: &mut dyn Read, chain: &str, depth: u32) {
        match kind {
            Kind::Zip => {
                let mut data = Vec::new();
                let cap = NESTED_ZIP_MAX.min(self.limits.member_bytes);
                if let Err(e) = input.take(cap + 1).read_to_end(&mut data) {
                    self.corrupt(chain, "zip archive", &e.to_string());
                    return;
                }
                if data.len() as u64 > cap {
                    self.skip(
                        SkipReason::ArchiveMemberTooLarge,
                        chain,
                        &format!(
                            "a zip archive inside a stream is opened only up to {} MiB",
                            cap >> 20
                        ),
                    );
                    return;
                }
                self.zip(&mut Cursor::new(data), chain, depth);
            }
            Kind::Tar => self.tar(input, chain, depth),
            _ => self.compressed(kind, input, chain, depth),
        }
    }

    /// A single compressed stream: one member, named after the file without its suffix,
    /// streamed through the chunked scanner. A tar inside (tar.gz, .tgz, .mbz) is listed
    /// directly: `site.tar.gz!config/.env`.
    fn compressed(&self, kind: Kind, input: &mut dyn Read, chain: &str, depth: u32) {
        let packed = Cell::new(0u64);
        let counted = Counting {
            inner: input,
            count: &packed,
        };
        let decoder: Box<dyn Read + '_> = match kind {
            Kind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(counted)),
            Kind::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(counted)),
            Kind::Xz => {
                let stream = liblzma::stream::Stream::new_stream_decoder(
                    XZ_MEMLIMIT,
                    liblzma::stream::CONCATENATED,
                );
                match stream {
                    Ok(s) => Box::new(liblzma::read::XzDecoder::new_stream(counted, s)),
                    Err(e) => return self.corrupt(chain, "xz stream", &e.to_string()),
                }
            }
            Kind::Zstd => match Frames::new(counted) {
                Ok(d) => Box::new(d),
                Err(e) => return self.corrupt(chain, "zstd stream", &e.to_string()),
            },
            Kind::Zip | Kind::Tar => unreachable!("not a single stream"),
        };
        let name = inner_name(&self.display(chain));
        let member = join(chain, &name);
        if !self.start_member(&member) {
            return;
        }
        // The stream's own counter: every compressed byte read (the header too, which
        // gzip's decoder reads ahead as it is made) is this member's.
        let mut limited = self.limited(decoder, Some((&packed, 0)));
        self.member(&mut limited, &member, depth + 1, Some(chain));
        let what = format!("{} stream", kind.as_str());
        self.finish(limited, &member, &what);
    }

    fn zip(&self, input: &mut dyn ReadSeek, chain: &str, depth: u32) {
        let packed = Cell::new(0u64);
        let mut counted = Counting {
            inner: input,
            count: &packed,
        };
        let mut zip = match zip::ZipArchive::new(&mut counted) {
            Ok(z) => z,
            Err(e) => {
                self.corrupt(chain, "zip archive", &e.to_string());
                // A truncated zip (a download cut short) lost its central directory, not
                // its members: read them front to back from their local headers.
                if counted.seek(std::io::SeekFrom::Start(0)).is_ok() {
                    self.zip_local_headers(&mut counted, &packed, chain, depth);
                }
                return;
            }
        };
        for i in 0..zip.len() {
            if self.budget.exhausted.get() {
                break;
            }
            let name = match zip.name_for_index(i) {
                Some(Ok(n)) => n.into_owned(),
                _ => format!("#{i}"),
            };
            // Counted from before the member's header is read.
            let start = packed.get();
            // zip's own zstd support is a C binding; a zstd member (method 93, APPNOTE
            // 4.4.5) is read raw and inflated by the same pure-Rust decoder as `.zst` files.
            let zstd = matches!(zip.by_index_data(i),
                Ok(e) if e.compression() == zip::CompressionMethod::ZSTD && !e.encrypted());
            let opened = if zstd {
                zip.by_index_raw(i)
            } else {
                zip.by_index(i)
            };
            let file = match opened {
                Ok(f) => f,
                Err(zip::result::ZipError::UnsupportedArchive(why))
                    if why == zip::result::ZipError::PASSWORD_REQUIRED =>
                {
                    self.skip(
                        SkipReason::ArchiveEncrypted,
                        &join(chain, &name),
                        "encrypted member",
                    );
                    continue;
                }
                Err(e) => {
                    let what = format!("zip member #{i}");
                    self.corrupt(chain, &what, &e.to_string());
                    continue;
                }
            };
            if !file.is_file() {
                continue;
            }
            let member = join(chain, &name);
            if !self.start_member(&member) {
                break;
            }
            if self.allowlisted(&member, &name) {
                continue;
            }
            let file: Box<dyn Read + '_> = if zstd {
                match Frames::new(file) {
                    Ok(d) => Box::new(d),
                    Err(e) => {
                        self.corrupt(chain, &format!("zip member {name}"), &e.to_string());
                        continue;
                    }
                }
            } else {
                Box::new(file)
            };
            let mut limited = self.limited(file, Some((&packed, start)));
            self.member(&mut limited, &member, depth + 1, None);
            self.finish(limited, &member, "zip member");
        }
    }

    /// The members of a zip without a central directory, in order, until the damage.
    ///
    /// The zip crate's stream reader cannot inflate zstd members (its zstd support is a C
    /// binding), so each local header (APPNOTE 4.3.7) is read here first: a zstd member
    /// whose header carries its size is inflated by the pure-Rust decoder; any other
    /// member is handed to the crate with its header bytes put back in front.
    fn zip_local_headers(&self, input: &mut dyn Read, packed: &Cell<u64>, chain: &str, depth: u32) {
        let mut input = input;
        while !self.budget.exhausted.get() {
            let start = packed.get();
            let mut head = [0u8; LOCAL_HEADER_LEN];
            let got = read_up_to(&mut input, &mut head);
            if got == 0 {
                break;
            }
            let head = &head[..got];
            if let Some(local) = LocalHeader::zstd(head) {
                if !self.zip_local_zstd(&mut input, &local, (packed, start), chain, depth) {
                    break;
                }
                continue;
            }
            let mut rejoined = Cursor::new(head).chain(&mut input);
            let file = match zip::read::read_zipfile_from_stream(&mut rejoined) {
                Ok(Some(file)) => file,
                Ok(None) => break, // the central directory's first header: the end
                Err(_) => break,   // the damage, reported already for the archive
            };
            if !file.is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(file.name_raw()).into_owned();
            let member = join(chain, &name);
            if !self.start_member(&member) {
                break;
            }
            if self.allowlisted(&member, &name) {
                continue;
            }
            let mut limited = self.limited(file, Some((packed, start)));
            self.member(&mut limited, &member, depth + 1, None);
            self.finish(limited, &member, "zip member");
        }
    }

    /// One zstd member of a zip read from its local header (see
    /// [`Self::zip_local_headers`]); whether the members after it can still be read.
    ///
    /// The compressed size comes from the header, from its zip64 extra field (APPNOTE
    /// 4.5.3) when the header says `0xFFFFFFFF`, or, for a member streamed with a data
    /// descriptor (flag bit 3, APPNOTE 4.3.9), from the zstd frame itself: a frame ends
    /// where its last block says (RFC 8878 §3.1.1), and the descriptor after it is passed.
    fn zip_local_zstd(
        &self,
        input: &mut dyn Read,
        local: &LocalHeader,
        (packed, start): (&Cell<u64>, u64),
        chain: &str,
        depth: u32,
    ) -> bool {
        let mut name = vec![0u8; local.name_len];
        let mut extra = vec![0u8; local.extra_len];
        if read_up_to(input, &mut name) < name.len() || read_up_to(input, &mut extra) < extra.len()
        {
            return false;
        }
        let name = String::from_utf8_lossy(&name).into_owned();
        let member = join(chain, &name);
        let zip64 = zip64_sizes(&extra);
        let compressed = match (local.compressed, zip64) {
            (Some(u32::MAX), Some((_, compressed))) => Some(compressed),
            (Some(u32::MAX), None) => return false, // a size it does not give
            (Some(size), _) => Some(u64::from(size)),
            (None, _) => None,
        };
        let Some(compressed) = compressed else {
            if local.encrypted {
                // Its end is known only by decoding it: the members after it are lost.
                self.skip(SkipReason::ArchiveEncrypted, &member, "encrypted member");
                return false;
            }
            let zip64 = zip64.is_some();
            return self.zip_local_zstd_streamed(
                input,
                &name,
                zip64,
                (packed, start),
                chain,
                depth,
            );
        };
        let mut data = input.take(compressed);
        if name.ends_with('/') {
            return std::io::copy(&mut data, &mut std::io::sink()).is_ok();
        }
        if local.encrypted {
            self.skip(SkipReason::ArchiveEncrypted, &member, "encrypted member");
            return std::io::copy(&mut data, &mut std::io::sink()).is_ok();
        }
        if !self.start_member(&member) {
            return false;
        }
        if self.allowlisted(&member, &name) {
            return std::io::copy(&mut data, &mut std::io::sink()).is_ok();
        }
        match Frames::new(&mut data) {
            Ok(decoder) => {
                let mut limited = self.limited(decoder, Some((packed, start)));
                self.member(&mut limited, &member, depth + 1, None);
                self.finish(limited, &member, "zip member");
            }
            Err(e) => self.corrupt(chain, &format!("zip member {name}"), &e.to_string()),
        }
        // Whatever the decoder left of the member (a frame's tail, padding) is passed over.
        std::io::copy(&mut data, &mut std::io::sink()).is_ok() && data.limit() == 0
    }

    /// A zstd member written with a data descriptor (its size known only after it): its
    /// frames are decoded to their end (where no frame's magic number follows, see
    /// [`zstd`](super::zstd)), then the descriptor (`PK\x07\x08`, optional, crc and two
    /// sizes, 8 bytes each in zip64) is passed over. Whether the members after it can still
    /// be read: not when the member was cut short (a limit, damage), since its end is then
    /// unknown.
    fn zip_local_zstd_streamed(
        &self,
        input: &mut dyn Read,
        name: &str,
        zip64: bool,
        (packed, start): (&Cell<u64>, u64),
        chain: &str,
        depth: u32,
    ) -> bool {
        let member = join(chain, name);
        let mut frames = match Frames::new(&mut *input) {
            Ok(f) => f,
            Err(e) => {
                self.corrupt(chain, &format!("zip member {name}"), &e.to_string());
                return false;
            }
        };
        let folder = name.ends_with('/');
        if !folder && !self.start_member(&member) {
            return false; // the member limit: reported by start_member
        }
        // One counted reader for the scan and for what the scan leaves of the data (a
        // tar's padding, an allowlisted member): every decoded byte counts against the
        // member, ratio and archive limits.
        let mut limited = self.limited(&mut frames, Some((packed, start)));
        if !folder && !self.allowlisted(&member, name) {
            self.member(&mut limited, &member, depth + 1, None);
        }
        let _ = std::io::copy(&mut limited, &mut std::io::sink());
        let cut = limited.stop.is_some();
        self.finish(limited, &member, "zip member");
        if cut || !frames.ended() {
            return false;
        }
        let read_ahead = frames.rest().to_vec();
        drop(frames);
        skip_data_descriptor(input, zip64, &read_ahead)
    }

    fn tar(&self, input: &mut dyn Read, chain: &str, depth: u32) {
        let mut archive = tar::Archive::new(input);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return self.corrupt(chain, "tar archive", &e.to_string()),
        };
        for entry in entries {
            if self.budget.exhausted.get() {
                break;
            }
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.corrupt(chain, "tar archive", &e.to_string());
                    break;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let member = join(chain, &name);
            if !self.start_member(&member) {
                break;
            }
            if self.allowlisted(&member, &name) {
                continue;
            }
            let mut limited = self.limited(entry, None);
            self.member(&mut limited, &member, depth + 1, None);
            self.finish(limited, &member, "tar member");
        }
    }

    /// One member's content at level `depth`: a container is opened (within the depth
    /// limit), anything else is scanned as a file. `tar_parent`: the chain a tar found
    /// here lists its members under (a compressed stream's tar is not a level of its own).
    fn member<R: Read>(
        &self,
        limited: &mut Limited<'_, R>,
        chain: &str,
        depth: u32,
        tar_parent: Option<&str>,
    ) {
        let mut head = Vec::with_capacity(HEAD_LEN);
        // Limited never fails: a decoder error ends it and is kept in `stop`.
        let _ = (&mut *limited).take(HEAD_LEN as u64).read_to_end(&mut head);
        let kind = detect(&head);
        match (kind, tar_parent) {
            (Some(Kind::Tar), Some(parent)) => {
                // The tar's members are this stream's members: the stream itself is
                // bounded only by the archive-wide limit, each tar member by its own.
                limited.lift_member_limit();
                let mut rest = Cursor::new(head).chain(&mut *limited);
                self.tar(&mut rest, parent, depth - 1);
            }
            (Some(kind), _) if depth >= self.limits.depth => {
                let why = format!(
                    "a {} archive nested deeper than --archive-max-depth {}",
                    kind.as_str(),
                    self.limits.depth
                );
                self.skip(SkipReason::ArchiveDepth, chain, &why);
            }
            (Some(kind), _) => {
                let mut rest = Cursor::new(head).chain(&mut *limited);
                self.open_stream(kind, &mut rest, chain, depth);
            }
            (None, _) => {
                let shown = self.display(chain);
                let read = Cursor::new(head).chain(&mut *limited);
                match chunked::scan_reader(self.ctx, &shown, read) {
                    Ok(mut found) => {
                        for f in &mut found {
                            f.member = Some(chain.to_string());
                        }
                        self.findings.borrow_mut().extend(found);
                    }
                    Err(e) => self.corrupt(chain, "member", &e.to_string()),
                }
            }
        }
    }

    /// A counted reader over a member's decoded bytes, with a fresh id.
    fn limited<'b, R: Read>(
        &'b self,
        inner: R,
        packed: Option<(&'b Cell<u64>, u64)>,
    ) -> Limited<'b, R> {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        Limited::new(inner, self.limits, &self.budget, packed, id)
    }

    /// Says why a member was cut short, once: a limit always; a decoder error only when
    /// no reader around it was cut first (then the error is that cut's echo).
    fn finish<R: Read>(&self, mut limited: Limited<'_, R>, chain: &str, what: &str) {
        let first_cut = self.budget.cut.get() == Some(limited.id());
        if first_cut {
            self.budget.cut.set(None);
        }
        match limited.stop.take() {
            Some(Stop::Limit(reason)) => {
                let why = match reason {
                    SkipReason::ArchiveTooLarge => format!(
                        "archive over --archive-max-size {} uncompressed bytes; the rest is not read",
                        self.limits.archive_bytes
                    ),
                    SkipReason::ArchiveRatio => format!(
                        "inflates more than --archive-max-ratio {}:1 (a compression bomb?); \
                         read up to {} bytes",
                        self.limits.ratio,
                        limited.decoded()
                    ),
                    _ => format!(
                        "over --archive-max-member-size {} uncompressed bytes; the rest is not read",
                        self.limits.member_bytes
                    ),
                };
                self.skip(reason, chain, &why);
            }
            Some(Stop::Corrupt(msg)) => self.corrupt(chain, what, &msg),
            None => {}
        }
    }

    /// Counts one more member; false (and counted once) past the members limit.
    fn start_member(&self, chain: &str) -> bool {
        let n = self.budget.members.get() + 1;
        self.budget.members.set(n);
        if n > self.limits.members {
            self.budget.exhausted.set(true);
            let why = format!(
                "archive has more than --archive-max-members {} members; the rest is not read",
                self.limits.members
            );
            self.skip(SkipReason::ArchiveMembers, chain, &why);
            return false;
        }
        true
    }

    /// An allowlisted member (by its full path or its path inside the archive) is not read.
    fn allowlisted(&self, chain: &str, name: &str) -> bool {
        let allowed = self.ctx.allowlist.allows_path(&self.display(chain))
            || self.ctx.allowlist.allows_path(name);
        if allowed {
            self.ctx
                .stats
                .suppressed_allowlist
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        allowed
    }

    /// A counted, named skip; one warning line per reason and outer file.
    fn skip(&self, reason: SkipReason, chain: &str, why: &str) {
        let shown = self.display(chain);
        self.ctx.stats.skipped_file(reason, &shown);
        if self.quiet || self.warned.borrow().contains(&reason) {
            return;
        }
        self.warned.borrow_mut().push(reason);
        eprintln!(
            "moodleleaks: warning: {}: {}; skipped",
            crate::report::escape_control(&shown),
            crate::report::escape_control(why)
        );
    }

    /// A corrupt or truncated container: one error line naming it, counted; the scan goes on.
    /// Said only when no stream around it was cut first (then it is that cut's echo, and
    /// the cut is reported by its own reader).
    fn corrupt(&self, chain: &str, what: &str, msg: &str) {
        if self.budget.cut.get().is_some() {
            return;
        }
        let shown = self.display(chain);
        self.ctx.stats.skipped(SkipReason::ArchiveCorrupt);
        if !self.quiet {
            self.ctx.stats.error(format!(
                "{shown}: corrupt or truncated {what}: {}",
                one_line(msg)
            ));
        }
    }
}

/// `chain!name`, or `name` at the outer file.
fn join(chain: &str, name: &str) -> String {
    if chain.is_empty() {
        name.to_string()
    } else {
        format!("{chain}!{name}")
    }
}

/// A zip local file header's fixed part (APPNOTE 4.3.7): signature, versions, flags,
/// method, times, crc and sizes, name and extra lengths.
const LOCAL_HEADER_LEN: usize = 30;

/// A local file header's signature, `PK\x03\x04`.
const LOCAL_HEADER_MAGIC: &[u8] = b"PK\x03\x04";

/// What [`Job::zip_local_headers`] needs of a zstd member's local header.
struct LocalHeader {
    /// The compressed size the header states (`0xFFFFFFFF`: in the zip64 extra field);
    /// none when a data descriptor after the data gives it (flag bit 3).
    compressed: Option<u32>,
    name_len: usize,
    extra_len: usize,
    encrypted: bool,
}

impl LocalHeader {
    /// The header `head` when it is a whole local header of a zstd member (method 93,
    /// APPNOTE 4.4.5).
    fn zstd(head: &[u8]) -> Option<LocalHeader> {
        if head.len() < LOCAL_HEADER_LEN || !head.starts_with(LOCAL_HEADER_MAGIC) {
            return None;
        }
        let u16_at = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
        let u32_at =
            |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
        let (flags, method, compressed) = (u16_at(6), u16_at(8), u32_at(18));
        if method != 93 {
            return None;
        }
        let data_descriptor = flags & 0x0008 != 0;
        Some(LocalHeader {
            compressed: (!data_descriptor).then_some(compressed),
            name_len: usize::from(u16_at(26)),
            extra_len: usize::from(u16_at(28)),
            encrypted: flags & 0x0001 != 0,
        })
    }
}

/// The sizes in a local header's zip64 extended information field (header id `0x0001`,
/// APPNOTE 4.5.3: in a local header it holds both, the original size first), as
/// (original, compressed) bytes; none when `extra` has no such field.
fn zip64_sizes(extra: &[u8]) -> Option<(u64, u64)> {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = u16::from_le_bytes([extra[at], extra[at + 1]]);
        let len = usize::from(u16::from_le_bytes([extra[at + 2], extra[at + 3]]));
        let data = extra.get(at + 4..at + 4 + len)?;
        if id == 0x0001 && data.len() >= 16 {
            let u64_at = |i: usize| u64::from_le_bytes(data[i..i + 8].try_into().unwrap());
            return Some((u64_at(0), u64_at(8)));
        }
        at += 4 + len;
    }
    None
}

/// Passes over a data descriptor (APPNOTE 4.3.9): an optional signature `PK\x07\x08`, the
/// crc-32, then the compressed and original sizes (4 bytes each, 8 in zip64); its first
/// bytes may have been read already (`read_ahead`). Whether it was all there.
fn skip_data_descriptor(input: &mut dyn Read, zip64: bool, read_ahead: &[u8]) -> bool {
    let sizes = if zip64 { 16 } else { 8 };
    let mut first = [0u8; 4];
    let had = read_ahead.len().min(4);
    first[..had].copy_from_slice(&read_ahead[..had]);
    if had + read_up_to(input, &mut first[had..]) < 4 {
        return false;
    }
    let rest = if first == *b"PK\x07\x08" {
        4 + sizes
    } else {
        sizes
    };
    let mut skipped = vec![0u8; rest];
    read_up_to(input, &mut skipped) == rest
}

/// Reads into `buf` until it is full or the input ends; how many bytes were read (an
/// error counts as the end: the caller reports the damage).
fn read_up_to(input: &mut dyn Read, buf: &mut [u8]) -> usize {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got
}
