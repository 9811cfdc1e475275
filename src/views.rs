//! Decoded views: the text a buffer holds once its escapes and encodings are undone, so that
//! the regex rules (a launch URL, a password in a `login/token.php` URL, an `http://` web
//! service URL) also see what a JSON string, an HTML attribute, a quoted-printable e-mail,
//! a percent-encoded URL parameter or a base64 value holds.
//!
//! A view is produced only where the keyword prefilter gives a reason ([`Hint`]): an escape
//! (`\u00`, `\/`, `%3A`, `&#`, `&amp;`, `=3D`, a quoted-printable soft line break) within
//! [`NEAR`] bytes of a rule keyword, or an encoded keyword (`webservice\/`, `login%2Ftoken`,
//! a keyword written in base64). A plain file has no hint and costs nothing more; a view is
//! a bounded region around its hint (the hint's line, at most [`REACH`] bytes each side,
//! joined with lines a soft line break continues), decoded at most twice (doubly
//! percent-encoded URLs), and every byte of a view maps back to the offset of the bytes it
//! came from, so a finding in a view keeps its original line and column.
//!
//! The escapes are decoded here, one escape at a time, rather than by a crate's whole-string
//! decoder, because each decoded byte must remember where it came from; base64 uses the
//! `base64` crate.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// How far an escape may be from a rule keyword to be a reason to decode, in bytes: an
/// encoder escapes the delimiters right around a keyword (`\u0026wstoken=`,
/// `%3A%2F%2Ftoken%3D`, `to=\nken=3D`).
pub const NEAR: usize = 64;

/// How far a view reaches from its hint on the hint's line, in bytes each side.
pub const REACH: usize = 1024;

/// Most hints (so views) taken from a buffer of `len` bytes: one per 64 bytes, at least
/// 4,096. A bound on the work a hostile input can ask that grows with the input, so that no
/// padding in front of a secret can use it up (a view holds at most its hint's line, and
/// overlapping views are merged: the views' bytes stay within a few times the input's).
pub fn max_hints(len: usize) -> usize {
    (len / 64).max(4096)
}

/// Longest base64 value decoded into a view, in encoded bytes.
const MAX_BASE64: usize = 64 << 10;

/// Shortest base64 value worth decoding (the shortest Moodle URL fragment is longer).
const MIN_BASE64: usize = 16;

/// What a prefilter word that is not a rule keyword says about the bytes around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// An escape: a reason to decode when a rule keyword is near.
    Escape,
    /// A keyword written escaped or percent-encoded: a reason by itself.
    Encoded,
    /// A keyword written in base64: the base64 value around it is decoded.
    Base64,
    /// A MIME part's `Content-Transfer-Encoding: base64` header (an e-mail body, an
    /// attachment): the part's body, wrapped over many lines, is decoded.
    MimeBase64,
    /// An iCalendar or vCard input, whose long content lines are folded (RFC 5545 §3.1,
    /// RFC 6350 §3.2: a line break then one blank continues the line): the input is read
    /// unfolded.
    Folded,
    /// A line break that cuts a value or a keyword in two, as hard-wrapped text has it
    /// (`pdftotext` output, a terminal's copy, a mail wrapped at 72 columns): the lines
    /// around it are read rejoined (see [`wrapped_hints`]).
    Wrapped,
}

/// Keywords as an escaping writer spells them that hold no rule keyword, besides the JSON
/// spellings [`hint_words`] derives (`login%2Ftoken.php` holds `token`, so an escape near it
/// is a hint already). Few: every prefilter word costs every file a little.
const ENCODED: &[&str] = &["webservice%2f", "webservice&#x2f;"];

/// The MIME header that says a part's body is base64 (RFC 2045 §6.8), lowercased. Not a
/// prefilter word (its first bytes, `con`, are everywhere in code): it is looked for only in
/// an input holding the word `base64` ([`mime_hints`]).
pub const MIME_BASE64: &str = "content-transfer-encoding: base64";

/// Longest MIME part body decoded into a view, in encoded bytes.
const MAX_MIME: usize = 1 << 20;

/// Keywords whose base64 spellings (at each of the three alignments) are hints.
const BASE64_KEYWORDS: &[&str] = &["://token=", "/webservice/"];

/// Every hint word (lowercase) the prefilter looks for, with what it means: the encoded
/// keywords, and the stable middle of each base64 spelling of `://token=` and
/// `/webservice/`. Escapes are not prefilter words (short, frequent words slow the
/// prefilter for every file): they are looked for only near the rule keywords the
/// prefilter found ([`escapes_near`]).
///
/// `keywords` are the rules' keywords: each holding a `/` is also looked for as a JSON
/// string writes it, `\/` (PHP's `json_encode` escapes every slash by default, so Moodle's
/// own answers carry `https:\/\/lms…\/auth\/userkey\/login.php?key=…`), unless that spelling
/// holds another keyword already (`login\/token.php` holds `token`).
pub fn hint_words(keywords: &[&str]) -> Vec<(String, Hint)> {
    let mut out: Vec<(String, Hint)> = Vec::new();
    for k in keywords.iter().filter(|k| k.contains('/')) {
        let escaped = k.to_ascii_lowercase().replace('/', "\\/");
        let holds_keyword = keywords
            .iter()
            .any(|other| !other.is_empty() && escaped.contains(&other.to_ascii_lowercase()));
        if !holds_keyword && !out.iter().any(|(w, _)| *w == escaped) {
            out.push((escaped, Hint::Encoded));
        }
    }
    out.extend(ENCODED.iter().map(|w| (w.to_string(), Hint::Encoded)));
    let b64 = base64::engine::general_purpose::STANDARD;
    for k in BASE64_KEYWORDS {
        for shift in 0..3 {
            // The keyword starting `shift` bytes into a 3-byte group: skip to the next group
            // boundary and keep the characters made of keyword bytes only.
            let skip = (3 - shift) % 3;
            let rest = &k.as_bytes()[skip..];
            let whole = rest.len() / 3 * 3;
            let enc = b64.encode(&rest[..whole]).to_ascii_lowercase();
            if enc.len() >= 8 {
                out.push((enc, Hint::Base64));
            }
        }
    }
    out
}

