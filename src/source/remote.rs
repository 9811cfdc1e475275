//! Repositories named by URL: what `audit` clones. A [`RepoSpec`] is a local path or a git
//! URL (`https://`, `http://`, `ssh://`, `git://`, `file://`, or scp-like
//! `user@host:owner/repo.git`); remote ones are kept as bare mirrors in a cache folder and
//! fetched again on the next audit.
//!
//! Cloning goes through the user's own `git` binary, not libgit2, so that credential
//! helpers, `~/.ssh/config`, `insteadOf` rewrites and proxies work exactly as they do for the
//! user. Credentials embedded in a URL are never printed: every message shows
//! [`RepoSpec::display`], and git's own error text is scrubbed of them.

use crate::finding::sha256_hex;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One repository to audit, as the user (or an enumeration) named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoSpec {
    /// A repository (or a folder inside one) on disk.
    Local(PathBuf),
    /// A git URL, cloned into the cache.
    Remote(RemoteUrl),
}

/// A git URL with what is safe to show of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUrl {
    /// The URL exactly as given: handed to `git`, never printed.
    raw: String,
    /// The URL without any password (and, for http(s), without the user name, which often is
    /// a token): what messages and reports show.
    shown: String,
    /// The password or token embedded in the URL, scrubbed from git's messages.
    secrets: Vec<String>,
    /// `host/owner/repo` (lowercased for hosted URLs, no scheme, user, port or `.git`):
    /// the same repository named by https, ssh or scp-like URL has one identity.
    identity: String,
}

impl RepoSpec {
    /// Reads one repository argument: a URL when it has a URL scheme git clones from or the
    /// scp-like `user@host:path` form, a local path otherwise.
    pub fn parse(arg: &str) -> Result<RepoSpec> {
        let lower = arg.to_ascii_lowercase();
        let schemes = [
            "https://",
            "http://",
            "ssh://",
            "git://",
            "file://",
            "git+ssh://",
        ];
        if schemes.iter().any(|s| lower.starts_with(s)) {
            return RemoteUrl::from_url(arg).map(RepoSpec::Remote);
        }
        if let Some(remote) = RemoteUrl::from_scp(arg) {
            return Ok(RepoSpec::Remote(remote));
        }
        Ok(RepoSpec::Local(PathBuf::from(arg)))
    }

    /// How messages name the repository (no credentials).
    pub fn display(&self) -> String {
        match self {
            RepoSpec::Local(p) => p.display().to_string(),
            RepoSpec::Remote(r) => r.shown.clone(),
        }
    }

    /// The normalised identity that sharding hashes and reports carry: `host/owner/repo` for
    /// URLs, the absolute path (symlinks resolved when it exists) for local repositories.
    pub fn identity(&self) -> String {
        match self {
            RepoSpec::Local(p) => std::fs::canonicalize(p)
                .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
                .display()
                .to_string(),
            RepoSpec::Remote(r) => r.identity.clone(),
        }
    }
}

impl RemoteUrl {
    fn from_url(arg: &str) -> Result<RemoteUrl> {
        let url = match url::Url::parse(arg) {
            Ok(u) => u,
            // The message must not echo the argument: it may hold a password.
            Err(e) => bail!("{}: not a valid repository URL ({e})", scrub_userinfo(arg)),
        };
        let mut secrets = Vec::new();
        if let Some(p) = url.password() {
            secrets.push(decoded(p));
            secrets.push(p.to_string());
        }
        let web = matches!(url.scheme(), "http" | "https");
        if web && !url.username().is_empty() {
            secrets.push(decoded(url.username()));
            secrets.push(url.username().to_string());
        }
        let mut shown = url.clone();
        let _ = shown.set_password(None);
        if web {
            let _ = shown.set_username("");
        }
        let path = url.path().trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let identity = if url.scheme() == "file" {
            path.to_string()
        } else {
            let host = url.host_str().unwrap_or_default();
            format!("{host}{path}").to_ascii_lowercase()
        };
        secrets.retain(|s| !s.is_empty());
        Ok(RemoteUrl {
            raw: arg.to_string(),
            shown: shown.to_string(),
            secrets,
            identity,
        })
    }

    /// `user@host:path` (git's scp-like syntax); not a Windows drive or a path with a slash
    /// before the colon.
    fn from_scp(arg: &str) -> Option<RemoteUrl> {
        let (user_host, path) = arg.split_once(':')?;
        let (user, host) = user_host.split_once('@')?;
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        };
        if !ok(user) || !ok(host) || path.is_empty() || path.starts_with("//") {
            return None;
        }
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        Some(RemoteUrl {
            raw: arg.to_string(),
            shown: arg.to_string(),
            secrets: Vec::new(),
            identity: format!("{host}/{}", path.trim_start_matches('/')).to_ascii_lowercase(),
        })
    }

    /// Replaces every embedded credential in `text` (git's own messages may quote the URL).
    fn scrub(&self, text: &str) -> String {
        let mut out = text.replace(&self.raw, &self.shown);
        for s in &self.secrets {
            out = out.replace(s.as_str(), "***");
        }
        out
    }
}

fn decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `scheme://user:pass@host/...` with the user information cut, for an unparseable URL.
fn scrub_userinfo(arg: &str) -> String {
    match (arg.find("://"), arg.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &arg[..s + 3], &arg[at..]),
        _ => arg.to_string(),
    }
}

