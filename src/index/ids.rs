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
//!
//! A run may claim millions of ids (a JSON Lines export gives every brief
//! one), so a claim is held compactly: a 128-bit hash of the id and the
//! number of the earliest file claiming it, 24 bytes in the table; only a
//! contested id (claimed by a second file) is kept as text.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
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
    /// What this run's files claimed.
    claims: Mutex<Claims>,
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
            claims: Mutex::new(Claims::default()),
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
        lock(&self.claims).claim(&brief.id, file);
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
        Ok(lock(&self.claims).losers())
    }

    /// As [`IdRegistry::losers`], for the files numbered in `files` only:
    /// for a run that reads and stores its files a chunk at a time (files
    /// of earlier chunks, numbered lower, still win an id from these).
    pub(crate) fn losers_among(
        &self,
        files: std::ops::Range<usize>,
    ) -> Result<BTreeMap<usize, BTreeSet<String>>> {
        let mut losers = self.losers()?;
        losers.retain(|file, _| files.contains(file));
        Ok(losers)
    }
}

/// The ids this run's files kept, each once: the earliest file claiming
/// it by the id's hash, and the claims of any other file beside.
#[derive(Default)]
struct Claims {
    /// Id hash → the number of the earliest file that claimed it.
    first: HashMap<IdHash, u32, BuildIdHasher>,
    /// Every other claim, with its id: (hash, file, id).
    contested: Vec<(IdHash, usize, String)>,
}

impl Claims {
    /// File `file` kept `id` (once: a file keeps an id at most once).
    fn claim(&mut self, id: &str, file: usize) {
        let hash = IdHash::of(id);
        // File numbers beyond u32 are never reached (each is a file walked
        // and held in memory); saturating keeps them last, in order.
        let number = u32::try_from(file).unwrap_or(u32::MAX);
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(number);
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                if number < *slot.get() {
                    // The earlier file holds it now; the one it displaces
                    // becomes a contested claim.
                    let displaced = std::mem::replace(slot.get_mut(), number);
                    self.contested
                        .push((hash, displaced as usize, id.to_string()));
                } else {
                    self.contested.push((hash, file, id.to_string()));
                }
            }
        }
    }

    /// Files that claimed an id an earlier file also claimed, with those ids.
    fn losers(&self) -> BTreeMap<usize, BTreeSet<String>> {
        let mut losers: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for (hash, file, id) in &self.contested {
            let first = self.first.get(hash).map(|&n| n as usize);
            if first != Some(*file) {
                losers.entry(*file).or_default().insert(id.clone());
            }
        }
        losers
    }
}

/// A 128-bit hash of an id: two SipHash-1-3 digests of it, with different
/// prefixes. Two different ids of one run share one with a probability
/// around n²/2¹²⁹ (below 10⁻²⁶ for ten million ids).
#[derive(Clone, Copy, PartialEq, Eq)]
struct IdHash([u64; 2]);

impl IdHash {
    fn of(id: &str) -> IdHash {
        let digest = |prefix: u8| {
            let mut hasher = std::hash::DefaultHasher::new();
            prefix.hash(&mut hasher);
            id.hash(&mut hasher);
            hasher.finish()
        };
        IdHash([digest(0), digest(1)])
    }
}

impl Hash for IdHash {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // A hash already: its first half is the table's hash as it is.
        state.write_u64(self.0[0]);
    }
}

/// The table's hasher: hands on the `u64` written (see `IdHash`'s `Hash`).
#[derive(Default, Clone, Copy)]
struct BuildIdHasher;

impl std::hash::BuildHasher for BuildIdHasher {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

/// See [`BuildIdHasher`].
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not reached by `IdHash`; FNV-1a for anything else.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A mutex's contents; a reader that panicked holding it left them whole
/// (claims are made in one step), so a poisoned lock is still read.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lost(claims: &Claims) -> Vec<(usize, Vec<String>)> {
        claims
            .losers()
            .into_iter()
            .map(|(file, ids)| (file, ids.into_iter().collect()))
            .collect()
    }

    #[test]
    fn the_earliest_file_keeps_an_id_whatever_the_order_of_claims() {
        let mut claims = Claims::default();
        // Readers run in parallel: file 2 may claim before file 0.
        claims.claim("story-9", 2);
        claims.claim("story-1", 1);
        claims.claim("story-9", 0);
        claims.claim("story-9", 1);
        claims.claim("story-2", 3);
        assert_eq!(
            lost(&claims),
            [
                (1, vec!["story-9".to_string()]),
                (2, vec!["story-9".to_string()])
            ]
        );
    }

    #[test]
    fn ids_claimed_once_lose_nothing_and_keep_no_text() {
        let mut claims = Claims::default();
        for n in 0..10_000 {
            claims.claim(&format!("b{n:07}"), n / 100);
        }
        assert!(lost(&claims).is_empty());
        assert!(claims.contested.is_empty());
        assert_eq!(claims.first.len(), 10_000);
    }

    #[test]
    fn different_ids_hash_apart() {
        assert!(IdHash::of("a") != IdHash::of("b"));
        assert!(IdHash::of("ab") != IdHash::of("ba"));
        assert!(IdHash::of("x") == IdHash::of("x"));
    }
}
