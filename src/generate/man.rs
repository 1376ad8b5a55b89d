//! The man page, `briefs.1`: clap_mangen's sections for `briefs` itself
//! (name, synopsis, description, the top-level options), then one
//! subsection per command with its synopsis, description and options (one
//! page for the whole tool, as `man briefs` expects, instead of a page per
//! command), then the exit status and the environment.

use std::io::Write;

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::Cli;

/// Exit statuses, as `--help` gives them (`cli::EXIT_CODES`), one a line.
const EXIT_STATUS: [(&str, &str); 4] = [
    (
        "search, related",
        "0 at least one hit, 1 no hits, 2 error (a bad query, no index, an unknown id).",
    ),
    (
        "index, parse",
        "0 every file read, 1 done but some input skipped (each reported on stderr), 2 error: nothing was changed.",
    ),
    ("stats, show", "0 ok, 2 error (no index, an unknown id)."),
    ("usage errors", "2 (an unknown flag, a missing argument)."),
];

/// The environment variables briefs reads.
const ENVIRONMENT: [(&str, &str); 4] = [
    (
        "BRIEFS_INDEX",
        "The index folder, when no --index is given (default: index).",
    ),
    (
        "NO_COLOR",
        "When set and not empty, --color auto never colours.",
    ),
    (
        "TERM",
        "When dumb, --color auto never colours and no progress bar is drawn.",
    ),
    (
        "BRIEFS_WEIGHTS",
        "Field weights of a search, for ranking experiments (context=0.5,body=1).",
    ),
];

/// Writes the whole man page.
pub(crate) fn write_man(out: &mut dyn Write) -> std::io::Result<()> {
    let mut command = Cli::command();
    command.build();
    let man = Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    roff.to_writer(&mut page)?;
    for sub in command.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = format!("briefs {}", sub.get_name());
        let mut roff = Roff::new();
        roff.control("SS", [name.as_str()]);
        roff.to_writer(&mut page)?;
        // The command's parts, without their `.SH` headings, in its
        // subsection: what it does, its synopsis, its options.
        let sub_man = Man::new(sub.clone());
        let mut parts = Vec::new();
        sub_man.render_description_section(&mut parts)?;
        Roff::new().control("PP", []).to_writer(&mut parts)?;
        sub_man.render_synopsis_section(&mut parts)?;
        sub_man.render_options_section(&mut parts)?;
        page.extend(lines_without(&parts, |line| line.starts_with(b".SH")));
    }

    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (commands, meaning) in EXIT_STATUS {
        roff.control("TP", []);
        roff.text([bold(commands)]);
        roff.text([roman(meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(meaning)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "The README of the briefs repository: the brief format, the query language, \
         the JSON keys and what briefs promises.",
    )]);
    roff.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;

    // Each render above starts with the same two lines defining `\*(Aq`;
    // the page needs them once, at the top.
    let preamble =
        |line: &[u8]| line.starts_with(b".ie \\n(.g .ds Aq") || line.starts_with(b".el .ds Aq");
    let first: Vec<u8> = page
        .split_inclusive(|&b| b == b'\n')
        .take_while(|line| preamble(line))
        .flatten()
        .copied()
        .collect();
    out.write_all(&first)?;
    out.write_all(&lines_without(&page, preamble))
}

/// `text` without the lines for which `drop` is true.
fn lines_without(text: &[u8], drop: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    text.split_inclusive(|&b| b == b'\n')
        .filter(|line| !drop(line))
        .flatten()
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_has_every_command_and_section() {
        let mut out = Vec::new();
        write_man(&mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH briefs 1"));
        assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
        for heading in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH COMMANDS",
            ".SS \"briefs search\"",
            ".SS \"briefs index\"",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
        ] {
            assert!(page.contains(heading), "no {heading} in\n{page}");
        }
    }
}
