//! The name classifier: splits a key's name into words (camelCase, snake_case, kebab-case,
//! dotted and path-like names, glued lowercase compounds) and decides what the name means for
//! one keyed rule: a Moodle credential by itself, a Moodle-ish name that needs Moodle in the
//! file, a generic credential that needs Moodle context nearby, another service's
//! credential, or no credential at all.
//!
//! The words come from `rules/data/names.toml` ([`Vocabulary`]); the phrases from each rule's
//! `[names]` table ([`NameSpec`]).

use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet as HashSet;
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;

const NAMES_TOML: &str = include_str!("../../rules/data/names.toml");

/// Most letters an inflection's ending has ([`Vocabulary::inflected_translation`]).
const INFLECTION_MAX: usize = 3;

/// Fewest letters an inflected word's stem has: shorter translations (`ключ`, key) start too
/// many other words (`ключица`, a collarbone).
const INFLECTED_STEM_MIN: usize = 5;

/// English endings that derive another word from `token` rather than inflect it.
const ENGLISH_DERIVATIONS: [&str; 6] = ["s", "ize", "ise", "ed", "er", "ing"];

/// Glued lowercase chunks longer than this are not split into words (no real name is).
const MAX_GLUED: usize = 48;

/// How many names' words a thread remembers (see [`Vocabulary::words`]); past it the memo
/// starts again, so memory stays bounded on inputs with endless distinct names.
const WORDS_MEMO: usize = 4096;

/// The shared word lists of `rules/data/names.toml` (see the comments there for each list).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    pub vocabulary: HashSet<String>,
    pub not_secret_tail: HashSet<String>,
    pub neutral_tail: HashSet<String>,
    /// Keys that only say which of a credential a value is (`old`, `new`, `current`).
    pub qualifiers: HashSet<String>,
    pub other_services: HashSet<String>,
    /// Words of [`Self::other_services`] that, as an enclosing block's name, say where a
    /// client keeps what it logged in with (`session`): such a block that mentions Moodle
    /// itself holds Moodle credentials.
    pub holders: HashSet<String>,
    /// Words of [`Self::other_services`] that are platforms keeping other applications'
    /// settings (`.travis.yml`, `vault.hcl`): a file named for one is no other service's.
    pub platforms: HashSet<String>,
    pub syntax: HashSet<String>,
    pub value_words: HashSet<String>,
    /// Value-half field names that count only first on their line (`example:`).
    pub field_value_words: HashSet<String>,
    pub name_words: HashSet<String>,
    /// Table columns that hold text: a value in such a cell is named by the cell's own
    /// words before it, not by the column.
    pub prose_columns: HashSet<String>,
    /// Words that end a glued lowercase chunk as a word of their own, whatever is glued
    /// before them (`hubtoken` → hub token): see [`Vocabulary::words`].
    pub glued_tails: Vec<String>,
    /// The words of a short clause before a value that only refers back to the sentence
    /// before it (`new one is …`): see `key::prose_clause`.
    pub referring_words: HashSet<String>,
    /// Words that join a credential word to its owner after it (Portuguese `token do
    /// webservice`, French `jeton du service`): see `key::walk`.
    pub of_words: HashSet<String>,
    pub containers: HashSet<String>,
    /// Host labels of learning platforms' sites (`aula`, `ava`, `campus`): a record of such a
    /// site, a service and a token is a Moodle token's grant.
    pub learning_hosts: HashSet<String>,
    /// Stems a learning platform's host label holds (`moodle`, `lms`, `learn`, `lern`).
    pub learning_host_stems: Vec<String>,
    /// Fields that name the system a record is about (`name`, `service`, `provider`): a
    /// record whose such field names another service is that service's.
    pub system_fields: HashSet<String>,
    pub context: Vec<String>,
    /// Each context word's (or shared stem's) anchor, the end of it the context search
    /// finds first (`rules/data/names.toml`, `context_anchors`; see `context::Signals`).
    #[serde(default)]
    pub context_anchors: FxHashMap<String, String>,
    pub moodle_words: HashSet<String>,
    /// Plural words and their singular (`tokens` → token): a list of tokens is named for
    /// what each element is.
    pub singular: FxHashMap<String, String>,
    /// Other languages' words for the credential, as Moodle's own translations of its token
    /// pages use them (`Schlüssel`, `chave`, `clave`, `clé`, `jeton`) → `token`.
    pub translations: FxHashMap<String, String>,
    /// Abbreviations people write a credential word as in names (`ws_tok`, `apiTkn`) →
    /// the word (`token`).
    pub abbreviations: FxHashMap<String, String>,
    /// Short command-line options and the long option each stands for when the input does
    /// not define it (`t` → `token`).
    pub short_options: FxHashMap<String, String>,
    /// Words that, before the credential word in a sentence, make the value a digest or an
    /// identifier of it (`the md5 of the token:`).
    pub digest_words: HashSet<String>,
    /// Words naming another system only in a credential's own name (`SIS_API_KEY`), not
    /// in the blocks, programs or rows around a value.
    pub own_name_services: HashSet<String>,
    /// Whole names that are another product's parameter for its credential (`token_auth`,
    /// Matomo's), as their words joined by spaces.
    pub other_service_names: HashSet<String>,
    /// Words that, before the credential word in a sentence, say the value is not one
    /// (`# not a Moodle key`, `example token:`).
    pub negations: HashSet<String>,
    /// Words of a keyword argument that passes a call's default (`default_var=`).
    pub default_argument_words: HashSet<String>,
    /// Words that anywhere in a name make its value a stand-in (`FAKE_TOKEN`).
    pub make_believe: HashSet<String>,
    /// Words that in a file's name make its values stand-ins (`fake_tokens.php`).
    pub make_believe_files: HashSet<String>,
    /// Words that in a file's name say it stores digests (`.htdigest`, `SHA256SUMS`): its
    /// values are no credentials.
    pub digest_files: HashSet<String>,
    /// Words of [`Self::make_believe`] that do so only in a name written as one identifier
    /// (`INVALID_TOKEN`), not in words written apart (a log's `invalid token: …`).
    pub make_believe_identifiers: HashSet<String>,
    /// Other learning platforms (`canvas`, `blackboard`): beside one, `lms` names that
    /// platform, not Moodle (`CANVAS_LMS_TOKEN`).
    pub other_lms: HashSet<String>,
    /// Column titles that, beside a token column, say a table stores Moodle tokens.
    pub token_store_columns: TokenStoreColumns,
    /// Column titles of a password manager's export: the entry's title names the value in
    /// its secret column.
    pub secret_table: SecretTable,
}

