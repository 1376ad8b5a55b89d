//! Keeping brief ids unique. An id is a brief's path (or `path:line`)
//! unless its JSON or front matter gives one; given ids can collide (a feed
//! export that repeats `id: reuters-1`, two files naming the same story).
//! The first brief with an id keeps it, in this order: briefs already in
//! the index from files this run does not replace, then the files of this
//! run in the order of their keys, then lines within a file. Every other
//! brief with that id is indexed under its own `path:line` and reported.
//!
//! Readers run in parallel, so a file can only know for sure that it lost
//! an id to an earlier file once every file is read: `IdRegistry` keeps
//! each file's claims, and `IdRegistry::losers` lists the files to read
//! again with the ids they lost.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;

use tantivy::{Searcher, TantivyDocument, Term};

use crate::brief::{Brief, DocKind, Problem};
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::index::stored::stored_text;
use crate::index::terms::every_term;

/// The ids of one run: those the index holds, and those this run's files
/// claim.
pub(crate) struct IdRegistry<'a> {
    dir: &'a Path,
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// Keys of the files whose documents this run replaces or removes.
    replaced: &'a fnv::FnvHashSet<&'a str>,
    /// Given id → the (file, line) of each brief of this run that kept it.
    claims: Mutex<HashMap<String, Vec<(usize, usize)>>>,
    /// File → the given ids it kept (for [`IdRegistry::losers_among`]).
    kept_by_file: Mutex<HashMap<usize, BTreeSet<String>>>,
    /// The first error met looking ids up in the index (readers cannot
    /// return one): [`IdRegistry::losers`] hands it on.
    error: Mutex<Option<Error>>,
}

/// The ids one file has seen, while it is read.
#[derive(Default)]
pub(crate) struct FileIds {
    /// Given id → the line of the brief that kept it.
    kept: HashMap<String, usize>,
}

impl<'a> IdRegistry<'a> {
    pub(crate) fn new(
        dir: &'a Path,
        searcher: &'a Searcher,
        fields: &'a Fields,
        replaced: &'a fnv::FnvHashSet<&'a str>,
    ) -> IdRegistry<'a> {
        IdRegistry {
            dir,
            searcher,
            fields,
            replaced,
            claims: Mutex::new(HashMap::new()),
            kept_by_file: Mutex::new(HashMap::new()),
            error: Mutex::new(None),
        }
    }

    /// Checks the id of `brief`, the next brief of file number `file`
    /// (key `key`): a given id that another brief keeps is replaced by the
    /// brief's own `path:line`, and the problem says so. `lost` are the ids
    /// this file is known to have lost to earlier files.
    pub(crate) fn check(
        &self,
        file: usize,
        key: &str,
        brief: &mut Brief,
        seen: &mut FileIds,
        lost: &BTreeSet<String>,
    ) -> Option<Problem> {
        if !is_given(brief) {
            return None;
        }
        let holder = if let Some(line) = seen.kept.get(&brief.id) {
            Some(format!("line {line}"))
        } else if lost.contains(&brief.id) {
            Some("an earlier file of this run".to_string())
        } else {
            match self.held_elsewhere(&brief.id, key) {
                Ok(holder) => holder,
                Err(error) => {
                    let mut first = lock(&self.error);
                    first.get_or_insert(error);
                    None
                }
            }
        };
        if let Some(holder) = holder {
            let own = own_id(brief);
            let given = std::mem::replace(&mut brief.id, own);
            return Some(Problem {
                path: brief.path.clone(),
                line: Some(brief.line),
                reason: format!(
                    "duplicate id `{given}` (kept by {holder}); indexed as `{}`",
                    brief.id
                ),
            });
        }
        seen.kept.insert(brief.id.clone(), brief.line);
        lock(&self.claims)
            .entry(brief.id.clone())
            .or_default()
            .push((file, brief.line));
        lock(&self.kept_by_file)
            .entry(file)
            .or_default()
            .insert(brief.id.clone());
        None
    }

    /// The file that already holds `id` in the index, when it is not `key`
    /// and this run does not replace it.
    fn held_elsewhere(&self, id: &str, key: &str) -> Result<Option<String>> {
        let to_err = |e| Error::index(self.dir, e);
        let term = Term::from_field_text(self.fields.brief_id, id);
        if self.searcher.doc_freq(&term).map_err(to_err)? == 0 {
            return Ok(None);
        }
        let query = every_term(&[
            (self.fields.brief_id, id),
            (self.fields.kind, DocKind::Article.as_str()),
        ]);
        let top = self
            .searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(to_err)?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = self.searcher.doc(*address).map_err(to_err)?;
        let Some(file) = stored_text(&doc, self.fields.file) else {
            return Ok(None);
        };
        if file == key || self.replaced.contains(file.as_str()) {
            return Ok(None);
        }
        Ok(Some(file))
    }

    /// Files that kept an id an earlier file of this run also kept, with
    /// those ids, in file order: to be read again, losing them.
    /// Fails with the first error met looking ids up.
    pub(crate) fn losers(&self) -> Result<BTreeMap<usize, BTreeSet<String>>> {
        if let Some(error) = lock(&self.error).take() {
            return Err(error);
        }
        let claims = lock(&self.claims);
        let mut losers: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for (id, holders) in claims.iter() {
            let Some(first) = holders.iter().map(|(file, _)| *file).min() else {
                continue;
            };
            for (file, _) in holders {
                if *file != first {
                    losers.entry(*file).or_default().insert(id.clone());
                }
            }
        }
        Ok(losers)
    }
}

impl IdRegistry<'_> {
    /// As [`IdRegistry::losers`], for the files numbered in `files` only,
    /// looking at the ids those files kept (so a run that reads its files in
    /// chunks pays for each chunk's ids once). Files read earlier still win
    /// an id from these files, being numbered lower.
    pub(crate) fn losers_among(
        &self,
        files: std::ops::Range<usize>,
    ) -> Result<BTreeMap<usize, BTreeSet<String>>> {
        if let Some(error) = lock(&self.error).take() {
            return Err(error);
        }
        let kept = lock(&self.kept_by_file);
        let claims = lock(&self.claims);
        let mut losers: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for file in files {
            for id in kept.get(&file).into_iter().flatten() {
                let first = claims.get(id).and_then(|h| h.iter().map(|(f, _)| *f).min());
                if first.is_some_and(|first| first < file) {
                    losers.entry(file).or_default().insert(id.clone());
                }
            }
        }
        Ok(losers)
    }
}

/// A mutex's contents; a reader that panicked holding it left them whole
/// (claims are pushed in one step), so a poisoned lock is still read.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// True when the brief's id was given rather than made from its path.
fn is_given(brief: &Brief) -> bool {
    brief.id != brief.path && brief.id != own_id(brief)
}

/// The id a brief gets from where it is: `path:line`.
fn own_id(brief: &Brief) -> String {
    format!("{}:{}", brief.path, brief.line)
}
