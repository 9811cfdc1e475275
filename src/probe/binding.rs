//! Which site a token may be sent to.
//!
//! A scanned repository is untrusted, and the probe takes its target from it: the defence
//! against server-side request forgery and token exfiltration is that a token only ever goes
//! to the site bound to it. That is the site the scanner found in the same match or the same
//! file ([`crate::site::bind`] never looks at another file), else `--moodle-url`. A URL
//! planted in another file therefore cannot pull a token to an attacker's server.

use reqwest::Url;

/// The user's choices about targets.
#[derive(Debug, Clone, Default)]
pub struct TargetPolicy {
    /// `--moodle-url`: the site of tokens whose file names none.
    pub moodle_url: Option<String>,
    /// `--probe-hosts`: hosts the user allows (and vouches for, so internal is fine).
    pub probe_hosts: Vec<String>,
    /// `--probe-only-configured`: never a host from the content.
    pub only_configured: bool,
    /// `--allow-http`.
    pub allow_http: bool,
}

/// Where the site of a target came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteSource {
    /// The URL the token sits in, or a Moodle URL in the same file.
    File,
    /// `--moodle-url`, or `probe --url`.
    Configured,
}

/// A site a token may be sent to, before its addresses are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The web root, as shown in outputs (`https://lms.example.edu/moodle`).
    pub site: String,
    /// `{site}/webservice/rest/server.php`.
    pub endpoint: Url,
    /// Host name or IP literal, lowercased.
    pub host: String,
    pub port: u16,
    pub source: SiteSource,
    /// The user named this host (`--moodle-url`, `--probe-hosts`, `probe --url`).
    pub intended: bool,
}

/// Parses a web root as given by the user or found in content: only http(s), no user info;
/// query and fragment dropped.
pub fn parse_site(raw: &str) -> Result<Url, String> {
    let mut url = Url::parse(raw.trim()).map_err(|e| format!("{}: not a URL ({e})", raw.trim()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{url}: only http(s) sites can be probed"));
    }
    if url.host_str().is_none_or(|h| h.is_empty()) {
        return Err(format!("{url}: no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("site URL with user info refused".into());
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

fn host_of(url: &Url) -> String {
    url.host_str()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// A `--probe-hosts` entry as a bare host: accepts `host`, `host:port` or a URL.
fn normalise_host(entry: &str) -> String {
    let e = entry.trim();
    if let Ok(u) = Url::parse(e) {
        if u.host_str().is_some() {
            return host_of(&u);
        }
    }
    if let Ok(u) = Url::parse(&format!("https://{e}")) {
        if u.host_str().is_some() {
            return host_of(&u);
        }
    }
    e.to_ascii_lowercase()
}

impl TargetPolicy {
    /// Hosts the user named.
    fn configured_hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self.probe_hosts.iter().map(|h| normalise_host(h)).collect();
        if let Some(u) = self.moodle_url.as_deref().and_then(|u| parse_site(u).ok()) {
            hosts.push(host_of(&u));
        }
        hosts
    }

    /// Checks the flags once, before any scan: a bad `--moodle-url` is a usage error.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(u) = &self.moodle_url {
            parse_site(u).map_err(|e| format!("--moodle-url: {e}"))?;
        }
        if self.only_configured && self.moodle_url.is_none() && self.probe_hosts.is_empty() {
            return Err(
                "--probe-only-configured needs --moodle-url or --probe-hosts (else nothing may be probed)"
                    .into(),
            );
        }
        Ok(())
    }

    /// The target for a token whose finding is bound to `found_site` (from its own match or
    /// file), or why it is not probed.
    pub fn target(&self, found_site: Option<&str>) -> Result<Target, String> {
        let (raw, source) = match (found_site, &self.moodle_url) {
            (Some(s), _) => (s, SiteSource::File),
            (None, Some(u)) => (u.as_str(), SiteSource::Configured),
            (None, None) => {
                return Err(
                    "no site is named next to this token (name it with --moodle-url)".into(),
                )
            }
        };
        let url = parse_site(raw)?;
        let host = host_of(&url);
        let intended = source == SiteSource::Configured || self.configured_hosts().contains(&host);
        if self.only_configured && !intended {
            return Err(format!(
                "host {host} comes from the scanned content and --probe-only-configured is set"
            ));
        }
        self.target_for(url, source, intended)
    }

    /// The target for a site the user named (`probe --url`).
    pub fn explicit(&self, site: &str) -> Result<Target, String> {
        let url = parse_site(site)?;
        self.target_for(url, SiteSource::Configured, true)
    }

    fn target_for(&self, url: Url, source: SiteSource, intended: bool) -> Result<Target, String> {
        if url.scheme() == "http" && !self.allow_http {
            return Err(format!(
                "{}: plain http refused (the token would travel in clear text; use --allow-http)",
                url.host_str().unwrap_or_default()
            ));
        }
        let site = url.as_str().trim_end_matches('/').to_string();
        let endpoint = Url::parse(&format!("{site}/webservice/rest/server.php"))
            .map_err(|e| format!("{site}: cannot build the endpoint ({e})"))?;
        Ok(Target {
            host: host_of(&url),
            port: url.port_or_known_default().unwrap_or(443),
            site,
            endpoint,
            source,
            intended,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> TargetPolicy {
        TargetPolicy {
            allow_http: false,
            ..Default::default()
        }
    }

    #[test]
    fn the_found_site_wins_and_moodle_url_is_the_fallback() {
        let p = TargetPolicy {
            moodle_url: Some("https://lms.example.edu/".into()),
            ..policy()
        };
        let t = p.target(Some("https://other.example.org/moodle")).unwrap();
        assert_eq!(t.site, "https://other.example.org/moodle");
        assert_eq!(
            t.endpoint.as_str(),
            "https://other.example.org/moodle/webservice/rest/server.php"
        );
        assert_eq!(t.source, SiteSource::File);
        assert!(!t.intended);
        let t = p.target(None).unwrap();
        assert_eq!(t.site, "https://lms.example.edu");
        assert!(t.intended);
        assert!(policy().target(None).is_err());
    }

    #[test]
    fn only_configured_refuses_content_hosts() {
        let p = TargetPolicy {
            probe_hosts: vec!["lms.example.edu:8443".into()],
            only_configured: true,
            ..policy()
        };
        assert!(p.target(Some("https://evil.example.com")).is_err());
        let t = p.target(Some("https://LMS.example.edu/m")).unwrap();
        assert!(t.intended);
    }

    #[test]
    fn plain_http_and_odd_urls_are_refused() {
        let err = policy().target(Some("http://lms.example.edu")).unwrap_err();
        assert!(err.contains("--allow-http"), "{err}");
        let p = TargetPolicy {
            allow_http: true,
            ..policy()
        };
        assert_eq!(p.target(Some("http://lms.example.edu")).unwrap().port, 80);
        assert!(parse_site("ftp://x.example").is_err());
        assert!(parse_site("https://user:pw@x.example").is_err());
        assert_eq!(
            parse_site("https://x.example/m?a=b#c").unwrap().as_str(),
            "https://x.example/m"
        );
    }

    #[test]
    fn validate_rejects_unusable_flags() {
        let p = TargetPolicy {
            only_configured: true,
            ..policy()
        };
        assert!(p.validate().is_err());
        let p = TargetPolicy {
            moodle_url: Some("not a url".into()),
            ..policy()
        };
        assert!(p.validate().is_err());
    }
}
