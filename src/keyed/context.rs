//! The Moodle-context model: where in an input Moodle is mentioned, so that a generic name
//! (`token`, `apiKey`, `Authorization`) counts only when Moodle is near it.
//!
//! Signals are specific: Moodle's own words, paths, parameter, table and column names
//! (`rules/data/names.toml`, `context`) and Moodle function names recognised by their shape
//! (`core_course_get_courses`, `mod_assign_save_submission`, `tool_mobile_get_config`). The
//! words `webservice` or `server.php` alone are not signals: other products' SOAP endpoints
//! use them. Distance is counted in lines.

use super::names::Vocabulary;
use aho_corasick::{packed, Match, Span};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::Regex;
use std::sync::OnceLock;

/// Moodle function names start with one of these (Moodle's naming rule for external
/// functions: `core_` or a plugin type's frankenstyle prefix, see
/// https://moodledev.io/docs/apis/subsystems/external/writing-a-service).
const FUNCTION_PREFIXES: [&str; 13] = [
    "core_",
    "mod_",
    "tool_",
    "local_",
    "block_",
    "enrol_",
    "gradereport_",
    "message_",
    "auth_",
    "report_",
    "qtype_",
    "theme_",
    "format_",
];

/// The context words and the function-name prefixes, searched together, so that one SIMD
/// pass answers both (two where a part holds bytes past ASCII: see [`Signals::other`]).
/// Every pattern an automaton holds costs every byte searched (the SIMD search checks more
/// false candidates), so it holds as few as say the same: a word that
/// holds another word (`moodledata` holds `moodle`) is not a pattern of its own, and words
/// that share a stem up to a `/` (`webservice/rest/`, `webservice/soap/`…) are one pattern,
/// the stem, whose match is then checked against them. The automaton looks for each
/// pattern's anchor ([`lead_of`]), not its first bytes, and the bytes before the anchor are
/// compared where one matches.
struct Signals {
    /// The search for the anchors written in ASCII, run on every part searched.
    ascii: AnchorSearch,
    /// The search for the anchors holding other bytes (other scripts' spellings of Moodle,
    /// a navigation path's arrows), run only on a part that holds a byte past ASCII: each
    /// pattern an automaton holds blurs its SIMD fingerprints, and most inputs are ASCII.
    /// `None` when every anchor is ASCII.
    other: Option<AnchorSearch>,
    /// What each pattern stands for, by pattern index.
    patterns: Vec<Pattern>,
    /// Each pattern's whole text (a word, a stem, a function prefix), lowercase.
    texts: Vec<String>,
    /// How many bytes of each pattern's text come before its anchor.
    leads: Vec<usize>,
    /// For each pattern, the others whose anchors may match where its anchor does (one
    /// anchor starts with the other): the automaton reports one pattern per place.
    same_place: Vec<Vec<usize>>,
    /// The longest lead.
    max_lead: usize,
}

/// One automaton over some of a [`Signals`]' anchors.
struct AnchorSearch {
    search: SignalSearch,
    /// The [`Signals`] pattern index of each of the automaton's patterns.
    ids: Vec<usize>,
}

impl AnchorSearch {
    /// The automaton over the anchors of the patterns `ids` (`anchors`: every pattern's).
    fn new(anchors: &[&[u8]], ids: Vec<usize>) -> AnchorSearch {
        let own: Vec<&[u8]> = ids.iter().map(|&p| anchors[p]).collect();
        AnchorSearch {
            search: SignalSearch::new(&own),
            ids,
        }
    }
}

/// What a [`Signals`] pattern stands for.
enum Pattern {
    /// A context word.
    Word,
    /// A stem shared by these context words: one of them must start at the match.
    Stem(Vec<String>),
    /// A function-name prefix: [`function_at`] checks the name.
    Function,
}

fn signals() -> &'static Signals {
    static S: OnceLock<Signals> = OnceLock::new();
    S.get_or_init(|| Signals::new(&Vocabulary::builtin().context))
}

