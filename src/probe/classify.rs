//! From HTTP answers to a status, following the responses recorded from a real Moodle site
//! (tests/fixtures/moodle-responses/): REST errors come with HTTP 200 and a JSON body
//! `{"exception", "errorcode", "message"[, "debuginfo"]}`; web services off is a 403 with an
//! empty body; maintenance is a 503 page. [`read`] turns one answer into a [`Reply`]; the
//! `after_*` functions decide, call by call, what the probe knows (see [`super::probe_one`]).
//! A result is `live` only when Moodle accepted the token and `invalid` only on Moodle's own
//! `invalidtoken`: anything else a firewall, proxy or outage could produce is inconclusive.

use super::client::HttpAnswer;
use super::outcome::{ProbeResult, ProbeStatus, SiteInfo};
use serde_json::Value;

/// Longest server-provided text kept (site names, messages).
const MAX_TEXT: usize = 200;

/// What a live token whose functions are unknown means (issue 11's wording).
pub const FUNCTIONS_UNKNOWN: &str = "functions unknown: it authenticates, but its service does not let it call core_webservice_get_site_info (or the service is disabled, or its user is not authorised for it — Moodle does not tell these apart without debugging on)";

/// What an expired token means once probed.
pub const EXPIRED: &str = "Moodle deleted this expired token when it was probed; it is dead now; the integration that used it needs a new one";

/// One answer, read.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Moodle's error object (`exception` and `errorcode`).
    Error {
        /// `errorcode`, scrubbed and capped.
        code: String,
        /// `debuginfo` (sites with debugging on), scrubbed and capped.
        debuginfo: Option<String>,
    },
    /// A well-formed site_info answer.
    SiteInfo(SiteInfo),
    /// Anything else: the inconclusive result it shows.
    Other(ProbeResult),
}

/// Reads one answer. The body is only read here; nothing of it is kept but the evidence
/// fields (never `userprivateaccesskey`), each scrubbed of `token` (every copy and every run
/// of 8 or more of its characters) before it is cut to [`MAX_TEXT`].
pub fn read(a: &HttpAnswer, token: &str) -> Reply {
    let short = |s: &str| short(s, token);
    if a.oversize {
        return Reply::Other(inconclusive(
            ProbeStatus::NotMoodle,
            "oversize: answer larger than 1 MiB (not a Moodle web-service answer)",
        ));
    }
    let body_text = String::from_utf8_lossy(&a.body);
    let blank = body_text.trim().is_empty();
    match a.status {
        300..=399 => {
            let to = a
                .location
                .as_deref()
                .map(|l| format!(" to {}", short(l)))
                .unwrap_or_default();
            return Reply::Other(inconclusive(
                ProbeStatus::Redirected,
                format!("HTTP {}{to} (redirects are never followed)", a.status),
            ));
        }
        429 => {
            return Reply::Other(inconclusive(
                ProbeStatus::RateLimited,
                "HTTP 429: too many requests",
            ))
        }
        503 if is_maintenance_page(&body_text) => {
            return Reply::Other(inconclusive(
                ProbeStatus::Maintenance,
                "HTTP 503: the site is in maintenance mode",
            ));
        }
        500..=599 => {
            return Reply::Other(inconclusive(
                ProbeStatus::ServerError,
                format!("HTTP {}", a.status),
            ));
        }
        403 if blank => {
            let mut r = inconclusive(
                ProbeStatus::WsDisabled,
                "HTTP 403 with an empty body: web services or the REST protocol are disabled on this site",
            );
            r.detail = Some(
                "inconclusive: the token cannot be checked (and cannot be used) while web services are off; it works again when they are turned on"
                    .into(),
            );
            return Reply::Other(r);
        }
        200 => {}
        other => {
            return Reply::Other(inconclusive(
                ProbeStatus::NotMoodle,
                format!("HTTP {other}{}", describe_body(&body_text)),
            ));
        }
    }
    let json: Value = match serde_json::from_slice(&a.body) {
        Ok(v) => v,
        Err(_) => {
            return Reply::Other(inconclusive(
                ProbeStatus::NotMoodle,
                format!("HTTP 200{}", describe_body(&body_text)),
            ))
        }
    };
    if let Some(code) = json.get("errorcode").and_then(Value::as_str) {
        if json.get("exception").is_some() {
            return Reply::Error {
                code: short(code),
                debuginfo: json.get("debuginfo").and_then(Value::as_str).map(short),
            };
        }
    }
    match site_info(&json, token) {
        Some(info) => Reply::SiteInfo(info),
        None => Reply::Other(inconclusive(
            ProbeStatus::NotMoodle,
            "JSON that is neither a Moodle error nor a site_info answer",
        )),
    }
}

