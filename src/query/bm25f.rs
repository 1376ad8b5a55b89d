//! One word scored over several fields as if they were one field (BM25F, in
//! the form of Lucene's `CombinedFieldQuery`): the word's frequency is the
//! weighted sum of its frequencies in each field, the document's length the
//! weighted sum of the fields' lengths, and its rarity is counted over the
//! documents holding it in any field. BM25 then saturates the frequency once, so a word in
//! both a headline and a body counts for less than twice a word in one, and
//! a rare word's weight does not depend on which field it turned up in.
//! It beat a sum of per-field BM25 scores on CheckThat train
//! (tests/relevance/RESULTS.md).

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Tantivy's BM25 constants, which its per-field scores use too.
const K1: Score = 1.2;
const B: Score = 0.75;

/// A word looked for in several fields, scored as one field.
#[derive(Clone)]
pub struct CombinedTermQuery {
    /// The word in each field, with the field's weight.
    terms: Vec<(Term, Score)>,
}

impl fmt::Debug for CombinedTermQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.terms.iter().map(|(t, w)| (t.field(), w)))
            .finish()
    }
}

impl CombinedTermQuery {
    /// `word` in each of `fields` (field, weight); the weights must be positive.
    pub fn new(fields: &[(Field, Score)], word: &str) -> CombinedTermQuery {
        CombinedTermQuery {
            terms: fields
                .iter()
                .map(|&(field, weight)| (Term::from_field_text(field, word), weight))
                .collect(),
        }
    }
}

impl Query for CombinedTermQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let EnableScoring::Enabled {
            statistics_provider: stats,
            searcher,
        } = scoring
        else {
            // Only matching is wanted: every weight will do.
            return Ok(Box::new(CombinedWeight {
                terms: self.terms.clone(),
                idf: 0.0,
                average_length: 1.0,
            }));
        };
        let docs = stats.total_num_docs()?.max(1);
        let mut tokens = 0.0;
        for (term, weight) in &self.terms {
            tokens += f64::from(*weight) * stats.total_num_tokens(term.field())? as f64;
        }
        // The documents holding the word in any field: what one field holding
        // them all would count (the largest field count alone scored lower
        // on CheckThat train: tests/relevance/RESULTS.md).
        let doc_freq = union_doc_freq(searcher, &self.terms)?.min(docs);
        let idf = (1.0 + ((docs - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5)).ln();
        Ok(Box::new(CombinedWeight {
            terms: self.terms.clone(),
            idf,
            average_length: ((tokens / docs as f64) as Score).max(f32::EPSILON),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

/// How many documents hold any of `terms`.
fn union_doc_freq(searcher: &tantivy::Searcher, terms: &[(Term, Score)]) -> tantivy::Result<u64> {
    let mut total = 0;
    for reader in searcher.segment_readers() {
        let mut docs: Vec<DocId> = Vec::new();
        for (term, _) in terms {
            if let Some(mut p) = reader
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::Basic)?
            {
                while p.doc() != TERMINATED {
                    if reader
                        .alive_bitset()
                        .is_none_or(|alive| alive.is_alive(p.doc()))
                    {
                        docs.push(p.doc());
                    }
                    p.advance();
                }
            }
        }
        docs.sort_unstable();
        docs.dedup();
        total += docs.len() as u64;
    }
    Ok(total)
}

struct CombinedWeight {
    terms: Vec<(Term, Score)>,
    idf: Score,
    average_length: Score,
}

impl CombinedWeight {
    fn combined_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<CombinedScorer> {
        let mut postings = Vec::new();
        let mut lengths = Vec::new();
        for (term, weight) in &self.terms {
            let field = term.field();
            if let Some(p) = reader
                .inverted_index(field)?
                .read_postings(term, IndexRecordOption::WithFreqs)?
            {
                postings.push((p, *weight));
            }
            if let Ok(norms) = reader.get_fieldnorms_reader(field) {
                lengths.push((norms, *weight));
            }
        }
        let doc = postings
            .iter()
            .map(|(p, _)| p.doc())
            .min()
            .unwrap_or(TERMINATED);
        Ok(CombinedScorer {
            postings,
            lengths,
            doc,
            factor: boost * self.idf * (1.0 + K1),
            average_length: self.average_length,
        })
    }
}

impl Weight for CombinedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.combined_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.combined_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("BM25 over combined fields", scorer.score());
        explanation.add_const("idf", self.idf);
        explanation.add_const("average combined length", self.average_length);
        Ok(explanation)
    }
}

/// The documents holding the word in any field, in order.
struct CombinedScorer {
    postings: Vec<(SegmentPostings, Score)>,
    lengths: Vec<(FieldNormReader, Score)>,
    doc: DocId,
    /// Boost × idf × (k1 + 1).
    factor: Score,
    average_length: Score,
}

impl CombinedScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self
            .postings
            .iter()
            .map(|(p, _)| p.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for CombinedScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for (p, _) in &mut self.postings {
            if p.doc() == current {
                p.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for (p, _) in &mut self.postings {
            if p.doc() < target {
                p.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings.iter().map(|(p, _)| p.size_hint()).sum()
    }
}

impl Scorer for CombinedScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let frequency: Score = self
            .postings
            .iter()
            .filter(|(p, _)| p.doc() == doc)
            .map(|(p, w)| w * p.term_freq() as Score)
            .sum();
        let length: Score = self
            .lengths
            .iter()
            .map(|(norms, w)| w * norms.fieldnorm(doc) as Score)
            .sum();
        let norm = K1 * (1.0 - B + B * length / self.average_length);
        self.factor * frequency / (frequency + norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{STORED, Schema, TEXT, Value};
    use tantivy::{Index, TantivyDocument, doc};

    /// Scores of `word` over title and body, by each document's `id`.
    fn scores(docs: &[(&str, &str, &str)], word: &str) -> Vec<(String, Score)> {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STORED);
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer(15_000_000).unwrap();
        for (i, t, b) in docs {
            writer
                .add_document(doc!(id => *i, title => *t, body => *b))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = CombinedTermQuery::new(&[(title, 1.0), (body, 1.0)], word);
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let mut out: Vec<(String, Score)> = top
            .into_iter()
            .map(|(score, address)| {
                let d: TantivyDocument = searcher.doc(address).unwrap();
                let name = d
                    .get_first(id)
                    .and_then(|v| v.as_str())
                    .unwrap()
                    .to_string();
                (name, score)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn fields_count_as_one() {
        let found = scores(
            &[
                ("a", "ferry fares", "ferry strike"),
                ("b", "port fares", "ferry ferry"),
                ("c", "ferry news", "port strike"),
                ("d", "rail news", "rail strike"),
            ],
            "ferry",
        );
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        // Twice the word in four words, wherever it is: the same score.
        assert!((found[0].1 - found[1].1).abs() < 1e-6, "{found:?}");
        // Once: less, but more than half (BM25 saturates).
        assert!(found[2].1 < found[0].1 && 2.0 * found[2].1 > found[0].1);
    }
}
