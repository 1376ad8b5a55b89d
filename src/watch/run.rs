//! The watch's loop: take the writer (held for the watch's lifetime, so a
//! second `watch` or `index` is refused), follow the roots, catch up once,
//! then wait for events, signals and timers; commit each batch that is due,
//! raise its alerts, and print one line per commit.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, UNIX_EPOCH};

use tantivy::{IndexWriter, TantivyDocument};

use crate::error::{Error, ExitStatus, Result};
use crate::index::{
    ApplyOptions, ApplyReport, BriefIndex, IndexOptions, Reporter, Root, apply_changes,
    clean_stale, differences,
};
use crate::search::relative_path;
use crate::watch::alert::Alerter;
use crate::watch::events::{Event, FileEvents, NotifyEvents, WatchFailure};
use crate::watch::journal::Journal;
use crate::watch::pending::{Pending, Stat};
use crate::watch::report::{commit_line, describe};
use crate::watch::signals::listen;
use crate::watch::standing::read_standing_queries;
use crate::watch::{DEFAULT_POLL, Message, WatchSettings};

/// How often a root that went away is looked for.
const ROOT_CHECK: Duration = Duration::from_secs(1);

/// Runs `briefs watch` until SIGINT or SIGTERM; alerts go to `out`,
/// problems to `reporter`, the watch's own lines to stderr.
pub(crate) fn watch(
    settings: &WatchSettings,
    out: &mut dyn Write,
    reporter: &mut dyn Reporter,
) -> Result<ExitStatus> {
    let mut roots = Vec::new();
    for given in &settings.roots {
        let canonical = given.canonicalize().map_err(|e| Error::io(given, e))?;
        roots.push(Root {
            given: given.clone(),
            canonical,
        });
    }
    let queries = match &settings.alerts {
        Some(alerts) => Some(read_standing_queries(&alerts.file, alerts.weights)?),
        None => None,
    };
    let index = BriefIndex::open_or_create(&settings.index_dir)?;
    let defaults = IndexOptions::new(Vec::new());
    // Held until the watch ends: see the README (a second writer is refused).
    let mut writer = index.writer(defaults.threads, defaults.memory_budget)?;
    clean_stale(&index, &mut writer)?;

    let (sender, receiver) = mpsc::channel();
    let _signals = listen(sender.clone()).map_err(|e| Error::io("signal handler", e))?;
    let mut watch = Watch {
        settings,
        options: ApplyOptions {
            roots,
            follow_links: settings.follow_links,
            report_unchanged: true,
        },
        pending: Pending::new(false, settings.timing),
        events: None,
        poll: settings.poll,
        next_poll: None,
        missing: Vec::new(),
        rewatch: Vec::new(),
        file_roots: Vec::new(),
        index_canonical: None,
        next_root_check: None,
        alerter: None,
        index,
        writer,
        out,
        reporter,
    };
    watch.missing = vec![false; watch.options.roots.len()];
    watch.rewatch = vec![false; watch.options.roots.len()];
    watch.file_roots = watch
        .options
        .roots
        .iter()
        .map(|r| r.canonical.is_file())
        .collect();
    let mechanism = watch.follow(sender)?;

    if let Some(queries) = queries {
        // An index whose first run stopped before its first commit has no
        // payload yet, and so no lineage: 0 until its first commit.
        let lineage = watch.index.payload()?.map_or(0, |p| p.lineage);
        let journal = Journal::open(&watch.index.dir, lineage)?;
        let cwd = settings.cwd.clone();
        watch.alerter = Some(Alerter {
            queries,
            json: settings.alerts.as_ref().is_some_and(|a| a.json),
            exec: settings.alerts.as_ref().and_then(|a| a.exec.clone()),
            journal,
            lineage,
            show_path: Box::new(move |key| match &cwd {
                Some(cwd) => relative_path(key, cwd),
                None => key.to_string(),
            }),
        });
    }

    // Catch up with what changed while no watch ran, as `briefs index`
    // would, alerts included (unless alerting starts now).
    let paths: Vec<PathBuf> = watch
        .options
        .roots
        .iter()
        .map(|r| r.canonical.clone())
        .collect();
    let report = apply_changes(
        &watch.index,
        &mut watch.writer,
        &paths,
        &watch.options,
        watch.reporter,
    )?;
    watch.options.report_unchanged = false;
    if report.commit.is_none() && !settings.quiet {
        eprintln!(
            "briefs: watch: index {} is up to date ({} files unchanged)",
            settings.index_dir.display(),
            report.unchanged
        );
    }
    let fresh = watch.alerter.as_ref().is_some_and(|a| a.journal.is_fresh());
    if fresh {
        // No alert was ever recorded for this index: alerting starts now,
        // not with every bullet it already holds.
        let generation = watch.index.next_generation()? - 1;
        if let Some(alerter) = &mut watch.alerter {
            alerter.journal.done(generation)?;
        }
    }
    watch.committed(report)?;
    if !fresh {
        watch.alert_backlog()?;
    }
    release_freed_memory();
    if !settings.quiet {
        let shown: Vec<String> = settings
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect();
        eprintln!(
            "briefs: watch: following {} ({mechanism}); stop with Ctrl-C or SIGTERM",
            shown.join(", ")
        );
    }
    let stopped_by = watch.run(&receiver)?;
    if !settings.quiet {
        eprintln!("briefs: watch: stopped ({stopped_by}); the index lock is released");
    }
    Ok(ExitStatus::Success)
}

