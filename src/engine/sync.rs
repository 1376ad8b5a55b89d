//! Bringing an engine's collection up to date with the index, through the
//! [`Engine`] trait alone.
//!
//! 1. The record of the last sync (`record`) is opened and locked; the
//!    collection is made sure of. When the collection does not hold as
//!    many documents as the record says (it was dropped, emptied or written
//!    to by someone else), the record is set aside and everything is sent.
//! 2. Files whose size or time differ from the record, or that it lacks,
//!    are sent; files it has that the index no longer does are deleted.
//!    Nothing to do means nothing is sent.
//! 3. The generation goes up by one and is recorded before anything is
//!    sent. Documents go in batches, each marked with the generation and
//!    upserted (so a batch sent twice is the same batch); once a file's
//!    last document is in, its documents of older generations (bullets it
//!    no longer has, what a killed sync sent of an older version) are
//!    deleted and the file is recorded. A batch's files are marked pending
//!    before it is sent. A sync killed at any point leaves a record of what
//!    the engine confirmed and of what was pending; the next one sends the
//!    rest (a pending file gone from the index is deleted): nothing lost,
//!    nothing doubled.
//! 4. Last, the collection's count is checked against the index's.

use std::time::Instant;

use crate::engine::document::brief_docs;
use crate::engine::record::{SyncRecord, open_record, record_path, save_record};
use crate::engine::{Engine, EngineDoc, Refused};
use crate::error::Result;
use crate::index::{FileStamp, IndexSnapshot};

/// How files are deleted from the engine: this many file keys a request.
const DELETE_CHUNK: usize = 200;

/// How a sync sends documents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SyncOptions {
    /// Documents per import request.
    pub(crate) batch_docs: usize,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SyncReport {
    /// Nothing needed sending.
    pub(crate) up_to_date: bool,
    /// The collection was created by this sync.
    pub(crate) created: bool,
    /// The record did not match the collection, and everything was sent.
    pub(crate) resent_all: bool,
    /// Briefs sent (of the files sent).
    pub(crate) briefs: u64,
    /// Files sent (new or changed).
    pub(crate) files_sent: u64,
    /// Files whose documents were deleted (gone from the index).
    pub(crate) files_removed: u64,
    /// Files the engine already held.
    pub(crate) files_unchanged: u64,
    /// Documents upserted.
    pub(crate) upserted: u64,
    /// Documents deleted.
    pub(crate) deleted: u64,
    /// Documents the engine refused (each reported through the progress).
    pub(crate) refused: u64,
    /// Import requests sent.
    pub(crate) batches: u64,
    /// Requests that moved to another node.
    pub(crate) failovers: u64,
    /// Documents the collection holds at the end.
    pub(crate) engine_documents: u64,
    /// Article and bullet documents of the index.
    pub(crate) index_documents: u64,
    /// Seconds taken.
    pub(crate) seconds: f64,
}

/// What a sync tells its caller while it runs.
pub(crate) trait SyncProgress {
    /// `files_done` of `files_total` files sent, `documents` documents so far.
    fn progress(&mut self, _files_done: u64, _files_total: u64, _documents: u64) {}
    /// The engine refused a document.
    fn refused(&mut self, _refused: &Refused) {}
    /// Something worth a line on stderr (a record set aside).
    fn note(&mut self, _message: &str) {}
}