/// Where a remote repository's bare mirror lives in the cache: readable name plus a hash of
/// the identity, so two hosts' `org/app` never share a folder.
pub fn mirror_path(cache_dir: &Path, remote: &RemoteUrl) -> PathBuf {
    let readable: String = remote
        .identity
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let readable = readable.trim_matches('_');
    let tail = &readable[readable.len().saturating_sub(80)..];
    let hash = &sha256_hex(&[&remote.identity])[..12];
    cache_dir.join("mirrors").join(format!("{tail}-{hash}.git"))
}

/// The default cache folder: `$XDG_CACHE_HOME/moodleleaks` on Linux, `~/Library/Caches/
/// moodleleaks` on macOS, `%LOCALAPPDATA%\moodleleaks` on Windows (the `dirs` crate).
pub fn default_cache_dir() -> Result<PathBuf> {
    dirs::cache_dir()
        .map(|d| d.join("moodleleaks"))
        .context("no user cache directory known here: pass --cache-dir")
}

/// Whether a mirror was cloned or brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synced {
    Cloned,
    Fetched,
}

/// Clones `remote` as a bare mirror into `dest`, or fetches into the mirror already there.
///
/// A clone goes to `dest` plus `.partial` and is renamed when complete, so an interrupted
/// clone never passes for a mirror. Git never prompts (`GIT_TERMINAL_PROMPT=0`): a missing
/// credential is an error, not a hung audit. Errors are one line naming the repository
/// without credentials.
pub fn sync(remote: &RemoteUrl, dest: &Path) -> Result<Synced> {
    if dest.join("HEAD").is_file() {
        let out = git()
            .arg("--git-dir")
            .arg(dest)
            .args(["fetch", "--prune", "--quiet", "--no-write-fetch-head"])
            .arg(&remote.raw)
            .arg("+refs/*:refs/*")
            .output();
        check(remote, "cannot fetch", out)?;
        return Ok(Synced::Fetched);
    }
    let parent = dest.parent().context("mirror path has no folder")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("{}: cannot create cache folder", parent.display()))?;
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_dir_all(&partial);
    let out = git()
        .args(["clone", "--mirror", "--quiet", "--"])
        .arg(&remote.raw)
        .arg(&partial)
        .output();
    if let Err(e) = check(remote, "cannot clone", out) {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(e);
    }
    // git stores the URL as given: credentials in it would stay on disk in the mirror's
    // config. Fetches pass the URL explicitly, so the stored one can go without them.
    if !remote.secrets.is_empty() {
        let out = git()
            .arg("--git-dir")
            .arg(&partial)
            .args(["config", "remote.origin.url", &remote.shown])
            .output();
        if let Err(e) = check(remote, "cannot clean the mirror's config", out) {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(e);
        }
    }
    std::fs::rename(&partial, dest)
        .with_context(|| format!("{}: cannot move the new mirror in place", dest.display()))?;
    Ok(Synced::Cloned)
}

/// `git` with no prompt and the user's configuration (credential helpers, ssh) left alone.
fn git() -> Command {
    let mut c = Command::new("git");
    c.env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null());
    c
}

/// Turns a finished git command into `Ok` or a one-line, credential-free error.
fn check(remote: &RemoteUrl, what: &str, out: std::io::Result<std::process::Output>) -> Result<()> {
    let out = match out {
        Ok(o) => o,
        Err(e) => bail!("{}: {what}: cannot run git ({e})", remote.shown),
    };
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let reason = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .rfind(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or_else(|| stderr.lines().map(str::trim).rfind(|l| !l.is_empty()))
        .unwrap_or("git failed")
        .to_string();
    bail!("{}: {what}: {}", remote.shown, remote.scrub(&reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(s: &str) -> RemoteUrl {
        match RepoSpec::parse(s).unwrap() {
            RepoSpec::Remote(r) => r,
            other => panic!("{s} parsed as {other:?}"),
        }
    }

    #[test]
    fn one_repository_named_three_ways_has_one_identity() {
        let want = "github.com/example-org/moodle-plugin";
        assert_eq!(
            remote("https://github.com/Example-Org/moodle-plugin.git").identity,
            want
        );
        assert_eq!(
            remote("git@github.com:example-org/moodle-plugin.git").identity,
            want
        );
        assert_eq!(
            remote("ssh://git@github.com/example-org/moodle-plugin/").identity,
            want
        );
        assert_eq!(remote("file:///srv/git/a.git").identity, "/srv/git/a");
    }

    #[test]
    fn local_paths_stay_local() {
        for p in [".", "/tmp/repo", "relative/dir", "C:\\repo", "weird:name"] {
            assert!(
                matches!(RepoSpec::parse(p).unwrap(), RepoSpec::Local(_)),
                "{p}"
            );
        }
    }

    #[test]
    fn credentials_never_show() {
        let r = remote("https://ci-bot:s3cr%40t@git.example.edu/org/app.git");
        assert_eq!(r.shown, "https://git.example.edu/org/app.git");
        let msg = r.scrub("fatal: unable to access 'https://ci-bot:s3cr%40t@git.example.edu/org/app.git/': s3cr@t");
        assert!(!msg.contains("s3cr"), "{msg}");
        let token_user = remote("https://abcdef123456@git.example.edu/org/app.git");
        assert!(!token_user.shown.contains("abcdef123456"));
        assert!(!scrub_userinfo("https://u:pw@[bad/x").contains("pw"));
    }

    #[test]
    fn mirrors_of_different_hosts_do_not_collide() {
        let a = mirror_path(Path::new("/c"), &remote("https://a.example/org/app"));
        let b = mirror_path(Path::new("/c"), &remote("https://b.example/org/app"));
        assert_ne!(a, b);
        assert!(a.starts_with("/c/mirrors"));
    }
}
