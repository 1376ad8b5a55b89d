//! The readers of an index update: threads that read, parse and analyse
//! files beside Tantivy's writer threads and hand their documents over in
//! bounded batches, in file order for problems, so memory stays bounded
//! whatever the size of the files and reports come out the same on every
//! run.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use tantivy::TantivyDocument;

use crate::brief::{Brief, Problem};
use crate::index::documents::brief_documents;
use crate::index::ids::{FileIds, IdRegistry};
use crate::index::schema::Fields;
use crate::read::{FileEntry, MAX_PROBLEMS_PER_FILE, read_file_with};
use crate::text::Analysis;

/// Threads that read, parse and analyse files beside Tantivy's writer
/// threads, at most.
pub(super) const MAX_READERS: usize = 4;

/// Briefs per batch handed from a reader to the writer, at most.
const BATCH_BRIEFS: usize = 256;

/// Documents per batch, at most (give or take one brief's).
const BATCH_DOCUMENTS: usize = 8_192;

/// Bullets of one brief indexed, at most.
pub const MAX_BULLETS_PER_BRIEF: usize = 10_000;

/// Batches read ahead of the writer, per reader: with the batch size, this
/// bounds the memory the readers hold, whatever the size of the files.
/// Tantivy's own queue holds 10,000 more documents (about four batches), so
/// one waiting batch per reader keeps the writer fed; four held tens of
/// MiB more for no speed.
const BATCHES_AHEAD: usize = 1;

/// Documents of some briefs of one file. A file's last batch carries its
/// problems (and so says the file is done).
pub(super) struct Batch {
    /// The file's place in the list of files to read.
    pub(super) file: usize,
    pub(super) documents: Vec<TantivyDocument>,
    pub(super) briefs: usize,
    pub(super) bullets: usize,
    /// Bytes of the file read since its previous batch; a file's batches
    /// add up to its size as walked.
    pub(super) bytes: u64,
    pub(super) problems: Option<Vec<Problem>>,
    /// With the last batch: the file could not be read to its end.
    pub(super) unreadable: bool,
}

/// What the readers hand to the writer's thread.
pub(super) enum Read {
    /// Documents to add, as they come (the writer does not care about
    /// order; a file's batches arrive in order).
    Batch(Batch),
    /// A file is read: its problems, in the order of the files, so reports
    /// come out the same on every run.
    Done(usize, Vec<Problem>),
}

/// Reads, parses and analyses `files` on `readers` threads, handing what
/// they read to `handle` on this thread; `handle` returning false stops the
/// run.
pub(super) fn read_in_parallel(
    fields: &Fields,
    ids: &IdRegistry,
    files: &[(&FileEntry, bool)],
    readers: usize,
    mut handle: impl FnMut(Read) -> bool,
) {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel::<Batch>(readers * BATCHES_AHEAD);
    std::thread::scope(|scope| {
        for _ in 0..readers {
            let sender = sender.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                let mut analysis = Analysis::default();
                while !stop.load(Ordering::Relaxed) {
                    let file = next.fetch_add(1, Ordering::Relaxed);
                    let Some((entry, _)) = files.get(file) else {
                        break;
                    };
                    let mut send = |batch| sender.send(batch).is_ok();
                    let lost = BTreeSet::new();
                    let job = ReadJob {
                        file,
                        entry,
                        lost: &lost,
                    };
                    if !read_one(fields, ids, &mut analysis, &job, &mut send) {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // Owned here, so returning early drops it and ends the readers.
        let receiver = receiver;
        // Problems of files finished out of turn wait here (small: no
        // documents), so they are handed on in the order of the files.
        let mut finished: BTreeMap<usize, Vec<Problem>> = BTreeMap::new();
        let mut expected = 0;
        for batch in receiver.iter() {
            let file = batch.file;
            let problems = batch.problems.clone();
            if !handle(Read::Batch(batch)) {
                stop.store(true, Ordering::Relaxed);
                return;
            }
            if let Some(problems) = problems {
                finished.insert(file, problems);
            }
            while let Some(problems) = finished.remove(&expected) {
                handle(Read::Done(expected, problems));
                expected += 1;
            }
        }
    });
}

/// One file for a reader: its place in the list, and the ids it is known
/// to have lost to earlier files (see `ids`).
pub(super) struct ReadJob<'a> {
    pub(super) file: usize,
    pub(super) entry: &'a FileEntry,
    pub(super) lost: &'a BTreeSet<String>,
}

/// Reads one file and hands its documents to `send` in batches; false when
/// `send` says the writer has gone.
pub(super) fn read_one(
    fields: &Fields,
    ids: &IdRegistry,
    analysis: &mut Analysis,
    job: &ReadJob,
    send: &mut dyn FnMut(Batch) -> bool,
) -> bool {
    let (file, entry) = (job.file, job.entry);
    let mut seen_ids = FileIds::default();
    let empty = || Batch {
        file,
        documents: Vec::new(),
        briefs: 0,
        bullets: 0,
        bytes: 0,
        problems: None,
        unreadable: false,
    };
    let mut batch = empty();
    let mut open = true;
    let mut cut = Vec::new();
    // Bytes handed on in batches so far, never past the size as walked (a
    // file that grew since is counted at that size).
    let mut counted = 0;
    let read = read_file_with(entry, &mut |mut brief, read_to| {
        if !open {
            return;
        }
        let read_to = read_to.min(entry.size);
        batch.bytes += read_to.saturating_sub(counted);
        counted = counted.max(read_to);
        if let Some(problem) = limit_bullets(&mut brief) {
            cut.push(problem);
        }
        if let Some(problem) = ids.check(file, &entry.key, &mut brief, &mut seen_ids, job.lost) {
            cut.push(problem);
        }
        batch.briefs += 1;
        batch.bullets += brief.points.len() + brief.summaries.len();
        batch
            .documents
            .extend(brief_documents(fields, analysis, &brief, &entry.key));
        if batch.briefs == BATCH_BRIEFS || batch.documents.len() >= BATCH_DOCUMENTS {
            open = send(std::mem::replace(&mut batch, empty()));
        }
    });
    let mut problems = read.problems;
    problems.extend(cut.into_iter().take(MAX_PROBLEMS_PER_FILE));
    batch.problems = Some(problems);
    batch.unreadable = read.unreadable;
    batch.bytes += entry.size - counted;
    open && send(batch)
}

/// Keeps at most [`MAX_BULLETS_PER_BRIEF`] bullets of a brief (points
/// first), saying so when it cuts: one brief's documents are built at once,
/// so this bounds what one brief can hold in memory.
pub(super) fn limit_bullets(brief: &mut Brief) -> Option<Problem> {
    let total = brief.points.len() + brief.summaries.len();
    if total <= MAX_BULLETS_PER_BRIEF {
        return None;
    }
    brief.points.truncate(MAX_BULLETS_PER_BRIEF);
    brief
        .summaries
        .truncate(MAX_BULLETS_PER_BRIEF - brief.points.len());
    Some(Problem {
        path: brief.path.clone(),
        line: Some(brief.line),
        reason: format!("brief has {total} bullets; the first {MAX_BULLETS_PER_BRIEF} are indexed"),
    })
}
