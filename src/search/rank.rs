//! One search over one searcher: the query read and built, filters added,
//! split into passes (`passes`: bullets that match by their own words and
//! briefs without bullets first, bullets that match only through their
//! headline after, one per brief), the best documents collected in a fixed
//! order (`order`: equal scores in brief order; a query that scores
//! nothing newest first), turned into hits, and near-duplicate bullets
//! folded into the best of them (`fold`); highlights are found for the hits
//! shown only.

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::index::BriefIndex;
use crate::query::{
    CompileError, Compiler, Node, check_length, for_intersection, kind_filter, literal_query,
    nothing_to_search, parse_query, tidy,
};
use crate::search::columns::Columns;
use crate::search::dedup::{Fingerprint, Vocabulary};
use crate::search::explain::Explainer;
use crate::search::filter::KindFilter;
use crate::search::filter::{date_filter, needs_kind_filter};
use crate::search::fold::Folding;
use crate::search::highlight::{Highlighter, best_snippet, highlight_ranges, highlighter};
use crate::search::hit::{Hit, SnippetField, load_hit, load_id};
use crate::search::lookup::find;
use crate::search::passes::{Pass, Plan, Split, Tier, has_bulletless, plan};
use crate::search::recency::Order;
use crate::search::statistics::KindStatistics;
use crate::search::within::matching;
use crate::search::{SearchOptions, order, parallel};
use crate::text::Analysis;

/// Most documents one search ranks (and so the deepest `--offset` +
/// `--limit` can reach); near-duplicate folding looks at up to three times
/// the hits asked for, within this.
pub const MAX_RANKED: usize = 100_000;

/// A search over one searcher: the compiled query and what building hits needs.
pub(crate) struct Run<'a> {
    index: &'a BriefIndex,
    searcher: &'a Searcher,
    /// Every pass's query, any of them matching: what highlights and
    /// counts are taken from.
    query: Box<dyn Query>,
    /// The searches run, best tier first.
    passes: Vec<Pass>,
    /// How the own-text and headline-only passes were made, when they were.
    split: Option<Split>,
    /// The query scores nothing: hits are listed newest first.
    newest_first: bool,
    /// The news analyser with each word's form cached: for highlights and
    /// near-duplicate checks, which analyse the same briefs' words often.
    analysis: RefCell<Analysis>,
    vocabularies: HashMap<String, Vocabulary>,
    /// Highlighters for bullet texts and headlines; `None` when not wanted.
    snippets: Option<(Highlighter, Highlighter)>,
    /// Highlighters for an article's points, summaries and body, for its
    /// snippet; empty when no article is ranked or highlights are not wanted.
    article_snippets: Vec<(SnippetField, Highlighter)>,
    /// By date or blended with age (`recency`); `None`: by relevance.
    order: Option<Order>,
    /// Most threads a query Tantivy cannot prune is ranked on (0: one a core).
    threads: usize,
    /// The parts of each hit's score, when asked for (`explain`).
    explainer: Option<Explainer>,
    /// The fast fields read document by document, opened once for the
    /// searcher.
    columns: &'a Columns,
}

