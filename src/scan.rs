//! From a prepared buffer to findings: run the matcher, place each hit on its line and
//! column, redact the line, bind the site, apply inline `moodleleaks:allow`, and report the
//! same secret on the same line once, by its most specific rule.
//!
//! Every source (files, git blobs, staged blobs, stdin) calls [`Scanner::scan`]; nothing
//! here knows where the bytes came from.

use crate::finding::{fingerprint, redact, Finding};
use crate::matcher::{Hit, Matcher};
use crate::redact;
use crate::repeats;
use crate::rules::Rule;
use crate::site;
use crate::suppress;
use anyhow::Result;
use std::collections::HashMap;

/// Lines longer than this are shown as a window around the secret (minified files).
const MAX_LINE_SHOWN: usize = 300;
const WINDOW_CONTEXT: usize = 120;
/// How far a window edge may move to take a whole word (a secret of another file, say) in.
const MAX_WORD_PULLED: usize = 256;

/// The matcher plus the rules' metadata: everything needed to turn bytes into findings.
#[derive(Debug)]
pub struct Scanner {
    matcher: Matcher,
}

/// Findings of one buffer, and the lines of those dropped by an inline allow.
#[derive(Debug, Default)]
pub struct BufferFindings {
    pub findings: Vec<Finding>,
    /// The line of each finding an inline allow marker vouched for (one entry per finding),
    /// so that a caller reading only some lines of the buffer counts only theirs.
    pub inline_allowed: Vec<u32>,
    /// See [`crate::matcher::Matches::decoding_bounded`].
    pub decoding_bounded: bool,
}

impl Scanner {
    /// Compiles the prefilter over `rules`.
    pub fn new(rules: Vec<Rule>) -> Result<Scanner> {
        Ok(Scanner {
            matcher: Matcher::new(rules)?,
        })
    }

    /// The rules in use.
    pub fn rules(&self) -> &[Rule] {
        self.matcher.rules()
    }

    /// Turns decoded views and the keyed rules' decoding on (the default) or off
    /// (`--no-decode`).
    pub fn set_decode(&mut self, decode: bool) {
        self.matcher.set_decode(decode);
    }

    /// The matcher, for callers that need only hits (rule examples).
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Findings in `buf`, reported under `path`.
    ///
    /// Linear in the buffer and in the hits: hits are placed in one pass (line numbers and
    /// columns counted on from the previous hit), every occurrence of every secret is found
    /// in one Aho-Corasick pass, and each finding's line window looks its spans and site up
    /// by binary search.
    pub fn scan(&self, path: &str, buf: &[u8]) -> BufferFindings {
        panic_failpoint(buf);
        let matches = self.matcher.find(buf, path);
        let mut hits = matches.hits;
        if hits.is_empty() {
            return BufferFindings {
                decoding_bounded: matches.decoding_bounded,
                ..BufferFindings::default()
            };
        }
        let rules = self.matcher.rules();
        // A token found once is reported wherever the input writes it, as one kind, unless
        // the allow marker vouches for it where it is found (lines are read only in an input
        // holding the marker: a one-line dump would read its line once per value).
        let marked = memchr::memmem::find(buf, suppress::INLINE_ALLOW).is_some();
        repeats::spread(buf, &mut hits, rules, |pos| {
            marked && {
                let (ls, le) = line_bounds(buf, pos.min(buf.len()));
                suppress::inline_allowed(&buf[ls..le])
            }
        });
        hits.sort_by_key(|h| (h.start, h.rule, h.kind));
        let mentions = site::mentions(buf);
        let mut out = BufferFindings {
            decoding_bounded: matches.decoding_bounded,
            ..BufferFindings::default()
        };
        // Every occurrence of every secret of this buffer (matched or not) and every URL
        // user-info password: masked in every line shown, and never cut by a window.
        let mut secrets: Vec<&str> = hits
            .iter()
            .filter(|h| rules[h.rule].spec.redact && h.kind.is_credential())
            .map(|h| h.secret.as_str())
            .filter(|s| s.len() >= redact::MIN_MASKED_LEN)
            .collect();
        secrets.sort_unstable();
        secrets.dedup();
        let hit_spans: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| rules[h.rule].spec.redact && h.kind.is_credential())
            .map(|h| (h.start, h.end))
            .collect();
        let masker = redact::SpanFinder::new(&secrets);

