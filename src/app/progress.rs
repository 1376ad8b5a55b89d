//! What an index run shows on stderr while it runs: each problem as
//! `briefs: path:line: reason`, and, when asked (stderr is a terminal and
//! not `--quiet`), a progress bar by bytes read, with the files and briefs
//! read, the rate and the time left. The bar shows counts only, never a
//! name or a word of a brief; it is cleared before a problem is printed
//! (then drawn again) and when the run ends, so what stays on the terminal
//! is the problems and the summary line.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::stderr;
use crate::brief::Problem;
use crate::index::{Progress, Reporter};

/// The bar: `[####>-----] 12.00 MiB/48.20 MiB 9.10 MiB/s 4s left 2,480 briefs 310/1,200
/// files`, the bar as wide as the terminal leaves room for.
const TEMPLATE: &str =
    "[{wide_bar}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta} left {msg}";

/// Redraws a second, at most: enough for a rate and a time left that can
/// be read, and cheap over a slow terminal link.
const REDRAWS_PER_SECOND: u8 = 10;

/// Prints problems as `briefs: path:line: reason` and, when `show_bar`
/// was settled true, a progress bar.
pub(crate) struct StderrReporter {
    show_bar: bool,
    bar: Option<ProgressBar>,
}

impl StderrReporter {
    /// `show_bar`: settled by `config::progress_bar` (a terminal, not quiet).
    pub(crate) fn new(show_bar: bool) -> StderrReporter {
        StderrReporter {
            show_bar,
            bar: None,
        }
    }

    /// A bar of `total` bytes, not drawn yet.
    fn start_bar(total: u64) -> ProgressBar {
        let target = ProgressDrawTarget::stderr_with_hz(REDRAWS_PER_SECOND);
        let bar = ProgressBar::with_draw_target(Some(total), target);
        // The template is a constant, checked by a test: it cannot fail here.
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style.progress_chars("#>-"));
        }
        bar
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Reporter for StderrReporter {
    fn problem(&mut self, problem: &Problem, unchanged: bool) {
        let note = if unchanged {
            " (unchanged since it was last read)"
        } else {
            ""
        };
        let print = || stderr::say(&format!("{problem}{note}"));
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    fn progress(&mut self, progress: Progress) {
        if !self.show_bar {
            return;
        }
        let message = format!(
            "{} briefs {}/{} files",
            thousands(progress.briefs as u64),
            thousands(progress.files_done as u64),
            thousands(progress.files_total as u64)
        );
        let position = progress.bytes_done.min(progress.bytes_total);
        match &self.bar {
            Some(bar) => {
                bar.set_message(message);
                bar.set_position(position);
            }
            None => {
                let bar = Self::start_bar(progress.bytes_total)
                    .with_message(message)
                    .with_position(position);
                // Drawn at once, whatever the rate limit: a run that ends
                // within the first redraw still shows that it ran.
                bar.force_draw();
                self.bar = Some(bar);
            }
        }
        if progress.files_done == progress.files_total {
            self.finish();
        }
    }
}

impl Drop for StderrReporter {
    /// A run that stops on an error leaves no bar behind its message.
    fn drop(&mut self) {
        self.finish();
    }
}

/// `12345` as `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn the_template_is_valid() {
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
    }

    #[test]
    fn no_bar_unless_asked() {
        let mut reporter = StderrReporter::new(false);
        reporter.progress(Progress {
            files_done: 0,
            files_total: 2,
            briefs: 0,
            bytes_done: 0,
            bytes_total: 10,
        });
        assert!(reporter.bar.is_none());
    }
}