/// A decoded view of part of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The decoded bytes.
    pub text: Vec<u8>,
    /// For each byte of `text`, the buffer offset of the encoded bytes it came from; one
    /// more entry, the end of the region.
    pub map: Vec<usize>,
}

impl View {
    /// The buffer span of the view's `start..end`.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map[start];
        (s, self.map[end].max(s + 1))
    }
}

/// The views of `buf` for its `hints` (buffer offset, kind; in offset order): the regions
/// around them, merged, decoded; a region that decodes to itself gives no view.
/// `quoted_printable`: the input says it is quoted-printable (a MIME part's
/// `Content-Transfer-Encoding`), so a `=` ending a line is a soft line break; elsewhere it is
/// an `=` (a YAML `uri: …&service=`, a shell `VAR=`), and the next line is no part of it.
pub fn build(buf: &[u8], hints: &[(usize, Hint)], quoted_printable: bool) -> Vec<View> {
    // Regions as (start, end, how): 0 escapes, 1 a base64 value, 2 a MIME body.
    let mut regions: Vec<(usize, usize, u8)> = hints
        .iter()
        .map(|&(p, hint)| match hint {
            Hint::Base64 => {
                let (s, e) = base64_run(buf, p);
                (s, e, 1)
            }
            Hint::MimeBase64 => {
                let (s, e) = mime_body(buf, p);
                (s, e, 2)
            }
            Hint::Folded => (p, buf.len().min(p + MAX_FOLDED), 3),
            Hint::Wrapped => {
                let (s, e) = wrapped_region(buf, p);
                (s, e, 4)
            }
            _ => {
                let (s, e) = region(buf, p, quoted_printable);
                (s, e, 0)
            }
        })
        .collect();
    regions.sort_unstable();
    let mut merged: Vec<(usize, usize, u8)> = Vec::new();
    for r in regions {
        match merged.last_mut() {
            Some(last) if r.0 < last.1 && r.2 == last.2 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    let mut out = Vec::new();
    for (s, e, how) in merged {
        let view = if how == 4 {
            rejoin(buf, s, e)
        } else if how == 3 {
            unfold(buf, s, e)
        } else if how == 2 {
            decode_wrapped_base64(buf, s, e)
        } else if how == 1 {
            decode_base64(buf, s, e)
        } else {
            let map: Vec<usize> = (s..=e).collect();
            let full = undo_escapes(&buf[s..e], &map, quoted_printable, true);
            // Percent escapes under another layer (`password=3DKr4nich%23Ob3n%26qZ6&` in a
            // quoted-printable mail, `\u0026password=Qv9Wj%26\u0026` in JSON) are the
            // query's own data, which a rule decodes as Moodle does: undoing them with the
            // outer layer would cut the value at its `&`. That reading comes first, so its
            // hits win over the full view's on the same bytes (see `Matcher::find`).
            if memchr::memchr(b'%', &buf[s..e]).is_some() {
                let outer = undo_escapes(&buf[s..e], &map, quoted_printable, false);
                if outer.text.len() >= 8 && outer.text != buf[s..e] && outer.text != full.text {
                    out.push(outer);
                }
            }
            full
        };
        if view.text.len() >= 8 && view.text != buf[s..e] {
            out.push(view);
        }
    }
    out
}

/// Quoted-printable's escape of `=`, lowercased: a caller that knows an input holds none
/// in any case tells [`escapes_past`] so, which spares it a search of the input.
pub const QP_EQUALS: &str = "=3d";

/// Finds quoted-printable escapes: `=3D` (`=` written as RFC 2045 §6.7 has it), and in an
/// input that says it is quoted-printable (a MIME part's `Content-Transfer-Encoding`), soft
/// line breaks too (`=` ending a line, which may cut a token or a URL in two).
struct QpFinder {
    equals: memchr::memmem::Finder<'static>,
    /// Whether the input says it is quoted-printable (the prefilter saw the word).
    soft_breaks: bool,
}

impl QpFinder {
    fn new(soft_breaks: bool) -> QpFinder {
        QpFinder {
            equals: memchr::memmem::Finder::new(b"=3D"),
            soft_breaks,
        }
    }

    /// The offset in `w` (a part of the input) of the first escape: in a quoted-printable
    /// input, also a line break after `=`, and the escape of a byte past ASCII
    /// (`facilit=C3=B3`: the one [`decode_escapes`] undoes).
    fn find(&self, w: &[u8]) -> Option<usize> {
        if !self.soft_breaks {
            return self.equals.find(w);
        }
        let upper_hex = |b: &u8| b.is_ascii_digit() || (b'A'..=b'F').contains(b);
        memchr::memchr_iter(b'=', w).find(|&o| match &w[o + 1..] {
            [b'\n', ..] | [b'\r', b'\n', ..] | [b'3', b'D', ..] => true,
            [a, b, ..] => matches!(a, b'8'..=b'9' | b'A'..=b'F') && upper_hex(b),
            _ => false,
        })
    }
}

/// How many lines after a keyword its escapes are looked for (an escaped request's body
/// under its `POST …/login/token.php`), within [`AFTER_KEYWORD_MAX`] bytes.
const LINES_AFTER_KEYWORD: usize = 3;

/// Most bytes after a keyword that its escapes are looked for in.
const AFTER_KEYWORD_MAX: usize = 512;

/// Where the search for the escapes of a keyword at `k` ends: [`NEAR`] bytes past it, or
/// the end of the [`LINES_AFTER_KEYWORD`]th line below it, whichever is further (at most
/// [`AFTER_KEYWORD_MAX`] bytes).
fn after_keyword(buf: &[u8], k: usize) -> usize {
    let hi = (k + AFTER_KEYWORD_MAX).min(buf.len());
    let lines_end = memchr::memchr_iter(b'\n', &buf[k.min(hi)..hi])
        .nth(LINES_AFTER_KEYWORD)
        .map_or(hi, |n| k + n);
    lines_end.max(k + NEAR).min(buf.len())
}

/// Escapes from [`NEAR`] bytes before the rule keywords at `keywords` (offsets, ascending)
/// to a few lines after them ([`after_keyword`]), one per line (a view takes in the hint's whole line), at most [`max_hints`]: `\u00`,
/// `\x`, `\/`, `\"`, a percent-encoded URL delimiter (`%3A`, `%2F`, `%3D`, `%26`, `%3F`, `%25`,
/// ...), an HTML entity, quoted-printable `=3D`, a terminal's control sequence.
pub fn escapes_near(buf: &[u8], keywords: &[usize], quoted_printable: bool) -> Vec<usize> {
    // Quoted-printable writes `=` as `=3D` (uppercase, RFC 2045 §6.7); `=` alone is far too
    // common in code to look at each one. Soft line breaks are joined in every view.
    let qp_finder = QpFinder::new(quoted_printable);
    let mut out = Vec::new();
    let mut next = 0;
    let mut i = 0;
    let max = max_hints(buf.len());
    while i < keywords.len() && out.len() < max {
        // One window for keywords close together.
        let start = keywords[i].saturating_sub(NEAR).max(next);
        let mut end = after_keyword(buf, keywords[i]);
        while i < keywords.len() && keywords[i].saturating_sub(NEAR) <= end {
            end = after_keyword(buf, keywords[i]);
            i += 1;
        }
        let end = end.min(buf.len());
        // The first escape at or after `from`, among `\ % &` and among `=` (two SIMD
        // searches, each result kept until passed, so no byte is searched twice).
        let first = |from: usize, qp: bool| {
            let w = &buf[from..end];
            if qp {
                return qp_finder.find(w).map(|o| from + o);
            }
            let escape =
                memchr::memchr3_iter(b'\\', b'%', b'&', w).find(|o| is_escape(&buf[from + o..]));
            // A terminal's control sequences (a capture's colours) are rarer: searched
            // apart, up to the escape found.
            let control = memchr::memchr_iter(ESC, &w[..escape.unwrap_or(w.len())])
                .find(|o| is_escape(&buf[from + o..]));
            control.or(escape).map(|o| from + o)
        };
        let (mut a, mut b) = (first(start, false), first(start, true));
        let mut from = start;
        while out.len() < max {
            if a.is_some_and(|p| p < from) {
                a = first(from, false);
            }
            if b.is_some_and(|p| p < from) {
                b = first(from, true);
            }
            let Some(p) = a.into_iter().chain(b).min() else {
                break;
            };
            out.push(p);
            // The view takes in the rest of the line: look again on the next one.
            from = memchr::memchr(b'\n', &buf[p..end]).map_or(end, |n| p + n + 1);
            from = from.min(p + REACH).max(p + 1);
        }
        next = end;
    }
    out
}

/// Escapes in `buf[from..]` with a rule keyword within [`NEAR`] bytes, one per line, at
/// most `room`: [`escapes_near`] the other way round, for when the keywords' offsets are
/// not all known (the prefilter skips a word's later occurrences once it has seen it).
/// `keyword_in(start, end)` says whether `buf[start..end]` holds a rule keyword;
/// `equals_possible`: whether the input may hold [`QP_EQUALS`] in any case (when it does
/// not, and does not say it is quoted-printable, no search for that escape is made).
pub fn escapes_past(
    buf: &[u8],
    from: usize,
    room: usize,
    quoted_printable: bool,
    equals_possible: bool,
    keyword_in: impl Fn(usize, usize) -> bool,
) -> Vec<usize> {
    let qp_possible = quoted_printable || equals_possible;
    let qp_finder = QpFinder::new(quoted_printable);
    let mut out = Vec::new();
    let mut at = from;
    // Bytes up to here, from the last window's start, hold no keyword: a window overlapping
    // them searches only its new part (from `NEAR` back, for a keyword across the seam).
    let mut clean_to = 0;
    // The next `=3D` at or after `at`, searched again only once `at` has passed it (a
    // search of the whole rest per escape would be quadratic in a file without one).
    let mut qp: Option<usize> = None;
    let mut qp_from = usize::MAX;
    // The same for a terminal's control sequences.
    let mut control: Option<usize> = None;
    let mut control_from = usize::MAX;
    while at < buf.len() && out.len() < room {
        let rest = &buf[at..];
        let slash = memchr::memchr3_iter(b'\\', b'%', b'&', rest)
            .find(|&o| is_escape(&rest[o..]))
            .map(|o| at + o);
        if qp_possible && (qp_from > at || qp.is_some_and(|q| q < at)) {
            qp = qp_finder.find(rest).map(|o| at + o);
            qp_from = at;
        }
        if control_from > at || control.is_some_and(|c| c < at) {
            control = memchr::memchr_iter(ESC, rest)
                .find(|&o| is_escape(&rest[o..]))
                .map(|o| at + o);
            control_from = at;
        }
        let Some(p) = slash.into_iter().chain(qp).chain(control).min() else {
            break;
        };
        // A keyword around the escape, or starting up to `NEAR` bytes after it (the
        // longest keyword fits in the window's extra `NEAR` bytes).
        let (s, e) = (p.saturating_sub(NEAR), (p + 2 * NEAR).min(buf.len()));
        let fresh = if s < clean_to {
            clean_to.saturating_sub(NEAR).max(s)
        } else {
            s
        };
        if keyword_in(fresh, e) {
            out.push(p);
            at = memchr::memchr(b'\n', &buf[p..]).map_or(buf.len(), |n| p + n + 1);
            at = at.min(p + REACH).max(p + 1);
        } else {
            clean_to = e;
            at = p + 1;
        }
    }
    out
}

/// Whether `b` starts with an escape worth decoding.
fn is_escape(b: &[u8]) -> bool {
    let lower = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    match b[0] {
        b'\\' => match lower(1) {
            Some(b'u') => b.get(2..4) == Some(b"00"),
            Some(b'x') => b.get(2..4).and_then(hex_byte).is_some(),
            Some(b'/' | b'"') => true,
            _ => false,
        },
        b'%' => b.get(1..3).and_then(hex_byte).is_some_and(|x| {
            matches!(
                x,
                b':' | b'/' | b'=' | b'&' | b'?' | b'%' | b'"' | b'\'' | b'+' | b' ' | b'@' | b'#'
            )
        }),
        b'&' => crate::keyed::unescape::entity(&b[1..]).is_some(),
        ESC => control_sequence(b).is_some(),
        _ => false,
    }
}

fn has_escape(b: &[u8]) -> bool {
    b.iter()
        .any(|&c| matches!(c, b'%' | b'\\' | b'&' | b'=' | ESC))
}

/// The escape byte that starts a terminal's control sequences.
const ESC: u8 = 0x1b;

/// Longest control sequence read, in bytes (a window title's OSC is the longest kind).
const CONTROL_MAX: usize = 512;

/// The length of the terminal control sequence `b` starts with, if it starts with one (ECMA-48
/// §5.4): a CSI (`ESC [`, parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, a final
/// byte 0x40-0x7E: colours, cursor moves, erasing) or an OSC (`ESC ]` up to BEL or `ESC \`:
/// a window title). A terminal capture (`script(1)`'s typescript, a CI job's log, `jq`'s
/// coloured output) writes them between a key and its value; they show nothing.
fn control_sequence(b: &[u8]) -> Option<usize> {
    match b.get(..2)? {
        [ESC, b'['] => {
            let params = b[2..]
                .iter()
                .take(CONTROL_MAX)
                .take_while(|&&c| (0x20..=0x3f).contains(&c))
                .count();
            let last = *b.get(2 + params)?;
            (0x40..=0x7e).contains(&last).then_some(params + 3)
        }
        [ESC, b']'] => {
            let body = &b[2..b.len().min(CONTROL_MAX)];
            let end = body.iter().position(|&c| c == 0x07 || c == ESC)?;
            match body[end] {
                0x07 => Some(end + 3),
                _ => (body.get(end + 1) == Some(&b'\\')).then_some(end + 4),
            }
        }
        _ => None,
    }
}

/// How many lines above an escape its view takes in (within [`REACH`]).
const ESCAPE_LINES_ABOVE: usize = 4;
/// Lines below a quoted-printable escape its region takes in (see [`region`]).
const ESCAPE_LINES_BELOW: usize = 3;

/// The region around an escape at `p`: its line and [`ESCAPE_LINES_ABOVE`] lines above it,
/// at most [`REACH`] bytes each side, plus, in a `quoted_printable` input,
/// [`ESCAPE_LINES_BELOW`] lines below it and the lines a soft line break (`=` at a line's
/// end) joins to it.
fn region(buf: &[u8], p: usize, quoted_printable: bool) -> (usize, usize) {
    let line_start = |at: usize| memchr::memrchr(b'\n', &buf[..at]).map_or(0, |i| i + 1);
    let line_end = |at: usize| memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i);
    let soft = |end: usize| {
        let body = buf[..end].strip_suffix(b"\r").unwrap_or(&buf[..end]);
        body.ends_with(b"=")
    };
    let lo = p.saturating_sub(REACH);
    let hi = (p + REACH).min(buf.len());
    let mut s = line_start(p).max(lo);
    let mut e = line_end(p).min(hi);
    // The lines just above, within the reach: what an escaped line says is often introduced
    // there (an escaped HTTP request's `POST …/login/token.php` above its body), and a rule
    // reads the view alone.
    for _ in 0..ESCAPE_LINES_ABOVE {
        if s == 0 || s <= lo {
            break;
        }
        s = line_start(s - 1).max(lo);
    }
    // Soft line breaks: up to a few lines before and after, within twice the reach.
    for _ in 0..8 {
        if !quoted_printable || s == 0 || s < lo || buf[s - 1] != b'\n' || !soft(s - 1) {
            break;
        }
        s = line_start(s - 1).max(p.saturating_sub(2 * REACH));
    }
    for _ in 0..8 {
        if !quoted_printable || e >= buf.len() || e >= hi || !soft(e) {
            break;
        }
        e = line_end(e + 1).min((p + 2 * REACH).min(buf.len()));
    }
    // In a quoted-printable body every line is the encoding's: a sentence whose escape
    // (`facilit=C3=B3`) keeps it from being read as written may introduce a value on the
    // lines below (`…el token que nos facilit=C3=B3 Marta:` ⏎ ⏎ `    <value>`).
    if quoted_printable {
        let below = (p + 2 * REACH).min(buf.len());
        for _ in 0..ESCAPE_LINES_BELOW {
            if e >= below {
                break;
            }
            e = line_end(e + 1).min(below);
        }
    }
    (s, e)
}

/// Base64 alphabet bytes (both alphabets).
fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The base64 value holding `p`: the run of base64 bytes around it, with its padding, at
/// most [`MAX_BASE64`] bytes.
fn base64_run(buf: &[u8], p: usize) -> (usize, usize) {
    let mut s = p;
    while s > 0 && p - s < MAX_BASE64 && is_b64(buf[s - 1]) {
        s -= 1;
    }
    let mut e = p;
    while e < buf.len() && e - s < MAX_BASE64 && is_b64(buf[e]) {
        e += 1;
    }
    while e < buf.len() && buf[e] == b'=' && e - s < MAX_BASE64 {
        e += 1;
    }
    (s, e)
}

/// Longest folded input read unfolded, in bytes.
const MAX_FOLDED: usize = 1 << 20;

/// How far into an input its `BEGIN:VCALENDAR` or `BEGIN:VCARD` line is looked for, in bytes.
const FOLDED_HEAD: usize = 4096;

/// The [`Hint::Folded`] of `lower` (an input, lowercased) when it says it is an iCalendar
/// or vCard object near its start, where these formats begin.
pub fn folded_hint(lower: &[u8]) -> Option<(usize, Hint)> {
    let head = &lower[..lower.len().min(FOLDED_HEAD)];
    [&b"begin:vcalendar"[..], b"begin:vcard"]
        .iter()
        .any(|w| memchr::memmem::find(head, w).is_some())
        .then_some((0, Hint::Folded))
}

/// The content lines of `buf[s..e]` unfolded: every line break followed by one space or tab
/// is removed with that blank (RFC 5545 §3.1), and text escapes undone (`\,` is `,`), each
/// byte mapped to where it was written.
fn unfold(buf: &[u8], s: usize, e: usize) -> View {
    let mut text = Vec::with_capacity(e - s);
    let mut map = Vec::with_capacity(e - s + 1);
    let mut i = s;
    while i < e {
        let fold = match &buf[i..e] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            i += fold;
            continue;
        }
        // A TEXT value's escapes (RFC 5545 §3.3.11: `\\`, `\;`, `\,`, `\n`), undone when
        // they lie within one content line.
        let escaped = match buf[i..e] {
            [b'\\', c @ (b'\\' | b';' | b','), ..] => Some(c),
            [b'\\', b'n' | b'N', ..] => Some(b'\n'),
            _ => None,
        };
        text.push(escaped.unwrap_or(buf[i]));
        map.push(i);
        i += if escaped.is_some() { 2 } else { 1 };
    }
    map.push(e);
    View { text, map }
}

