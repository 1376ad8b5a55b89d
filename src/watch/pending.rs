//! The paths waiting to be committed, and when they are ready: the watch's
//! debouncing. Pure logic over the events, the clock and a `stat` the caller
//! passes, so it is tested without a file system.
//!
//! A path is ready when it is complete: closed by its writer (where the OS
//! says so), renamed or removed, or, where closes are not reported (or for
//! files found by a walk rather than an event), when its size and time have
//! not changed over [`Timing::settle`]. A file whose writer never closes it
//! (a hard link, a truncate) is taken after [`Timing::open_timeout`] without
//! an event. The ready paths go out as one batch once no event has come for
//! [`Timing::quiet`] (a burst is one commit), or once the first of them has
//! waited [`Timing::max_wait`] (a steady stream still commits).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::watch::events::Event;

/// A file's size and modification time (ns); `None` when it is not there.
pub(crate) type Stat = Option<(u64, u64)>;

/// The waits of the debouncing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timing {
    /// No event for this long ends a burst.
    pub(crate) quiet: Duration,
    /// A batch waits at most this long for its burst to end.
    pub(crate) max_wait: Duration,
    /// Size and time unchanged for this long make a file complete.
    pub(crate) settle: Duration,
    /// An open file with no event for this long is taken all the same.
    pub(crate) open_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A writer has it open; wait for its close.
    Open,
    /// Wait until its size and time hold still.
    Settling,
    /// Complete: goes in the next batch.
    Ready,
}

#[derive(Debug, Clone)]
struct Track {
    state: State,
    /// The last event, or the last time its stat changed.
    last: Instant,
    /// Its stat then.
    seen: Stat,
    /// When it became ready.
    ready_at: Instant,
}

/// The paths waiting, by path.
#[derive(Debug)]
pub(crate) struct Pending {
    closes: bool,
    timing: Timing,
    paths: HashMap<PathBuf, Track>,
    last_event: Option<Instant>,
}

impl Pending {
    /// Nothing waiting. `closes`: the OS reports when writers close files.
    pub(crate) fn new(closes: bool, timing: Timing) -> Pending {
        Pending {
            closes,
            timing,
            paths: HashMap::new(),
            last_event: None,
        }
    }

    /// True when nothing is waiting.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Notes `event` at `now`; `stat` tells a file's size and time.
    pub(crate) fn note(&mut self, event: &Event, now: Instant, stat: &dyn Fn(&Path) -> Stat) {
        self.last_event = Some(now);
        match event {
            Event::Written(path) => {
                let state = if self.closes {
                    State::Open
                } else {
                    State::Settling
                };
                self.set(path, state, now, stat(path));
            }
            Event::Closed(path) | Event::Moved(path) => self.set(path, State::Ready, now, None),
            Event::Attrib(path) => {
                if self.paths.get(path).is_none_or(|t| t.state != State::Open) {
                    self.set(path, State::Ready, now, None);
                }
            }
            Event::Rescan | Event::LimitReached | Event::Failed(_) => {}
        }
    }

    /// Notes a file found changed by a walk (not by an event): it is taken
    /// once it has settled, unless events already track it.
    pub(crate) fn found(&mut self, path: &Path, now: Instant, stat: Stat) {
        if self.paths.contains_key(path) {
            return;
        }
        let state = if stat.is_none() {
            State::Ready
        } else {
            State::Settling
        };
        self.set(path, state, now, stat);
    }

    fn set(&mut self, path: &Path, state: State, now: Instant, seen: Stat) {
        let track = Track {
            state,
            last: now,
            seen,
            ready_at: now,
        };
        self.paths.insert(path.to_path_buf(), track);
    }