fn inconclusive(status: ProbeStatus, reason: impl Into<String>) -> ProbeResult {
    let mut r = ProbeResult::new(status, Some(reason.into()));
    r.detail = Some("inconclusive: the site did not say whether the token works".into());
    r
}

fn with_code(mut r: ProbeResult, code: &str) -> ProbeResult {
    r.errorcode = Some(code.to_string());
    r
}

/// A live token with what site_info said.
fn live(info: SiteInfo) -> ProbeResult {
    let mut r = ProbeResult::new(ProbeStatus::Live, None);
    r.detail = Some("the token works: rotate it first".into());
    r.site_info = Some(info);
    r
}

/// A live token whose functions site_info did not tell; `why` when site_info answered
/// something other than Moodle's refusal.
pub fn live_functions_unknown(why: Option<String>) -> ProbeResult {
    let mut r = ProbeResult::new(ProbeStatus::Live, Some("functions-unknown".into()));
    r.detail = Some(match why {
        None => format!("{FUNCTIONS_UNKNOWN}: rotate it first"),
        Some(why) => format!(
            "functions unknown: it authenticates, but the site_info call got no answer that says more ({why}): rotate it first"
        ),
    });
    r
}

fn expired() -> ProbeResult {
    let mut r = ProbeResult::new(ProbeStatus::Expired, Some("expired".into()));
    r.detail = Some(EXPIRED.into());
    r
}

fn denied(reason: &str) -> ProbeResult {
    let mut r = ProbeResult::new(ProbeStatus::Denied, Some(reason.to_string()));
    r.detail = Some(
        "the token exists but Moodle refused it before any function ran: an IP restriction (it works from its allowed addresses), or on some Moodle versions a blocked user or a missing webservice/rest:use capability; not dead: rotate it"
            .into(),
    );
    r
}

/// The answers every call reads the same way: a dead, blocked or maintenance-bound token, or
/// an unknown error code. `None` for the codes whose meaning depends on the call.
fn common_error(code: &str) -> Option<ProbeResult> {
    let r = match code {
        "invalidtoken" => {
            let mut r = ProbeResult::new(ProbeStatus::Invalid, Some("invalidtoken".into()));
            r.detail = Some(
                "Moodle does not know this token: revoked, expired and deleted, or never existed"
                    .into(),
            );
            r
        }
        "sitemaintenance" => {
            let mut r = ProbeResult::new(
                ProbeStatus::ExistsMaintenance,
                Some("sitemaintenance".into()),
            );
            r.detail = Some(
                "the token exists (Moodle found it and checked its expiry, address and user) but the site is in maintenance mode; it works again when maintenance ends: not dead, rotate it"
                    .into(),
            );
            r
        }
        c if c.starts_with("wsaccessuser")
            || c == "passwordisexpired"
            || c == "usernotconfirmed" =>
        {
            let mut r = ProbeResult::new(ProbeStatus::UserBlocked, Some(c.to_string()));
            r.detail = Some(
                "the token exists but its user is blocked; it works again if the user is restored: rotate it"
                    .into(),
            );
            r
        }
        "accessexception" | "invalidparameter" => return None,
        other => inconclusive(
            ProbeStatus::Unexpected,
            format!("Moodle error code {other}"),
        ),
    };
    Some(with_code(r, code))
}