impl<'a> Run<'a> {
    pub(crate) fn new(
        index: &'a BriefIndex,
        searcher: &'a Searcher,
        columns: &'a Columns,
        options: &SearchOptions,
    ) -> Result<Run<'a>> {
        Run::with_filter(index, searcher, columns, options, None)
    }

    /// [`Run::new`], limited to the documents `filter` matches (a
    /// zero-scored query).
    pub(crate) fn with_filter(
        index: &'a BriefIndex,
        searcher: &'a Searcher,
        columns: &'a Columns,
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
        let explainer = Explainer::for_search(index, searcher, options, &parsed)?;
        let compile = |kinds: &[DocKind]| {
            Compiler::new(fields, searcher, options.weights, kinds)
                .compile(&parsed)
                .map_err(|e| match e {
                    CompileError::Index(e) => Error::index(&index.dir, e),
                    CompileError::TooBroad { limit } => Error::QueryTooBroad { limit },
                    CompileError::NothingToSearch => Error::Query {
                        source: nothing_to_search(&options.query),
                    },
                })
        };
        let with_filters = |user_query, kind: KindFilter, node: &Node| {
            let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            // The compiled query only looks in fields of the kinds asked for; a
            // filter on kind is needed only where that does not separate them.
            if needs_kind_filter(kind, node) {
                filters.push((Occur::Must, kind_filter(fields, kind.kinds())));
            }
            if let Some(dates) = date_filter(fields.day, options.since, options.until) {
                filters.push((Occur::Must, dates));
            }
            if let Some(filter) = &filter {
                filters.push((Occur::Must, filter.box_clone()));
            }
            // A lone query stays as it is: wrapped, Tantivy could no longer skip
            // blocks of documents that cannot reach the top (block-max WAND).
            let query: Box<dyn Query> = if filters.is_empty() {
                user_query
            } else {
                filters.insert(0, (Occur::Must, for_intersection(user_query)));
                Box::new(BooleanQuery::new(filters))
            };
            query
        };
        let main = with_filters(compile(kinds)?, options.kind, &parsed);
        // Briefs without bullets are found by the default search through
        // their article doc, scored as `--kind article` scores it.
        let articles = KindFilter::Article;
        let bulletless = if options.kind == KindFilter::Bullet
            && has_bulletless(searcher, fields).map_err(|e| Error::index(&index.dir, e))?
        {
            Some(with_filters(compile(articles.kinds())?, articles, &parsed))
        } else {
            None
        };
        let Plan {
            passes,
            split,
            query,
            newest_first,
        } = plan(fields, options, &parsed, main, bulletless);
        let ranks_articles = passes.iter().any(|p| p.kinds.contains(&DocKind::Article));
        let snippets = |field| highlighter(&*query, field);
        let (snippets, article_snippets) = if options.highlight {
            let mut article = Vec::new();
            if ranks_articles {
                for (part, field) in [
                    (SnippetField::Point, fields.points),
                    (SnippetField::Summary, fields.summaries),
                    (SnippetField::Body, fields.body),
                ] {
                    article.push((part, snippets(field)));
                }
            }
            let own = (snippets(fields.text), snippets(fields.headline));
            (Some(own), article)
        } else {
            (None, Vec::new())
        };
        Ok(Run {
            order: Order::of(options.sort, options.recency),
            threads: options.threads,
            explainer,
            passes,
            split,
            newest_first,
            snippets,
            article_snippets,
            index,
            searcher,
            query,
            analysis: RefCell::new(Analysis::default()),
            columns,
            vocabularies: HashMap::new(),
        })
    }

    /// The best `n` documents of `pass`, best first, equal scores in brief
    /// order (`order`), so a search repeats exactly even across rebuilt
    /// indexes (whose segment order, with several writer threads, is not
    /// fixed). A few extra documents are collected so ties at the cut are
    /// ordered too.
    fn top(&self, pass: &Pass, n: usize) -> Result<Vec<(f32, DocAddress)>> {
        self.top_query(&*pass.query, pass.kinds, n)
    }

    /// [`Run::top`] for any query, ranked with the statistics of `kinds`.
    fn top_query(
        &self,
        query: &dyn Query,
        kinds: &[DocKind],
        n: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        const TIE_MARGIN: usize = 16;
        let to_err = |e| Error::index(&self.index.dir, e);
        let stats =
            KindStatistics::new(self.searcher, &self.index.fields, kinds).map_err(to_err)?;
        if let Some(order) = self.order {
            return order
                .top(
                    self.searcher,
                    &self.columns.places,
                    query,
                    &stats,
                    n,
                    TIE_MARGIN,
                )
                .map_err(to_err);
        }
        let limit = n.max(1) + TIE_MARGIN;
        let top =
            parallel::top(self.searcher, query, &stats, limit, self.threads).map_err(to_err)?;
        let mut ordered =
            order::by_score(self.searcher, &self.columns.places, top).map_err(to_err)?;
        ordered.truncate(n.max(1));
        Ok(ordered)
    }

    /// The best `n` documents of the passes of `tier`, merged by score.
    fn top_of(&self, tier: Tier, n: usize) -> Result<Vec<(f32, DocAddress)>> {
        let passes: Vec<&Pass> = self.passes.iter().filter(|p| p.tier == tier).collect();
        if let [pass] = passes.as_slice() {
            return self.top(pass, n);
        }
        let mut merged = Vec::new();
        for pass in passes {
            merged.extend(self.top(pass, n)?);
        }
        self.merged(merged, n)
    }

    /// `hits` of several passes in one order, the first `n`.
    fn merged(&self, hits: Vec<(f32, DocAddress)>, n: usize) -> Result<Vec<(f32, DocAddress)>> {
        let mut merged = match self.order {
            Some(by) => by.arrange(self.searcher, &self.columns.places, hits),
            None => order::by_score(self.searcher, &self.columns.places, hits),
        }
        .map_err(|e| Error::index(&self.index.dir, e))?;
        merged.truncate(n.max(1));
        Ok(merged)
    }

    /// The best `n` documents that match by their own words (and briefs
    /// without bullets), and, when the query's matches were all seen, its
    /// headline-only bullets, best first. The plain query is ranked first
    /// (Tantivy can prune it) and its top split by [`matching`]; only when
    /// that top holds too few own-text bullets is the limited query run.
    #[allow(clippy::type_complexity)]
    fn own_tier(
        &self,
        n: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, Option<Vec<(f32, DocAddress)>>)> {
        let mut context = None;
        let mut found = match &self.split {
            None => self.top_of(Tier::Own, n)?,
            Some(split) => {
                let window = n.saturating_mul(2).min(MAX_RANKED);
                let top = self.top_query(&*split.main, split.kinds, window)?;
                let everything = top.len() < window;
                let addresses: Vec<DocAddress> = top.iter().map(|(_, a)| *a).collect();
                let own_text = matching(self.searcher, &*split.own, &addresses)
                    .map_err(|e| Error::index(&self.index.dir, e))?;
                let (mut own, rest): (Vec<_>, Vec<_>) =
                    top.into_iter().zip(own_text).partition(|(_, own)| *own);
                if everything {
                    context = Some(rest.into_iter().map(|(hit, _)| hit).collect());
                }
                if own.len() >= n || everything {
                    own.truncate(n);
                    own.into_iter().map(|(hit, _)| hit).collect()
                } else {
                    self.top_of(Tier::Own, n)?
                }
            }
        };
        if self.passes.iter().any(|p| p.tier == Tier::Bulletless) {
            found.extend(self.top_of(Tier::Bulletless, n)?);
            found = self.merged(found, n)?;
        }
        Ok((found, context))
    }

    /// How many documents the search matches, every pass counted.
    pub(crate) fn count(&self) -> Result<usize> {
        let mut total = 0;
        for pass in &self.passes {
            total += self
                .searcher
                .search(&*pass.query, &Count)
                .map_err(|e| Error::index(&self.index.dir, e))?;
        }
        Ok(total)
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
            (Occur::Must, for_intersection(self.query.box_clone())),
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
            hit.highlights = highlight_ranges(snippets, &mut self.analysis.borrow_mut(), &hit.text);
            if hit.kind == DocKind::Article && !self.article_snippets.is_empty() {
                let brief = find(self.index, self.searcher, &hit.brief_id)?.brief;
                hit.snippet = best_snippet(
                    &brief,
                    &self.article_snippets,
                    &mut self.analysis.borrow_mut(),
                );
            }
        }
        Ok(())
    }

    /// Reads the ids of the copies folded into `hits` without being read:
    /// all of them when `all`, else only where one alone is folded.
    pub(crate) fn read_folded(&self, hits: &mut [Hit], all: bool) -> Result<()> {
        for hit in hits {
            if hit.folded_at.is_empty() || !(all || hit.folded_count() == 1) {
                continue;
            }
            let mut read = std::mem::take(&mut hit.folded).into_iter();
            let mut unread = std::mem::take(&mut hit.folded_at).into_iter().peekable();
            let total = read.len() + unread.len();
            for place in 0..total {
                let id = match unread.next_if(|(at, _)| *at == place) {
                    Some((_, address)) => load_id(self.index, self.searcher, address)?,
                    None => read.next().unwrap_or_default(),
                };
                hit.folded.push(id);
            }
        }
        Ok(())
    }

    /// A bullet's analysed terms, in order.
    pub(crate) fn terms(&mut self, hit: &Hit) -> Vec<String> {
        self.analysis.get_mut().terms(&hit.text)
    }

    /// The fingerprint for near-duplicate checks of a bullet whose analysed
    /// terms are `terms`.
    pub(crate) fn fingerprint(&mut self, hit: &Hit, terms: &[String]) -> Result<Fingerprint> {
        if !self.vocabularies.contains_key(&hit.brief_id) {
            let vocabulary = self.vocabulary(&hit.brief_id)?;
            self.vocabularies.insert(hit.brief_id.clone(), vocabulary);
        }
        let vocabulary = &self.vocabularies[&hit.brief_id];
        Ok(Fingerprint::new(terms, &mut |t| vocabulary.idf(t)))
    }

    /// The word frequencies among the bullets of brief `brief_id`.
    fn vocabulary(&mut self, brief_id: &str) -> Result<Vocabulary> {
        let brief = find(self.index, self.searcher, brief_id)?.brief;
        let texts = brief
            .points
            .iter()
            .map(|p| &p.text)
            .chain(brief.summaries.iter().map(|s| &s.text));
        let analysis = self.analysis.get_mut();
        let bullets: Vec<Vec<String>> = texts.map(|t| analysis.terms(t)).collect();
        Ok(Vocabulary::new(&bullets))
    }

    /// The best hits with near-duplicates folded (when asked), enough of them
    /// to fill `wanted` results; without highlights (see [`Run::highlight`]).
    /// Bullets that match only through their headline come after every
    /// other hit, one per brief, the brief's others named in its
    /// `context_folded`.
    pub(crate) fn ranked_hits(&mut self, wanted: usize, dedup: bool) -> Result<Vec<Hit>> {
        let mut pool = if dedup {
            wanted.saturating_mul(3).saturating_add(30)
        } else {
            wanted
        };
        if dedup && !self.newest_first {
            // Few matches: rank them all at once, rather than a pool that
            // copies may use up before ranking again deeper.
            if let Some(matches) = self.few_matches()? {
                pool = pool.max(matches);
            }
        }
        pool = pool.min(MAX_RANKED);
        // Hits read by a pass that had to rank deeper are not read again.
        let mut read: HashMap<DocAddress, Hit> = HashMap::new();
        loop {
            let (top, context) = if self.newest_first {
                let queries: Vec<&dyn Query> = self.passes.iter().map(|p| &*p.query).collect();
                let newest = order::newest_first(self.searcher, &queries, pool)
                    .map_err(|e| Error::index(&self.index.dir, e))?;
                (newest.into_iter().map(|a| (0.0, a)).collect(), None)
            } else {
                self.own_tier(pool)?
            };
            crate::trace::mark("collect top");
            // Every match of the first tier was seen (not merely a pool of them).
            let seen_all = top.len() < pool;
            let mut folding = Folding::new(dedup);
            for (score, address) in top {
                if folding.len() >= wanted {
                    break;
                }
                // A copy of a bullet kept is folded into it unread.
                if dedup
                    && folding.fold_copy(self.columns.copy_key(self.searcher, address), address)
                {
                    continue;
                }
                let mut hit = match read.entry(address) {
                    Entry::Occupied(seen) => seen.get().clone(),
                    Entry::Vacant(slot) => slot
                        .insert(load_hit(self.index, self.searcher, score, address)?)
                        .clone(),
                };
                self.explain(address, &mut hit)?;
                folding.add(hit, self)?;
            }
            let mut hits = folding.into_hits();
            if hits.len() >= wanted || pool >= MAX_RANKED || seen_all {
                // Headline-only bullets come after every other match only.
                let context_tier = self.passes.iter().any(|p| p.tier == Tier::ContextOnly);
                if hits.len() < wanted && seen_all && context_tier {
                    self.add_context_only(&mut hits, wanted, context)?;
                }
                return Ok(hits);
            }
            // Folding used up the pool (copies of one sentence in many
            // briefs): rank deeper, by as much as the share of documents
            // kept so far says is needed (half as much again), at least 4
            // and at most 16 times.
            pool = deeper_pool(pool, wanted, hits.len());
        }
    }

    /// At most how many documents the query matches, when that is at most
    /// [`FEW_MATCHES`]: the sum of its terms' document frequencies (its
    /// dictionaries only); `None` for more, or for a query of more than 16
    /// terms (a prefix or a typo's expansions), whose lookups would cost more
    /// than they save.
    fn few_matches(&self) -> Result<Option<usize>> {
        let mut terms: Vec<Term> = Vec::new();
        let mut too_many = false;
        self.query.query_terms(&mut |term, _| {
            if terms.len() == 16 {
                too_many = true;
            } else if !terms.contains(term) {
                terms.push(term.clone());
            }
        });
        if too_many {
            return Ok(None);
        }
        let mut matches = 0u64;
        for term in &terms {
            matches += self
                .searcher
                .doc_freq(term)
                .map_err(|e| Error::index(&self.index.dir, e))?;
            if matches > FEW_MATCHES as u64 {
                return Ok(None);
            }
        }
        Ok(Some(matches as usize))
    }

    /// Attaches the parts of `hit`'s score, when `--explain` asked for them.
    fn explain(&self, address: DocAddress, hit: &mut Hit) -> Result<()> {
        match &self.explainer {
            Some(explainer) => explainer.attach(self.index, self.searcher, address, hit),
            None => Ok(()),
        }
    }

    /// Adds bullets that match only through their brief's headline after
    /// `hits`, up to `wanted` hits: the best (first) of each brief, the
    /// brief's others folded into it. Their briefs' bullets all tie, so a
    /// window of a few times the hits still wanted is looked at (`seen`:
    /// all of them, when the query's matches were all ranked already).
    fn add_context_only(
        &mut self,
        hits: &mut Vec<Hit>,
        wanted: usize,
        seen: Option<Vec<(f32, DocAddress)>>,
    ) -> Result<()> {
        let still = wanted - hits.len();
        let pool = still.saturating_mul(8).saturating_add(30).min(MAX_RANKED);
        let candidates = match seen {
            Some(seen) => seen,
            None => self.top_of(Tier::ContextOnly, pool)?,
        };
        let mut shown: HashMap<String, usize> = HashMap::new();
        for (score, address) in candidates {
            let mut hit = load_hit(self.index, self.searcher, score, address)?;
            if let Some(&i) = shown.get(&hit.brief_id) {
                hits[i].context_folded.push(hit.id);
            } else if hits.len() < wanted {
                self.explain(address, &mut hit)?;
                hit.context_only = true;
                shown.insert(hit.brief_id.clone(), hits.len());
                hits.push(hit);
            }
        }
        Ok(())
    }
}