impl Signals {
    fn new(context: &[String]) -> Signals {
        let words: Vec<&String> = context
            .iter()
            .filter(|w| !context.iter().any(|o| o != *w && w.contains(o.as_str())))
            .collect();
        let stem = |w: &str| w.find('/').map(|i| w[..=i].to_string());
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for w in &words {
            let shared =
                stem(w).filter(|s| words.iter().filter(|o| o.starts_with(s.as_str())).count() > 1);
            match shared {
                Some(s) if texts.contains(&s) => {}
                Some(s) => {
                    let group = words.iter().filter(|o| o.starts_with(s.as_str()));
                    patterns.push(Pattern::Stem(group.map(|o| o.to_string()).collect()));
                    texts.push(s);
                }
                None => {
                    patterns.push(Pattern::Word);
                    texts.push(w.to_string());
                }
            }
        }
        let v = Vocabulary::builtin();
        let mut leads: Vec<usize> = texts.iter().map(|t| lead_of(v, t)).collect();
        for prefix in FUNCTION_PREFIXES {
            patterns.push(Pattern::Function);
            texts.push(prefix.to_string());
            leads.push(0);
        }
        let anchors: Vec<&[u8]> = (texts.iter().zip(&leads))
            .map(|(t, &lead)| &t.as_bytes()[lead..])
            .collect();
        // Patterns searched by the same automaton whose anchors may match at one place.
        let same_place = (anchors.iter().enumerate())
            .map(|(p, a)| {
                (anchors.iter().enumerate())
                    .filter(|&(q, b)| {
                        q != p
                            && a.is_ascii() == b.is_ascii()
                            && (a.starts_with(b) || b.starts_with(a))
                    })
                    .map(|(q, _)| q)
                    .collect()
            })
            .collect();
        let (ascii, other): (Vec<usize>, Vec<usize>) =
            (0..anchors.len()).partition(|&p| anchors[p].is_ascii());
        Signals {
            ascii: AnchorSearch::new(&anchors, ascii),
            other: (!other.is_empty()).then(|| AnchorSearch::new(&anchors, other)),
            patterns,
            max_lead: leads.iter().copied().max().unwrap_or(0),
            texts,
            leads,
            same_place,
        }
    }

    /// Pattern `p`'s anchor: the end of its text the automata search for.
    fn anchor(&self, p: usize) -> &[u8] {
        &self.texts[p].as_bytes()[self.leads[p]..]
    }

    /// Every place in `lower[start..hi]` where a pattern's whole text occurs with its anchor
    /// at or after `start`, as (where the text starts, the pattern, where its anchor
    /// starts), in the order of the anchors.
    fn occurrences<'h>(
        &'h self,
        lower: &'h [u8],
        start: usize,
        hi: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        let other = (self.other.as_ref()).filter(|_| !lower[start..hi].is_ascii());
        let mut ascii = self.hits(&self.ascii, lower, start, hi).peekable();
        let mut other = (other.into_iter())
            .flat_map(move |o| self.hits(o, lower, start, hi))
            .peekable();
        // The two searches' hits, merged in the order of their anchors.
        std::iter::from_fn(move || match (ascii.peek(), other.peek()) {
            (Some(a), Some(o)) if o.2 < a.2 => other.next(),
            (Some(_), _) => ascii.next(),
            (None, _) => other.next(),
        })
    }

    /// [`Self::occurrences`] of the patterns the automaton `s` searches.
    fn hits<'h>(
        &'h self,
        s: &'h AnchorSearch,
        lower: &'h [u8],
        start: usize,
        hi: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        s.search.matches(lower, start, hi).flat_map(move |m| {
            let (at, p) = (m.start(), s.ids[m.pattern().as_usize()]);
            let here = &lower[at..hi];
            std::iter::once(p)
                .chain(self.same_place[p].iter().copied())
                .filter_map(move |q| {
                    let lead = self.leads[q];
                    let whole = at >= lead
                        && here.starts_with(self.anchor(q))
                        && lower[at - lead..at] == self.texts[q].as_bytes()[..lead];
                    whole.then(|| (at - lead, q, at))
                })
        })
    }
}

