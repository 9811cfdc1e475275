//! Every built-in rule against its own examples, through the library path that
//! `moodleleaks rules check` uses.

use moodleleaks::rules;

#[test]
fn every_builtin_rule_passes_its_examples() {
    let rules = rules::builtin().expect("built-in rules compile");
    assert!(rules.len() >= 11);
    let (run, failures) = rules::check::check(&rules).unwrap();
    let listed: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{listed:#?}");
    for r in &rules {
        assert!(
            r.spec.examples.iter().any(|e| e.positive.is_some())
                && r.spec.examples.iter().any(|e| e.negative.is_some()),
            "{} needs positive and negative examples",
            r.spec.id
        );
    }
    assert!(run >= 40);
}

/// Built-in rules compile their regex on first use (start-up stays quick): each must
/// compile, with the capture groups the loader read from the parsed pattern.
#[test]
fn every_builtin_rule_regex_compiles_with_its_groups() {
    for r in rules::builtin().unwrap() {
        let names: Vec<Option<&str>> = r.regex().capture_names().collect();
        assert!(names.contains(&Some("secret")), "{}: {names:?}", r.spec.id);
        for &i in &r.secret_groups {
            let name = names[i].unwrap_or_default();
            assert!(
                name.starts_with("secret"),
                "{}: group {i} is {name:?}",
                r.spec.id
            );
        }
    }
}

#[test]
fn rule_ids_are_unique() {
    let rules = rules::builtin().unwrap();
    let mut ids: Vec<&str> = rules.iter().map(|r| r.spec.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len());
}
