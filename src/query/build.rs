//! Turning a parsed query ([`Node`]) into a Tantivy query over our schema.
//!
//! Each word or phrase is looked for in several fields at once, each with
//! its weight (`fields`). With only articles ranked, an unscoped word is
//! scored over the article's fields as one field (BM25F, `bm25f`);
//! elsewhere each field's BM25 score is weighted and summed.
//!
//! Words go through the same analyser as the text (so `Cafés` finds `cafe`).
//! `word~N` also looks for the index's words within N edits and the stems
//! of the spellings one edit away (`expand`), each scored by BM25 at a
//! blended frequency times [`FUZZY_WEIGHT`], so an exact match ranks above a
//! fuzzy one; `word*` looks for the index's words starting with the
//! (unstemmed) prefix, each scored by BM25 at a blended frequency, and a
//! word beside it also matches their compound (`compound`: `euro* zone`
//! finds `eurozone`).
//!
//! Clauses that analyse to nothing (stop words, punctuation, markers) are
//! dropped first (`prune`): a required `the` requires nothing, and a query
//! of nothing else is an error ([`CompileError::NothingToSearch`]).
//! Identical clauses are merged first (`collapse`); each expansion is made
//! once per field and word, and the words expansions add to the query are
//! counted against [`MAX_EXPANDED_TERMS`] (`budget`).

use std::collections::HashMap;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur as TantivyOccur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use tantivy::{Searcher, Term};

use crate::brief::DocKind;
use crate::index::Fields;
use crate::query::bm25f::CombinedTermQuery;
use crate::query::budget::MAX_EXPANDED_TERMS;
use crate::query::collapse::collapse;
use crate::query::compound::add_compounds;
use crate::query::expand::{MAX_EXPANSIONS, fuzzy_terms, prefix_terms, stemmed_variants};
use crate::query::fields::{Weights, targets};
use crate::query::flat::{any_of, boost_by};
use crate::query::parse::{Node, Occur, Scope};
use crate::query::phrase::Phrase;
use crate::query::prune::prune;
use crate::query::sum_union::for_intersection;
use crate::query::tag::{Match, Scores, Tag, Tagged, field_name};
use crate::text::{
    Capitals, analyse, analyse_parts, is_capital_stop_word, is_shouted, news_analyzer_with,
    prefix_analyzer,
};

/// A query built for part of a tree: `None` when none of its words survive
/// analysis; an error when the index cannot be read or the query's
/// expansions go over the budget.
type Built = Result<Option<Box<dyn Query>>, CompileError>;

/// Why a query could not be built.
#[derive(Debug)]
pub enum CompileError {
    /// The index could not be read for expansions or frequencies.
    Index(tantivy::TantivyError),
    /// The query's `word*` and `word~N` expand to more than
    /// [`MAX_EXPANDED_TERMS`] index words.
    TooBroad {
        /// The bound.
        limit: usize,
    },
    /// Every word and phrase of the query analyses to nothing: stop words,
    /// punctuation and markers only (or only exclusions are left).
    NothingToSearch,
}

impl From<tantivy::TantivyError> for CompileError {
    fn from(error: tantivy::TantivyError) -> CompileError {
        CompileError::Index(error)
    }
}

/// Most parts a hyphenated or dotted word may have to be scored part by part.
const MAX_SPLIT_PARTS: usize = 3;

/// What a fuzzy match is worth, as a fraction of an exact one.
pub const FUZZY_WEIGHT: f32 = 0.3;

