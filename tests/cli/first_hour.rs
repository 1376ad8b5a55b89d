//! What a new user meets in the first hour (issue 11): the README's way to
//! get a `briefs` command; `--generate` (the bash completion loaded in a
//! real bash, the man page rendered by `man -l`); a `-word` query taken for
//! a flag; `--index` only where it is used; the progress bar on a
//! pseudo-terminal (through util-linux `script`) and nothing without one;
//! `.gitignore`/`.ignore`, `--no-ignore` and `--hidden`, and deletions
//! when a file becomes ignored. Runs alone as `cargo test --test main
//! cli::first_hour`; no long form.

use std::process::{Command, Stdio};

use super::output::run_on_terminal;
use crate::common::{Run, TestEnv, manifest_dir, shell_quote};

/// Whether `program --version` runs.
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `briefs --generate KIND` (exit 0, nothing on stderr), written to
/// `<tmp>/<file>`.
fn generate(env: &TestEnv, kind: &str, file: &str) -> (Run, std::path::PathBuf) {
    let run = env.run_without_index(&["--generate", kind]);
    run.assert_status(0).assert_quiet_stderr();
    let path = env.write_at(file, &run.output.stdout);
    (run, path)
}

// ---------------------------------------------------------------------------
// 1: getting it

#[test]
fn readme_says_how_to_get_a_briefs_command() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    for needed in [
        "cargo install --path .",
        "target/release/briefs",
        "~/.cargo/bin",
    ] {
        assert!(readme.contains(needed), "README.md does not say `{needed}`");
    }
    let install = &readme[readme.find("cargo install --path .").unwrap()..];
    let section = &install[..install.find("\n## ").unwrap_or(install.len())];
    assert!(
        section.contains("minutes"),
        "README.md does not say the first build takes minutes"
    );
}

// ---------------------------------------------------------------------------
// 2: --generate

#[test]
fn bash_completion_loads_in_bash_and_completes_commands_and_flags() {
    let env = TestEnv::new();
    let (_, script) = generate(&env, "complete-bash", "briefs.bash");
    if !have("bash") {
        println!("skipped: no bash to load the completion in");
        return;
    }
    // Loads, registers `briefs`, and completes as bash would call it:
    // `_briefs COMMAND WORD PREVIOUS` with COMP_WORDS and COMP_CWORD set.
    let probe = format!(
        r#"source {script} || exit 3
complete -p briefs || exit 4
complete_line() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=();
  _briefs briefs "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"; echo "$*: ${{COMPREPLY[*]}}"; }}
complete_line briefs se
complete_line briefs search --
complete_line briefs parse --
complete_line briefs --generate complete-b
"#,
        script = shell_quote(script.as_os_str())
    );
    let mut cmd = env.scrubbed_command("bash");
    cmd.args(["--norc", "--noprofile", "-c", &probe]);
    let run = Run::of(cmd);
    run.assert_status(0).assert_quiet_stderr();
    let out = run.stdout_str();
    let line = |prefix: &str| -> String {
        out.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line\n{run}"))
            .to_string()
    };
    run.check(
        line("complete ").contains("-F _briefs") && line("complete ").ends_with(" briefs"),
        "complete -p briefs names the _briefs function",
    );
    run.check(
        line("briefs se:") == "briefs se: search",
        "`se` completes to search",
    );
    let search = line("briefs search --:");
    for flag in ["--index", "--limit", "--json", "--kind"] {
        run.check(search.contains(flag), &format!("search completes {flag}"));
    }
    let parse = line("briefs parse --:");
    run.check(parse.contains("--json"), "parse completes --json");
    run.check(!parse.contains("--index"), "parse does not offer --index");
    run.check(
        line("briefs --generate complete-b:").ends_with(": complete-bash"),
        "--generate completes its values",
    );
}

