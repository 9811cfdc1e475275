//! Word boundaries in rule regexes are ASCII ones.
//!
//! A rule's `\b` is an ASCII word boundary, as it is in Go's RE2 (gitleaks' rules): the
//! places it tells apart are between an ASCII letter, digit or `_` and anything else. Written
//! as the regex crate reads it by default (a Unicode word boundary), it costs far more than it
//! says: the crate's lazy DFA gives up on the first non-ASCII byte of an input when the
//! pattern holds a Unicode word boundary (regex-automata's documented limit: it handles them
//! only as ASCII ones and quits where that would differ), and the search falls back to the
//! PikeVM, which runs about a hundred times slower. One translated file, a lockfile with an
//! author's name or a page in Japanese, was enough to turn a 20 ms file into a 400 ms one.
//! Read as ASCII, the same patterns stay on the DFA.
//!
//! The only texts whose matches change are those where a non-ASCII letter touches the
//! boundary (`Kennwörter` holds an ASCII boundary before `ter`); every built-in rule's
//! examples run through this form (`rules check`).

use regex_syntax::hir::{Hir, HirKind, Look};

/// Whether `hir` holds a Unicode word-boundary assertion (`\b`, `\B`, `\<`, `\>` and their
/// halves, as the regex crate parses them with Unicode on).
pub fn has_unicode_word_look(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => ascii_look(*look) != *look,
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
        HirKind::Repetition(r) => has_unicode_word_look(&r.sub),
        HirKind::Capture(c) => has_unicode_word_look(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(has_unicode_word_look)
        }
    }
}

/// `hir` with every Unicode word-boundary assertion replaced by its ASCII form; everything
/// else (classes, literals, groups and their names and indexes) as it was.
pub fn with_ascii_word_looks(hir: &Hir) -> Hir {
    super::fold::map_leaves(hir, &|leaf| match leaf.kind() {
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        _ => leaf.clone(),
    })
}

/// The ASCII form of a word-boundary assertion; any other assertion as it is.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::{has_unicode_word_look, with_ascii_word_looks};
    use regex::bytes::Regex;

    fn parse(pattern: &str) -> regex_syntax::hir::Hir {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
            .unwrap()
    }

    #[test]
    fn unicode_word_boundaries_become_ascii_ones_and_nothing_else_changes() {
        let pattern = r"(?i)\bpassword\s*[:=]\s*(?P<secret>\w{4,})|\Bq\<x\>";
        let hir = parse(pattern);
        assert!(has_unicode_word_look(&hir));
        let ascii = with_ascii_word_looks(&hir);
        assert!(!has_unicode_word_look(&ascii));
        let re = Regex::new(&ascii.to_string()).unwrap();
        assert_eq!(
            re.capture_names().collect::<Vec<_>>(),
            Regex::new(pattern)
                .unwrap()
                .capture_names()
                .collect::<Vec<_>>()
        );
        let secret = |text: &str| {
            re.captures(text.as_bytes())
                .and_then(|c| c.name("secret"))
                .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
        };
        // Unicode classes stay Unicode: `\w` takes the accented letters.
        assert_eq!(secret("Password: Kennwört1 ").as_deref(), Some("Kennwört1"));
        // The boundary is ASCII: a non-ASCII letter before `password` is a boundary.
        assert_eq!(secret("épassword=abcd1 ").as_deref(), Some("abcd1"));
        assert!(!has_unicode_word_look(&parse(r"(?-u:\b)x\d")));
    }
}
