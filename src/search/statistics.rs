//! BM25 statistics for the documents a search ranks. Tantivy computes a
//! field's average length and a word's rarity over every document of the
//! index; ours holds articles, bullets and file records side by side, so an
//! article's fields would be averaged over ten times as many documents as
//! have them. This provider counts only the documents of the kinds being
//! ranked, which is what BM25 assumes.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::brief::DocKind;
use crate::index::Fields;

/// Statistics of the documents of some kinds only.
pub struct KindStatistics<'a> {
    searcher: &'a Searcher,
    num_docs: u64,
}

impl<'a> KindStatistics<'a> {
    /// Statistics for ranking documents of `kinds`.
    pub fn new(
        searcher: &'a Searcher,
        fields: &Fields,
        kinds: &[DocKind],
    ) -> tantivy::Result<KindStatistics<'a>> {
        let mut num_docs = 0;
        for kind in kinds {
            num_docs += searcher.doc_freq(&Term::from_field_text(fields.kind, kind.as_str()))?;
        }
        Ok(KindStatistics {
            searcher,
            num_docs: num_docs.max(1),
        })
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        // A word's document frequency can exceed our count only for fields
        // shared by kinds (`source`); keep the ratio meaningful there.
        Ok(Bm25StatisticsProvider::doc_freq(self.searcher, term)?.min(self.num_docs))
    }
}
