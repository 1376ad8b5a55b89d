//! Finding documents by id: a brief (its article doc, holding the brief as
//! parsed) or a bullet. `show` and `related` read only what the index holds,
//! never the files it was built from.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::brief::{Brief, DocKind, split_bullet_id};
use crate::error::{Error, Result};
use crate::index::{BriefIndex, stored_text};

/// What an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The brief, as parsed when indexed.
    pub brief: Brief,
    /// The file's absolute path, as indexed.
    pub file: String,
    /// When the id is a bullet's: its kind and 1-based position.
    pub bullet: Option<(DocKind, usize)>,
}

/// The first live document of brief `brief_id` with `kind` (for an
/// article: the brief's article doc).
pub fn find_doc(
    index: &BriefIndex,
    searcher: &Searcher,
    brief_id: &str,
    kind: DocKind,
) -> Result<Option<DocAddress>> {
    let fields = &index.fields;
    let term_query = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let query = BooleanQuery::new(vec![
        (Occur::Must, term_query(fields.brief_id, brief_id)),
        (Occur::Must, term_query(fields.kind, kind.as_str())),
    ]);
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| Error::index(&index.dir, e))?;
    Ok(top.first().map(|(_, address)| *address))
}

/// The brief (and bullet) an id names; [`Error::NotFound`] when none does.
pub fn find(index: &BriefIndex, searcher: &Searcher, id: &str) -> Result<Found> {
    let bullet = split_bullet_id(id);
    let brief_id = match bullet {
        Some((brief_id, _, _)) => brief_id,
        None => id,
    };
    let not_found = || Error::NotFound { id: id.to_string() };
    let Some(address) = find_doc(index, searcher, brief_id, DocKind::Article)? else {
        return Err(not_found());
    };
    let doc: TantivyDocument = searcher
        .doc(address)
        .map_err(|e| Error::index(&index.dir, e))?;
    let fields = &index.fields;
    let damaged = |detail: String| Error::IndexDamaged {
        path: index.dir.clone(),
        detail,
    };
    let json = stored_text(&doc, fields.brief_json)
        .ok_or_else(|| damaged(format!("brief `{brief_id}` has no stored copy")))?;
    let brief: Brief = serde_json::from_str(&json)
        .map_err(|e| damaged(format!("the stored copy of brief `{brief_id}`: {e}")))?;
    let bullet = bullet.map(|(_, kind, position)| (kind, position));
    let exists = match bullet {
        Some((DocKind::Point, n)) => (1..=brief.points.len()).contains(&n),
        Some((_, n)) => (1..=brief.summaries.len()).contains(&n),
        None => true,
    };
    if !exists {
        return Err(not_found());
    }
    Ok(Found {
        brief,
        file: stored_text(&doc, fields.file).unwrap_or_default(),
        bullet,
    })
}
