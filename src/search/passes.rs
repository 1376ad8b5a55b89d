//! The parts one search is run in, so that what ranks first is a bullet
//! that holds a query word itself: first the bullets that match by their
//! own text (and, with the default `--kind bullet`, the article docs of
//! briefs without bullets, scored as `--kind article` scores them), then
//! the bullets that match only through their brief's headline. A query
//! that scores nothing (only `source:` filters) is one part, ordered by
//! date (`order`).
//!
//! Flows in: the compiled query and the parsed one. Flows out: Tantivy
//! queries (filters of score 0 added). Never runs a search.

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::brief::DocKind;
use crate::index::Fields;
use crate::query::{Node, Occur as NodeOccur, Scope, for_intersection};
use crate::search::SearchOptions;

/// Which part of the results a pass fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// Documents that match by their own words, ranked by score.
    Own,
    /// Articles of briefs without bullets, ranked by score with `Own`.
    Bulletless,
    /// Bullets that match only through their brief's headline: below every
    /// `Own` hit, one per brief.
    ContextOnly,
}

/// One search of a run: its query and the kinds it ranks (for BM25).
pub(crate) struct Pass {
    pub(crate) query: Box<dyn Query>,
    pub(crate) kinds: &'static [DocKind],
    pub(crate) tier: Tier,
}

/// A query whose bullets are split by their own text: the `Own` and
/// `ContextOnly` passes are `main` with and without `own`.
pub(crate) struct Split {
    pub(crate) main: Box<dyn Query>,
    pub(crate) own: Box<dyn Query>,
    pub(crate) kinds: &'static [DocKind],
}

/// The passes of one search, and the query any of them matches (what
/// highlights and counts are taken from).
pub(crate) struct Plan {
    pub(crate) passes: Vec<Pass>,
    /// How the `Own` and `ContextOnly` passes were made, when they were.
    pub(crate) split: Option<Split>,
    pub(crate) query: Box<dyn Query>,
    /// The query scores nothing: its hits are listed newest first.
    pub(crate) newest_first: bool,
}

/// The passes for `main` (the compiled query of `options`' kinds, its
/// filters added): bullets that hold a query word in their own text (and
/// articles, with `--kind all`), then, without `--all`, the bullets that
/// do not; and `bulletless` (the query compiled for articles, filters
/// added), limited to briefs without bullets, among the first.
pub(crate) fn plan(
    fields: &Fields,
    options: &SearchOptions,
    parsed: &Node,
    main: Box<dyn Query>,
    bulletless: Option<Box<dyn Query>>,
) -> Plan {
    let kinds = options.kind.kinds();
    let newest_first = scores_nothing(parsed);
    let bullets = kinds.iter().any(|k| *k != DocKind::Article);
    let own = if bullets && !newest_first {
        own_text_filter(fields, &*main, kinds.contains(&DocKind::Article))
    } else {
        None
    };
    let pass = |query, kinds, tier| Pass { query, kinds, tier };
    let mut passes = Vec::new();
    let mut split = None;
    match own {
        Some(own) => {
            passes.push(pass(
                limited(main.box_clone(), own.box_clone(), true),
                kinds,
                Tier::Own,
            ));
            // With `--all`, the headline may supply some of the words but
            // a bullet must hold one of them itself.
            if !options.all_terms {
                let context = limited(main.box_clone(), own.box_clone(), false);
                passes.push(pass(context, kinds, Tier::ContextOnly));
            }
            split = Some(Split {
                main: main.box_clone(),
                own,
                kinds,
            });
        }
        None => passes.push(pass(main.box_clone(), kinds, Tier::Own)),
    }
    let query = match bulletless {
        Some(articles) => {
            let articles = limited(articles, bulletless_articles(fields), true);
            passes.push(pass(
                articles.box_clone(),
                &[DocKind::Article],
                Tier::Bulletless,
            ));
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, main),
                (Occur::Should, articles),
            ])) as Box<dyn Query>
        }
        None => main,
    };
    Plan {
        passes,
        split,
        query,
        newest_first,
    }
}

/// True when no word of `node` is scored: every word it asks for is a
/// `source:` filter (what a source adds to a score is the same for every
/// document of that source).
fn scores_nothing(node: &Node) -> bool {
    match node {
        Node::Bool(clauses) => clauses
            .iter()
            .filter(|(occur, _)| *occur != NodeOccur::MustNot)
            .all(|(_, n)| scores_nothing(n)),
        Node::Word { scope, .. } | Node::Phrase { scope, .. } => *scope == Some(Scope::Source),
    }
}

/// A zero-scored filter: bullet documents whose own text holds one of the
/// words `query` looks for in a bullet's text (and article documents, when
/// `articles`); `None` when `query` looks for no word in a bullet's text
/// (a `headline:` or `source:` query), where there is nothing to tell apart.
fn own_text_filter(fields: &Fields, query: &dyn Query, articles: bool) -> Option<Box<dyn Query>> {
    let mut terms: Vec<Term> = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == fields.text && !terms.contains(term) {
            terms.push(term.clone());
        }
    });
    if terms.is_empty() {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    if articles {
        let article = Term::from_field_text(fields.kind, DocKind::Article.as_str());
        clauses.push((
            Occur::Should,
            Box::new(TermQuery::new(article, IndexRecordOption::Basic)),
        ));
    }
    Some(Box::new(ConstScoreQuery::new(
        for_intersection(Box::new(BooleanQuery::new(clauses))),
        0.0,
    )))
}

/// `query` limited to what `filter` matches (`keep`) or does not match.
fn limited(query: Box<dyn Query>, filter: Box<dyn Query>, keep: bool) -> Box<dyn Query> {
    let occur = if keep { Occur::Must } else { Occur::MustNot };
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, for_intersection(query)),
        (occur, filter),
    ]))
}

/// The term of article docs of briefs without bullets.
fn no_bullets(fields: &Fields) -> Term {
    Term::from_field_u64(fields.bullet_count, 0)
}

/// A zero-scored filter: the article docs of briefs without bullets.
fn bulletless_articles(fields: &Fields) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(no_bullets(fields), IndexRecordOption::Basic)),
        0.0,
    ))
}

/// Whether the index holds a brief without bullets (its posting list only).
pub(crate) fn has_bulletless(searcher: &Searcher, fields: &Fields) -> tantivy::Result<bool> {
    Ok(searcher.doc_freq(&no_bullets(fields))? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;

    #[test]
    fn only_source_filters_score_nothing() {
        for (query, expected) in [
            ("source:bbc", true),
            ("source:bbc -source:reuters", true),
            ("source:(bbc OR reuters)", true),
            ("source:bbc tram", false),
            ("headline:tram", false),
            ("tram", false),
        ] {
            let node = parse_query(query, false).unwrap();
            assert_eq!(scores_nothing(&node), expected, "{query}");
        }
    }
}
