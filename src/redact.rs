//! One redaction path for everything moodleleaks prints.
//!
//! Two layers, both before any text is cut to a window:
//! - while a buffer is scanned, every occurrence (not only the matched one) of every secret
//!   found in that buffer, and every password in a URL's user info, becomes a span that the
//!   line display masks and never cuts ([`buffer_spans`]);
//! - before the report is written, [`Redactor`] masks every occurrence of every secret of
//!   the whole run (a token found in one file and merely written in another) and every
//!   user-info password in every printed text: line text, notes, commit messages.
//!
//! Windows of long lines start and end on word boundaries ([`is_word_byte`]), so a secret
//! of another buffer is never half inside a window where the run-wide mask cannot see it.

use crate::finding::{redact, Finding};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Secrets shorter than this are masked where matched but not searched for elsewhere: a
/// two-letter password would otherwise mask every "pw" in every line.
pub const MIN_MASKED_LEN: usize = 6;

/// Secrets longer than this (a huge captured payload) are masked where matched but not
/// searched for elsewhere: building the automaton costs time in the square of the length.
pub const MAX_SEARCHED_LEN: usize = 1024;

/// Above this many secrets made of letters and digits only, those are looked for by their
/// lengths in a hash set rather than by an automaton: an automaton of 100,000 tokens (a
/// dump of Moodle's token table) took seconds to build.
const SET_SECRETS: usize = 1024;

/// Every copy of a set of secrets (ASCII case ignored): the secrets made of ASCII letters
/// and digits only, when there are many, by every window of their lengths over each run of
/// letters and digits looked up in a hash set; the others by an automaton (built as an NFA,
/// whose cost is linear in the needles, never as a DFA).
#[derive(Debug)]
struct SecretSet {
    /// The distinct lengths of the hashed secrets, shortest first.
    lens: Vec<usize>,
    /// The hashed secrets, lowercased.
    words: rustc_hash::FxHashSet<Vec<u8>>,
    automaton: Option<AhoCorasick>,
}

impl SecretSet {
    /// The set of `secrets` within [`MIN_MASKED_LEN`]..=[`MAX_SEARCHED_LEN`] bytes; `None`
    /// when there are none.
    fn new(secrets: &[&str]) -> Option<SecretSet> {
        let needles: Vec<&str> = secrets
            .iter()
            .copied()
            .filter(|s| (MIN_MASKED_LEN..=MAX_SEARCHED_LEN).contains(&s.len()))
            .collect();
        if needles.is_empty() {
            return None;
        }
        let plain = |s: &&str| s.bytes().all(|b| b.is_ascii_alphanumeric());
        let hashed = needles.iter().filter(|s| plain(s)).count() > SET_SECRETS;
        let (words, rest): (Vec<&str>, Vec<&str>) = if hashed {
            needles.into_iter().partition(plain)
        } else {
            (Vec::new(), needles)
        };
        let mut lens: Vec<usize> = words.iter().map(|w| w.len()).collect();
        lens.sort_unstable();
        lens.dedup();
        let automaton = (!rest.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&rest)
                    .ok()
            })
            .flatten();
        Some(SecretSet {
            lens,
            words: words
                .iter()
                .map(|w| w.to_ascii_lowercase().into_bytes())
                .collect(),
            automaton,
        })
    }

    /// Every copy in `text` as a byte span, unsorted, possibly overlapping.
    fn find(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = match &self.automaton {
            Some(ac) => ac.find_iter(text).map(|m| (m.start(), m.end())).collect(),
            None => Vec::new(),
        };
        let Some(&shortest) = self.lens.first() else {
            return spans;
        };
        let mut lower = Vec::new();
        let mut at = 0;
        while at < text.len() {
            if !text[at].is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let start = at;
            while at < text.len() && text[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if at - start < shortest {
                continue;
            }
            lower.clear();
            lower.extend(text[start..at].iter().map(u8::to_ascii_lowercase));
            for &len in self.lens.iter().take_while(|&&l| l <= lower.len()) {
                for (i, window) in lower.windows(len).enumerate() {
                    if self.words.contains(window) {
                        spans.push((start + i, start + i + len));
                    }
                }
            }
        }
        spans
    }
}

