//! Which of some documents a query matches, unscored: one scorer per
//! segment, sought in document order, so the cost is the documents asked
//! about, not the query's matches. Lets a search rank with its plain query
//! (which Tantivy can prune, block-max WAND) and sort what it found.

use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocSet, Searcher, SegmentOrdinal};

/// For each of `docs`, whether `query` matches it.
pub(crate) fn matching(
    searcher: &Searcher,
    query: &dyn Query,
    docs: &[DocAddress],
) -> tantivy::Result<Vec<bool>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].segment_ord, docs[i].doc_id));
    let mut out = vec![false; docs.len()];
    let mut current: Option<(SegmentOrdinal, Box<dyn Scorer>)> = None;
    for i in order {
        let DocAddress {
            segment_ord,
            doc_id,
        } = docs[i];
        if current.as_ref().is_none_or(|(s, _)| *s != segment_ord) {
            let scorer = weight.scorer(searcher.segment_reader(segment_ord), 1.0)?;
            current = Some((segment_ord, scorer));
        }
        if let Some((_, scorer)) = &mut current {
            let at = if scorer.doc() < doc_id {
                scorer.seek(doc_id)
            } else {
                scorer.doc()
            };
            out[i] = at == doc_id;
        }
    }
    Ok(out)
}
