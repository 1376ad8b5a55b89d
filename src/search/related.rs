//! More like this: the bullets of other briefs whose words are most like a
//! given bullet's, so a reader can follow one story across sources. Uses
//! Tantivy's MoreLikeThis over the bullet's own text (not its headline),
//! with thresholds suited to one-sentence documents.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::{Searcher, Term};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::index::BriefIndex;
use crate::query::kind_filter;
use crate::search::hit::{Hit, load_hit};
use crate::search::lookup::find;
use crate::text::Analysis;

/// Bullets of other briefs like bullet `id`, best first, ranked 1..
pub(crate) fn related(
    index: &BriefIndex,
    searcher: &Searcher,
    id: &str,
    limit: usize,
) -> Result<Vec<Hit>> {
    let found = find(index, searcher, id)?;
    let Some((kind, position)) = found.bullet else {
        return Err(Error::NotABullet { id: id.to_string() });
    };
    let text = match kind {
        DocKind::Point => found.brief.points[position - 1].text.clone(),
        _ => found.brief.summaries[position - 1].text.clone(),
    };
    let fields = &index.fields;
    // The field reads analysed text (see `text::pre_analysed`): hand it the bullet's.
    let text = Analysis::default().encode(&text);
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_max_doc_frequency(searcher.num_docs().max(2) / 2)
        .with_min_term_frequency(1)
        .with_min_word_length(2)
        .with_max_query_terms(30)
        .with_document_fields(vec![(fields.text, vec![OwnedValue::Str(text)])]);
    let same_brief: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(fields.brief_id, &found.brief.id),
        IndexRecordOption::Basic,
    ));
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (
            Occur::Must,
            kind_filter(fields, &[DocKind::Point, DocKind::Summary]),
        ),
        (Occur::MustNot, same_brief),
    ]);
    let top = searcher
        .search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())
        .map_err(|e| Error::index(&index.dir, e))?;
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let mut hit = load_hit(index, searcher, score, address)?;
        hit.rank = i + 1;
        hits.push(hit);
    }
    Ok(hits)
}