/// Bytes that may sit inside a token or an encoded credential (hex, alphanumerics, base64,
/// base64url): a display window never starts or ends between two of them.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-' | b'%')
}

/// `scheme://user:PASSWORD@`: group 1 is the password (RFC 3986 user info; the user name
/// part cannot hold `:`, the password runs to the `@` that ends the authority).
static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z][a-z0-9+.\-]*://[^\s/?#@:]*:([^\s/?#@]+)@").expect("valid regex")
});

/// Byte spans of the passwords in URL user info in `buf`.
pub fn userinfo_passwords(buf: &[u8]) -> Vec<(usize, usize)> {
    if memchr::memmem::find(buf, b"://").is_none() || memchr::memchr(b'@', buf).is_none() {
        return Vec::new();
    }
    USERINFO
        .captures_iter(buf)
        .filter_map(|c| c.get(1).map(|m| (m.start(), m.end())))
        .collect()
}

/// `url` without its user info (`https://admin:pw@host/x` → `https://host/x`): a site is a
/// web root, and a password must neither be shown nor sent along with a probe.
pub fn strip_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..authority_start], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Finds the spans to mask in text about to be shown: each occurrence of each of a buffer's
/// secrets (ASCII case ignored: an uppercased hex token is the same token) and each URL
/// user-info password. Built once per buffer, asked once per shown line.
#[derive(Debug)]
pub struct SpanFinder {
    secrets: Needles,
}

/// How a [`SpanFinder`] looks for its secrets.
#[derive(Debug)]
enum Needles {
    None,
    /// A few secrets, lowercased, each looked for in a lowercased copy of the text: cheaper
    /// to set up than an automaton, which most buffers (one or two secrets) never repay.
    Few(Vec<memchr::memmem::Finder<'static>>),
    Many(SecretSet),
}

/// Up to this many secrets are looked for one by one.
const FEW_SECRETS: usize = 4;

impl SpanFinder {
    /// A finder for `secrets` (those shorter than [`MIN_MASKED_LEN`] are left out).
    pub fn new(secrets: &[&str]) -> SpanFinder {
        let needles: Vec<&str> = secrets
            .iter()
            .copied()
            .filter(|s| (MIN_MASKED_LEN..=MAX_SEARCHED_LEN).contains(&s.len()))
            .collect();
        let secrets = match needles.len() {
            0 => Needles::None,
            n if n <= FEW_SECRETS => Needles::Few(
                needles
                    .iter()
                    .map(|s| memchr::memmem::Finder::new(&s.to_ascii_lowercase()).into_owned())
                    .collect(),
            ),
            _ => SecretSet::new(&needles).map_or(Needles::None, Needles::Many),
        };
        SpanFinder { secrets }
    }

    /// The spans to mask in `text`, unsorted and possibly overlapping (see [`merge`]).
    pub fn spans(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let mut spans = userinfo_passwords(text);
        match &self.secrets {
            Needles::None => {}
            Needles::Few(finders) => {
                let lower = text.to_ascii_lowercase();
                for f in finders {
                    let n = f.needle().len();
                    spans.extend(f.find_iter(&lower).map(|at| (at, at + n)));
                }
            }
            Needles::Many(set) => spans.extend(set.find(text)),
        }
        spans
    }
}

/// Every span of `buf` to mask (see [`SpanFinder`]), sorted by start, overlapping spans
/// merged. One pass over `buf` for all secrets together.
pub fn buffer_spans(buf: &[u8], secrets: &[&str]) -> Vec<(usize, usize)> {
    merge(SpanFinder::new(secrets).spans(buf))
}

/// Sorts spans and merges the ones that overlap or touch.
pub fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Masks every secret of a run in any text about to be printed.
#[derive(Debug, Default)]
pub struct Redactor {
    secrets: Option<SecretSet>,
}

impl Redactor {
    /// A redactor for the secrets of `findings` that are credentials to hide.
    pub fn new(findings: &[Finding]) -> Redactor {
        let mut secrets: Vec<&str> = findings
            .iter()
            .filter(|f| f.redact && f.kind.is_credential())
            .map(|f| f.secret.as_str())
            .collect();
        secrets.sort_unstable();
        secrets.dedup();
        let secrets = SecretSet::new(&secrets);
        Redactor { secrets }
    }

