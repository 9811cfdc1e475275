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
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
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

/// Positions of Moodle signals in one input, computed once, on first use.
#[derive(Debug)]
pub struct MoodleContext {
    /// Byte offsets of signals, sorted.
    at: Vec<usize>,
}

impl MoodleContext {
    /// Finds every signal in `buf`.
    pub fn find(buf: &[u8]) -> MoodleContext {
        let mut at: Vec<usize> = words_automaton()
            .find_iter(buf)
            .map(|m| m.start())
            .collect();
        at.extend(function_re().find_iter(buf).map(|m| m.start()));
        at.sort_unstable();
        MoodleContext { at }
    }

    /// Whether the input mentions Moodle at all.
    pub fn any(&self) -> bool {
        !self.at.is_empty()
    }

    /// Whether a signal lies within `lines` lines of byte offset `pos` (before or after).
    pub fn near(&self, buf: &[u8], pos: usize, lines: u32) -> bool {
        let i = self.at.partition_point(|&p| p < pos);
        let within = |a: usize, b: usize| {
            memchr::memchr_iter(b'\n', &buf[a.min(b)..a.max(b)])
                .take(lines as usize + 1)
                .count()
                <= lines as usize
        };
        self.at.get(i).is_some_and(|&p| within(pos, p))
            || i.checked_sub(1)
                .and_then(|j| self.at.get(j))
                .is_some_and(|&p| within(p, pos))
    }
}

#[cfg(test)]
mod tests {
    use super::MoodleContext;

    #[test]
    fn signals_are_specific_and_counted_by_distance() {
        let buf = b"a\nb\ncall core_course_get_courses\nc\nd\ne\nvalue\n";
        let c = MoodleContext::find(buf);
        assert!(c.any());
        let value = buf.len() - 6;
        assert!(c.near(buf, value, 4));
        assert!(!c.near(buf, value, 3));
        // Another product's SOAP endpoint is not Moodle.
        assert!(!MoodleContext::find(b"https://erp.example.com/webservice/server.php?wsdl").any());
        assert!(!MoodleContext::find(b"LoadModule mod_rewrite_module").any());
    }
}