    /// When [`Pending::take`] may next have something to do.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut earliest = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        let mut first_ready: Option<Instant> = None;
        for track in self.paths.values() {
            match track.state {
                State::Open => earliest(track.last + self.timing.open_timeout),
                State::Settling => earliest(track.last + self.timing.settle),
                State::Ready => {
                    first_ready =
                        Some(first_ready.map_or(track.ready_at, |f| f.min(track.ready_at)))
                }
            }
        }
        if let Some(first) = first_ready {
            let quiet = self.last_event.map_or(first, |e| e + self.timing.quiet);
            earliest(quiet.min(first + self.timing.max_wait));
        }
        next
    }

    /// Re-checks what is settling or open at `now`, and returns the batch of
    /// ready paths (sorted) when it is due; empty otherwise.
    pub(crate) fn take(&mut self, now: Instant, stat: &dyn Fn(&Path) -> Stat) -> Vec<PathBuf> {
        for (path, track) in &mut self.paths {
            let wait = match track.state {
                State::Open => self.timing.open_timeout,
                State::Settling => self.timing.settle,
                State::Ready => continue,
            };
            if now < track.last + wait {
                continue;
            }
            let current = stat(path);
            if current == track.seen {
                track.state = State::Ready;
                track.ready_at = now;
            } else {
                // Still changing: give it another wait, as settling.
                track.state = State::Settling;
                track.seen = current;
                track.last = now;
            }
        }
        let first_ready = self
            .paths
            .values()
            .filter(|t| t.state == State::Ready)
            .map(|t| t.ready_at)
            .min();
        let Some(first) = first_ready else {
            return Vec::new();
        };
        let quiet = self.last_event.is_none_or(|e| now >= e + self.timing.quiet);
        if !quiet && now < first + self.timing.max_wait {
            return Vec::new();
        }
        let mut batch: Vec<PathBuf> = self
            .paths
            .iter()
            .filter(|(_, t)| t.state == State::Ready)
            .map(|(p, _)| p.clone())
            .collect();
        for path in &batch {
            self.paths.remove(path);
        }
        batch.sort();
        batch
    }

    /// From now on closes are not reported (the watch fell back to
    /// polling): files waiting for a close settle instead.
    pub(crate) fn stop_waiting_for_closes(&mut self) {
        self.closes = false;
        for track in self.paths.values_mut() {
            if track.state == State::Open {
                track.state = State::Settling;
            }
        }
    }

    /// Forgets every path under `folder` (a root that went away).
    pub(crate) fn forget_under(&mut self, folder: &Path) {
        self.paths.retain(|path, _| !path.starts_with(folder));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMING: Timing = Timing {
        quiet: Duration::from_millis(200),
        max_wait: Duration::from_secs(2),
        settle: Duration::from_secs(1),
        open_timeout: Duration::from_secs(60),
    };

    fn ms(start: Instant, n: u64) -> Instant {
        start + Duration::from_millis(n)
    }

    fn fixed(size: u64) -> impl Fn(&Path) -> Stat {
        move |_| Some((size, 0))
    }

    #[test]
    fn a_file_being_written_waits_for_its_close() {
        let t0 = Instant::now();
        let mut p = Pending::new(true, TIMING);
        let a = PathBuf::from("/w/a.txt");
        p.note(&Event::Written(a.clone()), t0, &fixed(10));
        // Seconds of pause between writes: still open, nothing taken.
        assert!(p.take(ms(t0, 5_000), &fixed(10)).is_empty());
        p.note(&Event::Written(a.clone()), ms(t0, 5_000), &fixed(20));
        p.note(&Event::Closed(a.clone()), ms(t0, 5_100), &fixed(20));
        // Not before the burst is quiet.
        assert!(p.take(ms(t0, 5_200), &fixed(20)).is_empty());
        assert_eq!(p.take(ms(t0, 5_300), &fixed(20)), [a]);
        assert!(p.is_empty());
    }

    #[test]
    fn a_burst_is_one_batch() {
        let t0 = Instant::now();
        let mut p = Pending::new(true, TIMING);
        for i in 0..2_000u64 {
            let path = PathBuf::from(format!("/w/{i}.txt"));
            p.note(&Event::Closed(path), ms(t0, i / 10), &fixed(1));
        }
        assert!(p.take(ms(t0, 250), &fixed(1)).is_empty());
        assert_eq!(p.deadline(), Some(ms(t0, 199 + 200)));
        assert_eq!(p.take(ms(t0, 400), &fixed(1)).len(), 2_000);
    }

    #[test]
    fn a_steady_stream_still_commits_after_the_longest_wait() {
        let t0 = Instant::now();
        let mut p = Pending::new(true, TIMING);
        let mut taken = 0;
        for i in 0..40u64 {
            let now = ms(t0, i * 100);
            p.note(&Event::Closed(format!("/w/{i}").into()), now, &fixed(1));
            taken += p.take(now, &fixed(1)).len();
        }
        assert!(taken >= 20, "{taken}");
    }

    #[test]
    fn without_closes_a_file_is_taken_when_it_has_settled() {
        let t0 = Instant::now();
        let mut p = Pending::new(false, TIMING);
        let a = PathBuf::from("/w/a.txt");
        p.note(&Event::Written(a.clone()), t0, &fixed(10));
        // It grew meanwhile: another settle time.
        assert!(p.take(ms(t0, 1_000), &fixed(30)).is_empty());
        assert!(p.take(ms(t0, 1_500), &fixed(30)).is_empty());
        assert_eq!(p.take(ms(t0, 2_000), &fixed(30)), [a]);
    }

    #[test]
    fn renames_and_removals_are_ready_at_once_and_attrib_waits_for_a_writer() {
        let t0 = Instant::now();
        let mut p = Pending::new(true, TIMING);
        p.note(&Event::Written("/w/open.txt".into()), t0, &fixed(1));
        p.note(&Event::Attrib("/w/open.txt".into()), t0, &fixed(1));
        p.note(&Event::Moved("/w/gone.txt".into()), t0, &fixed(1));
        assert_eq!(
            p.take(ms(t0, 300), &fixed(1)),
            [PathBuf::from("/w/gone.txt")]
        );
        assert!(!p.is_empty());
    }

    #[test]
    fn a_file_found_by_a_walk_settles_and_events_take_over() {
        let t0 = Instant::now();
        let mut p = Pending::new(true, TIMING);
        p.note(&Event::Written("/w/a.txt".into()), t0, &fixed(1));
        p.found(Path::new("/w/a.txt"), t0, Some((1, 0)));
        p.found(Path::new("/w/b.txt"), t0, Some((1, 0)));
        assert_eq!(
            p.take(ms(t0, 1_000), &fixed(1)),
            [PathBuf::from("/w/b.txt")]
        );
    }
}
