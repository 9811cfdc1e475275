//! Organisation enumeration: every repository of a GitHub organisation or user, or of a
//! GitLab group and its subgroups, through the platforms' REST APIs, as clone URLs for
//! `audit`.
//!
//! Facts from the platforms' documentation:
//! - GitHub REST: `GET /orgs/{org}/repos` and `GET /users/{user}/repos`, at most 100 per page
//!   (`per_page`), the next page in the `Link` header (`rel="next"`); each repository has
//!   `clone_url`, `fork` and `archived`. Rate limits answer 403 or 429 with
//!   `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch seconds) or `retry-after`
//!   (seconds). A bad token is 401.
//! - GitLab REST: `GET /api/v4/groups/:id/projects?include_subgroups=true` (`:id` the
//!   URL-encoded full path), the next page in `x-next-page` (empty on the last) or `Link`;
//!   each project has `http_url_to_repo`, `archived` and, for forks, `forked_from_project`.
//!   Rate limits answer 429 with `retry-after`. Token header: `PRIVATE-TOKEN`.
//!
//! Tokens come from `GITHUB_TOKEN` / `GITLAB_TOKEN` only and are never printed. An
//! organisation that cannot be listed is one counted error line; the others go on.

use crate::cli::ForgeArgs;
use crate::source::remote::RepoSpec;
use crate::summary::Stats;
use anyhow::{bail, Context, Result};
use reqwest::blocking::{Client, Response};
use reqwest::header::HeaderMap;
use serde::Deserialize;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest rate-limit wait accepted; a longer reset is an error line instead.
const MAX_RATE_WAIT: Duration = Duration::from_secs(15 * 60);
/// A hard stop on pages per listing, so that a server that always says "next" cannot loop.
const MAX_PAGES: usize = 10_000;
/// The largest API page read.
const MAX_PAGE_BYTES: u64 = 32 << 20;

/// Whether any organisation, user or group was asked for.
pub fn requested(args: &ForgeArgs) -> bool {
    !(args.github_org.is_empty() && args.github_user.is_empty() && args.gitlab_group.is_empty())
}

