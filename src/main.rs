//! The `moodleleaks` binary: parse arguments, run, map the outcome to an exit status.

use clap::Parser;
use moodleleaks::{app, cli::Cli};

fn main() {
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