        // Hits grouped by line; line numbers and columns advance incrementally so the buffer
        // is walked at most once for newlines and once for characters.
        let mut line_no = 1u32;
        let mut counted_to = 0usize;
        // The hit spans that may touch the current line: lines come in order, so each span
        // joins once (when a line reaches its start) and leaves once (when a line starts
        // past its end), and a line reads only the spans around it, not every span of the
        // buffer (a dump of 100,000 tokens took 30 s that way).
        let (mut next_span, mut active) = (0usize, Vec::<(usize, usize)>::new());
        let mut i = 0;
        while i < hits.len() {
            let (ls, le) = line_bounds(buf, hits[i].start);
            line_no += memchr::memchr_iter(b'\n', &buf[counted_to..ls]).count() as u32;
            counted_to = ls;
            // A hit may start on the line's `\r` or `\n` (a custom rule can match them):
            // it belongs to this line, and the group always takes at least the first hit.
            let next_line = memchr::memchr(b'\n', &buf[le..]).map_or(buf.len(), |p| le + p + 1);
            let mut j = i + 1;
            while j < hits.len() && hits[j].start < next_line {
                j += 1;
            }
            let on_line = &hits[i..j];
            i = j;
            let raw_line = &buf[ls..le];
            if suppress::inline_allowed(raw_line) {
                let allowed = dedup(on_line, rules).len();
                out.inline_allowed
                    .extend(std::iter::repeat_n(line_no, allowed));
                continue;
            }
            // The spans touching this line, relative to it (a secret may run past its end):
            // only shown lines are searched for the buffer's secrets.
            while next_span < hit_spans.len() && hit_spans[next_span].0 < le {
                active.push(hit_spans[next_span]);
                next_span += 1;
            }
            active.retain(|&(_, e)| e > ls);
            let mut spans = active.clone();
            spans.extend(
                masker
                    .spans(raw_line)
                    .into_iter()
                    .map(|(s, e)| (s + ls, e + ls)),
            );
            let line_spans: Vec<(usize, usize)> = redact::merge(spans)
                .into_iter()
                .map(|(s, e)| (s.max(ls) - ls, e.min(le) - ls))
                .collect();
            let (mut col_at, mut col) = (ls, 1u32);
            for hit in dedup(on_line, rules) {
                let rule = &rules[hit.rule];
                let focus = hit.start.min(le) - ls;
                let (line_raw, line_redacted) = render_line(raw_line, &line_spans, focus);
                col += char_count(&buf[col_at..hit.start]) as u32;
                col_at = hit.start;
                out.findings.push(Finding {
                    rule_id: rule.spec.id.clone(),
                    kind: hit.kind,
                    severity: rule.spec.severity,
                    path: path.to_string(),
                    member: None,
                    line: line_no,
                    column: col,
                    byte_offset: None,
                    secret: hit.secret.clone(),
                    redact: rule.spec.redact,
                    fingerprint: fingerprint(hit.kind, &hit.secret),
                    line_redacted,
                    line_raw,
                    site: site::bind(buf, &mentions, ls, hit.start).map(|(s, _)| s),
                    commit: None,
                    present_at_head: None,
                    also_in: Vec::new(),
                    probe: None,
                    repository: None,
                    new: None,
                });
            }
        }
        out
    }
}

/// The same secret (same kind and value) on one line is one finding: keep the hit of the
/// highest-priority rule, then the leftmost. Two credentials of one kind over overlapping
/// bytes are one value read two ways (a password a URL rule reads whole, another rule cut at
/// a decoded `&`): the higher-priority rule's reading stays, then the longer.
fn dedup<'a>(hits: &'a [Hit], rules: &[Rule]) -> Vec<&'a Hit> {
    let mut best: HashMap<(crate::finding::Kind, &str), &Hit> = HashMap::new();
    for h in hits {
        let key = (h.kind, h.secret.as_str());
        match best.get(&key) {
            Some(b) if rules[b.rule].spec.priority >= rules[h.rule].spec.priority => {}
            _ => {
                best.insert(key, h);
            }
        }
    }
    let mut v: Vec<&Hit> = best.into_values().collect();
    v.sort_by_key(|h| (h.start, h.kind));
    let rank = |h: &Hit| (rules[h.rule].spec.priority, h.end - h.start);
    let mut lost = vec![false; v.len()];
    for i in 0..v.len() {
        // Sorted by start: the hits overlapping this one's end follow it directly.
        for j in i + 1..v.len() {
            if v[j].start >= v[i].end {
                break;
            }
            if v[i].kind == v[j].kind && v[i].kind.is_credential() {
                let loser = if rank(v[j]) > rank(v[i]) { i } else { j };
                lost[loser] = true;
            }
        }
    }
    let mut kept = lost.iter().map(|l| !l);
    v.retain(|_| kept.next().unwrap_or(true));
    v
}

