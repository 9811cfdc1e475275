//! moodleleaks: finds Moodle web-service credentials in files, git history and staged
//! changes, and reports them for rotation.
//!
//! The flow is the same for every mode; only the source of bytes differs:
//!
//! ```text
//! source (fs · stdin · git · staged) → container (archives, member by member) → input (decode; binary → strings) → matcher (prefilter,
//! regexes, validators, decoders) → scan (findings: place, fingerprint, redaction, site)
//! → suppress (inline, allowlist, baseline) → report (human, json, jsonl, sarif, gitlab, junit, markdown/html rotation report)
//! ```

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod container;
pub mod finding;
pub mod forge;
pub mod hook;
pub mod input;
pub mod keyed;
pub mod manual;
pub mod matcher;
pub mod presence;
pub mod probe;
pub mod redact;
pub mod repeats;
pub mod report;
pub mod rules;
pub mod scan;
pub mod shard;
pub mod site;
pub mod source;
pub mod strings;
pub mod summary;
pub mod suppress;
pub mod views;

#[cfg(test)]
mod testing;

/// The message a panic carried (`panic!("…")` gives a `&str` or a `String`; anything else
/// has none): for the one-line panic report and for the error line of the input that
/// panicked.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
