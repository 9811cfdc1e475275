//! How urgent a live token is, from what site_info says it can do.
//!
//! `critical` when the token acts as a site admin or can call a function that changes data
//! (the list is data: rules/data/mutating-functions.toml); `high` otherwise. A
//! least-privilege note is added when the token can call more than its use needs: the
//! functions named next to it (`wsfunction=…` on the lines it was found on) plus
//! `core_webservice_get_site_info`, which every client calls to check its token.

use super::client::PROBE_FUNCTION;
use super::outcome::{Rating, SiteInfo};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

const MUTATING_FUNCTIONS_TOML: &str = include_str!("../../rules/data/mutating-functions.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MutatingFunctions {
    patterns: Vec<String>,
}

static MUTATING: LazyLock<GlobSet> = LazyLock::new(|| {
    let list: MutatingFunctions =
        toml::from_str(MUTATING_FUNCTIONS_TOML).expect("rules/data/mutating-functions.toml");
    let mut b = GlobSetBuilder::new();
    for p in &list.patterns {
        b.add(Glob::new(p).expect("valid glob in mutating-functions.toml"));
    }
    b.build().expect("mutating function globs")
});

static WSFUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)wsfunction["']?\s*(?:=>|[:=,])\s*["']?([a-z][a-z0-9]*_[a-z0-9_]+)"#)
        .expect("valid regex")
});

/// Whether calling `function` changes data on the site.
pub fn is_mutating(function: &str) -> bool {
    MUTATING.is_match(function)
}

/// Function names a piece of text names as `wsfunction` (the token's apparent use).
pub fn functions_named(text: &str) -> impl Iterator<Item = String> + '_ {
    WSFUNCTION
        .captures_iter(text)
        .map(|c| c[1].to_ascii_lowercase())
}

/// What the rating found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub rating: Rating,
    pub mutating_functions: Vec<String>,
    pub least_privilege: Option<String>,
}

/// Rates a live token; `used` are the functions named next to it in the scanned content.
pub fn assess(info: &SiteInfo, used: &BTreeSet<String>) -> Assessment {
    let mutating: Vec<String> = info
        .functions
        .iter()
        .filter(|f| is_mutating(f))
        .cloned()
        .collect();
    let admin = info.userissiteadmin == Some(true);
    let rating = if admin || !mutating.is_empty() {
        Rating::Critical
    } else {
        Rating::High
    };
    let mut needed: BTreeSet<&str> = used.iter().map(String::as_str).collect();
    needed.insert(PROBE_FUNCTION);
    let extra: Vec<&str> = info
        .functions
        .iter()
        .map(String::as_str)
        .filter(|f| !needed.contains(f))
        .collect();
    let mut notes = Vec::new();
    if admin {
        notes.push(
            "the token acts as a site admin: use a dedicated non-admin service account".to_string(),
        );
    }
    if !extra.is_empty() {
        let use_text = if used.is_empty() {
            "no function is named next to it".to_string()
        } else {
            format!(
                "its use names {}",
                used.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        notes.push(format!(
            "the token can call {} functions but {use_text}: give it a service with only the functions it needs ({} more than needed)",
            info.function_count,
            extra.len()
        ));
    }
    Assessment {
        rating,
        mutating_functions: mutating,
        least_privilege: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(admin: bool, functions: &[&str]) -> SiteInfo {
        SiteInfo {
            sitename: "s".into(),
            siteurl: "https://s".into(),
            release: None,
            version: None,
            userid: 3,
            username: "u".into(),
            fullname: None,
            userissiteadmin: Some(admin),
            function_count: functions.len(),
            functions: functions.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_data_list_loads_and_matches_write_functions_only() {
        for f in [
            "core_user_create_users",
            "core_user_delete_users",
            "enrol_manual_enrol_users",
            "core_role_assign_roles",
            "core_grades_update_grades",
            "core_files_upload",
            "mod_assign_save_grade",
            "local_custom_delete_things",
        ] {
            assert!(is_mutating(f), "{f}");
        }
        for f in [
            "core_webservice_get_site_info",
            "core_user_get_users",
            "core_enrol_get_users_courses",
            "core_course_get_updates_since",
            "mod_forum_can_add_discussion",
        ] {
            assert!(!is_mutating(f), "{f}");
        }
    }

    #[test]
    fn admin_or_write_functions_are_critical() {
        let none = BTreeSet::new();
        assert_eq!(
            assess(&info(false, &[PROBE_FUNCTION]), &none).rating,
            Rating::High
        );
        assert_eq!(
            assess(&info(true, &[PROBE_FUNCTION]), &none).rating,
            Rating::Critical
        );
        let a = assess(
            &info(false, &[PROBE_FUNCTION, "core_user_create_users"]),
            &none,
        );
        assert_eq!(a.rating, Rating::Critical);
        assert_eq!(a.mutating_functions, vec!["core_user_create_users"]);
    }

    #[test]
    fn least_privilege_note_compares_with_the_named_use() {
        let only_probe = assess(&info(false, &[PROBE_FUNCTION]), &BTreeSet::new());
        assert_eq!(only_probe.least_privilege, None);
        let used: BTreeSet<String> = functions_named(
            "curl -d wsfunction=core_user_get_users -d wstoken=x; $p = ['wsfunction' => 'core_course_get_courses'];",
        )
        .collect();
        assert_eq!(used.len(), 2);
        let fits = assess(
            &info(false, &[PROBE_FUNCTION, "core_user_get_users"]),
            &used,
        );
        assert_eq!(fits.least_privilege, None);
        let wide = assess(
            &info(
                false,
                &[
                    PROBE_FUNCTION,
                    "core_user_get_users",
                    "core_user_get_users_by_field",
                ],
            ),
            &used,
        );
        assert!(wide.least_privilege.unwrap().contains("3 functions"));
    }
}