/// How many bytes of a context word (or stem) come before its anchor
/// (`context_anchors` in `rules/data/names.toml`, an end of the word): 0, the whole word,
/// for one without an anchor.
fn lead_of(v: &Vocabulary, text: &str) -> usize {
    (v.context_anchors.get(text))
        .filter(|anchor| text.ends_with(anchor.as_str()))
        .map_or(0, |anchor| text.len() - anchor.len())
}

/// The search for a [`Signals`]' patterns: aho-corasick's SIMD (Teddy) searcher used
/// directly where the set allows it, else its general automaton. Both report the
/// leftmost-first matches; the general automaton runs Teddy too, but only as a prefilter whose
/// every match it then walks again (`try_find_fwd`: 0.4% of a Moodle-header tree's scan in
/// callgrind instructions, `bench/HISTORY.md`, "Stop 37").
enum SignalSearch {
    Packed(packed::Searcher),
    General(AhoCorasick),
}

impl SignalSearch {
    /// The search for `texts` (lowercase): case-sensitive over lowercase words and a
    /// lowercased input, which keeps Teddy in play (case-insensitive sets defeat it).
    fn new<T: AsRef<[u8]>>(texts: &[T]) -> SignalSearch {
        let teddy = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(texts)
            .build();
        match teddy {
            Some(searcher) => SignalSearch::Packed(searcher),
            None => SignalSearch::general(texts),
        }
    }

    /// The general automaton's search for `texts`: where Teddy cannot take the set.
    fn general<T: AsRef<[u8]>>(texts: &[T]) -> SignalSearch {
        SignalSearch::General(
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .build(texts)
                .expect("context automaton"),
        )
    }

    /// The leftmost-first match at each place in `haystack[start..end]` where one starts,
    /// in order (a match may start inside the one before).
    fn matches<'h>(
        &'h self,
        haystack: &'h [u8],
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = Match> + 'h {
        let mut at = start;
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let span = Span::from(at..end);
            let m = match self {
                SignalSearch::Packed(s) => s.find_in(haystack, span),
                SignalSearch::General(ac) => ac.find(aho_corasick::Input::new(haystack).span(span)),
            }?;
            at = m.start() + 1;
            Some(m)
        })
    }
}

/// A Moodle function name at the start of its input: `core_<area>_<verb…>`, or a plugin
/// frankenstyle prefix, a plugin name and a verb; lowercase, as Moodle writes them.
fn function_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(?:core_[a-z0-9]+_[a-z0-9_]+|(?:mod|tool|local|block|enrol|gradereport|message|auth|report|qtype|theme|format)_[a-z0-9]+_(?:[a-z0-9]+_)*(?:get|set|create|update|delete|add|view|submit|save|search|list|start|process|check|send|mark|call|execute|retrieve|launch|remove|edit|assign|unassign|duplicate|import|export|upload|download)(?:_[a-z0-9_]*)?)\b",
        )
        .expect("function-name regex")
    })
}

/// Longest function name checked; a longer run is not one.
const FUNCTION_MAX: usize = 256;

/// The end of the Moodle function name that starts at `at` in `text` (as written: the
/// names are lowercase), if one does: a word starts there and has the shape.
fn function_at(text: &[u8], at: usize) -> Option<usize> {
    if at > 0 && (text[at - 1].is_ascii_alphanumeric() || text[at - 1] == b'_') {
        return None;
    }
    let window = &text[at..(at + FUNCTION_MAX).min(text.len())];
    function_re().find(window).map(|m| at + m.end())
}

/// The signals of `text` (`lower`: the same bytes ASCII-lowercased) as byte spans, in
/// order, while `keep` asks for more.
fn each_signal(text: &[u8], lower: &[u8], keep: impl FnMut(usize, usize) -> bool) {
    each_signal_of(signals(), text, lower, keep)
}

/// [`each_signal`] with the signals `s`; the signals come in the order of their anchors.
fn each_signal_of(
    s: &Signals,
    text: &[u8],
    lower: &[u8],
    mut keep: impl FnMut(usize, usize) -> bool,
) {
    for (at, pattern, _) in s.occurrences(lower, 0, lower.len()) {
        if let Some((start, end)) = signal_of(s, text, lower, at, pattern) {
            if !keep(start, end) {
                return;
            }
        }
    }
}