/// Start and end (excluding `\r\n`) of the line holding `pos`.
fn line_bounds(buf: &[u8], pos: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |p| p + 1);
    let mut end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |p| pos + p);
    if end > start && buf[end - 1] == b'\r' {
        end -= 1;
    }
    (start, end)
}

fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The line (or a window of it around `focus` when it is long) raw and with every span
/// redacted. `spans` are sorted, disjoint and relative to the line. A window never cuts a
/// span, and starts and ends on a word boundary (see [`redact::is_word_byte`]) so no secret
/// is ever half shown. Control characters are replaced so a file cannot drive the terminal.
fn render_line(line: &[u8], spans: &[(usize, usize)], focus: usize) -> (String, String) {
    let (mut ws, mut we) = (0, line.len());
    if line.len() > MAX_LINE_SHOWN {
        ws = focus.saturating_sub(WINDOW_CONTEXT).min(line.len());
        we = (focus + WINDOW_CONTEXT * 2).min(line.len()).max(ws);
        // Never cut through a word: it may be a secret of another file, masked later whole.
        // Each walk is bounded, so a line that is one huge word costs no more per finding.
        let word_start = |from: usize| {
            let mut p = from;
            while p > 0 && from - p <= MAX_WORD_PULLED && redact::is_word_byte(line[p - 1]) {
                p -= 1;
            }
            p
        };
        let word_end = |from: usize| {
            let mut p = from;
            while p < line.len() && p - from <= MAX_WORD_PULLED && redact::is_word_byte(line[p]) {
                p += 1;
            }
            p
        };
        if ws > 0 && redact::is_word_byte(line[ws - 1]) && redact::is_word_byte(line[ws]) {
            let back = word_start(ws);
            // A word too long to show whole is left out of the window instead.
            ws = if ws - back <= MAX_WORD_PULLED {
                back
            } else {
                word_end(ws).min(focus)
            };
        }
        if we < line.len()
            && we > 0
            && redact::is_word_byte(line[we - 1])
            && redact::is_word_byte(line[we])
        {
            let fwd = word_end(we);
            we = if fwd - we <= MAX_WORD_PULLED {
                fwd
            } else {
                word_start(we).max(focus)
            };
        }
        // Never cut through a span (this wins): a half-shown secret is a leak.
        let at = spans.partition_point(|&(_, e)| e <= ws);
        if let Some(&(s, e)) = spans.get(at) {
            if s < ws && e > ws {
                ws = s;
            }
        }
        let at = spans.partition_point(|&(_, e)| e <= we);
        if let Some(&(s, e)) = spans.get(at) {
            if s < we && e > we {
                we = e;
            }
        }
        while ws > 0 && ws < line.len() && (line[ws] & 0xC0) == 0x80 {
            ws -= 1;
        }
        while we < line.len() && (line[we] & 0xC0) == 0x80 {
            we += 1;
        }
    }
    let first = spans.partition_point(|&(_, e)| e <= ws);
    let (mut raw, mut red) = (String::new(), String::new());
    if ws > 0 {
        raw.push('…');
        red.push('…');
    }
    let mut pos = ws;
    for &(s, e) in &spans[first..] {
        if s >= we {
            break;
        }
        if e <= pos {
            continue;
        }
        let s = s.max(pos);
        let before = clean(&line[pos..s]);
        raw.push_str(&before);
        red.push_str(&before);
        let secret = clean(&line[s..e]);
        raw.push_str(&secret);
        red.push_str(&redact(&secret));
        pos = e;
    }
    let rest = clean(&line[pos..we.max(pos)]);
    raw.push_str(&rest);
    red.push_str(&rest);
    if we.max(pos) < line.len() {
        raw.push('…');
        red.push('…');
    }
    (raw, red)
}