#[test]
fn other_completions_are_written_and_load_where_the_shell_is_installed() {
    let env = TestEnv::new();
    let (run, zsh) = generate(&env, "complete-zsh", "_briefs");
    run.check(
        run.stdout_str().starts_with("#compdef briefs"),
        "a zsh compdef",
    );
    let (run, fish) = generate(&env, "complete-fish", "briefs.fish");
    run.check(
        run.stdout_str().contains("complete -c briefs"),
        "fish completions",
    );
    let (run, _) = generate(&env, "complete-powershell", "briefs.ps1");
    run.check(
        run.stdout_str().contains("Register-ArgumentCompleter"),
        "a PowerShell completer",
    );
    for (shell, args) in [
        ("zsh", vec!["-n".to_string(), zsh.display().to_string()]),
        (
            "fish",
            vec!["--no-execute".to_string(), fish.display().to_string()],
        ),
    ] {
        if !have(shell) {
            println!("skipped: {shell} is not installed; its script is checked as text only");
            continue;
        }
        let mut cmd = env.scrubbed_command(shell);
        cmd.args(&args);
        Run::of(cmd).assert_status(0).assert_quiet_stderr();
    }
}

#[test]
fn man_page_renders_with_man_l() {
    let env = TestEnv::new();
    let (run, page) = generate(&env, "man", "briefs.1");
    let roff = run.stdout_str();
    run.check(
        roff.contains(".TH briefs 1"),
        "a section-1 page titled briefs",
    );
    for part in [
        ".SH COMMANDS",
        ".SS \"briefs search\"",
        ".SH \"EXIT STATUS\"",
    ] {
        run.check(roff.contains(part), &format!("the roff has {part}"));
    }
    if !have("man") {
        // .ci/run installs man-db; a bare machine may lack it.
        println!(
            "skipped: `man` is not installed (apt-get install man-db groff-base); the roff was checked instead"
        );
        return;
    }
    let mut cmd = env.scrubbed_command("man");
    cmd.args(["--warnings", "-l"]).arg(&page);
    cmd.env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .env("LANG", "C.UTF-8");
    let run = Run::of(cmd);
    run.assert_status(0);
    // groff's warnings (a bad request, a line it cannot fit) go to stderr.
    run.assert_quiet_stderr();
    let text = run.stdout_str();
    for part in [
        "NAME",
        "briefs - Index folders of news briefs",
        "COMMANDS",
        "briefs search",
        "--no-ignore",
        "EXIT STATUS",
        "BRIEFS_INDEX",
    ] {
        run.check(
            text.contains(part),
            &format!("the rendered page shows {part:?}"),
        );
    }
    run.check(
        !text.contains(".SH") && !text.contains("\\f"),
        "no raw roff left",
    );
}

#[test]
fn generate_takes_no_command_and_a_command_is_needed() {
    let env = TestEnv::new();
    let run = env.run_without_index(&["--generate", "man", "stats"]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("takes no command"), "says why");
    let run = env.run_without_index(&["--generate", "roff"]);
    run.assert_status(2);
    // `briefs` alone shows the help, as before.
    let run = env.run_without_index::<&str>(&[]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("Commands:"), "the help is shown");
}

// ---------------------------------------------------------------------------
// 9: a -word taken for a flag

fn yukos_index() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Yukos Shares Slide in Russia — Wire\n- Yukos shares fell in Russia on Monday.\n",
    );
    env.write(
        "b.txt",
        "Yukos Auction Draws Bidders — Wire\n- Bidders lined up for the Yukos auction.\n",
    );
    env.index();
    env
}

