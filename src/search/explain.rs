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

use crate::error::{Error, Result};
use crate::index::{BriefIndex, DAY_FIELD};
use crate::parse::format_day;
use crate::query::{CompileError, Compiler, Node, Scores, Tag};
use crate::search::SearchOptions;
use crate::search::hit::Hit;
use crate::search::recency::Recency;
use crate::search::statistics::KindStatistics;

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
    /// The explainer of a search for `parsed` with `options`, when they ask
    /// for explanations: the query compiled again, tagged, and weighed with
    /// the ranking's statistics.
    pub(crate) fn for_search(
        index: &BriefIndex,
        searcher: &Searcher,
        options: &SearchOptions,
        parsed: &Node,
    ) -> Result<Option<Explainer>> {
        if !options.explain {
            return Ok(None);
        }
        let (fields, kinds) = (&index.fields, options.kind.kinds());
        let mut compiler = Compiler::new(fields, searcher, options.weights, kinds).explaining();
        let tagged = compiler.compile(parsed).map_err(|e| match e {
            CompileError::Index(e) => Error::index(&index.dir, e),
            CompileError::TooBroad { limit } => Error::QueryTooBroad { limit },
            CompileError::NothingToSearch => Error::Query {
                source: crate::query::nothing_to_search(&options.query),
            },
        })?;
        let to_err = |e| Error::index(&index.dir, e);
        let stats = KindStatistics::new(searcher, fields, kinds).map_err(to_err)?;
        let tags = compiler.tags().unwrap_or_default();
        Explainer::new(searcher, &stats, &*tagged, tags, options.recency)
            .map(Some)
            .map_err(to_err)
    }

    /// Sets `hit.explain` for the document at `address`.
    pub(crate) fn attach(
        &self,
        index: &BriefIndex,
        searcher: &Searcher,
        address: DocAddress,
        hit: &mut Hit,
    ) -> Result<()> {
        let explain = self.explain(searcher, address, hit.score);
        hit.explain = Some(explain.map_err(|e| Error::index(&index.dir, e))?);
        Ok(())
    }

    /// An explainer for the tagged `query` and its `tags`, weighed with
    /// `stats` (the ranking's).
    fn new(
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
    fn explain(
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

#[cfg(test)]
mod tests {
    use crate::search::{KindFilter, Recency, SearchOptions, Session};

    const BRIEFS: [(&str, &str); 3] = [
        (
            "a.txt",
            "Ferry Fares Drop for Winter — Harbor Ledger\nDate: 2026-11-02\n📉 Ferry fares fall 8% from December.\n- Winter ferry fares are 8% lower.\n",
        ),
        (
            "b.txt",
            "Port Strike Ends — Dock News\nDate: 2026-11-20\n⚓ The port strike ended with a pay rise for ferry crews.\n- Dockers won a pay rise.\n",
        ),
        (
            "c.txt",
            "Harbour Notes — Quay Letter\n- Ferry timetables change in winter.\n",
        ),
    ];

    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        crate::test_support::index_of_texts(dir.path(), &BRIEFS);
        let session = Session::open(dir.path()).unwrap();
        (dir, session)
    }

    #[test]
    fn parts_recompose_the_ranked_score() {
        let (_dir, session) = session();
        let recency = Recency {
            half_life_days: 7.0,
            weight: 0.5,
            now: crate::parse::parse_day("2026-11-28").unwrap(),
        };
        let cases = [
            ("ferry fares", KindFilter::Bullet, None),
            ("\"pay rise\" ferry^2", KindFilter::Bullet, None),
            ("fery~1 wint*", KindFilter::Bullet, None),
            ("headline:ferry strike", KindFilter::All, None),
            ("ferry winter", KindFilter::Article, None),
            ("ferry", KindFilter::Bullet, Some(recency)),
        ];
        for (query, kind, recency) in cases {
            let mut options = SearchOptions::new(query);
            options.kind = kind;
            options.recency = recency;
            options.dedup = false;
            let plain = session.search(&options).unwrap();
            options.explain = true;
            let explained = session.search(&options).unwrap();
            assert!(!explained.is_empty(), "{query}");
            assert_eq!(plain.len(), explained.len(), "{query}");
            for (hit, same) in explained.iter().zip(&plain) {
                assert_eq!((&hit.id, hit.score), (&same.id, same.score), "{query}");
                let explain = hit.explain.as_ref().unwrap();
                let sum: f32 = explain.parts.iter().map(|p| p.score).sum();
                assert!(
                    (sum - explain.relevance).abs() < 1e-4,
                    "{query}: {explain:?}"
                );
                for p in &explain.parts {
                    let product = p.bm25 * p.weight * p.boost * p.factor;
                    assert!((product - p.score).abs() < 1e-4, "{query}: {p:?}");
                }
                let factor = explain.recency.as_ref().map_or(1.0, |r| r.factor);
                assert!(
                    (sum * factor - hit.score).abs() < 1e-4,
                    "{query}: {explain:?}"
                );
            }
        }
    }

    #[test]
    fn parts_name_their_field_and_match() {
        let (_dir, session) = session();
        let mut options = SearchOptions::new("fery~1 \"pay rise\" wint*");
        options.explain = true;
        options.dedup = false;
        let hits = session.search(&options).unwrap();
        let parts: Vec<(&str, &str, &str)> = hits
            .iter()
            .flat_map(|h| &h.explain.as_ref().unwrap().parts)
            .map(|p| (p.field, p.matched, p.term.as_str()))
            .collect();
        assert!(parts.contains(&("text", "fuzzy", "ferri")), "{parts:?}");
        assert!(parts.contains(&("text", "phrase", "pay rise")), "{parts:?}");
        assert!(parts.contains(&("text", "prefix", "winter")), "{parts:?}");
        let mut articles = SearchOptions::new("ferry");
        articles.kind = KindFilter::Article;
        articles.explain = true;
        let hit = &session.search(&articles).unwrap()[0];
        let part = &hit.explain.as_ref().unwrap().parts[0];
        assert_eq!((part.field, part.matched), ("combined", "combined"));
    }
}
