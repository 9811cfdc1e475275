//! Runs every rule against its own examples: a positive example must be found (with the
//! secret and kinds it names), a negative one must stay silent. `moodleleaks rules check`
//! and the test suite both call [`check`], so a broken rule fails the build.

use super::Rule;
use crate::finding::Kind;
use crate::scan::Scanner;
use anyhow::Result;
use std::collections::BTreeSet;

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub rule_id: String,
    pub origin: String,
    pub example: usize,
    pub problem: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: rule {} example {}: {}",
            self.origin, self.rule_id, self.example, self.problem
        )
    }
}

/// Checks each rule alone (so one rule's examples are never satisfied by another rule).
/// Returns the number of examples run and the failures.
pub fn check(rules: &[Rule]) -> Result<(usize, Vec<Failure>)> {
    let mut failures = Vec::new();
    let mut run = 0;
    for rule in rules {
        let scanner = Scanner::new(vec![rule.clone()])?;
        if rule.spec.examples.is_empty() {
            failures.push(Failure {
                rule_id: rule.spec.id.clone(),
                origin: rule.origin.clone(),
                example: 0,
                problem: "rule has no examples".into(),
            });
        }
        for (i, ex) in rule.spec.examples.iter().enumerate() {
            run += 1;
            let text = ex
                .positive
                .as_deref()
                .or(ex.negative.as_deref())
                .unwrap_or("");
            let path = ex.path.as_deref().unwrap_or("snippet");
            let found = scanner.scan(path, text.as_bytes()).findings;
            let fail = |problem: String| Failure {
                rule_id: rule.spec.id.clone(),
                origin: rule.origin.clone(),
                example: i + 1,
                problem,
            };
            if ex.negative.is_some() {
                if let Some(f) = found.first() {
                    failures.push(fail(format!(
                        "negative example matched ({} at column {})",
                        f.kind, f.column
                    )));
                }
                continue;
            }
            if found.is_empty() {
                failures.push(fail("positive example did not match".into()));
                continue;
            }
            if let Some(secret) = &ex.secret {
                if !found.iter().any(|f| &f.secret == secret) {
                    let got: Vec<String> = found.iter().map(|f| f.secret_shown(false)).collect();
                    failures.push(fail(format!(
                        "expected secret {}, captured {got:?}",
                        crate::finding::redact(secret)
                    )));
                }
            }
            if let Some(kinds) = &ex.kinds {
                let want: BTreeSet<Kind> = kinds.iter().copied().collect();
                let got: BTreeSet<Kind> = found.iter().map(|f| f.kind).collect();
                if want != got {
                    failures.push(fail(format!("expected kinds {want:?}, got {got:?}")));
                }
            }
        }
    }
    Ok((run, failures))
}
