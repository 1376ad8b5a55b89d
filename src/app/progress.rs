//! What an index run shows on stderr while it runs: each problem as
//! `briefs: path:line: reason`, and on a terminal a progress line that the
//! next message overwrites.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::app::stderr;
use crate::brief::Problem;
use crate::index::{Progress, Reporter};

/// Prints problems as `briefs: path:line: reason` and, on a terminal,
/// a progress line that the next message overwrites.
pub(crate) struct StderrReporter {
    progress: bool,
    last_progress: Option<Instant>,
    progress_shown: bool,
}

impl StderrReporter {
    pub(crate) fn new() -> StderrReporter {
        StderrReporter {
            progress: std::io::stderr().is_terminal(),
            last_progress: None,
            progress_shown: false,
        }
    }

    fn clear_progress(&mut self) {
        if self.progress_shown {
            stderr::raw("\r\x1b[2K");
            self.progress_shown = false;
        }
    }
}

impl Reporter for StderrReporter {
    fn problem(&mut self, problem: &Problem, unchanged: bool) {
        self.clear_progress();
        let note = if unchanged {
            " (unchanged since it was last read)"
        } else {
            ""
        };
        stderr::say(&format!("{problem}{note}"));
    }

    fn progress(&mut self, progress: Progress) {
        if !self.progress {
            return;
        }
        let due = self
            .last_progress
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(200));
        let done = progress.files_done == progress.files_total;
        if due && !done {
            stderr::raw(&format!(
                "\r\x1b[2Kindexing: {}/{} files, {} briefs",
                progress.files_done, progress.files_total, progress.briefs
            ));
            self.progress_shown = true;
            self.last_progress = Some(Instant::now());
        }
        if done {
            self.clear_progress();
        }
    }
}