#[test]
fn an_unquoted_dash_word_gets_a_tip_that_works() {
    let env = yukos_index();
    let run = env.run(&["search", "yukos", "-russia"]);
    run.assert_status(2);
    let stderr = env.normalize(&run.stderr_str());
    run.check(
        stderr.contains("unexpected argument '-russia' found"),
        "clap's error names the whole word",
    );
    run.check(
        stderr.contains(
            "tip: to exclude a word, put the query in quotes or after --: \
             briefs --index [TMP]/idx search -- yukos -russia",
        ),
        "the tip gives the same search after --",
    );
    run.check(!stderr.contains("'-- -r'"), "not clap's own tip");

    // Both ways the README gives find the brief without the word.
    for args in [
        vec!["search", "--json", "--", "yukos", "-russia"],
        vec!["search", "--json", "yukos -russia"],
    ] {
        let run = env.run(&args);
        run.assert_status(0);
        let hits = run.json_lines();
        run.check(
            hits.len() == 1 && hits[0]["path"].as_str().unwrap().ends_with("b.txt"),
            "only the brief without `russia`",
        );
    }
    // Other errors keep clap's message alone.
    let run = env.run(&["search", "--limit", "x", "yukos"]);
    run.assert_status(2);
    run.check(!run.stderr_str().contains("to exclude a word"), "no tip");
}

// ---------------------------------------------------------------------------
// 10 (part): --index only for the commands that use it

#[test]
fn index_flag_is_listed_only_where_it_is_used_and_works_before_or_after() {
    let env = yukos_index();
    let help = |command: &str| env.run_without_index(&[command, "--help"]).stdout_str();
    assert!(
        !help("parse").contains("--index"),
        "parse --help lists --index"
    );
    for command in ["index", "search", "stats", "show", "related"] {
        assert!(
            help(command).contains("--index <DIR>"),
            "{command} --help lacks --index"
        );
    }
    let idx = env.index_dir();
    let idx = idx.to_str().unwrap();
    let stats_briefs = |run: &Run| {
        run.assert_status(0);
        run.json_lines()[0]["briefs"].as_u64().unwrap()
    };
    // Before the command, after it, from the environment.
    assert_eq!(
        stats_briefs(&env.run_without_index(&["--index", idx, "stats", "--json"])),
        2
    );
    assert_eq!(
        stats_briefs(&env.run_without_index(&["stats", "--index", idx, "--json"])),
        2
    );
    let mut cmd = env.command_without_index(&["stats", "--json"]);
    cmd.env("BRIEFS_INDEX", idx);
    assert_eq!(stats_briefs(&Run::of(cmd)), 2);
    // A flag in either place beats the variable.
    for args in [["--index", idx, "stats"], ["stats", "--index", idx]] {
        let mut cmd = env.command_without_index(&args);
        cmd.env("BRIEFS_INDEX", env.root().join("nowhere"));
        Run::of(cmd).assert_status(0);
    }
    env.run_without_index(&["search", "--index", idx, "yukos"])
        .assert_status(0);
    // parse takes no --index after the command.
    env.run_without_index(&["parse", "--index", idx, "briefs"])
        .assert_status(2);
}

// ---------------------------------------------------------------------------
// 11: the progress bar

/// A JSON Lines file of `n` briefs, each with the word `zanzibarquux` (so
/// a bar that printed brief text would show it).
fn big_feed(env: &TestEnv, n: usize) {
    let mut feed = String::new();
    for i in 0..n {
        feed.push_str(&format!(
            "{{\"headline\": \"Zanzibarquux notice {i}\", \"points\": [\"⚓ Berth {i} closes for zanzibarquux dredging.\"], \"summaries\": [\"Boats at berth {i} move.\"]}}\n"
        ));
    }
    env.write("feed.jsonl", feed);
    env.write("one.txt", "Tram Opens — Gazette\n- The tram opened.\n");
}

