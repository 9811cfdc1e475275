//! From an HTTP answer to a status, following the responses recorded from a real Moodle site
//! (tests/fixtures/moodle-responses/): REST errors come with HTTP 200 and a JSON body
//! `{"exception", "errorcode", "message"[, "debuginfo"]}`; web services off is a 403 with an
//! empty body; maintenance is a 503 page. A result is `live` only on a well-formed site_info
//! answer and `invalid` only on Moodle's own `invalidtoken`: anything else a firewall, proxy
//! or outage could produce is inconclusive.

use super::client::HttpAnswer;
use super::outcome::{ProbeResult, ProbeStatus, SiteInfo};
use serde_json::Value;

/// Longest server-provided text kept (site names, messages).
const MAX_TEXT: usize = 200;

/// The status the answer shows. The body is only read here; nothing of it is kept but the
/// evidence fields (never `userprivateaccesskey`).
pub fn classify(answer: &HttpAnswer) -> ProbeResult {
    let mut r = classify_inner(answer);
    r.http_status = Some(answer.status);
    r
}

fn inconclusive(status: ProbeStatus, reason: impl Into<String>) -> ProbeResult {
    let mut r = ProbeResult::new(status, Some(reason.into()));
    r.detail = Some("inconclusive: the site did not say whether the token works".into());
    r
}

fn classify_inner(a: &HttpAnswer) -> ProbeResult {
    if a.oversize {
        return inconclusive(
            ProbeStatus::NotMoodle,
            "oversize: answer larger than 1 MiB (not a site_info answer)",
        );
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
            return inconclusive(
                ProbeStatus::Redirected,
                format!("HTTP {}{to} (redirects are never followed)", a.status),
            );
        }
        429 => return inconclusive(ProbeStatus::RateLimited, "HTTP 429: too many requests"),
        503 if is_maintenance_page(&body_text) => {
            return inconclusive(
                ProbeStatus::Maintenance,
                "HTTP 503: the site is in maintenance mode",
            );
        }
        500..=599 => {
            return inconclusive(ProbeStatus::ServerError, format!("HTTP {}", a.status));
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
            return r;
        }
        200 => {}
        other => {
            return inconclusive(
                ProbeStatus::NotMoodle,
                format!("HTTP {other}{}", describe_body(&body_text)),
            );
        }
    }
    let json: Value = match serde_json::from_slice(&a.body) {
        Ok(v) => v,
        Err(_) => {
            return inconclusive(
                ProbeStatus::NotMoodle,
                format!("HTTP 200{}", describe_body(&body_text)),
            )
        }
    };
    if let Some(code) = json.get("errorcode").and_then(Value::as_str) {
        if json.get("exception").is_some() {
            return moodle_error(code, &json);
        }
    }
    match site_info(&json) {
        Some(info) => {
            let mut r = ProbeResult::new(ProbeStatus::Live, None);
            r.detail = Some("the token works: rotate it first".into());
            r.site_info = Some(info);
            r
        }
        None => inconclusive(
            ProbeStatus::NotMoodle,
            "JSON that is neither a Moodle error nor a site_info answer",
        ),
    }
}