/// Compiles queries; holds the analysers so they are built once.
pub struct Compiler<'a> {
    fields: &'a Fields,
    kinds: &'a [DocKind],
    weights: Weights,
    searcher: &'a Searcher,
    /// The word analyser for a query not written wholly in capitals: its
    /// acronyms in capitals (`IT`) are words.
    words_kept: TextAnalyzer,
    /// The word analyser for a query wholly in capitals (`THE` a stop word).
    words_dropped: TextAnalyzer,
    /// Which of the two the query being compiled uses.
    shouted: bool,
    prefixes: TextAnalyzer,
    /// Stems of the spellings one edit from a typed word, per word: a
    /// fuzzy word is looked for in several fields, stemmed once.
    variants: HashMap<String, Vec<String>>,
    /// What each `word*` expanded to, per field and analysed prefix.
    prefix_words: HashMap<(Field, String), Vec<String>>,
    /// What each `word~N` expanded to, per field, word as typed and distance.
    fuzzy_words: HashMap<(Field, String, u8), Vec<String>>,
    /// Index words added by expansions so far (each use counts).
    expanded_terms: usize,
    /// The scoring leaves built, when tagging them for `--explain`, and
    /// the log their scorers write to.
    tags: Option<(Vec<Tag>, Scores)>,
    /// The weight of the field the leaves being built are looked for in.
    field_weight: f32,
}

