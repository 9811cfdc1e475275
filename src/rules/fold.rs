//! Case-insensitive rules as case-sensitive regexes over lowercased input.
//!
//! Most rules are written `(?i)…`: `wstoken`, `WSTOKEN` and `WsToken` are the same parameter.
//! The regex engine cannot feed a case-insensitive literal of seven letters (128 spellings)
//! to its SIMD prefilter, so such a rule reads every byte of a file with its automaton. The
//! matcher already holds an ASCII-lowercased copy of each input (for its keyword prefilter):
//! over that copy, the same rule with the uppercase letters taken out of its classes matches
//! exactly the same spans, and its literals are plain (`wstoken`) again, so the prefilter
//! skips to them. Lowercasing keeps every byte's offset, so the spans read the original text.
//!
//! Unicode case folding also pairs two non-ASCII letters with ASCII ones (`ſ` U+017F with
//! `s`, the Kelvin sign U+212A with `k`); kept in a class, they split `wstoken` into four
//! spellings and the prefilter is lost again. The rewritten regex leaves them out, so it is
//! used only on inputs that hold neither ([`UNFOLDED`], [`holds_unfolded`]).

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Repetition,
};

/// The two letters outside ASCII that Unicode's simple case folding pairs with ASCII
/// letters, UTF-8 encoded: on an input holding one, a rule runs as written.
pub const UNFOLDED: [&str; 2] = ["\u{17F}", "\u{212A}"];

/// Whether `buf` holds a letter of [`UNFOLDED`]: one pass for their lead bytes, which
/// ASCII text never holds.
pub fn holds_unfolded(buf: &[u8]) -> bool {
    memchr::memchr2_iter(0xC5, 0xE2, buf)
        .any(|i| UNFOLDED.iter().any(|l| buf[i..].starts_with(l.as_bytes())))
}

/// `pattern` (a `regex::bytes` pattern) rewritten for ASCII-lowercased input: the same
/// matches, spans and capture groups over `lower(text)` as `pattern` has over `text`, for
/// every `text` without the letters of [`UNFOLDED`].
/// `None` when that does not hold, because some part of `pattern` tells ASCII letters'
/// cases apart (a case-sensitive literal or class), or when it does not parse.
pub fn for_lowercased(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    for_lowercased_hir(&hir)
}

/// [`for_lowercased`] of a pattern already parsed (as `regex::bytes` parses it).
pub fn for_lowercased_hir(hir: &Hir) -> Option<String> {
    case_blind(hir).then(|| without_uppercase(hir).to_string())
}

/// Whether `hir` treats the two cases of every ASCII letter alike: no literal holds a
/// letter (a case-insensitive letter is parsed into a class of both cases), and every class
/// holding an ASCII letter holds its other case too. Then a match over a text is a match
/// over the text lowercased, and back.
fn case_blind(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => !lit.0.iter().any(u8::is_ascii_alphabetic),
        HirKind::Class(Class::Unicode(c)) => {
            let mut letters = c.clone();
            letters.intersect(&unicode_letters());
            let mut folded = letters.clone();
            folded.case_fold_simple();
            folded.intersect(&unicode_letters());
            folded == letters
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut letters = c.clone();
            letters.intersect(&byte_letters());
            let mut folded = letters.clone();
            folded.case_fold_simple();
            folded.intersect(&byte_letters());
            folded == letters
        }
        HirKind::Repetition(r) => case_blind(&r.sub),
        HirKind::Capture(c) => case_blind(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(case_blind),
    }
}

/// `hir` with `A`–`Z` taken out of every class (lowercased input holds none), and the
/// letters of [`UNFOLDED`] (the input holds none), so that a class of one letter's cases
/// becomes a literal again.
fn without_uppercase(hir: &Hir) -> Hir {
    map_leaves(hir, &|leaf| match leaf.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.difference(&ClassUnicode::new([
                ClassUnicodeRange::new('A', 'Z'),
                ClassUnicodeRange::new('\u{17F}', '\u{17F}'),
                ClassUnicodeRange::new('\u{212A}', '\u{212A}'),
            ]));
            Hir::class(Class::Unicode(c))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut c = c.clone();
            c.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            Hir::class(Class::Bytes(c))
        }
        _ => leaf.clone(),
    })
}

/// `hir` rebuilt with each leaf (empty, assertion, literal, class) replaced by `leaf(it)`;
/// repetitions, groups (their names and indexes), concatenations and alternations kept.
/// Shared by the rewrites of rule patterns (this one, and `boundary`'s).
pub(super) fn map_leaves(hir: &Hir, leaf: &dyn Fn(&Hir) -> Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) | HirKind::Class(_) => leaf(hir),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(map_leaves(&r.sub, leaf)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(map_leaves(&c.sub, leaf)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| map_leaves(h, leaf)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|h| map_leaves(h, leaf)).collect())
        }
    }
}

fn unicode_letters() -> ClassUnicode {
    ClassUnicode::new([
        ClassUnicodeRange::new('A', 'Z'),
        ClassUnicodeRange::new('a', 'z'),
    ])
}

fn byte_letters() -> ClassBytes {
    ClassBytes::new([
        ClassBytesRange::new(b'A', b'Z'),
        ClassBytesRange::new(b'a', b'z'),
    ])
}

#[cfg(test)]
mod tests {
    use super::for_lowercased;
    use regex::bytes::Regex;

    #[test]
    fn case_blind_patterns_match_the_same_spans_over_lowercased_text() {
        let pattern = r"(?i)(?:^|[^a-z0-9_]|%3F)wstoken(?:=|%3D)(?P<secret>[0-9a-f]{32})(?-u:\b)";
        let folded = for_lowercased(pattern).expect("case-blind");
        let (original, folded) = (Regex::new(pattern).unwrap(), Regex::new(&folded).unwrap());
        let text = b"GET /x?WsToken=0E5619B7954D566A26F4F57BF38DD601&a=1 \
                     wstoken%3d0e5619b7954d566a26f4f57bf38dd601 xwstoken=0e5619b7954d566a26f4f57bf38dd601";
        let lower = text.to_ascii_lowercase();
        let spans = |re: &Regex, hay: &[u8]| -> Vec<(usize, usize)> {
            re.captures_iter(hay)
                .map(|c| {
                    (
                        c["secret"].as_ptr() as usize - hay.as_ptr() as usize,
                        c["secret"].len(),
                    )
                })
                .collect()
        };
        assert_eq!(spans(&original, text), spans(&folded, &lower));
        assert_eq!(spans(&folded, &lower).len(), 2);
        assert_eq!(
            original.capture_names().collect::<Vec<_>>(),
            folded.capture_names().collect::<Vec<_>>()
        );
    }

    #[test]
    fn inputs_with_letters_folding_to_ascii_are_told() {
        assert!(super::holds_unfolded("wſtoken=".as_bytes()));
        assert!(super::holds_unfolded("\u{212A}ey".as_bytes()));
        assert!(!super::holds_unfolded("“wstoken” – Łódź".as_bytes()));
    }

    #[test]
    fn patterns_that_tell_cases_apart_are_left_alone() {
        // A case-sensitive literal, a case-sensitive class, a part switched back to case.
        assert!(for_lowercased(r"wstoken=(?P<secret>[0-9a-f]{32})").is_none());
        assert!(for_lowercased(r"(?i)token=(?P<secret>[A-Z]{4})(?-i:[A-Z])").is_none());
        assert!(for_lowercased(r"(?i)token=(?P<secret>\d+)").is_some());
    }
}
