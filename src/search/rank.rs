//! One search over one searcher: the query read and built, filters added,
//! the best documents collected in a fixed order (equal scores by a stable
//! hash of the id), turned into hits, and near-duplicate bullets folded
//! into the best of them (`fold`); highlights are found for the hits shown
//! only.

use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, Term};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::index::{BriefIndex, TIE_FIELD};
use crate::query::{
    CompileError, Compiler, check_length, kind_filter, literal_query, parse_query, tidy,
};
use crate::search::SearchOptions;
use crate::search::dedup::{Fingerprint, Vocabulary};
use crate::search::filter::{date_filter, needs_kind_filter};
use crate::search::fold::Folding;
use crate::search::highlight::{best_snippet, highlight_ranges, highlighter};
use crate::search::hit::{Hit, SnippetField, load_hit};
use crate::search::lookup::find;
use crate::search::statistics::KindStatistics;
use crate::text::{analyse, news_analyzer};

/// Most documents one search ranks (and so the deepest `--offset` +
/// `--limit` can reach); near-duplicate folding looks at up to three times
/// the hits asked for, within this.
pub const MAX_RANKED: usize = 100_000;

/// A search over one searcher: the compiled query and what building hits needs.
pub(crate) struct Run<'a> {
    index: &'a BriefIndex,
    searcher: &'a Searcher,
    query: Box<dyn Query>,
    analyzer: TextAnalyzer,
    vocabularies: HashMap<String, Vocabulary>,
    /// The kinds of document ranked (for BM25 statistics).
    kinds: &'static [DocKind],
    /// Highlighters for bullet texts and headlines; `None` when not wanted.
    snippets: Option<(SnippetGenerator, SnippetGenerator)>,
    /// Highlighters for an article's points, summaries and body, for its
    /// snippet; empty when no article is ranked or highlights are not wanted.
    article_snippets: Vec<(SnippetField, SnippetGenerator)>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(
        index: &'a BriefIndex,
        searcher: &'a Searcher,
        options: &SearchOptions,
    ) -> Result<Run<'a>> {
        Run::with_filter(index, searcher, options, None)
    }

    /// [`Run::new`], limited to the documents `filter` matches (a
    /// zero-scored query).
    pub(crate) fn with_filter(
        index: &'a BriefIndex,
        searcher: &'a Searcher,
        options: &SearchOptions,
        filter: Option<Box<dyn Query>>,
    ) -> Result<Run<'a>> {
        let fields = &index.fields;
        let parsed = if options.literal {
            // Bounded before tidying, so the column is the one typed.
            check_length(&options.query).and_then(|()| {
                literal_query(&tidy(&options.query, options.tidy), options.all_terms)
            })
        } else {
            parse_query(&options.query, options.all_terms)
        }
        .map_err(|source| Error::Query { source })?;
        let kinds = options.kind.kinds();
        let user_query = Compiler::new(fields, searcher, options.weights, kinds)
            .compile(&parsed)
            .map_err(|e| match e {
                CompileError::Index(e) => Error::index(&index.dir, e),
                CompileError::TooBroad { limit } => Error::QueryTooBroad { limit },
            })?;
        let mut filters: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
        // The compiled query only looks in fields of the kinds asked for; a
        // filter on kind is needed only where that does not separate them.
        if needs_kind_filter(options.kind, &parsed) {
            filters.push((Occur::Must, kind_filter(fields, kinds)));
        }
        if let Some(dates) = date_filter(fields.day, options.since, options.until) {
            filters.push((Occur::Must, dates));
        }
        if let Some(filter) = filter {
            filters.push((Occur::Must, filter));
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
        let (snippets, article_snippets) = if options.highlight {
            let mut article = Vec::new();
            if kinds.contains(&DocKind::Article) {
                for (part, field) in [
                    (SnippetField::Point, fields.points),
                    (SnippetField::Summary, fields.summaries),
                    (SnippetField::Body, fields.body),
                ] {
                    article.push((part, snippets(field)?));
                }
            }
            let own = (snippets(fields.text)?, snippets(fields.headline)?);
            (Some(own), article)
        } else {
            (None, Vec::new())
        };
        Ok(Run {
            kinds,
            snippets,
            article_snippets,
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
        // Each segment's column of tie keys, looked up once.
        let mut ties = vec![None; self.searcher.segment_readers().len()];
        for (score, address) in top {
            let column = match &mut ties[address.segment_ord as usize] {
                Some(column) => column,
                slot => {
                    let segment = self.searcher.segment_reader(address.segment_ord);
                    slot.insert(segment.fast_fields().u64(TIE_FIELD).map_err(to_err)?)
                }
            };
            keyed.push((score, column.first(address.doc_id).unwrap_or(0), address));
        }
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        keyed.truncate(n.max(1));
        Ok(keyed
            .into_iter()
            .map(|(score, _, address)| (score, address))
            .collect())
    }

    /// How many documents of brief `brief_id` match the query (of the kinds
    /// ranked, in the dates asked for): what a group's count of more
    /// matching bullets is taken from, whatever window of hits was ranked.
    pub(crate) fn count_in_brief(&self, brief_id: &str) -> Result<usize> {
        let fields = &self.index.fields;
        let in_brief: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(fields.brief_id, brief_id),
            IndexRecordOption::Basic,
        ));
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.query.box_clone()),
            (Occur::Must, in_brief),
        ]);
        self.searcher
            .search(&query, &Count)
            .map_err(|e| Error::index(&self.index.dir, e))
    }

    /// Finds the matched words' byte ranges of `hits` (when highlights
    /// were asked for), and an article's best-matching snippet: done for
    /// the hits shown only, not for every hit ranked, passed over or folded.
    pub(crate) fn highlight(&self, hits: &mut [Hit]) -> Result<()> {
        let Some((bullets, headlines)) = &self.snippets else {
            return Ok(());
        };
        for hit in hits {
            let snippets = if hit.kind == DocKind::Article {
                headlines
            } else {
                bullets
            };
            hit.highlights = highlight_ranges(snippets, &hit.text);
            if hit.kind == DocKind::Article && !self.article_snippets.is_empty() {
                let brief = find(self.index, self.searcher, &hit.brief_id)?.brief;
                hit.snippet = best_snippet(&brief, &self.article_snippets);
            }
        }
        Ok(())
    }

    /// A bullet's fingerprint for near-duplicate checks.
    pub(crate) fn fingerprint(&mut self, hit: &Hit) -> Result<Fingerprint> {
        let terms = words(&mut self.analyzer, &hit.text);
        if !self.vocabularies.contains_key(&hit.brief_id) {
            let vocabulary = self.vocabulary(&hit.brief_id)?;
            self.vocabularies.insert(hit.brief_id.clone(), vocabulary);
        }
        let vocabulary = &self.vocabularies[&hit.brief_id];
        Ok(Fingerprint::new(&terms, &mut |t| vocabulary.idf(t)))
    }

    /// The word frequencies among the bullets of brief `brief_id`.
    fn vocabulary(&mut self, brief_id: &str) -> Result<Vocabulary> {
        let brief = find(self.index, self.searcher, brief_id)?.brief;
        let texts = brief
            .points
            .iter()
            .map(|p| &p.text)
            .chain(brief.summaries.iter().map(|s| &s.text));
        let bullets: Vec<Vec<String>> = texts.map(|t| words(&mut self.analyzer, t)).collect();
        Ok(Vocabulary::new(&bullets))
    }

    /// The best hits with near-duplicates folded (when asked), enough of them
    /// to fill `wanted` results; without highlights (see [`Run::highlight`]).
    pub(crate) fn ranked_hits(&mut self, wanted: usize, dedup: bool) -> Result<Vec<Hit>> {
        let pool = if dedup {
            wanted.saturating_mul(3).saturating_add(30)
        } else {
            wanted
        };
        let top = self.top(pool.min(MAX_RANKED))?;
        crate::trace::mark("collect top");
        let mut folding = Folding::new(dedup);
        for (score, address) in top {
            if folding.len() >= wanted {
                break;
            }
            let hit = load_hit(self.index, self.searcher, score, address)?;
            folding.add(hit, self)?;
        }
        Ok(folding.into_hits())
    }
}

/// The analysed words of `text`, in order.
fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analyse(analyzer, text)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}
