//! `--explain`: each hit's score split into the parts it was computed
//! from. The query is compiled a second time with its scoring leaves
//! tagged (`query::Tag`), weighed with the same BM25 statistics as the
//! ranking, and scored again on each hit: every leaf records its score and
//! the product of the boosts above it, which its tag splits into the
//! field's weight, the fuzzy factor and the query's `^N`. The parts add up
//! to the relevance score; with `--recent`, the relevance times the
//! recency factor is the hit's score.

use serde::Serialize;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocSet, Score, Searcher, TantivyError};

use crate::index::DAY_FIELD;
use crate::parse::format_day;
use crate::query::{Scores, Tag};
use crate::search::recency::Recency;

/// A hit's score, part by part (`"explain"` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explain {
    /// The query's scoring leaves that matched, in query order.
    pub parts: Vec<ScorePart>,
    /// The sum of the parts' scores: the relevance score.
    pub relevance: f32,
    /// The recency factor (`--recent`), or null.
    pub recency: Option<RecencyPart>,
    /// The hit's score: `relevance`, times `recency.factor` with `--recent`.
    pub score: f32,
}

/// One word, phrase or expansion in one field, as it was scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePart {
    /// `text` (the bullet's own words), `context` (its brief's headline),
    /// `headline`, `points`, `summaries`, `body` (articles), `source`, or
    /// `combined` (an article's fields scored as one, BM25F).
    pub field: &'static str,
    /// `word`, `phrase`, `prefix` (an index word `word*` expanded to),
    /// `fuzzy` (one `word~N` expanded to) or `combined`.
    pub matched: &'static str,
    /// The index word (analysed), or the phrase's words.
    pub term: String,
    /// Its BM25 score in this document and field, before any weight.
    pub bm25: f32,
    /// The field's weight (the context's 0.3; 1 for `combined`).
    pub weight: f32,
    /// The query's `^N` on it (1 when none).
    pub boost: f32,
    /// The fuzzy factor (0.3 × the blended-frequency ratio); 1 otherwise.
    pub factor: f32,
    /// `bm25 × weight × boost × factor`.
    pub score: f32,
}

/// The recency part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecencyPart {
    /// `1 − w + w·2^(−age/half_life)`; `1 − w` for an undated brief.
    pub factor: f32,
    /// Whole days from the brief's date to `now` (0 for a later date),
    /// null when undated.
    pub age_days: Option<i64>,
    /// `--recent`, in days.
    pub half_life_days: f64,
    /// `--recency-weight`.
    pub weight: f32,
    /// `--now`, `YYYY-MM-DD`.
    pub now: String,
}

/// Explains hits of one search.
pub(crate) struct Explainer {
    weight: Box<dyn Weight>,
    tags: Vec<Tag>,
    scores: Scores,
    recency: Option<Recency>,
}

impl Explainer {
    /// An explainer for the tagged `query` and its `tags`, weighed with
    /// `stats` (the ranking's).
    pub(crate) fn new(
        searcher: &Searcher,
        stats: &dyn Bm25StatisticsProvider,
        query: &dyn Query,
        (tags, scores): (Vec<Tag>, Scores),
        recency: Option<Recency>,
    ) -> tantivy::Result<Explainer> {
        let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
            stats, searcher,
        ))?;
        Ok(Explainer {
            weight,
            tags,
            scores,
            recency,
        })
    }

    /// The parts of the document at `address`, ranked with `score`.
    pub(crate) fn explain(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Score,
    ) -> tantivy::Result<Explain> {
        let segment = searcher.segment_reader(address.segment_ord);
        let doc = address.doc_id;
        self.scores.take();
        let mut scorer = self.weight.scorer(segment, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match the query it was found by"
            )));
        }
        scorer.score();
        // Each leaf on the document, once (a union may score ahead of it),
        // in query order.
        let mut leaves: Vec<_> = self.scores.take();
        leaves.retain(|s| s.doc == doc);
        leaves.sort_by_key(|s| s.tag);
        leaves.dedup_by_key(|s| s.tag);
        let mut parts = Vec::new();
        for leaf in leaves {
            let Some(tag) = self.tags.get(leaf.tag) else {
                continue;
            };
            let fixed = tag.weight * tag.factor;
            parts.push(ScorePart {
                field: tag.field,
                matched: tag.matched.as_str(),
                term: tag.term.clone(),
                bm25: if leaf.boost == 0.0 {
                    0.0
                } else {
                    leaf.score / leaf.boost
                },
                weight: tag.weight,
                boost: if fixed == 0.0 {
                    1.0
                } else {
                    leaf.boost / fixed
                },
                factor: tag.factor,
                score: leaf.score,
            });
        }
        let relevance = parts.iter().map(|p| p.score).sum();
        let recency = match self.recency {
            Some(recency) => {
                let day = segment.fast_fields().i64(DAY_FIELD)?.first(address.doc_id);
                Some(RecencyPart {
                    factor: recency.factor(day),
                    age_days: recency.age_days(day),
                    half_life_days: recency.half_life_days,
                    weight: recency.weight,
                    now: format_day(recency.now),
                })
            }
            None => None,
        };
        Ok(Explain {
            parts,
            relevance,
            recency,
            score,
        })
    }
}
