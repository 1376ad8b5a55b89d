//! Ranking documents for a query: read it (`query`), compile it
//! (`compile`), restrict it to the kinds and dates asked for, collect the
//! best hits in a fixed order, fold near-duplicate bullets of one brief into
//! each other (`similar`), optionally group hits by brief, and build [`Hit`]s
//! with the matched words' byte ranges. Prints nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery};
use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::bm25_stats::KindStatistics;
use crate::brief::DocKind;
use crate::compile::{Compiler, Weights, kind_filter};
use crate::error::{Error, Result};
use crate::hit::{Group, Hit};
use crate::lookup::find;
use crate::pasted::{Tidy, tidy};
use crate::query::{Node, Scope, literal_query, parse_query};
use crate::schema::{Fields, TIE_FIELD, news_analyzer};
use crate::similar::{Fingerprint, NEAR_DUPLICATE, Vocabulary};
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
    /// How many hits (or, grouped, briefs).
    pub limit: usize,
    /// How many of the best hits (or briefs) to pass over first.
    pub offset: usize,
    /// Which kinds of document.
    pub kind: KindFilter,
    /// Require every word (AND) rather than any (OR).
    pub all_terms: bool,
    /// Only briefs dated on or after this day (days since 1970-01-01).
    pub since: Option<i64>,
    /// Only briefs dated on or before this day.
    pub until: Option<i64>,
    /// Fold near-duplicate bullets of one brief into the best of them.
    pub dedup: bool,
    /// Read the query as plain words: no operators, scopes or quotes.
    pub literal: bool,
    /// Compute the matched words' byte ranges (not needed for batch runs).
    pub highlight: bool,
    /// Field weights.
    pub weights: Weights,
    /// How a literal query is tidied first (links, tags, punctuation).
    pub tidy: Tidy,
}

impl SearchOptions {
    /// Defaults: 10 bullets, any word, near-duplicates folded.
    pub fn new(query: impl Into<String>) -> SearchOptions {
        SearchOptions {
            query: query.into(),
            limit: 10,
            offset: 0,
            kind: KindFilter::Bullet,
            all_terms: false,
            since: None,
            until: None,
            dedup: true,
            literal: false,
            highlight: true,
            weights: Weights::default(),
            tidy: Tidy::PASTED,
        }
    }
}

/// A search over one searcher: the compiled query and what building hits needs.
struct Run<'a> {
    index: &'a BriefIndex,
    searcher: &'a Searcher,
    query: Box<dyn Query>,
    analyzer: TextAnalyzer,
    vocabularies: HashMap<String, Vocabulary>,
    /// The kinds of document ranked (for BM25 statistics).
    kinds: &'static [DocKind],
    /// Highlighters for bullet texts and headlines; `None` when not wanted.
    snippets: Option<(SnippetGenerator, SnippetGenerator)>,
}