/// Every repository of the requested organisations, users and groups, filtered by the fork
/// and archive flags. Listing errors are counted on `stats` and the others go on.
pub fn enumerate(args: &ForgeArgs, stats: &Stats) -> Vec<RepoSpec> {
    if !requested(args) {
        return Vec::new();
    }
    let client = match Client::builder()
        .user_agent(concat!("moodleleaks/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(60))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            stats.error(format!("cannot start the HTTP client: {e}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let github = args.github_api_url.trim_end_matches('/');
    let gh_token = token("GITHUB_TOKEN");
    for (kind, name) in args
        .github_org
        .iter()
        .map(|o| ("orgs", o))
        .chain(args.github_user.iter().map(|u| ("users", u)))
    {
        let what = format!(
            "GitHub {} {name}",
            if kind == "orgs" {
                "organisation"
            } else {
                "user"
            }
        );
        let first = format!(
            "{github}/{kind}/{}/repos?per_page=100&type={}",
            encode(name),
            if kind == "orgs" { "all" } else { "owner" }
        );
        let listed = list::<GithubRepo>(&client, &first, &what, &|r| {
            let r = r.bearer_auth_opt(gh_token.as_deref());
            r.header("Accept", "application/vnd.github+json")
        });
        match listed {
            Ok(repos) => {
                let before = out.len();
                for r in repos {
                    if (r.fork && !args.include_forks) || (r.archived && !args.include_archived) {
                        continue;
                    }
                    push(&mut out, stats, &what, &r.clone_url);
                }
                stats.note(format!("{what}: {} repositories", out.len() - before));
            }
            Err(e) => stats.error(format!("{e:#}")),
        }
    }
    let gitlab = args.gitlab_url.trim_end_matches('/');
    let gl_token = token("GITLAB_TOKEN");
    for group in &args.gitlab_group {
        let what = format!("GitLab group {group}");
        let mut first = format!(
            "{gitlab}/api/v4/groups/{}/projects?include_subgroups=true&per_page=100&order_by=id&sort=asc",
            encode(group)
        );
        if !args.include_archived {
            first.push_str("&archived=false");
        }
        let listed = list::<GitlabProject>(&client, &first, &what, &|r| match &gl_token {
            Some(t) => r.header("PRIVATE-TOKEN", t.as_str()),
            None => r,
        });
        match listed {
            Ok(projects) => {
                let before = out.len();
                for p in projects {
                    let fork = p.forked_from_project.is_some();
                    if (fork && !args.include_forks) || (p.archived && !args.include_archived) {
                        continue;
                    }
                    push(&mut out, stats, &what, &p.http_url_to_repo);
                }
                stats.note(format!("{what}: {} repositories", out.len() - before));
            }
            Err(e) => stats.error(format!("{e:#}")),
        }
    }
    out
}

fn push(out: &mut Vec<RepoSpec>, stats: &Stats, what: &str, url: &str) {
    match RepoSpec::parse(url) {
        Ok(spec @ RepoSpec::Remote(_)) => out.push(spec),
        Ok(_) => stats.error(format!("{what}: {url}: not a clone URL")),
        Err(e) => stats.error(format!("{what}: {e:#}")),
    }
}

/// The token in `var`, when set and not empty.
fn token(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|t| !t.trim().is_empty())
}

/// A path segment (an org, user or `parent/child` group) percent-encoded.
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[derive(Deserialize)]
struct GithubRepo {
    clone_url: String,
    #[serde(default)]
    fork: bool,
    #[serde(default)]
    archived: bool,
}

#[derive(Deserialize)]
struct GitlabProject {
    http_url_to_repo: String,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    forked_from_project: Option<serde_json::Value>,
}

trait BearerOpt {
    fn bearer_auth_opt(self, token: Option<&str>) -> Self;
}

impl BearerOpt for reqwest::blocking::RequestBuilder {
    fn bearer_auth_opt(self, token: Option<&str>) -> Self {
        match token {
            Some(t) => self.bearer_auth(t),
            None => self,
        }
    }
}

type Decorate<'a> =
    dyn Fn(reqwest::blocking::RequestBuilder) -> reqwest::blocking::RequestBuilder + 'a;

/// Follows the pages of one listing from `first`, waiting out rate limits.
fn list<T: serde::de::DeserializeOwned>(
    client: &Client,
    first: &str,
    what: &str,
    decorate: &Decorate<'_>,
) -> Result<Vec<T>> {
    let mut items = Vec::new();
    let mut url = first.to_string();
    for _ in 0..MAX_PAGES {
        let resp = get(client, &url, what, decorate)?;
        let next = next_page(resp.headers(), &url);
        // A page of 100 repositories is well under a megabyte; the limit keeps memory bounded
        // against a server that never stops.
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(resp, MAX_PAGE_BYTES), &mut body)
            .with_context(|| format!("{what}: cannot read the API answer"))?;
        let page: Vec<T> = serde_json::from_slice(&body).with_context(|| {
            format!("{what}: the API answered something that is not a repository list")
        })?;
        let empty = page.is_empty();
        items.extend(page);
        match next {
            Some(n) if !empty => url = n,
            _ => return Ok(items),
        }
    }
    bail!("{what}: more than {MAX_PAGES} pages; stopped")
}