impl<'a> Compiler<'a> {
    /// A compiler for the schema's fields, looking only in the fields of
    /// documents of `kinds`; `searcher`'s words are used to expand prefixes
    /// and fuzzy words.
    pub fn new(
        fields: &'a Fields,
        searcher: &'a Searcher,
        weights: Weights,
        kinds: &'a [DocKind],
    ) -> Compiler<'a> {
        Compiler {
            fields,
            kinds,
            weights,
            searcher,
            words_kept: news_analyzer_with(Capitals::Kept),
            words_dropped: news_analyzer_with(Capitals::Dropped),
            shouted: false,
            prefixes: prefix_analyzer(),
            variants: HashMap::new(),
            prefix_words: HashMap::new(),
            fuzzy_words: HashMap::new(),
            expanded_terms: 0,
            tags: None,
            field_weight: 1.0,
        }
    }

    /// The same compiler, wrapping each scoring leaf in a [`Tagged`] query
    /// that names it in Tantivy's explanations (see [`Compiler::tags`]).
    /// Scores do not change; only `--explain` uses it.
    pub fn explaining(mut self) -> Compiler<'a> {
        self.tags = Some((Vec::new(), Scores::default()));
        self
    }

    /// The tags of the leaves compiled so far, by the index a [`Tagged`]
    /// leaf names, and the log of what they score (`None` unless
    /// [`Compiler::explaining`]).
    pub fn tags(&self) -> Option<(Vec<Tag>, Scores)> {
        self.tags.clone()
    }

    /// `query`, a scoring leaf in `field`, tagged when explaining.
    fn tag(
        &mut self,
        query: Box<dyn Query>,
        field: &'static str,
        matched: Match,
        term: &str,
        factor: f32,
    ) -> Box<dyn Query> {
        let weight = self.field_weight;
        match &mut self.tags {
            None => query,
            Some((tags, scores)) => {
                tags.push(Tag {
                    field,
                    matched,
                    term: term.to_string(),
                    weight,
                    factor,
                });
                Box::new(Tagged::new(query, tags.len() - 1, scores.clone()))
            }
        }
    }

    /// A term query for `word` in `field`, tagged as `matched`.
    fn term(&mut self, field: Field, word: &str, matched: Match, factor: f32) -> Box<dyn Query> {
        let name = field_name(self.fields, field);
        self.tag(term_query(field, word), name, matched, word, factor)
    }

    /// [`positional_query`], tagged as a word or a phrase.
    fn positional(
        &mut self,
        field: Field,
        tokens: &[(usize, String)],
        slop: u32,
    ) -> Option<Box<dyn Query>> {
        let query = positional_query(field, tokens, slop)?;
        if self.tags.is_none() {
            return Some(query);
        }
        let words: Vec<String> = dedup_positions(tokens)
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        let matched = if words.len() == 1 {
            Match::Word
        } else {
            Match::Phrase
        };
        let name = field_name(self.fields, field);
        Some(self.tag(query, name, matched, &words.join(" "), 1.0))
    }

    /// The Tantivy query for `node`, its clauses that analyse to nothing
    /// dropped and identical ones merged. Fails when nothing is left to look
    /// for, when the index cannot be read for expansions or frequencies, or
    /// when its expansions are too many.
    pub fn compile(&mut self, node: &Node) -> Result<Box<dyn Query>, CompileError> {
        self.expanded_terms = 0;
        let mut written = String::new();
        leaf_texts(node, &mut written);
        self.shouted = is_shouted(&written);
        let node = prune(node.clone(), &mut |leaf| self.analyses_to_nothing(leaf))
            .ok_or(CompileError::NothingToSearch)?;
        let node = add_compounds(collapse(node));
        Ok(self.node(&node)?.unwrap_or_else(|| Box::new(EmptyQuery)))
    }

    /// The analyser for the query's words: a query not written wholly in
    /// capitals keeps its acronyms in capitals (`IT spending`), one wholly
    /// in capitals drops them as stop words.
    fn words(&mut self) -> &mut TextAnalyzer {
        if self.shouted {
            &mut self.words_dropped
        } else {
            &mut self.words_kept
        }
    }

    /// True for a word or phrase with no word left once analysed.
    fn analyses_to_nothing(&mut self, leaf: &Node) -> bool {
        match leaf {
            Node::Word {
                text, prefix: true, ..
            } => analyse(&mut self.prefixes, text).is_empty(),
            // `THE` in capitals in a mixed-case query is kept as an acronym;
            // where no text of the index writes it so, it is the stop word
            // it looks like (`bank AND THE` is `bank`).
            Node::Word { text, .. } if is_capital_stop_word(text) => {
                let tokens = analyse(self.words(), text);
                let fields = self.fields;
                let searchable = [
                    fields.text,
                    fields.context,
                    fields.headline,
                    fields.points,
                    fields.summaries,
                    fields.body,
                ];
                !tokens.iter().any(|(_, word)| {
                    searchable.iter().any(|&field| {
                        let term = Term::from_field_text(field, word);
                        // A term dictionary that cannot be read fails the
                        // search itself when the query runs.
                        self.searcher.doc_freq(&term).is_ok_and(|n| n > 0)
                    })
                })
            }
            Node::Word { text, .. } | Node::Phrase { text, .. } => {
                analyse(self.words(), text).is_empty()
            }
            Node::Bool(_) => false,
        }
    }

    /// Counts `words` more index words added by an expansion.
    fn spend(&mut self, words: usize) -> Result<(), CompileError> {
        self.expanded_terms += words;
        if self.expanded_terms > MAX_EXPANDED_TERMS {
            return Err(CompileError::TooBroad {
                limit: MAX_EXPANDED_TERMS,
            });
        }
        Ok(())
    }

    fn node(&mut self, node: &Node) -> Built {
        if let Node::Word {
            scope: None,
            text,
            prefix: false,
            fuzzy: None,
            boost,
        } = node
        {
            // A bullet's headline is its brief's, not its own text: bullets
            // keep a score per field (BM25F lost on SciFact's bullets; see
            // tests/relevance/RESULTS.md).
            let articles_only = self.kinds.iter().all(|k| *k == DocKind::Article);
            if self.weights.combined
                && articles_only
                && let Some(query) = self.combined_word(text)?
            {
                return Ok(Some(boost_by(query, *boost)));
            }
        }
        match node {
            Node::Bool(clauses) => self.boolean(clauses),
            Node::Word {
                scope,
                text,
                prefix,
                fuzzy,
                boost,
            } => self.in_each_field(*scope, *boost, |this, field| {
                if *prefix {
                    this.prefix_query(field, text)
                } else {
                    this.word_query(field, text, *fuzzy)
                }
            }),
            Node::Phrase {
                scope,
                text,
                slop,
                boost,
            } => self.in_each_field(*scope, *boost, |this, field| {
                this.phrase_query(field, text, *slop)
            }),
        }
    }

    /// The query `one_field` builds, in every field of the scope, each
    /// weighted and limited to its kind, any of them matching.
    fn in_each_field(
        &mut self,
        scope: Option<Scope>,
        boost: f32,
        mut one_field: impl FnMut(&mut Self, Field) -> Built,
    ) -> Built {
        let mut per_field = Vec::new();
        for target in targets(self.fields, scope, &self.weights, self.kinds) {
            self.field_weight = target.weight;
            let built = one_field(self, target.field);
            self.field_weight = 1.0;
            if let Some(query) = built? {
                per_field.push(restrict(
                    self.fields,
                    boost_by(query, target.weight * boost),
                    target.kind,
                ));
            }
        }
        Ok(any_of(per_field))
    }

    fn boolean(&mut self, clauses: &[(Occur, Node)]) -> Built {
        let mut compiled: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        for (occur, child) in clauses {
            match (self.node(child)?, occur) {
                (Some(query), _) => compiled.push((to_tantivy(*occur), query)),
                // A required word that cannot match makes the whole clause unmatchable.
                (None, Occur::Must) => return Ok(Some(Box::new(EmptyQuery))),
                (None, _) => {}
            }
        }
        if compiled.iter().all(|(o, _)| *o == TantivyOccur::MustNot) {
            return Ok(None);
        }
        // Beside a required clause, every clause is skipped through.
        if compiled.iter().any(|(o, _)| *o == TantivyOccur::Must) {
            compiled = compiled
                .into_iter()
                .map(|(o, q)| (o, for_intersection(q)))
                .collect();
        }
        Ok(Some(Box::new(BooleanQuery::new(compiled))))
    }

    /// One word in one field: a term (or, for `GPT-4`, its joined form,
    /// all of its parts, and their phrase; for `IL.10`, each of its parts
    /// and their phrase); with `~N`, also the index's words within N edits.
    fn word_query(&mut self, field: Field, text: &str, fuzzy: Option<u8>) -> Built {
        let (tokens, joined) = analyse_parts(self.words(), text);
        let parts = dedup_positions(&tokens);
        if !joined.is_empty() {
            // `GPT-4`: the joined form (also `GPT4` as written), or every
            // part (`GPT 4`), the phrase counting once more; a part alone
            // is not `GPT-4` (the `4` of `won 4-6`).
            let mut clauses: Vec<Box<dyn Query>> = Vec::with_capacity(joined.len() + 2);
            for word in &joined {
                clauses.push(self.term(field, word, Match::Word, 1.0));
            }
            let mut every_part = Vec::with_capacity(parts.len());
            for (_, word) in &parts {
                every_part.push(self.term(field, word, Match::Word, 1.0));
            }
            clauses.extend(all_of(every_part));
            clauses.extend(self.positional(field, &tokens, 0));
            return Ok(any_of(clauses));
        }
        if (2..=MAX_SPLIT_PARTS).contains(&parts.len()) {
            // `IL.10`, `U.S`: each part counts on its own, and the parts
            // in order count once more, as a phrase. (A longer run, such
            // as a link, stays a phrase: its parts are noise.)
            let mut clauses: Vec<Box<dyn Query>> = Vec::with_capacity(parts.len() + 1);
            for (_, word) in &parts {
                clauses.push(self.term(field, word, Match::Word, 1.0));
            }
            clauses.extend(self.positional(field, &tokens, 0));
            return Ok(any_of(clauses));
        }
        let exact = self.positional(field, &tokens, 0);
        let (Some(distance), [(_, token)]) = (fuzzy.filter(|&d| d > 0), tokens.as_slice()) else {
            return Ok(exact);
        };
        let key = (field, text.to_string(), distance);
        let near = match self.fuzzy_words.get(&key) {
            Some(near) => near.clone(),
            None => {
                let near = self.near_words(field, text, token, distance)?;
                self.fuzzy_words.insert(key, near.clone());
                near
            }
        };
        self.spend(near.len())?;
        let near = any_of(self.blended(field, &near, Match::Fuzzy, FUZZY_WEIGHT)?)
            .map(|q| boost_by(q, FUZZY_WEIGHT));
        Ok(any_of(exact.into_iter().chain(near).collect()))
    }

    /// The index words of `field` within `distance` edits of `token` (the
    /// analysed `text`), and the stems of the spellings one edit from it.
    fn near_words(
        &mut self,
        field: Field,
        text: &str,
        token: &str,
        distance: u8,
    ) -> tantivy::Result<Vec<String>> {
        let mut near = fuzzy_terms(self.searcher, field, token, distance, MAX_EXPANSIONS)?;
        // Stems hide some typos (`inflaton` stems to itself, two edits from
        // `inflat`): also stem every spelling one edit from the typed word.
        let unstemmed = dedup_positions(&analyse(&mut self.prefixes, text));
        if let [(_, typed)] = unstemmed.as_slice() {
            if !self.variants.contains_key(typed) {
                let stems = stemmed_variants(self.words(), typed);
                self.variants.insert(typed.clone(), stems);
            }
            for stem in &self.variants[typed] {
                let known = self
                    .searcher
                    .doc_freq(&Term::from_field_text(field, stem))?
                    > 0;
                if known && stem != token && !near.contains(stem) && near.len() < MAX_EXPANSIONS {
                    near.push(stem.clone());
                }
            }
        }
        Ok(near)
    }

    /// Term queries for the expansions of one typed word, scored as if they
    /// were all as common as the most common of them (Lucene's blended
    /// frequency): otherwise the rarest misspelling-like word, with the
    /// highest IDF, would outrank the word the user meant.
    fn blended(
        &mut self,
        field: Field,
        words: &[String],
        matched: Match,
        factor: f32,
    ) -> tantivy::Result<Vec<Box<dyn Query>>> {
        let total = self.searcher.num_docs() as f32;
        let idf = |df: f32| (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
        let mut freqs: Vec<f32> = Vec::with_capacity(words.len());
        for word in words {
            freqs.push(
                self.searcher
                    .doc_freq(&Term::from_field_text(field, word))? as f32,
            );
        }
        let common = freqs.iter().copied().fold(0.0, f32::max);
        let mut blended = Vec::with_capacity(words.len());
        for (w, df) in words.iter().zip(freqs) {
            let ratio = idf(common) / idf(df).max(f32::EPSILON);
            let term = self.term(field, w, matched, factor * ratio);
            blended.push(boost_by(term, ratio));
        }
        Ok(blended)
    }

    /// An unscoped word scored over its fields as one (`bm25f`): one
    /// term, or the parts of a hyphenated word each so and their phrase
    /// field by field. `None` for words of more parts (left to `word_query`).
    fn combined_word(&mut self, text: &str) -> Built {
        let (tokens, joined) = analyse_parts(self.words(), text);
        let parts = dedup_positions(&tokens);
        let phrase = |this: &mut Self| {
            this.in_each_field(None, 1.0, |this, field| {
                Ok(this.positional(field, &tokens, 0))
            })
        };
        if !joined.is_empty() {
            // As in `word_query`: joined, or every part, or their phrase.
            let mut clauses: Vec<Box<dyn Query>> = Vec::with_capacity(joined.len() + 2);
            for word in &joined {
                clauses.push(self.combined_term(word));
            }
            let mut every_part = Vec::with_capacity(parts.len());
            for (_, word) in &parts {
                every_part.push(self.combined_term(word));
            }
            clauses.extend(all_of(every_part));
            clauses.extend(phrase(self)?);
            return Ok(any_of(clauses));
        }
        match parts.len() {
            0 => Ok(None),
            1 => Ok(Some(self.combined_term(&parts[0].1))),
            n if n <= MAX_SPLIT_PARTS => {
                let mut clauses: Vec<Box<dyn Query>> = Vec::with_capacity(n + 1);
                for (_, word) in &parts {
                    clauses.push(self.combined_term(word));
                }
                clauses.extend(phrase(self)?);
                Ok(any_of(clauses))
            }
            _ => Ok(None),
        }
    }

    /// One analysed word in every unscoped field of the ranked kinds.
    fn combined_term(&mut self, word: &str) -> Box<dyn Query> {
        let fields: Vec<(Field, f32)> = targets(self.fields, None, &self.weights, self.kinds)
            .into_iter()
            .filter(|t| t.kind.is_none() && t.weight > 0.0)
            .map(|t| (t.field, t.weight))
            .collect();
        if fields.is_empty() {
            return Box::new(EmptyQuery);
        }
        let query: Box<dyn Query> = Box::new(CombinedTermQuery::new(&fields, word));
        self.tag(query, "combined", Match::Combined, word, 1.0)
    }

    /// `word*`: every index word starting with the prefix, each scored by
    /// BM25 as if as common as the most common of them (as for `word~N`):
    /// a rare expansion (`EuroDisney`) does not outrank a common one
    /// (`eurozone`) for being rare.
    fn prefix_query(&mut self, field: Field, text: &str) -> Built {
        let tokens = dedup_positions(&analyse(&mut self.prefixes, text));
        let Some((_, prefix)) = tokens.last() else {
            return Ok(None);
        };
        let key = (field, prefix.clone());
        let words = match self.prefix_words.get(&key) {
            Some(words) => words.clone(),
            None => {
                let words = prefix_terms(self.searcher, field, prefix, MAX_EXPANSIONS)?;
                self.prefix_words.insert(key, words.clone());
                words
            }
        };
        self.spend(words.len())?;
        if words.is_empty() {
            // Nothing to expand to: keep a query that matches nothing.
            return Ok(Some(Box::new(EmptyQuery)));
        }
        Ok(any_of(self.blended(field, &words, Match::Prefix, 1.0)?))
    }

    /// A phrase looks for the parts of its hyphenated words (`"GPT-4
    /// launched"` finds `GPT 4 launched` too), not their joined forms.
    fn phrase_query(&mut self, field: Field, text: &str, slop: u32) -> Built {
        let (tokens, _) = analyse_parts(self.words(), text);
        Ok(self.positional(field, &tokens, slop))
    }
}

