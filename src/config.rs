//! The `.moodleleaks.toml` file: what a repository tells the scanner about itself.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The default config file name, looked up at the scan root.
pub const DEFAULT_CONFIG_FILE: &str = ".moodleleaks.toml";

/// A parsed config file. Unknown keys are errors: a typo in an allowlist must not silently
/// allow nothing.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub allowlist: AllowlistConfig,
    /// Extra rule directories, relative to the config file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
}

/// The `[allowlist]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistConfig {
    /// Globs matched against paths relative to the scan root.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes matched against the secret and against its line.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Fingerprints of findings that were dealt with.
    #[serde(default)]
    pub fingerprints: Vec<String>,
}

impl Config {
    /// Reads and parses a config file, with errors that name it.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read config file", path.display()))?;
        let origin = path.display().to_string();
        let mut cfg: Config = toml::from_str(&text)
            .map_err(|e| crate::rules::toml_error(&origin, "invalid config file", &text, &e))?;
        let base = path.parent().unwrap_or(Path::new("."));
        cfg.rules = cfg.rules.iter().map(|r| base.join(r)).collect();
        Ok(cfg)
    }

    /// The explicit config, else `.moodleleaks.toml` at `root` when present, else defaults.
    pub fn discover(explicit: Option<&Path>, root: &Path) -> Result<(Config, Option<PathBuf>)> {
        if let Some(p) = explicit {
            return Ok((Config::load(p)?, Some(p.to_path_buf())));
        }
        let candidate = root.join(DEFAULT_CONFIG_FILE);
        if candidate.is_file() {
            return Ok((Config::load(&candidate)?, Some(candidate)));
        }
        Ok((Config::default(), None))
    }
}
