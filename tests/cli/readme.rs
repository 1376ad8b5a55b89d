//! The README's examples are real output: every `$ briefs …` line of a
//! `console` block that runs on the bundled `corpus/` alone is run, on a
//! fresh copy of `corpus/` indexed into the default `index/` (the first
//! command, `$ cargo run --release -- …`, on a copy with no index yet, as a
//! fresh clone has it), and what it
//! prints (stdout, then stderr) must be the lines the README shows under it.
//! `UPDATE_README=1 cargo test --test main cli::readme` rewrites those lines
//! instead (review the diff: a changed score is a changed ranking); an
//! example abridged with a line `…` (any lines) is compared around it and
//! left for a hand to mend.
//!
//! Left out, by rule (see [`checkable`]): commands that need more than
//! `corpus/` (another folder, a file the block writes, a server, a terminal),
//! that print times (`index`, `sync`, `watch`, `export`, `stats`), and lines
//! shown without output (a command given as an example of spelling).

use super::copy_corpus;
use crate::common::{TestEnv, line_diff, manifest_dir};

/// One example: the command's words, and where its output lines stand.
struct Example {
    /// The line of the `$ briefs …` command (0-based).
    line: usize,
    /// The arguments after `briefs`.
    args: Vec<String>,
    /// The output lines shown: `first..end` (0-based, end excluded).
    output: std::ops::Range<usize>,
    /// Written as `cargo run --release -- …`: the first command of a fresh
    /// clone, run where no index was built yet.
    fresh: bool,
}

/// How the README's first command runs `briefs`.
const FIRST_COMMAND: &str = "$ cargo run --release -- ";

/// Subcommands and flags whose output depends on more than `corpus/` and
/// the index built from it, or that print times.
const LEFT_OUT: &[&str] = &[
    "index",
    "watch",
    "sync",
    "export",
    "stats",
    "--engine",
    "--batch",
    "--generate",
    "--index",
];

/// Splits a shell line into words: single and double quotes, backslash
/// escapes outside single quotes; `None` for what needs a shell (pipes,
/// redirection, `~`, `$`, `;`, `&`, `#` outside quotes ends the line).
fn shell_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    w.push(q);
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        '$' | '`' => return None,
                        _ => w.push(q),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            '#' if word.is_none() => break,
            '|' | '>' | '<' | ';' | '&' | '$' | '`' | '*' | '?' => return None,
            '~' if word.is_none() => return None,
            c if c.is_whitespace() => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Some(words)
}

/// Whether `args` can run on `corpus/` alone and print the same each time.
fn checkable(args: &[String]) -> bool {
    !args.is_empty()
        && !args.iter().any(|a| {
            LEFT_OUT.contains(&a.as_str()) || a.starts_with('/') || a.starts_with("--generate=")
        })
}

/// The examples of `readme`, in order.
fn examples(readme: &[&str]) -> Vec<Example> {
    let mut found = Vec::new();
    let mut in_console = false;
    let mut i = 0;
    while i < readme.len() {
        let line = readme[i];
        if line.starts_with("```") {
            in_console = !in_console && line.trim() == "```console";
            i += 1;
            continue;
        }
        let fresh = line.starts_with(FIRST_COMMAND);
        let command = in_console
            .then(|| {
                line.strip_prefix("$ briefs ")
                    .or(line.strip_prefix(FIRST_COMMAND))
            })
            .flatten();
        let Some(rest) = command else {
            i += 1;
            continue;
        };
        let first = i + 1;
        let mut end = first;
        while end < readme.len()
            && !readme[end].starts_with("$ ")
            && !readme[end].starts_with("```")
        {
            end += 1;
        }
        if let Some(args) = shell_words(rest).filter(|a| checkable(a))
            && end > first
        {
            found.push(Example {
                line: i,
                args,
                output: first..end,
                fresh,
            });
        }
        i = end;
    }
    found
}

/// A line of its own in the README's output: lines left out here.
const ELISION: &str = "…";

/// Whether `actual` is what `shown` shows: line for line, where a line
/// [`ELISION`] stands for any lines (none or more).
fn matches_shown(shown: &[&str], actual: &[String]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((&ELISION, rest)) => {
            (0..=actual.len()).any(|skip| matches_shown(rest, &actual[skip..]))
        }
        Some((line, rest)) => {
            actual.first().is_some_and(|a| a == line) && matches_shown(rest, &actual[1..])
        }
    }
}

