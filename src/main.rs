//! The `moodleleaks` binary: parse arguments, run, map the outcome to an exit status.

use clap::Parser;
use moodleleaks::{app, cli::Cli};

/// The process's allocator: mimalloc, which serves the scan's many small, short-lived
/// allocations (keys and names read for each candidate value) faster than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A panic is a bug: one line saying where, for the report (a panic while scanning one
    // input is then that input's error line, and the scan goes on).
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = moodleleaks::panic_message(info.payload());
        eprintln!(
            "moodleleaks: internal error{at}: {}",
            moodleleaks::report::escape_control(&what)
        );
    }));
    let cli = Cli::parse();
    let code = match app::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let message = format!("{err:#}");
            eprintln!(
                "moodleleaks: {}",
                moodleleaks::report::escape_control(&message)
            );
            app::exit::ERROR
        }
    };
    std::process::exit(code);
}
