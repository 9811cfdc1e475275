//! Findings: what a match becomes once it has a place, an identity and a redacted face.
//!
//! A [`Finding`] keeps the raw secret in memory (the probe needs it and `--show-secrets` may
//! print it) but every reporter goes through [`Finding::secret_shown`] and
//! [`Finding::line_shown`], so redaction is decided in one place.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Names and versions the fingerprint algorithm in every output, so that a baseline written
/// by one version is never silently compared with fingerprints of another.
pub const FINGERPRINT_ALGORITHM: &str = "moodleleaks-fp-v1:sha256(kind NUL normalised-secret)";

/// What sort of credential (or hygiene problem) a finding is; decides rotation advice and
/// which secrets are "the same" across places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Wstoken,
    Privatetoken,
    Userkey,
    MobileLaunch,
    PasswordInUrl,
    Hygiene,
}

impl Kind {
    /// The name used in rule files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Wstoken => "wstoken",
            Kind::Privatetoken => "privatetoken",
            Kind::Userkey => "userkey",
            Kind::MobileLaunch => "mobile-launch",
            Kind::PasswordInUrl => "password-in-url",
            Kind::Hygiene => "hygiene",
        }
    }

    /// Hygiene findings point at a practice, not at a credential: they never hide a secret
    /// finding and never get probed.
    pub fn is_credential(self) -> bool {
        self != Kind::Hygiene
    }

    /// Hex credentials authenticate case-insensitively on MySQL (see MOODLE.md), so an
    /// uppercased copy is the same secret and must share its fingerprint.
    fn is_case_insensitive_hex(self) -> bool {
        matches!(self, Kind::Wstoken | Kind::Userkey)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How urgent a finding is before any probe says more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The name used in rule files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identity of a secret independent of where it appears: the same token in many files and
/// commits groups under one fingerprint, and a finding keeps it when lines move.
pub fn fingerprint(kind: Kind, secret: &str) -> String {
    if kind.is_case_insensitive_hex() {
        sha256_hex(&[kind.as_str(), &secret.to_ascii_lowercase()])
    } else {
        sha256_hex(&[kind.as_str(), secret])
    }
}

/// The fingerprints `secret` has under every kind a version may report it as: its own first,
/// then, for a random token value, the other token kinds. A 32-hex value is a web-service
/// token or a user key depending on what names it, and a later version may read the same
/// input better (`src/repeats.rs` gives every occurrence of a value the kind of the rule
/// that speaks for it): a baseline or an allowlisted fingerprint written under one kind
/// still recognises the same secret under another.
///
/// A password read from a percent-encoded URL query is reported decoded (the rule field
/// `secret_encoding = "query"`); versions before that reported it as written. Its aliases
/// are the fingerprints of the password as the usual encoders write it (PHP's `urlencode`
/// and `rawurlencode`, Python's `quote_plus`, JavaScript's `encodeURIComponent`), so a
/// baseline of such a version still knows a machine-written URL's password. Likewise a
/// launch payload whose padding was written `%3D` is reported with `=`.
pub fn fingerprint_aliases(kind: Kind, secret: &str) -> Vec<String> {
    const TOKEN_KINDS: [Kind; 3] = [Kind::Wstoken, Kind::Userkey, Kind::Privatetoken];
    let mut out = vec![fingerprint(kind, secret)];
    if TOKEN_KINDS.contains(&kind) {
        let others = TOKEN_KINDS.iter().filter(|&&k| k != kind);
        out.extend(others.map(|&k| fingerprint(k, secret)));
    }
    // A launch payload written into another URL had its padding percent-encoded (`%3D`).
    if kind == Kind::MobileLaunch && secret.ends_with('=') {
        out.push(fingerprint(kind, &secret.replace('=', "%3D")));
    }
    if kind == Kind::PasswordInUrl {
        for written in query_encodings(secret) {
            let alias = fingerprint(kind, &written);
            if !out.contains(&alias) {
                out.push(alias);
            }
        }
    }
    out
}

/// `value` as the usual URL-query encoders write it (see [`fingerprint_aliases`]), each once;
/// empty when every encoder leaves it as it is.
fn query_encodings(value: &str) -> Vec<String> {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    // PHP urlencode (space as `+`), rawurlencode / Python quote (`~` kept, space `%20`),
    // JavaScript encodeURIComponent (`!'()*~` kept too).
    const PHP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');
    const RAW: &AsciiSet = &PHP.remove(b'~');
    const JS: &AsciiSet = &RAW
        .remove(b'!')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*');
    let mut out: Vec<String> = Vec::new();
    for (set, plus) in [(PHP, true), (RAW, false), (RAW, true), (JS, false)] {
        let mut written = utf8_percent_encode(value, set).to_string();
        if plus {
            written = written.replace("%20", "+");
        }
        if written != value && !out.contains(&written) {
            out.push(written);
        }
    }
    out
}

/// SHA-256 of `parts` joined by NUL bytes, in lowercase hex: every identifier moodleleaks
/// derives (fingerprints, location fingerprints, report ids) is built this one way.
pub fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(part.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// The redacted face of a secret: enough to recognise it in a token list, too little to use.
pub fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

/// Where a finding was made in git history; absent for files on disk and stdin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    pub commit: String,
    pub author: String,
    pub email: String,
    /// RFC 3339 author date.
    pub date: String,
    pub summary: String,
}

/// One secret (or hygiene problem) at one place.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: String,
    pub kind: Kind,
    pub severity: Severity,
    /// Path as reported: relative to the scan root where there is one; inside an archive,
    /// `outer!member` (`site.zip!config/.env`, nested `a.zip!b.tar.gz!c/.env`).
    pub path: String,
    /// Inside an archive or compressed file: the member chain after the outer file
    /// (`config/.env`, `b.tar.gz!c/.env`); `path` ends with `!` and this.
    pub member: Option<String>,
    /// 1-based line number; 0 for a finding in a binary input (see `byte_offset`).
    pub line: u32,
    /// 1-based column, in characters; 0 for a finding in a binary input.
    pub column: u32,
    /// Set for a finding in a binary input, read as its printable runs (see
    /// [`crate::strings`]): the byte offset of the secret's first byte in that input,
    /// which has no lines to point at.
    pub byte_offset: Option<u64>,
    /// The raw secret; never serialised directly.
    pub secret: String,
    /// Whether the secret is a credential to hide (false for hygiene findings whose "secret"
    /// is a plain URL).
    pub redact: bool,
    pub fingerprint: String,
    /// The line with every credential on it redacted.
    pub line_redacted: String,
    /// The raw line, for `--show-secrets`.
    pub line_raw: String,
    /// The Moodle site the secret belongs to, when the match or its file names one.
    pub site: Option<String>,
    /// Set for findings in git history.
    pub commit: Option<CommitInfo>,
    /// Set for findings in git history: whether the secret is still in HEAD's files.
    pub present_at_head: Option<bool>,
    /// Later commits that introduced the same secret elsewhere (history scans).
    pub also_in: Vec<CommitRef>,
    /// Set by the probe (`--probe`).
    pub probe: Option<crate::probe::outcome::ProbeResult>,
    /// `audit`: the repository the finding is in (its normalised name), so that shard
    /// reports can be merged.
    pub repository: Option<String>,
    /// Incremental `audit`: true when the previous audit of the repository did not report
    /// this secret at this path and commit; absent on a first audit.
    pub new: Option<bool>,
}