/// Lengths of the values a wrapped line may cut: a token's 32 hex digits, a private token's
/// 64 letters and digits.
const WRAPPED_LENGTHS: [usize; 2] = [32, 64];

/// How many lines before a wrapped line its view takes in (the name or the sentence that
/// introduces the value), and after.
const WRAPPED_LINES: (usize, usize) = (12, 3);

/// Most bytes either side of a wrapped line its view takes in.
const WRAPPED_BYTES: usize = 2048;

/// The line breaks of `buf` that cut a value or a keyword in two, at most `room`, as
/// [`Hint::Wrapped`] hints (the offset of the `\n`). Hard-wrapped text (`pdftotext`, a
/// terminal, a mail client) breaks a long run where the column ends, with a hyphen or
/// without, and may indent the rest: a run of letters and digits ending a line and the run
/// starting the next (after blanks) that together make exactly a token (32 hex digits) or a
/// private token (64 letters and digits), neither whole by itself; or a word hyphenated
/// across the break that holds `token` only when rejoined (`wstok-` ⏎ `en=`). One pass over
/// the line breaks, two bytes read at each that cannot be one.
pub fn wrapped_hints(buf: &[u8], path: &str, room: usize) -> Vec<(usize, Hint)> {
    let mut out = Vec::new();
    if is_source_code(path) {
        return out;
    }
    for n in memchr::memchr_iter(b'\n', buf) {
        if out.len() >= room {
            break;
        }
        // Most lines end in punctuation: one byte read rejects them.
        let last = buf[..n].last().copied().unwrap_or(b'\n');
        if (last.is_ascii_alphanumeric() || last == b'-' || last == b'\r') && cuts_in_two(buf, n) {
            out.push((n, Hint::Wrapped));
        }
    }
    out
}

