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

/// How far before a URL's `://` a setting's name may start (`'moodle_base_url' => '`).
const SETTING_REACH: usize = 96;

/// Whether `b` may be part of a URL as the two regexes read one.
fn url_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace() || b"\"'<>()\\{}|^`".contains(&b))
}

/// Every Moodle web root named in `buf`, in order of position.
///
/// Every mention holds a URL, so the regexes run only on a window around each `://` (the
/// URL, and the setting name that may stand before it), not over the whole buffer: a
/// case-insensitive regex scan of every buffer with a finding cost more than the matching.
pub fn mentions(buf: &[u8]) -> Vec<SiteMention> {
    let mut out: Vec<SiteMention> = Vec::new();
    let mut searched_to = 0;
    for sep in memchr::memmem::find_iter(buf, b"://") {
        if sep < searched_to {
            continue; // inside a window already searched
        }
        let mut end = sep + 3;
        while end < buf.len() && url_byte(buf[end]) {
            end += 1;
        }
        let start = sep.saturating_sub(SETTING_REACH).max(searched_to);
        let window = &buf[start..end];
        for re in [&*ENDPOINT_URL, &*SETTING_URL] {
            for c in re.captures_iter(window) {
                let m = c.get(1).expect("group 1");
                // A web root has no user info: a password there is neither shown nor probed.
                let root = crate::redact::strip_userinfo(
                    String::from_utf8_lossy(m.as_bytes()).trim_end_matches('/'),
                );
                out.push(SiteMention {
                    start: start + m.start(),
                    root,
                });
            }
        }
        searched_to = end;
    }
    out.sort_by_key(|m| m.start);
    out.dedup();
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
    fn mentions_are_found_around_each_url_only() {
        let buf = b"see http://www.gnu.org/licenses/\n$CFG->wwwroot = 'https://lms.example.edu';\n\
            call HTTPS://Other.Example/moodle/webservice/rest/server.php and\n\
            'moodle_base_url' => \"https://third.example\",";
        let roots: Vec<String> = mentions(buf).into_iter().map(|m| m.root).collect();
        assert_eq!(
            roots,
            [
                "https://lms.example.edu",
                "HTTPS://Other.Example/moodle",
                "https://third.example"
            ]
        );
        assert!(mentions(b"no url here: webservice/rest/server.php").is_empty());
    }

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
