//! What reaches the terminal (issue 12, items 7 and 8): a stderr closed
//! early never panics and the run still commits; control characters and
//! bidi overrides in file names, headlines, sources and bullets are shown
//! escaped in every text output and stderr line, never sent raw; TREC
//! lines keep six columns whatever the ids; scores stay finite whatever
//! the boosts.

use std::io::{BufRead, BufReader};
use std::time::Duration;

use super::{stats_at, wait_deadline};
use crate::common::{TestEnv, describe};

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
