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
//! elsewhere for other reasons. A value found on a line that carries the inline allow marker
//! does not spread from there: the marker vouches for the value, not only for its line.

use crate::finding::Kind;
use crate::keyed;
use crate::matcher::Hit;
use crate::rules::Rule;
use crate::suppress;
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

/// Whether the line of `buf` holding `pos` carries the inline allow marker.
fn allowed_line(buf: &[u8], pos: usize) -> bool {
    let start = memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |p| pos + p);
    suppress::inline_allowed(&buf[start..end])
}

/// Makes `hits` (of the rules `rules` over `buf`) say every secret the same way: for each
/// value that [`spreads`] and no allow-marked line holds as a hit, the hit of the
/// highest-priority rule (the first of equals) gives
/// the kind; the value's hits of another kind are dropped, and each occurrence of the value
/// in `buf` as a whole word (no ASCII letter or digit either side) that no hit of that kind
/// covers becomes a hit of that rule. Hits of other values are left as they are.
pub fn spread(buf: &[u8], hits: &mut Vec<Hit>, rules: &[Rule]) {
    let mut best: FxHashMap<&str, usize> = FxHashMap::default();
    let mut vouched: FxHashSet<&str> = FxHashSet::default();
    // Lines are looked at only in an input holding the marker at all (a one-line dump with
    // thousands of values would read its line once per value).
    let marked = memchr::memmem::find(buf, suppress::INLINE_ALLOW).is_some();
    for (i, hit) in hits.iter().enumerate() {
        if !spreads(hit, rules) {
            continue;
        }
        if marked && allowed_line(buf, hit.start.min(buf.len())) {
            vouched.insert(hit.secret.as_str());
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
    best.retain(|secret, _| !vouched.contains(secret));
    if best.is_empty() {
        return;
    }
    let authorities: Vec<(usize, Kind, String)> = best
        .values()
        .map(|&i| (hits[i].rule, hits[i].kind, hits[i].secret.clone()))
        .collect();
    let kind_of: FxHashMap<String, Kind> = authorities
        .iter()
        .map(|(_, kind, secret)| (secret.clone(), *kind))
        .collect();
    hits.retain(|h| !spreads(h, rules) || kind_of.get(&h.secret) == Some(&h.kind));
    // Where each value is reported already (by a hit of its kind), by value.
    let mut covered: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
    for h in hits.iter() {
        if kind_of.get(&h.secret) == Some(&h.kind) {
            covered
                .entry(h.secret.as_str())
                .or_default()
                .push((h.start, h.end));
        }
    }
    // Every whole-word occurrence of every value, in one pass whatever their number (a dump
    // may hold thousands): a maximal run of letters and digits that is one of the values.
    let which: FxHashMap<&[u8], usize> = authorities
        .iter()
        .enumerate()
        .map(|(i, (_, _, secret))| (secret.as_bytes(), i))
        .collect();
    let occurrences: Vec<(usize, usize)> = keyed::alnum_runs(buf, MIN_SPREAD_LEN)
        .into_iter()
        .filter_map(|(s, e)| which.get(&buf[s..e]).map(|&i| (i, s)))
        .collect();
    let mut added = Vec::new();
    for (which, at) in occurrences {
        let (rule, kind, secret) = &authorities[which];
        let reported = covered
            .get(secret.as_str())
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
    drop(covered);
    hits.extend(added);
}
