//! What reaches the terminal (issue 12, items 7 and 8): a stderr closed
//! early never panics and the run still commits; control characters and
//! bidi overrides in file names, headlines, sources and bullets are shown
//! escaped in every text output and stderr line, never sent raw; TREC
//! lines keep six columns whatever the ids; scores stay finite whatever
//! the boosts.

use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use super::{assert_no_panic, stats_at, wait_deadline};
use crate::common::{Run, TestEnv, describe};

// ---------------------------------------------------------------------------
// Item 7: a closed stderr

/// `briefs index briefs 2>&1 | head -1` over a folder with thousands of bad
/// lines: stdout and stderr are one pipe whose reader goes away after one
/// line. The run must neither panic (exit 101) nor lose its commit.
#[test]
fn a_closed_stderr_does_not_panic_and_the_run_commits() {
    let env = TestEnv::new();
    env.write(
        "good.txt",
        "Ferry Fares Drop — Harbor Ledger\n📉 Ferry fares fall 8%.\n- Fares are lower.\n",
    );
    // 30 files × 100 reported bad lines × ~150 bytes: far more than a pipe
    // holds, so the run is still writing problems when the reader leaves.
    let bad_line = format!("{{\"headline\": {}\n", "x".repeat(120));
    for i in 0..30 {
        env.write(&format!("bad-{i:02}.jsonl"), bad_line.repeat(150));
    }
    let (reader, writer) = std::io::pipe().expect("a pipe");
    let mut cmd = env.command(&["index", "briefs"]);
    cmd.stdin(std::process::Stdio::null())
        .stdout(writer.try_clone().expect("clone the pipe"))
        .stderr(writer);
    let command = describe(&cmd);
    let mut child = cmd.spawn().expect("run briefs index");
    // The command holds the write ends: drop it so only the child does.
    drop(cmd);
    let mut first = String::new();
    BufReader::new(reader)
        .read_line(&mut first)
        .expect("read the first line");
    // The reader is gone here: every later write of the child fails.
    let status = wait_deadline(&mut child, Duration::from_secs(120));
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("{command} did not finish within 120 s");
    };
    assert!(first.starts_with("briefs: "), "first line: {first:?}");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "{command}: expected exit 0 or 1 after the reader left, got {status}"
    );
    let stats = stats_at(&env, &env.index_dir());
    assert_eq!(
        stats["briefs"], 1,
        "the run committed its one brief: {stats}"
    );
    assert_eq!(stats["files"], 31, "every file was recorded: {stats}");
}

// ---------------------------------------------------------------------------
// Item 8: hostile text never reaches the terminal raw

/// The sequences a hostile brief or file name carries: OSC 52 (writes the
/// clipboard), OSC 0 (the window title), `ESC[2J` (clears the screen), the
/// C1 CSI, a bell, a backspace, and U+202E (reverses the text after it).
const OSC_52: &str = "\x1b]52;c;SGVsbG8=\x07";
const OSC_0: &str = "\x1b]0;pwned\x07";
const CLEAR: &str = "\x1b[2J";
const C1_CSI: &str = "\u{9b}31m";
const RLO: &str = "\u{202e}";

/// A folder of briefs and names holding every hostile sequence, indexed.
/// Returns the env and the `index` run.
fn hostile_env() -> (TestEnv, Run) {
    let env = TestEnv::new();
    let text = format!(
        "Tram {OSC_0}Fares Rise{RLO} Again — Harbor{CLEAR} Ledger\n\
         Date: 2026-11-02\n\
         URL: https://example.org/{OSC_52}\n\
         📉 Tram fares rise {OSC_52} by 8%{C1_CSI} from May.\n\
         - Tram riders pay more{RLO}, from\x08 May.\n\
         Tram body text with a bell\x07 and {CLEAR} in it.\n"
    );
    write_named(
        &env,
        format!("tram-{OSC_0}-{RLO}.txt").as_bytes(),
        text.as_bytes(),
    );
    write_named(
        &env,
        format!("wire {CLEAR}.jsonl").as_bytes(),
        format!(
            "{}\n",
            serde_json::json!({
                "id": format!("wire{OSC_52}1"),
                "headline": format!("Tram strike{RLO} called off"),
                "source": format!("Wire{OSC_0}"),
                "points": [format!("🚋 Tram drivers accept{CLEAR} the offer.")],
                "summaries": [format!("The tram strike{C1_CSI} ends.")],
            })
        )
        .as_bytes(),
    );
    // Problems: an empty file and a bad JSON Lines line, hostile names.
    write_named(&env, format!("empty-{CLEAR}{RLO}.txt").as_bytes(), b"");
    write_named(&env, format!("bad-{OSC_52}.jsonl").as_bytes(), b"{\"x\n");
    let run = env.run(&["index", "briefs"]);
    run.assert_status(1);
    (env, run)
}