/// File-name extensions of source code and structured data: their lines are written, not
/// wrapped by a column limit (hard wrapping is done to documents, mail, logs and text
/// extracted from PDFs or screenshots), so they are not read for values cut in two.
const SOURCE_EXTENSIONS: &[&str] = &[
    "c", "cc", "cjs", "cpp", "cs", "css", "dart", "go", "h", "java", "js", "json", "jsx", "kt",
    "lock", "mjs", "php", "py", "rb", "rs", "scss", "sql", "swift", "toml", "ts", "tsx", "vue",
    "xml", "yaml", "yml",
];

/// Whether `path` names a file of source code or structured data (see
/// [`SOURCE_EXTENSIONS`]).
fn is_source_code(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        SOURCE_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// Whether the line break at `n` cuts a value or a keyword in two (see [`wrapped_hints`]).
fn cuts_in_two(buf: &[u8], n: usize) -> bool {
    let before = buf[..n].strip_suffix(b"\r").unwrap_or(&buf[..n]);
    let (before, hyphen) = match before.strip_suffix(b"-") {
        Some(b) => (b, true),
        None => (before, false),
    };
    let next = &buf[n + 1..];
    let blanks = next
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let next = &next[blanks..];
    let alnum = |b: &&u8| b.is_ascii_alphanumeric();
    if !before.last().is_some_and(|b| alnum(&b)) || !next.first().is_some_and(|b| alnum(&b)) {
        return false;
    }
    let longest = WRAPPED_LENGTHS[1];
    let tail_len = next.iter().take(longest).take_while(alnum).count();
    // No more of the head than could complete a value is read.
    let head_max = (longest + 1).saturating_sub(tail_len);
    let head_len = before.iter().rev().take(head_max).take_while(alnum).count();
    let (head, tail) = (&before[before.len() - head_len..], &next[..tail_len]);
    let hex = |b: &[u8]| b.iter().all(u8::is_ascii_hexdigit);
    // Runs are counted up to the longest value: a longer one (a base64 or hex block's
    // lines) is no value cut in two.
    let value = WRAPPED_LENGTHS.iter().any(|&len| {
        head_len < len
            && tail_len < len
            && head_len + tail_len == len
            && (len == 64 || (hex(head) && hex(tail)))
    });
    let keyword = || {
        let word: Vec<u8> = head
            .iter()
            .chain(tail)
            .map(u8::to_ascii_lowercase)
            .collect();
        let has = |w: &[u8]| memchr::memmem::find(w, b"token").is_some();
        has(&word) && !has(&head.to_ascii_lowercase()) && !has(&tail.to_ascii_lowercase())
    };
    value || (hyphen && keyword())
}

/// The region a [`Hint::Wrapped`] at `p` (a line break) is read in: [`WRAPPED_LINES`] lines
/// around it, at most [`WRAPPED_BYTES`] either side.
fn wrapped_region(buf: &[u8], p: usize) -> (usize, usize) {
    let lo = p.saturating_sub(WRAPPED_BYTES);
    let hi = (p + 1 + WRAPPED_BYTES).min(buf.len());
    let s = memchr::memrchr_iter(b'\n', &buf[lo..p])
        .nth(WRAPPED_LINES.0)
        .map_or(lo, |i| lo + i + 1);
    let e = memchr::memchr_iter(b'\n', &buf[p + 1..hi])
        .nth(WRAPPED_LINES.1)
        .map_or(hi, |i| p + 1 + i);
    (s, e)
}

/// `buf[s..e]` with every line break that cuts a value or keyword in two (see
/// [`wrapped_hints`]) removed, with the hyphen before it and the blanks after it, each byte
/// mapped to where it was written.
fn rejoin(buf: &[u8], s: usize, e: usize) -> View {
    let mut text = Vec::with_capacity(e - s);
    let mut map = Vec::with_capacity(e - s + 1);
    let mut i = s;
    while i < e {
        if buf[i] == b'\n' && i + 1 < e && cuts_in_two(buf, i) {
            // Drop the `\r` and hyphen already copied, then the break and the indentation.
            while matches!(text.last(), Some(b'\r' | b'-'))
                && map.last().is_some_and(|&m| i - m <= 2)
            {
                text.pop();
                map.pop();
            }
            i += 1;
            while i < e && matches!(buf[i], b' ' | b'\t') {
                i += 1;
            }
            continue;
        }
        text.push(buf[i]);
        map.push(i);
        i += 1;
    }
    map.push(e);
    View { text, map }
}

/// The `Content-Transfer-Encoding: base64` headers of `lower` (a lowercased input), at most
/// `room`, as hints.
pub fn mime_hints(lower: &[u8], room: usize) -> Vec<(usize, Hint)> {
    memchr::memmem::find_iter(lower, MIME_BASE64.as_bytes())
        .take(room)
        .map(|p| (p, Hint::MimeBase64))
        .collect()
}

/// How far from a JSON object's `"encoding": "base64"` its encoded field is looked for, in
/// bytes either side (the fields of one HAR `content` object, of one API answer).
const ENCODED_FIELD_REACH: usize = 512;

/// The fields that hold the encoded text of a JSON object that says `"encoding": "base64"`:
/// a HAR entry's `content.text` (W3C Web Performance WG's HAR 1.2, "content": `encoding`
/// "base64" when the browser could not store the body as text), a GitLab repository files
/// API answer's `content` (`GET /projects/:id/repository/files/:path`, one line).
const ENCODED_FIELDS: [&[u8]; 2] = [b"\"text\"", b"\"content\""];

/// The string values a JSON object declares base64 with `"encoding": "base64"` beside them
/// (its `text` or `content` field), in `lower` (a lowercased input), at most `room`, as
/// [`Hint::Base64`] hints at each value's first character: a browser's saved HAR keeps a
/// `login/token.php` answer so.
pub fn encoded_field_hints(lower: &[u8], room: usize) -> Vec<(usize, Hint)> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(lower, b"\"encoding\"") {
        if out.len() >= room {
            break;
        }
        let declared = field_value(&lower[at + 10..]).is_some_and(|v| v.starts_with(b"\"base64\""));
        if !declared {
            continue;
        }
        let (lo, hi) = (
            at.saturating_sub(ENCODED_FIELD_REACH),
            (at + ENCODED_FIELD_REACH).min(lower.len()),
        );
        for field in ENCODED_FIELDS {
            for f in memchr::memmem::find_iter(&lower[lo..hi], field) {
                let Some(rest) = field_value(&lower[lo + f + field.len()..]) else {
                    continue;
                };
                if !rest.starts_with(b"\"") {
                    continue;
                }
                let value = lower.len() - rest.len() + 1;
                let long = (lower.get(value..value + MIN_BASE64))
                    .is_some_and(|head| head.iter().all(|&b| is_b64(b)));
                if long && !out.iter().any(|&(p, _)| p == value) {
                    out.push((value, Hint::Base64));
                }
            }
        }
    }
    out.truncate(room);
    out
}