fn clean(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A failpoint for the tests of panic containment: with `MOODLELEAKS_FAILPOINT_PANIC` set to
/// a marker, scanning an input that holds the marker panics, as a bug would. Read once;
/// unset (always, outside those tests), it costs one load per input.
fn panic_failpoint(buf: &[u8]) {
    static MARKER: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    let marker = MARKER.get_or_init(|| {
        std::env::var_os("MOODLELEAKS_FAILPOINT_PANIC")
            .filter(|m| !m.is_empty())
            .map(|m| m.into_encoded_bytes())
    });
    if let Some(marker) = marker {
        if memchr::memmem::find(buf, marker).is_some() {
            panic!("failpoint: the input holds the panic marker");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner() -> Scanner {
        Scanner::new(crate::rules::builtin().unwrap()).unwrap()
    }

    #[test]
    fn line_and_column_are_one_based_and_line_is_redacted() {
        let buf = b"first\nsecond\n  wstoken=c8ff1654a992bc683c2c7901b1aa1d97&x=1\n"; // moodleleaks:allow
        let r = scanner().scan("f", buf);
        assert_eq!(r.findings.len(), 1);
        let f = &r.findings[0];
        assert_eq!((f.line, f.column), (3, 11));
        assert_eq!(f.line_redacted, "  wstoken=c8ff…&x=1");
        assert!(!f.line_redacted.contains("c8ff1654a992"));
    }

    #[test]
    fn long_lines_are_windowed_without_cutting_secrets() {
        let mut line = "a".repeat(5000);
        line.push_str(" wstoken=c8ff1654a992bc683c2c7901b1aa1d97 "); // moodleleaks:allow
        line.push_str(&"b".repeat(5000));
        let r = scanner().scan("f", line.as_bytes());
        let f = &r.findings[0];
        assert!(f.line_redacted.len() < 600);
        assert!(f.line_redacted.starts_with('…') && f.line_redacted.ends_with('…'));
        assert!(f.line_redacted.contains("wstoken=c8ff…"));
    }

    #[test]
    fn same_secret_same_line_is_reported_once_by_the_most_specific_rule() {
        let buf = b"# moodle\nMOODLE_WSTOKEN=c8ff1654a992bc683c2c7901b1aa1d97 token=c8ff1654a992bc683c2c7901b1aa1d97\n"; // moodleleaks:allow
        let r = scanner().scan("f", buf);
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        assert_eq!(r.findings[0].rule_id, "moodle-wstoken-assignment");
    }

    #[test]
    fn a_secret_spanning_lines_does_not_break_the_line_display() {
        let text = r#"id = "multi"
description = "d"
kind = "wstoken"
severity = "high"
keywords = ["begin"]
regex = 'begin (?P<secret>[a-z]+\n[a-z]+)'
"#;
        let rule = Rule::from_toml("test", text).unwrap();
        let r = Scanner::new(vec![rule])
            .unwrap()
            .scan("f", b"x begin abc\ndef\n");
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].line_redacted, "x begin abc…");
    }

    #[test]
    fn a_secret_found_raw_and_in_a_view_is_one_finding() {
        // `\u0026` next to the keyword makes a view of the line; the raw line matches too.
        let buf = br#"{"u": "https://lms.example.edu/webservice/rest/server.php?wstoken=c8ff1654a992bc683c2c7901b1aa1d97\u0026a=b"}"#; // moodleleaks:allow
        let s = scanner();
        let url_rule = |h: &Hit| s.rules()[h.rule].spec.id == "moodle-wstoken-url";
        let hits = s.matcher().find(buf, "f").hits;
        // The written reading wins: the view's hit over the same bytes is dropped.
        assert_eq!(hits.iter().filter(|h| url_rule(h)).count(), 1, "{hits:?}");
        let r = s.scan("f", buf);
        let urls: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == "moodle-wstoken-url")
            .collect();
        assert_eq!(urls.len(), 1);
        assert_eq!((urls[0].line, urls[0].column), (1, 67));
    }

    #[test]
    fn inline_allow_suppresses_the_line() {
        let buf = b"wstoken=c8ff1654a992bc683c2c7901b1aa1d97 # moodleleaks:allow\n";
        let r = scanner().scan("f", buf);
        assert!(r.findings.is_empty());
        assert_eq!(r.inline_allowed, [1]);
    }
}
