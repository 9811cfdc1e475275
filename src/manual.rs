//! Shell completions and the man page, generated from the clap definitions in [`crate::cli`]
//! so they can never disagree with `--help`.

use crate::cli::Cli;
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "moodleleaks", out);
    Ok(())
}

/// Writes one roff man page: the top-level page, then a section per (sub)command with its
/// synopsis, description and options.
pub fn man(out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    let mut commands = Vec::new();
    collect(&cmd, &mut commands);
    for sub in commands {
        let name = sub
            .get_bin_name()
            .unwrap_or_else(|| sub.get_name())
            .to_string();
        let page = clap_mangen::Man::new(sub);
        let mut body = Vec::new();
        page.render_synopsis_section(&mut body)?;
        page.render_description_section(&mut body)?;
        page.render_options_section(&mut body)?;
        let mut heading = Vec::new();
        roff::Roff::new()
            .control("SH", [name.to_uppercase().as_str()])
            .to_writer(&mut heading)?;
        out.write_all(&heading)?;
        // The command's own sections become subsections of its section.
        for line in String::from_utf8_lossy(&body).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(out, ".SS {title}")?,
                None => writeln!(out, "{line}")?,
            }
        }
    }
    Ok(())
}

fn collect(cmd: &clap::Command, into: &mut Vec<clap::Command>) {
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        into.push(sub.clone());
        collect(sub, into);
    }
}