/// What follows a JSON field's name (`after`: the text right after its closing quote): the
/// rest from its value on, past the blanks, the `:` and the blanks after it; `None` when no
/// `:` comes first.
fn field_value(after: &[u8]) -> Option<&[u8]> {
    Some(
        after
            .trim_ascii_start()
            .strip_prefix(b":")?
            .trim_ascii_start(),
    )
}

/// Shortest value of a Kubernetes `Secret`'s `data` decoded as a whole, in base64 characters:
/// shorter ones hold one value at most (a 32-hex token alone is 44), which keyed detection
/// decodes by its shape under the key that names it.
const MIN_SECRET_DATA: usize = 48;

/// The values of a Kubernetes `Secret`'s `data` (or any `key: <base64>` line of an input that
/// says `kind: Secret`) long enough to hold a file (`.env: <base64>` from `kubectl create
/// secret generic --from-file=.env`), at most `room`, as [`Hint::Base64`] hints: each decodes
/// to a view that every rule reads, its findings placed on the encoded line.
pub fn secret_data_hints(buf: &[u8], room: usize) -> Vec<(usize, Hint)> {
    let mut out = Vec::new();
    for line in buf.split(|&b| b == b'\n') {
        if out.len() >= room {
            break;
        }
        let text = line.trim_ascii();
        let Some(colon) = memchr::memchr(b':', text) else {
            continue;
        };
        let value = text[colon + 1..].trim_ascii();
        let value = value
            .strip_prefix(b"\"")
            .and_then(|v| v.strip_suffix(b"\""))
            .unwrap_or(value);
        let body = value
            .strip_suffix(b"==")
            .or_else(|| value.strip_suffix(b"="));
        let body = body.unwrap_or(value);
        if body.len() >= MIN_SECRET_DATA && body.iter().all(|&b| is_b64(b)) {
            let at = value.as_ptr() as usize - buf.as_ptr() as usize;
            out.push((at, Hint::Base64));
        }
    }
    out
}

