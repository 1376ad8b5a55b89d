//! Applying a given set of changed paths to the index, without walking
//! everything: what `briefs watch` commits after each burst of file events.
//! The rules are `update`'s: a new file is read, a changed one has its old
//! documents deleted before its new ones are added, a gone one (or every
//! file of a gone folder) is deleted, an unchanged one (same size and
//! modification time as its record) is not opened, and the file records go
//! into the same single commit as the briefs. Two things more: a JSON Lines
//! file that only grew is read from where its record says reading stopped
//! (only its record is replaced), and every brief and bullet is stamped with
//! the generation it first came in (`first_seen`), so the bullets new in a
//! commit can be found without scanning the index. Prints nothing: problems
//! go to the [`Reporter`].

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use crate::brief::{DocKind, Problem};
use crate::error::{Error, Result};
use crate::index::changes::resolve;
use crate::index::documents::{brief_documents, resumable_file_document};
use crate::index::files::remove_stale_temp_files;
use crate::index::first_seen::Stamps;
use crate::index::handle::{BriefIndex, CommitPayload};
use crate::index::ids::{FileIds, IdRegistry};
use crate::index::manifest::{
    FileRecord, find_record, load_manifest, recorded_problems, recorded_resume,
};
use crate::index::readers::limit_bullets;
use crate::index::schema::Fields;
use crate::index::update::Reporter;
use crate::parse::Format;
use crate::read::{FileEntry, MAX_PROBLEMS_PER_FILE, Resume, read_file_from, resume_check};
use crate::text::Analysis;

/// A watched root: as the user named it (paths and ids are written as
/// `briefs index` writes them) and canonical (as file events name paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// As given on the command line.
    pub given: PathBuf,
    /// Canonical.
    pub canonical: PathBuf,
}

/// How to apply changes.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// The roots; paths outside them are ignored.
    pub roots: Vec<Root>,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Report the recorded problems of unchanged files again (as `briefs
    /// index` does): for a catch-up, not for each burst of events.
    pub report_unchanged: bool,
}

/// What one application of changes did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyReport {
    /// Files read for the first time.
    pub added: usize,
    /// Files read again, whole.
    pub updated: usize,
    /// JSON Lines files read from where they were (only lines were added).
    pub appended: usize,
    /// Files gone whose briefs were removed.
    pub removed: usize,
    /// Files looked at and found unchanged.
    pub unchanged: usize,
    /// Problems reported (files, lines, folders not read as briefs).
    pub skipped: usize,
    /// Briefs read.
    pub briefs: usize,
    /// Bullets read.
    pub bullets: usize,
    /// Bullets new to the index (not in the file before it changed).
    pub new_bullets: usize,
    /// The commit made, if anything changed.
    pub commit: Option<CommitPayload>,
    /// Seconds it took.
    pub seconds: f64,
}

/// More candidate files than this and the file records are read in one
/// pass (as `update` does) instead of looked up one by one.
pub(super) const BULK_RECORDS: usize = 2_000;

/// Files read in parallel at once, at most; and their bytes, at most.
const CHUNK_FILES: usize = 64;
const CHUNK_BYTES: u64 = 64 << 20;

/// What to do with one file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Update,
    Append(Resume),
}

