//! What a search is limited to besides the query: the kinds of document
//! ranked and the dates of their briefs, as zero-scored Tantivy filters.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{ConstScoreQuery, InvertedIndexRangeQuery, Query, RangeQuery};
use tantivy::schema::Field;

use crate::brief::DocKind;
use crate::query::{Node, Scope, parse_query};
use crate::search::SearchOptions;

/// Which kinds of document a search returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    /// Points and summaries (the default).
    Bullet,
    /// Points only.
    Point,
    /// Summaries only.
    Summary,
    /// Whole briefs.
    Article,
    /// Everything.
    All,
}

impl KindFilter {
    pub(crate) fn kinds(self) -> &'static [DocKind] {
        match self {
            KindFilter::Bullet => &[DocKind::Point, DocKind::Summary],
            KindFilter::Point => &[DocKind::Point],
            KindFilter::Summary => &[DocKind::Summary],
            KindFilter::Article => &[DocKind::Article],
            KindFilter::All => &[DocKind::Article, DocKind::Point, DocKind::Summary],
        }
    }
}

/// Whether the fields of `kind` are shared with other kinds for this query:
/// points and summaries share `text`, every kind has `source`.
pub(crate) fn needs_kind_filter(kind: KindFilter, node: &Node) -> bool {
    fn scopes_source(node: &Node) -> bool {
        match node {
            Node::Bool(clauses) => clauses.iter().any(|(_, n)| scopes_source(n)),
            Node::Word { scope, .. } | Node::Phrase { scope, .. } => *scope == Some(Scope::Source),
        }
    }
    matches!(kind, KindFilter::Point | KindFilter::Summary)
        || (kind != KindFilter::All && scopes_source(node))
}

/// Whether `options`' query holds a `body:` scope although no article is
/// ranked: only articles have a body, so that part of the query can match
/// nothing. (A query that does not parse is left for the search to report.)
pub(crate) fn body_scope_without_articles(options: &SearchOptions) -> bool {
    fn scopes_body(node: &Node) -> bool {
        match node {
            Node::Bool(clauses) => clauses.iter().any(|(_, n)| scopes_body(n)),
            Node::Word { scope, .. } | Node::Phrase { scope, .. } => *scope == Some(Scope::Body),
        }
    }
    !options.literal
        && !options.kind.kinds().contains(&DocKind::Article)
        && parse_query(&options.query, options.all_terms).is_ok_and(|node| scopes_body(&node))
}

pub(crate) fn date_filter(
    day: Field,
    since: Option<i64>,
    until: Option<i64>,
) -> Option<Box<dyn Query>> {
    if since.is_none() && until.is_none() {
        return None;
    }
    let bound = |d: Option<i64>| {
        d.map_or(Bound::Unbounded, |d| {
            Bound::Included(Term::from_field_i64(day, d))
        })
    };
    let range = RangeQuery::new(bound(since), bound(until));
    Some(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)))
}

/// Documents first seen after generation `after` and up to `through`
/// (`first_seen`, indexed): a range over the inverted index, so its cost is
/// the posting lists of those few generations, not a scan of the index.
pub(crate) fn first_seen_filter(first_seen: Field, after: u64, through: u64) -> Box<dyn Query> {
    let range = InvertedIndexRangeQuery::new(
        Bound::Excluded(Term::from_field_u64(first_seen, after)),
        Bound::Included(Term::from_field_u64(first_seen, through)),
    );
    Box::new(ConstScoreQuery::new(Box::new(range), 0.0))
}