/// The texts of every word and phrase of `node`, space-separated, into
/// `out`: what decides whether the query is written wholly in capitals.
fn leaf_texts(node: &Node, out: &mut String) {
    match node {
        Node::Bool(clauses) => clauses.iter().for_each(|(_, c)| leaf_texts(c, out)),
        Node::Word { text, .. } | Node::Phrase { text, .. } => {
            out.push_str(text);
            out.push(' ');
        }
    }
}

/// Every one of `clauses` required, their scores summed; `None` for none,
/// the clause itself for one.
fn all_of(mut clauses: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match clauses.len() {
        0 => None,
        1 => clauses.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            clauses
                .into_iter()
                .map(|q| (TantivyOccur::Must, q))
                .collect(),
        ))),
    }
}

/// Keeps the last (most specific: `11.5%` over `11.5`) token at each position.
fn dedup_positions(tokens: &[(usize, String)]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (position, text) in tokens {
        match out.last_mut() {
            Some(last) if last.0 == *position => last.1 = text.clone(),
            _ => out.push((*position, text.clone())),
        }
    }
    out
}

/// A term query for one position, a phrase query for several.
fn positional_query(field: Field, tokens: &[(usize, String)], slop: u32) -> Option<Box<dyn Query>> {
    let tokens = dedup_positions(tokens);
    match tokens.as_slice() {
        [] => None,
        [(_, token)] => Some(term_query(field, token)),
        _ => {
            let first = tokens[0].0;
            let terms = tokens
                .iter()
                .map(|(p, t)| (p - first, Term::from_field_text(field, t)))
                .collect();
            Some(Box::new(Phrase::new(terms, slop)))
        }
    }
}

fn term_query(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

/// Limits `query` to documents of `kind`, without changing scores.
fn restrict(fields: &Fields, query: Box<dyn Query>, kind: Option<DocKind>) -> Box<dyn Query> {
    match kind {
        None => query,
        Some(kind) => Box::new(BooleanQuery::new(vec![
            (TantivyOccur::Must, query),
            (TantivyOccur::Must, kind_filter(fields, &[kind])),
        ])),
    }
}

/// A zero-scored filter: documents of any of `kinds`.
pub fn kind_filter(fields: &Fields, kinds: &[DocKind]) -> Box<dyn Query> {
    let clauses = kinds
        .iter()
        .map(|k| {
            let term = Term::from_field_text(fields.kind, k.as_str());
            (
                TantivyOccur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        0.0,
    ))
}

fn to_tantivy(occur: Occur) -> TantivyOccur {
    match occur {
        Occur::Must => TantivyOccur::Must,
        Occur::Should => TantivyOccur::Should,
        Occur::MustNot => TantivyOccur::MustNot,
    }
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "prefix_evaluation_tests.rs"]
mod prefix_evaluation;
