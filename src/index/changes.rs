//! What a set of changed paths means for the index: the files to look at
//! (a file named, or every brief file a folder holds, as the walk would
//! name them) and the recorded files gone (a file, or every file recorded
//! below a folder, that is not there). Used by `apply` to commit changes
//! and by `differences` to tell a watch what to wait on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tantivy::Searcher;

use crate::brief::Problem;
use crate::error::Result;
use crate::index::apply::{ApplyOptions, ApplyReport, BULK_RECORDS, Root};
use crate::index::handle::BriefIndex;
use crate::index::manifest::{find_record, keys_under, load_manifest};
use crate::index::update::Reporter;
use crate::parse::Format;
use crate::read::{FileEntry, WalkOptions, path_key, walk};

/// What differs between the files and folders at `paths` and the index:
/// files new or changed (canonical path, size, modification time) and files
/// gone (canonical path), for a watch to wait on until they settle. Reads
/// nothing but the folders and the records.
pub fn differences(
    index: &BriefIndex,
    paths: &[PathBuf],
    options: &ApplyOptions,
    reporter: &mut dyn Reporter,
) -> Result<Differences> {
    let searcher = index.reader()?.searcher();
    let exclude: Vec<PathBuf> = index.dir.canonicalize().into_iter().collect();
    let mut report = ApplyReport::default();
    let found = resolve(
        index,
        &searcher,
        paths,
        options,
        &exclude,
        &mut report,
        reporter,
    )?;
    let fields = &index.fields;
    let bulk = if found.files.len() > BULK_RECORDS {
        Some(load_manifest(&index.dir, &searcher, fields)?)
    } else {
        None
    };
    let mut differences = Differences::default();
    for (key, (entry, canonical)) in &found.files {
        let record = match &bulk {
            Some(manifest) => manifest.get(key).copied(),
            None => find_record(&index.dir, &searcher, fields, key)?,
        };
        if record.is_none_or(|r| r.mtime_ns != entry.mtime_ns || r.size != entry.size) {
            differences
                .changed
                .push((canonical.clone(), entry.size, entry.mtime_ns));
        }
    }
    for key in &found.gone {
        let known = match &bulk {
            Some(manifest) => manifest.contains_key(key),
            None => find_record(&index.dir, &searcher, fields, key)?.is_some(),
        };
        if known {
            differences.gone.push(PathBuf::from(key));
        }
    }
    Ok(differences)
}

/// What [`differences`] found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Differences {
    /// New or changed files: canonical path, size, modification time (ns).
    pub changed: Vec<(PathBuf, u64, u64)>,
    /// Files gone from disk that the index still has.
    pub gone: Vec<PathBuf>,
}

/// The files to look at (by key: the entry and the file's canonical path)
/// and the keys gone, from the paths given.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub(super) files: BTreeMap<String, (FileEntry, PathBuf)>,
    pub(super) gone: BTreeSet<String>,
}

pub(super) fn resolve(
    index: &BriefIndex,
    searcher: &Searcher,
    paths: &[PathBuf],
    options: &ApplyOptions,
    exclude: &[PathBuf],
    report: &mut ApplyReport,
    reporter: &mut dyn Reporter,
) -> Result<Found> {
    let walk_options = WalkOptions {
        follow_links: options.follow_links,
        exclude: exclude.to_vec(),
        ..WalkOptions::default()
    };
    let mut found = Found::default();
    let mut problems: Vec<Problem> = Vec::new();
    let unique: BTreeSet<&PathBuf> = paths.iter().collect();
    for path in unique {
        let Some((root, shown)) = shown_path(&options.roots, path, exclude) else {
            continue;
        };
        let meta = if options.follow_links {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        match meta {
            Ok(meta) if meta.is_dir() => {
                let walked = walk(std::slice::from_ref(&shown), &walk_options);
                problems.extend(walked.problems);
                let key = path_key(path);
                let listed: BTreeSet<&str> = walked.files.iter().map(|f| f.key.as_str()).collect();
                for old in keys_under(&index.dir, searcher, &index.fields, &key)? {
                    let unlisted = walked
                        .unreadable
                        .iter()
                        .any(|folder| Path::new(&old).starts_with(folder));
                    if !listed.contains(old.as_str()) && !unlisted {
                        found.gone.insert(old);
                    }
                }
                for file in walked.files {
                    let canonical = match file.path.strip_prefix(&shown) {
                        Ok(rest) => path.join(rest),
                        Err(_) => PathBuf::from(&file.key),
                    };
                    found.files.insert(file.key.clone(), (file, canonical));
                }
            }
            Ok(meta) if meta.is_file() => {
                let is_root = path == &root.canonical;
                if !is_root && Format::from_path(path).is_none() {
                    continue;
                }
                let walked = walk(std::slice::from_ref(&shown), &walk_options);
                problems.extend(walked.problems);
                for file in walked.files {
                    found.files.insert(file.key.clone(), (file, path.clone()));
                }
            }
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                problems.push(Problem {
                    path: crate::read::display_path(&shown),
                    line: None,
                    reason: e.to_string(),
                });
            }
            // Gone, or no longer a file or folder briefs reads (a link
            // without -L): its briefs, or every brief below it, go.
            _ => {
                let key = path_key(path);
                found
                    .gone
                    .extend(keys_under(&index.dir, searcher, &index.fields, &key)?);
                found.gone.insert(key);
            }
        }
    }
    for key in found.files.keys() {
        found.gone.remove(key);
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    for problem in &problems {
        reporter.problem(problem, false);
    }
    report.skipped += problems.len();
    Ok(found)
}

/// The root `path` is under and the path as the walk would name it (the
/// root as given, joined with the rest); `None` outside every root, inside
/// the index folder, or below a hidden entry (which the walk skips).
fn shown_path<'a>(
    roots: &'a [Root],
    path: &Path,
    exclude: &[PathBuf],
) -> Option<(&'a Root, PathBuf)> {
    if exclude.iter().any(|ex| path.starts_with(ex)) {
        return None;
    }
    let root = roots
        .iter()
        .filter(|root| path.starts_with(&root.canonical))
        .max_by_key(|root| root.canonical.as_os_str().len())?;
    let rest = path.strip_prefix(&root.canonical).ok()?;
    let hidden = rest
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|n| n.starts_with('.')));
    if hidden {
        return None;
    }
    let shown = if rest.as_os_str().is_empty() {
        root.given.clone()
    } else {
        root.given.join(rest)
    };
    Some((root, shown))
}
