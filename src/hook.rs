//! `moodleleaks install-hook`: a plain git pre-commit hook that runs `moodleleaks staged`,
//! for teams that do not use the pre-commit framework.

use crate::source::git;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// What to install and where.
pub struct HookOptions<'a> {
    pub repo: &'a Path,
    /// Replace an existing pre-commit hook.
    pub force: bool,
    /// The moodleleaks command the hook runs (default: `moodleleaks` from PATH).
    pub command: Option<&'a str>,
}

/// Writes the hook and returns its path. Refuses to replace an existing hook unless forced:
/// it may be someone's own hook.
pub fn install(opts: &HookOptions<'_>) -> Result<PathBuf> {
    let repo = git::open(opts.repo)?;
    if repo.is_bare() {
        bail!(
            "{}: a bare repository has no commits made in it; nothing to hook",
            repo.path().display()
        );
    }
    let dir = hooks_dir(&repo);
    let hook = dir.join("pre-commit");
    if hook.exists() && !opts.force {
        bail!(
            "{}: a pre-commit hook already exists; pass --force to replace it",
            hook.display()
        );
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create hooks folder", dir.display()))?;
    std::fs::write(&hook, script(opts.command))
        .with_context(|| format!("{}: cannot write hook", hook.display()))?;
    make_executable(&hook)?;
    Ok(hook)
}

/// `core.hooksPath` when set (relative to the work tree, as git reads it), else
/// `.git/hooks`.
fn hooks_dir(repo: &git2::Repository) -> PathBuf {
    let configured = repo
        .config()
        .and_then(|c| c.get_path("core.hooksPath"))
        .ok();
    match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => git::root(repo).join(p),
        None => repo.commondir().join("hooks"),
    }
}

fn script(command: Option<&str>) -> String {
    let run = match command {
        Some(c) => shell_quote(c),
        None => "moodleleaks".to_string(),
    };
    format!(
        "#!/bin/sh\n\
         # Installed by `moodleleaks install-hook`: refuses a commit whose staged changes add a\n\
         # Moodle credential. Mark a deliberate example with `moodleleaks:allow` on its line.\n\
         # `git commit --no-verify` skips this check (a committed token must be rotated).\n\
         if ! command -v {run} >/dev/null 2>&1; then\n\
         \x20 echo \"moodleleaks pre-commit hook: {run} not found; install moodleleaks or fix .git/hooks/pre-commit\" >&2\n\
         \x20 exit 1\n\
         fi\n\
         exec {run} staged\n"
    )
}

/// Single-quotes `s` for sh.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("{}: cannot make the hook executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_paths_are_quoted_for_sh() {
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
        assert!(script(Some("/x y/moodleleaks")).contains("exec '/x y/moodleleaks' staged"));
        assert!(script(None).contains("exec moodleleaks staged"));
    }
}
