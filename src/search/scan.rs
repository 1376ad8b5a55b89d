//! Reading every brief of the index (or those of a date range) back from
//! the copies their article documents store, in index order, for callers
//! that look at a whole collection rather than a query's hits (`stories`).
//! A brief read once can be read again by its [`BriefAt`].

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::brief::{Brief, DocKind};
use crate::error::{Error, Result};
use crate::index::{BriefIndex, stored_text};
use crate::parse::parse_day;
use crate::query::kind_filter;
use crate::search::filter::date_filter;

/// Where a scanned brief is stored, to read it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BriefAt(DocAddress);

/// A brief as the index holds it.
#[derive(Debug, Clone)]
pub(crate) struct Scanned {
    /// Where it is stored.
    pub(crate) at: BriefAt,
    /// The brief, as parsed when indexed.
    pub(crate) brief: Brief,
    /// The file's absolute path, as indexed.
    pub(crate) file: String,
    /// Its date as a day number, when it has one.
    pub(crate) day: Option<i64>,
}

/// Calls `each` with every brief dated within `since..=until` (every brief
/// when both are `None`; undated ones are left out when either is given),
/// in index order.
pub(crate) fn scan(
    index: &BriefIndex,
    searcher: &Searcher,
    since: Option<i64>,
    until: Option<i64>,
    mut each: impl FnMut(Scanned) -> Result<()>,
) -> Result<()> {
    let fields = &index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, kind_filter(fields, &[DocKind::Article]))];
    if let Some(dates) = date_filter(fields.day, since, until) {
        clauses.push((Occur::Must, dates));
    }
    let mut addresses: Vec<DocAddress> = searcher
        .search(&BooleanQuery::new(clauses), &DocSetCollector)
        .map_err(|e| Error::index(&index.dir, e))?
        .into_iter()
        .collect();
    // Index order: stored blocks are read one after the other, each once.
    addresses.sort_unstable();
    for address in addresses {
        each(read(index, searcher, BriefAt(address))?)?;
    }
    Ok(())
}

/// The brief stored at `at`.
pub(crate) fn read(index: &BriefIndex, searcher: &Searcher, at: BriefAt) -> Result<Scanned> {
    let doc: TantivyDocument = searcher
        .doc(at.0)
        .map_err(|e| Error::index(&index.dir, e))?;
    let fields = &index.fields;
    let damaged = |detail: String| Error::IndexDamaged {
        path: index.dir.clone(),
        detail,
    };
    let json = stored_text(&doc, fields.brief_json)
        .ok_or_else(|| damaged("an article document has no stored brief".to_string()))?;
    let brief: Brief = serde_json::from_str(&json)
        .map_err(|e| damaged(format!("a stored brief does not read back: {e}")))?;
    // The day the index filters by is read from the brief's date the same
    // way when it is indexed.
    let day = brief.date.as_deref().and_then(parse_day);
    Ok(Scanned {
        at,
        file: stored_text(&doc, fields.file).unwrap_or_default(),
        brief,
        day,
    })
}