/// What the liveness call (no `wsfunction`) showed.
#[derive(Debug, Clone)]
pub enum AfterLiveness {
    /// `invalidparameter`: the token passed every token check; ask site_info next.
    Passed,
    /// `accessexception` without `debuginfo`: expired (and now deleted) or refused; one more
    /// liveness call tells which.
    Refused,
    /// The answer says it all.
    Done(Box<ProbeResult>),
}

/// Reads the answer to the liveness call.
pub fn after_liveness(reply: Reply) -> AfterLiveness {
    match reply {
        Reply::Error { code, debuginfo } => match code.as_str() {
            "invalidparameter" => AfterLiveness::Passed,
            "accessexception" => match debuginfo.as_deref() {
                None => AfterLiveness::Refused,
                Some(d) => AfterLiveness::Done(Box::new(with_code(
                    match denied_reason(Some(d)) {
                        "expired" => expired(),
                        reason => denied(reason),
                    },
                    &code,
                ))),
            },
            _ => AfterLiveness::Done(Box::new(common_error(&code).unwrap_or_else(|| {
                with_code(
                    inconclusive(ProbeStatus::Unexpected, format!("Moodle error code {code}")),
                    &code,
                )
            }))),
        },
        // No Moodle answers site_info without a wsfunction; whatever does, a well-formed
        // site_info answer shows a working token and what it can call.
        Reply::SiteInfo(info) => AfterLiveness::Done(Box::new(live(info))),
        Reply::Other(r) => AfterLiveness::Done(Box::new(r)),
    }
}

/// Reads the second liveness call, made after an `accessexception`: Moodle deletes an
/// expired token when it refuses it, so `invalidtoken` now means it was expired; another
/// `accessexception` means the token is still there and refused.
pub fn after_recheck(reply: Reply) -> ProbeResult {
    match reply {
        Reply::Error { code, debuginfo } => match code.as_str() {
            "invalidtoken" => with_code(expired(), "accessexception"),
            "accessexception" => with_code(denied(denied_reason(debuginfo.as_deref())), &code),
            _ => with_code(denied("unknown"), "accessexception"),
        },
        // The first answer already showed the token exists; this one says no more.
        Reply::SiteInfo(_) | Reply::Other(_) => with_code(denied("unknown"), "accessexception"),
    }
}

/// The second liveness call got no answer: the first showed the token exists (Moodle says
/// `accessexception` only for a token it found), nothing more.
pub fn after_recheck_unanswered() -> ProbeResult {
    with_code(denied("unknown"), "accessexception")
}

/// Reads the site_info call, made after the token passed the liveness call.
pub fn after_site_info(reply: Reply) -> ProbeResult {
    match reply {
        Reply::SiteInfo(info) => live(info),
        Reply::Error { code, .. } if code == "accessexception" => {
            with_code(live_functions_unknown(None), &code)
        }
        Reply::Error { code, .. } if code == "invalidtoken" => {
            common_error(&code).unwrap_or_else(|| denied("unknown"))
        }
        Reply::Error { code, .. } => with_code(
            live_functions_unknown(Some(format!("Moodle error code {code}"))),
            &code,
        ),
        Reply::Other(r) => live_functions_unknown(Some(format!(
            "{}{}",
            r.status,
            r.reason.map(|x| format!(": {x}")).unwrap_or_default()
        ))),
    }
}

/// The reason of an `accessexception`, from `debuginfo` (present only when the site has
/// debugging on). Moodle words a disabled service, a service without the function and a user
/// not authorised on a restricted service the same way ("Access to the function … is not
/// allowed"): that is `not-authorised`; `service-disabled` is reported only when the text
/// names a disabled service.
pub fn denied_reason(debuginfo: Option<&str>) -> &'static str {
    let Some(d) = debuginfo.map(str::to_ascii_lowercase) else {
        return "unknown";
    };
    if d.contains("token expired") || d.contains("session not found or expired") {
        "expired"
    } else if d.contains("ip:") && d.contains("not supported") {
        "ip-restricted"
    } else if d.contains("service") && (d.contains("disabled") || d.contains("not enabled")) {
        "service-disabled"
    } else if d.contains("is not allowed") || d.contains("not authorised") {
        "not-authorised"
    } else {
        "unknown"
    }
}