/// The signal that `pattern`'s text at `at` in `lower` (`text` lowercased) stands for, as a
/// byte span: the text itself, the stem's word that starts there, or the function name;
/// `None` when a stem's words or a function name's shape do not hold there.
fn signal_of(
    s: &Signals,
    text: &[u8],
    lower: &[u8],
    at: usize,
    pattern: usize,
) -> Option<(usize, usize)> {
    match &s.patterns[pattern] {
        Pattern::Word => Some((at, at + s.texts[pattern].len())),
        Pattern::Stem(words) => words
            .iter()
            .find(|w| lower[at..].starts_with(w.as_bytes()))
            .map(|w| (at, at + w.len())),
        Pattern::Function => function_at(text, at).map(|end| (at, end)),
    }
}

/// Where one input mentions Moodle. Searches are bounded to what a question needs: the whole
/// input once for [`MoodleContext::any`], the window of lines around a value for
/// [`MoodleContext::near`], each byte at most once whatever the questions (see [`Index`]).
#[derive(Debug, Default)]
pub struct MoodleContext {
    any: std::cell::OnceCell<bool>,
    /// The signals of the parts of the input questions have covered so far.
    index: std::cell::RefCell<Index>,
}

/// The signals of the parts of one input searched so far. Questions ask about windows that
/// overlap (a value every few lines, each asking about the 40 lines around it); each part of
/// the input is searched once, when the first question covering it is asked, so the cost is
/// the union of the windows, never their sum, and never more than the input.
#[derive(Debug, Default)]
struct Index {
    /// Every signal that starts in a searched part, as byte spans sorted by start.
    spans: Vec<(usize, usize)>,
    /// The searched parts: disjoint, sorted, not touching one another.
    searched: Vec<(usize, usize)>,
}

impl Index {
    /// Whether a signal lies wholly within `start..end` (`text`: the input, `lower`: it
    /// ASCII-lowercased, the same length), searching the parts of it not searched yet only
    /// until one is found: a window that holds a known signal is not searched at all, and a
    /// part's search stops at its first signal inside the window (the rest of the part stays
    /// unsearched, for a later question). The answer is the one a search of every part
    /// would give; the signals found are the same, since a search resumed where a match
    /// ended finds what the uninterrupted one finds.
    fn find_within(&mut self, text: &[u8], lower: &[u8], start: usize, end: usize) -> bool {
        if self.holds_within(start, end) {
            return true;
        }
        let mut gaps = Vec::new();
        let mut at = start;
        let first = self.searched.partition_point(|&(_, e)| e < start);
        for &(s, e) in &self.searched[first..] {
            if s >= end {
                break;
            }
            if s > at {
                gaps.push((at, s));
            }
            at = at.max(e);
        }
        if at < end {
            gaps.push((at, end));
        }
        let inside = |(s, e): (usize, usize)| s >= start && e <= end;
        for (gs, ge) in gaps {
            let (found, stopped) = signals_starting_in(text, lower, gs, ge, inside);
            let reached = stopped.unwrap_or(ge).min(ge);
            let i = self.spans.partition_point(|&(s, _)| s < gs);
            self.spans.splice(i..i, found);
            if reached > gs {
                self.mark_searched(gs, reached);
            }
            if stopped.is_some() {
                return true;
            }
        }
        false
    }

    /// Records `start..end` as searched, merged with the parts it touches.
    fn mark_searched(&mut self, start: usize, end: usize) {
        let lo = self.searched.partition_point(|&(_, e)| e < start);
        let hi = self.searched.partition_point(|&(s, _)| s <= end);
        let (mut s, mut e) = (start, end);
        if lo < hi {
            s = s.min(self.searched[lo].0);
            e = e.max(self.searched[hi - 1].1);
        }
        self.searched.splice(lo..hi, [(s, e)]);
    }

