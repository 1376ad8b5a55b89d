//! Ranking documents for a query: parse it, restrict it to the kinds asked
//! for, collect the top hits in a fixed order, and build [`Hit`]s with
//! highlighted text. Prints nothing.
//!
//! Bullets are scored on their own text and, at a lower weight, on their
//! brief's headline (`context`), so `alibaba shares` finds a bullet about
//! shares inside an Alibaba brief. Articles are scored on headline, points,
//! summaries and body.

use std::ops::Range;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::hit::Hit;
use crate::schema::Fields;
use crate::store::BriefIndex;

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
    fn kinds(self) -> &'static [DocKind] {
        match self {
            KindFilter::Bullet => &[DocKind::Point, DocKind::Summary],
            KindFilter::Point => &[DocKind::Point],
            KindFilter::Summary => &[DocKind::Summary],
            KindFilter::Article => &[DocKind::Article],
            KindFilter::All => &[DocKind::Article, DocKind::Point, DocKind::Summary],
        }
    }
}

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The query text.
    pub query: String,
    /// How many hits.
    pub limit: usize,
    /// How many of the best hits to pass over first.
    pub offset: usize,
    /// Which kinds of document.
    pub kind: KindFilter,
    /// Require every word (AND) rather than any (OR).
    pub all_terms: bool,
}

/// Picks one field out of [`Fields`].
type FieldOf = fn(&Fields) -> Field;

/// Field weights: a bullet's own words count most, its headline's less.
const WEIGHTS: [(FieldOf, f32); 6] = [
    (|f| f.text, 1.0),
    (|f| f.context, 0.3),
    (|f| f.headline, 1.5),
    (|f| f.points, 1.0),
    (|f| f.summaries, 1.0),
    (|f| f.body, 0.5),
];

/// Runs a search and returns its hits, best first; equal scores keep index
/// order, so results are repeatable.
pub fn search(
    index: &BriefIndex,
    searcher: &Searcher,
    options: &SearchOptions,
) -> Result<Vec<Hit>> {
    let fields = &index.fields;
    let user_query = parse_query(index, options)?;
    let query = restrict_to_kinds(user_query, fields, options.kind);
    let collector = TopDocs::with_limit(options.limit.max(1))
        .and_offset(options.offset)
        .order_by_score();
    let top = searcher
        .search(&query, &collector)
        .map_err(|e| Error::index(&index.dir, e))?;
    if options.limit == 0 {
        return Ok(Vec::new());
    }
    let mut snippets = SnippetGenerator::create(searcher, &*query, fields.text)
        .map_err(|e| Error::index(&index.dir, e))?;
    // Bullets are short: highlight the whole text, not a fragment of it.
    snippets.set_max_num_chars(100_000);
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| Error::index(&index.dir, e))?;
        hits.push(build_hit(
            fields,
            &doc,
            score,
            options.offset + i + 1,
            &snippets,
        ));
    }
    Ok(hits)
}

fn parse_query(index: &BriefIndex, options: &SearchOptions) -> Result<Box<dyn Query>> {
    let fields = &index.fields;
    let searched: Vec<Field> = WEIGHTS.iter().map(|(f, _)| f(fields)).collect();
    let mut parser = QueryParser::for_index(&index.index, searched);
    for (field, weight) in WEIGHTS {
        parser.set_field_boost(field(fields), weight);
    }
    if options.all_terms {
        parser.set_conjunction_by_default();
    }
    parser
        .parse_query(&options.query)
        .map_err(|e| Error::Query(e.to_string()))
}

fn restrict_to_kinds(query: Box<dyn Query>, fields: &Fields, kind: KindFilter) -> Box<dyn Query> {
    let kinds: Vec<(Occur, Box<dyn Query>)> = kind
        .kinds()
        .iter()
        .map(|k| {
            let term = Term::from_field_text(fields.kind, k.as_str());
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(kinds)), 0.0);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::Must, Box::new(filter)),
    ]))
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn number_of(doc: &TantivyDocument, field: Field) -> usize {
    doc.get_first(field)
        .and_then(|v| v.as_u64())
        .map_or(0, |n| n as usize)
}

fn build_hit(
    fields: &Fields,
    doc: &TantivyDocument,
    score: f32,
    rank: usize,
    snippets: &SnippetGenerator,
) -> Hit {
    let kind = text_of(doc, fields.kind)
        .and_then(|k| DocKind::from_name(&k))
        .unwrap_or(DocKind::Article);
    let (headline, text, highlights) = if kind == DocKind::Article {
        let headline = text_of(doc, fields.headline).unwrap_or_default();
        (headline.clone(), headline, Vec::new())
    } else {
        let text = text_of(doc, fields.text).unwrap_or_default();
        let highlights = highlight_ranges(snippets, &text);
        (
            text_of(doc, fields.context).unwrap_or_default(),
            text,
            highlights,
        )
    };
    Hit {
        rank,
        id: text_of(doc, fields.id).unwrap_or_default(),
        brief_id: text_of(doc, fields.brief_id).unwrap_or_default(),
        kind,
        position: number_of(doc, fields.position),
        score,
        text,
        highlights,
        marker: text_of(doc, fields.marker),
        emoji: text_of(doc, fields.emoji),
        headline,
        source: text_of(doc, fields.source),
        date: text_of(doc, fields.date),
        path: text_of(doc, fields.file).unwrap_or_default(),
        line: number_of(doc, fields.line),
    }
}

/// Byte ranges of `text` that match the query's terms.
fn highlight_ranges(snippets: &SnippetGenerator, text: &str) -> Vec<[usize; 2]> {
    let snippet = snippets.snippet(text);
    let offset = text.find(snippet.fragment()).unwrap_or(0);
    snippet
        .highlighted()
        .iter()
        .map(|r: &Range<usize>| [r.start + offset, r.end + offset])
        .collect()
}