#[test]
fn on_a_terminal_a_bar_is_drawn_then_cleared_before_the_summary() {
    let env = TestEnv::new();
    big_feed(&env, 3_000);
    let Some(run) = run_on_terminal(&env, &["index", "briefs"], &[("TERM", "xterm")]) else {
        println!("skipped: util-linux `script` not found, cannot open a terminal");
        return;
    };
    if run.code() != Some(0) && run.stderr_str().starts_with("script:") {
        println!("skipped: `script` could not open a terminal here\n{run}");
        return;
    }
    run.assert_status(0);
    // On the terminal, stderr and stdout are one stream.
    let out = run.stdout_str();
    let summary = out
        .find("indexed 3001 briefs")
        .unwrap_or_else(|| panic!("no summary line\n{run}"));
    let (during, after) = out.split_at(summary);
    run.check(
        during.contains("B/s") && during.contains("left") && during.contains(" briefs 0/2 files"),
        "a bar with bytes, rate, time left, briefs and files was drawn",
    );
    run.check(
        during.trim_end_matches(['\r', '\n']).ends_with("\x1b[2K"),
        "the bar line is erased before the summary",
    );
    run.check(after.lines().count() == 1, "nothing after the summary line");
    run.check(
        !out.contains("zanzibarquux") && !out.contains("Zanzibarquux"),
        "no brief text on the terminal",
    );

    // --quiet: no bar, no summary.
    let run = run_on_terminal(
        &env,
        &["index", "--rebuild", "--quiet", "briefs"],
        &[("TERM", "xterm")],
    )
    .unwrap();
    run.assert_status(0);
    run.check(run.output.stdout.is_empty(), "nothing at all with --quiet");
    // TERM=dumb cannot redraw a line: no bar.
    let run =
        run_on_terminal(&env, &["index", "--rebuild", "briefs"], &[("TERM", "dumb")]).unwrap();
    run.assert_status(0);
    run.check(
        !run.stdout_str().contains("B/s"),
        "no bar on a dumb terminal",
    );
}

#[test]
fn without_a_terminal_only_the_summary_is_printed() {
    let env = TestEnv::new();
    big_feed(&env, 600);
    let run = env.run(&["index", "briefs"]);
    run.assert_status(0).assert_quiet_stderr();
    let out = run.stdout_str();
    run.check(
        out.lines().count() == 1 && out.starts_with("indexed 601 briefs"),
        "one summary line, nothing else",
    );
    run.check(
        !out.contains('\r') && !out.contains('\x1b'),
        "no terminal codes",
    );
}

// ---------------------------------------------------------------------------
// 13: ignore files, --no-ignore, --hidden

/// A folder as a project leaves it: a brief, an npm package, a build
/// folder, drafts, a hidden folder, and the ignore files that cover them.
fn project(env: &TestEnv) {
    let brief = |title: &str| format!("{title} — Wire\n- A summary of {title}.\n");
    env.write(
        ".gitignore",
        "node_modules/\ndrafts/*.md\n!drafts/final.md\n",
    );
    env.write("sub/.ignore", "target/\n");
    env.write("keep.txt", brief("Kept brief"));
    env.write("node_modules/pkg/README.md", brief("Package readme"));
    env.write("sub/target/out.txt", brief("Build output"));
    env.write("sub/notes.md", brief("Sub notes"));
    env.write("drafts/draft.md", brief("Draft"));
    env.write("drafts/final.md", brief("Final"));
    env.write(".hidden/secret.txt", brief("Hidden brief"));
}

