//! One pass over a byte buffer: keyword prefilter, then only the regexes of rules whose
//! keywords (and context words) occur, then validators and decoders.
//!
//! The matcher knows nothing about files, lines or outputs; it returns [`Hit`]s (byte spans and
//! values), which [`crate::scan`] turns into findings. Keeping it that small is what lets the
//! same code serve files, git blobs, staged blobs and stdin.

use crate::finding::Kind;
use crate::keyed::{self, Hints, KeyedInput};
use crate::presence::{Presence, WordSet};
use crate::rules::validate::Candidate;
use crate::rules::Mechanism;
use crate::rules::Rule;
use crate::rules::{fold, sections};
use crate::views::{self, Hint};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use std::sync::{Arc, RwLock};

/// A value a rule captured (or a decoder found inside a capture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in [`Matcher::rules`].
    pub rule: usize,
    pub kind: Kind,
    /// Byte span of the captured value in the buffer (for decoded credentials, the span of
    /// the encoded value that carries them).
    pub start: usize,
    pub end: usize,
    pub secret: String,
}

thread_local! {
    /// Per-thread scratch for the lowercased copies the keyword prefilter and keyed
    /// detection search: a pool, since a decoded view is searched while its input's copy is
    /// still in use.
    static LOWERCASE: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` on an ASCII-lowercased copy of `buf` (scratch reused per thread).
fn with_lowercase<R>(buf: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    let mut lower = LOWERCASE
        .with_borrow_mut(|pool| pool.pop())
        .unwrap_or_default();
    lower.clear();
    // One pass that copies and lowercases (a copy, then a lowercasing pass over it, reads
    // and writes every byte twice).
    lower.extend(buf.iter().map(u8::to_ascii_lowercase));
    let result = f(&lower);
    if lower.capacity() <= LOWERCASE_KEEP {
        LOWERCASE.with_borrow_mut(|pool| pool.push(lower));
    }
    result
}

/// A word a rule asks about: one the prefilter searches for (an index in
/// [`Matcher::words`]), or one asked about only when a rule needs the answer (an index in
/// [`Matcher::lazy_words`]). Words that only qualify a rule already switched on (a context
/// word, a word of a strong phrase) stay out of the prefilter: every word there costs every
/// input a search, and common ones (`key`, `http://`) make the SIMD search slower for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Prefilter(usize),
    Lazy(usize),
}

/// Which lazy words one input holds, each searched for once, when first asked.
struct LazySeen<'a> {
    /// The input, lowercased.
    lower: &'a [u8],
    /// The answers to the words asked of every input ([`Matcher::input_words`]).
    presence: Presence<'a>,
    /// The input's file name, lowercased, for an input small enough to be a lone value
    /// (whose file name is its key); empty otherwise.
    name: String,
    /// The path of the file the input is, or was decoded from (a view has no path of its
    /// own, see [`Matcher::find`]).
    origin: &'a str,
    memo: Vec<std::cell::Cell<Option<bool>>>,
}

