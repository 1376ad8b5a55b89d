//! What the binary prints: colour (`--color`, `NO_COLOR`, `TERM=dumb`, on a
//! pseudo-terminal through util-linux `script` when there is one), a
//! broken pipe (exit 0, nothing on stderr), and the golden files of
//! `tests/golden/`, compared byte for byte (`UPDATE_GOLDEN=1 cargo test`
//! rewrites them; review the diff).

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use super::{fixture_paths, write_small_corpus};
use crate::common::{Run, TestEnv, assert_golden, shell_quote};

// ---------------------------------------------------------------------------
// 11: colour

#[test]
fn no_color_with_color_auto_prints_no_escape_codes() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let mut cmd = env.command(&["search", "--color", "auto", "tram"]);
    cmd.env("NO_COLOR", "1");
    let run = Run::of(cmd);
    run.assert_status(0);
    run.check(!run.output.stdout.contains(&0x1b), "no escape codes");

    let run = env.run(&["search", "--color", "always", "tram"]);
    run.assert_status(0);
    run.check(run.stdout_str().contains("\x1b["), "--color always colours");
    // JSON is never coloured.
    let run = env.run(&["search", "--color", "always", "--json", "tram"]);
    run.assert_status(0);
    run.check(
        !run.output.stdout.contains(&0x1b),
        "no escape codes in JSON",
    );
}

/// Runs `briefs --index <tmp>/idx ARGS…` on a pseudo-terminal through
/// util-linux `script`, with `NO_COLOR`/`TERM` as given; `None` when
/// `script` is not available.
pub(super) fn run_on_terminal(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Option<Run> {
    let available = std::process::Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        return None;
    }
    let inner = env.command(args);
    let mut line = shell_quote(inner.get_program());
    for arg in inner.get_args() {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut cmd = env.scrubbed_command("script");
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"]);
    for (key, value) in vars {
        cmd.env(key, value);
    }
    Some(Run::of(cmd))
}

#[test]
fn color_auto_on_a_terminal_obeys_no_color_and_dumb_term() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let args = ["search", "--color", "auto", "tram"];
    let Some(plain_tty) = run_on_terminal(&env, &args, &[("TERM", "xterm")]) else {
        println!("skipped: util-linux `script` not found, cannot open a terminal");
        return;
    };
    if plain_tty.code() != Some(0) && plain_tty.stderr_str().starts_with("script:") {
        println!("skipped: `script` could not open a terminal here\n{plain_tty}");
        return;
    }
    plain_tty.assert_status(0);
    plain_tty.check(
        plain_tty.stdout_str().contains("\x1b["),
        "on a terminal, --color auto colours",
    );
    for vars in [
        [("TERM", "xterm"), ("NO_COLOR", "1")],
        [("TERM", "dumb"), ("NO_COLOR", "")],
    ] {
        let run = run_on_terminal(&env, &args, &vars).unwrap();
        run.assert_status(0);
        run.check(run.stdout_str().contains("tram"), "the hit is printed");
        run.check(!run.output.stdout.contains(&0x1b), "no escape codes");
    }
}

// ---------------------------------------------------------------------------
// 12: broken pipe

#[test]
fn broken_pipe_exits_0_with_nothing_on_stderr() {
    let env = TestEnv::new();
    let mut jsonl = String::new();
    for i in 0..300 {
        jsonl.push_str(&format!(
            concat!(
                r#"{{"headline": "Harbour Notice Number {i}", "source": "Dock Board", "#,
                r#""points": ["⚓ Berth {i} at the harbour closes for dredging through the whole of next month."], "#,
                r#""summaries": ["The harbour master moved the boats from berth {i} to the outer wall for now.", "#,
                r#""Harbour fees for berth {i} are waived while the dredgers work along the quay.", "#,
                r#""Boat owners at the harbour were told about berth {i} by letter last week."]}}"#,
                "\n"
            ),
            i = i
        ));
    }
    env.write("notices.jsonl", jsonl);
    env.index();
    let args = ["search", "--color", "never", "-n", "1000", "harbour"];

    // The full output must be far larger than a pipe's buffer (64 KiB on
    // Linux), or the writer would finish before the reader leaves.
    let full = env.run(&args);
    full.assert_status(0);
    assert!(
        full.output.stdout.len() > 128 * 1024,
        "output too small to fill a pipe: {} bytes",
        full.output.stdout.len()
    );

    let mut cmd = env.command(&args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn briefs");
    // Drain stderr on its own thread, so a chatty child cannot block on it
    // while we wait for stdout.
    let mut child_stderr = child.stderr.take().unwrap();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = child_stderr.read_to_string(&mut text);
        text
    });
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let status = wait_or_kill(&mut child, std::time::Duration::from_secs(30));
    let stderr = stderr_reader.join().unwrap();
    assert!(first.starts_with(" 1. "), "first line: {first:?}");
    assert_eq!(status.code(), Some(0), "status {status}, stderr {stderr:?}");
    assert_eq!(stderr, "", "stderr must stay empty on a broken pipe");
}

/// Waits for `child`, killing it (and failing) after `limit`.
fn wait_or_kill(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for briefs") {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("briefs did not exit within {limit:?} after its reader left");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

// ---------------------------------------------------------------------------
// Golden output

#[test]
fn golden_parse_human() {
    let env = TestEnv::new();
    env.copy_fixtures();
    let mut args = vec!["parse".to_string(), "--color".into(), "never".into()];
    args.extend(fixture_paths());
    let run = env.run(&args);
    run.assert_status(0).assert_quiet_stderr();
    assert_golden("parse.txt", &env.normalize(&run.stdout_str()));
}

#[test]
fn golden_parse_json() {
    let env = TestEnv::new();
    env.copy_fixtures();
    let mut args = vec!["parse".to_string(), "--json".into()];
    args.extend(fixture_paths());
    let run = env.run(&args);
    run.assert_status(0).assert_quiet_stderr();
    assert_golden("parse_json.txt", &env.normalize(&run.stdout_str()));
}

/// Runs a search on the fixtures for a golden file. Equal scores are
/// refused, so a golden file never depends on how ties are broken (by a
/// hash of the id, see `folding::tied_hits_are_ordered_by_id_across_fresh_indexes`).
fn golden_search(env: &TestEnv, args: &[&str]) -> String {
    let mut json_args = vec!["search", "--json"];
    json_args.extend(
        args.iter()
            .filter(|a| !["--json", "--color", "never"].contains(a)),
    );
    let probe = env.run(&json_args);
    probe.assert_status(0);
    let scores: Vec<f64> = probe
        .json_lines()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] > w[1]),
        "golden query {args:?} has tied scores {scores:?}: choose another"
    );
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    let run = env.run(&full);
    run.assert_status(0).assert_quiet_stderr();
    env.normalize(&run.stdout_str())
}

fn fixtures_index() -> TestEnv {
    let env = TestEnv::new();
    env.copy_fixtures();
    env.index();
    env
}

#[test]
fn golden_search_human() {
    let env = fixtures_index();
    let out = golden_search(
        &env,
        &[
            "--color", "never", "twenty", "minutes", "spillway", "double",
        ],
    );
    assert_golden("search_human.txt", &out);
}

#[test]
fn golden_search_articles() {
    let env = fixtures_index();
    let out = golden_search(
        &env,
        &["--color", "never", "--kind", "article", "weekend", "buses"],
    );
    assert_golden("search_articles.txt", &out);
}

#[test]
fn golden_search_json() {
    let env = fixtures_index();
    let out = golden_search(&env, &["--json", "tickets", "sundays", "shippers", "rain"]);
    assert_golden("search_json.txt", &out);
}
