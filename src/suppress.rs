//! The three ways a team says "we know": an inline `moodleleaks:allow`, the config file's
//! `[allowlist]`, and a baseline of findings that were already dealt with.

use crate::config::AllowlistConfig;
use crate::finding::{fingerprint_aliases, Finding, FINGERPRINT_ALGORITHM};
use anyhow::{bail, Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// The marker that suppresses every finding on its line, in any comment syntax.
pub const INLINE_ALLOW: &[u8] = b"moodleleaks:allow";

/// Whether a raw line carries the inline allow marker.
pub fn inline_allowed(line: &[u8]) -> bool {
    memchr::memmem::find(line, INLINE_ALLOW).is_some()
}

/// The compiled `[allowlist]` of a config file.
#[derive(Debug, Default)]
pub struct Allowlist {
    paths: GlobSet,
    regexes: Vec<Regex>,
    fingerprints: HashSet<String>,
}

impl Allowlist {
    /// Compiles globs and regexes; `origin` names the config file in errors.
    pub fn compile(cfg: &AllowlistConfig, origin: &str) -> Result<Allowlist> {
        let mut b = GlobSetBuilder::new();
        for p in &cfg.paths {
            // Paths are matched relative to the scan root, without `./` or `/`: a glob
            // written `./dir/**` or `/dir/**` means `dir/**` (it would match nothing).
            let p = normalise_glob(p);
            let glob = Glob::new(&p)
                .with_context(|| format!("{origin}: allowlist path {p:?} is not a valid glob"))?;
            b.add(glob);
        }
        let regexes = cfg
            .regexes
            .iter()
            .map(|r| {
                Regex::new(r).with_context(|| format!("{origin}: allowlist regex {r:?} is invalid"))
            })
            .collect::<Result<_>>()?;
        Ok(Allowlist {
            paths: b.build()?,
            regexes,
            fingerprints: cfg.fingerprints.iter().cloned().collect(),
        })
    }

    /// Whether a whole file is allowlisted, so it need not even be read.
    pub fn allows_path(&self, rel_path: &str) -> bool {
        !self.paths.is_empty() && self.paths.is_match(rel_path)
    }

    /// Whether a finding is allowlisted by path, regex (on the secret or the line) or
    /// fingerprint.
    pub fn allows(&self, f: &Finding) -> bool {
        self.allows_path(&f.path)
            || self.allows_fingerprint(f)
            || self
                .regexes
                .iter()
                .any(|r| r.is_match(&f.secret) || r.is_match(&f.line_raw))
    }

    /// Whether an allowlisted fingerprint is the finding's, under its kind or another a
    /// version may report the same secret as ([`crate::finding::fingerprint_aliases`]).
    fn allows_fingerprint(&self, f: &Finding) -> bool {
        if self.fingerprints.is_empty() {
            return false;
        }
        self.fingerprints.contains(&f.fingerprint)
            || fingerprint_aliases(f.kind, &f.secret)
                .iter()
                .any(|fp| self.fingerprints.contains(fp))
    }
}

/// An allowlist glob as paths are reported: relative, `/`-separated, no leading `./` or `/`.
fn normalise_glob(glob: &str) -> String {
    let mut g = glob.trim();
    loop {
        if let Some(rest) = g.strip_prefix("./") {
            g = rest;
        } else if let Some(rest) = g.strip_prefix('/') {
            g = rest;
        } else {
            break;
        }
    }
    g.to_string()
}

/// A baseline file: findings already known, identified by (fingerprint, path) only, so it
/// holds no secret, no line number and no timestamp, and does not churn when lines move.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub fingerprint_algorithm: String,
    pub entries: BTreeSet<BaselineEntry>,
}

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub path: String,
}

impl Baseline {
    /// Builds a baseline from findings.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        Baseline {
            fingerprint_algorithm: FINGERPRINT_ALGORITHM.to_string(),
            entries: findings
                .iter()
                .map(|f| BaselineEntry {
                    fingerprint: f.fingerprint.clone(),
                    path: f.path.clone(),
                })
                .collect(),
        }
    }

    /// Reads a baseline file, or a JSON report written by `--format json` (its findings
    /// become the baseline).
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read baseline", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: baseline is not valid JSON", path.display()))?;
        let algorithm = value
            .get("fingerprint_algorithm")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if algorithm.is_empty() {
            bail!(
                "{}: baseline has no fingerprint_algorithm (not a moodleleaks baseline, or written by a version before it was recorded); write a new one with --write-baseline",
                path.display()
            );
        }
        if algorithm != FINGERPRINT_ALGORITHM {
            bail!(
                "{}: baseline uses fingerprint algorithm {algorithm:?}, this version uses {FINGERPRINT_ALGORITHM:?}; write a new one with --write-baseline",
                path.display()
            );
        }
        let list = value
            .get("entries")
            .or_else(|| value.get("findings"))
            .and_then(|v| v.as_array())
            .with_context(|| {
                format!(
                    "{}: baseline has neither `entries` nor `findings`",
                    path.display()
                )
            })?;
        let mut entries = BTreeSet::new();
        for e in list {
            let fp = e.get("fingerprint").and_then(|v| v.as_str());
            let p = e.get("path").and_then(|v| v.as_str());
            match (fp, p) {
                (Some(fp), Some(p)) => {
                    entries.insert(BaselineEntry {
                        fingerprint: fp.to_string(),
                        path: p.to_string(),
                    });
                }
                _ => bail!(
                    "{}: baseline entry without fingerprint and path",
                    path.display()
                ),
            }
        }
        Ok(Baseline {
            fingerprint_algorithm: algorithm.to_string(),
            entries,
        })
    }

    /// Writes the baseline sorted, one entry per line, so it merges cleanly.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut s = String::from("{\n");
        s.push_str(&format!(
            "  \"fingerprint_algorithm\": {},\n  \"entries\": [",
            serde_json::to_string(&self.fingerprint_algorithm)?
        ));
        for (i, e) in self.entries.iter().enumerate() {
            s.push_str(if i == 0 { "\n    " } else { ",\n    " });
            s.push_str(&serde_json::to_string(e)?);
        }
        s.push_str(if self.entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        std::fs::write(path, s)
            .with_context(|| format!("{}: cannot write baseline", path.display()))
    }

    /// Whether a finding is already known: its secret at its path, under the kind it is
    /// reported as or another a version may report the same secret as
    /// ([`crate::finding::fingerprint_aliases`]: a baseline written before a version read a
    /// value as a user key still knows it).
    pub fn contains(&self, f: &Finding) -> bool {
        let known = |fingerprint: &String| {
            self.entries.contains(&BaselineEntry {
                fingerprint: fingerprint.clone(),
                path: f.path.clone(),
            })
        };
        known(&f.fingerprint)
            || (!self.entries.is_empty()
                && fingerprint_aliases(f.kind, &f.secret).iter().any(known))
    }
}