/// The paths of `briefs parse --json ARGS…`, relative to `briefs/`.
fn parsed(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut full = vec!["parse", "--json"];
    full.extend_from_slice(args);
    let run = env.run(&full);
    run.assert_status(0).assert_quiet_stderr();
    let mut paths: Vec<String> = run
        .json_lines()
        .iter()
        .map(|b| {
            b["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("briefs/")
                .to_string()
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn gitignore_and_ignore_files_are_honoured_unless_no_ignore() {
    let env = TestEnv::new();
    project(&env);
    assert_eq!(
        parsed(&env, &["briefs"]),
        ["drafts/final.md", "keep.txt", "sub/notes.md"]
    );
    assert_eq!(
        parsed(&env, &["--no-ignore", "briefs"]),
        [
            "drafts/draft.md",
            "drafts/final.md",
            "keep.txt",
            "node_modules/pkg/README.md",
            "sub/notes.md",
            "sub/target/out.txt"
        ]
    );
    assert_eq!(
        parsed(&env, &["--hidden", "briefs"]),
        [
            ".hidden/secret.txt",
            "drafts/final.md",
            "keep.txt",
            "sub/notes.md"
        ]
    );
    // A file named on the command line is read whatever the rules say.
    assert_eq!(
        parsed(&env, &["briefs/drafts/draft.md"]),
        ["drafts/draft.md"]
    );

    let run = env.run(&["index", "briefs"]);
    run.assert_status(0);
    run.check(
        run.stdout_str().contains("files: 3 added"),
        "index walks as parse does",
    );
}

#[test]
fn a_file_that_becomes_ignored_is_removed_from_the_index() {
    let env = TestEnv::new();
    project(&env);
    let run = env.run(&["index", "--no-ignore", "briefs"]);
    run.assert_status(0);
    assert_eq!(env.stats()["files"], 6);
    // The same folder with the ignore files honoured: what they exclude is
    // no longer part of the corpus.
    let run = env.run(&["index", "briefs"]);
    run.assert_status(0);
    run.check(
        run.stdout_str()
            .contains("0 added, 0 updated, 3 removed, 3 unchanged"),
        "the three ignored files are removed",
    );
    assert_eq!(env.stats()["files"], 3);
    let run = env.run(&["search", "--json", "package readme"]);
    run.check(
        !run.stdout_str().contains("node_modules"),
        "an ignored file is not found",
    );

    // A file an edited .gitignore now excludes goes on the next run.
    env.append(".gitignore", "sub/notes.md\n");
    let run = env.run(&["index", "briefs"]);
    run.assert_status(0);
    run.check(
        run.stdout_str()
            .contains("0 added, 0 updated, 1 removed, 2 unchanged"),
        "the newly ignored file is removed",
    );
    assert_eq!(env.stats()["files"], 2);
}

#[test]
fn a_bad_ignore_line_is_reported_with_its_line() {
    let env = TestEnv::new();
    env.write(".gitignore", "skip.txt\n[z-a]\n");
    env.write("skip.txt", "Skipped — Wire\n- Not read.\n");
    env.write("keep.txt", "Kept — Wire\n- Read.\n");
    let run = env.run(&["index", "briefs"]);
    run.assert_status(1);
    let stderr = env.normalize(&run.stderr_str());
    run.check(
        stderr.starts_with("briefs: briefs/.gitignore:2: ") && stderr.contains("invalid range"),
        "the ignore file's line and what is wrong with it",
    );
    run.check(
        run.stdout_str().contains("files: 1 added"),
        "the rest of the file applies",
    );
}

/// The README's first command on a fresh clone: `index/` holds only the
/// `.gitkeep` the repository ships (see .gitignore), and the first search
/// builds the index there from `corpus/`.
#[test]
fn the_first_search_of_a_fresh_clone_builds_its_index_beside_the_gitkeep() {
    let gitignore = std::fs::read_to_string(crate::common::manifest_dir().join(".gitignore"))
        .expect("read .gitignore");
    assert!(
        gitignore.lines().any(|l| l.trim() == "!/index/.gitkeep"),
        "the repository ships index/.gitkeep; this test mirrors that layout"
    );
    let env = TestEnv::new();
    super::copy_corpus(&env);
    env.write_at("index/.gitkeep", "");
    let run = env.run_without_index(&["search", "tram", "riders", "-n", "1"]);
    run.assert_status(0);
    run.check(
        run.stderr_str().contains("building it from corpus/ first"),
        "says it builds the index",
    );
    run.check(run.stdout_str().starts_with(" 1. "), "a hit");
    // The placeholder stays, and the folder is an index from now on.
    assert!(env.root().join("index/.gitkeep").is_file());
    env.run_without_index(&["search", "tram", "-n", "1"])
        .assert_status(0);
    // A folder of other files is still refused.
    env.write_at("notes/todo.txt", "buy milk");
    let refused = env.run_without_index(&["index", "--index", "notes", "corpus"]);
    refused.assert_status(2);
}