/// Column titles that say a table stores Moodle tokens (`rules/data/names.toml`,
/// `[token_store_columns]`), each list with Moodle's translations of the title. A column
/// matches a list when its words, joined by spaces, or its last word are on it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenStoreColumns {
    pub token: HashSet<String>,
    pub site: HashSet<String>,
    pub service: HashSet<String>,
    pub user: HashSet<String>,
    /// A token's validity (`Valid until`, `Expires`).
    pub valid: HashSet<String>,
}

/// A password manager's export columns (`rules/data/names.toml`, `[secret_table]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretTable {
    /// The entry's title column (`Title`, `name`).
    pub title: HashSet<String>,
    /// The secret column (`Password`, `login_password`).
    pub secret: HashSet<String>,
}

impl Vocabulary {
    /// The built-in vocabulary. It is embedded and tested, so a parse failure is a build
    /// defect.
    pub fn builtin() -> &'static Vocabulary {
        static V: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
        V.get_or_init(|| toml::from_str(NAMES_TOML).expect("rules/data/names.toml"))
    }

    /// Splits `name` into lowercase words: at every non-alphanumeric character, at camelCase
    /// and letter/digit boundaries (`MoodleWSToken` → moodle ws token, `token2` → token 2), then
    /// glued lowercase chunks into vocabulary words when they split completely
    /// (`moodletoken` → moodle token; `wstoken` stays one word, being a vocabulary word).
    ///
    /// Plurals become singular (`MOODLE_TOKENS` → moodle token) and other languages' words
    /// for a token become `token` (`$chave`, `SCHLUESSEL`, `jeton`); letters outside ASCII
    /// stay part of their word (`Schlüssel`).
    ///
    /// The same names come back for value after value (every `"token":` of a file), so each
    /// thread remembers the words of the last [`WORDS_MEMO`] names it split (keyed by the name
    /// alone: the built-in vocabulary is the only one); shared, hence the `Rc`.
    pub fn words(&self, name: &str) -> Rc<[String]> {
        thread_local! {
            static MEMO: RefCell<FxHashMap<String, Rc<[String]>>> = RefCell::default();
        }
        if name.len() > 64 {
            return self.split_words(name).into(); // a sentence, seldom seen twice
        }
        MEMO.with_borrow_mut(|memo| {
            if let Some(words) = memo.get(name) {
                return words.clone();
            }
            if memo.len() >= WORDS_MEMO {
                memo.clear();
            }
            let words: Rc<[String]> = self.split_words(name).into();
            memo.insert(name.to_string(), words.clone());
            words
        })
    }

    /// [`Vocabulary::words`] without the memo.
    fn split_words(&self, name: &str) -> Vec<String> {
        let mut out = self.raw_words(name);
        for w in &mut out {
            if let Some(t) = self
                .translations
                .get(w.as_str())
                .or(self.singular.get(w.as_str()))
                .or(self.abbreviations.get(w.as_str()))
            {
                *w = t.clone();
            } else if let Some(t) = self.inflected_translation(w) {
                *w = t;
            }
        }
        out
    }

    /// What a word that the translations do not list as written means: its lowercase
    /// form's translation (`Žeton` for `žeton`), or the word `token` that it inflects, a
    /// translation of `token` (or `token` itself) followed by an ending of at most
    /// [`INFLECTION_MAX`] letters after a stem of [`INFLECTED_STEM_MIN`] or more: a case, an
    /// article, a plural (Bulgarian `токенът`, Georgian `ტოკენი`, Azerbaijani and Swahili
    /// `tokeni`, Slovenian `žetona`). English derivations (`tokenize`, `tokened`) are no
    /// inflection of a credential.
    fn inflected_translation(&self, word: &str) -> Option<String> {
        // Words are lowercased as split, but for letters past ASCII in capitals.
        if !word.is_ascii() || word.bytes().any(|b| b.is_ascii_uppercase()) {
            let lower = word.to_lowercase();
            if lower != word {
                if let Some(t) = self.translations.get(lower.as_str()) {
                    return Some(t.clone());
                }
                return self.inflected_token(&lower);
            }
        }
        self.inflected_token(word)
    }

    /// `Some("token")` when `lower` (lowercase) is `token` or a translation of it with an
    /// ending (see [`Vocabulary::inflected_translation`]).
    fn inflected_token(&self, lower: &str) -> Option<String> {
        let mut cuts = lower.char_indices().rev().map(|(i, _)| i);
        for _ in 0..INFLECTION_MAX {
            let (stem, ending) = lower.split_at(cuts.next()?);
            if stem.chars().count() < INFLECTED_STEM_MIN || !ending.chars().all(char::is_alphabetic)
            {
                return None;
            }
            let names_token =
                stem == "token" || self.translations.get(stem).is_some_and(|t| t == "token");
            if names_token && !ENGLISH_DERIVATIONS.contains(&ending) {
                return Some("token".to_string());
            }
        }
        None
    }

    fn raw_words(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let ascii = name.is_ascii();
        // Zero-width joiners and non-joiners stand inside words (Persian writes `چک‌سام`,
        // checksum, with a non-joiner), and so do combining marks (the vowel signs and
        // viramas of Indic scripts: Tamil `டோக்கன்`).
        let parts = name.split(|c: char| match ascii {
            true => !c.is_ascii_alphanumeric(),
            false => {
                !c.is_alphanumeric()
                    && !matches!(c, '\u{200c}' | '\u{200d}')
                    && !unicode_normalization::char::is_combining_mark(c)
            }
        });
        for part in parts {
            if !ascii && !part.is_ascii() {
                self.unspaced_words(part, &mut out);
                continue;
            }
            let chunks = camel_chunks(part);
            let mut i = 0;
            while i < chunks.len() {
                let mut lower = chunks[i].to_ascii_lowercase();
                // `md5`, `sha256`: a digest's name keeps its digits; `ETag`: a word whose
                // capitals split it after its first letter is kept whole.
                let glued = |c: &str| {
                    c.bytes().all(|b| b.is_ascii_digit())
                        || (lower.len() == 1
                            && c.bytes().next().is_some_and(|b| b.is_ascii_uppercase()))
                };
                if let Some(next) = chunks.get(i + 1).filter(|c| glued(c)) {
                    let joined = format!("{lower}{}", next.to_ascii_lowercase());
                    if self.not_secret_tail.contains(&joined) || self.vocabulary.contains(&joined) {
                        lower = joined;
                        i += 1;
                    }
                }
                i += 1;
                match self.segment(&lower) {
                    Some(parts) => out.extend(parts),
                    None => out.push(lower),
                }
            }
        }
        out
    }

    /// The words of `part`, a run of letters that holds non-ASCII ones. Letters of scripts
    /// written without spaces between words (Chinese, Japanese kana, Hangul compounds) are
    /// set apart from the rest (`Web服务令牌` → web, 服务令牌) and split at the words of
    /// [`Vocabulary::translations`] found inside them, the longest first (`服务令牌` → 服务,
    /// 令牌; `アクセストークン` → アクセス, トークン). Any other run stays one word, as
    /// written (`Schlüssel`), lowercased.
    fn unspaced_words(&self, part: &str, out: &mut Vec<String>) {
        let mut rest = part;
        while let Some(c) = rest.chars().next() {
            let unspaced = is_unspaced(c);
            let run_len = rest
                .char_indices()
                .find(|&(_, d)| is_unspaced(d) != unspaced)
                .map_or(rest.len(), |(i, _)| i);
            let (run, after) = rest.split_at(run_len);
            rest = after;
            if !unspaced {
                match run.is_ascii() {
                    true => out.extend(self.raw_words(run)),
                    false => {
                        let lower = run.to_lowercase();
                        match self.glued_tail(&lower) {
                            Some(words) => out.extend(words),
                            None => out.push(lower),
                        }
                    }
                }
                continue;
            }
            let mut start = 0;
            let mut i = 0;
            while i < run.len() {
                let known = self
                    .translations
                    .keys()
                    .filter(|k| k.chars().all(is_unspaced) && run[i..].starts_with(k.as_str()))
                    .max_by_key(|k| k.len());
                match known {
                    Some(k) => {
                        if start < i {
                            out.push(run[start..i].to_string());
                        }
                        out.push(k.clone());
                        i += k.len();
                        start = i;
                    }
                    None => i += run[i..].chars().next().map_or(1, char::len_utf8),
                }
            }
            if start < run.len() {
                out.push(run[start..].to_string());
            }
        }
    }

    /// `chunk` as two or more vocabulary words, when it is not one itself and splits wholly
    /// (longest word first: `moodlewstoken` → moodle wstoken). Dynamic programming over the
    /// chunk's suffixes, so a long glued run (`moodlemoodle…m`) costs O(n²), never
    /// exponential backtracking; chunks over [`MAX_GLUED`] bytes are not split at all.
    fn segment(&self, chunk: &str) -> Option<Vec<String>> {
        let n = chunk.len();
        if !(4..=MAX_GLUED).contains(&n) || self.vocabulary.contains(chunk) {
            return None;
        }
        // whole[i]: chunk[i..] splits wholly into vocabulary words.
        let mut whole = vec![false; n + 1];
        whole[n] = true;
        for i in (0..n).rev() {
            whole[i] = (i + 2..=n).any(|e| whole[e] && self.vocabulary.contains(&chunk[i..e]));
        }
        if !whole[0] {
            return self.glued_tail(chunk);
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let e = (i + 2..=n)
                .rev()
                .find(|&e| whole[e] && self.vocabulary.contains(&chunk[i..e]))?;
            out.push(chunk[i..e].to_string());
            i = e;
        }
        (out.len() > 1).then_some(out)
    }

    /// A credential word ending `chunk` (lowercase) as a word of its own, whatever is glued
    /// before it (`hubtoken`, a plugin's setting → hub token; Swedish `webbtjänsttoken` →
    /// webbtjänst token), unless what is glued is a word that only qualifies (`newtoken`,
    /// `testtoken`: a variable's name).
    fn glued_tail(&self, chunk: &str) -> Option<Vec<String>> {
        self.glued_tails.iter().find_map(|tail| {
            let head = chunk.strip_suffix(tail.as_str())?;
            (head.chars().count() >= 3
                && head.chars().all(char::is_lowercase)
                && !self.neutral_tail.contains(head))
            .then(|| vec![head.to_string(), tail.clone()])
        })
    }

    /// Whether `name` may hold a word [`Vocabulary::words`] translates or expands into a
    /// phrase word (`$chave`, `Schlüssel`, `jeton`, `ws_tok`): a name that fails
    /// [`NameSpec::might_match`] is still worth splitting then.
    pub fn may_translate(&self, name: &str) -> bool {
        static AC: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
            std::sync::OnceLock::new();
        let ac = AC.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(self.translations.keys().chain(self.abbreviations.keys()))
                .ok()
        });
        !name.is_ascii() || ac.as_ref().is_some_and(|a| a.is_match(name))
    }

    /// Whether any word of `words` is a Moodle word.
    pub fn is_moodle(&self, words: &[String]) -> bool {
        let other_lms = || words.iter().any(|w| self.other_lms.contains(w));
        words
            .iter()
            .any(|w| self.moodle_words.contains(w) && (w != "lms" || !other_lms()))
    }

    /// Whether a file named `file_name` (its last path component) is named for another
    /// service (`algolia.js`, `datadog.yaml`, `sentry_config.php`): its stem's words, past
    /// the grouping ones (`config`, `settings`), are all other services' and none is a
    /// platform's or Moodle's.
    pub fn file_names_other_service(&self, file_name: &str) -> bool {
        let stem = file_name
            .split('.')
            .find(|part| !part.is_empty())
            .unwrap_or("");
        let words = self.words(stem);
        let own: Vec<&String> = words
            .iter()
            .filter(|w| !self.containers.contains(*w))
            .collect();
        !own.is_empty()
            && !self.is_moodle(&words)
            && own
                .iter()
                .all(|w| self.other_services.contains(*w) && !self.platforms.contains(*w))
    }

    /// Whether `words` name another service (and no Moodle word).
    pub fn names_other_service(&self, words: &[String]) -> bool {
        !self.is_moodle(words) && words.iter().any(|w| self.other_services.contains(w))
    }

    /// Whether an identifier met while walking to a key is syntax (a type, keyword or
    /// accessor), to be stepped over.
    pub fn is_syntax(&self, ident: &str) -> bool {
        // Lowercased on the stack: this is asked for nearly every value's name.
        let mut lower = [0u8; 32];
        let Some(lower) = lower.get_mut(..ident.len()) else {
            return self.syntax.contains(&ident.to_ascii_lowercase());
        };
        lower.copy_from_slice(ident.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).is_ok_and(|l| self.syntax.contains(l))
    }
}

