//! Bringing the index up to date with the folders a user names: new and
//! changed files are (re)read and their briefs replaced, deleted files'
//! briefs removed, unchanged files skipped without being opened, and the
//! whole change committed at once. Prints nothing: progress and problems go
//! to the [`Reporter`] the caller passes.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use tantivy::{TantivyDocument, Term};

use crate::brief::Problem;
use crate::error::{Error, Result};
use crate::index::documents::file_document;
use crate::index::files::remove_stale_temp_files;
use crate::index::handle::BriefIndex;
use crate::index::ids::IdRegistry;
use crate::index::manifest::{load_manifest, recorded_path, recorded_problems};
use crate::index::merge;
use crate::index::readers::{MAX_READERS, Read, ReadJob, read_in_parallel, read_one};
use crate::read::{FileEntry, WalkOptions, display_path, path_key, walk};
use crate::text::Analysis;

/// How to run an index update.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Files and folders to read.
    pub roots: Vec<PathBuf>,
    /// Drop everything in the index first.
    pub rebuild: bool,
    /// Follow symbolic links while walking.
    pub follow_links: bool,
    /// Walk hidden files and folders too.
    pub hidden: bool,
    /// Read no `.gitignore` or `.ignore` file: walk what they exclude too.
    pub no_ignore: bool,
    /// Tantivy indexing threads.
    pub threads: usize,
    /// Tantivy's memory budget, all threads together.
    pub memory_budget: usize,
}

impl IndexOptions {
    /// Defaults for `roots`: threads from the machine, a 256 MB budget.
    pub fn new(roots: Vec<PathBuf>) -> IndexOptions {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        IndexOptions {
            roots,
            rebuild: false,
            follow_links: false,
            hidden: false,
            no_ignore: false,
            threads,
            memory_budget: 256_000_000,
        }
    }
}

/// Where an update stands, for progress displays: reported once before the
/// first file is read, then as files (and the lines of a JSON Lines file)
/// are read, and once more when the last file is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Files read so far.
    pub files_done: usize,
    /// Files to read in all.
    pub files_total: usize,
    /// Briefs read so far.
    pub briefs: usize,
    /// Bytes of the files to read read so far: a JSON Lines file counts as
    /// its lines are read, any other file when it is read. Equals
    /// `bytes_total` when every file is done.
    pub bytes_done: u64,
    /// Bytes of the files to read in all (their sizes when walked).
    pub bytes_total: u64,
}

/// Receives what happens during an update, as it happens.
pub trait Reporter {
    /// A file, folder or line was skipped. `unchanged` is true when the
    /// problem was recorded by an earlier run and the file has not changed.
    fn problem(&mut self, problem: &Problem, unchanged: bool);
    /// Progress, called often; cheap to ignore.
    fn progress(&mut self, _progress: Progress) {}
}

/// What an update did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexReport {
    /// Files read for the first time.
    pub added: usize,
    /// Files read again because they changed.
    pub updated: usize,
    /// Files gone from disk whose briefs were removed.
    pub removed: usize,
    /// Files skipped because they have not changed.
    pub unchanged: usize,
    /// Files (or lines, or folders) that could not be read as briefs.
    pub skipped: usize,
    /// Briefs read in this run.
    pub briefs: usize,
    /// Bullets read in this run.
    pub bullets: usize,
    /// Whether a commit was made (false when nothing changed).
    pub committed: bool,
    /// Seconds the update took.
    pub seconds: f64,
}

