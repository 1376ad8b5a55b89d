//! Raising alerts: after a commit, every standing query is run over the
//! bullets first seen since the last alerted generation only (a range on
//! the indexed `first_seen` field, intersected with the query, so the cost
//! is that of the new bullets, not of the index), and each match is
//! written out and recorded in the journal, one at a time.
//!
//! Out: a human block or a JSON Lines object per alert on stdout, and with
//! `--exec` a command run per alert with the JSON on its stdin.

use std::hash::Hasher;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::BriefIndex;
use crate::output::{Palette, write_hits};
use crate::parse::format_timestamp;
use crate::search::{Hit, count_new, search_new};
use crate::watch::journal::Journal;
use crate::watch::standing::StandingQuery;

/// One alert, as `--json` writes it and `--exec` gets it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alert {
    /// Stable across restarts: the index, the query and the bullet (its id
    /// and text); a repeat after a crash has the same id.
    pub(crate) alert_id: String,
    /// The standing query's name.
    pub(crate) query: String,
    /// The commit it is alerted for.
    pub(crate) generation: u64,
    /// When that commit was made (RFC 3339, UTC).
    pub(crate) committed_at: String,
    /// The hit, as `search --json` prints it.
    pub(crate) hit: Hit,
}

/// Where alerts go and how.
pub(crate) struct Alerter {
    pub(crate) queries: Vec<StandingQuery>,
    pub(crate) json: bool,
    pub(crate) exec: Option<String>,
    pub(crate) journal: Journal,
    pub(crate) lineage: u64,
    /// Makes each hit's path as shown (relative to the current folder).
    pub(crate) show_path: Box<dyn Fn(&str) -> String>,
}

/// How long an `--exec` command may run for one alert before it is killed.
const EXEC_TIMEOUT: Duration = Duration::from_secs(60);

impl Alerter {
    /// Alerts every new match of bullets first seen after the journal's
    /// generation and up to `generation` (committed at `committed_at`), and
    /// records them; returns how many were raised.
    pub(crate) fn alert_through(
        &mut self,
        index: &BriefIndex,
        generation: u64,
        committed_at: i64,
        out: &mut dyn Write,
    ) -> Result<usize> {
        let after = self.journal.through();
        if generation <= after {
            return Ok(0);
        }
        let mut raised = 0;
        let when = format_timestamp(committed_at);
        // One searcher for every query of the pass: the commit just made.
        let searcher = index.reader()?.searcher();
        let new = count_new(index, &searcher, after, generation)?;
        for query in self.queries.iter().filter(|_| new > 0) {
            let hits = search_new(index, &searcher, &query.options, (after, generation, new))?;
            for mut hit in hits {
                if query.min_score.is_some_and(|min| hit.score < min) {
                    continue;
                }
                let alert_id = alert_id(self.lineage, &query.name, &hit);
                if self.journal.was_sent(&alert_id) {
                    continue;
                }
                hit.path = (self.show_path)(&hit.path);
                let alert = Alert {
                    alert_id,
                    query: query.name.clone(),
                    generation,
                    committed_at: when.clone(),
                    hit,
                };
                deliver(&alert, self.json, self.exec.as_deref(), out)?;
                self.journal.sent(&alert.alert_id)?;
                raised += 1;
            }
        }
        self.journal.done(generation)?;
        Ok(raised)
    }
}

/// An alert's id: FNV-1a of the index's lineage, the query's name, the
/// bullet's id and its text, in hex.
fn alert_id(lineage: u64, query: &str, hit: &Hit) -> String {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write_u64(lineage);
    for part in [query, &hit.id, &hit.text] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

/// Writes one alert out (and flushes it), then runs `--exec` for it.
fn deliver(alert: &Alert, json: bool, exec: Option<&str>, out: &mut dyn Write) -> Result<()> {
    // Invariant: an alert is strings and numbers, which always serialise.
    let line = serde_json::to_string(alert).expect("an alert serialises");
    let written = if json {
        writeln!(out, "{line}")
    } else {
        writeln!(
            out,
            "alert [{}] {} (commit {})",
            alert.query, alert.committed_at, alert.generation
        )
        .and_then(|_| {
            write_hits(
                &mut &mut *out,
                std::slice::from_ref(&alert.hit),
                &Palette::PLAIN,
            )
        })
    };
    written.and_then(|_| out.flush()).map_err(Error::Output)?;
    if let Some(command) = exec {
        run_exec(command, alert, &line);
    }
    Ok(())
}

/// Runs `command` through the shell with the alert's JSON on its stdin and
/// `BRIEFS_ALERT_QUERY`/`BRIEFS_ALERT_ID` set. A command that fails, hangs
/// past [`EXEC_TIMEOUT`] or cannot start is reported on stderr; the alert
/// still counts as delivered (it was written out).
fn run_exec(command: &str, alert: &Alert, json: &str) {
    let mut shell = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    shell
        .env("BRIEFS_ALERT_QUERY", &alert.query)
        .env("BRIEFS_ALERT_ID", &alert.alert_id)
        .stdin(Stdio::piped())
        .stdout(Stdio::null());
    let mut child = match shell.spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("briefs: watch: --exec {command}: {e}");
            return;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its stdin is fine.
        let _ = stdin.write_all(json.as_bytes());
        let _ = stdin.write_all(b"\n");
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return,
            Ok(Some(status)) => {
                eprintln!(
                    "briefs: watch: --exec {command}: {status} for alert {}",
                    alert.alert_id
                );
                return;
            }
            Ok(None) if started.elapsed() > EXEC_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                eprintln!(
                    "briefs: watch: --exec {command}: killed after {} s for alert {}",
                    EXEC_TIMEOUT.as_secs(),
                    alert.alert_id
                );
                return;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                eprintln!("briefs: watch: --exec {command}: {e}");
                return;
            }
        }
    }
}
