//! Keyed detection: a credential is a value *bound to a name that means it*.
//!
//! A keyed rule (`mechanism = "keyed"` in its rule file) names a value shape (`value =
//! "hex32"`: Moodle's `md5(uniqid(rand(), true))` tokens; `"alnum64"`: private tokens) and a
//! `[names]` table of phrases. For each value of that shape in an input:
//! 1. [`key`] finds the name(s) the value is bound to, whatever the syntax (assignment with
//!    types and accessors, name/value pairs over several lines, table columns, SQL dumps,
//!    PHP-serialized data, escaped JSON, prose, the file's own name);
//! 2. [`names`] classifies each name for the rule: a Moodle credential by itself, a
//!    Moodle-ish name, a generic credential name, another service's, or not a secret;
//! 3. [`context`] decides, for the names that need it, whether Moodle is mentioned (anywhere,
//!    or within the rule's `context_lines`), and the enclosing key of the value is checked so
//!    that `datadog: {apiKey: …}` in a Moodle chart is Datadog's.
//!
//! Everything an input needs (its SQL index, its Moodle signals, each value's key) is
//! computed once, lazily, and shared by the keyed rules ([`KeyedInput`]).

pub mod context;
pub mod json_table;
pub mod key;
pub mod names;
pub mod runs;
pub mod table;
pub mod unescape;

use crate::presence::Presence;
use crate::rules::validate::{Candidate, Validator};
use context::MoodleContext;
use key::{Key, Source};
use names::{NameClass, NameSpec, Vocabulary};
use runs::ByteClass;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;
use table::SqlIndex;

/// The longest line read as a one-line record of keys ([`KeyedInput::record_names_moodle`]),
/// in bytes.
const RECORD_LINE_MAX: usize = 4096;
/// How many lines each way of a value a record written a field a line is read for the keys
/// that name Moodle ([`KeyedInput::record_names_moodle`]).
const RECORD_FIELD_LINES: usize = 8;
/// Stems every spelling of a service title holds, lowercased (`names.toml`'s
/// `[token_store_columns]` `service`: `service`, `servicio`, `serviço`, `servizio`,
/// `dienst`, `usługa`, `shortname`, `kurzname`).
const SERVICE_STEMS: [&[u8]; 5] = [
    b"servi",
    b"dienst",
    "usług".as_bytes(),
    b"shortname",
    b"kurzname",
];
/// Stems every spelling of a token title holds, lowercased (`[token_store_columns]`
/// `token`: `token`, `wstoken`, `jeton`, `schlüssel`, `chave`, `clave`, `klucz`, `sleutel`).
const TOKEN_STEMS: [&[u8]; 7] = [
    b"token", b"jeton", b"schl", b"chave", b"clave", b"klucz", b"sleutel",
];

/// Whether `text` (lowercased) holds a stem one of `stems` looks for.
fn holds_stem(text: &[u8], stems: &[memchr::memmem::Finder<'static>]) -> bool {
    stems.iter().any(|f| f.find(text).is_some())
}

/// Searchers for [`TOKEN_STEMS`], [`SERVICE_STEMS`] and [`SITE_STEMS`], built once.
fn title_stems() -> &'static [Vec<memchr::memmem::Finder<'static>>; 3] {
    static F: std::sync::OnceLock<[Vec<memchr::memmem::Finder<'static>>; 3]> =
        std::sync::OnceLock::new();
    F.get_or_init(|| {
        let finders = |stems: &[&'static [u8]]| {
            stems
                .iter()
                .map(|s| memchr::memmem::Finder::new(*s))
                .collect()
        };
        [
            finders(&TOKEN_STEMS),
            finders(&SERVICE_STEMS),
            finders(&SITE_STEMS),
        ]
    })
}

/// Stems every spelling of a site title holds, lowercased (`[token_store_columns]` `site`:
/// `url`, `address`, `wwwroot`, `host`, `domain`, `endpoint`, `adresse`, `dirección`,
/// `endereço`, `indirizzo`, `adres`).
const SITE_STEMS: [&[u8]; 8] = [
    b"url",
    b"adres",
    b"address",
    b"wwwroot",
    b"host",
    b"domain",
    b"endpoint",
    b"dire",
];

/// How many lines past a value the end of its block is looked for (see
/// [`KeyedInput::block_mentions_moodle`]).
const BLOCK_LINES: usize = 50;

/// How many lines either side of a value its paragraph is read at most for plugin names.
const PARAGRAPH_LINES: usize = 10;

/// A Moodle component name (`<plugin type>_<name>`, as `lib/classes/component.php` spells
/// them), in lowercased text.
fn plugin_re() -> &'static regex::bytes::Regex {
    static R: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::bytes::Regex::new(
            r"(?-u)\b(?:local|mod|block|auth|tool|search|enrol|filter|repository|report|theme|qtype|plagiarism|logstore|message|availability|atto|tiny|assignsubmission|assignfeedback|gradeexport|format|customfield|paygw|media|fileconverter|aiprovider|antivirus|factor)_[a-z0-9_]{2,40}\b",
        )
        .expect("plugin regex")
    })
}

/// The words of `other_services` a plugin's name is searched for (five letters or more, no
/// `holders` word), as one automaton.
fn plugin_services() -> Option<&'static aho_corasick::AhoCorasick> {
    static A: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    A.get_or_init(|| {
        let v = Vocabulary::builtin();
        let words = v
            .other_services
            .iter()
            .filter(|w| w.len() >= 5 && !v.holders.contains(*w));
        aho_corasick::AhoCorasick::new(words).ok()
    })
    .as_ref()
}

/// Whether `words` (a comment's) name another service's credential: a service word, then
/// within three words a credential word (`websocket auth token`, `datadog api key`), and no
/// Moodle word. A service named in passing (`TODO: move to vault`) is not enough.
fn names_other_credential(v: &Vocabulary, words: &[String]) -> bool {
    const CREDENTIAL: [&str; 7] = [
        "token", "key", "auth", "secret", "password", "apikey", "bearer",
    ];
    !v.is_moodle(words)
        && words.iter().enumerate().any(|(i, w)| {
            v.other_services.contains(w)
                && words[i + 1..]
                    .iter()
                    .take(3)
                    .any(|n| CREDENTIAL.contains(&n.as_str()))
        })
}

/// Whether `words` (a comment's) say the value is not Moodle's: a negation, then within two
/// words a Moodle word (`# SIS vendor key, not Moodle`, `// kein Moodle-Schlüssel`).
fn disclaims_moodle(v: &Vocabulary, words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        v.negations.contains(w)
            && words[i + 1..]
                .iter()
                .take(2)
                .any(|n| v.moodle_words.contains(n))
    })
}

/// Whether `line` may be a row of a blank-aligned table: past its indentation, two gaps of
/// two blanks or more (three cells at least), a cheap test before the table is read.
fn is_aligned_row(line: &[u8]) -> bool {
    let text = line.trim_ascii();
    let mut gaps = 0;
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&text[at..], b"  ") {
        gaps += 1;
        if gaps == 2 {
            return true;
        }
        at += found + 2;
        while text.get(at) == Some(&b' ') {
            at += 1;
        }
    }
    false
}

