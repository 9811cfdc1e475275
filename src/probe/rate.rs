//! How urgent a live token is, from what site_info says it can do.
//!
//! The rating follows what Moodle admins mean by it, from data
//! (rules/data/function-families.toml): `critical` when the token acts as a site administrator
//! or can call a function that acts beyond its own user (user, role, enrolment, course,
//! cohort, configuration, plugin or gradebook administration); `high` when it can change data
//! as its own user (messages, forum posts, submissions, own files...); `medium` when it can
//! only read. Each rating carries its reason. A least-privilege note is added when the token
//! can call more than its use needs: the functions named next to it (`wsfunction=…` on the
//! lines it was found on) plus `core_webservice_get_site_info`, which every client calls to
//! check its token.

use super::client::PROBE_FUNCTION;
use super::outcome::{Rating, SiteInfo};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

const FAMILIES_TOML: &str = include_str!("../../rules/data/function-families.toml");

/// At most this many function names are quoted in a rating's reason.
const MAX_NAMED: usize = 5;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Patterns {
    patterns: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FamiliesFile {
    beyond_user: Patterns,
    as_user: Patterns,
    read_only: Patterns,
}

/// The three lists of rules/data/function-families.toml, compiled.
struct Families {
    beyond_user: GlobSet,
    as_user: GlobSet,
    read_only: GlobSet,
}

fn globs(list: &Patterns) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in &list.patterns {
        b.add(Glob::new(p).expect("valid glob in rules/data/function-families.toml"));
    }
    b.build().expect("function family globs")
}

static FAMILIES: LazyLock<Families> = LazyLock::new(|| {
    let file: FamiliesFile =
        toml::from_str(FAMILIES_TOML).expect("rules/data/function-families.toml");
    Families {
        beyond_user: globs(&file.beyond_user),
        as_user: globs(&file.as_user),
        read_only: globs(&file.read_only),
    }
});

static WSFUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)wsfunction["']?\s*(?:=>|[:=,])\s*["']?([a-z][a-z0-9]*_[a-z0-9_]+)"#)
        .expect("valid regex")
});

/// Who a call of one function can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Administration: other users, courses, roles, enrolments, cohorts, configuration,
    /// plugins, gradebooks.
    BeyondUser,
    /// Changes data as the token's own user.
    AsUser,
    /// Reads only.
    Read,
}

/// What calling `function` can do, from rules/data/function-families.toml.
pub fn reach(function: &str) -> Reach {
    let f = &*FAMILIES;
    if f.beyond_user.is_match(function) {
        Reach::BeyondUser
    } else if f.read_only.is_match(function) {
        Reach::Read
    } else if f.as_user.is_match(function) {
        Reach::AsUser
    } else {
        Reach::Read
    }
}

/// Whether calling `function` changes data on the site (either list of writes).
pub fn is_mutating(function: &str) -> bool {
    reach(function) != Reach::Read
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
    /// Critical, high or medium.
    pub rating: Rating,
    /// Why: `site administrator`, or the functions that earned the rating.
    pub reason: String,
    /// Every function the token can call that changes data.
    pub mutating_functions: Vec<String>,
    /// Set when the token can call more than its use needs, or acts as a site admin.
    pub least_privilege: Option<String>,
}

