//! One pass over a byte buffer: keyword prefilter, then only the regexes of rules whose
//! keywords (and context words) occur, then validators and decoders.
//!
//! The matcher knows nothing about files, lines or outputs; it returns [`Hit`]s (byte spans and
//! values), which [`crate::scan`] turns into findings. Keeping it that small is what lets the
//! same code serve files, git blobs, staged blobs and stdin.

use crate::finding::Kind;
use crate::rules::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{Context, Result};

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

/// What a prefilter pattern means for the rules.
#[derive(Debug, Clone, Default)]
struct PatternUse {
    /// Rules that this keyword switches on.
    triggers: Vec<usize>,
    /// Rules for which this word is context.
    context_for: Vec<usize>,
}

/// All rules compiled into one prefilter automaton plus their regexes.
#[derive(Debug)]
pub struct Matcher {
    rules: Vec<Rule>,
    prefilter: AhoCorasick,
    uses: Vec<PatternUse>,
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
            for c in rule.spec.context.iter().filter(|c| !c.is_empty()) {
                let i = slot(c, &mut words, &mut uses);
                uses[i].context_for.push(ri);
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .context("cannot build the keyword prefilter")?;
        Ok(Matcher {
            rules,
            prefilter,
            uses,
        })
    }

    /// The rules, in the order hits refer to them.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every hit in `buf`, in no particular order.
    pub fn find(&self, buf: &[u8]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let Some(active) = self.active_rules(buf) else {
            return hits;
        };
        for (ri, rule) in self.rules.iter().enumerate() {
            if active[ri] {
                self.run_rule(ri, rule, buf, &mut hits);
            }
        }
        hits
    }

    /// Which rules have a keyword (and, if they need it, a context word) in `buf`; `None`
    /// when no rule does, which is the fast path for nearly every file.
    fn active_rules(&self, buf: &[u8]) -> Option<Vec<bool>> {
        let n = self.uses.len();
        let mut seen = vec![false; n];
        let mut distinct = 0;
        for m in self.prefilter.find_overlapping_iter(buf) {
            let p = m.pattern().as_usize();
            if !seen[p] {
                seen[p] = true;
                distinct += 1;
                if distinct == n {
                    break;
                }
            }
        }
        if distinct == 0 {
            return None;
        }
        let mut triggered = vec![false; self.rules.len()];
        let mut has_context = vec![false; self.rules.len()];
        for (_, u) in self.uses.iter().enumerate().filter(|(p, _)| seen[*p]) {
            u.triggers.iter().for_each(|&r| triggered[r] = true);
            u.context_for.iter().for_each(|&r| has_context[r] = true);
        }
        let active: Vec<bool> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| triggered[i] && (r.spec.context.is_empty() || has_context[i]))
            .collect();
        active.iter().any(|&a| a).then_some(active)
    }

    fn run_rule(&self, ri: usize, rule: &Rule, buf: &[u8], hits: &mut Vec<Hit>) {
        for caps in rule.regex.captures_iter(buf) {
            let Some(secret) = caps.name("secret") else {
                continue;
            };
            let host = caps.name("host").map(|m| m.as_bytes());
            if !rule
                .spec
                .validators
                .iter()
                .all(|v| v.accepts(secret.as_bytes(), host))
            {
                continue;
            }
            let (start, end) = (secret.start(), secret.end());
            let value = String::from_utf8_lossy(secret.as_bytes()).into_owned();
            match rule.spec.decoder {
                None => hits.push(Hit {
                    rule: ri,
                    kind: rule.spec.kind,
                    start,
                    end,
                    secret: value,
                }),
                Some(decoder) => {
                    let Some(inner) = decoder.decode(secret.as_bytes()) else {
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