    /// Whether a signal lies wholly within `start..end` (which must be searched).
    fn holds_within(&self, start: usize, end: usize) -> bool {
        let first = self.spans.partition_point(|&(s, _)| s < start);
        self.spans[first..]
            .iter()
            .take_while(|&&(s, _)| s < end)
            .any(|&(_, e)| e <= end)
    }
}

/// The longest text a [`Signals`] pattern matches: a search for the signals that start
/// before some offset reads this far past it, so that none is cut short.
fn longest_pattern() -> usize {
    static L: OnceLock<usize> = OnceLock::new();
    *L.get_or_init(|| {
        Vocabulary::builtin()
            .context
            .iter()
            .map(String::len)
            .chain(FUNCTION_PREFIXES.iter().map(|p| p.len()))
            .max()
            .unwrap_or(0)
    })
}

/// The signals of `text` (`lower`: it ASCII-lowercased) that start in `start..end`, in
/// order: the search starts at `start` and reads [`longest_pattern`] bytes past `end`. The
/// search stops after the first signal that `stop` holds for, and then gives only the
/// signals that start before the offset it also gives, up to which every signal is found
/// (the anchors are found in order; a signal's anchor is at most the longest lead past its
/// start); a search resumed there finds the signals that follow.
fn signals_starting_in(
    text: &[u8],
    lower: &[u8],
    start: usize,
    end: usize,
    stop: impl Fn((usize, usize)) -> bool,
) -> (Vec<(usize, usize)>, Option<usize>) {
    let s = signals();
    let hi = (end + longest_pattern()).min(lower.len());
    let mut spans = Vec::new();
    for (at, pattern, anchor) in s.occurrences(lower, start, hi) {
        if anchor >= end + s.max_lead {
            break;
        }
        // A text whose anchor is past `start` may itself start before it.
        if at < start || at >= end {
            continue;
        }
        if let Some(span) = signal_of(s, text, lower, at, pattern) {
            spans.push(span);
            if stop(span) {
                let reached = anchor.saturating_sub(s.max_lead).max(start);
                spans.retain(|&(a, _)| a < reached);
                spans.sort_unstable();
                return (spans, Some(reached));
            }
        }
    }
    spans.sort_unstable();
    (spans, None)
}

/// How far, in bytes either side, a value's Moodle context is looked for at most.
const NEAR_BYTES: usize = 8 << 10;