impl<'a> Run<'a> {
    fn new(
        index: &'a BriefIndex,
        searcher: &'a Searcher,
        options: &SearchOptions,
    ) -> Result<Run<'a>> {
        let fields = &index.fields;
        let parsed = if options.literal {
            literal_query(&tidy(&options.query, options.tidy), options.all_terms)
        } else {
            parse_query(&options.query, options.all_terms)
        }
        .map_err(|e| Error::Query(e.to_string()))?;
        let kinds = options.kind.kinds();
        let user_query = Compiler::new(fields, searcher, options.weights, kinds).compile(&parsed);
        let mut filters: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
        // The compiled query only looks in fields of the kinds asked for; a
        // filter on kind is needed only where that does not separate them.
        if needs_kind_filter(options.kind, &parsed) {
            filters.push((Occur::Must, kind_filter(fields, kinds)));
        }
        if let Some(dates) = date_filter(fields.day, options.since, options.until) {
            filters.push((Occur::Must, dates));
        }
        // A lone query stays as it is: wrapped, Tantivy could no longer skip
        // blocks of documents that cannot reach the top (block-max WAND).
        let query: Box<dyn Query> = if filters.len() == 1 {
            filters.remove(0).1
        } else {
            Box::new(BooleanQuery::new(filters))
        };
        let snippets =
            |field| highlighter(searcher, &*query, field).map_err(|e| Error::index(&index.dir, e));
        let snippets = if options.highlight {
            Some((snippets(fields.text)?, snippets(fields.headline)?))
        } else {
            None
        };
        Ok(Run {
            kinds,
            snippets,
            index,
            searcher,
            query,
            analyzer: news_analyzer(),
            vocabularies: HashMap::new(),
        })
    }

    /// The best `n` documents, best first. Equal scores are ordered by a
    /// stable hash of the id, so a search repeats exactly even across rebuilt
    /// indexes (whose segment order, with several writer threads, is not
    /// fixed). A few extra documents are collected so ties at the cut are
    /// ordered too.
    fn top(&self, n: usize) -> Result<Vec<(f32, DocAddress)>> {
        const TIE_MARGIN: usize = 16;
        let collector = TopDocs::with_limit(n.max(1) + TIE_MARGIN).order_by_score();
        let to_err = |e| Error::index(&self.index.dir, e);
        let stats =
            KindStatistics::new(self.searcher, &self.index.fields, self.kinds).map_err(to_err)?;
        let top = self
            .searcher
            .search_with_statistics_provider(&*self.query, &collector, &stats)
            .map_err(to_err)?;
        let mut keyed = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = self.searcher.segment_reader(address.segment_ord);
            let ties = segment.fast_fields().u64(TIE_FIELD).map_err(to_err)?;
            keyed.push((score, ties.first(address.doc_id).unwrap_or(0), address));
        }
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        keyed.truncate(n.max(1));
        Ok(keyed
            .into_iter()
            .map(|(score, _, address)| (score, address))
            .collect())
    }

    fn hit(&self, score: f32, address: DocAddress) -> Result<Hit> {
        let mut hit = load_hit(self.index, self.searcher, score, address)?;
        if let Some((bullets, headlines)) = &self.snippets {
            let snippets = if hit.kind == DocKind::Article {
                headlines
            } else {
                bullets
            };
            hit.highlights = highlight_ranges(snippets, &hit.text);
        }
        Ok(hit)
    }

    /// A bullet's fingerprint for near-duplicate checks.
    fn fingerprint(&mut self, hit: &Hit) -> Result<Fingerprint> {
        let terms = analysed(&mut self.analyzer, &hit.text);
        if !self.vocabularies.contains_key(&hit.brief_id) {
            let vocabulary = self.vocabulary(&hit.brief_id)?;
            self.vocabularies.insert(hit.brief_id.clone(), vocabulary);
        }
        let vocabulary = &self.vocabularies[&hit.brief_id];
        Ok(Fingerprint::new(&terms, &mut |t| vocabulary.idf(t)))
    }

    /// The word frequencies among the bullets of brief `brief_id`.
    fn vocabulary(&mut self, brief_id: &str) -> Result<Vocabulary> {
        let Ok(found) = find(self.index, self.searcher, brief_id) else {
            return Ok(Vocabulary::default());
        };
        let brief = found.brief;
        let texts = brief
            .points
            .iter()
            .map(|p| &p.text)
            .chain(brief.summaries.iter().map(|s| &s.text));
        let bullets: Vec<Vec<String>> = texts.map(|t| analysed(&mut self.analyzer, t)).collect();
        Ok(Vocabulary::new(&bullets))
    }

    /// The best hits with near-duplicates folded (when asked), enough of them
    /// to fill `wanted` results.
    fn ranked_hits(&mut self, wanted: usize, dedup: bool) -> Result<Vec<Hit>> {
        let pool = if dedup {
            wanted.saturating_mul(3).saturating_add(30)
        } else {
            wanted
        };
        let top = self.top(pool.min(100_000))?;
        // Fingerprints are computed only for bullets whose brief already has
        // a hit: most hits have no sibling, and those cost nothing extra.
        let mut kept: Vec<(Hit, Option<Fingerprint>)> = Vec::new();
        for (score, address) in top {
            if kept.len() >= wanted {
                break;
            }
            let hit = self.hit(score, address)?;
            // The same sentence in two briefs (one story copied into two
            // newsletters) is shown once, whatever brief it is in.
            let copy = kept.iter().position(|(o, _)| {
                dedup && o.kind != DocKind::Article && same_text(&o.text, &hit.text)
            });
            if let (Some(i), true) = (copy, hit.kind != DocKind::Article) {
                kept[i].0.folded.push(hit.id);
                continue;
            }
            let has_sibling = |kept: &[(Hit, Option<Fingerprint>)]| {
                kept.iter()
                    .any(|(o, _)| o.brief_id == hit.brief_id && o.kind != DocKind::Article)
            };
            if !dedup || hit.kind == DocKind::Article || !has_sibling(&kept) {
                kept.push((hit, None));
                continue;
            }
            let print = self.fingerprint(&hit)?;
            let mut twin = None;
            for (i, (other, other_print)) in kept.iter_mut().enumerate() {
                if other.brief_id != hit.brief_id || other.kind == DocKind::Article {
                    continue;
                }
                if other_print.is_none() {
                    *other_print = Some(self.fingerprint(other)?);
                }
                if other_print
                    .as_ref()
                    .is_some_and(|p| p.similarity(&print) >= NEAR_DUPLICATE)
                {
                    twin = Some(i);
                    break;
                }
            }
            match twin {
                Some(i) => kept[i].0.folded.push(hit.id),
                None => kept.push((hit, Some(print))),
            }
        }
        Ok(kept.into_iter().map(|(hit, _)| hit).collect())
    }
}

