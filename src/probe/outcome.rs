//! The result of probing one token at one site, as every output shows it (`probe` in JSON).
//!
//! It carries evidence only: no token and never the `userprivateaccesskey` that a site_info
//! answer contains (it is a second credential).

use super::binding::SiteSource;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What the site said about the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeStatus {
    /// The token passed Moodle's token checks: a working credential (site_info may or may not
    /// have said what it can do).
    Live,
    /// `invalidtoken`: revoked or never existed.
    Invalid,
    /// An expired token: Moodle answered `accessexception` and deleted it (a later call says
    /// `invalidtoken`, or `debuginfo` says so). Dead now, deleted by the probe itself.
    Expired,
    /// `accessexception` before any function ran, and the token still there: an IP
    /// restriction (or, on some versions, a refused user or protocol capability). Not dead.
    Denied,
    /// `wsaccessuser*`: the user behind the token is suspended, deleted or cannot log in.
    UserBlocked,
    /// HTTP 403 with an empty body: web services or REST are off on that site.
    WsDisabled,
    /// `sitemaintenance`: Moodle found the token and checked its expiry, address and user, then
    /// refused because the site is in maintenance. It exists; not dead.
    ExistsMaintenance,
    /// The HTTP 503 maintenance page (CLI maintenance): says nothing of the token.
    Maintenance,
    /// Not a Moodle web-service answer (HTML, 404, not JSON, too large).
    NotMoodle,
    /// A 3xx answer (never followed).
    Redirected,
    /// HTTP 429.
    RateLimited,
    /// HTTP 5xx.
    ServerError,
    /// DNS, connect, TLS or timeout.
    Unreachable,
    /// A Moodle error code moodleleaks does not know.
    Unexpected,
    /// Not sent: no site bound to the token, host or scheme refused.
    NotAttempted,
}

impl ProbeStatus {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeStatus::Live => "live",
            ProbeStatus::Invalid => "invalid",
            ProbeStatus::Expired => "expired",
            ProbeStatus::Denied => "denied",
            ProbeStatus::UserBlocked => "user-blocked",
            ProbeStatus::WsDisabled => "ws-disabled",
            ProbeStatus::ExistsMaintenance => "exists-maintenance",
            ProbeStatus::Maintenance => "maintenance",
            ProbeStatus::NotMoodle => "not-moodle",
            ProbeStatus::Redirected => "redirected",
            ProbeStatus::RateLimited => "rate-limited",
            ProbeStatus::ServerError => "server-error",
            ProbeStatus::Unreachable => "unreachable",
            ProbeStatus::Unexpected => "unexpected",
            ProbeStatus::NotAttempted => "not-attempted",
        }
    }

    /// What the status means for rotation: only `live` is a confirmed working credential and
    /// only `invalid` and `expired` dead ones; everything else says neither.
    pub fn verdict(self) -> Verdict {
        match self {
            ProbeStatus::Live => Verdict::Live,
            ProbeStatus::Invalid | ProbeStatus::Expired => Verdict::Dead,
            ProbeStatus::Denied | ProbeStatus::UserBlocked | ProbeStatus::ExistsMaintenance => {
                Verdict::Exists
            }
            ProbeStatus::NotAttempted => Verdict::NotAttempted,
            _ => Verdict::Inconclusive,
        }
    }
}

impl fmt::Display for ProbeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rotation meaning of a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Works now: rotate first.
    Live,
    /// Moodle says the token does not exist.
    Dead,
    /// The token exists but was refused for this call, address or user: still rotate.
    Exists,
    /// The site did not say (firewall, rate limit, outage, not Moodle).
    Inconclusive,
    /// Nothing was sent.
    NotAttempted,
}

/// How urgent a live token is, from what its service lets it call (see [`super::rate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Only functions that read.
    Medium,
    /// Functions that change data as the token's own user (messages, posts, submissions...).
    High,
    /// A site administrator, or functions that act beyond the token's own user.
    Critical,
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        })
    }
}

/// The evidence of a live token: who it acts as, where, and what it may call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub sitename: String,
    pub siteurl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub userid: i64,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fullname: Option<String>,
    /// Absent when the site's Moodle is too old to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userissiteadmin: Option<bool>,
    pub function_count: usize,
    pub functions: Vec<String>,
}

/// One probe's result, attached to every finding of that token at that site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub status: ProbeStatus,
    pub verdict: Verdict,
    /// The site the token was (or would have been) sent to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Where that site came from: the token's own file, or the user's flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_source: Option<SiteSource>,
    /// The short reason: `functions-unknown` for a live token whose site_info call was refused,
    /// `expired`, a denied reason (`ip-restricted`, `service-disabled`, `not-authorised`,
    /// `unknown`), a blocked user's error code, `sitemaintenance`, or why it is inconclusive or
    /// not attempted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the status means for the user, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Moodle's `errorcode`, when it answered with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errorcode: Option<String>,
    #[serde(flatten)]
    pub site_info: Option<SiteInfo>,
    /// Live tokens whose functions are known only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// Why that rating: `site administrator`, or the functions that earned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_reason: Option<String>,
    /// Functions the token can call that change data (rules/data/function-families.toml).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mutating_functions: Vec<String>,
    /// Set when the token can call more than its use needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub least_privilege: Option<String>,
}

impl ProbeResult {
    /// A result with only a status, verdict and reason.
    pub fn new(status: ProbeStatus, reason: Option<String>) -> ProbeResult {
        ProbeResult {
            status,
            verdict: status.verdict(),
            site: None,
            site_source: None,
            reason,
            detail: None,
            http_status: None,
            errorcode: None,
            site_info: None,
            rating: None,
            rating_reason: None,
            mutating_functions: Vec::new(),
            least_privilege: None,
        }
    }

    /// Nothing was sent, and why.
    pub fn not_attempted(reason: impl Into<String>) -> ProbeResult {
        ProbeResult::new(ProbeStatus::NotAttempted, Some(reason.into()))
    }

    /// Whether the token is a confirmed working credential.
    pub fn is_live(&self) -> bool {
        self.status == ProbeStatus::Live
    }

    /// Replaces `token` (any case) in every text the site could have echoed, strips control
    /// characters, and caps lengths: a hostile server knows the token it was sent.
    pub fn scrub(&mut self, token: &str) {
        let s = |v: &mut String| *v = super::scrub(v, token);
        let o = |v: &mut Option<String>| {
            if let Some(x) = v {
                *x = super::scrub(x, token);
            }
        };
        o(&mut self.site);
        o(&mut self.reason);
        o(&mut self.detail);
        o(&mut self.errorcode);
        o(&mut self.least_privilege);
        o(&mut self.rating_reason);
        self.mutating_functions.iter_mut().for_each(s);
        if let Some(info) = &mut self.site_info {
            s(&mut info.sitename);
            s(&mut info.siteurl);
            s(&mut info.username);
            o(&mut info.release);
            o(&mut info.version);
            o(&mut info.fullname);
            info.functions.iter_mut().for_each(s);
        }
    }
}
