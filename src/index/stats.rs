//! What the index holds: counts by kind, files, distinct sources, size on
//! disk and the time of the last commit. Read-only.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::index::files::dir_size;
use crate::index::handle::BriefIndex;
use crate::index::schema::{PROBLEM_COUNT_FIELD, SCHEMA_VERSION, SOURCE_EXACT_FIELD};
use crate::parse::format_timestamp;

/// The figures `briefs stats` prints. Keys are stable (see the README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    /// The index folder.
    pub index: String,
    /// Briefs (one article doc each).
    pub briefs: u64,
    /// Article docs (equal to `briefs`).
    pub articles: u64,
    /// Point docs.
    pub points: u64,
    /// Summary docs.
    pub summaries: u64,
    /// Files read.
    pub files: u64,
    /// Files with at least one problem recorded.
    pub files_with_problems: u64,
    /// Distinct sources.
    pub sources: u64,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Tantivy segments.
    pub segments: u64,
    /// Last commit, RFC 3339 UTC.
    pub last_commit: Option<String>,
    /// Last commit, seconds since the epoch.
    pub last_commit_unix: Option<i64>,
    /// Schema version of the index.
    pub schema_version: u32,
}

/// Gathers the figures.
pub fn index_stats(index: &BriefIndex, searcher: &Searcher) -> Result<IndexStats> {
    let fields = &index.fields;
    let to_err = |e| Error::index(&index.dir, e);
    let count = |kind: &str| -> Result<u64> {
        let query = TermQuery::new(
            Term::from_field_text(fields.kind, kind),
            IndexRecordOption::Basic,
        );
        searcher
            .search(&query, &Count)
            .map(|n| n as u64)
            .map_err(to_err)
    };
    let articles = count(DocKind::Article.as_str())?;
    let file_query = TermQuery::new(
        Term::from_field_text(fields.kind, DocKind::File.as_str()),
        IndexRecordOption::Basic,
    );
    let files = searcher
        .search(&file_query, &DocSetCollector)
        .map_err(to_err)?;
    let mut files_with_problems = 0;
    for address in &files {
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64(PROBLEM_COUNT_FIELD)
            .map_err(to_err)?;
        if column.first(address.doc_id).unwrap_or(0) > 0 {
            files_with_problems += 1;
        }
    }
    let payload = index.payload()?;
    Ok(IndexStats {
        index: index.dir.to_string_lossy().into_owned(),
        briefs: articles,
        articles,
        points: count(DocKind::Point.as_str())?,
        summaries: count(DocKind::Summary.as_str())?,
        files: files.len() as u64,
        files_with_problems,
        sources: distinct_sources(searcher).map_err(to_err)?,
        size_bytes: dir_size(&index.dir)?,
        segments: searcher.segment_readers().len() as u64,
        last_commit: payload.as_ref().map(|p| format_timestamp(p.committed_at)),
        last_commit_unix: payload.map(|p| p.committed_at),
        schema_version: SCHEMA_VERSION,
    })
}

/// How many briefs the index holds: all `index`'s summary line needs,
/// without the rest of [`index_stats`] (a pass over every source and file).
pub fn count_briefs(index: &BriefIndex, searcher: &Searcher) -> Result<u64> {
    let query = TermQuery::new(
        Term::from_field_text(index.fields.kind, DocKind::Article.as_str()),
        IndexRecordOption::Basic,
    );
    searcher
        .search(&query, &Count)
        .map(|n| n as u64)
        .map_err(|e| Error::index(&index.dir, e))
}

/// Distinct non-empty sources among live documents.
fn distinct_sources(searcher: &Searcher) -> tantivy::Result<u64> {
    let mut names = HashSet::new();
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str(SOURCE_EXACT_FIELD)? else {
            continue;
        };
        let mut live_ords = HashSet::new();
        for doc in segment.doc_ids_alive() {
            live_ords.extend(column.term_ords(doc));
        }
        let mut name = String::new();
        for ord in live_ords {
            name.clear();
            column.ord_to_str(ord, &mut name)?;
            names.insert(name.clone());
        }
    }
    Ok(names.len() as u64)
}
