//! The adapter to the OS's file events, behind a small trait ([`FileEvents`])
//! so the rest of the watch does not know which one runs, as ripgrep's `Sink`
//! or tantivy's `Directory`. The one implementation is [`NotifyEvents`], the
//! `notify` crate's recommended watcher (inotify on Linux, FSEvents on macOS,
//! ReadDirectoryChangesW on Windows); polling needs no adapter (the watch
//! compares the folders with the index on a timer instead).
//!
//! Events are sent, already reduced to what the watch needs ([`Event`]), into
//! the channel the watch's loop waits on.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

use crate::watch::Message;

/// What happened at a path, as far as the watch cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// Created or written to; a writer may still have it open.
    Written(PathBuf),
    /// A writer closed it after writing (inotify's close-write): complete.
    Closed(PathBuf),
    /// Renamed in or out, removed, or a folder created: look at it as it is
    /// now.
    Moved(PathBuf),
    /// Its metadata changed (permissions, times, links): look at it unless a
    /// writer has it open.
    Attrib(PathBuf),
    /// The OS dropped events (a queue overflow): compare everything with
    /// the index.
    Rescan,
    /// The OS's limit of watches was reached: new folders are no longer
    /// followed.
    LimitReached,
    /// Something else went wrong in the watcher (reported, not fatal).
    Failed(String),
}

/// Why a path could not be watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WatchFailure {
    /// The OS's limit of watches (or of watcher instances) is reached.
    LimitReached(String),
    /// The path is not there.
    NotFound,
    /// Anything else.
    Other(String),
}

/// A source of file events.
pub(crate) trait FileEvents {
    /// Starts following `path`: a folder and everything below it, or a file.
    fn watch(&mut self, path: &Path) -> Result<(), WatchFailure>;
    /// Stops following `path`.
    fn unwatch(&mut self, path: &Path);
    /// True when the OS says when a writer closes a file, so a file being
    /// written can be waited for until then (inotify); otherwise a file is
    /// taken once its size and time have settled.
    fn reports_closes(&self) -> bool;
    /// The mechanism's name, for the start-up line.
    fn name(&self) -> &'static str;
}

/// The `notify` crate's recommended watcher.
pub(crate) struct NotifyEvents {
    watcher: notify::RecommendedWatcher,
    /// Files watched through their folder (a file's own watch is lost when
    /// an editor replaces it by a rename).
    file_roots: Vec<PathBuf>,
}

impl NotifyEvents {
    /// A watcher sending its events to `sender`.
    pub(crate) fn new(sender: Sender<Message>, follow_links: bool) -> Result<Self, WatchFailure> {
        let handler = move |result: notify::Result<notify::Event>| {
            for event in reduce(result) {
                // The loop has stopped: nothing left to tell.
                if sender.send(Message::File(event)).is_err() {
                    return;
                }
            }
        };
        let config = notify::Config::default().with_follow_symlinks(follow_links);
        let watcher = notify::RecommendedWatcher::new(handler, config).map_err(failure)?;
        Ok(NotifyEvents {
            watcher,
            file_roots: Vec::new(),
        })
    }
}

impl FileEvents for NotifyEvents {
    fn watch(&mut self, path: &Path) -> Result<(), WatchFailure> {
        if path.is_file() {
            let folder = path.parent().unwrap_or(path);
            self.watcher
                .watch(folder, RecursiveMode::NonRecursive)
                .map_err(failure)?;
            self.file_roots.push(path.to_path_buf());
            return Ok(());
        }
        self.watcher
            .watch(path, RecursiveMode::Recursive)
            .map_err(failure)
    }

    fn unwatch(&mut self, path: &Path) {
        // A watch the OS already dropped (its folder was deleted) is gone:
        // nothing to undo.
        let watched = if self.file_roots.iter().any(|f| f == path) {
            self.file_roots.retain(|f| f != path);
            path.parent().unwrap_or(path)
        } else {
            path
        };
        let _ = self.watcher.unwatch(watched);
    }

    fn reports_closes(&self) -> bool {
        matches!(
            <notify::RecommendedWatcher as Watcher>::kind(),
            notify::WatcherKind::Inotify
        )
    }

    fn name(&self) -> &'static str {
        match <notify::RecommendedWatcher as Watcher>::kind() {
            notify::WatcherKind::Inotify => "inotify",
            notify::WatcherKind::Fsevent => "FSEvents",
            notify::WatcherKind::Kqueue => "kqueue",
            notify::WatcherKind::ReadDirectoryChangesWatcher => "ReadDirectoryChangesW",
            _ => "file events",
        }
    }
}

fn failure(error: notify::Error) -> WatchFailure {
    match error.kind {
        notify::ErrorKind::MaxFilesWatch => {
            WatchFailure::LimitReached("the system's limit of watches is reached".into())
        }
        notify::ErrorKind::PathNotFound => WatchFailure::NotFound,
        // Too many inotify instances (EMFILE) is a limit too.
        notify::ErrorKind::Io(ref e) if e.raw_os_error() == Some(24) => {
            WatchFailure::LimitReached(format!("the system's limit of watchers is reached ({e})"))
        }
        notify::ErrorKind::Io(ref e) if e.kind() == std::io::ErrorKind::NotFound => {
            WatchFailure::NotFound
        }
        _ => WatchFailure::Other(error.to_string()),
    }
}

/// What a `notify` event means to the watch.
fn reduce(result: notify::Result<notify::Event>) -> Vec<Event> {
    let event = match result {
        Ok(event) => event,
        Err(error) => {
            return vec![match failure(error) {
                WatchFailure::LimitReached(_) => Event::LimitReached,
                WatchFailure::NotFound => return Vec::new(),
                WatchFailure::Other(text) => Event::Failed(text),
            }];
        }
    };
    if event.need_rescan() {
        return vec![Event::Rescan];
    }
    let make: fn(PathBuf) -> Event = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Event::Closed,
        EventKind::Access(_) => return Vec::new(),
        EventKind::Create(CreateKind::Folder) => Event::Moved,
        EventKind::Create(_) => Event::Written,
        EventKind::Modify(ModifyKind::Name(_)) => Event::Moved,
        EventKind::Modify(ModifyKind::Metadata(_)) => Event::Attrib,
        EventKind::Modify(_) => Event::Written,
        EventKind::Remove(_) => Event::Moved,
        EventKind::Any | EventKind::Other => Event::Moved,
    };
    event.paths.into_iter().map(make).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind, RenameMode};

    fn of(kind: EventKind, path: &str) -> Vec<Event> {
        reduce(Ok(notify::Event::new(kind).add_path(PathBuf::from(path))))
    }

    #[test]
    fn close_write_completes_and_a_write_does_not() {
        assert_eq!(
            of(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                "/a"
            ),
            [Event::Closed("/a".into())]
        );
        assert_eq!(
            of(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "/a"),
            [Event::Written("/a".into())]
        );
        assert!(of(EventKind::Access(AccessKind::Close(AccessMode::Read)), "/a").is_empty());
    }

    #[test]
    fn renames_removals_and_new_folders_are_looked_at() {
        for kind in [
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Remove(RemoveKind::File),
            EventKind::Create(CreateKind::Folder),
        ] {
            assert_eq!(of(kind, "/a"), [Event::Moved("/a".into())], "{kind:?}");
        }
    }

    #[test]
    fn the_watch_limit_and_lost_events_are_told() {
        let limit = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        assert_eq!(reduce(Err(limit)), [Event::LimitReached]);
        let lost = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        assert_eq!(reduce(Ok(lost)), [Event::Rescan]);
    }
}
