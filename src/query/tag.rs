//! Tags on the scoring leaves of a compiled query, for `--explain`: each
//! term, phrase or BM25F word is wrapped in a [`Tagged`] query. Its scorer
//! is the leaf's own, made with the boost the tree above hands it (the
//! product of field weight, `^N` and fuzzy factor), and it records what it
//! scores in the compiler's [`Scores`] log, so a hit's score can be split
//! into the real numbers it was summed from. A query is only tagged when
//! explanations are asked for; the ranking itself runs the untagged query.
//! (Tantivy's own `Weight::explain` is not used: on nested boolean queries
//! whose parts do not all match the document, it trips a debug assertion.)

use std::sync::{Arc, Mutex, PoisonError};

use tantivy::query::{EnableScoring, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term};

use crate::index::Fields;

/// How a leaf matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// A word as typed (analysed).
    Word,
    /// A phrase (also the parts of `GPT-4` in order).
    Phrase,
    /// One index word a `word*` expanded to.
    Prefix,
    /// One index word a `word~N` expanded to.
    Fuzzy,
    /// A word scored over an article's fields as one (BM25F).
    Combined,
}

impl Match {
    /// The name written in `--explain` output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Match::Word => "word",
            Match::Phrase => "phrase",
            Match::Prefix => "prefix",
            Match::Fuzzy => "fuzzy",
            Match::Combined => "combined",
        }
    }
}

/// What one tagged leaf is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tag {
    /// The field's name (`text`, `context`, …; `combined` for BM25F).
    pub(crate) field: &'static str,
    pub(crate) matched: Match,
    /// The analysed word, or a phrase's words separated by spaces.
    pub(crate) term: String,
    /// The field's weight (1 for BM25F, whose weights are inside its BM25).
    pub(crate) weight: f32,
    /// The fuzzy factor: 0.3 × the blended-frequency ratio; 1 otherwise.
    pub(crate) factor: f32,
}

/// One score a tagged leaf gave: its tag's index, the document, the score
/// and the boost it was scored with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub(crate) tag: usize,
    pub(crate) doc: DocId,
    pub(crate) score: Score,
    pub(crate) boost: Score,
}

/// What the tagged leaves of one query scored, shared by their scorers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scores(Arc<Mutex<Vec<Scored>>>);

impl Scores {
    fn push(&self, scored: Scored) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(scored);
    }

    /// Takes what was recorded so far, leaving the log empty.
    pub(crate) fn take(&self) -> Vec<Scored> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A leaf of a compiled query, tagged.
#[derive(Debug, Clone)]
pub(crate) struct Tagged {
    query: Arc<dyn Query>,
    id: usize,
    scores: Scores,
}

impl Tagged {
    pub(crate) fn new(query: Box<dyn Query>, id: usize, scores: Scores) -> Tagged {
        Tagged {
            query: Arc::from(query),
            id,
            scores,
        }
    }
}

impl Query for Tagged {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(TaggedWeight {
            inner: self.query.weight(scoring)?,
            id: self.id,
            scores: self.scores.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct TaggedWeight {
    inner: Box<dyn Weight>,
    id: usize,
    scores: Scores,
}

impl Weight for TaggedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(TaggedScorer {
            inner: self.inner.scorer(reader, boost)?,
            id: self.id,
            boost,
            scores: self.scores.clone(),
        }))
    }

    fn explain(
        &self,
        reader: &SegmentReader,
        doc: DocId,
    ) -> tantivy::Result<tantivy::query::Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

/// The leaf's scorer, recording each score it gives.
struct TaggedScorer {
    inner: Box<dyn Scorer>,
    id: usize,
    boost: Score,
    scores: Scores,
}

impl DocSet for TaggedScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        self.inner.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for TaggedScorer {
    fn score(&mut self) -> Score {
        let score = self.inner.score();
        self.scores.push(Scored {
            tag: self.id,
            doc: self.inner.doc(),
            score,
            boost: self.boost,
        });
        score
    }
}

/// The name of a searchable field, as `--explain` writes it.
pub(crate) fn field_name(fields: &Fields, field: Field) -> &'static str {
    [
        (fields.text, "text"),
        (fields.context, "context"),
        (fields.headline, "headline"),
        (fields.points, "points"),
        (fields.summaries, "summaries"),
        (fields.body, "body"),
        (fields.source, "source"),
    ]
    .into_iter()
    .find(|(f, _)| *f == field)
    .map_or("other", |(_, name)| name)
}
