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

fn words_automaton() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    A.get_or_init(|| {
        // Case-sensitive over lowercase words and a lowercased input: that keeps
        // aho-corasick's SIMD (Teddy) searcher in play, which case-insensitive sets defeat.
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&Vocabulary::builtin().context)
            .expect("context automaton")
    })
}

/// Moodle function names: `core_<area>_<verb…>`, or a plugin frankenstyle prefix, a plugin
/// name and a verb (Moodle's naming rule for external functions, see
/// https://moodledev.io/docs/apis/subsystems/external/writing-a-service).
fn function_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"\b(?:core_[a-z0-9]+_[a-z0-9_]+|(?:mod|tool|local|block|enrol|gradereport|message|auth|report|qtype|theme|format)_[a-z0-9]+_(?:[a-z0-9]+_)*(?:get|set|create|update|delete|add|view|submit|save|search|list|start|process|check|send|mark|call|execute|retrieve|launch|remove|edit|assign|unassign|duplicate|import|export|upload|download)(?:_[a-z0-9_]*)?)\b",
        )
        .expect("function-name regex")
    })
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
    /// Per-thread scratch for the lowercased copy the context words are searched in.
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Every Moodle signal of `text`, as byte spans sorted by start.
fn signal_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = LOWER.with_borrow_mut(|lower| {
        lower.clear();
        lower.extend_from_slice(text);
        lower.make_ascii_lowercase();
        let spans = words_automaton()
            .find_iter(&lower[..])
            .map(|m| (m.start(), m.end()))
            .collect();
        if lower.capacity() > 4 << 20 {
            *lower = Vec::new();
        }
        spans
    });
    spans.extend(function_re().find_iter(text).map(|m| (m.start(), m.end())));
    spans.sort_unstable();
    spans
}

/// Whether `text` holds a Moodle signal. Function names are looked for first: their regex
/// needs no lowercased copy, and a file that calls Moodle's functions usually names several.
fn mentions_moodle(text: &[u8]) -> bool {
    if function_re().is_match(text) {
        return true;
    }
    LOWER.with_borrow_mut(|lower| {
        lower.clear();
        lower.extend_from_slice(text);
        lower.make_ascii_lowercase();
        let found = words_automaton().is_match(&lower[..]);
        if lower.capacity() > 4 << 20 {
            *lower = Vec::new();
        }
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

    /// Whether the input `buf` mentions Moodle at all (searched once).
    pub fn any(&self, buf: &[u8]) -> bool {
        *self.any.get_or_init(|| mentions_moodle(buf))
    }

    /// Whether a signal lies within `lines` lines of byte offset `pos` (before or after).
    pub fn near(&self, buf: &[u8], pos: usize, lines: u32) -> bool {
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
        if asked <= NEAR_BY_WINDOW {
            return mentions_moodle(&buf[start..end]);
        }
        let signals = self.signals.get_or_init(|| signal_spans(buf));
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
        let buf = b"a\nb\ncall core_course_get_courses\nc\nd\ne\nvalue\n";
        let c = MoodleContext::new();
        assert!(c.any(buf));
        let value = buf.len() - 6;
        assert!(c.near(buf, value, 4));
        assert!(!c.near(buf, value, 3));
        // Past the first questions, the same answers come from the input's signal index.
        for _ in 2..super::NEAR_BY_WINDOW {
            c.near(buf, value, 4);
        }
        assert!(c.signals.get().is_none());
        assert!(c.near(buf, value, 4));
        assert!(c.signals.get().is_some());
        assert!(!c.near(buf, value, 3));
        assert!(!c.near(buf, 0, 1));
        // Another product's SOAP endpoint is not Moodle.
        let erp = b"https://erp.example.com/webservice/server.php?wsdl";
        assert!(!MoodleContext::new().any(erp));
        assert!(!MoodleContext::new().any(b"LoadModule mod_rewrite_module"));
    }
}