    /// `text` with every secret of the run and every user-info password masked (each by
    /// its first four characters and `…`, as secrets are shown everywhere).
    pub fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut spans = userinfo_passwords(text.as_bytes());
        if let Some(set) = &self.secrets {
            spans.extend(set.find(text.as_bytes()));
        }
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for (s, e) in merge(spans) {
            // Spans come from ASCII needles and an ASCII-delimited regex on a str: they
            // start and end on character boundaries.
            out.push_str(&text[pos..s]);
            out.push_str(&redact(&text[s..e]));
            pos = e;
        }
        out.push_str(&text[pos..]);
        Cow::Owned(out)
    }

    /// Masks, in place, every printed text of `findings` and the `notes`.
    pub fn apply(&self, findings: &mut [Finding], notes: &mut [String]) {
        let fix = |s: &mut String| {
            if let Cow::Owned(masked) = self.mask(s) {
                *s = masked;
            }
        };
        for f in findings.iter_mut() {
            fix(&mut f.line_redacted);
            if let Some(site) = &mut f.site {
                fix(site);
            }
            if let Some(c) = &mut f.commit {
                fix(&mut c.summary);
                fix(&mut c.author);
                fix(&mut c.email);
            }
        }
        notes.iter_mut().for_each(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_secrets_are_found_by_their_lengths_as_an_automaton_finds_them() {
        // More plain secrets than SET_SECRETS (hashed), and one with symbols (automaton).
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let secrets: Vec<String> = (0..SET_SECRETS + 100)
            .map(|i| {
                let len = if i % 3 == 0 { 64 } else { 32 };
                (0..len)
                    .map(|_| b"abcdef0123456789XYZ"[(next() % 19) as usize] as char)
                    .collect()
            })
            .chain(["pa$$w0rd-with-symbols".to_string()])
            .collect();
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let set = SecretSet::new(&refs).unwrap();
        assert!(set.words.len() > SET_SECRETS && set.automaton.is_some());
        let text = format!(
            "a={} b={} glued=zz{}zz pw={} none=0000000000000000000000000000000000",
            secrets[5],
            secrets[9].to_ascii_uppercase(),
            secrets[3],
            secrets.last().unwrap()
        );
        let naive: Vec<(usize, usize)> = merge(
            refs.iter()
                .flat_map(|s| {
                    let lower = text.to_ascii_lowercase();
                    let needle = s.to_ascii_lowercase();
                    lower
                        .match_indices(needle.as_str())
                        .map(|(at, m)| (at, at + m.len()))
                        .collect::<Vec<_>>()
                })
                .collect(),
        );
        assert_eq!(merge(set.find(text.as_bytes())), naive);
        assert_eq!(naive.len(), 4);
    }

    #[test]
    fn userinfo_is_stripped_from_sites_and_found_in_text() {
        assert_eq!(
            strip_userinfo("https://admin:pw@lms.example.edu/moodle"),
            "https://lms.example.edu/moodle"
        );
        assert_eq!(
            strip_userinfo("https://lms.example.edu/a@b"),
            "https://lms.example.edu/a@b"
        );
        let text = b"x https://admin:s3cr3t!@lms.example.edu/ y";
        let spans = userinfo_passwords(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0].0..spans[0].1], b"s3cr3t!");
    }

    #[test]
    fn spans_cover_every_occurrence_in_any_case_and_merge() {
        let buf = b"a=abcdef12 b=ABCDEF12 c=abcdef12abcdef12";
        let spans = buffer_spans(buf, &["abcdef12"]);
        assert_eq!(spans, vec![(2, 10), (13, 21), (24, 40)]);
    }
}