/// The body of the MIME part whose `Content-Transfer-Encoding: base64` header is at `p`: from
/// after the blank line that ends the part's headers to the next blank line or boundary
/// (`--…`), at most [`MAX_MIME`] bytes.
fn mime_body(buf: &[u8], p: usize) -> (usize, usize) {
    let after = &buf[p..];
    let headers_end = memchr::memmem::find(after, b"\n\n")
        .map(|i| i + 2)
        .or_else(|| memchr::memmem::find(after, b"\n\r\n").map(|i| i + 3));
    let Some(body) = headers_end.map(|i| p + i) else {
        return (p, p);
    };
    let limit = (body + MAX_MIME).min(buf.len());
    let mut end = body;
    while end < limit {
        let line_end = memchr::memchr(b'\n', &buf[end..limit]).map_or(limit, |i| end + i);
        let line = buf[end..line_end].trim_ascii();
        if line.is_empty() || line.starts_with(b"--") {
            break;
        }
        end = (line_end + 1).min(limit);
    }
    (body, end.min(limit))
}

/// A base64 body wrapped over lines (`s..e`) decoded, when it is text; each decoded byte maps
/// to the encoded character it came from (line breaks skipped).
fn decode_wrapped_base64(buf: &[u8], s: usize, e: usize) -> View {
    let at: Vec<usize> = (s..e)
        .filter(|&i| is_b64(buf[i]) || buf[i] == b'=')
        .collect();
    decode_base64_chars(buf, s, &at, e)
}

