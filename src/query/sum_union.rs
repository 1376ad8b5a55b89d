//! A word looked for in a few fields, inside an intersection (`oil AND
//! prices`, `--all`, a filter beside a query). Tantivy's union is built
//! to be read in order: asked to skip ahead, as an intersection asks for
//! each document of its other clause, it clears and refills a buffer of
//! 4,096 documents, and at 200,000 briefs that was most of `oil AND
//! prices`. [`SumUnion`] keeps its few parts side by side instead and skips
//! each one. Scores are the same sums, in the same order.
//!
//! A union alone, or among other `Should` clauses, stays Tantivy's: there it
//! skips blocks of documents that cannot reach the top (block-max WAND).

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use crate::query::flat::disjuncts;

/// Documents matching any of `parts`, scored by the sum of those that
/// match: a pure disjunction, made to be skipped through.
#[derive(Debug)]
pub struct SumUnion {
    parts: Vec<Box<dyn Query>>,
}

impl Clone for SumUnion {
    fn clone(&self) -> Self {
        SumUnion {
            parts: self.parts.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

/// `query` as a clause of an intersection: a pure disjunction becomes a
/// [`SumUnion`] of its parts; anything else stays as it is.
pub fn for_intersection(query: Box<dyn Query>) -> Box<dyn Query> {
    match disjuncts(&*query) {
        Some(parts) if parts.len() > 1 => Box::new(SumUnion { parts }),
        _ => query,
    }
}

impl Query for SumUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .parts
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SumUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.parts {
            part.query_terms(visitor);
        }
    }
}

struct SumUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SumUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = self
            .weights
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        scorers.retain(|s| s.doc() != TERMINATED);
        if scorers.len() == 1 {
            return Ok(scorers.remove(0));
        }
        let docs: Vec<DocId> = scorers.iter().map(|s| s.doc()).collect();
        let doc = first_doc(&docs);
        Ok(Box::new(SumUnionScorer { scorers, docs, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of", scorer.score());
        for weight in &self.weights {
            if let Ok(part) = weight.explain(reader, doc) {
                explanation.add_detail(part);
            }
        }
        Ok(explanation)
    }
}

/// The parts' scorers, each on its own next document (kept in `docs`, so
/// that finding the least asks no scorer); `doc` the least.
struct SumUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    doc: DocId,
}

fn first_doc(docs: &[DocId]) -> DocId {
    docs.iter().copied().min().unwrap_or(TERMINATED)
}

impl DocSet for SumUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc == self.doc {
                *doc = scorer.advance();
            }
        }
        self.doc = first_doc(&self.docs);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc < target {
                *doc = scorer.seek(target);
            }
        }
        self.doc = first_doc(&self.docs);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for SumUnionScorer {
    fn score(&mut self) -> Score {
        let mut sum = 0.0;
        for (scorer, doc) in self.scorers.iter_mut().zip(&self.docs) {
            if *doc == self.doc {
                sum += scorer.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, doc};

    use super::*;

    /// The same documents and scores as Tantivy's union, inside an
    /// intersection and alone.
    #[test]
    fn sums_as_tantivys_union_does() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", TEXT);
        let b = schema.add_text_field("b", TEXT);
        let tag = schema.add_text_field("tag", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..3000u32 {
            let words = |n: u32| {
                if i % n == 0 {
                    "oil prices"
                } else {
                    "other words"
                }
            };
            writer
                .add_document(doc!(a => words(3), b => words(7), tag => if i % 2 == 0 { "even" } else { "odd" }))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let union = || -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, term(a, "oil")),
                (Occur::Should, term(b, "oil")),
            ]))
        };
        let even = || term(tag, "even");
        let run = |query: &dyn Query| {
            let mut top = searcher
                .search(query, &TopDocs::with_limit(5000).order_by_score())
                .unwrap();
            top.sort_by_key(|(_, address)| address.doc_id);
            top
        };
        let theirs = BooleanQuery::new(vec![(Occur::Must, union()), (Occur::Must, even())]);
        let ours = BooleanQuery::new(vec![
            (Occur::Must, for_intersection(union())),
            (Occur::Must, even()),
        ]);
        let expected = run(&theirs);
        assert!(expected.len() > 500, "{}", expected.len());
        assert_eq!(run(&ours), expected);
        assert_eq!(run(&*for_intersection(union())), run(&*union()));
    }
}