/// A site_info answer, when `json` is one: the fields a live result reports, all required
/// but `release`, `version`, `fullname` and `userissiteadmin` (older sites lack some).
fn site_info(json: &Value, token: &str) -> Option<SiteInfo> {
    let obj = json.as_object()?;
    let short = |s: &str| short(s, token);
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(short);
    let functions: Vec<String> = obj
        .get("functions")?
        .as_array()?
        .iter()
        .map(|f| f.get("name").and_then(Value::as_str).map(short))
        .collect::<Option<_>>()?;
    let userid = match obj.get("userid")? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    Some(SiteInfo {
        sitename: text("sitename")?,
        siteurl: text("siteurl")?,
        release: text("release"),
        version: text("version"),
        userid,
        username: text("username")?,
        fullname: text("fullname"),
        userissiteadmin: obj.get("userissiteadmin").and_then(Value::as_bool),
        function_count: functions.len(),
        functions,
    })
}

fn is_maintenance_page(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("maintenance")
}

fn describe_body(body: &str) -> &'static str {
    let t = body.trim_start().to_ascii_lowercase();
    if t.is_empty() {
        ", empty body"
    } else if t.starts_with("<!doctype html") || t.starts_with("<html") || t.contains("<body") {
        ", an HTML page (login page, firewall or proxy?)"
    } else if t.starts_with("<?xml") || t.starts_with('<') {
        ", XML or markup, not JSON"
    } else {
        ", not JSON"
    }
}