/// Whether the fields of `kind` are shared with other kinds for this query:
/// points and summaries share `text`, every kind has `source`.
fn needs_kind_filter(kind: KindFilter, node: &Node) -> bool {
    fn scopes_source(node: &Node) -> bool {
        match node {
            Node::Bool(clauses) => clauses.iter().any(|(_, n)| scopes_source(n)),
            Node::Word { scope, .. } | Node::Phrase { scope, .. } => *scope == Some(Scope::Source),
        }
    }
    matches!(kind, KindFilter::Point | KindFilter::Summary)
        || (kind != KindFilter::All && scopes_source(node))
}

fn date_filter(day: Field, since: Option<i64>, until: Option<i64>) -> Option<Box<dyn Query>> {
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

/// Runs a search and returns its hits, best first, ranked 1.. after the offset.
pub fn search(
    index: &BriefIndex,
    searcher: &Searcher,
    options: &SearchOptions,
) -> Result<Vec<Hit>> {
    let mut run = Run::new(index, searcher, options)?;
    let wanted = options.offset.saturating_add(options.limit);
    let hits = run.ranked_hits(wanted, options.dedup)?;
    Ok(hits
        .into_iter()
        .skip(options.offset)
        .take(options.limit)
        .enumerate()
        .map(|(i, mut hit)| {
            hit.rank = options.offset + i + 1;
            hit
        })
        .collect())
}

/// Runs a search and groups its hits by brief: briefs in the order of their
/// best hit, each with up to `per_brief` hits beneath it.
pub fn search_grouped(
    index: &BriefIndex,
    searcher: &Searcher,
    options: &SearchOptions,
    per_brief: usize,
) -> Result<Vec<Group>> {
    let mut run = Run::new(index, searcher, options)?;
    let wanted = options
        .offset
        .saturating_add(options.limit)
        .saturating_mul(per_brief.max(1) * 4);
    let hits = run.ranked_hits(wanted, options.dedup)?;
    let mut groups: Vec<Group> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for hit in hits {
        let i = *slot.entry(hit.brief_id.clone()).or_insert_with(|| {
            groups.push(Group::for_hit(&hit));
            groups.len() - 1
        });
        let group = &mut groups[i];
        if group.hits.len() < per_brief {
            group.hits.push(hit);
        } else {
            group.more += 1;
        }
    }
    Ok(groups
        .into_iter()
        .skip(options.offset)
        .take(options.limit)
        .enumerate()
        .map(|(i, mut group)| {
            group.rank = options.offset + i + 1;
            for (j, hit) in group.hits.iter_mut().enumerate() {
                hit.rank = j + 1;
            }
            group
        })
        .collect())
}

/// What `SnippetGenerator::create` builds, but with the news analyser:
/// the searchable fields are indexed from analysed text (see `analysed`),
/// while highlights are found in the text as written.
fn highlighter(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut words = BTreeMap::new();
    for term in terms {
        let Some(word) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            words.insert(word, 1.0 / (1.0 + doc_freq as f32));
        }
    }
    // Highlight whole texts; `output` cuts long ones around the matches.
    Ok(SnippetGenerator::new(
        words,
        news_analyzer(),
        field,
        1_000_000,
    ))
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

/// The hit stored at `address`, without highlights, ranked 0.
pub fn load_hit(
    index: &BriefIndex,
    searcher: &Searcher,
    score: f32,
    address: DocAddress,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .map_err(|e| Error::index(&index.dir, e))?;
    Ok(build_hit(&index.fields, &doc, score))
}

fn build_hit(fields: &Fields, doc: &TantivyDocument, score: f32) -> Hit {
    let kind = text_of(doc, fields.kind)
        .and_then(|k| DocKind::from_name(&k))
        .unwrap_or(DocKind::Article);
    let (headline, text) = if kind == DocKind::Article {
        let headline = text_of(doc, fields.shown_headline).unwrap_or_default();
        (headline.clone(), headline)
    } else {
        (
            text_of(doc, fields.shown_headline).unwrap_or_default(),
            text_of(doc, fields.shown_text).unwrap_or_default(),
        )
    };
    Hit {
        rank: 0,
        id: text_of(doc, fields.id).unwrap_or_default(),
        brief_id: text_of(doc, fields.brief_id).unwrap_or_default(),
        kind,
        position: number_of(doc, fields.position),
        score,
        text,
        highlights: Vec::new(),
        marker: text_of(doc, fields.marker),
        emoji: text_of(doc, fields.emoji),
        headline,
        source: text_of(doc, fields.source),
        date: text_of(doc, fields.date),
        path: text_of(doc, fields.file).unwrap_or_default(),
        line: number_of(doc, fields.line),
        brief_line: number_of(doc, fields.brief_line),
        folded: Vec::new(),
    }
}

/// True when two texts are the same but for case and white space.
fn same_text(a: &str, b: &str) -> bool {
    let words = |t: &str| {
        t.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    a.len().abs_diff(b.len()) < 8 && words(a) == words(b)
}

/// The analysed words of `text`.
fn analysed(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

/// Byte ranges of `text` that match the query's terms.
fn highlight_ranges(snippets: &SnippetGenerator, text: &str) -> Vec<[usize; 2]> {
    let snippet = snippets.snippet(text);
    let offset = text.find(snippet.fragment()).unwrap_or(0);
    snippet
        .highlighted()
        .iter()
        .map(|r| [r.start + offset, r.end + offset])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysed::Analysis;
    use crate::documents::brief_documents;
    use crate::parse::{Format, parse_document};

    /// An index in a temporary folder holding `briefs` (text format), one
    /// writer thread so document order is the order given.
    fn index_of(briefs: &[(&str, &str)]) -> (tempfile::TempDir, BriefIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = BriefIndex::create(dir.path()).unwrap();
        let mut writer = index.writer(1, 15_000_000).unwrap();
        for (name, text) in briefs {
            let brief = parse_document(str::as_bytes(text), Format::Text, name)
                .remove(0)
                .unwrap();
            for doc in brief_documents(&index.fields, &mut Analysis::default(), &brief, name) {
                writer.add_document(doc).unwrap();
            }
        }
        index.commit(&mut writer).unwrap();
        (dir, index)
    }

    fn ids(index: &BriefIndex, options: &SearchOptions) -> Vec<String> {
        let reader = index.reader().unwrap();
        search(index, &reader.searcher(), options)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    const HARLOW: &str = "Harlow Mills Shares Tumble — Mill Gazette\n📉 Harlow Mills cut its profit forecast for the year.\n- Investors sold after the profit warning.\n";
    const KESTREL: &str = "Kestrel vaccine trial ends — Health Desk\n💉 The Kestrel trial enrolled 4,000 children.\n- Results are due in spring.\n";
    const KESTRAL: &str = "Kestral festival returns — Arts Desk\n🎶 The Kestral festival sold out in a day.\n- Tickets went fast.\n";

    #[test]
    fn headline_context_finds_the_right_bullet() {
        let (_dir, index) = index_of(&[("h.txt", HARLOW), ("k.txt", KESTREL)]);
        assert_eq!(
            ids(&index, &SearchOptions::new("harlow investors"))[0],
            "h.txt#s1"
        );
    }

    #[test]
    fn exact_match_beats_fuzzy_match() {
        let (_dir, index) = index_of(&[("a.txt", KESTRAL), ("k.txt", KESTREL)]);
        let found = ids(&index, &SearchOptions::new("kestrel~1 trial"));
        assert_eq!(found[0], "k.txt#p1");
        assert!(found.contains(&"a.txt#p1".to_string()), "{found:?}");
        let exact_only = ids(&index, &SearchOptions::new("kestrel"));
        assert!(
            exact_only.iter().all(|id| id.starts_with("k.txt")),
            "{exact_only:?}"
        );
    }

    #[test]
    fn typo_hidden_by_stemming_is_found() {
        let brief = "Prices ease — Money Desk\n- Inflation slowed in March.\n";
        let (_dir, index) = index_of(&[("i.txt", brief)]);
        // `inflaton` stems to itself, two edits from the stem `inflat`.
        assert_eq!(ids(&index, &SearchOptions::new("inflaton~1")), ["i.txt#s1"]);
        assert!(ids(&index, &SearchOptions::new("inflaton")).is_empty());
    }

    #[test]
    fn kind_filter_keeps_only_that_kind() {
        let (_dir, index) = index_of(&[("h.txt", HARLOW)]);
        let mut options = SearchOptions::new("harlow profit");
        options.kind = KindFilter::Summary;
        assert_eq!(ids(&index, &options), ["h.txt#s1"]);
        options.kind = KindFilter::Article;
        assert_eq!(ids(&index, &options), ["h.txt"]);
    }

    #[test]
    fn ties_are_ordered_by_id_hash_whatever_the_index_order() {
        let same = "Same story — Desk\n- Ferry fares rise again.\n";
        let names = ["b.txt", "a.txt", "c.txt"];
        let (_d1, forward) = index_of(&names.map(|n| (n, same)));
        let reversed: Vec<(&str, &str)> = names.iter().rev().map(|n| (*n, same)).collect();
        let (_d2, backward) = index_of(&reversed);
        let mut options = SearchOptions::new("ferry");
        options.dedup = false;
        let first = ids(&forward, &options);
        let mut expected = vec!["a.txt#s1", "b.txt#s1", "c.txt#s1"];
        expected.sort_by_key(|id| crate::schema::tie_key(id));
        assert_eq!(first, expected);
        assert_eq!(ids(&backward, &options), first);
    }

    #[test]
    fn restated_point_and_summary_fold_into_one() {
        let brief = "Port strike ends — Dock News\n⚓ The port strike ended after 12 days with a 6.5% pay rise.\n🚢 Ships queued outside the harbour.\n- Dockers won a 6.5% pay rise, ending the 12-day port strike.\n";
        let (_dir, index) = index_of(&[("p.txt", brief)]);
        let reader = index.reader().unwrap();
        let hits = search(
            &index,
            &reader.searcher(),
            &SearchOptions::new("port strike pay"),
        )
        .unwrap();
        // One of the pair is shown, the other folded into it.
        let other = if hits[0].id == "p.txt#p1" {
            "p.txt#s1"
        } else {
            "p.txt#p1"
        };
        assert!(
            ["p.txt#p1", "p.txt#s1"].contains(&hits[0].id.as_str()),
            "{hits:?}"
        );
        assert_eq!(hits[0].folded, [other]);
        assert!(hits.iter().all(|h| h.id != other), "{hits:?}");
        let mut all = SearchOptions::new("port strike pay");
        all.dedup = false;
        assert!(ids(&index, &all).contains(&"p.txt#s1".to_string()));
    }

    #[test]
    fn the_same_bullet_in_two_briefs_is_shown_once() {
        let a = "Port reopens — Dock News\n- The port reopened on Monday.\n";
        let b = "Harbour news — Coast Post\n- The port  reopened on Monday.\n";
        let (_dir, index) = index_of(&[("a.txt", a), ("b.txt", b)]);
        let reader = index.reader().unwrap();
        let hits = search(
            &index,
            &reader.searcher(),
            &SearchOptions::new("port reopened"),
        )
        .unwrap();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].folded.len(), 1);
    }

    #[test]
    fn phrase_and_prefix_queries() {
        let (_dir, index) = index_of(&[("h.txt", HARLOW), ("k.txt", KESTREL)]);
        assert_eq!(
            ids(&index, &SearchOptions::new("\"profit warning\"")),
            ["h.txt#s1"]
        );
        assert_eq!(
            ids(&index, &SearchOptions::new("\"warning profit\"")),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(&index, &SearchOptions::new("\"sold warning\"~3")),
            ["h.txt#s1"]
        );
        assert_eq!(
            ids(&index, &SearchOptions::new("\"sold warning\"~1")),
            Vec::<String>::new()
        );
        assert_eq!(ids(&index, &SearchOptions::new("enrol*")), ["k.txt#p1"]);
    }

    #[test]
    fn marker_remnants_are_not_searchable() {
        let greek = "Mill reopens β Valley Courier\nπ The mill reopened on Monday.\nβ οΈ Workers returned.\n";
        let (_dir, index) = index_of(&[("g.txt", greek)]);
        for query in ["π", "β", "οΈ"] {
            assert!(
                ids(&index, &SearchOptions::new(query)).is_empty(),
                "{query}"
            );
        }
        assert_eq!(
            ids(&index, &SearchOptions::new("mill reopened"))[0],
            "g.txt#p1"
        );
    }

    #[test]
    fn accents_numbers_and_amounts() {
        let brief = "Café chain grows — Food Desk\n📈 Sales rose 11.5% to $1.13bn at the Zürich café chain.\n";
        let (_dir, index) = index_of(&[("c.txt", brief)]);
        for query in [
            "cafe",
            "zurich",
            "11.5%",
            "11.5",
            "$1.13bn",
            "\"rose 11.5%\"",
        ] {
            assert_eq!(
                ids(&index, &SearchOptions::new(query)),
                ["c.txt#p1"],
                "{query}"
            );
        }
        assert!(ids(&index, &SearchOptions::new("12.5%")).is_empty());
    }
}