fn write_named(env: &TestEnv, name: &[u8], bytes: &[u8]) {
    let dir = env.briefs_dir();
    std::fs::create_dir_all(&dir).expect("create folder");
    std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), bytes).expect("write file");
}

/// The first character of `text` that must not reach a terminal raw: a
/// control character other than the line end, or a bidi control. With
/// `sgr_allowed`, colour sequences (`ESC[…m`) are skipped first.
fn first_unsafe(text: &str, sgr_allowed: bool) -> Option<(usize, char)> {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\x1b' && sgr_allowed && chars.peek().is_some_and(|&(_, n)| n == '[') {
            chars.next();
            let mut ok = false;
            for (_, n) in chars.by_ref() {
                if n == 'm' {
                    ok = true;
                    break;
                }
                if !(n.is_ascii_digit() || n == ';') {
                    break;
                }
            }
            if ok {
                continue;
            }
            return Some((at, c));
        }
        let bidi = matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        );
        if (c.is_control() && c != '\n') || bidi || c == '\u{2028}' || c == '\u{2029}' {
            return Some((at, c));
        }
    }
    None
}

/// Checks stdout and stderr of `run` byte by byte: valid UTF-8 (so no lone
/// C1 byte either) and nothing [`first_unsafe`] finds.
fn assert_clean(run: &Run, sgr_allowed: bool) {
    for (name, bytes) in [
        ("stdout", &run.output.stdout),
        ("stderr", &run.output.stderr),
    ] {
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}\n{run}"));
        if let Some((at, c)) = first_unsafe(&text, sgr_allowed) {
            let around: String = text[at..].chars().take(24).collect();
            panic!("{name} holds {c:?} raw at byte {at}: {around:?}…\n{run}");
        }
    }
}

#[test]
fn index_problem_lines_escape_hostile_names() {
    let (_env, run) = hostile_env();
    assert_clean(&run, false);
    let stderr = run.stderr_str();
    run.check(
        stderr.contains("empty-\\x1b[2J\\u{202e}.txt: empty file"),
        "the empty file is named, escaped",
    );
    run.check(
        stderr.contains("bad-\\x1b]52;c;SGVsbG8=\\x07.jsonl:1"),
        "the bad line is named, escaped",
    );
}

#[test]
fn search_show_parse_and_related_escape_hostile_text() {
    let (env, _) = hostile_env();
    let mut runs = Vec::new();
    for args in [
        &[
            "search", "--color", "never", "--kind", "all", "tram", "-n", "20",
        ][..],
        &["search", "--color", "never", "--group", "tram"],
        &["search", "--color", "never", "--kind", "article", "tram"],
        &["show", "--color", "never", &format!("wire{OSC_52}1#p1")],
        &["related", "--color", "never", &format!("wire{OSC_52}1#s1")],
        &["show", "--color", "never", &format!("nothing{CLEAR}")],
    ] {
        runs.push(env.run(args));
    }
    runs.push(env.run_without_index(&["parse", "--color", "never", "briefs"]));
    for run in &runs {
        assert_no_panic(run);
        assert_clean(run, false);
    }
    // Escaped, not dropped: each field is still shown.
    let search = runs[0].stdout_str();
    for shown in [
        "Tram \\x1b]0;pwned\\x07Fares Rise\\u{202e} Again",
        "Harbor\\x1b[2J Ledger",
        "by 8%\\u{9b}31m from May",
        "tram-\\x1b]0;pwned\\x07-\\u{202e}.txt",
        "wire \\x1b[2J.jsonl",
        "Tram strike\\u{202e} called off — Wire\\x1b]0;pwned\\x07",
    ] {
        runs[0].check(search.contains(shown), &format!("search shows {shown:?}"));
    }
    let show = runs[3].stdout_str();
    runs[3].assert_status(0);
    runs[3].check(
        show.contains("id wire\\x1b]52;c;SGVsbG8=\\x071"),
        "show prints the id escaped",
    );
    runs[5].assert_status(2);
    runs[5].check(
        runs[5].stderr_str().contains("nothing\\x1b[2J"),
        "the error names the id, escaped",
    );
    let parse = runs[6].stdout_str();
    runs[6].check(
        parse.contains("url: https://example.org/\\x1b]52;c;SGVsbG8=\\x07")
            && parse.contains("bell\\x07 and \\x1b[2J in it"),
        "parse shows the URL and body escaped",
    );
}

