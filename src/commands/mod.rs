//! One module per command: each turns its arguments into a source to scan (or a job to do)
//! and ends in [`crate::app::finish`] or its own report.

pub mod audit;
pub mod git;
pub mod merge;
pub mod probe;
pub mod rules;
pub mod scan;