/// `a, b, c and N more`.
fn named(functions: &[&str]) -> String {
    let mut s = functions
        .iter()
        .take(MAX_NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if functions.len() > MAX_NAMED {
        s.push_str(&format!(" and {} more", functions.len() - MAX_NAMED));
    }
    s
}

/// Rates a live token; `used` are the functions named next to it in the scanned content.
pub fn assess(info: &SiteInfo, used: &BTreeSet<String>) -> Assessment {
    let reaches: Vec<(&str, Reach)> = info
        .functions
        .iter()
        .map(|f| (f.as_str(), reach(f)))
        .collect();
    let of = |r: Reach| -> Vec<&str> {
        reaches
            .iter()
            .filter(|(_, x)| *x == r)
            .map(|(f, _)| *f)
            .collect()
    };
    let beyond = of(Reach::BeyondUser);
    let as_user = of(Reach::AsUser);
    let admin = info.userissiteadmin == Some(true);
    let (rating, reason) = if admin {
        let mut reason = "site administrator".to_string();
        if !beyond.is_empty() {
            reason.push_str(&format!("; acts beyond its own user: {}", named(&beyond)));
        }
        (Rating::Critical, reason)
    } else if !beyond.is_empty() {
        (
            Rating::Critical,
            format!("acts beyond its own user: {}", named(&beyond)),
        )
    } else if !as_user.is_empty() {
        (
            Rating::High,
            format!("changes data as its own user: {}", named(&as_user)),
        )
    } else {
        (
            Rating::Medium,
            format!(
                "read-only: none of its {} functions changes data",
                info.function_count
            ),
        )
    };
    let mutating: Vec<String> = reaches
        .iter()
        .filter(|(_, r)| *r != Reach::Read)
        .map(|(f, _)| f.to_string())
        .collect();
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
        reason,
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
    fn the_data_lists_load_and_sort_functions_by_reach() {
        for f in [
            "core_user_create_users",
            "core_user_delete_users",
            "enrol_manual_enrol_users",
            "core_role_assign_roles",
            "core_cohort_add_cohort_members",
            "core_course_create_courses",
            "core_grades_update_grades",
            "core_admin_set_plugin_state",
        ] {
            assert_eq!(reach(f), Reach::BeyondUser, "{f}");
        }
        for f in [
            "core_message_send_instant_messages",
            "mod_forum_add_discussion_post",
            "mod_assign_save_submission",
            "mod_assign_save_grade",
            "core_files_upload",
            "core_user_add_user_private_files",
            "local_custom_delete_things",
            "core_grades_grader_gradingpanel_point_store",
        ] {
            assert_eq!(reach(f), Reach::AsUser, "{f}");
        }
        for f in [
            "core_webservice_get_site_info",
            "core_user_get_users",
            "core_enrol_get_users_courses",
            "core_course_get_updates_since",
            "mod_forum_can_add_discussion",
            "mod_forum_view_forum",
            "core_message_data_for_messagearea_search_messages",
        ] {
            assert_eq!(reach(f), Reach::Read, "{f}");
            assert!(!is_mutating(f), "{f}");
        }
    }

    #[test]
    fn mobile_app_writes_are_never_critical_for_a_non_admin() {
        // Write functions that Moodle's lib/db/services.php and mod/*/db/services.php put in
        // the official mobile-app service (MOODLE_OFFICIAL_MOBILE_SERVICE): every user of the
        // app gets them, a student included.
        let app = [
            PROBE_FUNCTION,
            "core_message_send_instant_messages",
            "core_message_delete_message_for_all_users",
            "core_calendar_create_calendar_events",
            "core_comment_add_comments",
            "core_notes_create_notes",
            "core_rating_add_rating",
            "core_user_update_picture",
            "core_user_add_user_device",
            "core_user_set_user_preferences",
            "core_files_delete_draft_files",
            "core_grades_grader_gradingpanel_point_store",
            "core_competency_grade_competency_in_course",
            "core_competency_delete_evidence",
            "mod_assign_save_grade",
            "mod_forum_add_discussion",
            "mod_forum_delete_post",
            "mod_forum_set_lock_state",
            "mod_quiz_process_attempt",
        ];
        let a = assess(&info(false, &app), &BTreeSet::new());
        assert_eq!(a.rating, Rating::High, "{}", a.reason);
        assert!(a
            .reason
            .starts_with("changes data as its own user: core_message_send_instant_messages"));
        assert!(a.reason.ends_with("more"), "{}", a.reason);
    }

    #[test]
    fn each_rating_states_its_reason() {
        let none = BTreeSet::new();
        let read = assess(
            &info(false, &[PROBE_FUNCTION, "core_user_get_users_by_field"]),
            &none,
        );
        assert_eq!(read.rating, Rating::Medium);
        assert_eq!(
            read.reason,
            "read-only: none of its 2 functions changes data"
        );
        assert!(read.mutating_functions.is_empty());

        let writes = assess(
            &info(false, &[PROBE_FUNCTION, "mod_forum_add_discussion_post"]),
            &none,
        );
        assert_eq!(writes.rating, Rating::High);
        assert_eq!(
            writes.reason,
            "changes data as its own user: mod_forum_add_discussion_post"
        );

        let admin = assess(&info(true, &[PROBE_FUNCTION]), &none);
        assert_eq!(admin.rating, Rating::Critical);
        assert_eq!(admin.reason, "site administrator");

        let a = assess(
            &info(
                false,
                &[
                    PROBE_FUNCTION,
                    "core_user_create_users",
                    "mod_forum_add_discussion",
                ],
            ),
            &none,
        );
        assert_eq!(a.rating, Rating::Critical);
        assert_eq!(a.reason, "acts beyond its own user: core_user_create_users");
        assert_eq!(
            a.mutating_functions,
            vec!["core_user_create_users", "mod_forum_add_discussion"]
        );
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