/// Whether `c` belongs to a script written without spaces between words: CJK ideographs,
/// Japanese kana (full and half width) and Hangul syllables (Korean compounds such as
/// 웹서비스토큰 are written solid).
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
            | 0xFF66..=0xFF9F)
}

/// Splits at camelCase and letter/digit boundaries: `MoodleWSToken2` → Moodle, WS, Token, 2.
fn camel_chunks(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let (p, c) = (b[i - 1], b[i]);
        let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let cut = (p.is_ascii_lowercase() && c.is_ascii_uppercase())
            || (p.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower)
            || (p.is_ascii_digit() != c.is_ascii_digit());
        if cut {
            out.push(&s[start..i]);
            start = i;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A keyed rule's phrases: which names bind a value to the rule, and how much Moodle context
/// each tier needs. A phrase is a space-separated word sequence matched in order (not
/// necessarily adjacent) against a name's words: `"moodle token"` matches `MOODLE_WS_TOKEN`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameSpec {
    /// Names that mean this credential on their own (`wstoken`, `moodle token`).
    #[serde(default)]
    pub strong: Vec<String>,
    /// Names that mean this credential when the input mentions Moodle anywhere (`wsToken`
    /// is also a websocket token; `private token` is also a payment gateway's).
    #[serde(default)]
    pub in_context: Vec<String>,
    /// Generic credential names (`token`, `api key`, `authorization`): they count only with
    /// Moodle context within `context_lines` lines, and not under another service's key.
    #[serde(default)]
    pub generic: Vec<String>,
    /// Names that are this credential only in a record about a Moodle web service: the
    /// value's block names Moodle and a web-service endpoint (`webservice/`, `wsfunction`)
    /// in its own lines, as an Airflow or Grafana connection does whose `password` field
    /// holds the token.
    #[serde(default)]
    pub in_service_record: Vec<String>,
    /// Names that are this credential in such a record only when they are the whole name: a
    /// probe's `key:` beside its endpoint's `url:`, where `cache_key` or `license_key` in the
    /// same record are other keys.
    #[serde(default)]
    pub bare_in_service_record: Vec<String>,
    /// How near (in lines, either side) Moodle context must be for a generic name.
    #[serde(default = "default_context_lines")]
    pub context_lines: u32,
    /// When set, the rule only claims values in these SQL/COPY tables (matched as a suffix
    /// of the table name, so any Moodle table prefix works): `["external_tokens"]`.
    #[serde(default)]
    pub tables: Vec<String>,
    /// The phrases' words as one case-insensitive automaton, for [`NameSpec::might_match`]
    /// (built on first use).
    #[serde(skip)]
    phrase_words: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// This spec's key in the per-thread memo of verdicts on names ([`NameSpec::class_of`]).
    #[serde(skip)]
    memo_id: MemoId,
}

/// A key that tells one [`NameSpec`] from every other in the per-thread memo of verdicts:
/// each spec made, cloned or defaulted gets a new one, so two specs never share answers.
#[derive(Debug)]
struct MemoId(u64);

impl MemoId {
    fn next() -> MemoId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        MemoId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Default for MemoId {
    fn default() -> MemoId {
        MemoId::next()
    }
}

impl Clone for MemoId {
    fn clone(&self) -> MemoId {
        MemoId::next()
    }
}

/// What one spec said of one name: whether it may match ([`NameSpec::might_name`]) and
/// its class ([`NameSpec::class_of`]), each once asked.
#[derive(Debug, Clone, Copy, Default)]
struct Verdict {
    might: Option<bool>,
    class: Option<NameClass>,
}

/// How many names the per-thread memo of verdicts holds for one spec before it starts
/// again (a bound on memory over a scan of many files).
const VERDICTS_MEMO: usize = 8192;

/// How many specs the per-thread memo of verdicts holds names for before it starts again
/// (the built-in rules have three keyed ones).
const VERDICT_SPECS: usize = 64;

thread_local! {
    /// Verdicts on names by spec ([`MemoId`]) and name: a scan meets the same names (`token`,
    /// `api_key`, `checksum`) in file after file, and each costs automaton searches and set
    /// lookups per word.
    static VERDICTS: RefCell<FxHashMap<u64, FxHashMap<String, Verdict>>> = RefCell::default();
}

fn default_context_lines() -> u32 {
    40
}

/// What a name means for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameClass {
    /// Metadata or a digest (`token_hash`, `contenthash`, `backupid`): never a credential.
    NotSecret,
    /// Another service's credential (`DD_API_KEY`).
    Other,
    /// Nothing this rule knows.
    Unknown,
    /// A name that is the credential only in a Moodle web-service record (see
    /// [`NameSpec::in_service_record`]).
    InServiceRecord,
    /// A generic credential name: needs Moodle context nearby.
    Generic,
    /// A Moodle-ish name: needs Moodle somewhere in the input.
    InContext,
    /// Means this credential by itself.
    Strong,
}

impl NameSpec {
    /// Whether `name` could match a phrase of this rule at all: it holds one of the phrases'
    /// words as a substring (case-insensitively). Names that cannot are left out before they
    /// are split, which is most of the names near md5 sums and hashes.
    pub fn might_match(&self, name: &str) -> bool {
        let automaton = self.phrase_words.get_or_init(|| {
            let words: Vec<&str> = self
                .strong
                .iter()
                .chain(&self.in_context)
                .chain(&self.generic)
                .chain(&self.in_service_record)
                .chain(&self.bare_in_service_record)
                .flat_map(|p| p.split_whitespace())
                .collect();
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .ok()
        });
        automaton.as_ref().is_some_and(|a| a.is_match(name))
    }

    /// The verdict of this spec on `name` kept in the memo, computed by `fill` (which sets
    /// the part asked) when that part is not known yet.
    fn verdict<T>(
        &self,
        name: &str,
        get: impl Fn(&Verdict) -> Option<T>,
        fill: impl FnOnce(&mut Verdict) -> T,
    ) -> T {
        if name.len() > 64 {
            // A sentence, seldom seen twice: not kept.
            return fill(&mut Verdict::default());
        }
        let known = VERDICTS.with_borrow(|memo| {
            memo.get(&self.memo_id.0)
                .and_then(|names| names.get(name))
                .and_then(&get)
        });
        if let Some(known) = known {
            return known;
        }
        VERDICTS.with_borrow_mut(|memo| {
            // Specs made and dropped (a matcher per audited repository) leave their memos
            // behind: the memo of specs is bounded too.
            if memo.len() >= VERDICT_SPECS && !memo.contains_key(&self.memo_id.0) {
                memo.clear();
            }
            let names = memo.entry(self.memo_id.0).or_default();
            if names.len() >= VERDICTS_MEMO {
                names.clear();
            }
            let verdict = names.entry(name.to_string()).or_default();
            fill(verdict)
        })
    }

    /// Whether `name` may name this rule's credential at all: a word of a phrase occurs in
    /// it ([`NameSpec::might_match`]), or a word that translates to one may
    /// ([`Vocabulary::may_translate`]). Remembered per thread.
    pub fn might_name(&self, v: &Vocabulary, name: &str) -> bool {
        self.verdict(
            name,
            |known| known.might,
            |verdict| {
                let might = self.might_match(name) || v.may_translate(name);
                verdict.might = Some(might);
                might
            },
        )
    }

    /// [`NameSpec::classify`] of `name`'s words ([`Vocabulary::words`]), remembered per
    /// thread.
    pub fn class_of(&self, v: &Vocabulary, name: &str) -> NameClass {
        self.verdict(
            name,
            |known| known.class,
            |verdict| {
                let mut class = self.classify(v, &v.words(name));
                // `invalid token` written apart reports a real value's status: classified
                // without the identifier-only stand-in words.
                if class == NameClass::NotSecret && name.contains(' ') {
                    let words: Vec<String> = v
                        .words(name)
                        .iter()
                        .filter(|w| !v.make_believe_identifiers.contains(w.as_str()))
                        .cloned()
                        .collect();
                    class = self.classify(v, &words);
                }
                verdict.class = Some(class);
                class
            },
        )
    }

    /// Classifies the words of a name for this rule.
    pub fn classify(&self, v: &Vocabulary, words: &[String]) -> NameClass {
        if words.is_empty() {
            return NameClass::Unknown;
        }
        let own_name_service =
            || !v.is_moodle(words) && words.iter().any(|w| v.own_name_services.contains(w));
        if v.names_other_service(words)
            || own_name_service()
            || v.other_service_names.contains(&words.join(" "))
        {
            return NameClass::Other;
        }
        let mut end = words.len();
        while end > 1 && is_neutral(v, &words[end - 1]) {
            end -= 1;
        }
        let core = &words[..end];
        // `token_hash`, and `md5_token`, `hashed_token`: a digest anywhere in the name; and
        // `FAKE_TOKEN`: a stand-in.
        if v.not_secret_tail.contains(&core[end - 1])
            || core
                .iter()
                .any(|w| v.digest_words.contains(w) || v.make_believe.contains(w))
        {
            return NameClass::NotSecret;
        }
        let has = |phrases: &[String]| phrases.iter().any(|p| phrase_in(p, core));
        if has(&self.strong) {
            NameClass::Strong
        } else if has(&self.in_context) {
            NameClass::InContext
        } else if has(&self.generic) {
            NameClass::Generic
        } else if has(&self.in_service_record)
            || (self.bare_in_service_record.iter())
                .any(|p| p.split_whitespace().eq(core.iter().map(String::as_str)))
        {
            NameClass::InServiceRecord
        } else {
            NameClass::Unknown
        }
    }
}

impl NameSpec {
    /// Classifies a sentence that introduces a value (`here is the token for the new sync
    /// service user:`, `Le jeton du service web est le suivant :`, a trailing comment
    /// `// token de acesso ao webservice`) by its first credential phrase: the words before
    /// it are the sentence's own (`here is the`), except a digest word (`the md5 of the
    /// token:`), which makes the value that digest; a not-a-secret word right after it
    /// (`the token id is`) does the same; another service's name near it makes it theirs.
    pub fn classify_prose(&self, v: &Vocabulary, words: &[String]) -> NameClass {
        let phrase_ends =
            |phrases: &[String]| phrases.iter().filter_map(|p| phrase_end(p, words)).min();
        let tiers = [
            (phrase_ends(&self.strong), NameClass::Strong),
            (phrase_ends(&self.in_context), NameClass::InContext),
            (phrase_ends(&self.generic), NameClass::Generic),
        ];
        // The earliest phrase end decides; at the same word, the stronger tier.
        let Some((end, class)) = tiers
            .iter()
            .filter_map(|&(e, c)| e.map(|e| (e, c)))
            .min_by_key(|&(e, c)| (e, std::cmp::Reverse(c)))
        else {
            return NameClass::Unknown;
        };
        if words[..end]
            .iter()
            .any(|w| v.digest_words.contains(w) || v.negations.contains(w))
        {
            return NameClass::NotSecret;
        }
        let next = words[end + 1..].iter().find(|w| !is_neutral(v, w));
        if next.is_some_and(|w| v.digest_words.contains(w)) {
            return NameClass::NotSecret;
        }
        // The word right before the value names it when it names an identifier (`error:
        // invalidtoken, request id <value>`, `traza <value>`): the credential word is
        // further back.
        if end + 1 < words.len() && words.last().is_some_and(|w| v.digest_words.contains(w)) {
            return NameClass::NotSecret;
        }
        let near = &words[end.saturating_sub(3)..(end + 3).min(words.len())];
        if v.names_other_service(near) {
            return NameClass::Other;
        }
        class
    }
}

/// The index of the word that completes `phrase` (its words in order) in `words`.
fn phrase_end(phrase: &str, words: &[String]) -> Option<usize> {
    let mut at = 0;
    let mut last = None;
    for p in phrase.split_whitespace() {
        let i = words[at..].iter().position(|w| w == p)? + at;
        last = Some(i);
        at = i + 1;
    }
    last
}

fn is_neutral(v: &Vocabulary, w: &str) -> bool {
    v.neutral_tail.contains(w) || w.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the words of `phrase` occur in `words` in order.
fn phrase_in(phrase: &str, words: &[String]) -> bool {
    let mut it = words.iter();
    phrase
        .split_whitespace()
        .all(|p| it.by_ref().any(|w| w == p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An inflected token word means `token`; an English derivation of it, or another word
    /// that merely starts like it, does not.
    #[test]
    fn inflected_token_words_mean_token() {
        let v = super::Vocabulary::builtin();
        for word in [
            "Токенът",
            "токенът",
            "ტოკენი",
            "tokeni",
            "Tokeni",
            "žetona",
            "Žeton",
        ] {
            assert_eq!(
                v.inflected_translation(word).as_deref(),
                Some("token"),
                "{word}"
            );
        }
        for word in [
            "tokenize",
            "tokenizer",
            "tokened",
            "tokens",
            "toke",
            "ключица",
            "jetonnage",
        ] {
            assert_eq!(v.inflected_translation(word), None, "{word}");
        }
    }

    fn spec() -> NameSpec {
        NameSpec {
            strong: vec!["wstoken".into(), "moodle token".into(), "moodle key".into()],
            in_context: vec!["ws token".into()],
            generic: vec!["token".into(), "api key".into()],
            context_lines: 40,
            tables: Vec::new(),
            ..NameSpec::default()
        }
    }

    fn class(name: &str) -> NameClass {
        let v = Vocabulary::builtin();
        spec().classify(v, &v.words(name))
    }

    #[test]
    fn splits_every_naming_style() {
        let v = Vocabulary::builtin();
        assert_eq!(*v.words("MoodleWSToken"), ["moodle", "ws", "token"]);
        assert_eq!(
            *v.words("moodle_sync_wstoken"),
            ["moodle", "sync", "wstoken"]
        );
        assert_eq!(*v.words("ApiWsToken"), ["api", "ws", "token"]);
        assert_eq!(*v.words("moodletoken"), ["moodle", "token"]);
        assert_eq!(
            *v.words("/lms/prod/moodle/wstoken"),
            ["lms", "prod", "moodle", "wstoken"]
        );
        assert_eq!(*v.words("private-token"), ["private", "token"]);
        assert_eq!(*v.words("token2"), ["token", "2"]);
        assert_eq!(*v.words("token_md5"), ["token", "md5"]);
        // A long glued run is split in O(n^2) at worst, not by exponential backtracking.
        let long = format!("{}m", "moodle".repeat(8));
        assert_eq!(*v.words(&long), [long.as_str()]);
    }

    #[test]
    fn plurals_and_other_languages_name_the_token() {
        let v = Vocabulary::builtin();
        assert_eq!(*v.words("MOODLE_TOKENS"), ["moodle", "token"]);
        assert_eq!(*v.words("$chave"), ["token"]);
        assert_eq!(*v.words("Schlüssel"), ["token"]);
        assert_eq!(class("moodle_tokens"), NameClass::Strong);
        assert_eq!(class("token_auth"), NameClass::Other, "Matomo's parameter");
    }

    #[test]
    fn remembered_words_are_the_words() {
        let v = Vocabulary::builtin();
        let first = v.words("moodle_sync_wstoken");
        // Past the memo's bound it starts again, and answers stay the same.
        for i in 0..super::WORDS_MEMO + 10 {
            v.words(&format!("name{i}Token"));
        }
        assert_eq!(v.words("moodle_sync_wstoken"), first);
        assert_eq!(*v.words("name7Token"), ["name", "7", "token"]);
    }

    #[test]
    fn words_inside_unspaced_scripts_are_found() {
        let v = Vocabulary::builtin();
        assert_eq!(*v.words("Web服务令牌"), ["web", "服务", "token"]);
        assert_eq!(*v.words("访问令牌"), ["访问", "token"]);
        assert_eq!(*v.words("プライベートトークン"), ["privatetoken"]);
        assert_eq!(*v.words("웹서비스토큰"), ["웹서비스", "token"]);
        // Scripts written with spaces keep their words whole: no `ключ` inside `ключевой`.
        assert_eq!(*v.words("ключевой"), ["ключевой"]);
        assert_eq!(*v.words("Schlüssel_neu"), ["token", "neu"]);
    }

    #[test]
    fn sentences_are_read_by_their_first_credential_phrase() {
        let v = Vocabulary::builtin();
        let prose = |s: &str| spec().classify_prose(v, &v.words(s));
        assert_eq!(
            prose("here is the token for the new sync service user"),
            NameClass::Generic
        );
        assert_eq!(
            prose("moodle ws token (svc_gradeexport)"),
            NameClass::Strong
        );
        assert_eq!(
            prose("Le jeton du service web est le suivant"),
            NameClass::Generic
        );
        assert_eq!(
            prose("the md5 of the token for the sync user"),
            NameClass::NotSecret
        );
        assert_eq!(prose("the token id is"), NameClass::NotSecret);
        assert_eq!(prose("not a Moodle key"), NameClass::NotSecret);
        assert_eq!(prose("see the attached file"), NameClass::Unknown);
    }

    #[test]
    fn classifies_names() {
        assert_eq!(class("wstoken"), NameClass::Strong);
        assert_eq!(class("MOODLE_WS_TOKEN"), NameClass::Strong);
        assert_eq!(class("moodle_token_prod"), NameClass::Strong);
        assert_eq!(class("wsToken"), NameClass::InContext);
        assert_eq!(class("setToken"), NameClass::Generic);
        assert_eq!(class("ACCESS_TOKEN"), NameClass::Generic);
        assert_eq!(class("DD_API_KEY"), NameClass::Other);
        assert_eq!(class("ALGOLIA_SEARCH_API_KEY"), NameClass::Other);
        assert_eq!(class("token_hash"), NameClass::NotSecret);
        assert_eq!(class("contenthash"), NameClass::NotSecret);
        assert_eq!(class("checksum"), NameClass::NotSecret);
        assert_eq!(class("svc_sync"), NameClass::Unknown);
    }
}
