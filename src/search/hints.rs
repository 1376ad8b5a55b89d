//! What to tell a user whose search found nothing: the index words nearest
//! to each query word the index does not hold (within 1, else 2 edits,
//! the most frequent first), and how many results the same query finds
//! with `--kind article` or without `--all`. Computed only when a search
//! has no hits; prints nothing (`output/` words it).
//!
//! Flows in: a searcher and the search's options. Flows out: [`Hints`].

use tantivy::collector::TopDocs;
use tantivy::query::{Occur as TantivyOccur, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::{BriefIndex, stored_text};
use crate::query::{Node, Occur, fuzzy_terms, parse_query, stemmed_variants};
use crate::search::SearchOptions;
use crate::search::columns::Columns;
use crate::search::filter::KindFilter;
use crate::search::rank::Run;
use crate::text::{analyse, news_analyzer, prefix_analyzer};

/// Most index words a misspelt word is compared with, per field.
const MAX_CANDIDATES: usize = 64;

/// Most query words looked up for a suggestion.
const MAX_WORDS: usize = 8;

/// What a search that found nothing could have found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Hints {
    /// For each query word the index does not hold, the nearest index
    /// word: `(typed, suggested)`.
    pub(crate) suggestions: Vec<(String, String)>,
    /// Briefs the query finds with `--kind article` (0 when that was the
    /// kind asked for, or `all`).
    pub(crate) as_articles: usize,
    /// Hits the query finds without `--all` (0 when `--all` was not given).
    pub(crate) without_all: usize,
}

impl Hints {
    /// True when there is nothing to suggest.
    pub(crate) fn is_empty(&self) -> bool {
        self.suggestions.is_empty() && self.as_articles == 0 && self.without_all == 0
    }
}

/// The hints for `options`, a search that found nothing.
pub(crate) fn hints(
    index: &BriefIndex,
    searcher: &Searcher,
    options: &SearchOptions,
) -> Result<Hints> {
    let mut quiet = options.clone();
    quiet.highlight = false;
    quiet.offset = 0;
    let mut found = Hints {
        suggestions: suggestions(index, searcher, options)?,
        ..Hints::default()
    };
    if !matches!(options.kind, KindFilter::Article | KindFilter::All) {
        let mut articles = quiet.clone();
        articles.kind = KindFilter::Article;
        found.as_articles = count(index, searcher, &articles)?;
    }
    if options.all_terms {
        let mut any = quiet;
        any.all_terms = false;
        found.without_all = count(index, searcher, &any)?;
    }
    Ok(found)
}

/// How many documents `options` finds (every tier).
fn count(index: &BriefIndex, searcher: &Searcher, options: &SearchOptions) -> Result<usize> {
    Run::new(index, searcher, &Columns::default(), options)?.count()
}

/// The plain words of the query that no searched field holds, each with
/// the nearest index word.
fn suggestions(
    index: &BriefIndex,
    searcher: &Searcher,
    options: &SearchOptions,
) -> Result<Vec<(String, String)>> {
    let to_err = |e| Error::index(&index.dir, e);
    let fields = &index.fields;
    let looked_in = [fields.text, fields.headline, fields.body];
    let typed: Vec<String> = if options.literal {
        options
            .query
            .split_whitespace()
            .map(str::to_string)
            .collect()
    } else {
        match parse_query(&options.query, options.all_terms) {
            Ok(node) => plain_words(&node),
            // The search itself reported the query.
            Err(_) => Vec::new(),
        }
    };
    let mut stems = news_analyzer();
    let mut plain = prefix_analyzer();
    let mut out: Vec<(String, String)> = Vec::new();
    for word in typed.into_iter().take(MAX_WORDS) {
        let tokens = analyse(&mut stems, &word);
        let [(_, token)] = tokens.as_slice() else {
            continue;
        };
        if frequency(searcher, &looked_in, token).map_err(to_err)? > 0 {
            continue;
        }
        let unstemmed = analyse(&mut plain, &word);
        let spelt = match unstemmed.as_slice() {
            [(_, typed)] => stemmed_variants(&mut stems, typed),
            _ => Vec::new(),
        };
        if let Some(near) = nearest(searcher, &looked_in, token, &spelt).map_err(to_err)? {
            let shown = surface(index, searcher, &looked_in, &near).map_err(to_err)?;
            if !out.iter().any(|(t, _)| *t == word) {
                out.push((word, shown.unwrap_or(near)));
            }
        }
    }
    Ok(out)
}

