//! A secret found once in an input is leaked wherever that input writes it, and is one
//! kind of secret throughout it.
//!
//! Code often writes a value twice: a test keeps a user key in a variable (`key = "<hex>"`)
//! and spells the URL it expects with the same key in it (`…/tokenpluginfile.php/<hex>/…`);
//! a runbook gives the token and then the command that uses it. The rule that recognises one
//! occurrence by its structure (the URL) says what the value is; the other occurrence may be
//! bound to a name that says less (`key`), or that another rule reads as a different kind
//! (`accessKey` as a web-service token). Every occurrence is a place to clean up, so every
//! occurrence is reported, with the kind of the highest-priority rule that found the value.
//!
//! Only random token shapes spread ([`spreads`]): a password may be a word the input writes
//! elsewhere for other reasons. A value found where the caller says it is vouched for (the
//! inline allow marker on its line) does not spread: the marker vouches for the value, not
//! only for its line.

use crate::finding::Kind;
use crate::keyed;
use crate::matcher::Hit;
use crate::rules::Rule;
use rustc_hash::{FxHashMap, FxHashSet};

/// The shortest secret that spreads: Moodle's tokens and keys are 32 hex digits or more.
const MIN_SPREAD_LEN: usize = 32;

/// Whether a hit's value is a random token that may be looked for elsewhere in its input:
/// a web-service token, private token or user key of at least [`MIN_SPREAD_LEN`] ASCII
/// letters and digits, from a rule whose value is a secret (not a hygiene note).
fn spreads(hit: &Hit, rules: &[Rule]) -> bool {
    matches!(hit.kind, Kind::Wstoken | Kind::Privatetoken | Kind::Userkey)
        && rules[hit.rule].spec.redact
        && hit.secret.len() >= MIN_SPREAD_LEN
        && hit.secret.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Makes `hits` (of the rules `rules` over `buf`) say every secret the same way: for each
/// value that [`spreads`] and is not found at an offset `vouched` (by the inline allow marker
/// on its line), the hit of the highest-priority rule (the first of equals) gives the kind;
/// the value's hits of another kind are dropped, and each occurrence of the value in `buf` as
/// a whole word (a maximal run of ASCII letters and digits) that no hit of that kind covers
/// becomes a hit of that rule. Hits of other values are left as they are. One pass over
/// `buf`, whatever the number of values (a dump may hold thousands).
pub fn spread(buf: &[u8], hits: &mut Vec<Hit>, rules: &[Rule], vouched: impl Fn(usize) -> bool) {
    let mut best: FxHashMap<&str, usize> = FxHashMap::default();
    let mut vouched_values: FxHashSet<&str> = FxHashSet::default();
    for (i, hit) in hits.iter().enumerate() {
        if !spreads(hit, rules) {
            continue;
        }
        if vouched(hit.start) {
            vouched_values.insert(hit.secret.as_str());
            continue;
        }
        best.entry(hit.secret.as_str())
            .and_modify(|b| {
                if rules[hit.rule].spec.priority > rules[hits[*b].rule].spec.priority {
                    *b = i;
                }
            })
            .or_insert(i);
    }
    best.retain(|secret, _| !vouched_values.contains(secret));
    if best.is_empty() {
        return;
    }
    // Each value with the rule and kind that speak for it, and the value's index by its bytes.
    let authorities: Vec<(usize, Kind, String)> = best
        .values()
        .map(|&i| (hits[i].rule, hits[i].kind, hits[i].secret.clone()))
        .collect();
    let which: FxHashMap<&[u8], usize> = authorities
        .iter()
        .enumerate()
        .map(|(i, (_, _, secret))| (secret.as_bytes(), i))
        .collect();
    let kind_of = |secret: &str| which.get(secret.as_bytes()).map(|&i| authorities[i].1);
    hits.retain(|h| !spreads(h, rules) || kind_of(&h.secret) == Some(h.kind));
    // Where each value is reported already (by a hit of its kind).
    let mut covered: FxHashMap<usize, Vec<(usize, usize)>> = FxHashMap::default();
    for h in hits.iter() {
        if let Some(&i) = which.get(h.secret.as_bytes()) {
            if authorities[i].1 == h.kind {
                covered.entry(i).or_default().push((h.start, h.end));
            }
        }
    }
    let mut added = Vec::new();
    for (i, at) in occurrences(buf, &authorities, &which) {
        let (rule, kind, secret) = &authorities[i];
        let reported = covered
            .get(&i)
            .is_some_and(|spans| spans.iter().any(|&(s, e)| s <= at && at < e));
        if !reported {
            added.push(Hit {
                rule: *rule,
                kind: *kind,
                start: at,
                end: at + secret.len(),
                secret: secret.clone(),
            });
        }
    }
    hits.extend(added);
}

/// The values that rule an input that most often names one or two of them are looked for by
/// substring search up to this many; more are looked up run by run.
const MAX_SEARCHED_VALUES: usize = 8;

/// Every occurrence, in `buf` order, of the `authorities`' values as a whole word (a
/// maximal run of ASCII letters and digits), as (index into `authorities`, offset). A few
/// values are each searched for (SIMD substring search, the bytes either side checked);
/// many are looked up in `which` at every run of [`MIN_SPREAD_LEN`] letters and digits, one
/// pass whatever their number.
fn occurrences(
    buf: &[u8],
    authorities: &[(usize, Kind, String)],
    which: &FxHashMap<&[u8], usize>,
) -> Vec<(usize, usize)> {
    if authorities.len() > MAX_SEARCHED_VALUES {
        return keyed::alnum_runs(buf, MIN_SPREAD_LEN)
            .into_iter()
            .filter_map(|(s, e)| which.get(&buf[s..e]).map(|&i| (i, s)))
            .collect();
    }
    let word = |at: usize| buf.get(at).is_some_and(u8::is_ascii_alphanumeric);
    let word_before = |at: usize| at.checked_sub(1).is_some_and(word);
    let mut found: Vec<(usize, usize)> = authorities
        .iter()
        .enumerate()
        .flat_map(|(i, (_, _, secret))| {
            memchr::memmem::find_iter(buf, secret.as_bytes())
                .filter(|&at| !word_before(at) && !word(at + secret.len()))
                .map(move |at| (i, at))
        })
        .collect();
    found.sort_unstable_by_key(|&(_, at)| at);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The substring search for a few values finds exactly what the run-by-run lookup finds:
    /// random texts of value pieces, letters, digits and separators, so that values touch
    /// letters, repeat, overlap and end the buffer.
    #[test]
    fn a_few_values_searched_equal_the_runs_looked_up() {
        let mut next = crate::testing::xorshift(0xD1B5_4A32_D192_ED03);
        let values: Vec<String> = (0..3)
            .map(|v| {
                (0..32)
                    .map(|i| b"0123456789abcdef"[(v * 7 + i * 5) % 16] as char)
                    .collect()
            })
            .collect();
        let authorities: Vec<(usize, Kind, String)> = values
            .iter()
            .map(|s| (0, Kind::Wstoken, s.clone()))
            .collect();
        let which: FxHashMap<&[u8], usize> = authorities
            .iter()
            .enumerate()
            .map(|(i, (_, _, s))| (s.as_bytes(), i))
            .collect();
        for _ in 0..2_000 {
            let mut buf = Vec::new();
            for _ in 0..next() % 12 {
                match next() % 5 {
                    0 | 1 => buf.extend_from_slice(values[(next() % 3) as usize].as_bytes()),
                    2 => buf.push(b"aZ9_"[(next() % 4) as usize]),
                    3 => buf.extend_from_slice(&values[(next() % 3) as usize].as_bytes()[..16]),
                    _ => buf.push(b" =\"\n"[(next() % 4) as usize]),
                }
            }
            let by_runs: Vec<(usize, usize)> = keyed::alnum_runs(&buf, MIN_SPREAD_LEN)
                .into_iter()
                .filter_map(|(s, e)| which.get(&buf[s..e]).map(|&i| (i, s)))
                .collect();
            assert_eq!(
                occurrences(&buf, &authorities, &which),
                by_runs,
                "{}",
                String::from_utf8_lossy(&buf)
            );
        }
    }
}