/// Brings the index at `index` up to date with `options.roots`.
pub fn update_index(
    index: &BriefIndex,
    options: &IndexOptions,
    reporter: &mut dyn Reporter,
) -> Result<IndexReport> {
    let started = Instant::now();
    crate::index::malloc::settle_allocator();
    let fields = &index.fields;
    // Take the writer lock first, so the manifest cannot change under us.
    let mut writer = index.writer(options.threads, options.memory_budget)?;
    // Files a killed run left behind (segments never committed, temporary
    // files of an atomic write) belong to no commit; remove them now, even
    // if this run ends up changing nothing.
    remove_stale_temp_files(&index.dir)?;
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| Error::index(&index.dir, e))?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let manifest = if options.rebuild {
        writer
            .delete_all_documents()
            .map_err(|e| Error::index(&index.dir, e))?;
        Default::default()
    } else {
        load_manifest(&index.dir, &searcher, fields)?
    };
    // A build from nothing ends merged into one segment: Tantivy's own
    // merges are held from the start, so none is running on the segments
    // when that merge takes them.
    let from_nothing = manifest.is_empty();
    if from_nothing {
        merge::hold_merges(&writer);
    }

    let exclude = index.dir.canonicalize().into_iter().collect();
    let walk_options = WalkOptions {
        follow_links: options.follow_links,
        hidden: options.hidden,
        no_ignore: options.no_ignore,
        exclude,
    };
    let found = walk(&options.roots, &walk_options);
    let mut report = IndexReport::default();
    for problem in &found.problems {
        reporter.problem(problem, false);
        report.skipped += 1;
    }

    let mut seen: fnv::FnvHashSet<&str> = fnv::FnvHashSet::default();
    seen.reserve(found.files.len());
    let mut to_read: Vec<(&FileEntry, bool)> = Vec::new();
    for entry in &found.files {
        if !seen.insert(entry.key.as_str()) {
            continue; // the same file reached twice (two roots, or a link)
        }
        match manifest.get(&entry.key) {
            Some(record) if record.mtime_ns == entry.mtime_ns && record.size == entry.size => {
                report.unchanged += 1;
                if record.problem_count > 0 {
                    for problem in recorded_problems(&index.dir, &searcher, fields, record)? {
                        reporter.problem(&problem, true);
                        report.skipped += 1;
                    }
                }
            }
            Some(_) => to_read.push((entry, true)),
            None => to_read.push((entry, false)),
        }
    }

    // Files gone from disk, decided before reading so that ids held by
    // their briefs are free for the files read now.
    let root_keys: Vec<String> = found.roots.iter().map(|r| path_key(r)).collect();
    let unlisted_keys: Vec<String> = found.unreadable.iter().map(|f| path_key(f)).collect();
    let under = |key: &str, folders: &[String]| {
        folders
            .iter()
            .any(|folder| std::path::Path::new(key).starts_with(folder))
    };
    // With -L a file reached through a link is kept under its target's key,
    // which may lie outside every root: it is this run's if the path it was
    // found at lies under one of the roots as given.
    let given_roots: Vec<PathBuf> = options
        .roots
        .iter()
        .map(|r| PathBuf::from(display_path(r)))
        .collect();
    let mut gone: Vec<&String> = Vec::new();
    for (key, record) in &manifest {
        if seen.contains(key.as_str()) {
            continue;
        }
        let ours = if under(key, &root_keys) {
            // A folder that could not be listed keeps its briefs until it can.
            !under(key, &unlisted_keys)
        } else if options.follow_links {
            recorded_path(&index.dir, &searcher, fields, record)?.is_some_and(|path| {
                given_roots
                    .iter()
                    .any(|root| std::path::Path::new(&path).starts_with(root))
            })
        } else {
            false
        };
        if ours {
            gone.push(key);
        }
    }
    let replaced: fnv::FnvHashSet<&str> = to_read
        .iter()
        .map(|(entry, _)| entry.key.as_str())
        .chain(gone.iter().map(|key| key.as_str()))
        .collect();
    let ids = IdRegistry::new(&index.dir, &searcher, fields, &replaced);

    let mut progress = Progress {
        files_done: 0,
        files_total: to_read.len(),
        briefs: 0,
        bytes_done: 0,
        bytes_total: to_read.iter().map(|(entry, _)| entry.size).sum(),
    };
    if !to_read.is_empty() {
        reporter.progress(progress);
    }
    let readers = options.threads.clamp(1, MAX_READERS);
    let mut failed = None;
    let mut begun = vec![false; to_read.len()];
    let mut kept_unreadable = vec![false; to_read.len()];
    read_in_parallel(fields, &ids, &to_read, readers, |event| match event {
        Read::Batch(batch) => {
            let (entry, known) = to_read[batch.file];
            progress.bytes_done += batch.bytes;
            progress.briefs += batch.briefs;
            if batch.problems.is_none() {
                // A file's last batch is reported with its `Done`.
                reporter.progress(progress);
            }
            let first = !std::mem::replace(&mut begun[batch.file], true);
            if first && batch.unreadable && batch.documents.is_empty() {
                // Nothing of it could be read: keep what the last commit
                // has of it, record nothing, and read it again next run.
                kept_unreadable[batch.file] = true;
                return true;
            }
            if first && known {
                // Before any of the file's new documents, so only old ones go.
                writer.delete_term(Term::from_field_text(fields.file, &entry.key));
            }
            report.briefs += batch.briefs;
            report.bullets += batch.bullets;
            let mut documents = batch.documents;
            if let Some(problems) = &batch.problems {
                documents.push(if batch.unreadable {
                    // Read in part: recorded as never read, so the next
                    // run reads it again whatever its time and size.
                    let unread = FileEntry {
                        mtime_ns: 0,
                        size: 0,
                        ..entry.clone()
                    };
                    file_document(fields, &unread, problems)
                } else {
                    file_document(fields, entry, problems)
                });
            }
            for doc in documents {
                if let Err(e) = writer.add_document(doc) {
                    failed = Some(index.write_error(e));
                    return false;
                }
            }
            true
        }
        Read::Done(file, problems) => {
            if kept_unreadable[file] {
                // Counted among the skipped, by its problem.
            } else if to_read[file].1 {
                report.updated += 1;
            } else {
                report.added += 1;
            }
            for problem in &problems {
                reporter.problem(problem, false);
            }
            report.skipped += problems.len();
            progress.files_done += 1;
            reporter.progress(progress);
            true
        }
    });
    if let Some(error) = failed {
        return Err(error);
    }
    for (file, lost) in ids.losers()? {
        let (entry, _) = to_read[file];
        report.skipped +=
            reread_losing_ids(index, &mut writer, &ids, file, entry, &lost, reporter)?;
    }

    for key in gone {
        writer.delete_term(Term::from_field_text(fields.file, key));
        report.removed += 1;
    }

    if options.rebuild || report.added + report.updated + report.removed > 0 {
        index.commit(&mut writer)?;
        report.committed = true;
        // From nothing, every file read was added.
        if from_nothing && report.added > 0 {
            merge::merge_all(index, &mut writer);
        }
        writer
            .wait_merging_threads()
            .map_err(|e| index.write_error(e))?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Reads file `file` again, after every file was read, giving up the ids
/// an earlier file kept: its documents of this run (and its record) are
/// replaced, and only the new problems (the ids given up) are reported:
/// how many.
fn reread_losing_ids(
    index: &BriefIndex,
    writer: &mut tantivy::IndexWriter<TantivyDocument>,
    ids: &IdRegistry,
    file: usize,
    entry: &FileEntry,
    lost: &BTreeSet<String>,
    reporter: &mut dyn Reporter,
) -> Result<usize> {
    let fields = &index.fields;
    writer.delete_term(Term::from_field_text(fields.file, &entry.key));
    let job = ReadJob { file, entry, lost };
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let mut unreadable = false;
    read_one(fields, ids, &mut Analysis::default(), &job, &mut |batch| {
        documents.extend(batch.documents);
        if let Some(found) = batch.problems {
            problems = found;
            unreadable = batch.unreadable;
        }
        true
    });
    let mut reported = 0;
    for problem in problems
        .iter()
        .filter(|p| p.reason.starts_with("duplicate id"))
    {
        reporter.problem(problem, false);
        reported += 1;
    }
    let recorded = if unreadable {
        FileEntry {
            mtime_ns: 0,
            size: 0,
            ..entry.clone()
        }
    } else {
        entry.clone()
    };
    documents.push(file_document(fields, &recorded, &problems));
    for doc in documents {
        writer.add_document(doc).map_err(|e| index.write_error(e))?;
    }
    Ok(reported)
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
