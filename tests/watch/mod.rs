//! `briefs watch` on temporary folders with real file events (issue 14):
//! `files` (add, edit, rename, delete, a burst of 2,000 files, an appended
//! JSON Lines line, a file written slowly in pieces, a folder created after
//! the start, a root that goes and comes back, `--poll`), `alerts` (standing
//! queries, `--json`, `--exec`, exactly one alert per new bullet across
//! SIGKILL and a crash between a commit and its alerts), `lifecycle`
//! (SIGINT/SIGTERM, the writer lock).
//!
//! Every watch a test starts is a [`Watching`] guard, which kills it by
//! its PID when dropped, also when the test fails. Nothing here sleeps and
//! hopes: each test polls for the state it expects, with generous time-outs
//! (events are asynchronous and the machine is shared).
//!
//! ```console
//! $ cargo test --test main watch::
//! ```

mod alerts;
mod files;
mod lifecycle;

use std::ffi::OsStr;
use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::TestEnv;

/// How long a test waits for what it expects before it fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `briefs watch`, killed by its PID when dropped.
struct Watching {
    child: Option<Child>,
    stdout: PathBuf,
    stderr: PathBuf,
    command: String,
}

impl Watching {
    /// Starts `briefs --index <tmp>/idx watch ARGS…` in `env`, with stdout
    /// and stderr going to files (`name.out`, `name.err` in the folder), and
    /// waits until it follows its roots.
    fn start<S: AsRef<OsStr>>(env: &TestEnv, name: &str, args: &[S]) -> Watching {
        let mut cmd = env.command(&["watch"]);
        cmd.args(args);
        Watching::spawn(env, name, cmd, true)
    }

    /// Starts `cmd` without waiting for it to be ready.
    fn spawn(env: &TestEnv, name: &str, mut cmd: Command, wait_ready: bool) -> Watching {
        let stdout = env.root().join(format!("{name}.out"));
        let stderr = env.root().join(format!("{name}.err"));
        let command = crate::common::describe(&cmd);
        let child = cmd
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("create stdout file"))
            .stderr(File::create(&stderr).expect("create stderr file"))
            .spawn()
            .unwrap_or_else(|e| panic!("could not run {command}: {e}"));
        let watching = Watching {
            child: Some(child),
            stdout,
            stderr,
            command,
        };
        if wait_ready {
            watching.wait_stderr("following", |err| err.contains("briefs: watch: following"));
        }
        watching
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn stdout(&self) -> String {
        std::fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    /// The alerts written so far (`--json`), parsed.
    fn json_alerts(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}\n{self}"))
            })
            .collect()
    }

    /// How many commits it has reported.
    fn commits(&self) -> usize {
        self.stderr()
            .lines()
            .filter(|l| l.contains("briefs: watch: commit "))
            .count()
    }

    /// Waits until `cond` holds of stderr.
    fn wait_stderr(&self, what: &str, cond: impl Fn(&str) -> bool) {
        self.wait_for(what, || cond(&self.stderr()));
    }

    /// Polls `cond` until it holds, or fails with what the watch printed.
    fn wait_for(&self, what: &str, mut cond: impl FnMut() -> bool) {
        let start = Instant::now();
        while !cond() {
            if start.elapsed() > PATIENCE {
                panic!("timed out after {PATIENCE:?} waiting for {what}\n{self}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` (`TERM`, `INT`, `KILL`) to the watch by its PID.
    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} {} failed", self.pid());
    }

    /// Waits for the watch to exit and returns its status.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            let child = self.child.as_mut().expect("a child");
            if let Some(status) = child.try_wait().expect("try_wait") {
                self.child = None;
                return status;
            }
            if start.elapsed() > PATIENCE {
                panic!("the watch did not exit within {PATIENCE:?}\n{self}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // By its PID (Child::kill sends SIGKILL to that process only).
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl std::fmt::Display for Watching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "stdout:\n{}", self.stdout())?;
        write!(f, "stderr:\n{}", self.stderr())
    }
}

/// The ids of the bullets `briefs search --json QUERY` finds (no folding).
fn search_ids(env: &TestEnv, query: &str) -> Vec<String> {
    let run = env.run(&["search", "--json", "--no-dedup", "-n", "100", query]);
    match run.code() {
        Some(0) => run
            .json_lines()
            .iter()
            .map(|hit| hit["id"].as_str().unwrap_or_default().to_string())
            .collect(),
        Some(1) => Vec::new(),
        _ => panic!("search failed\n{run}"),
    }
}

/// The paths of the hits `briefs search --json QUERY` finds.
fn search_paths(env: &TestEnv, query: &str) -> Vec<String> {
    let run = env.run(&["search", "--json", "--no-dedup", "-n", "100", query]);
    if run.code() == Some(1) {
        return Vec::new();
    }
    run.assert_status(0);
    run.json_lines()
        .iter()
        .map(|hit| hit["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A text brief with one point and one summary, each holding `word`.
fn brief(headline: &str, word: &str) -> String {
    format!(
        "{headline} — Watch Desk\n📌 The {word} point of this brief.\n- The {word} summary of this brief.\n"
    )
}