/// Server text made safe to show: scrubbed of `token` first (every copy and every run of 8 or
/// more of its characters, so a cut can never keep part of it), no control characters, then
/// at most [`MAX_TEXT`] characters.
fn short(s: &str, token: &str) -> String {
    let s = super::scrub(s, token);
    let mut out: String = s.chars().take(MAX_TEXT).collect();
    if s.chars().count() > MAX_TEXT {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const TOKEN: &str = "c8ff1654a992bc683c2c7901b1aa1d97"; // moodleleaks:allow

    fn fixture(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/moodle-responses")
            .join(name);
        std::fs::read(p).unwrap()
    }

    fn answer(status: u16, name: &str) -> HttpAnswer {
        HttpAnswer {
            status,
            body: fixture(name),
            ..Default::default()
        }
    }

    /// The result of a site_info call that follows a passed liveness call.
    fn site_info_call(status: u16, name: &str) -> ProbeResult {
        after_site_info(read(&answer(status, name), TOKEN))
    }

    /// The result of a liveness call that says it all (panics on the two-step answers).
    fn liveness(status: u16, name: &str) -> ProbeResult {
        match after_liveness(read(&answer(status, name), TOKEN)) {
            AfterLiveness::Done(r) => *r,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn live_answers_keep_the_evidence_and_never_the_private_key() {
        let r = site_info_call(200, "valid.json");
        assert_eq!(r.status, ProbeStatus::Live);
        let info = r.site_info.clone().unwrap();
        assert_eq!(info.username, "apiservice");
        assert_eq!(info.userid, 3);
        assert_eq!(info.userissiteadmin, Some(false));
        assert_eq!(info.functions, vec!["core_webservice_get_site_info"]);
        assert_eq!(info.release.as_deref(), Some("5.1+ (Build: 20251017)"));
        let out = serde_json::to_string(&r).unwrap();
        assert!(!out.contains("userprivateaccesskey"));
        assert!(!out.contains("d455c68e141f621f1f120618098d2e17")); // moodleleaks:allow

        let admin = site_info_call(200, "admin_overprivileged.json");
        let info = admin.site_info.unwrap();
        assert_eq!(info.userissiteadmin, Some(true));
        assert_eq!(info.function_count, 6);
    }

    #[test]
    fn the_liveness_call_separates_passed_refused_and_dead_tokens() {
        for f in [
            "nofunction_valid.json",
            "nofunction_no_siteinfo_function.json",
            "nofunction_service_disabled.json",
            "nofunction_user_not_authorised.json",
            "missing_function.json",
        ] {
            let a = after_liveness(read(&answer(200, f), TOKEN));
            assert!(matches!(a, AfterLiveness::Passed), "{f}: {a:?}");
        }
        for f in [
            "nofunction_iprestricted.json",
            "nofunction_expired_first.json",
        ] {
            let a = after_liveness(read(&answer(200, f), TOKEN));
            assert!(matches!(a, AfterLiveness::Refused), "{f}: {a:?}");
        }
        for f in ["nofunction_revoked.json", "nofunction_expired_second.json"] {
            assert_eq!(liveness(200, f).status, ProbeStatus::Invalid, "{f}");
        }
        let r = liveness(200, "nofunction_suspended_user.json");
        assert_eq!(r.status, ProbeStatus::UserBlocked);
        assert_eq!(r.reason.as_deref(), Some("wsaccessusersuspended"));
        // debuginfo tells expired and IP-restricted apart in one call.
        let r = liveness(200, "debug_expired.json");
        assert_eq!(r.status, ProbeStatus::Expired);
        assert_eq!(r.detail.as_deref(), Some(EXPIRED));
        let r = liveness(200, "debug_iprestricted.json");
        assert_eq!(
            (r.status, r.reason.as_deref()),
            (ProbeStatus::Denied, Some("ip-restricted"))
        );
    }

    #[test]
    fn a_second_liveness_call_tells_expired_from_refused() {
        let r = after_recheck(read(&answer(200, "nofunction_expired_second.json"), TOKEN));
        assert_eq!(r.status, ProbeStatus::Expired);
        assert_eq!(r.verdict, super::super::outcome::Verdict::Dead);
        let r = after_recheck(read(&answer(200, "nofunction_iprestricted.json"), TOKEN));
        assert_eq!(
            (r.status, r.reason.as_deref()),
            (ProbeStatus::Denied, Some("unknown"))
        );
        assert_eq!(r.verdict, super::super::outcome::Verdict::Exists);
    }

    #[test]
    fn site_info_refused_after_a_passed_liveness_call_is_live_with_unknown_functions() {
        for f in [
            "siteinfo_not_in_service.json",
            "siteinfo_user_not_authorised.json",
            "service_disabled.json",
            "debug_service_disabled.json",
        ] {
            let r = site_info_call(200, f);
            assert_eq!(r.status, ProbeStatus::Live, "{f}");
            assert_eq!(r.reason.as_deref(), Some("functions-unknown"), "{f}");
            assert!(r.detail.unwrap().starts_with(FUNCTIONS_UNKNOWN), "{f}");
            assert!(r.site_info.is_none());
        }
        let r = site_info_call(429, "ws_disabled_403_empty.txt");
        assert_eq!(r.status, ProbeStatus::Live);
        assert!(r.detail.unwrap().contains("rate-limited"));
    }

    fn body(status: u16, text: &str) -> ProbeStatus {
        liveness_of(&HttpAnswer {
            status,
            body: text.as_bytes().to_vec(),
            ..Default::default()
        })
    }

    fn liveness_of(a: &HttpAnswer) -> ProbeStatus {
        match after_liveness(read(a, TOKEN)) {
            AfterLiveness::Done(r) => r.status,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_moodle_error_codes() {
        let err = |code: &str| {
            format!(r#"{{"exception":"moodle_exception","errorcode":"{code}","message":"m"}}"#)
        };
        assert_eq!(
            body(200, &err("sitemaintenance")),
            ProbeStatus::ExistsMaintenance
        );
        assert_eq!(
            ProbeStatus::ExistsMaintenance.verdict(),
            super::super::outcome::Verdict::Exists
        );
        assert_eq!(
            body(200, &err("wsaccessuserdeleted")),
            ProbeStatus::UserBlocked
        );
        assert_eq!(
            body(200, &err("wsaccessusernologin")),
            ProbeStatus::UserBlocked
        );
        assert_eq!(body(200, &err("somethingelse")), ProbeStatus::Unexpected);
        assert_eq!(
            body(200, &err("invalidrecordunknown")),
            ProbeStatus::Unexpected
        );
        // An errorcode without Moodle's exception field is not a Moodle answer.
        assert_eq!(
            body(200, r#"{"errorcode":"invalidtoken"}"#),
            ProbeStatus::NotMoodle
        );
        assert_eq!(body(200, "[]"), ProbeStatus::NotMoodle);
        assert_eq!(body(204, ""), ProbeStatus::NotMoodle);
    }

    #[test]
    fn denied_reason_recognises_service_wording() {
        assert_eq!(
            denied_reason(Some("Web service is disabled")),
            "service-disabled"
        );
        assert_eq!(denied_reason(None), "unknown");
    }

    #[test]
    fn http_level_answers_are_inconclusive() {
        let of = |status: u16, name: &str| liveness(status, name).status;
        assert_eq!(
            of(403, "ws_disabled_403_empty.txt"),
            ProbeStatus::WsDisabled
        );
        assert_eq!(
            of(403, "rest_disabled_403_empty.txt"),
            ProbeStatus::WsDisabled
        );
        assert_eq!(
            of(503, "cli_maintenance_503.html"),
            ProbeStatus::Maintenance
        );
        assert_eq!(
            of(303, "redirect_303_wrong_host.html"),
            ProbeStatus::Redirected
        );
        assert_eq!(
            of(200, "redirect_303_wrong_host.html"),
            ProbeStatus::NotMoodle
        );
        assert_eq!(of(200, "valid_xml.xml"), ProbeStatus::NotMoodle);
        assert_eq!(of(404, "valid.json"), ProbeStatus::NotMoodle);
        assert_eq!(of(500, "valid.json"), ProbeStatus::ServerError);
        assert_eq!(of(429, "valid.json"), ProbeStatus::RateLimited);
        assert_eq!(
            of(403, "valid.json"),
            ProbeStatus::NotMoodle,
            "a 403 with a body is a firewall page, not ws-disabled"
        );
        let mut big = answer(200, "valid.json");
        big.oversize = true;
        assert_eq!(liveness_of(&big), ProbeStatus::NotMoodle);
        for s in [
            ProbeStatus::WsDisabled,
            ProbeStatus::Maintenance,
            ProbeStatus::Redirected,
            ProbeStatus::NotMoodle,
            ProbeStatus::RateLimited,
            ProbeStatus::ServerError,
        ] {
            assert_eq!(s.verdict(), super::super::outcome::Verdict::Inconclusive);
        }
    }

    #[test]
    fn malformed_site_info_is_not_live() {
        let body = br#"{"sitename":"x","username":"u","userid":3,"siteurl":"https://x"}"#;
        let r = after_site_info(read(
            &HttpAnswer {
                status: 200,
                body: body.to_vec(),
                ..Default::default()
            },
            TOKEN,
        ));
        assert_eq!(r.status, ProbeStatus::Live);
        assert!(r.site_info.is_none());
        assert_eq!(body_status(body), ProbeStatus::NotMoodle);
    }

    fn body_status(b: &[u8]) -> ProbeStatus {
        liveness_of(&HttpAnswer {
            status: 200,
            body: b.to_vec(),
            ..Default::default()
        })
    }

    #[test]
    fn reflected_token_is_scrubbed_before_the_cut() {
        // The token placed so that a cut at 200 characters would keep its first 20.
        let long = format!("{}{TOKEN}", "x".repeat(MAX_TEXT - 20));
        let half = &TOKEN[5..17];
        let body = serde_json::json!({
            "exception": "moodle_exception",
            "errorcode": long,
            "debuginfo": format!("see {half} and {}", TOKEN.to_uppercase()),
        });
        let reply = read(
            &HttpAnswer {
                status: 200,
                body: body.to_string().into_bytes(),
                ..Default::default()
            },
            TOKEN,
        );
        let Reply::Error { code, debuginfo } = reply else {
            panic!("{reply:?}")
        };
        for text in [&code, debuginfo.as_ref().unwrap()] {
            let lower = text.to_ascii_lowercase();
            for w in TOKEN.as_bytes().windows(8) {
                assert!(!lower.contains(std::str::from_utf8(w).unwrap()), "{text}");
            }
        }
    }
}