/// A short pointer to another place in history where a secret was introduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRef {
    pub commit: String,
    pub path: String,
    pub line: u32,
    pub date: String,
}

impl Finding {
    /// The secret as outputs may show it.
    pub fn secret_shown(&self, show_secrets: bool) -> String {
        if show_secrets {
            self.secret.clone()
        } else if !self.redact {
            // A hygiene finding shows its URL, but never a password in its user info.
            crate::redact::Redactor::default()
                .mask(&self.secret)
                .into_owned()
        } else {
            redact(&self.secret)
        }
    }

    /// The line as outputs may show it.
    pub fn line_shown(&self, show_secrets: bool) -> &str {
        if show_secrets {
            &self.line_raw
        } else {
            &self.line_redacted
        }
    }

    /// Identity of this secret at this path: stable when lines move, and never derived from
    /// anything but the fingerprint and the path, so it carries no secret. SARIF and GitLab
    /// use it to keep an alert's identity across runs.
    pub fn location_fingerprint(&self) -> String {
        sha256_hex(&[&self.fingerprint, &self.path])
    }

    /// The file on disk or in git that holds the finding: `path` without its member chain
    /// (SARIF's artifact, which must be a real file).
    pub fn artifact_path(&self) -> &str {
        match &self.member {
            Some(m) if self.path.len() > m.len() && self.path.ends_with(m.as_str()) => {
                let outer = &self.path[..self.path.len() - m.len()];
                outer.strip_suffix('!').unwrap_or(&self.path)
            }
            _ => &self.path,
        }
    }

    /// Where the finding is in its input, as people read it: `12:5` (line and column), or
    /// `@offset 4096` in a binary input.
    pub fn location(&self) -> String {
        match self.byte_offset {
            Some(o) => format!("@offset {o}"),
            None => format!("{}:{}", self.line, self.column),
        }
    }

    /// Sort key giving a stable, readable order: by path and line (byte offset in a binary
    /// input), credentials before hygiene notes, then column and rule.
    pub fn sort_key(&self) -> (&str, u32, Option<u64>, bool, u32, &str) {
        (
            &self.path,
            self.line,
            self.byte_offset,
            !self.kind.is_credential(),
            self.column,
            &self.rule_id,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_hex_case_but_not_kind() {
        let a = fingerprint(Kind::Wstoken, "c8ff1654a992bc683c2c7901b1aa1d97"); // moodleleaks:allow
        let b = fingerprint(Kind::Wstoken, "C8FF1654A992BC683C2C7901B1AA1D97"); // moodleleaks:allow
        let c = fingerprint(Kind::Userkey, "c8ff1654a992bc683c2c7901b1aa1d97");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
        assert!(!a.contains("c8ff1654"));
    }

    #[test]
    fn redaction_keeps_four_characters() {
        assert_eq!(redact("c8ff1654a992bc683c2c7901b1aa1d97"), "c8ff…");
        assert_eq!(redact("ab"), "ab…");
    }
}

#[cfg(test)]
mod alias_tests {
    use super::*;

    /// A baseline written when a percent-encoded password was reported as written still
    /// knows it now that it is reported decoded.
    #[test]
    fn an_encoded_passwords_old_fingerprint_is_an_alias_of_the_decoded_one() {
        let aliases = fingerprint_aliases(Kind::PasswordInUrl, "kasztan+6169@Lms");
        let written = fingerprint(Kind::PasswordInUrl, "kasztan%2B6169%40Lms");
        assert!(aliases.contains(&written));
        let spaced = fingerprint_aliases(Kind::PasswordInUrl, "two words~(x)");
        for written in [
            "two+words%7E%28x%29",
            "two%20words~%28x%29",
            "two%20words~(x)",
        ] {
            assert!(
                spaced.contains(&fingerprint(Kind::PasswordInUrl, written)),
                "{written}"
            );
        }
        // A password no encoder changes has only its own fingerprint.
        assert_eq!(
            fingerprint_aliases(Kind::PasswordInUrl, "Plain-P4ss").len(),
            1
        );
    }
}