struct Watch<'a> {
    settings: &'a WatchSettings,
    index: BriefIndex,
    writer: IndexWriter<TantivyDocument>,
    options: ApplyOptions,
    pending: Pending,
    events: Option<NotifyEvents>,
    /// Polling instead of (or since the failure of) file events.
    poll: Option<Duration>,
    next_poll: Option<Instant>,
    /// Roots (by position) found gone; their briefs stay until they return.
    missing: Vec<bool>,
    /// Roots whose own path had an event: watch them again.
    rewatch: Vec<bool>,
    /// Roots that are files, not folders.
    file_roots: Vec<bool>,
    /// The index folder, canonical: its own files' events are ignored.
    index_canonical: Option<PathBuf>,
    next_root_check: Option<Instant>,
    alerter: Option<Alerter>,
    out: &'a mut dyn Write,
    reporter: &'a mut dyn Reporter,
}

impl Watch<'_> {
    /// Starts following the roots; returns what follows them, in words.
    fn follow(&mut self, sender: Sender<Message>) -> Result<String> {
        if let Some(every) = self.poll {
            self.next_poll = Some(Instant::now() + every);
            return Ok(format!("polling every {} s", every.as_secs_f64()));
        }
        let mut events = match NotifyEvents::new(sender, self.settings.follow_links) {
            Ok(events) => events,
            Err(failure) => return Ok(self.fall_back(&describe(&failure))),
        };
        for (i, root) in self.options.roots.iter().enumerate() {
            match events.watch(&root.canonical) {
                Ok(()) => {}
                Err(WatchFailure::LimitReached(why)) => return Ok(self.fall_back(&why)),
                Err(WatchFailure::NotFound) => self.missing[i] = true,
                Err(WatchFailure::Other(why)) => {
                    return Err(Error::io(
                        &root.given,
                        std::io::Error::other(format!("cannot watch it: {why}")),
                    ));
                }
            }
        }
        let name = events.name();
        self.pending = Pending::new(events.reports_closes(), self.settings.timing);
        self.events = Some(events);
        Ok(name.to_string())
    }

    /// Polls instead of following events, saying why.
    fn fall_back(&mut self, why: &str) -> String {
        let every = self.poll.unwrap_or(DEFAULT_POLL);
        eprintln!(
            "briefs: watch: {why} (on Linux: sysctl fs.inotify.max_user_watches); comparing the folders with the index every {} s instead (--poll SECONDS sets how often)",
            every.as_secs_f64()
        );
        self.events = None;
        self.poll = Some(every);
        self.next_poll = Some(Instant::now() + every);
        self.pending.stop_waiting_for_closes();
        format!("polling every {} s", every.as_secs_f64())
    }

    /// Waits and commits until a stop message; returns the signal's name.
    fn run(&mut self, receiver: &Receiver<Message>) -> Result<&'static str> {
        loop {
            let deadline = [
                self.pending.deadline(),
                self.next_poll,
                self.next_root_check,
            ]
            .into_iter()
            .flatten()
            .min();
            let first = match deadline {
                None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(at) => receiver.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            let mut messages = Vec::new();
            match first {
                Ok(message) => messages.push(message),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok("the event source ended"),
            }
            messages.extend(receiver.try_iter());
            for message in messages {
                match message {
                    Message::Stop(signal) => return Ok(signal),
                    Message::File(event) => self.note(event)?,
                }
            }
            let now = Instant::now();
            if self.next_poll.is_some_and(|at| now >= at) {
                self.next_poll = self.poll.map(|every| now + every);
                self.rescan()?;
            }
            if self.next_root_check.is_some_and(|at| now >= at) || self.rewatch.contains(&true) {
                self.check_roots()?;
            }
            let batch = self.pending.take(Instant::now(), &stat);
            if !batch.is_empty() {
                self.commit(batch)?;
            }
        }
    }

    fn note(&mut self, event: Event) -> Result<()> {
        match &event {
            Event::Rescan => return self.rescan(),
            Event::LimitReached => {
                self.fall_back(
                    "the system's limit of watches is reached; new folders cannot be followed",
                );
                return Ok(());
            }
            Event::Failed(why) => {
                eprintln!("briefs: watch: {why}");
                return Ok(());
            }
            Event::Written(path)
            | Event::Closed(path)
            | Event::Moved(path)
            | Event::Attrib(path) => {
                if let Some(i) = self.options.roots.iter().position(|r| &r.canonical == path) {
                    self.rewatch[i] = true;
                }
                if !self.relevant(path) {
                    return Ok(());
                }
            }
        }
        self.pending.note(&event, Instant::now(), &stat);
        Ok(())
    }

    /// True for a path under a root (a file root: the file itself), not in
    /// the index folder and not below a hidden entry.
    fn relevant(&self, path: &Path) -> bool {
        if self
            .index_canonical
            .as_ref()
            .is_some_and(|dir| path.starts_with(dir))
        {
            return false;
        }
        self.options
            .roots
            .iter()
            .zip(&self.file_roots)
            .any(|(root, is_file)| {
                let Ok(rest) = path.strip_prefix(&root.canonical) else {
                    return false;
                };
                if *is_file {
                    return rest.as_os_str().is_empty();
                }
                !rest
                    .components()
                    .any(|c| c.as_os_str().to_str().is_some_and(|n| n.starts_with('.')))
            })
    }

    /// Compares the present roots with the index; what differs waits until
    /// it settles.
    fn rescan(&mut self) -> Result<()> {
        self.check_roots()?;
        let present: Vec<PathBuf> = self
            .options
            .roots
            .iter()
            .zip(&self.missing)
            .filter(|(_, missing)| !**missing)
            .map(|(root, _)| root.canonical.clone())
            .collect();
        self.look_at(&present)
    }

    /// Files new, changed or gone under `paths` wait in `pending`.
    fn look_at(&mut self, paths: &[PathBuf]) -> Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let found = differences(&self.index, paths, &self.options, self.reporter)?;
        let now = Instant::now();
        for (path, size, mtime) in found.changed {
            self.pending.found(&path, now, Some((size, mtime)));
        }
        for path in found.gone {
            self.pending.found(&path, now, None);
        }
        Ok(())
    }

    /// Notices roots that went away or came back (or were replaced).
    fn check_roots(&mut self) -> Result<()> {
        let mut back = Vec::new();
        for i in 0..self.options.roots.len() {
            let root = self.options.roots[i].clone();
            let there = root.canonical.exists();
            let rewatch = std::mem::take(&mut self.rewatch[i]);
            if !there && !self.missing[i] {
                self.missing[i] = true;
                self.pending.forget_under(&root.canonical);
                if let Some(events) = &mut self.events {
                    events.unwatch(&root.canonical);
                }
                eprintln!(
                    "briefs: watch: {} is gone; its briefs stay in the index until it comes back",
                    root.given.display()
                );
            } else if there && (self.missing[i] || rewatch) {
                if let Some(events) = &mut self.events {
                    events.unwatch(&root.canonical);
                    if let Err(WatchFailure::LimitReached(why)) = events.watch(&root.canonical) {
                        self.fall_back(&why);
                    }
                }
                if self.missing[i] && !self.settings.quiet {
                    eprintln!("briefs: watch: {} is back", root.given.display());
                }
                self.missing[i] = false;
                back.push(root.canonical.clone());
            }
        }
        self.next_root_check = self
            .missing
            .contains(&true)
            .then(|| Instant::now() + ROOT_CHECK);
        self.look_at(&back)
    }

    /// Commits a batch: folders are walked for what differs (which then
    /// settles), the rest is applied in one commit.
    fn commit(&mut self, batch: Vec<PathBuf>) -> Result<()> {
        self.check_roots()?;
        let mut apply = Vec::new();
        let mut folders = Vec::new();
        for path in batch {
            let under_missing = self
                .options
                .roots
                .iter()
                .zip(&self.missing)
                .any(|(root, missing)| *missing && path.starts_with(&root.canonical));
            if under_missing {
                continue;
            }
            let is_folder = if self.settings.follow_links {
                path.is_dir()
            } else {
                std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
            };
            if is_folder {
                folders.push(path);
            } else {
                apply.push(path);
            }
        }
        self.look_at(&folders)?;
        if apply.is_empty() {
            return Ok(());
        }
        let report = apply_changes(
            &self.index,
            &mut self.writer,
            &apply,
            &self.options,
            self.reporter,
        )?;
        self.committed(report)
    }

    /// After an application: its line, and its alerts.
    fn committed(&mut self, report: ApplyReport) -> Result<()> {
        let Some(payload) = report.commit.clone() else {
            return Ok(());
        };
        if self.settings.abort_after_commit {
            // The crash tests' moment: committed, nothing alerted.
            std::process::abort();
        }
        let started = Instant::now();
        let alerts = match &mut self.alerter {
            Some(alerter) => Some(alerter.alert_through(
                &self.index,
                payload.generation,
                payload.committed_at,
                self.out,
            )?),
            None => None,
        };
        if !self.settings.quiet {
            eprintln!(
                "{}",
                commit_line(&report, payload.generation, alerts, started.elapsed())
            );
        }
        Ok(())
    }

    /// Alerts what earlier commits left unalerted (a watch killed between a
    /// commit and its alerts, or one run without `--alert`).
    fn alert_backlog(&mut self) -> Result<()> {
        let generation = self.index.next_generation()? - 1;
        let committed_at = self.index.payload()?.map_or(0, |p| p.committed_at);
        if let Some(alerter) = &mut self.alerter {
            let raised = alerter.alert_through(&self.index, generation, committed_at, self.out)?;
            if raised > 0 && !self.settings.quiet {
                eprintln!("briefs: watch: {raised} alerts for bullets indexed before this start");
            }
        }
        Ok(())
    }
}

/// A file's size and modification time; `None` when it is not there.
fn stat(path: &Path) -> Stat {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    Some((meta.len(), mtime))
}

/// Hands the memory the catch-up freed back to the system: its walk and
/// records of a big folder are freed, but glibc's allocator keeps the pages,
/// and an idle watch would hold the catch-up's peak for its whole life.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only returns free memory of glibc's heaps to
        // the system; it touches no live allocation and takes no pointer.
        unsafe {
            malloc_trim(0);
        }
    }
}