/// Brings the engine's collection up to date with `snapshot`.
pub(crate) fn sync(
    snapshot: &IndexSnapshot,
    engine: &mut dyn Engine,
    options: SyncOptions,
    progress: &mut dyn SyncProgress,
) -> Result<SyncReport> {
    let started = Instant::now();
    let (name, nodes) = (engine.name(), engine.nodes().to_vec());
    let collection = engine.collection().to_string();
    let path = record_path(snapshot.dir(), name, &collection, &nodes);
    let empty = SyncRecord::empty(name, &collection, &nodes);
    let (mut record, _lock) = open_record(snapshot.dir(), &path, empty.clone())?;
    let prepared = engine.prepare()?;
    let mut report = SyncReport {
        created: prepared.created,
        ..SyncReport::default()
    };
    // A sync stopped midway leaves part of its pending files' documents,
    // which the record does not count: those files are sent again below.
    let interrupted = !record.pending.is_empty() && prepared.documents >= record.documents();
    if !interrupted && prepared.documents != record.documents() {
        if !record.files.is_empty() || prepared.documents > 0 {
            progress.note(&format!(
                "{} holds {} documents where the last sync left {}: sending everything again",
                engine.describe(),
                prepared.documents,
                record.documents()
            ));
            report.resent_all = true;
        }
        let generation = record.generation;
        record = empty;
        record.generation = generation;
    }

    let files = snapshot.files()?;
    let index_keys: std::collections::HashSet<&str> =
        files.iter().map(|(k, _)| k.as_str()).collect();
    let removed: Vec<String> = record
        .files
        .keys()
        .chain(record.pending.iter())
        .filter(|k| !index_keys.contains(k.as_str()))
        .cloned()
        .collect::<std::collections::BTreeSet<String>>()
        .into_iter()
        .collect();
    let changed: Vec<&(String, FileStamp)> = files
        .iter()
        .filter(|(key, stamp)| record.stamp(key) != Some(*stamp))
        .collect();
    report.files_unchanged = (files.len() - changed.len()) as u64;
    report.index_documents = snapshot.document_count()?;

    if changed.is_empty() && removed.is_empty() && !report.resent_all {
        report.up_to_date = true;
        report.engine_documents = prepared.documents;
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }

    record.generation += 1;
    let generation = record.generation;
    save_record(&path, &record)?;

    for chunk in removed.chunks(DELETE_CHUNK) {
        report.deleted += engine.delete(chunk, None)?;
        for key in chunk {
            record.files.remove(key);
            record.pending.remove(key);
        }
        save_record(&path, &record)?;
        report.files_removed += chunk.len() as u64;
    }

    let mut batch = Batch::default();
    let total = changed.len() as u64;
    for (done, (key, stamp)) in changed.iter().enumerate() {
        let briefs = snapshot.briefs_in(key)?;
        report.briefs += briefs.len() as u64;
        let docs: Vec<EngineDoc> = briefs
            .iter()
            .flat_map(|brief| brief_docs(brief, key))
            .collect();
        let count = docs.len() as u64;
        for doc in docs {
            batch.docs.push(doc);
            if batch.docs.len() >= options.batch_docs {
                batch.send(
                    engine,
                    generation,
                    &mut record,
                    &path,
                    &mut report,
                    progress,
                )?;
                batch.finish_files(engine, generation, &mut record, &path, &mut report)?;
            }
        }
        batch.files.push(((*key).clone(), *stamp, count));
        if batch.docs.is_empty() {
            batch.finish_files(engine, generation, &mut record, &path, &mut report)?;
        }
        progress.progress(
            done as u64 + 1,
            total,
            report.upserted + batch.docs.len() as u64,
        );
    }
    batch.send(
        engine,
        generation,
        &mut record,
        &path,
        &mut report,
        progress,
    )?;
    batch.finish_files(engine, generation, &mut record, &path, &mut report)?;
    if report.resent_all {
        // What the collection held that the record did not know of: files
        // the index no longer has, another index's documents.
        report.deleted += engine.delete(&[], Some(generation))?;
    }

    report.failovers = engine.failovers();
    report.engine_documents = settled_count(engine, report.index_documents)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The collection's count, read again for a moment while it differs from
/// `expected`: a node that forwarded the writes to the leader may count
/// them a little later.
fn settled_count(engine: &mut dyn Engine, expected: u64) -> Result<u64> {
    let mut count = engine.count()?;
    for _ in 0..10 {
        if count == expected {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        count = engine.count()?;
    }
    Ok(count)
}

/// Documents waiting to be sent, and the files whose last document is
/// among them (or already sent).
#[derive(Default)]
struct Batch {
    docs: Vec<EngineDoc>,
    /// Files complete once `docs` is sent: key, stamp, document count.
    files: Vec<(String, FileStamp, u64)>,
    /// Ids the engine refused, by file key, since the last finish.
    refused_files: std::collections::HashSet<String>,
}

impl Batch {
    fn send(
        &mut self,
        engine: &mut dyn Engine,
        generation: u64,
        record: &mut SyncRecord,
        path: &std::path::Path,
        report: &mut SyncReport,
        progress: &mut dyn SyncProgress,
    ) -> Result<()> {
        if self.docs.is_empty() {
            return Ok(());
        }
        let before = record.pending.len();
        record
            .pending
            .extend(self.docs.iter().map(|d| d.file.clone()));
        if record.pending.len() != before {
            save_record(path, record)?;
        }
        let refused = engine.upsert(&self.docs, generation)?;
        report.batches += 1;
        report.upserted += (self.docs.len() - refused.len()) as u64;
        report.refused += refused.len() as u64;
        for r in &refused {
            progress.refused(r);
            if let Some(doc) = self.docs.iter().find(|d| d.id == r.id) {
                self.refused_files.insert(doc.file.clone());
            }
        }
        self.docs.clear();
        Ok(())
    }

    /// Deletes the older generations of the files complete so far and
    /// records them (a file with a refused document stays unrecorded, so
    /// the next sync tries it again).
    fn finish_files(
        &mut self,
        engine: &mut dyn Engine,
        generation: u64,
        record: &mut SyncRecord,
        path: &std::path::Path,
        report: &mut SyncReport,
    ) -> Result<()> {
        if self.files.is_empty() || !self.docs.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = self.files.iter().map(|(k, _, _)| k.clone()).collect();
        for chunk in keys.chunks(DELETE_CHUNK) {
            report.deleted += engine.delete(chunk, Some(generation))?;
        }
        for (key, stamp, count) in self.files.drain(..) {
            if !self.refused_files.contains(&key) {
                record.set(&key, stamp, count);
                record.pending.remove(&key);
                report.files_sent += 1;
            }
        }
        self.refused_files.clear();
        save_record(path, record)
    }
}