/// `text` with every run of 16 hex digits or more (a value, a hash) blanked, so that its
/// words are the text's own and not pieces of a value (`…7aed7dd96ac` holds `dd`).
fn without_hex_runs(text: &[u8]) -> String {
    let mut out = text.to_vec();
    let mut i = 0;
    while i < out.len() {
        let run = out[i..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if run >= 16 {
            out[i..i + run].fill(b' ');
        }
        i += run.max(1);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` with its value-like runs (16 letters and digits or more, digits among them: an
/// identifier, a key, a hash) blanked: their pieces are no words (`…OeDd29…` holds no
/// `dd`).
fn without_value_runs(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let mut i = 0;
    while i < out.len() {
        let run = out[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if run >= 16 && out[i..i + run].iter().any(u8::is_ascii_digit) {
            out[i..i + run].fill(b' ');
        }
        i += run.max(1);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `words` (a callee's or a module's) name another product, a holder word such as
/// `session` (which names no product) aside.
fn names_other_product(v: &Vocabulary, words: &[String]) -> bool {
    v.names_other_service(words)
        && words
            .iter()
            .filter(|w| v.other_services.contains(*w))
            .any(|w| !v.holders.contains(w))
}

/// How many lines either side of a `ws` name are read for a websocket.
const WEBSOCKET_LINES: usize = 5;

/// How many bytes from its opener a block is read at most for Moodle mentions.
const BLOCK_BYTES: usize = 16 << 10;

/// The shape of the values a keyed rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueShape {
    /// 32 hexadecimal digits (a web-service token; uppercase is accepted, as MySQL compares
    /// tokens case-insensitively).
    Hex32,
    /// 64 ASCII letters and digits (a private token, Moodle's `random_string(64)`).
    Alnum64,
}

/// The bytes of base64 and base64url text (`=` padding aside).
static BASE64_ALPHABET: ByteClass = ByteClass::new({
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_');
        b += 1;
    }
    t
});

/// Maximal runs of ASCII letters and digits at least `min` long (`min` >=
/// [`runs::MIN_RUN`]), as byte spans in order (see [`runs::runs`]): where a random token may
/// be written as a whole word.
pub fn alnum_runs(buf: &[u8], min: usize) -> Vec<(usize, usize)> {
    runs::runs(buf, ValueShape::Alnum64.alphabet(), min)
}

impl ValueShape {
    /// A regex for maximal runs of the shape's alphabet at least as long as the value
    /// (exact length and boundaries are checked by [`ValueShape::value_in_run`]).
    pub fn run_regex(self) -> &'static str {
        match self {
            ValueShape::Hex32 => "(?P<secret>[0-9a-fA-F]{32,})",
            ValueShape::Alnum64 => "(?P<secret>[0-9A-Za-z]{64,})",
        }
    }

    /// Whether `b` belongs to the shape's alphabet.
    fn admits(self, b: u8) -> bool {
        self.alphabet().admits(b)
    }

    /// Maximal runs of the shape's alphabet at least as long as the value, as byte spans
    /// (see [`runs::runs`]).
    pub fn runs(self, buf: &[u8]) -> Vec<(usize, usize)> {
        runs::runs(buf, self.alphabet(), self.len())
    }

    /// The shape's alphabet as a byte class.
    fn alphabet(self) -> &'static ByteClass {
        const fn table(alnum: bool) -> [bool; 256] {
            let mut t = [false; 256];
            let mut b = 0;
            while b < 256 {
                let c = b as u8;
                t[b] = if alnum {
                    c.is_ascii_alphanumeric()
                } else {
                    c.is_ascii_hexdigit()
                };
                b += 1;
            }
            t
        }
        static HEX: ByteClass = ByteClass::new(table(false));
        static ALNUM: ByteClass = ByteClass::new(table(true));
        match self {
            ValueShape::Hex32 => &HEX,
            ValueShape::Alnum64 => &ALNUM,
        }
    }

    /// Values of the shape written in base64 (a Kubernetes `Secret`'s `data:`, `echo … |
    /// base64`), as (span of the base64 text, decoded value). A trailing newline in the
    /// encoded text (`echo` adds one) is dropped.
    pub fn base64_values(self, buf: &[u8]) -> Vec<(usize, usize, String)> {
        let encoded_len = |n: usize| n.div_ceil(3) * 4;
        let (lo, hi) = (encoded_len(self.len()) - 2, encoded_len(self.len() + 2) + 2);
        let mut out = Vec::new();
        // Up to two `=` of padding follow the run: a run two shorter may still be one.
        for (start, i) in runs::runs(buf, &BASE64_ALPHABET, lo - 2) {
            let mut end = i;
            while end < buf.len() && buf[end] == b'=' && end - i < 2 {
                end += 1;
            }
            if !(lo..=hi).contains(&(end - start)) {
                continue;
            }
            let Some(bytes) = crate::rules::decode::base64_decode(&buf[start..end]) else {
                continue;
            };
            let text = bytes.trim_ascii_end();
            if text.len() == self.len() && text.iter().all(|&b| self.admits(b)) {
                out.push((start, end, String::from_utf8_lossy(text).into_owned()));
            }
        }
        out
    }

    fn len(self) -> usize {
        match self {
            ValueShape::Hex32 => 32,
            ValueShape::Alnum64 => 64,
        }
    }

    /// Values of the shape split over string literals joined across a line break, as code
    /// that keeps its lines short writes a long one (`'4f4c…' +⏎ '0e52…'` in JavaScript or
    /// Java, `("1a10…"⏎ "dbb9…")` in Python, `'…' .⏎ '…'` in PHP): as (span from the first
    /// piece to the last, the joined value). `newlines`: the offsets of the input's line
    /// breaks, where the literals are looked for.
    pub fn joined_values(self, buf: &[u8], newlines: &[usize]) -> Vec<(usize, usize, String)> {
        let mut out: Vec<(usize, usize, String)> = Vec::new();
        for &nl in newlines {
            // A line that a piece of a value ends, or that a continuation cuts, ends in a
            // quote, a joining operator or a backslash (before blanks): most lines end in
            // none, and are passed over at one look-up.
            let last = nl.checked_sub(1).map(|i| buf[i]);
            if !last.is_some_and(|b| ENDS_JOINED_LINE[usize::from(b)]) {
                continue;
            }
            if let Some(found) = self.continued_value(buf, nl) {
                if out.last().is_none_or(|&(_, e, _)| e <= found.0) {
                    out.push(found);
                }
                continue;
            }
            // The closing quote of a piece ends the line, perhaps before a joining operator.
            let Some(close) = literal_end_before(buf, nl) else {
                continue;
            };
            let Some(first) = self.piece_before(buf, close) else {
                continue;
            };
            if out.last().is_some_and(|&(_, e, _)| e > first) {
                continue; // a later piece of a value already joined
            }
            let mut value = buf[first..close].to_vec();
            let mut end = close;
            while value.len() < self.len() {
                let Some((s, e)) = self.piece_after(buf, end + 1) else {
                    break;
                };
                value.extend_from_slice(&buf[s..e]);
                end = e;
            }
            if value.len() == self.len() && end > nl {
                out.push((first, end, String::from_utf8_lossy(&value).into_owned()));
            }
        }
        out
    }

    /// A value whose line ends at `nl` (a `\n`) with a backslash that continues it on the
    /// next line: Java's `.properties` (a line terminator after an odd number of backslashes
    /// continues the logical line, the next line's leading blanks dropped: the
    /// `java.util.Properties.load` documentation), a shell word or a Dockerfile `ENV` cut
    /// the same way. As (span from the first piece to the last, the joined value); `None`
    /// unless the pieces, each a whole word of the shape's alphabet, make one value.
    fn continued_value(self, buf: &[u8], nl: usize) -> Option<(usize, usize, String)> {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let line_end = |nl: usize| match nl.checked_sub(1) {
            Some(i) if buf[i] == b'\r' => i,
            _ => nl,
        };
        let slash = line_end(nl).checked_sub(1).filter(|&i| buf[i] == b'\\')?;
        if slash > 0 && buf[slash - 1] == b'\\' {
            return None; // an escaped backslash ends the line, not a continuation
        }
        let limit = slash.saturating_sub(self.len());
        let mut first = slash;
        while first > limit && self.admits(buf[first - 1]) {
            first -= 1;
        }
        if first == slash || first.checked_sub(1).is_some_and(|i| word(buf[i])) {
            return None;
        }
        let mut value = buf[first..slash].to_vec();
        let mut at = nl + 1;
        loop {
            while at < buf.len() && matches!(buf[at], b' ' | b'\t') {
                at += 1;
            }
            let start = at;
            while at < buf.len() && value.len() + (at - start) < self.len() && self.admits(buf[at])
            {
                at += 1;
            }
            if at == start {
                return None;
            }
            value.extend_from_slice(&buf[start..at]);
            if value.len() == self.len() {
                break;
            }
            // Another continuation: the piece ends its line with a backslash again.
            let next_nl = at + 1 + usize::from(buf.get(at + 1) == Some(&b'\r'));
            if buf.get(at) != Some(&b'\\') || buf.get(next_nl) != Some(&b'\n') {
                return None;
            }
            at = next_nl + 1;
        }
        if buf.get(at).is_some_and(|&b| word(b)) {
            return None;
        }
        Some((first, at, String::from_utf8_lossy(&value).into_owned()))
    }

    /// The piece of a value inside the string literal that closes at `close` (a quote): its
    /// start, when the literal holds only the shape's alphabet and is shorter than a value.
    fn piece_before(self, buf: &[u8], close: usize) -> Option<usize> {
        let quote = buf[close];
        let limit = close.saturating_sub(self.len());
        let mut s = close;
        while s > limit && self.admits(buf[s - 1]) {
            s -= 1;
        }
        (s < close && s > 0 && buf[s - 1] == quote).then_some(s)
    }

    /// The next piece after a literal that closed at `after - 1`: past spaces, at most one
    /// line break and joining operators, a literal of the shape's alphabet; its span.
    fn piece_after(self, buf: &[u8], after: usize) -> Option<(usize, usize)> {
        let mut i = after;
        let mut breaks = 0;
        while i < buf.len() {
            match buf[i] {
                b' ' | b'\t' | b'\r' | b'+' | b'.' | b'&' | b'|' | b'\\' => i += 1,
                b'\n' if breaks == 0 => {
                    breaks += 1;
                    i += 1;
                }
                _ => break,
            }
            if i - after > 64 {
                return None;
            }
        }
        let quote = *buf.get(i).filter(|&&q| matches!(q, b'"' | b'\'' | b'`'))?;
        let s = i + 1;
        let mut e = s;
        while e < buf.len() && e - s < self.len() && self.admits(buf[e]) {
            e += 1;
        }
        (e > s && buf.get(e) == Some(&quote)).then_some((s, e))
    }

    /// The value inside a run at `start..end` of `buf`: the run itself when it has the
    /// value's length, or the run less an encoded separator glued to its front
    /// (`wstoken=3D<value>` in quoted-printable, `wstoken%3D<value>`, `%253D<value>`).
    /// `None` when the run is part of a longer word (`key-<hex>`, a longer digest).
    pub fn value_in_run(self, buf: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        if buf.get(end).is_some_and(|&b| word(b)) {
            return None;
        }
        // `<hex>-us21` (a Mailchimp key and its data centre) is one word, as `key-<hex>` is.
        if buf.get(end) == Some(&b'-')
            && buf.get(end + 1).is_some_and(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        let extra = (end - start).checked_sub(self.len())?;
        let prev = start.checked_sub(1).map(|i| buf[i]);
        let value_start = match (extra, prev) {
            (0, _) => {
                let glued = match prev {
                    // A value glued to the name before it (`moodle_wstoken4e57…`: columns of
                    // a SQLite record, read as printable runs) is bound to that name.
                    // A string's escaped line break or tab (`…token:\n<value>`) is glue.
                    Some(b'n' | b't' | b'r') if start >= 2 && buf[start - 2] == b'\\' => false,
                    Some(b) if word(b) => !ends_with_credential_word(&buf[..start]),
                    // `key-<hex>` is one word; `--token <hex>` and `: <hex>` are not.
                    Some(b'-') => start >= 2 && buf[start - 2].is_ascii_alphanumeric(),
                    _ => false,
                };
                if glued {
                    return None;
                }
                start
            }
            (2, Some(b'=' | b'%')) if is_encoded_separator(&buf[start..start + 2]) => start + 2,
            (4, Some(b'%'))
                if buf[start..start + 2].eq_ignore_ascii_case(b"25")
                    && is_encoded_separator(&buf[start + 2..start + 4]) =>
            {
                start + 4
            }
            _ => return None,
        };
        Some((value_start, end))
    }
}

/// Whether `before` ends with a word that names a credential (`…wstoken`, `…TOKEN`,
/// `…_key`), so that a value glued to it is that credential's value, not the tail of a
/// longer word.
fn ends_with_credential_word(before: &[u8]) -> bool {
    let tail = &before[before.len().saturating_sub(5)..];
    tail.eq_ignore_ascii_case(b"token")
        || tail.len() >= 3 && tail[tail.len() - 3..].eq_ignore_ascii_case(b"key")
}

/// `3D` (=), `3A` (:), `22` ("), `27` ('), `20` (space): what an encoder puts before a value.
fn is_encoded_separator(two: &[u8]) -> bool {
    let t = [two[0].to_ascii_uppercase(), two[1].to_ascii_uppercase()];
    matches!(&t, b"3D" | b"3A" | b"22" | b"27" | b"20")
}

/// The quote that ends a string literal on the line that ends at `nl` (a `\n`), before
/// spaces and a joining operator (`+`, `.`, `&`, `||`, `\\`), if the line ends so.
fn literal_end_before(buf: &[u8], nl: usize) -> Option<usize> {
    let mut i = nl;
    while i > 0 && JOINING[usize::from(buf[i - 1])] {
        i -= 1;
        if nl - i > 16 {
            return None;
        }
    }
    let q = i.checked_sub(1)?;
    matches!(buf[q], b'"' | b'\'' | b'`').then_some(q)
}

/// The bytes that may come between a string literal and the end of its line when the
/// literal goes on on the next (blanks, `\r`, and the joining operators `+ . & | \`).
const JOINING: [bool; 256] = byte_set(b" \t\r+.&|\\");

/// The bytes a line that [`ValueShape::joined_values`] reads may end in: [`JOINING`] and
/// the quotes that close a literal.
const ENDS_JOINED_LINE: [bool; 256] = {
    let mut set = JOINING;
    set[b'"' as usize] = true;
    set[b'\'' as usize] = true;
    set[b'`' as usize] = true;
    set
};

/// The bytes of `bytes` as a membership table.
const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// A byte span of an input.
pub type Span = (usize, usize);

/// A value written in an encoding: the span of the encoded text and the decoded value.
pub type Encoded = (usize, usize, String);

/// What a caller's pass over an input already knows (case-insensitive word occurrences),
/// so that [`KeyedInput`] skips the indexes an input cannot need. The default knows nothing.
#[derive(Debug, Clone, Copy)]
pub struct Hints {
    /// The input holds the word `moodle`.
    pub says_moodle: bool,
    /// The input may hold base64-written values (`base64` or `kind: secret` occurs).
    pub may_hold_base64: bool,
    /// The input names a Moodle token by its kind (`wstoken` or `privatetoken` occurs): a
    /// value under that name may be written in base64 without the input saying so (a
    /// `consul kv export`, whose values are always base64).
    pub names_token_kind: bool,
    /// The input names Moodle's token table (`external_tokens` occurs): a query of it may
    /// stand above its answer (a database shell's session).
    pub names_token_table: bool,
    /// The input is a view of part of a larger input (a decoded region) that mentions
    /// Moodle around it: Moodle context holds throughout.
    pub context_outside: bool,
    /// The input may hold a private token's label ([`PRIVATE_TOKEN_LABELS`]): false only
    /// when a search for them found none ([`KeyedInput::beside_private_token`] then reads
    /// nothing).
    pub may_label_private_token: bool,
}

impl Default for Hints {
    fn default() -> Hints {
        Hints {
            says_moodle: false,
            may_hold_base64: true,
            names_token_kind: true,
            names_token_table: true,
            context_outside: false,
            may_label_private_token: true,
        }
    }
}

/// Whether `words` (a name's or a sentence's) name a digest (`checksum`, `md5`, `hash`): a
/// value they name is no token, whatever stands beside it.
fn names_digest(v: &Vocabulary, words: &[String]) -> bool {
    words.iter().any(|w| v.digest_words.contains(w))
}

/// Longest line read as one record of a table, in bytes.
const RECORD_ROW_MAX: usize = 2048;

/// How far from a value, in bytes, the private token that pairs it may stand
/// ([`KeyedInput::beside_private_token`]).
const PAIR_REACH: usize = 240;

/// `file_name` without the labels of a domain name in it (a label beside a top-level
/// domain's: `lms-sync01.example.edu.yaml`, a Hiera node file named for its host, and the
/// reverse-DNS `edu.example.moodle-backup.plist` of a launchd job both keep only their own
/// words). A file's role word (`config.example.php`, `.env.example`) stands beside no
/// top-level domain and stays.
fn without_domain_labels(file_name: &str) -> String {
    let labels: Vec<&str> = file_name.split('.').collect();
    let tld = |i: usize| {
        labels
            .get(i)
            .is_some_and(|l| TOP_LEVEL_DOMAINS.iter().any(|t| l.eq_ignore_ascii_case(t)))
    };
    let kept: Vec<&str> = (0..labels.len())
        .filter(|&i| !(tld(i) || (i > 0 && tld(i - 1)) || tld(i + 1)))
        .map(|i| labels[i])
        .collect();
    kept.join(".")
}

/// Top-level domains that name a host's domain in a file name ([`without_domain_labels`]):
/// the generic ones and country codes that are no common file extension (`pl`, `in`, `sh`,
/// `rs` are left out).
const TOP_LEVEL_DOMAINS: [&str; 24] = [
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "io", "ac", "uk", "de", "fr", "es",
    "it", "nl", "br", "au", "ca", "jp", "ch", "se", "fi", "mx",
];

/// How far either side of a value, in bytes, [`KeyedInput::names_a_file`] reads its line.
const FILE_NAME_REACH: usize = 512;

/// The words keyed detection asks whether an input holds, whatever its values: `insert`
/// and `stdin` ([`KeyedInput::may_hold_sql`]), `lms` ([`KeyedInput::may_name_lms`]) and
/// `tokens` ([`KeyedInput::entry_of_credential_map`]). A caller that puts them in the
/// [`WordSet`](crate::presence::WordSet) behind [`KeyedInput::with_presence`] has them all answered by one pass.
pub const INPUT_WORDS: [&str; 4] = ["insert", "stdin", "lms", "tokens"];

/// How a private token is labelled, lowercased.
pub const PRIVATE_TOKEN_LABELS: [&str; 4] = [
    "privatetoken",
    "private token",
    "private_token",
    "private-token",
];

/// How many bytes of glue may stand between a private token's label and its value
/// (`": "`, `" is <code>"`).
const PAIR_GLUE: usize = 24;

/// A [`KeyedInput::has_context`] question: the value's offset, its name's class, the lines
/// of context the rule asks for, and whether the value is named by its block.
type ContextQuestion = (usize, NameClass, u32, bool);

/// One input as the keyed rules see it: lazily built indexes, shared by every keyed rule.
pub struct KeyedInput<'a> {
    buf: &'a [u8],
    path: &'a str,
    /// The path of the file the input is or was decoded from (`path`, unless the input is
    /// a view of part of a file: see [`KeyedInput::with_origin`]).
    origin: &'a str,
    path_says_moodle: bool,
    hints: Hints,
    /// The input ASCII-lowercased, when the caller has made that copy already.
    lower: Option<&'a [u8]>,
    /// The caller's answers to the word questions asked of every input ([`INPUT_WORDS`]),
    /// found in one pass over `lower`.
    presence: Option<&'a Presence<'a>>,
    /// See [`KeyedInput::may_hold_sql`].
    may_hold_sql: OnceCell<bool>,
    /// Whether the input holds `lms` in any case ([`KeyedInput::may_name_lms`]).
    names_lms: OnceCell<bool>,
    /// Whether the input may name a service ([`KeyedInput::may_name_service`]).
    names_service: OnceCell<bool>,
    sql: OnceCell<SqlIndex>,
    lines: OnceCell<key::Lines>,
    context: MoodleContext,
    keys: FxHashMap<(usize, usize), Option<Rc<Key>>>,
    runs: FxHashMap<ValueShape, Rc<Vec<Span>>>,
    candidates: FxHashMap<ValueShape, Rc<Vec<Span>>>,
    /// Answers of [`KeyedInput::has_context`], which keyed rules of one shape ask alike.
    contexts: RefCell<FxHashMap<ContextQuestion, bool>>,
    base64: FxHashMap<ValueShape, Rc<Vec<Encoded>>>,
    joined: FxHashMap<ValueShape, Rc<Vec<Encoded>>>,
    /// Whether escapes before a value are undone and base64 values decoded (`--no-decode`
    /// turns both off).
    decode: bool,
    /// See [`KeyedInput::may_hold_token_store`].
    token_store: OnceCell<bool>,
    /// See [`KeyedInput::file_names_other_service`].
    named_for_other_service: OnceCell<bool>,
    /// Whether the file name says it holds stand-ins ([`Self::file_names_stand_ins`]).
    named_for_stand_ins: OnceCell<bool>,
    /// The last line [`KeyedInput::in_table_row`] answered for (its start) and its answer:
    /// values are asked in order, so a long line of many values is read once, not once per
    /// value.
    table_row: Cell<Option<(usize, bool)>>,
    /// Whether the input imports anything ([`key::imports_anything`]), and the names it
    /// imports with their modules: asked per value, searched once per input.
    imports: OnceCell<bool>,
    imported: OnceCell<FxHashMap<String, String>>,
    /// The paragraph [`KeyedInput::paragraph_names_other_plugin`] read last and its answer.
    plugin_paragraph: Cell<Option<((usize, usize), bool)>>,
    /// Whether the input holds a private token's label ([`KeyedInput::beside_private_token`]).
    says_private: OnceCell<bool>,
    /// Whether the input says `tokens` ([`KeyedInput::entry_of_credential_map`]).
    says_tokens: OnceCell<bool>,
    /// The columns of the input's JSON tables by cell text, if it may hold any
    /// ([`KeyedInput::json_table_column`]).
    json_columns: OnceCell<Option<FxHashMap<String, String>>>,
}

impl<'a> KeyedInput<'a> {
    /// An input `buf` read from `path` (`""` when it has none).
    pub fn new(buf: &'a [u8], path: &'a str) -> KeyedInput<'a> {
        KeyedInput {
            buf,
            path,
            origin: path,
            path_says_moodle: path.to_ascii_lowercase().contains("moodle"),
            hints: Hints::default(),
            lower: None,
            presence: None,
            may_hold_sql: OnceCell::new(),
            names_lms: OnceCell::new(),
            names_service: OnceCell::new(),
            sql: OnceCell::new(),
            lines: OnceCell::new(),
            context: MoodleContext::new(),
            named_for_other_service: OnceCell::new(),
            named_for_stand_ins: OnceCell::new(),
            keys: FxHashMap::default(),
            runs: FxHashMap::default(),
            candidates: FxHashMap::default(),
            contexts: RefCell::default(),
            base64: FxHashMap::default(),
            joined: FxHashMap::default(),
            decode: true,
            token_store: OnceCell::new(),
            table_row: Cell::new(None),
            imports: OnceCell::new(),
            imported: OnceCell::new(),
            plugin_paragraph: Cell::new(None),
            says_private: OnceCell::new(),
            says_tokens: OnceCell::new(),
            json_columns: OnceCell::new(),
        }
    }

    /// Takes what the caller's prefilter pass learnt about the input, which spares searches.
    pub fn with_hints(mut self, hints: Hints) -> KeyedInput<'a> {
        if hints.says_moodle {
            self.context.assume_any();
        }
        self.hints = hints;
        self
    }

    /// Takes the caller's ASCII-lowercased copy of the input (`lower.len()` must be the
    /// input's length), which the word searches then read instead of making their own.
    pub fn with_lowercase(mut self, lower: &'a [u8]) -> KeyedInput<'a> {
        debug_assert_eq!(lower.len(), self.buf.len());
        self.lower = Some(lower);
        self
    }

    /// Takes the caller's answers for this input to a [`WordSet`](crate::presence::WordSet) that holds
    /// [`INPUT_WORDS`] (over the same lowercased copy as [`Self::with_lowercase`]): the
    /// word questions are then answered by its one pass instead of a search each.
    pub fn with_presence(mut self, presence: &'a Presence<'a>) -> KeyedInput<'a> {
        self.presence = Some(presence);
        self
    }

    /// Whether the input holds `word` (lowercase, one of [`INPUT_WORDS`] or any other) in
    /// any case: from the caller's [`Presence`], else searched in the lowercased copy;
    /// `None` without either.
    fn holds_word(&self, word: &str) -> Option<bool> {
        match (self.presence, self.lower) {
            (Some(presence), _) => Some(presence.holds(word)),
            (None, Some(lower)) => Some(memchr::memmem::find(lower, word.as_bytes()).is_some()),
            (None, None) => None,
        }
    }

    /// Whether the input's file is named for another service (`algolia.js`,
    /// [`Vocabulary::file_names_other_service`]) and its path never says Moodle. Asked once.
    fn file_names_other_service(&self) -> bool {
        *self.named_for_other_service.get_or_init(|| {
            let file_name = self.path.rsplit(['/', '\\']).next().unwrap_or("");
            !self.path_says_moodle && Vocabulary::builtin().file_names_other_service(file_name)
        })
    }

    /// Takes the path of the file the input was decoded from, for an input that is a view
    /// of part of it (its own `path` is then empty: a view has no file name of its own).
    pub fn with_origin(mut self, origin: &'a str) -> KeyedInput<'a> {
        self.origin = origin;
        self
    }

    /// Whether the input's file name says it holds stand-ins (`fake_tokens.php`,
    /// `sample-credentials.json`, `.env.example`: a word of `make_believe_files` in it) or
    /// digests (`moodle-admin.htdigest`, `SHA256SUMS`: a word of `digest_files`): its values
    /// are no site's credentials, whatever they are called. Asked once.
    fn file_names_stand_ins(&self) -> bool {
        *self.named_for_stand_ins.get_or_init(|| {
            let v = Vocabulary::builtin();
            let file_name = self.path.rsplit(['/', '\\']).next().unwrap_or("");
            v.words(&without_domain_labels(file_name))
                .iter()
                .any(|w| v.make_believe_files.contains(w) || v.digest_files.contains(w))
        })
    }

    /// Whether the value at `start..end` names a file: the path of the input's file holds it, or
    /// within [`FILE_NAME_REACH`] bytes of it on its line, it is written followed by a file
    /// extension (`<id>.md)`, `<digest>.png"`).
    /// Notion's export names each page and attachment with its id and links them so
    /// (`[Moodle API token <id>](Moodle%20API%20token%20<id>.md)`), and content-addressed
    /// stores name files by their digest: an id or a digest, wherever else on the line it
    /// stands.
    fn names_a_file(&self, start: usize, end: usize) -> bool {
        let buf = self.buf;
        // The input's own path holds it: the page's or the folder's id (Notion's
        // `Moodle-Integrationen <id>.md`, `Drift <id>/`).
        if memchr::memmem::find(self.origin.as_bytes(), &buf[start..end]).is_some() {
            return true;
        }
        let lo = start.saturating_sub(FILE_NAME_REACH);
        let ls = memchr::memrchr(b'\n', &buf[lo..start]).map_or(lo, |n| lo + n + 1);
        let hi = (end + FILE_NAME_REACH).min(buf.len());
        let le = memchr::memchr(b'\n', &buf[end..hi]).map_or(hi, |n| end + n);
        let (line, value) = (&buf[ls..le], &buf[start..end]);
        memchr::memmem::find_iter(line, value).any(|at| {
            let rest = &line[at + value.len()..];
            let ext = rest.get(1..).unwrap_or_default();
            let n = ext.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            rest.first() == Some(&b'.')
                && (1..=5).contains(&n)
                && ext[..n].iter().any(u8::is_ascii_alphabetic)
                && ext
                    .get(n)
                    .is_none_or(|&b| !(b.is_ascii_alphanumeric() || b == b'.'))
        })
    }

    /// Whether the input may name Moodle as its LMS in a record's keys (`lms_url`, see
    /// [`KeyedInput::record_names_moodle`]) without mentioning Moodle: it holds `lms` in any
    /// case. Searched once; without a lowercased copy, assumed.
    pub fn may_name_lms(&self) -> bool {
        *self
            .names_lms
            .get_or_init(|| self.holds_word("lms").unwrap_or(true))
    }

    /// Whether the input may hold a record of a token with its site and service (see
    /// [`KeyedInput::record_grants_token`]): it holds a service title's stem
    /// ([`SERVICE_STEMS`]), a site title's ([`SITE_STEMS`]) and a token title's
    /// ([`TOKEN_STEMS`]) in any case. Searched once; without a lowercased copy, assumed.
    pub fn may_name_service(&self) -> bool {
        *self.names_service.get_or_init(|| {
            self.lower.is_none_or(|lower| {
                let [token, service, site] = title_stems();
                holds_stem(lower, service) && holds_stem(lower, site) && holds_stem(lower, token)
            })
        })
    }

    /// Whether the input or its path mentions Moodle (the context every name but a strong
    /// one needs). Searched once.
    pub fn mentions_moodle(&self) -> bool {
        self.context_everywhere() || self.context.any(self.buf, self.lower)
    }

    /// Whether Moodle context holds throughout the input, wherever a value stands: its path
    /// says Moodle, or it is a view of an input that mentions Moodle around it.
    fn context_everywhere(&self) -> bool {
        self.path_says_moodle || self.hints.context_outside
    }

    /// Whether the input may hold SQL rows: `insert` and `values`, or `stdin` (a `COPY …
    /// FROM stdin`), occur in any case. Searched once; without a lowercased copy, assumed.
    fn may_hold_sql(&self) -> bool {
        *self.may_hold_sql.get_or_init(|| {
            let has = |w: &str| self.holds_word(w).unwrap_or(true);
            (has("insert") && has("values"))
                || has("stdin")
                || (self.hints.names_token_table && has("select"))
        })
    }

    /// The same input with decoding on (the default) or off (`--no-decode`).
    pub fn decoding(mut self, decode: bool) -> KeyedInput<'a> {
        self.decode = decode;
        self
    }

    /// Base64-written values of `shape` (see [`ValueShape::base64_values`]), looked for only
    /// where the input says it holds base64 (a Kubernetes `Secret`, or the word `base64`) or
    /// names a token kind ([`Hints::names_token_kind`]).
    pub fn base64_values(&mut self, shape: ValueShape) -> Rc<Vec<Encoded>> {
        let (buf, hints) = (self.buf, self.hints);
        let decode = self.decode;
        self.base64
            .entry(shape)
            .or_insert_with(|| {
                let says_base64 = hints.may_hold_base64
                    && [&b"kind: Secret"[..], b"base64", b"Base64", b"BASE64"]
                        .iter()
                        .any(|w| memchr::memmem::find(buf, w).is_some());
                let hint = decode && (says_base64 || hints.names_token_kind);
                Rc::new(if hint {
                    shape.base64_values(buf)
                } else {
                    Vec::new()
                })
            })
            .clone()
    }

    /// Values of `shape` split over string literals joined across lines (see
    /// [`ValueShape::joined_values`]); none with decoding off.
    pub fn joined_values(&mut self, shape: ValueShape) -> Rc<Vec<Encoded>> {
        if !self.decode {
            return Rc::new(Vec::new());
        }
        if let Some(found) = self.joined.get(&shape) {
            return found.clone();
        }
        let buf = self.buf;
        let lines = self.lines.get_or_init(|| key::Lines::new(buf));
        let found = Rc::new(shape.joined_values(buf, lines.newlines()));
        self.joined.insert(shape, found.clone());
        found
    }

    /// The runs of `shape` in the input (found once, shared by the rules of that shape).
    pub fn runs(&mut self, shape: ValueShape) -> Rc<Vec<Span>> {
        let buf = self.buf;
        self.runs
            .entry(shape)
            .or_insert_with(|| Rc::new(shape.runs(buf)))
            .clone()
    }

    /// The values of `shape` in its runs ([`ValueShape::value_in_run`]), in order: found
    /// once for every keyed rule with the same shape. A rule's validators are asked of a
    /// value only once its name accepts it ([`valid`]): most values are turned down by their
    /// names, and a name's shortcut costs less than a value's checks.
    pub fn candidates(&mut self, shape: ValueShape) -> Rc<Vec<Span>> {
        if let Some(found) = self.candidates.get(&shape) {
            return found.clone();
        }
        let buf = self.buf;
        let found: Vec<Span> = self
            .runs(shape)
            .iter()
            .filter_map(|&(s, e)| shape.value_in_run(buf, s, e))
            .collect();
        let found = Rc::new(found);
        self.candidates.insert(shape, found.clone());
        found
    }

    fn key(&mut self, start: usize, end: usize, tables_only: bool) -> Option<Rc<Key>> {
        let (buf, path, decode) = (self.buf, self.path, self.decode);
        let may_hold_sql = self.may_hold_sql();
        let sql = self.sql.get_or_init(|| {
            if may_hold_sql {
                SqlIndex::build(buf)
            } else {
                SqlIndex::default()
            }
        });
        let lines = self.lines.get_or_init(|| key::Lines::new(buf));
        let v = Vocabulary::builtin();
        if tables_only {
            // A whole key found already holds its table column, if any; else only the
            // table layer is asked (and the answer not kept as the whole key).
            return match self.keys.get(&(start, end)) {
                Some(k) => k.clone(),
                None => {
                    key::find(v, buf, lines, path, sql, (start, end), decode, true).map(Rc::new)
                }
            };
        }
        if let Some(known) = self.keys.get(&(start, end)) {
            return known.clone();
        }
        let mut found = key::find(v, buf, lines, path, sql, (start, end), decode, false);
        // A cell of a table written as JSON (a query tool's `rows` beside its `cols`) has no
        // key of its own but the array it stands in: its column names it.
        let says_nothing = |k: &Key| {
            k.prose.is_none()
                && k.names
                    .iter()
                    .all(|n| v.words(n).iter().all(|w| v.containers.contains(w)))
        };
        if found.as_ref().is_none_or(says_nothing) {
            if let Some(column) = self.json_table_column(start, end) {
                let source = Source::TableColumn {
                    token_store: false,
                    rows_are_sites: false,
                    table: None,
                };
                found = Some(Key::new(vec![column], source));
            }
        }
        let found = found.map(Rc::new);
        self.keys.insert((start, end), found.clone());
        found
    }

    /// The column of a JSON table ([`json_table`]) whose cell is the value at `start..end`,
    /// if the input holds such tables (parsed once, only where their keys occur).
    fn json_table_column(&self, start: usize, end: usize) -> Option<String> {
        let columns = self.json_columns.get_or_init(|| {
            let lower = self.lower?;
            json_table::may_hold(lower).then(|| json_table::columns_by_value(self.buf))
        });
        let value = std::str::from_utf8(&self.buf[start..end]).ok()?;
        columns.as_ref()?.get(value).cloned()
    }

    /// Whether the value at `start..end` is bound to a name that `spec` accepts, given the
    /// Moodle context its tier needs, and names no file ([`Self::names_a_file`], asked only
    /// of a value the name accepts: most values are turned down sooner). `stores_only`: the
    /// input can give no context (it neither mentions Moodle nor holds a strong name), so
    /// only a column of a table that stores tokens may bind the value, or a record of its
    /// site and service.
    pub fn accepts(
        &mut self,
        spec: &NameSpec,
        start: usize,
        end: usize,
        stores_only: bool,
    ) -> bool {
        self.named_for(spec, start, end, stores_only) && !self.names_a_file(start, end)
    }

    /// [`Self::accepts`] but for the file question.
    fn named_for(&mut self, spec: &NameSpec, start: usize, end: usize, stores_only: bool) -> bool {
        let v = Vocabulary::builtin();
        // An input that can give no context may still keep a token in a record of its site
        // and service ([`Self::record_grants_token`]): such a value's key is looked for
        // whole, the rest only in a table.
        let grant = stores_only && self.may_name_service() && self.record_may_grant(start);
        if stores_only && !grant && !(self.may_hold_token_store() && self.in_table_row(start)) {
            return false;
        }
        if self.file_names_stand_ins() {
            return false;
        }
        let Some(key) = self.key(start, end, stores_only && !grant) else {
            return false;
        };
        if stores_only
            && !grant
            && !matches!(
                key.source,
                Source::TableColumn {
                    token_store: true,
                    ..
                } | Source::SqlColumn {
                    token_store: true,
                    ..
                }
            )
        {
            return false;
        }
        if !spec.tables.is_empty() {
            let table = match &key.source {
                Source::SqlColumn { table, .. } => table.as_str(),
                Source::TableColumn {
                    table: Some(table), ..
                } => table,
                _ => return false,
            };
            if !spec.tables.iter().any(|t| table.ends_with(t.as_str())) {
                return false;
            }
        }
        // A row of a table of several systems' keys (`BigBlueButton | … | <secret>`) that
        // names another service, and not Moodle, is that service's key, whatever its column
        // is called. Rows of Moodle's own token tables (a service and its user) are Moodle
        // tokens whatever their service is called.
        if matches!(
            key.source,
            Source::TableColumn {
                rows_are_sites: true,
                ..
            }
        ) && self.row_names_other_service(start, end)
        {
            return false;
        }
        let might = |n: &String| spec.might_name(v, n);
        if !key.names.iter().any(might) && !key.prose.as_ref().is_some_and(might) {
            if let Some(named) = self.entry_of_credential_map(spec, &key, start) {
                return named;
            }
            // Names that say nothing to the rule, but not names of something else (`md5`,
            // `the backup checksum is`).
            let prose_unknown = key.prose.as_ref().is_none_or(|prose| {
                let words = v.words(prose);
                spec.classify_prose(v, &words) == NameClass::Unknown && !names_digest(v, &words)
            });
            return prose_unknown
                && self.beside_private_token(start, end)
                && key
                    .names
                    .iter()
                    .all(|n| spec.class_of(v, n) == NameClass::Unknown);
        }
        // A name of the service-record tier was read, outside such a record.
        let mut record_name = false;
        for (at, name) in key.names.iter().enumerate() {
            let mut class = spec.class_of(v, name);
            // A column of a table shaped like Moodle's token table, or whose columns are the
            // Moodle table a rule names (checked above): that table's column, whatever the
            // file says around it.
            let vouched = match key.source {
                Source::TableColumn {
                    token_store: true, ..
                } => true,
                Source::TableColumn { table: Some(_), .. } => !spec.tables.is_empty(),
                _ => false,
            };
            if vouched && matches!(class, NameClass::Generic | NameClass::InContext) {
                class = NameClass::Strong;
            }
            if let Source::SqlColumn { token_store, .. } = key.source {
                // A dump's `token` column is a credential in a table that stores Moodle
                // tokens only: other tables' 32-hex columns are backup ids and hashes. A
                // rule that names its tables (checked above) vouches for them.
                let tokens_table = token_store || !spec.tables.is_empty();
                class = match class {
                    NameClass::Generic | NameClass::InContext if tokens_table => NameClass::Strong,
                    NameClass::Generic | NameClass::InContext => NameClass::NotSecret,
                    c => c,
                };
            }
            // A name given to a digest function (`md5('wstoken')` compared with the value in
            // a test, `sha1($token)`) names what was hashed: the value is the digest.
            let digest_of = key.source == Source::Assignment
                && !matches!(class, NameClass::Unknown)
                && key.names.get(at + 1).is_some_and(|callee| {
                    v.words(callee).iter().any(|w| v.digest_words.contains(w))
                });
            if digest_of {
                return false;
            }
            match class {
                NameClass::Unknown => continue,
                // Outside such a record the name says nothing the rule can use (`KEY = "…"`),
                // but the comment beside the value still may (`# moodle ws token`).
                NameClass::InServiceRecord => {
                    if self.in_service_record(start, key.source == Source::Pair) {
                        return true;
                    }
                    record_name = true;
                }
                NameClass::NotSecret | NameClass::Other => return false,
                NameClass::Strong => return true,
                NameClass::InContext | NameClass::Generic => {
                    // A name that needs context is overruled by the comment beside the value
                    // when it says whose the value is (`ws_token = "…"  # kernel gateway
                    // websocket auth`) or that it is no such credential (`// not a Moodle
                    // token`).
                    let overruled = key.prose.as_ref().is_some_and(|prose| {
                        let words = v.words(prose);
                        match spec.classify_prose(v, &words) {
                            NameClass::Other | NameClass::NotSecret => true,
                            NameClass::Unknown => {
                                names_other_credential(v, &words) || disclaims_moodle(v, &words)
                            }
                            _ => false,
                        }
                    });
                    if overruled {
                        return false;
                    }
                    // A value passed to another service's SDK (`datadog.initialize(api_key=
                    // "…")`, or `initialize` imported from `datadog`) is that service's.
                    let to_other_sdk = key.source == Source::Assignment
                        && key.names[at + 1..].iter().any(|callee| {
                            names_other_product(v, &v.words(callee))
                                || self
                                    .imported_from(callee)
                                    .is_some_and(|module| names_other_product(v, &v.words(module)))
                        });
                    if to_other_sdk {
                        return false;
                    }
                    // A generic name in a record of another service's (a password manager's
                    // row `…Hostname:twilio\nAccount SID: …\nAuth Token: <value>…,Twilio
                    // SMS,…`) is that service's, unless the row names Moodle too. (A value
                    // named by its column is judged by its table: see `rows_are_sites`.)
                    let own_words = key.source == Source::Assignment
                        || (matches!(key.source, Source::TableColumn { .. }) && at > 0);
                    if class == NameClass::Generic
                        && own_words
                        && self.in_table_row(start)
                        && self.short_row_names_other_service(start, end)
                    {
                        return false;
                    }
                    // `ws` is also a websocket: a `wsToken` beside a websocket and no web
                    // service is the socket's.
                    let ws = v.words(name).iter().any(|w| w == "ws");
                    if ws && self.beside_websocket(start) {
                        return false;
                    }
                    // A file named for another service (`algolia.js`) holds its keys.
                    if self.file_names_other_service() {
                        return false;
                    }
                    // Named by its block, or by the line above that it stands indented under
                    // (`chiave:` ⏎ `    <value>`): that line is its name, not a key around it
                    // that may name something else.
                    let named_by_block = key.source == Source::Block
                        || (key.source == Source::Assignment
                            && self.named_by_parent_line(name, start));
                    // A record whose name or service field names another service (`{"name":
                    // "zabbix", "token": …}`) holds that service's token, unless it is kept
                    // under a Moodle key (`"moodle": {"service": "lti_bridge", "token": …}`:
                    // Moodle names its external services too). Asked last: only of values
                    // that would count otherwise.
                    return self.has_context(spec, class, start, named_by_block)
                        && (!self.record_names_other_service(start)
                            || self.record_named_moodle(start));
                }
            }
        }
        // No name decides: a sentence may (the clause before the value, a comment after it).
        // A value named by a service-record name (a `password`, a `key`) is that field's,
        // not a token's beside a private token: only a sentence naming it can say more.
        let Some(prose) = &key.prose else {
            return !record_name && self.beside_private_token(start, end);
        };
        match spec.classify_prose(v, &v.words(prose)) {
            NameClass::Strong => true,
            class @ (NameClass::InContext | NameClass::Generic) => {
                self.has_context(spec, class, start, false)
            }
            NameClass::Unknown => {
                !record_name
                    && !names_digest(v, &v.words(prose))
                    && self.beside_private_token(start, end)
            }
            _ => false,
        }
    }

    /// The verdict on a value whose own name says nothing to the rule (a school's, a site's
    /// or a campus's name) in a map named for tokens in the plural (Terraform's
    /// `moodle_tokens_by_school = { devaart = "…" }`, YAML's `moodle_tokens:` ⏎ `  north:
    /// …`): the map's name is its entries' name, as a list's is its elements'. `None` when
    /// the value is no such entry or the map's name decides nothing.
    fn entry_of_credential_map(&self, spec: &NameSpec, key: &Key, start: usize) -> Option<bool> {
        if key.source != Source::Assignment || key.names.len() != 1 || key.prose.is_some() {
            return None;
        }
        let says_tokens = *self.says_tokens.get_or_init(|| {
            self.holds_word("tokens").unwrap_or_else(|| {
                let lower = self.lowercased(0, self.buf.len());
                memchr::memmem::find(&lower, b"tokens").is_some()
            })
        });
        if !says_tokens {
            return None;
        }
        let v = Vocabulary::builtin();
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        let (head, _) = key::parent_line(self.buf, lines, start)?;
        let idents = key::identifiers(v, &head);
        let plural = |i: &String| i.to_ascii_lowercase().contains("tokens");
        let ident = idents.iter().rev().find(|i| plural(i))?;
        match spec.class_of(v, ident) {
            NameClass::Strong => Some(true),
            class @ (NameClass::InContext | NameClass::Generic) => {
                Some(self.has_context(spec, class, start, true))
            }
            NameClass::Unknown => None,
            _ => Some(false),
        }
    }

    /// Whether a private token named as one (`privatetoken`, `private token`, any case)
    /// stands within [`PAIR_REACH`] bytes of the value at `start..end`: Moodle hands a
    /// token and its private token out together (`login/token.php` answers `{"token": …,
    /// "privatetoken": …}`), so a value nothing else names, beside one, is its token (`use
    /// this one: <code>…</code> privatetoken is <code>…</code>` in a chat message). Asked
    /// only of inputs that hold such a label.
    fn beside_private_token(&self, start: usize, end: usize) -> bool {
        // One search for the labels' common word; the labels only where it is.
        let says_private = self.hints.may_label_private_token
            && *self.says_private.get_or_init(|| {
                let lower = self.lowercased(0, self.buf.len());
                memchr::memmem::find_iter(&lower, b"private").any(|at| {
                    PRIVATE_TOKEN_LABELS
                        .iter()
                        .any(|label| lower[at..].starts_with(label.as_bytes()))
                })
            });
        // A token is 32 hex digits; a private token is not paired with another one.
        let value = &self.buf[start..end];
        if !says_private || value.len() != 32 || !value.iter().all(u8::is_ascii_hexdigit) {
            return false;
        }
        let (lo, hi) = (
            start.saturating_sub(PAIR_REACH),
            (end + PAIR_REACH).min(self.buf.len()),
        );
        let text = self.lowercased(lo, hi);
        // Another service's pair (a payment gateway's `publicToken` / `privateToken`) is not
        // Moodle's.
        let v = Vocabulary::builtin();
        if v.names_other_service(&v.words(&String::from_utf8_lossy(&text))) {
            return false;
        }
        let alnum_run = |from: usize| {
            text[from..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count()
        };
        // Moodle hands the token out first (`{"token":…,"privatetoken":…}`): a private token
        // before the value pairs it only on the value's own line, not from a record above.
        let (value_start, value_end) = (start - lo, end - lo);
        let in_order = |at: usize| {
            at >= value_end
                || (at < value_start && memchr::memchr(b'\n', &text[at..value_start]).is_none())
        };
        PRIVATE_TOKEN_LABELS
            .iter()
            .flat_map(|label| {
                memchr::memmem::find_iter(&text, label.as_bytes())
                    .filter(|&at| in_order(at))
                    .map(move |at| at + label.len())
            })
            .any(|after| {
                // The private token: 64 letters and digits after the label, within a few
                // bytes of glue (`": "`, ` is <code>`).
                let reach = (after + PAIR_GLUE).min(text.len());
                (after..reach)
                    .any(|i| (i == 0 || !text[i - 1].is_ascii_alphanumeric()) && alnum_run(i) == 64)
            })
    }

    /// Whether the table row holding the value at `start..end` (its line, the value left
    /// out) names another service and not Moodle.
    fn row_names_other_service(&self, start: usize, end: usize) -> bool {
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        let (ls, le) = (lines.start_of(start), lines.end_of(end));
        let v = Vocabulary::builtin();
        let text = |a: usize, b: usize| String::from_utf8_lossy(&self.buf[a..b]).into_owned();
        let row = format!("{} {}", text(ls, start), text(end, le));
        v.names_other_service(&v.words(&without_value_runs(&row)))
    }

    /// [`Self::row_names_other_service`] for a row short enough to be one record (a long
    /// line is a minified document of many).
    fn short_row_names_other_service(&self, start: usize, end: usize) -> bool {
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        lines.end_of(end) - lines.start_of(start) <= RECORD_ROW_MAX
            && self.row_names_other_service(start, end)
    }

    /// Whether the line opening the block that holds `pos` is `name` alone (`chiave:` over
    /// an indented value it introduces).
    fn named_by_parent_line(&self, name: &str, pos: usize) -> bool {
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        key::parent_key(self.buf, lines, pos).is_some_and(|head| {
            let idents = key::identifiers(Vocabulary::builtin(), &head);
            idents.len() == 1 && idents[0] == name
        })
    }

    /// Whether the input may hold a table whose header names a token column: SQL rows, or
    /// a `token` on the first line (a CSV/TSV header), on a Markdown row or in an HTML or
    /// SpreadsheetML cell. Searched once; the inputs that cannot are spared the table layer when
    /// nothing else could bind a value.
    pub fn may_hold_token_store(&self) -> bool {
        *self.token_store.get_or_init(|| {
            if self.may_hold_sql() {
                return true;
            }
            let buf = self.buf;
            let first_line_end = memchr::memchr(b'\n', buf).unwrap_or(buf.len());
            // `Token`, `token`, `TOKEN`: every spelling holds `oken` or `OKEN`.
            let hits = memchr::memmem::find_iter(buf, b"oken")
                .chain(memchr::memmem::find_iter(buf, b"OKEN"))
                .take(4096);
            for at in hits {
                if at < first_line_end {
                    return true;
                }
                let ls = memchr::memrchr(b'\n', &buf[..at]).map_or(0, |i| i + 1);
                let line = &buf[ls..at];
                // A Markdown row, an HTML header cell, or a first-row title of an HTML or
                // spreadsheet XML table (`<td>Token</td>`, `<Data …>Token</Data>`, an xlsx
                // worksheet's inline `<t>Token</t>`), or a blank-aligned table's header
                // (`User   Token   Service`).
                // The input's lowercased copy, when the caller made one (no copy per hit).
                let lower = self.lowercased(ls, at);
                if line.trim_ascii_start().starts_with(b"|")
                    || is_aligned_row(
                        &buf[ls..memchr::memchr(b'\n', &buf[ls..]).map_or(buf.len(), |n| ls + n)],
                    )
                    || [&b"<th"[..], b"<td", b"<data", b"<t>", b"<t "]
                        .iter()
                        .any(|tag| memchr::memmem::rfind(&lower, tag).is_some())
                {
                    return true;
                }
            }
            false
        })
    }

    /// Whether the line of `pos` may be a table's row (a Markdown row, two delimiters, a
    /// blank-aligned row, an HTML or spreadsheet XML cell) or the input may hold SQL rows: a
    /// cheap test before a key is looked for.
    fn in_table_row(&self, pos: usize) -> bool {
        if self.may_hold_sql() {
            return true;
        }
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        let ls = lines.start_of(pos);
        if let Some((_, answer)) = self.table_row.get().filter(|&(at, _)| at == ls) {
            return answer;
        }
        let line = &self.buf[ls..lines.end_of(pos)];
        let answer = line.trim_ascii_start().starts_with(b"|")
            || is_aligned_row(line)
            || [b',', b'\t', b';']
                .iter()
                .any(|&d| memchr::memchr_iter(d, line).nth(1).is_some())
            || [&b"<td"[..], b"<TD", b"<Cell", b"<cell", b"<c "]
                .iter()
                .any(|tag| memchr::memmem::find(line, tag).is_some());
        self.table_row.set(Some((ls, answer)));
        answer
    }

    /// The module `name` is imported from ([`key::imported_names`], built once per input);
    /// `None` at once when the input imports nothing.
    fn imported_from(&self, name: &str) -> Option<&str> {
        if !*self.imports.get_or_init(|| key::imports_anything(self.buf)) {
            return None;
        }
        let name = name.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
        self.imported
            .get_or_init(|| key::imported_names(self.buf))
            .get(name)
            .map(String::as_str)
    }

    /// Whether the block whose opener line starts at `opener` and that holds `pos` mentions
    /// Moodle in its own lines other than the value's: from the opener to the end of the
    /// block (the lines after `pos` indented more than the opener, at most [`BLOCK_LINES`]
    /// of them and [`BLOCK_BYTES`] in all).
    fn block_mentions_moodle(&self, opener: usize, pos: usize) -> bool {
        let (buf, lines) = (
            self.buf,
            self.lines.get_or_init(|| key::Lines::new(self.buf)),
        );
        let end = self.block_end(opener, pos);
        // The value's own line is left out (its name, `privateToken`, may be a Moodle word),
        // but for the addresses it holds: a command line's `-Uri https://moodle.…` is the
        // site the value is for.
        let (ls, le) = (lines.start_of(pos), lines.end_of(pos));
        self.context.within(buf, self.lower, opener, ls)
            || self.context.within(buf, self.lower, le, end)
            || key::urls(&buf[ls..le])
                .any(|(s, e)| self.context.within(buf, self.lower, ls + s, ls + e))
    }

    /// Whether the record holding `pos` is kept under a key naming Moodle (the key its block
    /// opens with: `"moodle": {`, `[moodle]`, `moodle:`).
    fn record_named_moodle(&self, pos: usize) -> bool {
        let v = Vocabulary::builtin();
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        key::parent_key(self.buf, lines, pos).is_some_and(|head| {
            let idents = key::identifiers(v, &head);
            let words: Vec<String> = idents.iter().flat_map(|i| v.words(i).to_vec()).collect();
            v.is_moodle(&words)
        })
    }

    /// Whether another key of the one-line record holding `pos` names Moodle itself
    /// (`['client' => 'x', 'lms_url' => '…', 'ws_token' => '…']`: `names.toml`'s
    /// `moodle_words`): the context a Moodle-ish name (`ws_token`) needs, where the input
    /// says nothing else of Moodle (a seeder of client sites).
    fn record_names_moodle(&self, pos: usize) -> bool {
        let v = Vocabulary::builtin();
        self.record_keys(pos)
            .iter()
            .any(|k| v.is_moodle(&v.words(k)))
    }

    /// Whether the value at `pos` stands in a record that holds a site's address and a
    /// service besides it, as the token Moodle issues for one service of one site is kept (a
    /// kiosk's `[Aula]` `Url=` / `Service=` / `Token=`, an onboarding page's `| URL | … |` /
    /// `| Servizio WS | … |` / `| Token | … |`), and whose keys name no other service: the
    /// context a generic name needs where the input never says Moodle. The titles are those
    /// of a table that stores tokens (`names.toml`'s `[token_store_columns]`), a record being
    /// such a table's row written a field a line.
    fn record_grants_token(&self, pos: usize) -> bool {
        if !self.record_may_grant(pos) {
            return false;
        }
        let v = Vocabulary::builtin();
        let titles = &v.token_store_columns;
        let fields = self.record_fields(pos);
        let words: Vec<Rc<[String]>> = fields.iter().map(|(k, _)| v.words(k)).collect();
        let is =
            |w: &[String], want: &rustc_hash::FxHashSet<String>| w.iter().any(|w| want.contains(w));
        let has = |want| words.iter().any(|w| is(w, want));
        // The site is a learning platform's by its address (`aula.…`, `elearning.…`,
        // `moodle.…`): a runner's, a vault's or a webhook's record of a URL, a service and a
        // token is theirs.
        let lms_site = fields
            .iter()
            .zip(&words)
            .any(|((_, value), w)| is(w, &titles.site) && is_learning_site(v, value));
        lms_site && has(&titles.service) && !words.iter().any(|w| v.names_other_service(w))
    }

    /// Whether the value's own line at `pos` holds a token title's stem and the lines a
    /// record around it may span ([`RECORD_FIELD_LINES`] each way) a service title's and a
    /// site title's: the cheap test before the record is read
    /// ([`Self::record_grants_token`]).
    fn record_may_grant(&self, pos: usize) -> bool {
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        let holds = holds_stem;
        let [token, service, site] = title_stems();
        // The value's own line names it as a token (`Token=`, `| Token (utente) |`).
        if !holds(
            &self.lowercased(lines.start_of(pos), lines.end_of(pos)),
            token,
        ) {
            return false;
        }
        let own = lines.index_of(pos);
        let last = lines.index_of(self.buf.len());
        let start = lines.start_of_index(own.saturating_sub(RECORD_FIELD_LINES));
        let end = lines.end_of(lines.start_of_index((own + RECORD_FIELD_LINES).min(last)));
        let region = self.lowercased(start, end);
        holds(&region, service) && holds(&region, site)
    }

    /// The other keys of the record the value at `pos` stands in (see
    /// [`Self::record_fields`]).
    fn record_keys(&self, pos: usize) -> Vec<String> {
        self.record_fields(pos)
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    /// The other fields, as (key, value as written), of the record the value at `pos` stands
    /// in: its line's keys but the value's own (`['client' => 'x', 'lms_url' => '…',
    /// 'ws_token' => '…']`), and the first key of each line of its paragraph when the record
    /// is written a field a line (a `.properties` or `.env` paragraph, an INI section, a YAML
    /// map or list item, a Markdown table of names and values: its rows' first two cells):
    /// the lines next to its own that are indented as deep, up to a blank line, a section
    /// header or another list item, at most [`RECORD_FIELD_LINES`] each way.
    fn record_fields(&self, pos: usize) -> Vec<(String, String)> {
        let (buf, lines) = (
            self.buf,
            self.lines.get_or_init(|| key::Lines::new(self.buf)),
        );
        let (ls, le) = (lines.start_of(pos), lines.end_of(pos));
        if le - ls > RECORD_LINE_MAX {
            return Vec::new();
        }
        // Read as it is (a lossy copy would move the offsets the value's own key is found by).
        let Ok(line) = std::str::from_utf8(&buf[ls..le]) else {
            return Vec::new();
        };
        let keys = key::keys_on_line(line);
        let field = |text: &str, k: &str| {
            let at = k.as_ptr() as usize - text.as_ptr() as usize;
            (k.to_string(), field_value(&text[at + k.len()..]))
        };
        // The value's own key (the last before it) is its name, read already.
        let offset = |k: &str| k.as_ptr() as usize - line.as_ptr() as usize;
        let own = keys.iter().rposition(|k| offset(k) < pos - ls);
        // An element's attribute (`<string name="app_name">`) names the element's content,
        // not a record's field: its value is not read.
        let read = |text: &str, k: &str| match text.trim_start().starts_with('<') {
            true => (k.to_string(), String::new()),
            false => field(text, k),
        };
        let mut out: Vec<(String, String)> = (keys.iter().enumerate())
            .filter(|&(i, _)| Some(i) != own)
            .map(|(_, k)| read(line, k))
            .collect();
        // A YAML list item's dash stands where its fields' indentation is (`key::indent`
        // counts it).
        let item = |text: &[u8]| text.trim_ascii_start().starts_with(b"- ");
        let depth = key::indent;
        let own_depth = depth(line.as_bytes());
        // A line's field: `None` ends the record; `Some(None)` is a line of no field (a
        // Markdown table's `|---|` rule).
        let field_of = |i: usize| -> Option<Option<(String, String)>> {
            let s = lines.start_of_index(i);
            let text = &buf[s..lines.end_of(s)];
            let trimmed = text.trim_ascii();
            if trimmed.is_empty()
                || trimmed.starts_with(b"[")
                || depth(text) != own_depth
                || text.len() > RECORD_LINE_MAX
            {
                return None;
            }
            let text = std::str::from_utf8(text).ok()?;
            if let Some(row) = text.trim().strip_prefix('|') {
                let mut cells = row.split('|').map(str::trim);
                let name = cells.next().unwrap_or("");
                let rule = name.chars().all(|c| matches!(c, '-' | ':' | ' '));
                let value = cells.next().unwrap_or("").to_string();
                return Some((!rule).then(|| (name.to_string(), value)));
            }
            let first = key::keys_on_line(text).first().map(|k| read(text, k));
            Some(Some(first?))
        };
        let starts_item = |i: usize| {
            let s = lines.start_of_index(i);
            item(&buf[s..lines.end_of(s)])
        };
        let own_line = lines.index_of(pos);
        let last_line = lines.index_of(buf.len());
        // Up to the line that starts the value's list item, if any; down to the next item.
        let first = match item(line.as_bytes()) {
            true => own_line,
            false => {
                let floor = own_line.saturating_sub(RECORD_FIELD_LINES);
                (floor..own_line)
                    .rev()
                    .find(|&i| starts_item(i))
                    .unwrap_or(floor)
            }
        };
        let below_end = (own_line + RECORD_FIELD_LINES).min(last_line);
        let above = (first..own_line).rev();
        let below = (own_line + 1..=below_end).take_while(|&i| !starts_item(i));
        let fields = |range: &mut dyn Iterator<Item = usize>| -> Vec<(String, String)> {
            range
                .map(field_of)
                .take_while(Option::is_some)
                .flatten()
                .flatten()
                .collect()
        };
        out.extend(fields(&mut { above }));
        out.extend(fields(&mut { below }));
        out
    }

    /// Whether a field of the record the value at `pos` stands in says the record is another
    /// service's: a field that names its system (`name`, `service`, `provider`: `names.toml`'s
    /// `system_fields`) whose value is a name of words (no path, address or markup: not
    /// `Microsoft.PowerShell.Core\Registry`, not the `name` of `<string name="…">`, which
    /// names a field) that names another service and not Moodle (a Grafana export's
    /// `{"name": "zabbix", "token": "…"}`); or its site fields hold only another service's
    /// hosts ([`host_of_other_service`]).
    fn record_names_other_service(&self, pos: usize) -> bool {
        let v = Vocabulary::builtin();
        let plain = |value: &str| {
            value.len() <= 64 && !value.contains(['.', '/', '\\', ':', '<', '>', '@', '='])
        };
        let fields = self.record_fields(pos);
        let names_system = fields.iter().any(|(k, value)| {
            v.words(k).iter().any(|w| v.system_fields.contains(w))
                && plain(value)
                && v.names_other_service(&v.words(value))
        });
        // A site field holding another service's host (`site: datadoghq.eu` beside a
        // Datadog agent's `api_key`), and no site field holding any other host (a Moodle
        // record's `url:` beside a `monitor: app.datadoghq.com`).
        let site_hosts: Vec<bool> = fields
            .iter()
            .filter(|(k, _)| {
                v.words(k)
                    .iter()
                    .any(|w| SITE_FIELD_WORDS.contains(&w.as_str()))
            })
            .filter_map(|(_, value)| host_of_other_service(v, value))
            .collect();
        names_system || (site_hosts.contains(&true) && !site_hosts.contains(&false))
    }

    /// Whether the paragraph around `pos` (the non-blank lines next to its line, at most
    /// [`PARAGRAPH_LINES`] each way) names a Moodle plugin after another service: a
    /// component name (`local_algoliasearch`, `block_mailchimpsync`: Moodle's
    /// `<type>_<name>`) whose name holds a word of `other_services` of five letters or more
    /// (not a `holders` word such as `session`, which names no service).
    fn paragraph_names_other_plugin(&self, pos: usize) -> bool {
        let (buf, lines) = (
            self.buf,
            self.lines.get_or_init(|| key::Lines::new(self.buf)),
        );
        let own = lines.index_of(pos);
        let blank = |i: usize| {
            let s = lines.start_of_index(i);
            buf[s..lines.end_of(s)].trim_ascii().is_empty()
        };
        let mut first = own;
        while first > 0 && own - first < PARAGRAPH_LINES && !blank(first - 1) {
            first -= 1;
        }
        let last_line = lines.index_of(buf.len());
        let mut last = own;
        while last < last_line && last - own < PARAGRAPH_LINES && !blank(last + 1) {
            last += 1;
        }
        let (s, mut e) = (
            lines.start_of_index(first),
            lines.end_of(lines.start_of_index(last)),
        );
        // A value in a block (a config array's `'local_hubsync' => [`) is read up to its
        // block's end: the next block's comment (`// Matomo analytics (tool_webanalytics)`)
        // speaks of that block's values. The lines above stay: the record the block is a
        // field of names its plugin there (`"plugin": "search_algolia", "settings": {`).
        if let Some((_, opener)) = key::parent_line(buf, lines, pos) {
            e = e.min(self.block_end(opener, pos));
        }
        // Values are asked in order: a paragraph of many values (a minified file's one line)
        // is read once.
        if let Some((_, answer)) = self.plugin_paragraph.get().filter(|&(at, _)| at == (s, e)) {
            return answer;
        }
        let text = self.lowercased(s, e);
        let answer = plugin_re().find_iter(&text).any(|m| {
            let name = &m.as_bytes()[m.as_bytes().iter().position(|&b| b == b'_').unwrap_or(0)..];
            plugin_services().is_some_and(|a| a.is_match(name))
        });
        self.plugin_paragraph.set(Some(((s, e), answer)));
        answer
    }

    /// Whether the lines around `pos` (up to [`WEBSOCKET_LINES`] each way) speak of a
    /// websocket (`WebSocket`, `wss://`, `socket.io`) and not of a Moodle web service
    /// (`webservice`, `wsfunction`, `server.php`).
    fn beside_websocket(&self, pos: usize) -> bool {
        let (buf, lines) = (
            self.buf,
            self.lines.get_or_init(|| key::Lines::new(self.buf)),
        );
        let own = lines.index_of(pos);
        let first = lines.start_of_index(own.saturating_sub(WEBSOCKET_LINES));
        let last = lines.index_of(buf.len()).min(own + WEBSOCKET_LINES);
        let text = self.lowercased(first, lines.end_of(lines.start_of_index(last)));
        let has = |w: &str| memchr::memmem::find(&text, w.as_bytes()).is_some();
        ["websocket", "wss://", "ws://", "socket.io", "socketio"]
            .iter()
            .any(|w| has(w))
            && !["webservice", "wsfunction", "server.php"]
                .iter()
                .any(|w| has(w))
    }

    /// `buf[start..end]` ASCII-lowercased: the caller's lowercased copy when there is one.
    fn lowercased(&self, start: usize, end: usize) -> std::borrow::Cow<'a, [u8]> {
        match self.lower {
            Some(lower) => std::borrow::Cow::Borrowed(&lower[start..end]),
            None => std::borrow::Cow::Owned(self.buf[start..end].to_ascii_lowercase()),
        }
    }

    /// The end of the block whose opener line starts at `opener` and that holds `pos`: the
    /// lines after `pos` indented more than the opener, at most [`BLOCK_LINES`] of them and
    /// [`BLOCK_BYTES`] from the opener (or the end of `pos`'s line, if further).
    fn block_end(&self, opener: usize, pos: usize) -> usize {
        let (buf, lines) = (
            self.buf,
            self.lines.get_or_init(|| key::Lines::new(self.buf)),
        );
        let own = key::indent(&buf[opener..]);
        let mut end = lines.end_of(pos);
        let limit = (opener + BLOCK_BYTES).max(end).min(buf.len());
        for _ in 0..BLOCK_LINES {
            let next = end + 1;
            if next >= limit {
                break;
            }
            let next_end = lines.end_of(next);
            let line = &buf[next..next_end];
            if !line.trim_ascii().is_empty() && key::indent(line) <= own {
                break;
            }
            end = next_end;
        }
        end.min(limit)
    }

    /// Whether the value at `pos` stands in a record about a Moodle web service: its block
    /// (from the opener above it to the block's end, see [`Self::block_mentions_moodle`])
    /// names Moodle and a web-service endpoint, call or token (`webservice/`, `wsfunction`,
    /// `moodlewsrestformat`, `token`), as a connection export's `host`/`extra`/`description`
    /// and a password manager's entry title do.
    ///
    /// `pair`: the value is a name/value pair's value half, whose own block may hold only
    /// the pair (KeePass's `<String><Key>Password</Key><Value>…</Value></String>`): the
    /// record is then the block around that one (the `<Entry>` with its title and URL), when
    /// that block is the pair's alone (its opener, the name and the value lines).
    fn in_service_record(&self, pos: usize, pair: bool) -> bool {
        let (buf, lines) = (
            self.buf,
            self.lines.get_or_init(|| key::Lines::new(self.buf)),
        );
        let Some((_, opener)) = key::parent_line(buf, lines, pos) else {
            return false;
        };
        if self.service_record_at(opener, pos) {
            return true;
        }
        // Asked from the opener's own column, so its indentation counts.
        let at = opener + key::indent(&buf[opener..]);
        let block_lines =
            (lines.index_of(self.block_end(opener, pos))).saturating_sub(lines.index_of(opener));
        let wrapper = block_lines <= 2;
        // The pair's name is on a line of its own: the value's line holds only the value's
        // field (`<Value ProtectInMemory="True">`, `"value": "`), no name field.
        let (ls, le) = (lines.start_of(pos), lines.end_of(pos));
        let line = self.lowercased(ls, le);
        let name_field = [&b"<key>"[..], b"<name>", b"\"name\"", b"\"key\"", b"name="]
            .iter()
            .any(|f| memchr::memmem::find(&line[..pos - ls], f).is_some());
        let holder = (pair && wrapper && !name_field)
            .then(|| key::parent_line(buf, lines, at))
            .flatten();
        holder.is_some_and(|(_, outer)| outer < opener && self.service_record_at(outer, pos))
    }

    /// [`Self::in_service_record`] for the block whose opener line starts at `opener`.
    fn service_record_at(&self, opener: usize, pos: usize) -> bool {
        let buf = self.buf;
        let end = self.block_end(opener, pos);
        let lower = self.lowercased(opener, end);
        let endpoint = [&b"webservice/"[..], b"wsfunction", b"moodlewsrestformat"]
            .iter()
            .any(|w| memchr::memmem::find(&lower, w).is_some());
        // A record titled for a token or for Moodle's web-service API (a password manager's
        // history entry, `Moodle WS-Token WebUntis` kept without its URL; a KeePass entry
        // `Moodle API`) says so as plainly as an endpoint, unless it names another service
        // or says it is no Moodle token (`BigBlueButton (for Moodle plugin)`, `NOT a Moodle
        // token`).
        let titled = || {
            let v = Vocabulary::builtin();
            let words = v.words(&without_hex_runs(&lower));
            let web_service = words
                .windows(2)
                .any(|w| w[0] == "web" && (w[1] == "service" || w[1] == "services"));
            (web_service || words.iter().any(|w| w == "token" || w == "api"))
                && !words.iter().any(|w| v.other_services.contains(w))
                && !disclaims_moodle(v, &words)
        };
        (endpoint || titled()) && self.context.within(buf, self.lower, opener, end)
    }

    /// The context a Moodle-ish (anywhere) or generic (near) name needs, and no enclosing
    /// key naming something else. `named_by_block`: the value's name is its enclosing
    /// block's (`"api_key": {` over a `"value":`), so the key around that one is the first
    /// that may name something else.
    fn has_context(
        &self,
        spec: &NameSpec,
        class: NameClass,
        pos: usize,
        named_by_block: bool,
    ) -> bool {
        let question = (pos, class, spec.context_lines, named_by_block);
        if let Some(&known) = self.contexts.borrow().get(&question) {
            return known;
        }
        let answer = self.find_context(spec.context_lines, class, pos, named_by_block);
        self.contexts.borrow_mut().insert(question, answer);
        answer
    }

    /// [`Self::has_context`] answered: `context_lines` is the rule's reach for a generic name.
    fn find_context(
        &self,
        context_lines: u32,
        class: NameClass,
        pos: usize,
        named_by_block: bool,
    ) -> bool {
        let v = Vocabulary::builtin();
        // An input that never mentions Moodle (the usual case) is settled by one search,
        // but for a Moodle-ish name in a record whose other keys name Moodle as its LMS, and
        // a record kept as Moodle grants a token (a site and a service beside it).
        if !self.mentions_moodle() {
            return (class == NameClass::InContext && self.record_names_moodle(pos))
                || self.record_grants_token(pos);
        }
        // The enclosing keys, nearest first (up to four levels): a Moodle one settles it; the
        // nearest naming another service, or a lone data key naming something else
        // (`"acmepay": {`), rejects unless a Moodle key encloses it further up.
        let lines = self.lines.get_or_init(|| key::Lines::new(self.buf));
        // An attribute's element is its nearest enclosing key (`<moodle url="…"
        // token="…"/>` inside `<connectors>`): it settles the value as a Moodle one, or
        // as another service's.
        if let Some(element) = key::open_element(&self.buf[lines.start_of(pos)..pos]) {
            let words = v.words(element);
            if v.is_moodle(&words) {
                return true;
            }
            if v.names_other_service(&words) {
                return false;
            }
        }
        let mut at = pos;
        let mut blocked = false;
        let first = usize::from(named_by_block);
        // The value stands in a YAML list item that is no map (`- REPORT_WS_KEY=…`).
        let item = self.buf[lines.start_of(pos)..pos].trim_ascii_start();
        let bare_item = item.starts_with(b"- ") && memchr::memchr(b':', item).is_none();
        for level in 0..4 + first {
            let Some((head, line)) = key::parent_line(self.buf, lines, at) else {
                break;
            };
            let idents = key::identifiers(v, &head);
            let words: Vec<String> = idents.iter().flat_map(|i| v.words(i).to_vec()).collect();
            if v.is_moodle(&words) {
                return true;
            }
            // A block that holds a Moodle site's address or names Moodle among its own
            // fields is that site's record (an app's `session: {siteUrl, token}`), whatever
            // the block is called, unless it is named for another product.
            let record = || self.block_mentions_moodle(line, pos);
            if level == first && v.names_other_service(&words) {
                let holder = words
                    .iter()
                    .filter(|w| v.other_services.contains(*w))
                    .all(|w| v.holders.contains(w));
                return holder && record();
            }
            if level < first {
                at = line + key::indent(&self.buf[line..]);
                continue;
            }
            // A pair's own structure (`header: {key: …, value: …}`) groups too, and so does
            // a list of HTTP headers whatever it is called (`request_headers_to_add:`).
            let headers = words.iter().any(|w| w == "header" || w == "headers");
            let grouping = headers
                || words.iter().all(|w| {
                    v.containers.contains(w)
                        || v.name_words.contains(w)
                        || w.bytes().all(|b| b.is_ascii_digit())
                });
            // A code block's head (`object Konstanten {`, `class Settings:`) holds more
            // than one word: only a lone data key (`"acmepay": {`) blocks.
            let lone = head
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .count()
                == 1;
            // A list's name (`WS_TOKENS = [`, `"source": [`, YAML's `literals:` over its
            // `- REPORT_WS_KEY=…` items) is its elements' own name, not a key around them.
            // (A YAML item that is a map, `- token: …`, is a record the list's name may
            // name, as `acmepay:` over `- token:` does.)
            let mut opener_and_next = self.buf[line..]
                .split(|&b| b == b'\n')
                .filter(|l| !l.trim_ascii().is_empty());
            let list = opener_and_next
                .next()
                .is_some_and(|l| l.trim_ascii_end().ends_with(b"["))
                || (bare_item
                    && opener_and_next
                        .next()
                        .is_some_and(|l| l.trim_ascii_start().starts_with(b"- ")));
            if level == first && idents.len() == 1 && lone && !grouping && !list {
                if record() {
                    return true;
                }
                blocked = true;
            }
            // Look further up from the key's own column, so its indentation counts.
            at = line + key::indent(&self.buf[line..]);
        }
        if blocked {
            return false;
        }
        let in_context = self.context_everywhere()
            || match class {
                NameClass::InContext => {
                    self.context.any(self.buf, self.lower) || self.record_names_moodle(pos)
                }
                _ => {
                    self.context
                        .near(self.buf, self.lower, pos, context_lines, lines.newlines())
                        || self.record_grants_token(pos)
                }
            };
        // A generic name in a paragraph about a plugin named for another service
        // (`local_algoliasearch`'s `Admin API key:`) is that service's credential (asked
        // last: only values that would count otherwise).
        in_context && !(class == NameClass::Generic && self.paragraph_names_other_plugin(pos))
    }
}

/// Whether `url` (a field's value) is an `http(s)` address whose host names a learning
/// platform: one of its labels (split at `.` and `-`) is a word of `names.toml`'s
/// `learning_hosts` (`aula`, `ava`, `campus`), or holds one of its stems (`moodle`, `lms`,
/// `learn`, `lern`: `elearning`, `lernplattform`).
fn is_learning_site(v: &Vocabulary, url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("");
    host.split(['.', '-']).any(|label| {
        v.learning_hosts.contains(label)
            || (v.learning_host_stems.iter()).any(|stem| label.contains(stem.as_str()))
    })
}

/// The value a key gives on its line, from the text right after the key (`" => 'x', …`,
/// `=https://…`, `: "zabbix",`): past the key's closing quote, the glue (`=`, `:`, `=>`) and
/// an opening quote, up to the closing quote, a `,`, `;`, `}` or `]`, or the line's end.
fn field_value(after_key: &str) -> String {
    let rest = after_key.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.trim_start_matches(['=', ':', '>']).trim_start();
    match rest.strip_prefix(['"', '\'']) {
        Some(quoted) => quoted.split(['"', '\'']).next().unwrap_or(""),
        None => rest.split([',', ';', '}', ']']).next().unwrap_or(""),
    }
    .trim()
    .to_string()
}

/// Words of a record's field names that say the field holds the record's site or endpoint
/// (`site`, `url`, `api_host`, `endpoint`), for [`host_of_other_service`].
const SITE_FIELD_WORDS: [&str; 9] = [
    "site", "url", "uri", "host", "endpoint", "domain", "server", "base", "baseurl",
];

/// Whether a record's field value, when it is a host name or an address, is another
/// service's host (a Datadog agent's `site: datadoghq.eu`, `https://api.mailgun.net`): one of
/// its labels starts with a word of `other_services` five letters or longer (`datadoghq`,
/// `mailgun`), and none is a Moodle word. `None` when the value is no host name or address.
fn host_of_other_service(v: &Vocabulary, value: &str) -> Option<bool> {
    let value = value.trim().trim_matches(['"', '\'']);
    let rest = value.split_once("://").map_or(value, |(_, rest)| rest);
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("");
    // A host name: dotted labels of letters, digits and dashes, no blank (not a sentence).
    let is_host = host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    if !is_host {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.split(['.', '-']).collect();
    Some(
        !labels.iter().any(|l| v.moodle_words.contains(*l))
            && labels.iter().any(|label| {
                v.other_services
                    .iter()
                    .any(|service| service.len() >= 5 && label.starts_with(service.as_str()))
            }),
    )
}

/// Whether the value at `start..end` of `buf` passes every one of `validators` (a keyed
/// rule's checks of the value itself, asked once its name accepts it: see
/// [`KeyedInput::candidates`]).
pub fn valid(buf: &[u8], validators: &[Validator], (start, end): Span) -> bool {
    let candidate = Candidate {
        buf,
        match_start: start,
        secret: &buf[start..end],
        host: None,
    };
    validators.iter().all(|v| v.accepts(&candidate))
}

#[cfg(test)]
mod tests {
    use super::ValueShape;

    /// Maximal runs the slow way, for comparison.
    fn naive(shape: ValueShape, buf: &[u8]) -> Vec<(usize, usize)> {
        let re = regex::bytes::Regex::new(shape.run_regex()).unwrap();
        re.find_iter(buf).map(|m| (m.start(), m.end())).collect()
    }

    /// Base64-written values the slow way: every maximal run, as before the runs were probed.
    fn naive_base64(shape: ValueShape, buf: &[u8]) -> Vec<(usize, usize, String)> {
        let re = regex::bytes::Regex::new(r"[A-Za-z0-9+/_-]+=?=?").unwrap();
        let encoded_len = |n: usize| n.div_ceil(3) * 4;
        let (lo, hi) = (
            encoded_len(shape.len()) - 2,
            encoded_len(shape.len() + 2) + 2,
        );
        re.find_iter(buf)
            .filter(|m| (lo..=hi).contains(&m.len()))
            .filter_map(|m| {
                let bytes = crate::rules::decode::base64_decode(m.as_bytes())?;
                let text = bytes.trim_ascii_end();
                (text.len() == shape.len() && text.iter().all(|&b| shape.admits(b))).then(|| {
                    (
                        m.start(),
                        m.end(),
                        String::from_utf8_lossy(text).into_owned(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn probed_base64_values_equal_every_maximal_run() {
        use base64::Engine;
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let mut found = 0;
        for shape in [ValueShape::Hex32, ValueShape::Alnum64] {
            for round in 0..200 {
                let mut buf = Vec::new();
                while buf.len() < 40 + round * 11 {
                    let value: String = (0..shape.len() + (next() % 3) as usize)
                        .map(|_| b"0123456789abcdef"[(next() % 16) as usize] as char)
                        .collect();
                    let encoded = base64::engine::general_purpose::STANDARD.encode(value);
                    let cut = (next() % (encoded.len() as u64 + 4)) as usize;
                    buf.extend_from_slice(&encoded.as_bytes()[..cut.min(encoded.len())]);
                    buf.push(b" =\n-+"[(next() % 5) as usize]);
                }
                let want = naive_base64(shape, &buf);
                assert_eq!(shape.base64_values(&buf), want, "{shape:?} {round}");
                found += want.len();
            }
        }
        assert!(found > 100, "{found} values: the texts must hold some");
    }

    #[test]
    fn a_value_continued_by_a_backslash_is_joined_across_its_lines() {
        let joined = |text: &str| {
            let buf = text.as_bytes();
            let newlines: Vec<usize> = memchr::memchr_iter(b'\n', buf).collect();
            ValueShape::Hex32
                .joined_values(buf, &newlines)
                .into_iter()
                .map(|(s, e, v)| (text[s..e].to_string(), v))
                .collect::<Vec<_>>()
        };
        let value = "b71a65a447e59a03feaf58a6820eec84";
        // Java properties drop the next line's leading blanks; CRLF lines too.
        let two = "token = b71a65a447e59a03\\\n    feaf58a6820eec84\n";
        assert_eq!(joined(two)[0].1, value);
        let crlf = "token=b71a65a4\\\r\n47e59a03\\\r\nfeaf58a6820eec84\r\n";
        assert_eq!(joined(crlf)[0].1, value);
        // Not a continuation: an escaped backslash, a piece glued to a word, a joined word
        // too long or going on past the value.
        for text in [
            "token = b71a65a447e59a03\\\\\nfeaf58a6820eec84\n",
            "token = xb71a65a447e59a03\\\nfeaf58a6820eec84\n",
            "token = b71a65a447e59a03\\\nfeaf58a6820eec84ff\n",
            "token = b71a65a447e59a03\\\nfeaf58a6820eec8x\n",
        ] {
            assert!(joined(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn runs_equal_every_maximal_run() {
        // Deterministic pseudo-random texts mixing the alphabets with separators, so runs
        // of every length around the value's length occur at every alignment.
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let alphabet = b"0123456789abcdefABCDEFghijXYZ_ -:\n";
        for shape in [ValueShape::Hex32, ValueShape::Alnum64] {
            for round in 0..300 {
                let len = 1 + round * 7;
                let buf: Vec<u8> = (0..len)
                    .map(|_| {
                        let x = next();
                        // Mostly alphabet bytes, so long runs are common.
                        if x.is_multiple_of(23) {
                            b' '
                        } else {
                            alphabet[(x >> 8) as usize % 22]
                        }
                    })
                    .collect();
                assert_eq!(shape.runs(&buf), naive(shape, &buf), "{shape:?} {len}");
            }
        }
    }
}