/// Applies what happened at `paths` (files or folders, there or gone) to the
/// index through `writer` (which the caller holds for the index), and
/// commits once if anything changed.
pub fn apply_changes(
    index: &BriefIndex,
    writer: &mut IndexWriter<TantivyDocument>,
    paths: &[PathBuf],
    options: &ApplyOptions,
    reporter: &mut dyn Reporter,
) -> Result<ApplyReport> {
    let started = Instant::now();
    let fields = &index.fields;
    let generation = index.next_generation()?;
    let searcher = index.reader()?.searcher();
    let mut report = ApplyReport::default();
    let exclude: Vec<PathBuf> = index.dir.canonicalize().into_iter().collect();
    let found = resolve(
        index,
        &searcher,
        paths,
        options,
        &exclude,
        &mut report,
        reporter,
    )?;

    let bulk = if found.files.len() > BULK_RECORDS {
        Some(load_manifest(&index.dir, &searcher, fields)?)
    } else {
        None
    };
    let record_of = |key: &str| -> Result<Option<FileRecord>> {
        match &bulk {
            Some(manifest) => Ok(manifest.get(key).copied()),
            None => find_record(&index.dir, &searcher, fields, key),
        }
    };

    let mut work: Vec<(FileEntry, Action, Option<FileRecord>)> = Vec::new();
    for (entry, _) in found.files.into_values() {
        match record_of(&entry.key)? {
            None => work.push((entry, Action::Add, None)),
            Some(record) if record.mtime_ns == entry.mtime_ns && record.size == entry.size => {
                report.unchanged += 1;
                if options.report_unchanged && record.problem_count > 0 {
                    for problem in recorded_problems(&index.dir, &searcher, fields, &record)? {
                        reporter.problem(&problem, true);
                        report.skipped += 1;
                    }
                }
            }
            Some(record) => {
                let action = match appendable(index, &searcher, &entry, &record)? {
                    Some(from) => Action::Append(from),
                    None => Action::Update,
                };
                work.push((entry, action, Some(record)));
            }
        }
    }

    // Given ids stay unique as `update` keeps them (see `ids`): files
    // rewritten or removed here give theirs up; a file that lost an id to
    // one numbered before it is read again, before anything is stored.
    let replaced: fnv::FnvHashSet<&str> = work
        .iter()
        .filter(|(_, action, _)| *action == Action::Update)
        .map(|(entry, _, _)| entry.key.as_str())
        .chain(found.gone.iter().map(String::as_str))
        .collect();
    let ids = IdRegistry::new(&index.dir, &searcher, fields, &replaced);
    let no_loss = BTreeSet::new();
    let mut changed = false;
    let mut first_file = 0;
    for chunk in chunks(&work) {
        let numbered = first_file..first_file + chunk.len();
        let mut read: Vec<FileOutcome> = chunk
            .par_iter()
            .zip(numbered.clone())
            .map_init(Analysis::default, |analysis, ((entry, action, _), file)| {
                let job = IdJob {
                    ids: &ids,
                    file,
                    lost: &no_loss,
                };
                read_one(fields, analysis, &job, entry, *action)
            })
            .collect();
        for (file, lost) in ids.losers_among(numbered.clone())? {
            let (entry, action, _) = &work[file];
            let job = IdJob {
                ids: &ids,
                file,
                lost: &lost,
            };
            read[file - numbered.start] =
                read_one(fields, &mut Analysis::default(), &job, entry, *action);
        }
        first_file = numbered.end;
        for ((entry, action, record), outcome) in chunk.iter().zip(read) {
            changed |= store_file(
                index,
                writer,
                &searcher,
                entry,
                *action,
                record.as_ref(),
                outcome,
                generation,
                &mut report,
                reporter,
            )?;
        }
    }

    for key in &found.gone {
        if record_of(key)?.is_some() {
            writer.delete_term(Term::from_field_text(fields.file, key));
            report.removed += 1;
            changed = true;
        }
    }

    if changed {
        report.commit = Some(index.commit_generation(writer, generation)?);
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// What a writer does first (as `update` does): the temporary files and
/// uncommitted segments a killed run left are removed.
pub fn clean_stale(index: &BriefIndex, writer: &mut IndexWriter<TantivyDocument>) -> Result<()> {
    remove_stale_temp_files(&index.dir)?;
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| Error::index(&index.dir, e))?;
    Ok(())
}

/// Where to read a changed JSON Lines file from, when only lines were
/// added since its record: it has not shrunk below where reading stopped,
/// and it is the same file with the same bytes at both ends of that part.
fn appendable(
    index: &BriefIndex,
    searcher: &Searcher,
    entry: &FileEntry,
    record: &FileRecord,
) -> Result<Option<Resume>> {
    if entry.format != Format::JsonLines {
        return Ok(None);
    }
    let Some(from) = recorded_resume(&index.dir, searcher, &index.fields, record)? else {
        return Ok(None);
    };
    if entry.size < from.offset {
        return Ok(None);
    }
    // A file that cannot be read now is read whole (and its problem
    // reported) below.
    let same = resume_check(&entry.path, from.offset).is_ok_and(|check| check == from.check);
    Ok(same.then_some(from))
}

/// Groups of files read in parallel, bounded in count and bytes.
fn chunks<T>(work: &[(FileEntry, Action, T)]) -> Vec<&[(FileEntry, Action, T)]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, (entry, _, _)) in work.iter().enumerate() {
        if i > start && (i - start >= CHUNK_FILES || bytes + entry.size > CHUNK_BYTES) {
            out.push(&work[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += entry.size;
    }
    if start < work.len() {
        out.push(&work[start..]);
    }
    out
}

/// One file read: its documents (file record not yet added), problems, and
/// where a JSON Lines file was read to.
struct FileOutcome {
    documents: Vec<TantivyDocument>,
    briefs: usize,
    bullets: usize,
    problems: Vec<Problem>,
    unreadable: bool,
    end: Option<Resume>,
}

/// Where one file's given ids are checked: the run's registry, the file's
/// number in the run, and the ids it is known to have lost.
struct IdJob<'a> {
    ids: &'a IdRegistry<'a>,
    file: usize,
    lost: &'a BTreeSet<String>,
}

fn read_one(
    fields: &Fields,
    analysis: &mut Analysis,
    job: &IdJob,
    entry: &FileEntry,
    action: Action,
) -> FileOutcome {
    let mut seen_ids = FileIds::default();
    let from = match action {
        Action::Append(from) => Some(from),
        Action::Add | Action::Update => None,
    };
    let mut documents = Vec::new();
    let (mut briefs, mut bullets) = (0, 0);
    let mut cut = Vec::new();
    let (read, end) = read_file_from(entry, from, &mut |mut brief, _| {
        if let Some(problem) = limit_bullets(&mut brief) {
            cut.push(problem);
        }
        let checked = job
            .ids
            .check(job.file, &entry.key, &mut brief, &mut seen_ids, job.lost);
        cut.extend(checked);
        briefs += 1;
        bullets += brief.points.len() + brief.summaries.len();
        documents.extend(brief_documents(fields, analysis, &brief, &entry.key));
    });
    let mut problems = read.problems;
    problems.extend(cut.into_iter().take(MAX_PROBLEMS_PER_FILE));
    let end = end.and_then(|end| {
        resume_check(&entry.path, end.offset)
            .ok()
            .map(|check| Resume { check, ..end })
    });
    FileOutcome {
        documents,
        briefs,
        bullets,
        problems,
        unreadable: read.unreadable,
        end,
    }
}

/// Writes one file's documents and record; true when the index changed.
#[allow(clippy::too_many_arguments)]
fn store_file(
    index: &BriefIndex,
    writer: &mut IndexWriter<TantivyDocument>,
    searcher: &Searcher,
    entry: &FileEntry,
    action: Action,
    record: Option<&FileRecord>,
    outcome: FileOutcome,
    generation: u64,
    report: &mut ApplyReport,
    reporter: &mut dyn Reporter,
) -> Result<bool> {
    let fields = &index.fields;
    for problem in &outcome.problems {
        reporter.problem(problem, false);
    }
    report.skipped += outcome.problems.len();
    if outcome.unreadable && outcome.documents.is_empty() {
        // Nothing of it could be read: keep what the last commit has of it,
        // record nothing, and read it again next time.
        return Ok(false);
    }
    let (stamps, mut problems) = match (action, record) {
        (Action::Update, Some(_)) => {
            let stamps = Stamps::of_file(&index.dir, searcher, fields, &entry.key)?;
            // Before any of the file's new documents, so only old ones go.
            writer.delete_term(Term::from_field_text(fields.file, &entry.key));
            (stamps, Vec::new())
        }
        (Action::Append(_), Some(record)) => {
            // Its briefs stay; only its record is replaced, keeping the
            // problems of the lines read before.
            let earlier = recorded_problems_or_none(index, searcher, record)?;
            writer.delete_term(Term::from_field_text(fields.record_file, &entry.key));
            (Stamps::default(), earlier)
        }
        _ => (Stamps::default(), Vec::new()),
    };
    problems.extend(outcome.problems);
    problems.truncate(MAX_PROBLEMS_PER_FILE + 1);
    for mut doc in outcome.documents {
        if stamps.stamp(fields, &mut doc, generation) && is_bullet(fields, &doc) {
            report.new_bullets += 1;
        }
        writer
            .add_document(doc)
            .map_err(|e| Error::index(&index.dir, e))?;
    }
    let record_doc = if outcome.unreadable {
        // Read in part: recorded as never read, so it is read again whole
        // next time whatever its time and size.
        let unread = FileEntry {
            mtime_ns: 0,
            size: 0,
            ..entry.clone()
        };
        resumable_file_document(fields, &unread, &problems, None)
    } else {
        resumable_file_document(fields, entry, &problems, outcome.end)
    };
    writer
        .add_document(record_doc)
        .map_err(|e| Error::index(&index.dir, e))?;
    match action {
        Action::Add => report.added += 1,
        Action::Update => report.updated += 1,
        Action::Append(_) => report.appended += 1,
    }
    report.briefs += outcome.briefs;
    report.bullets += outcome.bullets;
    Ok(true)
}

fn recorded_problems_or_none(
    index: &BriefIndex,
    searcher: &Searcher,
    record: &FileRecord,
) -> Result<Vec<Problem>> {
    if record.problem_count == 0 {
        return Ok(Vec::new());
    }
    recorded_problems(&index.dir, searcher, &index.fields, record)
}

fn is_bullet(fields: &Fields, doc: &TantivyDocument) -> bool {
    use tantivy::schema::Value;
    doc.get_first(fields.kind)
        .and_then(|v| v.as_str())
        .is_some_and(|k| k == DocKind::Point.as_str() || k == DocKind::Summary.as_str())
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