/// Most matches a search ranks all at once: a rare word's, ranked in a
/// pool of 60 and then, once copies had used it up, all (at 200,000 briefs,
/// `asbestos`'s 224 matches: two collections of 1.2 ms each, now one).
/// More than this, and ordering all their ties would read more than a
/// pool does.
const FEW_MATCHES: usize = 512;

/// The pool to rank next when `pool` documents gave only `kept` of the
/// `wanted` hits (the rest folded): enough for `wanted` at the share kept
/// so far, half as much again, between 4 and 16 times `pool`. Ranking
/// 4 times deeper each time took three collections to find 10 sentences
/// among copies that recur 80 times (1,000,000 briefs); the share kept
/// says how deep to go in one.
fn deeper_pool(pool: usize, wanted: usize, kept: usize) -> usize {
    let needed = match kept {
        0 => usize::MAX,
        kept => pool.saturating_mul(wanted).saturating_mul(3) / kept.saturating_mul(2),
    };
    needed
        .clamp(pool.saturating_mul(4), pool.saturating_mul(16))
        .min(MAX_RANKED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deeper_pool_follows_the_share_of_hits_kept() {
        // 1 hit of 10 kept from 60: 60 * 10 / 1 * 1.5 = 900.
        assert_eq!(deeper_pool(60, 10, 1), 900);
        // Nearly enough kept: still 4 times deeper.
        assert_eq!(deeper_pool(60, 10, 9), 240);
        // None kept: at most 16 times.
        assert_eq!(deeper_pool(60, 10, 0), 960);
        assert_eq!(deeper_pool(MAX_RANKED / 2, 10, 1), MAX_RANKED);
    }
}