thread_local! {
    /// Per-thread scratch for the lowercased copy the context words are searched in when
    /// the caller has none.
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` on `text` and its ASCII-lowercased copy: `lower` when given, else one made.
fn with_lower<R>(text: &[u8], lower: Option<&[u8]>, f: impl FnOnce(&[u8]) -> R) -> R {
    if let Some(lower) = lower {
        return f(lower);
    }
    LOWER.with_borrow_mut(|copy| {
        copy.clear();
        copy.extend_from_slice(text);
        copy.make_ascii_lowercase();
        let result = f(copy);
        if copy.capacity() > 4 << 20 {
            *copy = Vec::new();
        }
        result
    })
}

/// Whether `text` holds a Moodle signal.
fn mentions_moodle(text: &[u8], lower: Option<&[u8]>) -> bool {
    with_lower(text, lower, |lower| {
        let mut found = false;
        each_signal(text, lower, |_, _| {
            found = true;
            false
        });
        found
    })
}

impl MoodleContext {
    /// A context for one input; nothing is searched until asked.
    pub fn new() -> MoodleContext {
        MoodleContext::default()
    }

    /// Records that the input mentions Moodle (known from elsewhere), so [`Self::any`] does
    /// not search.
    pub fn assume_any(&self) {
        let _ = self.any.set(true);
    }

    /// Whether the input `buf` mentions Moodle at all (searched once); `lower`: the input
    /// ASCII-lowercased, when the caller has that copy.
    pub fn any(&self, buf: &[u8], lower: Option<&[u8]>) -> bool {
        *self.any.get_or_init(|| mentions_moodle(buf, lower))
    }

    /// Whether a signal lies wholly within `buf[start..end]`; `lower` as for [`Self::any`].
    pub fn within(&self, buf: &[u8], lower: Option<&[u8]>, start: usize, end: usize) -> bool {
        if self.any.get() == Some(&false) || start >= end {
            return false;
        }
        let Some(lower) = lower else {
            return mentions_moodle(&buf[start..end], None);
        };
        self.index.borrow_mut().find_within(buf, lower, start, end)
    }

    /// Whether a signal lies within `lines` lines before `from` to `lines` lines after `to`
    /// (byte offsets, `from <= to`), read line by line from them (for an input whose lines
    /// are not indexed, see [`Self::near`]); `lower` as for [`Self::any`].
    pub fn around(
        &self,
        buf: &[u8],
        lower: Option<&[u8]>,
        from: usize,
        to: usize,
        lines: u32,
    ) -> bool {
        if self.any.get() == Some(&false) {
            return false;
        }
        // Lines are also bounded in bytes, so a value in a one-line dump reads a window, not
        // the whole line (which would be quadratic over its values).
        let lines = lines as usize;
        let to = to.min(buf.len());
        let from = from.min(to);
        let lo = from.saturating_sub(NEAR_BYTES);
        let hi = (to + NEAR_BYTES).min(buf.len());
        let start = memchr::memrchr_iter(b'\n', &buf[lo..from])
            .nth(lines)
            .map_or(lo, |p| lo + p + 1);
        let end = memchr::memchr_iter(b'\n', &buf[to..hi])
            .nth(lines)
            .map_or(hi, |p| to + p);
        self.within(buf, lower, start, end)
    }

    /// Whether a signal lies within `lines` lines of byte offset `pos` (before or after),
    /// and within [`NEAR_BYTES`] of it (so a value in a one-line dump reads a window, not
    /// its whole line, which would be quadratic over its values); `lower` as for
    /// [`Self::any`]; `newlines`: the offset of every `\n` of `buf`, in order (the window's
    /// ends are found by a binary search, not by reading its lines).
    pub fn near(
        &self,
        buf: &[u8],
        lower: Option<&[u8]>,
        pos: usize,
        lines: u32,
        newlines: &[usize],
    ) -> bool {
        if self.any.get() == Some(&false) {
            return false;
        }
        let lines = lines as usize;
        let pos = pos.min(buf.len());
        let lo = pos.saturating_sub(NEAR_BYTES);
        let hi = (pos + NEAR_BYTES).min(buf.len());
        // The newlines before `pos` are `newlines[..i]`; those at or after it, the rest.
        let i = newlines.partition_point(|&n| n < pos);
        let start = i
            .checked_sub(lines + 1)
            .map(|k| newlines[k])
            .filter(|&n| n >= lo)
            .map_or(lo, |n| n + 1);
        let end = newlines
            .get(i + lines)
            .copied()
            .filter(|&n| n < hi)
            .unwrap_or(hi);
        self.within(buf, lower, start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::MoodleContext;

    #[test]
    fn signals_are_specific_and_counted_by_distance() {
        let text = format!(
            "a\nb\ncall core_course_get_courses\nc\nd\ne\nvalue\n{}",
            "filler\n".repeat(100)
        );
        let buf = text.as_bytes();
        let lower = text.to_ascii_lowercase();
        for lower in [None, Some(lower.as_bytes())] {
            let c = MoodleContext::new();
            assert!(c.any(buf, lower));
            let value = text.find("value").unwrap();
            let newlines: Vec<usize> = memchr::memchr_iter(b'\n', buf).collect();
            for pos in [0, 1, 2, value, value + 3, buf.len() - 1, buf.len()] {
                for lines in [0, 1, 3, 4, 40] {
                    // The index finds the window that reading line by line finds.
                    assert_eq!(
                        c.near(buf, lower, pos, lines, &newlines),
                        MoodleContext::new().around(buf, lower, pos, pos, lines),
                        "{pos} {lines}"
                    );
                }
            }
            assert!(c.near(buf, lower, value, 4, &newlines));
            assert!(!c.near(buf, lower, value, 3, &newlines));
            assert!(!c.near(buf, lower, 0, 1, &newlines));
            assert!(c.near(buf, lower, 0, 2, &newlines));
        }
        // Another product's SOAP endpoint is not Moodle.
        let erp = b"https://erp.example.com/webservice/server.php?wsdl";
        assert!(!MoodleContext::new().any(erp, None));
        assert!(!MoodleContext::new().any(b"LoadModule mod_rewrite_module", None));
    }

    /// The index answers every window as the whole input's signals say, whatever the order
    /// the windows are asked in, and searches each byte once.
    #[test]
    fn the_index_answers_as_the_whole_inputs_signals() {
        let mut text = String::new();
        for i in 0..300 {
            match i % 37 {
                0 => text.push_str("see https://lms.example.edu/webservice/rest/server.php\n"),
                11 => text.push_str("$DB->get_record('mdl_user')\n"),
                23 => text.push_str("x = core_course_get_courses(); xcore_user_get_users\n"),
                _ => text.push_str("plain line of code = 42;\n"),
            }
        }
        let buf = text.as_bytes();
        let lower = text.to_ascii_lowercase();
        let mut all = Vec::new();
        super::each_signal(buf, lower.as_bytes(), |s, e| {
            all.push((s, e));
            true
        });
        all.sort_unstable();
        assert_eq!(all.len(), 9 + 8 + 8, "{all:?}");
        let mut rng = crate::testing::xorshift(7);
        let mut next = |n: usize| (rng() % n as u64) as usize;
        let c = MoodleContext::new();
        for _ in 0..400 {
            let a = next(buf.len());
            let b = (a + next(600)).min(buf.len());
            let whole = all.iter().any(|&(s, e)| a <= s && e <= b);
            assert_eq!(
                c.within(buf, Some(lower.as_bytes()), a, b),
                whole,
                "{a}..{b}: {:?}",
                &text[a..b]
            );
        }
        let index = c.index.borrow();
        assert!(index.searched.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(
            index.spans.windows(2).all(|w| w[0].0 < w[1].0),
            "{:?}",
            index.spans
        );
        // Searches stopped at a signal and resumed later found what one search finds: the
        // signals that start in the searched parts, and no other.
        let in_searched =
            |&&(s, _): &&(usize, usize)| index.searched.iter().any(|&(a, b)| a <= s && s < b);
        let expected: Vec<(usize, usize)> = all.iter().filter(in_searched).copied().collect();
        assert_eq!(index.spans, expected);
    }

    /// Looking for anchors finds every signal that looking for each pattern's whole text at
    /// every offset finds, overlapping and glued ones too; the anchors straddle where the
    /// words' parts meet.
    #[test]
    fn anchored_search_finds_every_signal() {
        let s = super::signals();
        let anchor = |word: &str| {
            let p = s.texts.iter().position(|t| t == word).expect(word);
            String::from_utf8_lossy(s.anchor(p)).into_owned()
        };
        assert_eq!(anchor("login/token.php"), "in/token.php");
        assert_eq!(anchor("admin/"), "min/");
        assert_eq!(anchor("moodle"), "moodle");
        // Every anchor given is an end of its word, at least a fingerprint long, and the
        // word it is given for is a pattern (a word of its own, or a stem).
        for (word, given) in &super::Vocabulary::builtin().context_anchors {
            assert_eq!(&anchor(word), given, "{word}");
            assert!(given.len() >= 4, "{word}");
        }
        // An anchor nearer the input's start than its lead is no signal (nor an overflow).
        for (text, &lead) in s.texts.iter().zip(&s.leads) {
            for skip in 1..=lead {
                let cut = &text.as_bytes()[skip..];
                let mut found = 0;
                super::each_signal(cut, cut, |_, _| {
                    found += 1;
                    true
                });
                assert_eq!(found, 0, "{text} from byte {skip}");
            }
        }
        let words: Vec<&str> = s.texts.iter().map(String::as_str).collect();
        let mut rng = crate::testing::xorshift(5);
        for round in 0..200 {
            let mut text = String::new();
            for _ in 0..(round % 30) {
                let word = words[(rng() % words.len() as u64) as usize];
                let cut = (rng() % (word.len() as u64 + 1)) as usize;
                let piece = if rng().is_multiple_of(4) {
                    &word[..word.floor_char_boundary(cut)]
                } else {
                    word
                };
                text.push_str(piece);
                text.push_str(["", " ", "_", "x", "/", "get_x "][(rng() % 6) as usize]);
            }
            let lower = text.to_ascii_lowercase();
            let mut found = Vec::new();
            super::each_signal(text.as_bytes(), lower.as_bytes(), |a, b| {
                found.push((a, b));
                true
            });
            found.sort_unstable();
            let mut want = Vec::new();
            for (p, word) in words.iter().enumerate() {
                for at in memchr::memmem::find_iter(lower.as_bytes(), word.as_bytes()) {
                    want.extend(super::signal_of(
                        s,
                        text.as_bytes(),
                        lower.as_bytes(),
                        at,
                        p,
                    ));
                }
            }
            want.sort_unstable();
            want.dedup();
            assert_eq!(found, want, "{text:?}");
        }
    }

    #[test]
    fn stems_and_contained_words_are_searched_once_and_still_checked() {
        let words = [
            "moodle",
            "moodledata",
            "webservice/rest/",
            "webservice/soap/",
            "mdl_",
        ]
        .map(String::from);
        let s = super::Signals::new(&words);
        // moodle, the webservice/ stem, mdl_, then the function-name prefixes.
        assert_eq!(s.patterns.len(), 3 + super::FUNCTION_PREFIXES.len());
        let signals = |text: &str| {
            let mut found = Vec::new();
            let lower = text.to_ascii_lowercase();
            super::each_signal_of(&s, text.as_bytes(), lower.as_bytes(), |a, b| {
                found.push(text[a..b].to_string());
                true
            });
            found
        };
        assert_eq!(signals("/webservice/rest/server.php"), ["webservice/rest/"]);
        assert!(signals("/webservice/server.php?wsdl").is_empty());
        assert_eq!(
            signals("MoodleData mdl_user"),
            ["MoodleData"[..6].to_string(), "mdl_".into()]
        );
        assert_eq!(
            signals("call Core_x_get, core_course_get_courses."),
            ["core_course_get_courses"]
        );
    }

    #[test]
    fn the_simd_search_finds_what_the_general_automaton_finds() {
        let s = super::signals();
        for search in std::iter::once(&s.ascii).chain(&s.other) {
            assert!(
                matches!(search.search, super::SignalSearch::Packed(_)),
                "the built-in signals fit aho-corasick's SIMD searcher"
            );
        }
        // The automaton's patterns are the signals' anchors.
        let anchors: Vec<&[u8]> = (0..s.texts.len()).map(|p| s.anchor(p)).collect();
        let general = super::SignalSearch::general(&anchors);
        let packed = super::SignalSearch::new(&anchors);
        assert!(matches!(packed, super::SignalSearch::Packed(_)));
        // Every context word and anchor, overlapping ones (`moodledata` holds `moodle`,
        // `mdl_` in `admdl_`), glued together and apart, at every start and end offset.
        let texts: Vec<String> = (super::Vocabulary::builtin().context.iter())
            .map(|w| w.to_ascii_lowercase())
            .chain(
                anchors
                    .iter()
                    .map(|a| String::from_utf8_lossy(a).into_owned()),
            )
            .chain(super::FUNCTION_PREFIXES.iter().map(|p| p.to_string()))
            .collect();
        let mut text = texts.join(" ");
        text.push_str(&texts.concat());
        text.push_str(" admdl_x core_course_get_courses webservice/restful/ tool_mod_x");
        let lower = text.to_ascii_lowercase().into_bytes();
        let spans = |search: &super::SignalSearch, start: usize, end: usize| {
            (search.matches(&lower, start, end))
                .map(|m| (m.start(), m.end(), m.pattern()))
                .collect::<Vec<_>>()
        };
        assert!(spans(&general, 0, lower.len()).len() > texts.len());
        for start in (0..lower.len()).step_by(7) {
            for end in [start, start + 3, start + 40, lower.len()] {
                let end = end.min(lower.len());
                assert_eq!(spans(&packed, start, end), spans(&general, start, end));
            }
        }
    }
}