impl<'a> LazySeen<'a> {
    fn new(matcher: &'a Matcher, lower: &'a [u8], path: &'a str) -> LazySeen<'a> {
        LazySeen {
            lower,
            presence: Presence::new(&matcher.input_words, lower),
            name: bare_value_name(lower.len(), path),
            origin: path,
            memo: vec![std::cell::Cell::new(None); matcher.lazy_words.len()],
        }
    }

    /// The same for a view of the file at `origin`: the view is part of that file, not a
    /// file of its own.
    fn of_file(mut self, origin: &'a str) -> LazySeen<'a> {
        self.origin = origin;
        self
    }

    /// Whether `word` occurs (case-insensitively) in the input, or in its name.
    fn has(&self, matcher: &Matcher, seen: &[bool], word: Word) -> bool {
        match word {
            Word::Prefilter(i) => seen[i],
            Word::Lazy(i) => {
                if let Some(known) = self.memo[i].get() {
                    return known;
                }
                let w = matcher.lazy_words[i].as_str();
                let found = memchr::memmem::find(self.lower, w.as_bytes()).is_some()
                    || (!self.name.is_empty() && self.name.contains(w));
                self.memo[i].set(Some(found));
                found
            }
        }
    }
}

/// The lowercased file name of `path` when an input of `len` bytes may be a lone value
/// named by its file (see [`BARE_VALUE_MAX`]); empty otherwise.
fn bare_value_name(len: usize, path: &str) -> String {
    if len > BARE_VALUE_MAX {
        return String::new();
    }
    path.rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase()
}

/// Scratch buffers larger than this are released after use, so one huge input does not pin
/// its memory for the rest of the scan.
const LOWERCASE_KEEP: usize = 4 << 20;

/// Inputs up to this size may be a file holding nothing but a value, whose file name is its
/// key (`secrets/moodle_wstoken.txt`).
const BARE_VALUE_MAX: usize = 256;

/// Runs a keyed rule: each value of its shape is kept when its key binds it to the rule;
/// `stores_only`: only a column of a table that stores tokens can (see
/// [`KeyedInput::accepts`]).
fn run_keyed_rule(
    ri: usize,
    rule: &Rule,
    buf: &[u8],
    input: &mut KeyedInput<'_>,
    stores_only: bool,
    hits: &mut Vec<Hit>,
) {
    let (Some(shape), Some(names)) = (rule.spec.value, rule.spec.names.as_ref()) else {
        return;
    };
    for &(start, end) in input.candidates(shape).iter() {
        if input.accepts(names, start, end, stores_only)
            && keyed::valid(buf, &rule.spec.validators, (start, end))
        {
            hits.push(Hit {
                rule: ri,
                kind: rule.spec.kind,
                start,
                end,
                secret: String::from_utf8_lossy(&buf[start..end]).into_owned(),
            });
        }
    }
    // The same values written in base64, or split over string literals joined across lines:
    // the finding spans the written text (which the line display redacts), its secret is
    // the value (sharing its fingerprint).
    let base64 = input.base64_values(shape);
    let joined = input.joined_values(shape);
    for (start, end, value) in base64.iter().chain(joined.iter()) {
        let candidate = Candidate {
            buf,
            match_start: *start,
            secret: value.as_bytes(),
            host: None,
        };
        if rule.spec.validators.iter().all(|v| v.accepts(&candidate))
            && input.accepts(names, *start, *end, stores_only)
        {
            hits.push(Hit {
                rule: ri,
                kind: rule.spec.kind,
                start: *start,
                end: *end,
                secret: value.clone(),
            });
        }
    }
}

/// The spans of some hits, sorted, to ask whether a span overlaps a hit of one rule in
/// logarithmic time (plus the hits that start within the longest hit's reach before it):
/// an input of many hits and many views costs no product of the two.
#[derive(Debug, Default)]
struct SpanIndex {
    /// (start, end, rule) of each hit, sorted.
    spans: Vec<(usize, usize, usize)>,
    /// The longest hit's length in bytes.
    longest: usize,
}

impl SpanIndex {
    fn new(hits: &[Hit]) -> SpanIndex {
        let mut spans: Vec<(usize, usize, usize)> =
            hits.iter().map(|h| (h.start, h.end, h.rule)).collect();
        spans.sort_unstable();
        let longest = spans.iter().map(|&(s, e, _)| e - s).max().unwrap_or(0);
        SpanIndex { spans, longest }
    }

    /// Whether a hit of `rule` overlaps `start..end`.
    fn overlaps(&self, rule: usize, start: usize, end: usize) -> bool {
        let from = self
            .spans
            .partition_point(|&(s, _, _)| s + self.longest < start);
        self.spans[from..]
            .iter()
            .take_while(|&&(s, _, _)| s < end)
            .any(|&(_, e, r)| r == rule && e > start)
    }

    /// Whether a hit of `rule` covers `start..end` and goes on past the byte after it.
    fn extends_past(&self, rule: usize, start: usize, end: usize) -> bool {
        let from = self
            .spans
            .partition_point(|&(s, _, _)| s + self.longest < start);
        self.spans[from..]
            .iter()
            .take_while(|&&(s, _, _)| s <= start)
            .any(|&(_, e, r)| r == rule && e > end + 1)
    }
}

/// A prefilter automaton over a subset of the words, with its patterns' indexes in
/// [`Matcher::words`].
#[derive(Debug)]
struct Narrowed {
    /// A packed (SIMD Teddy) searcher: built directly, since the general builder may pick a
    /// rare-byte prefilter for a small set, which is slow when the rare bytes are letters.
    automaton: aho_corasick::packed::Searcher,
    words: Vec<usize>,
}

/// A search for any of a few words: `memchr`'s substring search for one word, SIMD (Teddy)
/// where the set allows, else the general automaton; behind a cheaper test where the words
/// allow one ([`Gate`]).
#[derive(Debug)]
struct WordSearch {
    search: Search,
    gate: Option<Gate>,
}

/// How a [`WordSearch`] searches.
#[derive(Debug)]
enum Search {
    One(memchr::memmem::Finder<'static>),
    Packed(aho_corasick::packed::Searcher),
    General(AhoCorasick),
    /// Words in ASCII and words holding other bytes, searched apart when all together are
    /// more than the packed searcher takes: the second search is run only on an input
    /// holding a byte past ASCII, and neither needs the general automaton's DFA, which is
    /// built when the search is made (at start, ~8M instructions for the token rule's
    /// translations).
    Split(Box<Search>, Box<Search>),
}

/// A test every input holding one of a [`WordSearch`]'s words passes, cheaper than the
/// search: the stem its words starting with an ASCII letter share (`priv` of `privato`,
/// `privado`, `privé`), found by `memchr`'s substring search (a fraction of a SIMD set
/// search's cost per byte), and, when some words start in another script (`приватный`),
/// any byte past ASCII.
#[derive(Debug)]
struct Gate {
    stem: memchr::memmem::Finder<'static>,
    other_scripts: bool,
}

/// The shortest stem a [`Gate`] is built on: shorter ones are too common to spare a search.
const GATE_STEM_MIN: usize = 4;

impl Gate {
    /// The gate for `words`, if their ASCII-initial words share a stem of
    /// [`GATE_STEM_MIN`] bytes or more.
    fn new(words: &[&str]) -> Option<Gate> {
        let ascii_initial: Vec<&[u8]> = words
            .iter()
            .map(|w| w.as_bytes())
            .filter(|w| w.first().is_some_and(u8::is_ascii))
            .collect();
        let first = ascii_initial.first()?;
        let stem_len = ascii_initial.iter().fold(first.len(), |len, w| {
            first[..len]
                .iter()
                .zip(w.iter())
                .take_while(|(a, b)| a == b && a.is_ascii())
                .count()
        });
        (stem_len >= GATE_STEM_MIN).then(|| Gate {
            stem: memchr::memmem::Finder::new(&first[..stem_len]).into_owned(),
            other_scripts: ascii_initial.len() < words.len(),
        })
    }

    /// Whether `haystack` may hold one of the words.
    fn passes(&self, haystack: &[u8]) -> bool {
        self.stem.find(haystack).is_some() || (self.other_scripts && !haystack.is_ascii())
    }
}

impl WordSearch {
    /// A search for `words`; `None` for no words.
    fn new(words: &[&str]) -> Result<Option<WordSearch>> {
        if words.is_empty() {
            return Ok(None);
        }
        let search = Search::new(words)?;
        let gate = match search {
            Search::One(_) => None,
            _ => Gate::new(words),
        };
        Ok(Some(WordSearch { search, gate }))
    }

    /// Whether `haystack` holds one of the words.
    fn holds(&self, haystack: &[u8]) -> bool {
        if self.gate.as_ref().is_some_and(|g| !g.passes(haystack)) {
            return false;
        }
        self.search.holds(haystack)
    }
}

impl Search {
    /// The search for `words` (one or more).
    fn new(words: &[&str]) -> Result<Search> {
        if let [word] = words {
            return Ok(Search::One(
                memchr::memmem::Finder::new(word.as_bytes()).into_owned(),
            ));
        }
        // A packed (SIMD Teddy) searcher, as for `Narrowed`: the general builder picks a
        // prefilter of the words' first bytes (`p` of `privat`), which stops at every `p`.
        let packed = aho_corasick::packed::Config::new()
            .builder()
            .extend(words)
            .build();
        if let Some(searcher) = packed {
            return Ok(Search::Packed(searcher));
        }
        let (ascii, other): (Vec<&str>, Vec<&str>) = words.iter().partition(|w| w.is_ascii());
        if !ascii.is_empty() && !other.is_empty() {
            return Ok(Search::Split(
                Box::new(Search::new(&ascii)?),
                Box::new(Search::new(&other)?),
            ));
        }
        Ok(Search::General(AhoCorasick::new(words).context(
            "cannot build a search for translated keywords",
        )?))
    }

    /// Whether `haystack` holds one of the words.
    fn holds(&self, haystack: &[u8]) -> bool {
        match self {
            Search::One(finder) => finder.find(haystack).is_some(),
            Search::Packed(searcher) => searcher.find(haystack).is_some(),
            Search::General(ac) => ac.is_match(haystack),
            Search::Split(ascii, other) => {
                ascii.holds(haystack) || (!haystack.is_ascii() && other.holds(haystack))
            }
        }
    }
}

/// Words of code that many prefilter words start with: `user` (Moodle code says it
/// everywhere: `$USER`, `userid`, `user_get_users`).
const COMMON_LEADS: [&str; 1] = ["user"];

/// How many first bytes of each of `words` the prefilter's SIMD search skips. The search
/// stops wherever an input holds a word's first bytes; a word that starts with another
/// prefilter word (`tokenpluginfile.php/` with `token`) or a common word of code
/// ([`COMMON_LEADS`]) makes it stop at every `token` or `user` of a file about tokens or
/// users, and check the word there in vain (even after `token` itself was seen and dropped
/// from the search). Such a word is looked for from past that lead (`pluginfile.php/`) and
/// checked whole where that is found ([`Matcher::word_start`]). A lead is skipped only
/// where nothing is lost: the rest is 6 bytes or more, and no other word's searched text
/// starts with it or is one of its beginnings (at one offset the search reports only the
/// longest match, so two texts starting together would hide one of them).
fn anchor_offsets(words: &[String]) -> Vec<usize> {
    let mut offsets: Vec<usize> = (0..words.len())
        .map(|i| {
            let word = words[i].as_str();
            let leads = (words.iter().enumerate())
                .filter(|&(j, w)| j != i && !w.is_empty())
                .map(|(_, w)| w.as_str())
                .chain(COMMON_LEADS);
            leads
                .filter(|lead| word.len() >= lead.len() + 6 && word.starts_with(lead))
                .map(str::len)
                .max()
                .filter(|&skip| word.is_char_boundary(skip))
                .unwrap_or(0)
        })
        .collect();
    // Undo a skip whose searched text starts together with another's, until none does.
    loop {
        let text = |i: usize| &words[i][offsets[i]..];
        let clash = (0..words.len()).find(|&i| {
            offsets[i] > 0
                && (0..words.len())
                    .filter(|&j| j != i)
                    .any(|j| text(j).starts_with(text(i)) || text(i).starts_with(text(j)))
        });
        match clash {
            Some(i) => offsets[i] = 0,
            None => return offsets,
        }
    }
}

/// Words the prefilter also looks for on keyed detection's and the views' behalf: whether
/// an input can hold base64-written values (it says `base64`, is a Kubernetes `Secret` or
/// names a token kind: see [`Hints`]) or a MIME part's base64 body.
const HINT_WORDS: [&str; 5] = [
    "base64",
    "kind: secret",
    "quoted-printable",
    "wstoken",
    "privatetoken",
];

/// The index of `quoted-printable` in [`HINT_WORDS`]: an input that says so has its soft
/// line breaks read as escapes (see [`views::escapes_near`]).
const HINT_QP: usize = 2;

/// The index of `kind: secret` in [`HINT_WORDS`].
const HINT_SECRET: usize = 1;

/// The index of `base64` in [`HINT_WORDS`].
const HINT_BASE64: usize = 0;

/// How many narrowed automata (one per set of words still unseen) are kept.
const NARROWED_KEEP: usize = 256;

/// Inputs with fewer bytes than this left to search keep the automaton they have.
const NARROW_MIN_REST: usize = 4096;

/// What [`Matcher::find`] found in one input.
#[derive(Debug, Default)]
pub struct Matches {
    /// Every hit, in no particular order.
    pub hits: Vec<Hit>,
    /// Whether the input held more places to decode than one input may ask
    /// ([`views::max_hints`], one per 64 bytes): encoded text past the bound was not read,
    /// which the caller tells the user.
    pub decoding_bounded: bool,
}

/// What the prefilter found in a buffer: the rules to run, the words seen, and the reasons
/// to decode.
#[derive(Debug)]
struct Prefiltered {
    /// The rules switched on; `None` when none is.
    active: Option<Vec<bool>>,
    /// Which prefilter words occur, by index in [`Matcher::words`].
    seen: Vec<bool>,
    /// Buffer offsets where a decoded view may show more (see [`crate::views`]).
    decode_hints: Vec<(usize, Hint)>,
    /// Whether the hints reached their bound ([`views::max_hints`]): regions past it were
    /// not decoded.
    hints_bounded: bool,
}

/// What a prefilter pattern means for the rules.
#[derive(Debug, Clone, Default)]
struct PatternUse {
    /// Rules that this keyword switches on.
    triggers: Vec<usize>,
    /// Patterns that occur inside this one (itself included): finding it finds them too.
    implies: Vec<usize>,
    /// Whether finding this word finds a rule keyword (itself or one inside it).
    keyword: bool,
    /// What this word says as a reason to decode (see [`crate::views`]), if it is a hint.
    hint: Option<Hint>,
}

/// All rules compiled into one prefilter automaton plus their regexes.
#[derive(Debug)]
pub struct Matcher {
    rules: Vec<Rule>,
    prefilter: AhoCorasick,
    /// The prefilter's words (lowercase), by pattern index.
    words: Vec<String>,
    /// Each rule's keywords, lowercased, with their index in [`Matcher::words`].
    rule_keywords: Vec<Vec<(String, Option<usize>)>>,
    /// For each word, how many of its first bytes the SIMD search skips ([`anchor_offsets`]):
    /// it looks for the rest and checks the whole word where that is found.
    anchors: Vec<usize>,
    uses: Vec<PatternUse>,
    /// The word `moodle`'s index, when it is a word: an input holding it mentions Moodle.
    moodle_word: Option<usize>,
    /// The indexes of a private token's labels ([`crate::keyed::PRIVATE_TOKEN_LABELS`]),
    /// when all are words (the private-token rule's keywords): an input holding none of
    /// them has no private token's label for a value to stand beside.
    private_label_words: Option<Vec<usize>>,
    /// The prefilter word `external_tokens`, if a rule has it: an input holding it may
    /// hold a query of Moodle's token table and its answer ([`Hints::names_token_table`]).
    token_table_word: Option<usize>,
    /// The indexes of [`HINT_WORDS`].
    hint_words: [usize; HINT_WORDS.len()],
    /// Words asked about only when a rule switched on needs the answer (see [`Word`]).
    lazy_words: Vec<String>,
    /// For each rule, its context words: one must occur for the rule to run.
    context: Vec<Vec<Word>>,
    /// For each keyed rule, other languages' words for its keywords (`プライベートトークン`
    /// for `privatetoken`, from `rules/data/names.toml`'s translations): lazy keywords,
    /// asked only of an input that switched some rule on already, so that the inputs with
    /// no keyword at all stay on the fast path.
    translated: Vec<Vec<Word>>,
    /// For each keyed rule, one automaton over its lazy translated words (`None` without
    /// any): an input holding none of them (the usual case) is searched once, not once per
    /// word.
    translated_finders: Vec<Option<WordSearch>>,
    /// Each rule's `late_keywords` (lowercase), answered from [`Matcher::input_words`].
    late_keywords: Vec<Vec<String>>,
    /// The words asked of every input that the prefilter does not search for, answered by
    /// one pass the first time one is asked (see [`crate::presence`]): the rules' late
    /// keywords, keyed detection's [`crate::keyed::INPUT_WORDS`] and quoted-printable's
    /// escape ([`views::QP_EQUALS`]).
    input_words: WordSet,
    /// For each keyed rule with translated words, its keywords lowercased (empty for the
    /// others): a path holding one switches the translations on (asked for every file, so
    /// lowercased once here).
    path_keywords: Vec<Vec<String>>,
    /// For each keyed rule, its strong phrases as words: a strong name can only bind a
    /// value in an input holding all the words of one of them (see [`Matcher::find`]).
    strong_phrases: Vec<Vec<Vec<Word>>>,
    /// Automata over the words not yet seen, by the bit set of those words (see
    /// [`Matcher::active_rules`]); shared by the scanning threads.
    narrowed: RwLock<FxHashMap<u64, Arc<Narrowed>>>,
    /// Whether decoded views are scanned too (off with `--no-decode`).
    decode: bool,
}

impl Matcher {
    /// Builds the prefilter over every keyword and context word of `rules`.
    pub fn new(rules: Vec<Rule>) -> Result<Matcher> {
        let mut words: Vec<String> = Vec::new();
        let mut uses: Vec<PatternUse> = Vec::new();
        let slot = |w: &str, words: &mut Vec<String>, uses: &mut Vec<PatternUse>| {
            let w = w.to_ascii_lowercase();
            match words.iter().position(|x| *x == w) {
                Some(i) => i,
                None => {
                    words.push(w);
                    uses.push(PatternUse::default());
                    words.len() - 1
                }
            }
        };
        for (ri, rule) in rules.iter().enumerate() {
            for k in rule.spec.keywords.iter().filter(|k| !k.is_empty()) {
                let i = slot(k, &mut words, &mut uses);
                uses[i].triggers.push(ri);
            }
        }
        let hint_words = HINT_WORDS.map(|w| slot(w, &mut words, &mut uses));
        // Context words and strong phrases' words: a prefilter word where one is already
        // searched for, else a lazy one.
        let mut lazy_words: Vec<String> = Vec::new();
        let mut word = |w: &str| {
            let w = w.to_ascii_lowercase();
            if let Some(i) = words.iter().position(|x| *x == w) {
                return Word::Prefilter(i);
            }
            let i = lazy_words.iter().position(|x| *x == w).unwrap_or_else(|| {
                lazy_words.push(w);
                lazy_words.len() - 1
            });
            Word::Lazy(i)
        };
        let context: Vec<Vec<Word>> = rules
            .iter()
            .map(|rule| {
                let context = rule.spec.context.iter().filter(|c| !c.is_empty());
                context.map(|c| word(c)).collect()
            })
            .collect();
        let translations = &crate::keyed::names::Vocabulary::builtin().translations;
        let translated: Vec<Vec<Word>> = rules
            .iter()
            .map(|rule| {
                if rule.spec.mechanism != Mechanism::Keyed {
                    return Vec::new();
                }
                // A translation of a keyword, or of the qualifier a keyword of two words
                // starts with (`privato`, `privado` for `private` of `private token`: the
                // languages that write `token privato`); the rule's names still need the
                // whole phrase.
                let keyword = |target: &String| {
                    let target = target.replace([' ', '_', '-'], "");
                    rule.spec.keywords.iter().any(|k| {
                        let qualifier = k.split_once(' ').map(|(first, _)| first);
                        k.replace([' ', '_', '-'], "").eq_ignore_ascii_case(&target)
                            || qualifier.is_some_and(|q| q.eq_ignore_ascii_case(&target))
                    })
                };
                let mut words: Vec<&String> = translations
                    .iter()
                    .filter(|(_, target)| keyword(target))
                    .map(|(w, _)| w)
                    .collect();
                words.sort();
                words.into_iter().map(|w| word(w)).collect()
            })
            .collect();
        let path_keywords: Vec<Vec<String>> = rules
            .iter()
            .zip(&translated)
            .map(|(rule, words)| match words.is_empty() {
                true => Vec::new(),
                false => (rule.spec.keywords.iter())
                    .filter(|k| !k.is_empty())
                    .map(|k| k.to_ascii_lowercase())
                    .collect(),
            })
            .collect();
        let strong_phrases: Vec<Vec<Vec<Word>>> = rules
            .iter()
            .map(|rule| {
                let strong = rule.spec.names.as_ref().map_or(&[][..], |n| &n.strong[..]);
                strong
                    .iter()
                    .map(|phrase| {
                        // Prefilter words first: a phrase missing one is ruled out for free.
                        let mut phrase: Vec<Word> =
                            phrase.split_whitespace().map(&mut word).collect();
                        phrase.sort_by_key(|w| matches!(w, Word::Lazy(_)));
                        phrase
                    })
                    .collect()
            })
            .collect();
        let keywords: Vec<&str> = rules
            .iter()
            .flat_map(|r| r.spec.keywords.iter().map(String::as_str))
            .collect();
        for (word, hint) in views::hint_words(&keywords) {
            if !words.contains(&word) {
                words.push(word);
                uses.push(PatternUse {
                    hint: Some(hint),
                    ..PatternUse::default()
                });
            }
        }
        for (i, w) in words.iter().enumerate() {
            uses[i].implies = (0..words.len())
                .filter(|&j| w.contains(words[j].as_str()))
                .collect();
        }
        for i in 0..words.len() {
            uses[i].keyword = uses[i]
                .implies
                .iter()
                .any(|&j| !uses[j].triggers.is_empty());
        }
        // Case-sensitive over lowercase words: the buffer is lowercased first (see
        // `active_rules`), which keeps aho-corasick's SIMD (Teddy) prefilter in play;
        // case-insensitive keyword sets defeat it and cost ~18 instructions per byte.
        let anchors = anchor_offsets(&words);
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(words.iter().zip(&anchors).map(|(w, &a)| &w[a..]))
            .context("cannot build the keyword prefilter")?;
        let rule_keywords = rules
            .iter()
            .map(|rule| {
                (rule.spec.keywords.iter())
                    .map(|k| k.to_ascii_lowercase())
                    .map(|k| {
                        let word = words.iter().position(|w| *w == k);
                        (k, word)
                    })
                    .collect()
            })
            .collect();
        let moodle_word = words.iter().position(|w| w == "moodle");
        let private_label_words = (crate::keyed::PRIVATE_TOKEN_LABELS.iter())
            .map(|label| words.iter().position(|w| w == label))
            .collect::<Option<Vec<usize>>>();
        let token_table_word = words.iter().position(|w| w == "external_tokens");
        let translated_finders = translated
            .iter()
            .map(|words| {
                let lazy: Vec<&str> = words
                    .iter()
                    .filter_map(|w| match w {
                        Word::Lazy(i) => Some(lazy_words[*i].as_str()),
                        Word::Prefilter(_) => None,
                    })
                    .collect();
                WordSearch::new(&lazy)
            })
            .collect::<Result<Vec<_>>>()?;
        let late_keywords: Vec<Vec<String>> = rules
            .iter()
            .map(|rule| {
                (rule.spec.late_keywords.iter())
                    .filter(|k| !k.is_empty())
                    .map(|k| k.to_ascii_lowercase())
                    .collect()
            })
            .collect();
        let input_words = WordSet::new(
            (late_keywords.iter().flatten().map(String::as_str))
                .chain(crate::keyed::INPUT_WORDS)
                .chain([views::QP_EQUALS]),
        );
        Ok(Matcher {
            rules,
            prefilter,
            words,
            rule_keywords,
            anchors,
            uses,
            moodle_word,
            private_label_words,
            token_table_word,
            hint_words,
            lazy_words,
            context,
            path_keywords,
            translated,
            translated_finders,
            late_keywords,
            input_words,
            strong_phrases,
            narrowed: RwLock::new(FxHashMap::default()),
            decode: true,
        })
    }

    /// Turns decoded views (and the keyed rules' decoding) on or off (`--no-decode`).
    pub fn set_decode(&mut self, decode: bool) {
        self.decode = decode;
    }

    /// Whether decoded views are scanned.
    pub fn decodes(&self) -> bool {
        self.decode
    }

    /// The rules, in the order hits refer to them.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every hit in `buf`, read from `path` (`""` when it has none: keyed rules read the
    /// name of a file that holds nothing but a value), in no particular order.
    ///
    /// Where the prefilter gives a reason, the decoded views of `buf` ([`crate::views`]) are
    /// scanned too, and their hits placed back on the bytes they were decoded from.
    pub fn find(&self, buf: &[u8], path: &str) -> Matches {
        let mut bounded = false;
        let (mut hits, decode_hints, quoted_printable) = with_lowercase(buf, |lower| {
            let lazy = LazySeen::new(self, lower, path);
            let found = self.prefilter(buf, &lazy, path, true);
            let hits = match &found.active {
                Some(active) => self.run_rules(buf, &lazy, path, active, &found.seen, false),
                None => Vec::new(),
            };
            let qp = found.seen[self.hint_words[HINT_QP]];
            bounded = found.hints_bounded;
            (hits, found.decode_hints, qp)
        });
        if decode_hints.is_empty() {
            return Matches {
                hits,
                decoding_bounded: bounded,
            };
        }
        let mut view_hits = Vec::new();
        let mut previous = SpanIndex::default();
        // Where the input mentions Moodle, for the views: a view is a few lines of its input,
        // and the Moodle context around those lines is its context too.
        let around = crate::keyed::context::MoodleContext::new();
        let context_lines = self
            .rules
            .iter()
            .filter_map(|r| r.spec.names.as_ref().map(|n| n.context_lines))
            .max()
            .unwrap_or(0);
        for view in views::build(buf, &decode_hints, quoted_printable) {
            let (from, to) = view.span(0, view.text.len());
            let in_context = around.around(buf, None, from, to, context_lines);
            // A view is part of the input: the file-name key of a lone value does not apply.
            with_lowercase(&view.text, |lower| {
                let lazy = LazySeen::new(self, lower, "").of_file(path);
                let seen = self.prefilter(&view.text, &lazy, "", false);
                let Some(active) = &seen.active else {
                    return;
                };
                // A region's views come outer layer first (see `views::build`): a hit of a
                // rule over bytes the view before gave that rule a hit on is the same value
                // read through more layers, a misreading or a duplicate.
                let mut mine = Vec::new();
                let found = self.run_rules(&view.text, &lazy, "", active, &seen.seen, in_context);
                for mut h in found {
                    (h.start, h.end) = view.span(h.start, h.end);
                    if !previous.overlaps(h.rule, h.start, h.end) {
                        mine.push(h);
                    }
                }
                previous = SpanIndex::new(&mine);
                view_hits.extend(mine);
            });
        }
        // Where the bytes as written already give a rule's hit, a view's hit of that rule
        // over the same bytes is a misreading (`password=Tr0ub4dor%263` decodes to a
        // password cut at its `&`): the written reading wins.
        // Except where the written hit holds quoted-printable's own escape (`password=3D
        // Summer2024x`, `=3D` straddling its start, or a soft line break inside it) in an
        // input that says it is quoted-printable: there the decoded reading wins.
        if quoted_printable {
            let decoded = SpanIndex::new(&view_hits);
            let misread = |h: &Hit| {
                let span = &buf[h.start..h.end];
                buf[h.start.saturating_sub(1)..].starts_with(b"=3D")
                    || memchr::memmem::find(span, b"=3D").is_some()
                    || memchr::memmem::find(span, b"=\n").is_some()
            };
            hits.retain(|h| !(misread(h) && decoded.overlaps(h.rule, h.start, h.end)));
        }
        // A written hit that ends at a line break a view joined (an iCalendar fold, a hard
        // wrap) was cut short there: the view's longer reading of the same rule wins.
        if !view_hits.is_empty() {
            let read = SpanIndex::new(&view_hits);
            hits.retain(|h| {
                !(matches!(buf.get(h.end), Some(b'\r' | b'\n'))
                    && read.extends_past(h.rule, h.start, h.end))
            });
        }
        let written = SpanIndex::new(&hits);
        view_hits.retain(|v| !written.overlaps(v.rule, v.start, v.end));
        hits.extend(view_hits);
        Matches {
            hits,
            decoding_bounded: bounded,
        }
    }

    /// The rules marked `active`, run over `buf`; `seen`: the prefilter words it holds;
    /// `lazy`: the other words, asked as needed; `context_outside`: `buf` is a view of an
    /// input that mentions Moodle around it.
    fn run_rules(
        &self,
        buf: &[u8],
        lazy: &LazySeen<'_>,
        path: &str,
        active: &[bool],
        seen: &[bool],
        context_outside: bool,
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        let [base64, secret, _, wstoken, privatetoken] = self.hint_words.map(|w| seen[w]);
        let hints = Hints {
            says_moodle: self.moodle_word.is_some_and(|w| seen[w]),
            may_hold_base64: base64 || secret,
            names_token_kind: wstoken || privatetoken,
            names_token_table: self.token_table_word.is_some_and(|w| seen[w]),
            context_outside,
            may_label_private_token: (self.private_label_words.as_ref())
                .is_none_or(|labels| labels.iter().any(|&w| seen[w])),
        };
        let mut keyed = None;
        let path_lower = path.to_ascii_lowercase();
        // Whether case-blind rules may run over the lowercased copy (see `rules::fold`).
        let foldable = std::cell::OnceCell::new();
        // A Markdown document's section headings, for windows that end at them.
        let is_markdown = sections::is_markdown(path);
        let headings: std::cell::OnceCell<Vec<(usize, u8)>> = std::cell::OnceCell::new();
        let mut occurrences = KeywordOccurrences::new(lazy.lower);
        for (ri, rule) in self.rules.iter().enumerate() {
            if !active[ri] {
                continue;
            }
            match rule.spec.mechanism {
                Mechanism::Regex => {
                    let lower = (*foldable.get_or_init(|| {
                        lazy.lower.len() == buf.len() && !fold::holds_unfolded(buf)
                    }))
                    .then_some(lazy.lower);
                    let in_sections = rule.spec.window_within_section && is_markdown;
                    let windows = rule
                        .spec
                        .window
                        .filter(|_| lazy.lower.len() == buf.len())
                        .map(|w| {
                            let sections = in_sections.then(|| {
                                headings
                                    .get_or_init(|| sections::heading_starts(buf))
                                    .as_slice()
                            });
                            let keywords: Vec<(&str, Option<bool>)> = self.rule_keywords[ri]
                                .iter()
                                .map(|(k, word)| (k.as_str(), word.map(|p| seen[p])))
                                .collect();
                            let occurrences = occurrences.of(&keywords);
                            keyword_windows(lazy.lower, &occurrences, w, sections)
                        });
                    self.run_rule(ri, rule, buf, lower, windows.as_deref(), &mut hits)
                }
                Mechanism::Keyed => {
                    let input = keyed.get_or_insert_with(|| {
                        KeyedInput::new(buf, path)
                            .with_hints(hints)
                            .with_lowercase(lazy.lower)
                            .with_presence(&lazy.presence)
                            .with_origin(lazy.origin)
                            .decoding(self.decode)
                    });
                    // An input without a value of the rule's shape (plain, split over joined
                    // literals or, where it may hold base64, encoded) has nothing to bind:
                    // asked first, as it is the cheapest question (a probe every 32 bytes).
                    let Some(shape) = rule.spec.value else {
                        continue;
                    };
                    if !hints.may_hold_base64
                        && !hints.names_token_kind
                        && input.runs(shape).is_empty()
                        && input.joined_values(shape).is_empty()
                    {
                        continue;
                    }
                    // Every name but a strong one needs Moodle context, and a strong name
                    // needs its words in the input (or its path): an input with neither
                    // cannot bind a value to this rule, whatever its syntax.
                    let strong_possible = self.strong_phrases[ri].iter().any(|phrase| {
                        phrase
                            .iter()
                            .all(|&w| lazy.has(self, seen, w) || path_lower.contains(self.word(w)))
                    });
                    // Without either, only a table that stores tokens (its header says so)
                    // can still bind one, or a record of one (a site and a service: see
                    // `KeyedInput::accepts`).
                    let stores_only =
                        !strong_possible && !input.mentions_moodle() && !input.may_name_lms();
                    if stores_only && !input.may_hold_token_store() && !input.may_name_service() {
                        continue;
                    }
                    run_keyed_rule(ri, rule, buf, input, stores_only, &mut hits);
                }
            }
        }
        hits
    }

    /// Which rules have a keyword (and, if they need it, a context word) in `buf`, or a
    /// keyed rule's keyword in the file name of `path` of a small input (a file holding only
    /// a value), and which words were seen; `active` is `None` when no rule does, which is
    /// the fast path for nearly every file.
    #[cfg(test)]
    fn active_rules(&self, buf: &[u8], path: &str) -> Option<Vec<bool>> {
        with_lowercase(buf, |lower| {
            let lazy = LazySeen::new(self, lower, path);
            self.prefilter(buf, &lazy, path, false).active
        })
    }

    /// The text of `word`.
    fn word(&self, word: Word) -> &str {
        match word {
            Word::Prefilter(i) => &self.words[i],
            Word::Lazy(i) => &self.lazy_words[i],
        }
    }

    /// The rules to run on `buf` (see `active_rules`), the words seen and, when decoding and
    /// `want_hints`, the reasons to decode: hints (escapes near a rule keyword, encoded
    /// keywords), at most [`views::max_hints`], in offset order.
    fn prefilter(
        &self,
        buf: &[u8],
        lazy: &LazySeen<'_>,
        path: &str,
        want_hints: bool,
    ) -> Prefiltered {
        let n = self.uses.len();
        let mut seen = vec![false; n];
        let mut distinct = 0;
        let lower = lazy.lower;
        if buf.len() <= BARE_VALUE_MAX {
            let name = bare_value_name(buf.len(), path);
            for (p, word) in self.words.iter().enumerate() {
                if name.contains(word.as_str()) && !seen[p] {
                    seen[p] = true;
                    distinct += 1;
                }
            }
        }
        // Leftmost-longest search, restarted one byte after each match start: every
        // occurrence is either found or lies inside a found match (and is implied by it).
        // Much faster than an overlapping search, which cannot use the SIMD prefilter.
        // A match that teaches nothing new (a frequent word such as `token`, seen already)
        // switches the search to an automaton over the words still unseen, so a word that
        // fills a file costs one match, not one restart per occurrence.
        let mut at = 0;
        let mut narrowed: Option<Arc<Narrowed>> = None;
        let want_hints = want_hints && self.decode;
        // Where rule keywords and hint words are (reasons to decode). A narrowed search
        // skips the words it has seen, so these are complete only while it has not narrowed;
        // after that the escapes are looked for the other way round (see below).
        let mut hints: Vec<(usize, Hint)> = Vec::new();
        let mut keywords: Vec<usize> = Vec::new();
        let mut narrowed_once = false;
        let max_hints = views::max_hints(buf.len());
        {
            while distinct < n {
                let input = aho_corasick::Input::new(lower).span(at..buf.len());
                let found = match &narrowed {
                    Some(nw) => nw
                        .automaton
                        .find_in(lower, input.get_span())
                        .map(|m| (m.start(), nw.words[m.pattern().as_usize()])),
                    None => self
                        .prefilter
                        .find(input)
                        .map(|m| (m.start(), m.pattern().as_usize())),
                };
                let Some((found_at, pattern)) = found else {
                    break;
                };
                // The next search starts past where this one matched, whether its word is
                // there or not.
                at = found_at + 1;
                let Some(start) = self.word_start(lower, found_at, pattern) else {
                    continue;
                };
                let u = &self.uses[pattern];
                let mut learned = false;
                for &p in &u.implies {
                    if !seen[p] {
                        seen[p] = true;
                        distinct += 1;
                        learned = true;
                    }
                }
                if want_hints {
                    if u.keyword && keywords.len() < max_hints {
                        keywords.push(start);
                    }
                    if let Some(h) = u.hint.filter(|_| hints.len() < max_hints) {
                        hints.push((start, h));
                    }
                }
                if !learned && distinct < n && buf.len() - at >= NARROW_MIN_REST {
                    if let Some(nw) = self.narrowed_for(&seen) {
                        narrowed = Some(nw);
                        narrowed_once = true;
                    }
                }
            }
            // Past the point where the search narrowed (or stopped, every word seen), the
            // occurrences of seen words were skipped: the hint words are looked for again
            // (each is rare), and escapes are found first and kept when a rule keyword is
            // near, rather than the other way round.
            let complete_to = if narrowed_once || distinct == n {
                at
            } else {
                buf.len()
            };
            if want_hints && complete_to < buf.len() {
                for (p, u) in self.uses.iter().enumerate() {
                    let Some(h) = u.hint.filter(|_| seen[p]) else {
                        continue;
                    };
                    let finder = memchr::memmem::Finder::new(self.words[p].as_bytes());
                    let room = max_hints.saturating_sub(hints.len());
                    let more = finder.find_iter(&lower[complete_to..]).take(room);
                    hints.extend(more.map(|o| (complete_to + o, h)).collect::<Vec<_>>());
                }
                let keyword_near = |s: usize, e: usize| self.has_keyword(&lower[s..e]);
                let room = max_hints.saturating_sub(keywords.len());
                let qp = seen[self.hint_words[HINT_QP]];
                let equals = lazy.presence.holds(views::QP_EQUALS);
                let escapes = views::escapes_past(buf, complete_to, room, qp, equals, keyword_near);
                hints.extend(escapes.into_iter().map(|p| (p, Hint::Escape)));
            }
            // A MIME part's base64 body, a JSON field declared base64 (a HAR's response
            // body): looked for only where `base64` is.
            let base64_seen = seen[self.hint_words[HINT_BASE64]];
            if want_hints && base64_seen {
                let room = max_hints.saturating_sub(hints.len());
                hints.extend(views::mime_hints(lower, room));
                let room = max_hints.saturating_sub(hints.len());
                hints.extend(views::encoded_field_hints(lower, room));
            }
            // A Kubernetes Secret's data values, base64 by definition: the long ones may
            // hold a whole file (an `.env`).
            if want_hints && seen[self.hint_words[HINT_SECRET]] {
                let room = max_hints.saturating_sub(hints.len());
                hints.extend(views::secret_data_hints(buf, room));
            }
            // An iCalendar or vCard input folds its long lines (a URL cut mid-token): read
            // unfolded where any word was seen.
            if want_hints && distinct > 0 {
                hints.extend(views::folded_hint(lower));
                // Hard-wrapped text may cut a value or a keyword in two.
                let room = max_hints.saturating_sub(hints.len());
                hints.extend(views::wrapped_hints(buf, path, room));
            }
        }
        if !keywords.is_empty() {
            let qp = seen[self.hint_words[HINT_QP]];
            let escapes = views::escapes_near(buf, &keywords, qp);
            hints.extend(escapes.into_iter().map(|p| (p, Hint::Escape)));
        }
        hints.sort_unstable_by_key(|&(p, _)| p);
        hints.dedup();
        // Each search stops when its room (the bound less what the others took) is used up.
        let hints_bounded = hints.len() + keywords.len() >= max_hints;
        hints.truncate(max_hints);
        let path_lower = path.to_ascii_lowercase();
        let path_says = |rule: usize| {
            self.path_keywords[rule]
                .iter()
                .any(|k| path_lower.contains(k.as_str()))
        };
        // Other scripts' words for a keyword (`токен`, `رمز`, `टोकन`) may switch a keyed
        // rule on in an input that holds no ASCII keyword at all: only an input that is not
        // all ASCII can hold one (one fast pass, asked only of inputs no word switched on).
        let other_script = std::cell::OnceCell::new();
        let other_script = || *other_script.get_or_init(|| !buf.is_ascii());
        // A rule's late keywords, looked for only where nothing switched the rule on.
        let late = |i: usize| self.late_keywords[i].iter().any(|k| lazy.presence.holds(k));
        let late_only = distinct == 0 && !(0..self.rules.len()).any(path_says) && !other_script();
        if late_only && !(0..self.rules.len()).any(late) {
            return Prefiltered {
                active: None,
                seen,
                decode_hints: hints,
                hints_bounded,
            };
        }
        let mut triggered = vec![false; self.rules.len()];
        for (_, u) in self.uses.iter().enumerate().filter(|(p, _)| seen[*p]) {
            u.triggers.iter().for_each(|&r| triggered[r] = true);
        }
        // Other languages' words switch a keyed rule on in an input that switched some rule
        // on already, or whose path holds one of the rule's keywords (`mail/jeton-moodle.eml`
        // saying only `le jeton du service web : …`), or that is written in another script.
        let any_triggered = triggered.iter().any(|&t| t);
        for (i, words) in self.translated.iter().enumerate() {
            if triggered[i] || words.is_empty() {
                continue;
            }
            let may_switch = any_triggered || path_says(i) || other_script();
            if may_switch && self.holds_translation(i, &seen, lazy) {
                triggered[i] = true;
            }
        }
        for (i, on) in triggered.iter_mut().enumerate() {
            if !*on && late(i) {
                *on = true;
            }
        }
        let active: Vec<bool> = (0..self.rules.len())
            .map(|i| {
                triggered[i]
                    && (self.context[i].is_empty()
                        || self.context[i].iter().any(|&w| lazy.has(self, &seen, w)))
            })
            .collect();
        Prefiltered {
            active: active.iter().any(|&a| a).then_some(active),
            seen,
            decode_hints: hints,
            hints_bounded,
        }
    }

    /// Whether the input holds one of rule `rule`'s translated keywords: a prefilter word
    /// in `seen`, or a lazy one in the input or its lone value's file name (one search).
    fn holds_translation(&self, rule: usize, seen: &[bool], lazy: &LazySeen<'_>) -> bool {
        let seen_word = |w: &Word| matches!(*w, Word::Prefilter(i) if seen[i]);
        self.translated[rule].iter().any(seen_word)
            || (self.translated_finders[rule].as_ref()).is_some_and(|finder| {
                finder.holds(lazy.lower)
                    || (!lazy.name.is_empty() && finder.holds(lazy.name.as_bytes()))
            })
    }

    /// Whether `lower` (lowercased bytes) holds a rule keyword.
    fn has_keyword(&self, lower: &[u8]) -> bool {
        let mut at = 0;
        while let Some(m) = self
            .prefilter
            .find(aho_corasick::Input::new(lower).span(at..lower.len()))
        {
            let pattern = m.pattern().as_usize();
            if self.uses[pattern].keyword && self.word_start(lower, m.start(), pattern).is_some() {
                return true;
            }
            at = m.start() + 1;
        }
        false
    }

    /// Where word `pattern` starts, given that the prefilter's search for it matched at
    /// `found_at` in `lower` (past its skipped first bytes, [`Matcher::anchors`]); `None`
    /// when the whole word is not there.
    fn word_start(&self, lower: &[u8], found_at: usize, pattern: usize) -> Option<usize> {
        let skipped = self.anchors[pattern];
        if skipped == 0 {
            return Some(found_at);
        }
        let start = found_at.checked_sub(skipped)?;
        lower[start..]
            .starts_with(self.words[pattern].as_bytes())
            .then_some(start)
    }

    /// The automaton over the words not in `seen` (built once per set, kept up to
    /// [`NARROWED_KEEP`] sets); `None` when there are more than 64 words.
    fn narrowed_for(&self, seen: &[bool]) -> Option<Arc<Narrowed>> {
        if seen.len() > 64 {
            return None;
        }
        let key = seen
            .iter()
            .enumerate()
            .filter(|(_, &s)| !s)
            .fold(0u64, |k, (i, _)| k | 1 << i);
        if let Some(nw) = self.narrowed.read().ok()?.get(&key) {
            return Some(nw.clone());
        }
        let words: Vec<usize> = (0..seen.len()).filter(|&i| !seen[i]).collect();
        let automaton = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(words.iter().map(|&i| &self.words[i][self.anchors[i]..]))
            .build()?;
        let nw = Arc::new(Narrowed { automaton, words });
        let mut cache = self.narrowed.write().ok()?;
        if cache.len() < NARROWED_KEEP {
            cache.insert(key, nw.clone());
        }
        Some(nw)
    }

    /// Runs the regex rule `rule` (index `ri`) over `buf`; `lower`: `buf` ASCII-lowercased,
    /// when case-blind rules may run over it instead (see `rules::fold`); `windows`: the
    /// byte ranges the rule's matches must lie in (its `window`), or `None` for all of `buf`.
    fn run_rule(
        &self,
        ri: usize,
        rule: &Rule,
        buf: &[u8],
        lower: Option<&[u8]>,
        windows: Option<&[(usize, usize)]>,
        hits: &mut Vec<Hit>,
    ) {
        // A case-blind rule runs over the lowercased copy (same offsets); what it captured
        // is read from the input itself.
        let (regex, haystack) = match lower.and_then(|l| Some((rule.folded()?, l))) {
            Some((folded, lower)) => (folded, lower),
            None => (rule.regex(), buf),
        };
        let whole = [(0, haystack.len())];
        // Each window is searched in place (the bytes before it still decide `^` and `\b`),
        // its end cut off.
        let all_caps = windows.unwrap_or(&whole).iter().flat_map(|&(start, end)| {
            let window = &haystack[..end];
            let mut at = start;
            std::iter::from_fn(move || {
                let caps = regex.captures_at(window, at)?;
                let m = caps.get(0)?;
                at = if m.end() > m.start() {
                    m.end()
                } else {
                    m.end() + 1
                };
                Some(caps)
            })
        });
        for caps in all_caps {
            let Some((group, secret)) = rule
                .secret_groups
                .iter()
                .find_map(|&g| caps.get(g).map(|m| (g, m)))
            else {
                continue;
            };
            if secret.is_empty() {
                continue; // An empty capture is a position, not a secret.
            }
            let (start, end) = (secret.start(), secret.end());
            let secret = &buf[start..end];
            let candidate = Candidate {
                buf,
                match_start: caps.get(0).map_or(start, |m| m.start()),
                secret,
                host: caps.name("host").map(|m| &buf[m.range()]),
            };
            if !rule.spec.validators.iter().all(|v| v.accepts(&candidate)) {
                continue;
            }
            let value = match rule.encoding_of(group) {
                Some(encoding) => encoding.decode(secret),
                None => String::from_utf8_lossy(secret).into_owned(),
            };
            match rule.spec.decoder {
                None => hits.push(Hit {
                    rule: ri,
                    kind: rule.spec.kind,
                    start,
                    end,
                    secret: value,
                }),
                Some(decoder) => {
                    let Some(inner) = decoder.decode(secret) else {
                        continue;
                    };
                    hits.push(Hit {
                        rule: ri,
                        kind: rule.spec.kind,
                        start,
                        end,
                        secret: value,
                    });
                    hits.extend(inner.into_iter().map(|d| Hit {
                        rule: ri,
                        kind: d.kind,
                        start,
                        end,
                        secret: d.secret,
                    }));
                }
            }
        }
    }
}

/// Where each keyword occurs in one input (lowercased), found once per input however many
/// windowed rules share the keyword (`moodle` is three rules'), and not looked for at all
/// when the prefilter saw no occurrence of it.
struct KeywordOccurrences<'a> {
    lower: &'a [u8],
    found: FxHashMap<String, Vec<usize>>,
}

impl<'a> KeywordOccurrences<'a> {
    fn new(lower: &'a [u8]) -> KeywordOccurrences<'a> {
        KeywordOccurrences {
            lower,
            found: FxHashMap::default(),
        }
    }

    /// The occurrences (offset, length) of `keywords` (lowercase; `seen`: whether the
    /// prefilter saw each, `None` when it does not search for it).
    fn of(&mut self, keywords: &[(&str, Option<bool>)]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for &(keyword, seen) in keywords {
            if keyword.is_empty() || seen == Some(false) {
                continue;
            }
            let lower = self.lower;
            let at = self
                .found
                .entry(keyword.to_string())
                .or_insert_with(|| memchr::memmem::find_iter(lower, keyword.as_bytes()).collect());
            out.extend(at.iter().map(|&a| (a, keyword.len())));
        }
        out
    }
}

/// The byte ranges of `lower` (an input, ASCII-lowercased) within a rule's `window`
/// (`[before, after]` bytes) of each of its keywords' `occurrences` (offset and length, in
/// any order: see [`KeywordOccurrences`]), each widened to
/// line boundaries (by at most [`crate::rules::WINDOW_LINE_SLACK`] bytes), sorted and
/// merged where they overlap or meet. With `sections` (a document's heading lines: start
/// offset and level, sorted), each range also stays within its keyword's section: from the
/// last heading at or before it to the line before the next heading of its level or higher.
pub fn keyword_windows(
    lower: &[u8],
    occurrences: &[(usize, usize)],
    window: [usize; 2],
    sections: Option<&[(usize, u8)]>,
) -> Vec<(usize, usize)> {
    let slack = crate::rules::WINDOW_LINE_SLACK;
    let [before, after] = window;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    {
        for &(at, keyword_len) in occurrences {
            let mut start = at.saturating_sub(before);
            let mut end = (at + keyword_len + after).min(lower.len());
            if let Some(headings) = sections {
                // The keyword's section: from its heading to the next heading of the same
                // level or higher (its subsections are part of it).
                let next = headings.partition_point(|&(h, _)| h <= at);
                let own = next.checked_sub(1).map(|i| headings[i]);
                if let Some((heading, _)) = own {
                    start = start.max(heading);
                }
                let level = own.map_or(u8::MAX, |(_, level)| level);
                let following = headings[next..].iter().find(|&&(_, l)| l <= level);
                if let Some(&(heading, _)) = following {
                    end = end.min(heading.saturating_sub(1)).max(start);
                }
            }
            let floor = start.saturating_sub(slack);
            let start =
                memchr::memrchr(b'\n', &lower[floor..start]).map_or(floor, |i| floor + i + 1);
            let ceiling = (end + slack).min(lower.len());
            let end = memchr::memchr(b'\n', &lower[end..ceiling]).map_or(ceiling, |i| end + i);
            ranges.push((start, end));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 + 1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    /// Keyword occurrences are found once per input and skipped for a keyword the
    /// prefilter did not see (it cannot occur), and windows are built from them.
    #[test]
    fn keyword_occurrences_are_shared_and_skip_unseen_keywords() {
        let lower = b"x moodle y\nz moodle webservice/ w\n";
        let mut occurrences = KeywordOccurrences::new(lower);
        let moodle = ("moodle", Some(true));
        let unseen = ("webservice/", Some(false));
        let unknown = ("webservice/", None);
        assert_eq!(occurrences.of(&[moodle]), vec![(2, 6), (13, 6)]);
        assert_eq!(occurrences.of(&[moodle, unseen]), vec![(2, 6), (13, 6)]);
        assert_eq!(occurrences.of(&[unknown]), vec![(20, 11)]);
        assert_eq!(occurrences.found.len(), 2);
        let windows = keyword_windows(lower, &occurrences.of(&[moodle]), [0, 0], None);
        assert_eq!(windows, vec![(0, lower.len() - 1)]);
    }

    /// Words past what the packed searcher takes are searched as ASCII words and words in
    /// other scripts apart, and the split search answers as one general automaton does.
    #[test]
    fn many_words_are_searched_by_script_as_one_automaton_would() {
        let owned: Vec<String> = (0..50)
            .map(|i| format!("word{i}x"))
            .chain((0..30).map(|i| format!("слово{i}")))
            .collect();
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        let search = Search::new(&words).unwrap();
        assert!(matches!(search, Search::Split(..)), "{search:?}");
        let general = AhoCorasick::new(&words).unwrap();
        for text in [
            "a word7x here",
            "и слово29 тут",
            "слово but word49x too",
            "word50x and слово30 are not words",
            "plain ascii",
            "",
        ] {
            assert_eq!(
                search.holds(text.as_bytes()),
                general.is_match(text),
                "{text}"
            );
        }
    }

    /// A gated word search answers as the search alone does: the gate (a shared ASCII stem,
    /// and any byte past ASCII for words in other scripts) never hides a word.
    #[test]
    fn gated_word_search_finds_what_the_search_alone_finds() {
        let words = ["privato", "privé", "prive", "приватный"];
        let search = WordSearch::new(&words).unwrap().unwrap();
        let gate = search.gate.as_ref().expect("the words share `priv`");
        assert_eq!(gate.stem.needle(), b"priv");
        assert!(gate.other_scripts);
        for (text, holds) in [
            ("le jeton privé du service", true),
            ("token privato: x", true),
            ("приватный токен", true),
            ("a private key", false),
            ("no word here", false),
            ("ünïcode without the words", false),
            ("", false),
        ] {
            assert_eq!(search.holds(text.as_bytes()), holds, "{text}");
        }
        // No shared stem of four bytes: no gate, the search alone.
        let search = WordSearch::new(&["chave", "clave", "jeton"])
            .unwrap()
            .unwrap();
        assert!(search.gate.is_none());
        assert!(search.holds(b"la clave es"));
        // One word: a substring search.
        let search = WordSearch::new(&["lms"]).unwrap().unwrap();
        assert!(matches!(search.search, Search::One(_)));
        assert!(search.holds(b"lms_url") && !search.holds(b"url"));
    }

    /// The span index answers as a search of every hit does, on random hits of random
    /// lengths and rules (a small xorshift generator: no dependency for one test).
    #[test]
    fn span_index_answers_as_the_search_of_every_hit_does() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as usize
        };
        for _ in 0..200 {
            let hits: Vec<Hit> = (0..next(40))
                .map(|_| {
                    let start = next(500);
                    Hit {
                        rule: next(3),
                        kind: crate::finding::Kind::Wstoken,
                        start,
                        end: start + 1 + next(60),
                        secret: String::new(),
                    }
                })
                .collect();
            let index = SpanIndex::new(&hits);
            for _ in 0..50 {
                let (rule, start) = (next(3), next(560));
                let end = start + 1 + next(60);
                let every = hits
                    .iter()
                    .any(|h| h.rule == rule && h.start < end && start < h.end);
                assert_eq!(
                    index.overlaps(rule, start, end),
                    every,
                    "{rule} {start}..{end}"
                );
            }
        }
    }

    fn rule(id: &str, keywords: &[&str], context: &[&str]) -> Rule {
        let text = format!(
            "id = {id:?}\ndescription = \"t\"\nkind = \"wstoken\"\nseverity = \"high\"\nkeywords = {keywords:?}\ncontext = {context:?}\nregex = '''(?P<secret>{id})'''\n"
        );
        Rule::from_toml("test", &text).unwrap()
    }

    fn active(m: &Matcher, buf: &str) -> Vec<bool> {
        m.active_rules(buf.as_bytes(), "")
            .unwrap_or_else(|| vec![false; m.rules().len()])
    }

    #[test]
    fn the_builtin_rules_keep_the_prefilter_narrowable() {
        // Narrowing keys its automata by a 64-bit set of unseen words: more words turn it off.
        let m = Matcher::new(crate::rules::builtin().unwrap()).unwrap();
        assert!(m.words.len() <= 64, "{} prefilter words", m.words.len());
    }

    /// The builtin words that start with another word or with `user` are searched from past
    /// it, and the prefilter still sees exactly the words an input holds: on texts made of
    /// the words, their beginnings and their searched rests, in any case, long enough for
    /// the search to narrow.
    #[test]
    fn skipped_leads_lose_no_word() {
        let m = Matcher::new(crate::rules::builtin().unwrap()).unwrap();
        let skips = |w: &str| m.anchors[m.words.iter().position(|x| x == w).unwrap()];
        assert_eq!(skips("tokenpluginfile.php/"), "token".len());
        assert_eq!(skips("user_private_key"), "user".len());
        assert_eq!(skips("token"), 0);
        let mut pieces: Vec<String> = vec![" ".into(), "\n".into(), "x".into(), "user".into()];
        for (w, &a) in m.words.iter().zip(&m.anchors) {
            pieces.push(w.clone());
            pieces.push(w[a..].to_string());
            pieces.push(w[..w.len() / 2].to_string());
        }
        let mut next = crate::testing::xorshift(0x5eed_1234_abcd_ef01);
        for round in 0..300 {
            let mut text = String::new();
            let target = if round % 3 == 0 { 9000 } else { 200 };
            while text.len() < target {
                let piece = &pieces[next() as usize % pieces.len()];
                match next() % 3 {
                    0 => text.push_str(&piece.to_ascii_uppercase()),
                    _ => text.push_str(piece),
                }
                if next().is_multiple_of(4) {
                    text.push(' ');
                }
            }
            let lower = text.to_ascii_lowercase();
            let lazy = LazySeen::new(&m, lower.as_bytes(), "");
            let seen = m.prefilter(text.as_bytes(), &lazy, "", false).seen;
            for (p, w) in m.words.iter().enumerate() {
                assert_eq!(seen[p], lower.contains(w.as_str()), "{w:?} in {text:?}");
            }
        }
    }

    #[test]
    fn keywords_are_case_insensitive_and_found_inside_longer_keywords() {
        let m = Matcher::new(vec![
            rule("a", &["token"], &[]),
            rule("b", &["wstoken"], &[]),
            rule("c", &["tokenpluginfile.php/"], &[]),
        ])
        .unwrap();
        // "token" only occurs inside the longer keyword "WsToken".
        assert_eq!(active(&m, "x WsToken y"), vec![true, true, false]);
        // Partially overlapping keywords: "wstoken" and "tokenpluginfile.php/".
        assert_eq!(active(&m, "wsTOKENpluginfile.php/"), vec![true, true, true]);
        assert_eq!(active(&m, "nothing here"), vec![false, false, false]);
    }

    #[test]
    fn a_frequent_word_narrows_the_search_without_losing_rarer_words() {
        let m = Matcher::new(vec![
            rule("a", &["token"], &[]),
            rule("b", &["wstoken"], &[]),
            rule("c", &["privatetoken"], &[]),
            rule("d", &["absent"], &[]),
        ])
        .unwrap();
        let mut text = "token ".repeat(5000);
        text.push_str("WSTOKEN ");
        text.push_str(&"token ".repeat(5000));
        text.push_str("privateToken");
        assert_eq!(active(&m, &text), vec![true, true, true, false]);
        // Twice: the second pass takes the narrowed automata from the cache.
        assert_eq!(active(&m, &text), vec![true, true, true, false]);
        assert!(!m.narrowed.read().unwrap().is_empty());
    }

    #[test]
    fn context_words_gate_their_rule() {
        let m = Matcher::new(vec![rule("g", &["token"], &["moodle"])]).unwrap();
        assert_eq!(active(&m, "token = x"), vec![false]);
        assert_eq!(active(&m, "MOODLE\ntoken = x"), vec![true]);
    }

    #[test]
    fn late_keywords_switch_their_rule_on_where_no_keyword_did() {
        let mut late = rule("l", &["token"], &[]);
        late.spec.late_keywords = vec!["LMS".into()];
        let m = Matcher::new(vec![late, rule("o", &["other"], &[])]).unwrap();
        // Alone in an input, beside another rule's keyword, and not at all.
        assert_eq!(active(&m, "lms_base=x\nws_key=y"), vec![true, false]);
        assert_eq!(active(&m, "other\nLMS_BASE=x"), vec![true, true]);
        assert_eq!(active(&m, "films = x"), vec![true, false]);
        assert_eq!(active(&m, "ws_key = x"), vec![false, false]);
        assert_eq!(active(&m, "token = x"), vec![true, false]);
    }
}
