//! Queries on exact terms: the lookups by id, kind and file that several
//! stages make (a brief's article, a file's briefs), built in one place,
//! and the live documents of a segment that hold one term.

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED, Term};

/// Documents holding every one of `terms` (field, text), scored by none.
pub(crate) fn every_term(terms: &[(Field, &str)]) -> BooleanQuery {
    BooleanQuery::new(
        terms
            .iter()
            .map(|&(field, text)| {
                let query: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::Basic,
                ));
                (Occur::Must, query)
            })
            .collect(),
    )
}

/// The documents of `reader` holding `term` that are not deleted, in
/// document order: the file records and a file's documents, read straight
/// from the postings.
pub(crate) fn live_docs_with(reader: &SegmentReader, term: &Term) -> tantivy::Result<Vec<DocId>> {
    let inverted = reader.inverted_index(term.field())?;
    let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else {
        return Ok(Vec::new());
    };
    let alive = reader.alive_bitset();
    let mut docs = Vec::new();
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|bits| bits.is_alive(doc)) {
            docs.push(doc);
        }
        doc = postings.advance();
    }
    Ok(docs)
}
