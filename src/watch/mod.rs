//! `briefs watch`: a live folder. The index is brought up to date once, then
//! kept current as files change, from the OS's file events (`events`, an
//! adapter behind the [`FileEvents`](events::FileEvents) trait: inotify,
//! FSEvents, ReadDirectoryChangesW through the `notify` crate) or, with
//! `--poll` or when the OS's watch limit is reached, by comparing the
//! folders with the index on a timer. Events wait in `pending` until their
//! files are complete and the burst is over; each batch is one commit
//! through `index::apply_changes` (`run` is the loop). After each commit the
//! standing queries of `--alert` are run over the bullets new in it
//! (`standing`, `alert`), and what was alerted is kept beside the index
//! (`journal`) so a restart neither loses nor repeats alerts. SIGINT and
//! SIGTERM (`signals`) stop the loop between commits.
//!
//! Flows in: the settled [`WatchSettings`] (from `app`), file events,
//! signals. Flows out: commits to the index, alerts on stdout (and to
//! `--exec`), one line per commit on stderr. Uses `index/`, `read/`,
//! `search/` and `output/`; never imports `app/` or `cli`'s argument types
//! beyond the `Kind` a standing query names.

mod alert;
mod events;
mod journal;
mod pending;
mod report;
mod run;
mod signals;
mod standing;

use std::path::PathBuf;
use std::time::Duration;

use crate::query::Weights;

pub(crate) use pending::Timing;
pub(crate) use run::watch;

/// What a watch does, settled from the command line.
#[derive(Debug, Clone)]
pub(crate) struct WatchSettings {
    /// The index folder.
    pub(crate) index_dir: PathBuf,
    /// Files and folders to follow, as given.
    pub(crate) roots: Vec<PathBuf>,
    /// Follow symbolic links.
    pub(crate) follow_links: bool,
    /// Compare the folders with the index this often instead of following
    /// file events.
    pub(crate) poll: Option<Duration>,
    /// No start-up, commit or stop lines on stderr (problems still are).
    pub(crate) quiet: bool,
    /// The debouncing's waits.
    pub(crate) timing: Timing,
    /// Standing queries, when `--alert` is given.
    pub(crate) alerts: Option<AlertSettings>,
    /// Where paths are shown relative to (the current folder).
    pub(crate) cwd: Option<PathBuf>,
    /// For the crash tests only: abort right after a commit, before its
    /// alerts (`BRIEFS_WATCH_ABORT_AFTER_COMMIT=1`).
    pub(crate) abort_after_commit: bool,
}

/// `--alert FILE`, `--json`, `--exec CMD`.
#[derive(Debug, Clone)]
pub(crate) struct AlertSettings {
    /// The standing queries' file.
    pub(crate) file: PathBuf,
    /// Alerts as JSON Lines.
    pub(crate) json: bool,
    /// A command run per alert, with the alert's JSON on its stdin.
    pub(crate) exec: Option<String>,
    /// Field weights of the searches.
    pub(crate) weights: Weights,
}

/// The interval of the rescans when the OS's watch limit forces polling and
/// `--poll` did not give one.
pub(crate) const DEFAULT_POLL: Duration = Duration::from_secs(10);

/// What the watch's loop waits for.
#[derive(Debug)]
pub(crate) enum Message {
    /// A file event.
    File(events::Event),
    /// Stop (the signal's name).
    Stop(&'static str),
}
