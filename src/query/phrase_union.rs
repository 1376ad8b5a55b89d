//! A phrase looked for in a few fields (a bullet's text and its headline),
//! ranked for the top hits without checking every document for it.
//! Tantivy scores a phrase by reading the positions of its words in every
//! document holding them all, then counting where they line up; no block
//! of documents is skipped. But a phrase cannot match more often in a
//! document than its rarest word occurs there, so BM25 of that frequency
//! bounds the document's score. [`PhraseUnion`] walks the intersection of
//! the words of each field's phrase, sums those bounds, and reads
//! positions only where the sum could beat the lowest of the hits kept
//! so far.
//!
//! Scores are Tantivy's to the bit (the same BM25 weight, the same count
//! of matches, summed in the same order), and a document is skipped only
//! where its score could not have passed the collector's threshold, so
//! the top is the one Tantivy would rank. Anything else asked of the query
//! (a scorer, a count, an explanation) is Tantivy's own, unchanged.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use crate::query::flat::Boosted;
use crate::query::phrase::Phrase;

/// Phrases (each of one field, with its boost) any of which may match,
/// scored by the sum of those that do: `query` as it was built.
#[derive(Debug)]
pub struct PhraseUnion {
    clauses: Vec<(Phrase, Score)>,
    query: Box<dyn Query>,
}

impl Clone for PhraseUnion {
    fn clone(&self) -> Self {
        PhraseUnion {
            clauses: self.clauses.clone(),
            query: self.query.box_clone(),
        }
    }
}

/// `query` as a [`PhraseUnion`] when it is an exact phrase (boosted or
/// not) or a disjunction of such: what an unscoped `"central bank"` is.
pub(crate) fn phrase_union(query: &dyn Query) -> Option<PhraseUnion> {
    let clauses = match query.downcast_ref::<BooleanQuery>() {
        Some(boolean) => {
            let clauses = boolean.clauses();
            if clauses.is_empty() || clauses.iter().any(|(occur, _)| *occur != Occur::Should) {
                return None;
            }
            clauses
                .iter()
                .map(|(_, q)| exact_phrase(&**q))
                .collect::<Option<Vec<_>>>()?
        }
        None => vec![exact_phrase(query)?],
    };
    Some(PhraseUnion {
        clauses,
        query: query.box_clone(),
    })
}

/// The phrase of `query` with its boost, when it is a phrase without slop.
fn exact_phrase(query: &dyn Query) -> Option<(Phrase, Score)> {
    let (query, boost) = match query.downcast_ref::<Boosted>() {
        Some(boosted) => boosted.parts(),
        None => (query, 1.0),
    };
    let phrase = query.downcast_ref::<Phrase>()?;
    (phrase.slop() == 0).then(|| (phrase.clone(), boost))
}

impl PhraseUnion {
    /// Its weight, which ranks by bounds ([`PhraseUnionWeight::for_each_pruning_in`]);
    /// `None` when scores are not wanted.
    pub(crate) fn pruning_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<Option<PhraseUnionWeight>> {
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = enable_scoring
        else {
            return Ok(None);
        };
        let mut clauses = Vec::with_capacity(self.clauses.len());
        for (phrase, boost) in &self.clauses {
            // As a boosted phrase's scorer weighs it: Tantivy's phrase weight
            // boosted by what the boost weight hands down.
            let bm25 = Bm25Weight::for_terms(statistics_provider, &phrase.phrase_terms())?
                .boost_by(*boost);
            clauses.push(ClauseWeight {
                terms: phrase.terms().to_vec(),
                bm25,
            });
        }
        Ok(Some(PhraseUnionWeight {
            query: self.query.weight(enable_scoring)?,
            clauses,
        }))
    }
}

impl Query for PhraseUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(match self.pruning_weight(enable_scoring)? {
            Some(weight) => Box::new(weight),
            None => self.query.weight(enable_scoring)?,
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// One field's phrase, weighed.
struct ClauseWeight {
    terms: Vec<(usize, Term)>,
    bm25: Bm25Weight,
}

/// A [`PhraseUnion`]'s weight: Tantivy's for everything but ranking.
pub(crate) struct PhraseUnionWeight {
    /// Tantivy's weight for the query as built.
    query: Box<dyn Weight>,
    clauses: Vec<ClauseWeight>,
}

impl PhraseUnionWeight {
    /// Calls `callback` with each document of `docs` (a range of doc ids of
    /// `reader`'s segment) whose score beats `threshold`, as
    /// [`Weight::for_each_pruning`] does over the whole segment; the
    /// callback returns the new threshold. Documents are skipped only where
    /// bounds on their scores show they could not beat it.
    pub(crate) fn for_each_pruning_in(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        docs: std::ops::Range<DocId>,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        // In the clauses' order, which is the order their scores are summed in.
        let mut cursors = Vec::with_capacity(self.clauses.len());
        for clause in &self.clauses {
            if let Some(cursor) = Cursor::open(clause, reader, docs.start)? {
                cursors.push(cursor);
            }
        }
        loop {
            let doc = cursors.iter().map(|c| c.doc).min().unwrap_or(TERMINATED);
            if doc >= docs.end {
                return Ok(());
            }
            let mut bound: Score = 0.0;
            for cursor in cursors.iter_mut().filter(|c| c.doc == doc) {
                bound += cursor.bound();
            }
            if bound > threshold {
                let mut score: Score = 0.0;
                let mut matched = false;
                for cursor in cursors.iter_mut().filter(|c| c.doc == doc) {
                    if let Some(part) = cursor.score() {
                        score += part;
                        matched = true;
                    }
                }
                if matched && score > threshold {
                    threshold = callback(doc, score);
                }
            }
            for cursor in cursors.iter_mut().filter(|c| c.doc == doc) {
                cursor.advance();
            }
        }
    }
}

impl Weight for PhraseUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.query.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.query.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.query.count(reader)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.for_each_pruning_in(threshold, reader, 0..TERMINATED, callback)
    }
}