fn moodle_error(code: &str, json: &Value) -> ProbeResult {
    let code = short(code);
    let mut r = match code.as_str() {
        "invalidtoken" => {
            let mut r = ProbeResult::new(ProbeStatus::Invalid, Some("invalidtoken".into()));
            r.detail = Some(
                "Moodle does not know this token: revoked, expired and deleted, or never existed"
                    .into(),
            );
            r
        }
        "accessexception" => {
            let debuginfo = json.get("debuginfo").and_then(Value::as_str);
            let mut r = ProbeResult::new(
                ProbeStatus::Denied,
                Some(denied_reason(debuginfo).to_string()),
            );
            r.detail = Some(
                "the token exists but this call was refused; it may still work from another address or for another function: not dead, rotate it"
                    .into(),
            );
            r
        }
        "sitemaintenance" => inconclusive(ProbeStatus::Maintenance, "sitemaintenance"),
        c if c.starts_with("wsaccessuser") || c == "passwordisexpired" => {
            let mut r = ProbeResult::new(ProbeStatus::UserBlocked, Some(c.to_string()));
            r.detail = Some(
                "the token exists but its user is blocked; it works again if the user is restored: rotate it"
                    .into(),
            );
            r
        }
        other => inconclusive(
            ProbeStatus::Unexpected,
            format!("Moodle error code {other}"),
        ),
    };
    r.errorcode = Some(code);
    r
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
fn site_info(json: &Value) -> Option<SiteInfo> {
    let obj = json.as_object()?;
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

/// Server text made safe to show: no control characters, at most [`MAX_TEXT`] characters.
fn short(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_TEXT)
        .collect();
    if s.chars().count() > MAX_TEXT {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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

    fn status_of(status: u16, name: &str) -> (ProbeStatus, Option<String>) {
        let r = classify(&answer(status, name));
        (r.status, r.reason)
    }

    #[test]
    fn live_answers_keep_the_evidence_and_never_the_private_key() {
        let r = classify(&answer(200, "valid.json"));
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

        let admin = classify(&answer(200, "admin_overprivileged.json"));
        let info = admin.site_info.unwrap();
        assert_eq!(info.userissiteadmin, Some(true));
        assert_eq!(info.function_count, 6);
    }

    #[test]
    fn moodle_error_codes_map_to_their_statuses() {
        for f in [
            "revoked.json",
            "invalid_random.json",
            "missing_token.json",
            "invalid_get.json",
            "expired_second_call.json",
            "debug_revoked.json",
            "wrong_function_invalid_token.json",
        ] {
            assert_eq!(status_of(200, f).0, ProbeStatus::Invalid, "{f}");
        }
        for (f, reason) in [
            ("expired.json", "unknown"),
            ("iprestricted.json", "unknown"),
            ("service_disabled.json", "unknown"),
            ("function_not_in_service.json", "unknown"),
            ("debug_expired.json", "expired"),
            ("debug_iprestricted.json", "ip-restricted"),
            ("debug_service_disabled.json", "not-authorised"),
            ("debug_function_not_in_service.json", "not-authorised"),
        ] {
            assert_eq!(
                status_of(200, f),
                (ProbeStatus::Denied, Some(reason.to_string())),
                "{f}"
            );
        }
        assert_eq!(
            status_of(200, "user_suspended.json"),
            (
                ProbeStatus::UserBlocked,
                Some("wsaccessusersuspended".into())
            )
        );
        assert_eq!(
            status_of(200, "wrong_function.json").0,
            ProbeStatus::Unexpected
        );
    }

    fn body(status: u16, text: &str) -> ProbeStatus {
        classify(&HttpAnswer {
            status,
            body: text.as_bytes().to_vec(),
            ..Default::default()
        })
        .status
    }

    #[test]
    fn other_moodle_error_codes() {
        let err = |code: &str| {
            format!(r#"{{"exception":"moodle_exception","errorcode":"{code}","message":"m"}}"#)
        };
        assert_eq!(body(200, &err("sitemaintenance")), ProbeStatus::Maintenance);
        assert_eq!(
            body(200, &err("wsaccessuserdeleted")),
            ProbeStatus::UserBlocked
        );
        assert_eq!(
            body(200, &err("wsaccessusernologin")),
            ProbeStatus::UserBlocked
        );
        assert_eq!(body(200, &err("somethingelse")), ProbeStatus::Unexpected);
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
        assert_eq!(
            status_of(403, "ws_disabled_403_empty.txt").0,
            ProbeStatus::WsDisabled
        );
        assert_eq!(
            status_of(403, "rest_disabled_403_empty.txt").0,
            ProbeStatus::WsDisabled
        );
        assert_eq!(
            status_of(503, "cli_maintenance_503.html").0,
            ProbeStatus::Maintenance
        );
        assert_eq!(
            status_of(303, "redirect_303_wrong_host.html").0,
            ProbeStatus::Redirected
        );
        assert_eq!(
            status_of(200, "redirect_303_wrong_host.html").0,
            ProbeStatus::NotMoodle
        );
        assert_eq!(status_of(200, "valid_xml.xml").0, ProbeStatus::NotMoodle);
        assert_eq!(status_of(404, "valid.json").0, ProbeStatus::NotMoodle);
        assert_eq!(status_of(500, "valid.json").0, ProbeStatus::ServerError);
        assert_eq!(status_of(429, "valid.json").0, ProbeStatus::RateLimited);
        assert_eq!(
            status_of(403, "valid.json").0,
            ProbeStatus::NotMoodle,
            "a 403 with a body is a firewall page, not ws-disabled"
        );
        let mut big = answer(200, "valid.json");
        big.oversize = true;
        assert_eq!(classify(&big).status, ProbeStatus::NotMoodle);
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
        let r = classify(&HttpAnswer {
            status: 200,
            body: body.to_vec(),
            ..Default::default()
        });
        assert_eq!(r.status, ProbeStatus::NotMoodle);
    }
}