/// The base64 value at `s..e` decoded, when it is text; its bytes map to the 4-character
/// group they came from.
fn decode_base64(buf: &[u8], s: usize, e: usize) -> View {
    let at: Vec<usize> = (s..e).collect();
    decode_base64_chars(buf, s, &at, e)
}

/// The base64 characters of `buf` at offsets `at` (ascending, within `s..e`) decoded, in
/// either alphabet, padding optional: a view when they decode to text (19 bytes in 20
/// printable), else an empty one. Decoded byte `i` maps to the offset of the character that
/// holds its first bits.
fn decode_base64_chars(buf: &[u8], s: usize, at: &[usize], e: usize) -> View {
    let empty = View {
        text: Vec::new(),
        map: vec![s],
    };
    if at.len() < MIN_BASE64 {
        return empty;
    }
    let lenient = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let std = GeneralPurpose::new(&alphabet::STANDARD, lenient);
    let url = GeneralPurpose::new(&alphabet::URL_SAFE, lenient);
    let raw: Vec<u8> = at.iter().map(|&i| buf[i]).collect();
    // A value cut off at its start by the region's bound decodes from a group boundary.
    let Ok(text) = std.decode(&raw).or_else(|_| url.decode(&raw)) else {
        return empty;
    };
    let printable = text
        .iter()
        .filter(|&&b| b.is_ascii_graphic() || b.is_ascii_whitespace() || b >= 0x80)
        .count();
    if printable * 20 < text.len() * 19 {
        return empty;
    }
    let mut map: Vec<usize> = (0..text.len())
        .map(|i| at[(i / 3 * 4 + i % 3).min(at.len() - 1)])
        .collect();
    map.push(e);
    View { text, map }
}

/// [`decode_escapes`] once, and again when the first pass left escapes (doubly encoded
/// text, `&amp;amp;`, `\u0026amp;`).
fn undo_escapes(src: &[u8], map: &[usize], quoted_printable: bool, percent: bool) -> View {
    let once = decode_escapes(src, map, quoted_printable, percent);
    if once.text.len() < src.len() && has_escape(&once.text) {
        decode_escapes(&once.text, &once.map, quoted_printable, percent)
    } else {
        once
    }
}

/// One pass over `src` undoing JSON/JS string escapes, percent-encoding (when `percent`),
/// HTML entities, quoted-printable (`=XX` of `=`, line breaks and tabs; soft line breaks
/// removed when `quoted_printable`: the input says it is) and dropping a terminal's control
/// sequences (ECMA-48 CSI and OSC). `map` gives each byte of `src`
/// its buffer offset (plus one end entry); the result's map does the same for the decoded
/// bytes. An invalid escape is kept as written.
pub fn decode_escapes(src: &[u8], map: &[usize], quoted_printable: bool, percent: bool) -> View {
    let mut text = Vec::with_capacity(src.len());
    let mut out_map = Vec::with_capacity(src.len() + 1);
    let mut i = 0;
    let mut tmp = [0u8; 4];
    while i < src.len() {
        let c = src[i];
        let rest = &src[i + 1..];
        let (bytes, used): (&[u8], usize) = match c {
            b'\\' => match rest.first() {
                Some(b'u') => match rest
                    .get(1..5)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    Some(ch) => (ch.encode_utf8(&mut tmp).as_bytes(), 6),
                    None => (&src[i..=i], 1),
                },
                Some(b'x') => match rest.get(1..3).and_then(hex_byte).filter(u8::is_ascii) {
                    Some(b) => {
                        tmp[0] = b;
                        (&tmp[..1], 4)
                    }
                    None => (&src[i..=i], 1),
                },
                Some(b'n') | Some(b'r') => (b"\n", 2),
                Some(b't') => (b"\t", 2),
                Some(b'"' | b'\'' | b'/' | b'\\' | b'`') => (&src[i + 1..i + 2], 2),
                _ => (&src[i..=i], 1),
            },
            b'%' if !percent => (&src[i..=i], 1),
            b'%' => match rest.get(..2).and_then(hex_byte) {
                Some(b) => {
                    tmp[0] = b;
                    (&tmp[..1], 3)
                }
                None => (&src[i..=i], 1),
            },
            b'=' => match rest {
                [b'\n', ..] if quoted_printable => (&[][..], 2),
                [b'\r', b'\n', ..] if quoted_printable => (&[][..], 3),
                // Quoted-printable writes its hex digits uppercase (RFC 2045 §6.7): `=3d`,
                // `=0a` are a value's own text (a token is lowercase hex). `=3D` is read
                // anywhere (a mail pasted without its headers); a line break, a tab or a
                // byte past ASCII (the UTF-8 of `facilit=C3=B3`) only where the input says
                // it is quoted-printable. A printable ASCII byte is left as written: an
                // encoder has no reason to escape it, and a URL pasted into the mail
                // unencoded (`?token=62dc…`) is read as written.
                _ => match rest
                    .get(..2)
                    .filter(|h| !h.iter().any(u8::is_ascii_lowercase))
                    .and_then(hex_byte)
                    .filter(|&b| {
                        b == b'='
                            || (quoted_printable
                                && (!b.is_ascii() || matches!(b, b'\n' | b'\r' | b'\t')))
                    }) {
                    Some(b) => {
                        tmp[0] = b;
                        (&tmp[..1], 3)
                    }
                    None => (&src[i..=i], 1),
                },
            },
            b'&' => match crate::keyed::unescape::entity(rest) {
                Some((b, n)) => {
                    tmp[0] = b;
                    (&tmp[..1], n + 1)
                }
                None => (&src[i..=i], 1),
            },
            ESC => match control_sequence(&src[i..]) {
                Some(n) => (&[][..], n),
                None => (&src[i..=i], 1),
            },
            _ => (&src[i..=i], 1),
        };
        for &b in bytes {
            text.push(b);
            out_map.push(map[i]);
        }
        i += used;
    }
    out_map.push(map[src.len()]);
    View { text, map: out_map }
}

