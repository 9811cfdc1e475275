//! The Moodle-context model: where in an input Moodle is mentioned, so that a generic name
//! (`token`, `apiKey`, `Authorization`) counts only when Moodle is near it.
//!
//! Signals are specific: Moodle's own words, paths, parameter, table and column names
//! (`rules/data/names.toml`, `context`) and Moodle function names recognised by their shape
//! (`core_course_get_courses`, `mod_assign_save_submission`, `tool_mobile_get_config`). The
//! words `webservice` or `server.php` alone are not signals: other products' SOAP endpoints
//! use them. Distance is counted in lines.

use super::names::Vocabulary;
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

/// One automaton over the context words and the function-name prefixes, so that one SIMD
/// pass answers both. Every pattern the automaton holds costs every byte searched (the SIMD
/// search checks more false candidates), so it holds as few as say the same: a word that
/// holds another word (`moodledata` holds `moodle`) is not a pattern of its own, and words
/// that share a stem up to a `/` (`webservice/rest/`, `webservice/soap/`…) are one pattern,
/// the stem, whose match is then checked against them.
struct Signals {
    automaton: AhoCorasick,
    /// What each pattern stands for, by pattern index.
    patterns: Vec<Pattern>,
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
        for prefix in FUNCTION_PREFIXES {
            patterns.push(Pattern::Function);
            texts.push(prefix.to_string());
        }
        // Case-sensitive over lowercase words and a lowercased input: that keeps
        // aho-corasick's SIMD (Teddy) searcher in play, which case-insensitive sets defeat.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&texts)
            .expect("context automaton");
        Signals {
            automaton,
            patterns,
        }
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

/// [`each_signal`] with the signals `s`.
fn each_signal_of(
    s: &Signals,
    text: &[u8],
    lower: &[u8],
    mut keep: impl FnMut(usize, usize) -> bool,
) {
    for m in s.automaton.find_iter(lower) {
        let span = match &s.patterns[m.pattern().as_usize()] {
            Pattern::Word => Some((m.start(), m.end())),
            Pattern::Stem(words) => words
                .iter()
                .find(|w| lower[m.start()..].starts_with(w.as_bytes()))
                .map(|w| (m.start(), m.start() + w.len())),
            Pattern::Function => function_at(text, m.start()).map(|end| (m.start(), end)),
        };
        if let Some((start, end)) = span {
            if !keep(start, end) {
                return;
            }
        }
    }
}

/// Where one input mentions Moodle. Searches are bounded to what a question needs: the whole
/// input once for [`MoodleContext::any`], a window of lines around a value for
/// [`MoodleContext::near`].
#[derive(Debug, Default)]
pub struct MoodleContext {
    any: std::cell::OnceCell<bool>,
    /// How many [`MoodleContext::near`] questions were asked.
    near_asked: std::cell::Cell<u32>,
    /// Every signal of the input, as sorted byte spans: built once an input has asked
    /// [`NEAR_BY_WINDOW`] questions, after which each is a binary search.
    signals: std::cell::OnceCell<Vec<(usize, usize)>>,
}

/// How many [`MoodleContext::near`] questions are answered by searching their own window
/// before the whole input is indexed once.
const NEAR_BY_WINDOW: u32 = 3;

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

/// Every Moodle signal of `text`, as byte spans sorted by start.
fn signal_spans(text: &[u8], lower: Option<&[u8]>) -> Vec<(usize, usize)> {
    with_lower(text, lower, |lower| {
        let mut spans = Vec::new();
        each_signal(text, lower, |s, e| {
            spans.push((s, e));
            true
        });
        spans
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
        if let Some(signals) = self.signals.get() {
            let first = signals.partition_point(|&(s, _)| s < start);
            return signals[first..]
                .iter()
                .take_while(|&&(s, _)| s < end)
                .any(|&(_, e)| e <= end);
        }
        mentions_moodle(&buf[start..end], lower.map(|l| &l[start..end]))
    }

    /// Whether a signal lies within `lines` lines of byte offset `pos` (before or after);
    /// `lower` as for [`Self::any`].
    pub fn near(&self, buf: &[u8], lower: Option<&[u8]>, pos: usize, lines: u32) -> bool {
        if self.any.get() == Some(&false) {
            return false;
        }
        // Lines are also bounded in bytes, so a value in a one-line dump reads a window, not
        // the whole line (which would be quadratic over its values).
        let lines = lines as usize;
        let lo = pos.saturating_sub(NEAR_BYTES);
        let hi = (pos + NEAR_BYTES).min(buf.len());
        let start = memchr::memrchr_iter(b'\n', &buf[lo..pos])
            .nth(lines)
            .map_or(lo, |p| lo + p + 1);
        let end = memchr::memchr_iter(b'\n', &buf[pos..hi])
            .nth(lines)
            .map_or(hi, |p| pos + p);
        let asked = self.near_asked.get() + 1;
        self.near_asked.set(asked);
        // A window that is a good part of the input costs as much as the whole: the whole
        // input's signals are found at once and kept.
        let small = (end - start) * (NEAR_BY_WINDOW as usize + 1) >= buf.len();
        if asked <= NEAR_BY_WINDOW && !small {
            return mentions_moodle(&buf[start..end], lower.map(|l| &l[start..end]));
        }
        let signals = self.signals.get_or_init(|| signal_spans(buf, lower));
        let first = signals.partition_point(|&(s, _)| s < start);
        signals[first..]
            .iter()
            .take_while(|&&(s, _)| s < end)
            .any(|&(_, e)| e <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::MoodleContext;

    #[test]
    fn signals_are_specific_and_counted_by_distance() {
        // Lines enough after the value that its windows are a small part of the input.
        let text = format!(
            "a\nb\ncall core_course_get_courses\nc\nd\ne\nvalue\n{}",
            "filler\n".repeat(100)
        );
        let buf = text.as_bytes();
        let c = MoodleContext::new();
        assert!(c.any(buf, None));
        let value = text.find("value").unwrap();
        assert!(c.near(buf, None, value, 4));
        assert!(!c.near(buf, None, value, 3));
        // Past the first questions, the same answers come from the input's signal index.
        for _ in 2..super::NEAR_BY_WINDOW {
            c.near(buf, None, value, 4);
        }
        assert!(c.signals.get().is_none());
        assert!(c.near(buf, None, value, 4));
        assert!(c.signals.get().is_some());
        assert!(!c.near(buf, None, value, 3));
        assert!(!c.near(buf, None, 0, 1));
        // In a small input the first question indexes it whole, with the same answers.
        let small = &buf[..value + 6];
        let c = MoodleContext::new();
        assert!(c.near(small, None, value, 4));
        assert!(c.signals.get().is_some());
        assert!(!c.near(small, None, value, 3));
        // Another product's SOAP endpoint is not Moodle.
        let erp = b"https://erp.example.com/webservice/server.php?wsdl";
        assert!(!MoodleContext::new().any(erp, None));
        assert!(!MoodleContext::new().any(b"LoadModule mod_rewrite_module", None));
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
}
