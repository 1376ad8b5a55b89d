//! Queries on exact terms: the lookups by id, kind and file that several
//! stages make (a brief's article, a file's briefs), built in one place.

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

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
