//! Which Moodle site a secret belongs to.
//!
//! Only the buffer the secret was found in is consulted: the URL the secret appears in, else
//! a Moodle URL or `wwwroot`-style setting elsewhere in the same file. The probe relies on
//! this binding: a URL planted in another file must never attract a token.

use regex::bytes::Regex;
use std::sync::LazyLock;

/// A Moodle web root named in a buffer, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteMention {
    /// Byte offset where the URL starts.
    pub start: usize,
    /// The web root, without a trailing slash (`https://lms.example.edu/moodle`).
    pub root: String,
}

/// How the site of a finding was bound to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// The secret sits in the URL that names the site.
    SameMatch,
    /// The site is named elsewhere in the same file.
    SameFile,
}

static ENDPOINT_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(https?://[^\s"'<>()\\{}|^`]+?)/(?:webservice/|login/token\.php|tokenpluginfile\.php)"#,
    )
    .expect("valid regex")
});

static SETTING_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:moodle[_.\-]?(?:url|site|host|wwwroot|root|base[_\-]?url|site[_\-]?url|domain)|wwwroot|site[_\-]?url)["'\]]?\s*(?:=>|:=|[:=])\s*["']?(https?://[^\s"'<>()\\{}|^`]+)"#,
    )
    .expect("valid regex")
});

/// The cheapest test that a buffer may name a site at all.
fn may_name_site(buf: &[u8]) -> bool {
    memchr::memmem::find(buf, b"://").is_some()
}

/// Every Moodle web root named in `buf`, in order of position.
pub fn mentions(buf: &[u8]) -> Vec<SiteMention> {
    let mut out = Vec::new();
    if !may_name_site(buf) {
        return out;
    }
    for re in [&*ENDPOINT_URL, &*SETTING_URL] {
        for c in re.captures_iter(buf) {
            let m = c.get(1).expect("group 1");
            // A web root has no user info: a password there is neither shown nor probed.
            let root = crate::redact::strip_userinfo(
                String::from_utf8_lossy(m.as_bytes()).trim_end_matches('/'),
            );
            out.push(SiteMention {
                start: m.start(),
                root,
            });
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// The site bound to a secret at `secret_start`, whose line starts at `line_start`.
///
/// A mention that starts on the same line before the secret with no white space between
/// them is the URL the secret is part of; otherwise the nearest mention in the buffer wins.
pub fn bind(
    buf: &[u8],
    mentions: &[SiteMention],
    line_start: usize,
    secret_start: usize,
) -> Option<(String, Binding)> {
    // `mentions` is sorted by start: the nearest one at or before the secret, then the
    // nearest overall, by binary search (a one-line dump can hold thousands).
    let after = mentions.partition_point(|m| m.start <= secret_start);
    if let Some(m) = after.checked_sub(1).map(|i| &mentions[i]) {
        let joined = m.start >= line_start
            && !buf[m.start..secret_start]
                .iter()
                .any(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'');
        if joined {
            return Some((m.root.clone(), Binding::SameMatch));
        }
    }
    let before = after.checked_sub(1).map(|i| &mentions[i]);
    let next = mentions.get(after);
    let nearest = match (before, next) {
        (Some(b), Some(n)) if n.start - secret_start < secret_start - b.start => Some(n),
        (Some(b), _) => Some(b),
        (None, n) => n,
    };
    nearest.map(|m| (m.root.clone(), Binding::SameFile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_in_same_match_wins_over_nearer_mentions() {
        let buf = b"MOODLE_URL=https://a.example\nx https://b.example/m/webservice/rest/server.php?wstoken=T";
        let ms = mentions(buf);
        let pos = buf.len() - 1;
        let line_start = 29;
        let (site, how) = bind(buf, &ms, line_start, pos).unwrap();
        assert_eq!(site, "https://b.example/m");
        assert_eq!(how, Binding::SameMatch);
    }

    #[test]
    fn setting_in_same_file_binds() {
        let buf = b"$CFG->wwwroot = 'https://lms.example.edu';\n$token = 'x';";
        let ms = mentions(buf);
        let (site, how) = bind(buf, &ms, 42, 53).unwrap();
        assert_eq!(site, "https://lms.example.edu");
        assert_eq!(how, Binding::SameFile);
    }
}
