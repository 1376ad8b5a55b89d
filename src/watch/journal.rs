//! What has been alerted, kept beside the index (`watch-alerts.log` in the
//! index folder), so a restart neither loses nor repeats alerts.
//!
//! The guarantee is **at-least-once**: every bullet new in a commit that
//! matches a standing query is alerted, even across a crash at any moment,
//! and a crash can repeat at most the one alert being delivered when it
//! came (it was written out, but not yet recorded here). A lost alert is a
//! missed story; a repeat carries the same `alert_id`, so a consumer can
//! drop it. Exactly-once is not possible with a separate sink: no write can
//! both deliver an alert and record it.
//!
//! The file: a first line `briefs-alerts 1 <lineage> <generation>` (every
//! alert of commits up to that generation of the index of that lineage was
//! delivered), then one `sent <alert id>` line per alert delivered since.
//! Each `sent` line is appended as soon as its alert is out; after a commit's
//! alerts are all out, the file is replaced (written aside, synced, renamed)
//! by a first line with the new generation.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The journal's name in the index folder.
pub(crate) const JOURNAL_NAME: &str = "watch-alerts.log";

const HEADER: &str = "briefs-alerts 1";

/// The alert journal of one index.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    lineage: u64,
    through: u64,
    sent: HashSet<String>,
    /// Open for appending `sent` lines.
    file: Option<File>,
    /// There was no journal for this index: nothing before now is alerted.
    fresh: bool,
}

impl Journal {
    /// The journal in `index_dir` for the index of `lineage`. With none (or
    /// one of another index: the folder was rebuilt), [`Journal::is_fresh`]
    /// is true and the caller sets where alerting starts.
    pub(crate) fn open(index_dir: &Path, lineage: u64) -> Result<Journal> {
        let path = index_dir.join(JOURNAL_NAME);
        let mut journal = Journal {
            path,
            lineage,
            through: 0,
            sent: HashSet::new(),
            file: None,
            fresh: true,
        };
        let text = match std::fs::read_to_string(&journal.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(journal),
            Err(e) => return Err(Error::io(&journal.path, e)),
        };
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("");
        let mut words = header.strip_prefix(HEADER).unwrap_or("").split_whitespace();
        let found = (
            words.next().and_then(|w| u64::from_str_radix(w, 16).ok()),
            words.next().and_then(|w| w.parse::<u64>().ok()),
        );
        if let (Some(found_lineage), Some(through)) = found
            && found_lineage == lineage
        {
            journal.fresh = false;
            journal.through = through;
            for line in lines {
                if let Some(id) = line.strip_prefix("sent ") {
                    journal.sent.insert(id.to_string());
                }
            }
        }
        Ok(journal)
    }

    /// True when no alert of this index was ever recorded.
    pub(crate) fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// Every alert of commits up to this generation was delivered.
    pub(crate) fn through(&self) -> u64 {
        self.through
    }

    /// True when alert `id` was delivered (since [`Journal::through`]).
    pub(crate) fn was_sent(&self, id: &str) -> bool {
        self.sent.contains(id)
    }

    /// Records that alert `id` was delivered. The line is written at once
    /// (no buffering), so it survives the process being killed.
    pub(crate) fn sent(&mut self, id: &str) -> Result<()> {
        if self.file.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| Error::io(&self.path, e))?;
            self.file = Some(file);
        }
        if let Some(file) = &mut self.file {
            file.write_all(format!("sent {id}\n").as_bytes())
                .map_err(|e| Error::io(&self.path, e))?;
        }
        self.sent.insert(id.to_string());
        Ok(())
    }

    /// Records that every alert up to `generation` was delivered.
    pub(crate) fn done(&mut self, generation: u64) -> Result<()> {
        self.file = None;
        // A `.tmp` name: one left by a crash is removed as stale.
        let aside = self.path.with_file_name(".tmpwatch-alerts.log");
        let text = format!("{HEADER} {:x} {generation}\n", self.lineage);
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&aside)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&aside, &self.path)
        };
        write().map_err(|e| Error::io(&self.path, e))?;
        self.through = generation;
        self.sent.clear();
        self.fresh = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_alerts_survive_a_reopen_until_done() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path(), 7).unwrap();
        assert!(journal.is_fresh());
        journal.done(3).unwrap();
        journal.sent("a").unwrap();
        // Killed here: the next start knows `a` went out.
        let mut again = Journal::open(dir.path(), 7).unwrap();
        assert!(!again.is_fresh());
        assert_eq!(again.through(), 3);
        assert!(again.was_sent("a") && !again.was_sent("b"));
        again.done(4).unwrap();
        let last = Journal::open(dir.path(), 7).unwrap();
        assert_eq!(last.through(), 4);
        assert!(!last.was_sent("a"));
    }

    #[test]
    fn a_journal_of_another_index_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        Journal::open(dir.path(), 7).unwrap().done(9).unwrap();
        let other = Journal::open(dir.path(), 8).unwrap();
        assert!(other.is_fresh());
        assert_eq!(other.through(), 0);
    }
}
