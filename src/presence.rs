//! Which of a few fixed words an input holds, answered for all of them by one pass.
//!
//! Detection asks some yes-or-no questions of every input it binds values in: does it say
//! `insert` or `stdin` (may it hold SQL rows?), `tokens` (may a map be named for tokens?),
//! a rule's late keyword (`lms`), quoted-printable's `=3D`? Asked one at a time, each
//! question that the input answers "no" (the common answer) is a substring search through
//! the whole input. A [`WordSet`] holds the words every input is asked about, and a
//! [`Presence`] answers them for one input at the first question, with one SIMD (Teddy)
//! search for all the words at once that drops each word once found.

use rustc_hash::FxHashMap;
use std::cell::Cell;
use std::sync::{Arc, RwLock};

/// The most words a [`WordSet`] holds: the words found are a bit set in a `u64`.
pub const MAX_WORDS: usize = 64;

/// Words asked of every input, lowercase, with the searches for any subset of them that is
/// still unseen (built the first time an input needs that subset, then shared by the
/// scanning threads).
#[derive(Debug)]
pub struct WordSet {
    words: Vec<String>,
    /// For each word, the bit set of the words it holds (itself included): finding
    /// `tokens` also finds `token`, were both asked.
    implies: Vec<u64>,
    searches: RwLock<FxHashMap<u64, Arc<Search>>>,
}

/// The search for one subset of a [`WordSet`]'s words: `memchr`'s substring search for a
/// single word, else aho-corasick's packed (Teddy) searcher. The set's indexes of the
/// words, in the searcher's pattern order.
#[derive(Debug)]
enum Search {
    One(memchr::memmem::Finder<'static>, usize),
    Packed(aho_corasick::packed::Searcher, Vec<usize>),
}

impl WordSet {
    /// The set of `words`, lowercased, without empty words and repeats; at most
    /// [`MAX_WORDS`] (the rest are dropped, and [`Presence::holds`] searches for them
    /// one by one).
    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> WordSet {
        let mut kept: Vec<String> = Vec::new();
        for word in words {
            let word = word.to_ascii_lowercase();
            if !word.is_empty() && !kept.contains(&word) && kept.len() < MAX_WORDS {
                kept.push(word);
            }
        }
        let implies = kept
            .iter()
            .map(|w| {
                (kept.iter().enumerate())
                    .filter(|(_, other)| w.contains(other.as_str()))
                    .fold(0u64, |bits, (j, _)| bits | 1 << j)
            })
            .collect();
        WordSet {
            words: kept,
            implies,
            searches: RwLock::new(FxHashMap::default()),
        }
    }

    /// The index of `word` (lowercase) in the set.
    fn index(&self, word: &str) -> Option<usize> {
        self.words.iter().position(|w| w == word)
    }

    /// The bit set of every word in the set.
    fn all(&self) -> u64 {
        match self.words.len() {
            MAX_WORDS => u64::MAX,
            n => (1u64 << n) - 1,
        }
    }

    /// The bit set of the words `lower` (ASCII-lowercased text) holds. One pass: each
    /// search looks for the words still unseen and stops at the first; the next resumes
    /// one byte past it without the words found, and none runs once all are found.
    pub fn found_in(&self, lower: &[u8]) -> u64 {
        let all = self.all();
        let mut found = 0u64;
        let mut at = 0;
        while found != all && at < lower.len() {
            let Some(search) = self.search_for(all & !found) else {
                // No searcher could be built: each word on its own.
                for (i, w) in self.words.iter().enumerate() {
                    if memchr::memmem::find(&lower[at..], w.as_bytes()).is_some() {
                        found |= self.implies[i];
                    }
                }
                break;
            };
            let hit = match &*search {
                Search::One(finder, i) => finder.find(&lower[at..]).map(|o| (at + o, *i)),
                Search::Packed(searcher, words) => {
                    let span = aho_corasick::Span::from(at..lower.len());
                    (searcher.find_in(lower, span)).map(|m| (m.start(), words[m.pattern()]))
                }
            };
            let Some((start, i)) = hit else {
                break;
            };
            found |= self.implies[i];
            at = start + 1;
        }
        found
    }

    /// The search for the words in `unseen` (a non-empty bit set), built once.
    fn search_for(&self, unseen: u64) -> Option<Arc<Search>> {
        if let Some(search) = self.searches.read().ok()?.get(&unseen) {
            return Some(search.clone());
        }
        let words: Vec<usize> = (0..self.words.len())
            .filter(|&i| unseen & 1 << i != 0)
            .collect();
        let search = Arc::new(match words[..] {
            [i] => Search::One(
                memchr::memmem::Finder::new(self.words[i].as_bytes()).into_owned(),
                i,
            ),
            _ => {
                let searcher = aho_corasick::packed::Config::new()
                    .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
                    .builder()
                    .extend(words.iter().map(|&i| &self.words[i]))
                    .build()?;
                Search::Packed(searcher, words)
            }
        });
        self.searches.write().ok()?.insert(unseen, search.clone());
        Some(search)
    }
}

/// The answers of a [`WordSet`] for one input: searched at the first question, for every
/// word of the set at once.
#[derive(Debug)]
pub struct Presence<'a> {
    set: &'a WordSet,
    lower: &'a [u8],
    found: Cell<Option<u64>>,
}

impl<'a> Presence<'a> {
    /// The answers for the input `lower` (ASCII-lowercased); nothing is searched yet.
    pub fn new(set: &'a WordSet, lower: &'a [u8]) -> Presence<'a> {
        Presence {
            set,
            lower,
            found: Cell::new(None),
        }
    }

    /// Whether the input holds `word` (lowercase). A word of the set is answered from the
    /// one pass (made now if it has not been); any other is searched for on its own.
    pub fn holds(&self, word: &str) -> bool {
        let Some(i) = self.set.index(word) else {
            return memchr::memmem::find(self.lower, word.as_bytes()).is_some();
        };
        let found = match self.found.get() {
            Some(found) => found,
            None => {
                let found = self.set.found_in(self.lower);
                self.found.set(Some(found));
                found
            }
        };
        found & 1 << i != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one pass answers as a search for each word would, whatever the order and
    /// frequency of the words (a word found early is dropped; words inside others).
    #[test]
    fn one_pass_answers_as_each_search_would() {
        let set = WordSet::new(["insert", "stdin", "tokens", "token", "lms", "=3d"]);
        let texts: [&[u8]; 7] = [
            b"",
            b"nothing here",
            b"insert into t values (1); -- stdin",
            b"token token token tokens",
            b"lms=3d lms tokenstdin",
            b"ins ert std in toke ns l ms =3",
            b"=3d",
        ];
        for text in texts {
            let presence = Presence::new(&set, text);
            for word in ["insert", "stdin", "tokens", "token", "lms", "=3d", "values"] {
                let expected = memchr::memmem::find(text, word.as_bytes()).is_some();
                assert_eq!(
                    presence.holds(word),
                    expected,
                    "{word} in {:?}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    /// Every subset's search is built once and kept: a second input asks no new build.
    #[test]
    fn searches_are_built_once_per_subset() {
        let set = WordSet::new(["alpha", "bravo", "charlie"]);
        assert_eq!(set.found_in(b"bravo alpha"), 0b011);
        let built = set.searches.read().unwrap().len();
        assert_eq!(set.found_in(b"bravo alpha"), 0b011);
        assert_eq!(set.searches.read().unwrap().len(), built);
    }
}
