//! `briefs --generate KIND`: the man page and the shell completion scripts,
//! made from the clap definition in `cli` (ripgrep's `--generate`), so they
//! never disagree with `--help`. Flows in: the [`Generate`] kind asked
//! for; flows out: the text, written to the writer given. Imports only
//! `cli`, clap and its two generator crates: nothing of the stages.

mod man;

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, Generate};

/// Writes what `kind` names to `out`.
pub(crate) fn generate(kind: Generate, out: &mut dyn Write) -> std::io::Result<()> {
    let shell = match kind {
        Generate::Man => return man::write_man(out),
        Generate::CompleteBash => Shell::Bash,
        Generate::CompleteZsh => Shell::Zsh,
        Generate::CompleteFish => Shell::Fish,
        Generate::CompletePowershell => Shell::PowerShell,
    };
    let mut command = Cli::command();
    // Every command's flags, which are otherwise built only when it runs.
    command.build();
    clap_complete::generate(shell, &mut command, "briefs", out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(kind: Generate) -> String {
        let mut out = Vec::new();
        generate(kind, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_completion_names_every_command() {
        for kind in [
            Generate::CompleteBash,
            Generate::CompleteZsh,
            Generate::CompleteFish,
            Generate::CompletePowershell,
        ] {
            let script = text(kind);
            for command in ["index", "search", "parse", "stats", "show", "related"] {
                assert!(script.contains(command), "{kind:?} lacks {command}");
            }
            assert!(script.contains("generate"), "{kind:?} lacks --generate");
        }
    }
}
