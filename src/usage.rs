//! Reading the command line, and what to say when it cannot be read: the
//! checks clap's derive cannot state (a command, or `--generate` alone),
//! and, when a query word led by `-` (`-russia`, meant to exclude the
//! word) was taken for a flag, a tip in clap's error that gives the same
//! search with its words after `--`. Pure: arguments in, a [`Cli`] or a
//! clap error out; `main` prints it.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;

/// Parses `args` (the program name first) into a [`Cli`].
///
/// # Errors
///
/// clap's error for a command line it refuses (with our tip for a query
/// word taken for a flag), and one for a command line with neither a
/// command nor `--generate`, or with both.
pub fn parse_args(args: &[OsString]) -> Result<Cli, clap::Error> {
    crate::trace::mark("start");
    let mut command = Cli::command();
    let matches = command
        .try_get_matches_from_mut(args)
        .map_err(|error| with_query_tip(error, args))?;
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
    match (&cli.generate, &cli.command) {
        (None, None) => Err(command.error(
            ErrorKind::MissingSubcommand,
            "a command is required (index, search, parse, stats, show, related), or --generate",
        )),
        (Some(_), Some(_)) => Err(command.error(
            ErrorKind::ArgumentConflict,
            "--generate prints a man page or a completion script: it takes no command",
        )),
        _ => {
            crate::trace::mark("command line");
            Ok(cli)
        }
    }
}

/// `error`, when it is clap's "unexpected argument" for a word led by `-`
/// among `search`'s query words, naming that word and giving the same
/// search with the words after `--` as its tip (in place of clap's, which
/// suggests passing only the first letters as a value).
fn with_query_tip(mut error: clap::Error, args: &[OsString]) -> clap::Error {
    if let Some((word, tip)) = query_tip(&error, args) {
        error.insert(ContextKind::InvalidArg, ContextValue::String(word));
        error.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
    }
    error
}

/// The dash word clap tripped on, and the tip: `search` run the same way,
/// with its words after `--`.
fn query_tip(error: &clap::Error, args: &[OsString]) -> Option<(String, String)> {
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let args: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut top = Cli::command();
    // Every command's flags (they are built only when their command runs).
    top.build();
    let at = search_position(&top, &args)?;
    let search = top.find_subcommand("search")?;
    let (flags, words) = split_flags(search, &args[at + 1..]);
    let word = words.iter().find(|w| is_dash_word(w))?.clone();
    let mut line = String::from("briefs");
    for part in args[..=at].iter().chain(&flags) {
        line.push(' ');
        line.push_str(&shell_word(part));
    }
    line.push_str(" --");
    for word in &words {
        line.push(' ');
        line.push_str(&shell_word(word));
    }
    let tip = format!("to exclude a word, put the query in quotes or after --: {line}");
    Some((word, tip))
}

/// Where `search` is among `args`, after the top-level flags only.
fn search_position(top: &clap::Command, args: &[String]) -> Option<usize> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if arg == "search" {
            return Some(i);
        }
        let takes_value = top.get_arguments().any(|a| {
            a.get_long().is_some_and(|long| arg == &format!("--{long}"))
                && a.get_action().takes_values()
        });
        if !arg.starts_with('-') {
            return None; // another command
        }
        i += if takes_value { 2 } else { 1 };
    }
    None
}

/// `args` (what follows `search`) split into the flags `search` knows,
/// with their values, and the rest: the query's words.
fn split_flags(search: &clap::Command, args: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut flags, mut words) = (Vec::new(), Vec::new());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        }
        let known = search.get_arguments().find(|a| {
            let name = arg.split('=').next().unwrap_or(arg);
            a.get_long().is_some_and(|l| name == format!("--{l}"))
                || a.get_short().is_some_and(|s| arg == &format!("-{s}"))
        });
        match known {
            Some(flag) => {
                flags.push(arg.clone());
                if flag.get_action().takes_values()
                    && !arg.contains('=')
                    && let Some(value) = rest.next()
                {
                    flags.push(value.clone());
                }
            }
            None => words.push(arg.clone()),
        }
    }
    (flags, words)
}

/// A query word meant as an exclusion: `-` then a word, not `--flag`.
fn is_dash_word(word: &str) -> bool {
    word.strip_prefix('-')
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('-'))
}

/// `word` as typed into a POSIX shell: as it is when it is safe, else in
/// single quotes.
fn shell_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.,:/@%+=^".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    /// The tip of the error for `line`, and the word it names.
    fn tip(line: &str) -> Option<String> {
        let error = parse_args(&args(line)).err()?;
        let Some(ContextValue::StyledStrs(tips)) = error.get(ContextKind::Suggested) else {
            return None;
        };
        let tip = tips.first()?.to_string();
        tip.starts_with("to exclude").then_some(tip)
    }

    #[test]
    fn a_dash_word_gets_the_search_after_double_dash() {
        let expect = |line: &str, suggestion: &str| {
            assert_eq!(
                tip(line).as_deref(),
                Some(
                    format!("to exclude a word, put the query in quotes or after --: {suggestion}")
                        .as_str()
                ),
                "{line}"
            );
        };
        expect(
            "briefs search yukos -russia",
            "briefs search -- yukos -russia",
        );
        expect(
            "briefs --index idx search -n 3 yukos -russia --json",
            "briefs --index idx search -n 3 --json -- yukos -russia",
        );
        expect(
            "briefs search yukos* -russia",
            "briefs search -- 'yukos*' -russia",
        );
    }

    #[test]
    fn no_tip_for_other_errors() {
        assert_eq!(tip("briefs search --limit x tram"), None);
        assert_eq!(tip("briefs parse -x file"), None);
        assert_eq!(tip("briefs search --nope tram"), None);
    }

    #[test]
    fn a_command_or_generate_is_needed_but_not_both() {
        let kind = |line: &str| parse_args(&args(line)).err().map(|e| e.kind());
        assert_eq!(
            kind("briefs --index idx"),
            Some(ErrorKind::MissingSubcommand)
        );
        assert_eq!(
            kind("briefs --generate man stats"),
            Some(ErrorKind::ArgumentConflict)
        );
        assert_eq!(kind("briefs --generate man"), None);
        assert_eq!(kind("briefs search -- yukos -russia"), None);
    }
}