#[test]
fn colour_codes_are_the_only_escapes_with_color_always() {
    let (env, _) = hostile_env();
    for args in [
        &[
            "search", "--color", "always", "--kind", "all", "tram", "-n", "20",
        ][..],
        &["search", "--color", "always", "--group", "tram"],
        &["show", "--color", "always", &format!("wire{OSC_52}1")],
    ] {
        let run = env.run(args);
        run.assert_status(0);
        run.check(run.stdout_str().contains("\x1b[0m"), "coloured");
        assert_clean(&run, true);
    }
}

#[test]
fn a_hostile_index_folder_name_is_escaped_in_the_summary_and_stats() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Tram Fares Rise — Harbor Ledger\n- Tram fares rise.\n",
    );
    let index = env.root().join(format!("idx{CLEAR}"));
    let index_arg = index.as_os_str().to_owned();
    let run = Run::of({
        let mut cmd = env.command_without_index(&["index", "briefs", "--index"]);
        cmd.arg(&index_arg);
        cmd
    });
    run.assert_status(0);
    assert_clean(&run, false);
    let stats = Run::of({
        let mut cmd = env.command_without_index(&["stats", "--index"]);
        cmd.arg(&index_arg);
        cmd
    });
    stats.assert_status(0);
    assert_clean(&stats, false);
    stats.check(
        stats.stdout_str().contains("idx\\x1b[2J"),
        "stats names the index, escaped",
    );
}

// ---------------------------------------------------------------------------
// Item 8: TREC lines and scores

/// Every TREC line of `stdout`: six columns, the fifth a finite number.
fn trec_lines(run: &Run) -> Vec<Vec<String>> {
    let stdout = run.stdout_str();
    stdout
        .lines()
        .map(|line| {
            let columns: Vec<String> = line.split(' ').map(str::to_string).collect();
            run.check(columns.len() == 6, &format!("six columns in {line:?}"));
            let score: f64 = columns[4]
                .parse()
                .unwrap_or_else(|e| panic!("score {:?}: {e}\n{run}", columns[4]));
            run.check(score.is_finite(), &format!("finite score in {line:?}"));
            columns
        })
        .collect()
}

#[test]
fn trec_ids_with_spaces_and_newlines_keep_six_columns() {
    let env = TestEnv::new();
    env.write(
        "a file with spaces.txt",
        "Tram Fares Rise — Harbor Ledger\n- Tram fares rise.\n",
    );
    env.write(
        "wire.jsonl",
        format!(
            "{}\n",
            serde_json::json!({
                "id": "w 1\nq1 Q0 injected 1 99.0 briefs\n100%",
                "headline": "Tram strike ends",
                "summaries": ["The tram strike ends."],
            })
        ),
    );
    env.index();
    env.write_at("queries.tsv", "q 1\ttram\n");
    let run = env.run(&[
        "search",
        "--batch",
        "queries.tsv",
        "--format",
        "trec",
        "--run-tag",
        "my run",
    ]);
    run.assert_status(0);
    let lines = trec_lines(&run);
    assert_eq!(lines.len(), 2, "one line per hit, none injected\n{run}");
    let ids: Vec<&str> = lines.iter().map(|c| c[2].as_str()).collect();
    assert!(
        ids.contains(&"briefs/a%20file%20with%20spaces.txt#s1"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"w%201%0Aq1%20Q0%20injected%201%2099.0%20briefs%0A100%25#s1"),
        "{ids:?}"
    );
    assert!(
        lines.iter().all(|c| c[0] == "q%201" && c[5] == "my%20run"),
        "{lines:?}"
    );
    // Plain search TREC output too.
    let run = env.run(&["search", "--format", "trec", "tram"]);
    assert_eq!(trec_lines(&run).len(), 2, "{run}");
}

#[test]
fn huge_and_nested_boosts_give_finite_scores() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Tram Fares Rise — Harbor Ledger\n- Tram fares rise in May.\n",
    );
    env.index();
    let huge = format!("tram^{}", "9".repeat(39));
    let nested = format!("{}tram{}", "(".repeat(12), ")^99999".repeat(12));
    for query in [
        huge.as_str(),
        "tram^3.4e38",
        nested.as_str(),
        "(tram^99999 fares)^99999",
    ] {
        let run = env.run(&["search", "--json", query]);
        assert_no_panic(&run);
        run.assert_status(0);
        for hit in run.json_lines() {
            let score = hit["score"].as_f64();
            run.check(
                score.is_some_and(f64::is_finite),
                &format!("finite score for {query:?}: {hit}"),
            );
        }
        let run = env.run(&["search", "--format", "trec", query]);
        trec_lines(&run);
    }
}