/// One field's phrase in one segment: its words' postings, on the next
/// document holding them all.
struct Cursor<'w> {
    /// Rarest word first: it leads the intersection.
    postings: Vec<SegmentPostings>,
    /// What each word's positions are shifted by so that a match lines up
    /// at one position (as Tantivy's phrase scorer shifts them).
    shifts: Vec<u32>,
    bm25: &'w Bm25Weight,
    fieldnorms: FieldNormReader,
    /// The document holding every word, or `TERMINATED`.
    doc: DocId,
    /// `doc`'s length, read by [`Cursor::bound`].
    fieldnorm_id: u8,
    matches: Vec<u32>,
    positions: Vec<u32>,
}

impl<'w> Cursor<'w> {
    /// On the first document from `start` on holding every word; `None`
    /// when a word of the phrase is not in the segment.
    fn open(
        clause: &'w ClauseWeight,
        reader: &SegmentReader,
        start: DocId,
    ) -> tantivy::Result<Option<Cursor<'w>>> {
        let Some(field) = clause.terms.first().map(|(_, t)| t.field()) else {
            return Ok(None);
        };
        let last = clause.terms.iter().map(|(o, _)| *o).max().unwrap_or(0);
        let index = reader.inverted_index(field)?;
        let mut words = Vec::with_capacity(clause.terms.len());
        for (offset, term) in &clause.terms {
            let Some(postings) =
                index.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
            else {
                return Ok(None);
            };
            let shift = u32::try_from(last - offset).unwrap_or(u32::MAX);
            words.push((postings, shift));
        }
        words.sort_by_key(|(postings, _)| postings.doc_freq());
        let (postings, shifts) = words.into_iter().unzip();
        let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
            Some(fieldnorms) => fieldnorms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut cursor = Cursor {
            postings,
            shifts,
            bm25: &clause.bm25,
            fieldnorms,
            doc: TERMINATED,
            fieldnorm_id: 0,
            matches: Vec::new(),
            positions: Vec::new(),
        };
        cursor.doc = cursor.align(start);
        Ok(Some(cursor))
    }

    /// The first document from `target` on holding every word.
    fn align(&mut self, mut target: DocId) -> DocId {
        'candidates: while target != TERMINATED {
            for postings in &mut self.postings {
                let doc = if postings.doc() < target {
                    postings.seek(target)
                } else {
                    postings.doc()
                };
                if doc > target {
                    target = doc;
                    continue 'candidates;
                }
            }
            return target;
        }
        TERMINATED
    }

    fn advance(&mut self) {
        let next = self
            .postings
            .first_mut()
            .map_or(TERMINATED, |p| p.advance());
        self.doc = self.align(next);
    }

    /// The most the phrase could score in `doc`: as often as its rarest
    /// word occurs there.
    fn bound(&mut self) -> Score {
        let least = self
            .postings
            .iter()
            .map(|p| p.term_freq())
            .min()
            .unwrap_or(0);
        self.fieldnorm_id = self.fieldnorms.fieldnorm_id(self.doc);
        self.bm25.score(self.fieldnorm_id, least)
    }

    /// The phrase's score in `doc`, `None` where its words do not line up
    /// (call [`Cursor::bound`] first).
    fn score(&mut self) -> Option<Score> {
        let (first, rest) = self.postings.split_first_mut()?;
        first.positions_with_offset(self.shifts[0], &mut self.matches);
        for (postings, &shift) in rest.iter_mut().zip(&self.shifts[1..]) {
            if self.matches.is_empty() {
                return None;
            }
            postings.positions_with_offset(shift, &mut self.positions);
            keep_common(&mut self.matches, &self.positions);
        }
        let count = u32::try_from(self.matches.len()).unwrap_or(u32::MAX);
        (count > 0).then(|| self.bm25.score(self.fieldnorm_id, count))
    }
}

/// Keeps in `left` the values also in `right` (both ascending).
fn keep_common(left: &mut Vec<u32>, right: &[u32]) {
    let mut kept = 0;
    let mut r = 0;
    for i in 0..left.len() {
        let value = left[i];
        while r < right.len() && right[r] < value {
            r += 1;
        }
        if r == right.len() {
            break;
        }
        if right[r] == value {
            left[kept] = value;
            kept += 1;
            r += 1;
        }
    }
    left.truncate(kept);
}

#[cfg(test)]
#[path = "phrase_union_tests.rs"]
mod tests;