/// The words of `node` that are neither excluded, prefixes, fuzzy nor
/// scoped to a source.
fn plain_words(node: &Node) -> Vec<String> {
    let mut words = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node {
            Node::Bool(clauses) => stack.extend(
                clauses
                    .iter()
                    .rev()
                    .filter(|(o, _)| *o != Occur::MustNot)
                    .map(|(_, n)| n),
            ),
            Node::Word {
                scope,
                text,
                prefix: false,
                fuzzy: None,
                ..
            } if *scope != Some(crate::query::Scope::Source) => words.push(text.clone()),
            Node::Word { .. } | Node::Phrase { .. } => {}
        }
    }
    words
}

/// In how many documents of `fields` the analysed `token` occurs.
fn frequency(searcher: &Searcher, fields: &[Field], token: &str) -> tantivy::Result<u64> {
    let mut total = 0;
    for field in fields {
        total += searcher.doc_freq(&Term::from_field_text(*field, token))?;
    }
    Ok(total)
}

/// The index word nearest to `token`: within 1 edit (or the stem of a
/// spelling one edit from the typed word, `spelt`: `timetabel` stems to
/// itself, far from `timet`), else 2; among those, the most frequent
/// (then the first in byte order).
fn nearest(
    searcher: &Searcher,
    fields: &[Field],
    token: &str,
    spelt: &[String],
) -> tantivy::Result<Option<String>> {
    for distance in [1, 2] {
        let mut candidates: Vec<String> = Vec::new();
        if distance == 1 {
            candidates.extend(spelt.iter().filter(|s| *s != token).cloned());
        }
        for field in fields {
            for word in fuzzy_terms(searcher, *field, token, distance, MAX_CANDIDATES)? {
                if !candidates.contains(&word) {
                    candidates.push(word);
                }
            }
        }
        let mut best: Option<(u64, String)> = None;
        for word in candidates {
            let n = frequency(searcher, fields, &word)?;
            if n == 0 {
                continue;
            }
            let better = match &best {
                None => true,
                Some((m, w)) => n > *m || (n == *m && word < *w),
            };
            if better {
                best = Some((n, word));
            }
        }
        if let Some((_, word)) = best {
            return Ok(Some(word));
        }
    }
    Ok(None)
}

/// The index word `stem` as a brief spells it (lower case, accents
/// folded): the first word of a document holding it that analyses to it;
/// `None` when none does (the stem is then shown).
fn surface(
    index: &BriefIndex,
    searcher: &Searcher,
    fields: &[Field],
    stem: &str,
) -> tantivy::Result<Option<String>> {
    let f = &index.fields;
    let clauses = fields
        .iter()
        .map(|field| {
            let term = Term::from_field_text(*field, stem);
            let q: Box<dyn tantivy::query::Query> =
                Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (TantivyOccur::Should, q)
        })
        .collect();
    let query = tantivy::query::BooleanQuery::new(clauses);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*address)?;
    let mut stems = news_analyzer();
    let mut plain = prefix_analyzer();
    for field in [f.shown_text, f.shown_headline, f.brief_json] {
        let Some(text) = stored_text(&doc, field) else {
            continue;
        };
        for (_, word) in analyse(&mut plain, &text) {
            if analyse(&mut stems, &word)
                .first()
                .is_some_and(|(_, s)| s == stem)
            {
                return Ok(Some(word));
            }
        }
    }
    Ok(None)
}