fn hex_byte(h: &[u8]) -> Option<u8> {
    let s = std::str::from_utf8(h).ok()?;
    u8::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(s: &str) -> String {
        let map: Vec<usize> = (0..=s.len()).collect();
        String::from_utf8(decode_escapes(s.as_bytes(), &map, true, true).text).unwrap()
    }

    /// CSI and OSC sequences are dropped whole, wherever they stand; an escape byte that
    /// starts neither, or a sequence cut off, is kept as written.
    #[test]
    fn terminal_control_sequences_are_dropped() {
        assert_eq!(
            decoded("\x1b[34;1m\"token\"\x1b[0m:\x1b[0;32m\"v\"\x1b[0m"),
            "\"token\":\"v\""
        );
        assert_eq!(decoded("\x1b]0;user@host: ~\x07$ ls"), "$ ls");
        assert_eq!(decoded("\x1b]0;title\x1b\\$ ls"), "$ ls");
        assert_eq!(decoded("a\x1b(Bb"), "a\x1b(Bb");
        assert_eq!(decoded("a\x1b[12"), "a\x1b[12");
        assert!(is_escape(b"\x1b[0m") && !is_escape(b"\x1b(B"));
    }

    #[test]
    fn each_escape_is_undone_and_mapped_to_its_source() {
        assert_eq!(decoded(r"a\u0026b\/c\x3d"), "a&b/c=");
        assert_eq!(decoded("%3A%2F%2Ftoken%3D"), "://token=");
        assert_eq!(decoded("x&amp;y&#x2F;z&#47;"), "x&y/z/");
        assert_eq!(decoded("to=\nken=3D1=\r\n2"), "token=12");
        assert_eq!(decoded("a=2Fb %zz \\q"), "a=2Fb %zz \\q");
        let s = "ab%3Dcd";
        let map: Vec<usize> = (0..=s.len()).collect();
        let v = decode_escapes(s.as_bytes(), &map, true, true);
        assert_eq!(v.map, vec![0, 1, 2, 5, 6, 7]);
        assert_eq!(v.span(2, 4), (2, 6));
    }

    #[test]
    fn keywords_with_a_slash_are_hints_as_json_writes_them_unless_they_hold_a_keyword() {
        let keywords = ["auth/userkey/", "login/token.php", "token", "webservice/"];
        let words: Vec<String> = hint_words(&keywords)
            .into_iter()
            .filter(|(_, h)| *h == Hint::Encoded)
            .map(|(w, _)| w)
            .collect();
        assert!(
            words.contains(&"auth\\/userkey\\/".to_string()),
            "{words:?}"
        );
        assert!(words.contains(&"webservice\\/".to_string()), "{words:?}");
        // `login\/token.php` holds `token`: an escape near that keyword is a hint already.
        assert!(!words.iter().any(|w| w.starts_with("login")), "{words:?}");
    }

    #[test]
    fn base64_hints_match_every_alignment() {
        let words = hint_words(&[]);
        let b64 = base64::engine::general_purpose::STANDARD;
        for pad in ["", "a", "ab"] {
            let enc = b64
                .encode(format!("{pad}moodlemobile://token=abc"))
                .to_ascii_lowercase();
            assert!(
                words
                    .iter()
                    .any(|(w, h)| *h == Hint::Base64 && enc.contains(w.as_str())),
                "{pad:?}"
            );
        }
    }

    #[test]
    fn a_region_takes_in_soft_broken_lines_and_base64_values_decode_to_text() {
        let buf = b"head\nmoodlemobile://to=\nken=3Dabc=\ndef\nnext line\n";
        let p = buf.windows(2).position(|w| w == b"=\n").unwrap();
        // The lines above (here `head`) come with the region: what introduces the line.
        // In a quoted-printable input, so do the lines below (what the line introduces).
        let (s, e) = region(buf, p, true);
        assert_eq!(
            &buf[s..e],
            b"head\nmoodlemobile://to=\nken=3Dabc=\ndef\nnext line\n"
        );
        let views = build(buf, &[(p, Hint::Escape)], true);
        assert_eq!(
            views[0].text,
            b"head\nmoodlemobile://token=abcdef\nnext line\n"
        );
        // An input that does not say it is quoted-printable: `=` ends its line (a YAML
        // `uri: …&service=`), and the next line is no part of it.
        let (s, e) = region(buf, p, false);
        assert_eq!(&buf[s..e], b"head\nmoodlemobile://to=");
        let views = build(buf, &[(p + 6, Hint::Escape)], false);
        assert!(views
            .iter()
            .all(|v| !v.text.windows(5).any(|w| w == b"token")));
        let enc =
            base64::engine::general_purpose::STANDARD.encode("see https://x/login/token.php?a=b");
        let buf = format!("value: {enc}\n");
        let views = build(buf.as_bytes(), &[(10, Hint::Base64)], false);
        assert_eq!(views[0].text, b"see https://x/login/token.php?a=b");
        assert_eq!(views[0].map[0], 7);
    }
}