/// Copies `corpus/` into `env` and indexes it into `env`'s `index/`.
fn indexed_corpus(env: &TestEnv) {
    copy_corpus(env);
    env.run_without_index(&["index", "-q", "corpus"])
        .assert_status(0);
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let path = manifest_dir().join("README.md");
    let text = std::fs::read_to_string(&path).expect("read README.md");
    let lines: Vec<&str> = text.lines().collect();
    let found = examples(&lines);
    assert!(found.len() >= 15, "only {} examples found", found.len());
    let env = TestEnv::new();
    indexed_corpus(&env);
    // As a fresh clone has it: `corpus/`, and `index/` holding `.gitkeep`.
    let clone = TestEnv::new();
    copy_corpus(&clone);
    clone.write_at("index/.gitkeep", "");
    let update = std::env::var_os("UPDATE_README").is_some_and(|v| v == "1");
    let mut replaced: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    let mut failures = Vec::new();
    for example in &found {
        let run = if example.fresh { &clone } else { &env }.run_without_index(&example.args);
        let shown_lines = &lines[example.output.clone()];
        // On a terminal stderr and stdout interleave; the README shows
        // stderr first where a message comes before the results.
        let (stdout, stderr) = (run.stdout_str(), run.stderr_str());
        let stderr_first = shown_lines
            .first()
            .is_some_and(|l| stderr.lines().next() == Some(*l));
        let printed = if stderr_first {
            format!("{stderr}{stdout}")
        } else {
            format!("{stdout}{stderr}")
        };
        let actual: Vec<String> = printed.lines().map(str::to_string).collect();
        let shown = shown_lines.join("\n");
        if !matches_shown(shown_lines, &actual) {
            failures.push(format!(
                "README.md:{}: `briefs {}`\n{}",
                example.line + 1,
                example.args.join(" "),
                line_diff(&shown, &actual.join("\n"))
            ));
            // An abridged example is rewritten by hand, keeping its `…`.
            if !shown_lines.contains(&ELISION) {
                replaced.push((example.output.clone(), actual));
            }
        }
    }
    if update && !replaced.is_empty() {
        let mut out: Vec<String> = Vec::new();
        let mut at = 0;
        for (range, new) in &replaced {
            out.extend(lines[at..range.start].iter().map(|l| l.to_string()));
            out.extend(new.iter().cloned());
            at = range.end;
        }
        out.extend(lines[at..].iter().map(|l| l.to_string()));
        std::fs::write(&path, out.join("\n") + "\n").expect("write README.md");
        eprintln!("rewrote the output of {} README examples", replaced.len());
        return;
    }
    assert!(
        failures.is_empty(),
        "{} of {} README examples print something else (UPDATE_README=1 rewrites them):\n\n{}",
        failures.len(),
        found.len(),
        failures.join("\n")
    );
}

#[test]
fn an_elision_stands_for_any_lines() {
    let actual: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    assert!(matches_shown(&["a", "…", "d"], &actual));
    assert!(matches_shown(&["a", "b", "…"], &actual));
    assert!(matches_shown(&["…", "a", "b", "c", "d"], &actual));
    assert!(!matches_shown(&["a", "…", "c"], &actual));
    assert!(!matches_shown(&["a", "b", "c"], &actual));
}

#[test]
fn shell_words_reads_what_the_readme_writes() {
    let words = |s: &str| shell_words(s).map(|w| w.join("|"));
    assert_eq!(
        words("search 'a b' -n 2").as_deref(),
        Some("search|a b|-n|2")
    );
    assert_eq!(
        words(r#"search "\"central bank\"" # a phrase"#).as_deref(),
        Some("search|\"central bank\"")
    );
    assert_eq!(
        words("show 'wire-001#p2'").as_deref(),
        Some("show|wire-001#p2")
    );
    assert_eq!(
        words("search -- yukos -russia").as_deref(),
        Some("search|--|yukos|-russia")
    );
    assert_eq!(words("--generate man | man -l -"), None);
    assert_eq!(words("--generate man > ~/x"), None);
    assert_eq!(words("search econom*"), None, "a glob needs a shell");
}