/// One GET, retried after a rate-limit answer (waiting as the headers say, capped).
fn get(client: &Client, url: &str, what: &str, decorate: &Decorate<'_>) -> Result<Response> {
    for _ in 0..5 {
        let resp = match decorate(client.get(url)).send() {
            Ok(r) => r,
            Err(e) => bail!("{what}: cannot reach the API: {}", without_url(&e)),
        };
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return Ok(resp);
        }
        if let Some(wait) = rate_limit_wait(status, resp.headers()) {
            if wait > MAX_RATE_WAIT {
                bail!(
                    "{what}: rate limited for {}s more (over the {}s this run waits); run again later",
                    wait.as_secs(),
                    MAX_RATE_WAIT.as_secs()
                );
            }
            eprintln!(
                "moodleleaks: {what}: API rate limit reached; waiting {}s",
                wait.as_secs().max(1)
            );
            std::thread::sleep(wait);
            continue;
        }
        match status {
            401 => bail!(
                "{what}: the API refused the token (401): check {}",
                if what.starts_with("GitHub") {
                    "GITHUB_TOKEN"
                } else {
                    "GITLAB_TOKEN"
                }
            ),
            403 => bail!(
                "{what}: access denied (403): the token lacks the right scope, or none was given"
            ),
            404 => bail!("{what}: not found (404), or not visible without a token"),
            _ => bail!("{what}: the API answered HTTP {status}"),
        }
    }
    bail!("{what}: still rate limited after 5 waits; run again later")
}

/// reqwest errors name the URL; ours name the organisation instead, once.
fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(u) = e.url() {
        s = s
            .replace(&format!(" ({u})"), "")
            .replace(u.as_str(), "the API");
    }
    s
}

/// How long to wait after a rate-limit answer, or `None` when the answer is not one.
fn rate_limit_wait(status: u16, h: &HeaderMap) -> Option<Duration> {
    if status != 403 && status != 429 {
        return None;
    }
    let header = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(secs) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(secs));
    }
    let exhausted = header("x-ratelimit-remaining") == Some("0");
    let reset = header("x-ratelimit-reset")
        .or_else(|| header("ratelimit-reset"))
        .and_then(|v| v.parse::<u64>().ok());
    match reset {
        Some(at) if exhausted || status == 429 => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            // Clocks differ a little: wait one second past the reset.
            Some(Duration::from_secs(at.saturating_sub(now) + 1))
        }
        _ if status == 429 => Some(Duration::from_secs(60)),
        _ => None,
    }
}

/// The next page: `Link: <url>; rel="next"` (GitHub, GitLab) or `x-next-page: N` (GitLab).
fn next_page(h: &HeaderMap, current: &str) -> Option<String> {
    if let Some(link) = h.get("link").and_then(|v| v.to_str().ok()) {
        for part in link.split(',') {
            let mut pieces = part.split(';');
            let target = pieces.next()?.trim();
            if pieces.any(|p| p.trim().replace(' ', "") == "rel=\"next\"") {
                return Some(
                    target
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string(),
                );
            }
        }
        return None;
    }
    let page = h
        .get("x-next-page")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|p| !p.is_empty())?;
    let page: u64 = page.parse().ok()?;
    let mut url = url::Url::parse(current).ok()?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("page", &page.to_string());
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn link_and_next_page_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static(
                "<https://api.example/orgs/o/repos?page=3>; rel=\"next\", <https://api.example/orgs/o/repos?page=9>; rel=\"last\"",
            ),
        );
        assert_eq!(
            next_page(&h, "x").as_deref(),
            Some("https://api.example/orgs/o/repos?page=3")
        );
        let mut g = HeaderMap::new();
        g.insert("x-next-page", HeaderValue::from_static("2"));
        let next = next_page(
            &g,
            "https://gl.example/api/v4/groups/a/projects?per_page=100&page=1",
        )
        .unwrap();
        assert_eq!(
            next,
            "https://gl.example/api/v4/groups/a/projects?per_page=100&page=2"
        );
        g.insert("x-next-page", HeaderValue::from_static(""));
        assert_eq!(next_page(&g, "https://gl.example/x"), None);
    }

    #[test]
    fn rate_limit_answers() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(rate_limit_wait(429, &h), Some(Duration::from_secs(7)));
        assert_eq!(rate_limit_wait(500, &h), None);
        let plain_403 = HeaderMap::new();
        assert_eq!(rate_limit_wait(403, &plain_403), None);
    }
}
