//! `moodleleaks rules list|check`.

use crate::app::exit;
use crate::cli::RulesCommand;
use crate::rules;
use anyhow::{bail, Result};
use std::io::Write;

/// Lists rules or checks them against their own examples.
pub fn run(cmd: RulesCommand) -> Result<i32> {
    match cmd {
        RulesCommand::List { rules: dirs, json } => {
            let rules = rules::load(&dirs)?;
            let mut out = std::io::stdout().lock();
            if json {
                let list: Vec<_> = rules
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.spec.id, "kind": r.spec.kind, "severity": r.spec.severity,
                            "description": r.spec.description, "keywords": r.spec.keywords,
                            "origin": r.origin,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for r in &rules {
                    writeln!(
                        out,
                        "{:<34} {:<15} {:<8} {}",
                        r.spec.id, r.spec.kind, r.spec.severity, r.spec.description
                    )?;
                }
            }
            Ok(exit::CLEAN)
        }
        RulesCommand::Check { dir } => {
            let rules = match &dir {
                Some(d) => rules::load_dir(d)?,
                None => rules::builtin()?,
            };
            if rules.is_empty() {
                bail!(
                    "{}: no rule files (*.toml) found",
                    dir.unwrap_or_default().display()
                );
            }
            let (run, failures) = rules::check::check(&rules)?;
            for f in &failures {
                eprintln!("moodleleaks: {f}");
            }
            if failures.is_empty() {
                println!("{} rules, {run} examples: all pass", rules.len());
                Ok(exit::CLEAN)
            } else {
                let failing: std::collections::BTreeSet<&str> =
                    failures.iter().map(|f| f.origin.as_str()).collect();
                let problems = match failures.len() {
                    1 => "1 problem".to_string(),
                    n => format!("{n} problems"),
                };
                eprintln!(
                    "moodleleaks: {} of {} rules failed their check ({problems}, {run} examples run)",
                    failing.len(),
                    rules.len()
                );
                Ok(exit::ERROR)
            }
        }
    }
}
