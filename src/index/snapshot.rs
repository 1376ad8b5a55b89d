//! The index's last commit as a source of briefs for other engines: which
//! files it records (with the size and time that stamp each version of a
//! file), the briefs each file holds, as stored on their article documents,
//! and how many article and bullet documents there are. Read-only; one
//! searcher, so everything read comes from the same commit.

use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::brief::{Brief, DocKind};
use crate::error::{Error, Result};
use crate::index::handle::BriefIndex;
use crate::index::manifest::load_manifest;
use crate::index::stored::stored_text;

/// What identifies one version of a file: its size and modification time
/// when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FileStamp {
    /// Size in bytes.
    pub(crate) size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub(crate) mtime_ns: u64,
}

/// One commit of the index, read for export.
pub(crate) struct IndexSnapshot {
    index: BriefIndex,
    searcher: Searcher,
}

impl IndexSnapshot {
    /// A snapshot of `index`'s last commit.
    pub(crate) fn new(index: BriefIndex) -> Result<IndexSnapshot> {
        let searcher = index.reader()?.searcher();
        Ok(IndexSnapshot { index, searcher })
    }

    /// Every file the commit records, by key, in key order.
    pub(crate) fn files(&self) -> Result<Vec<(String, FileStamp)>> {
        let manifest = load_manifest(&self.index.dir, &self.searcher, &self.index.fields)?;
        let mut files: Vec<(String, FileStamp)> = manifest
            .into_iter()
            .map(|(key, record)| {
                let stamp = FileStamp {
                    size: record.size,
                    mtime_ns: record.mtime_ns,
                };
                (key, stamp)
            })
            .collect();
        files.sort();
        Ok(files)
    }

    /// The briefs of the file `key`, in the order they start in it.
    pub(crate) fn briefs_in(&self, key: &str) -> Result<Vec<Brief>> {
        let fields = &self.index.fields;
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(fields.file, key)),
            (Occur::Must, term(fields.kind, DocKind::Article.as_str())),
        ]);
        let addresses = self
            .searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| Error::index(&self.index.dir, e))?;
        let damaged = |detail: String| Error::IndexDamaged {
            path: self.index.dir.clone(),
            detail,
        };
        let mut briefs = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = self
                .searcher
                .doc(address)
                .map_err(|e| Error::index(&self.index.dir, e))?;
            let json = stored_text(&doc, fields.brief_json)
                .ok_or_else(|| damaged(format!("a brief of {key} has no stored copy")))?;
            let brief: Brief = serde_json::from_str(&json)
                .map_err(|e| damaged(format!("the stored copy of a brief of {key}: {e}")))?;
            briefs.push(brief);
        }
        briefs.sort_by(|a, b| (a.line, &a.id).cmp(&(b.line, &b.id)));
        Ok(briefs)
    }

    /// How many article and bullet documents the commit holds (file records
    /// left out): what an engine holding the same briefs must count.
    pub(crate) fn document_count(&self) -> Result<u64> {
        let fields = &self.index.fields;
        let mut total = 0;
        for kind in [DocKind::Article, DocKind::Point, DocKind::Summary] {
            let query = TermQuery::new(
                Term::from_field_text(fields.kind, kind.as_str()),
                IndexRecordOption::Basic,
            );
            let n = self
                .searcher
                .search(&query, &Count)
                .map_err(|e| Error::index(&self.index.dir, e))?;
            total += n as u64;
        }
        Ok(total)
    }

    /// The index folder.
    pub(crate) fn dir(&self) -> &std::path::Path {
        &self.index.dir
    }
}
