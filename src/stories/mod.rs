//! Stories: the briefs of different sources that report the same event,
//! found by clustering the whole collection (or a date range of it), for
//! `briefs stories` and `search --group-stories`.
//!
//! `features` turns each brief (headline and bullets; body when it has no
//! bullets) into numbered terms and learns which terms are names and
//! figures; `cluster` weighs them (idf, raised for names, figures and
//! headline words) and compares the candidate pairs `blocking` finds on
//! each brief's heaviest terms within a time window, which `link` joins by
//! greedy average link; `describe` makes a cluster a [`Story`] (label,
//! sources, days, briefs, member bullets); `group` folds search hits into
//! their stories; `dates` formats days and reads `--window`. How the method was chosen, and its figures on the
//! judged set in `tests/fixtures/stories/`, are in the README and
//! tests/benchmarks/RESULTS.md.
//!
//! Flows in: a [`Session`] (every brief of the index through
//! `Session::scan_briefs`, and the existing search for a query). Flows
//! out: plain [`Story`] and [`StoryGroup`] values for `output/`. Never
//! imports `index/`, `output/` or `app/`, nor anything of Tantivy but the
//! `TextAnalyzer` that `text/` builds.

mod blocking;
mod cluster;
mod dates;
mod describe;
#[cfg(test)]
mod evaluation_tests;
mod features;
mod group;
mod link;

use fnv::FnvHashMap;

use crate::brief::Brief;
use crate::error::Result;
use crate::search::{BriefAt, KindFilter, SearchOptions, Session};
use cluster::{Item, Params, Similarity, Weights, cluster};
use features::Terms;

pub(crate) use dates::window_days;
pub(crate) use describe::{Story, StoryHead};
#[cfg(test)]
pub(crate) use describe::{StoryBrief, StoryBullet};
pub(crate) use group::{StoryGroup, group_hits};

/// Days between two briefs that may be linked, by default (`--window 72h`).
pub(crate) const DEFAULT_WINDOW_DAYS: i64 = 3;

/// Sources a story needs, by default (`--min-sources 2`).
pub(crate) const DEFAULT_MIN_SOURCES: usize = 2;

/// Briefs a query's search looks at to rank stories: a story none of whose
/// briefs is among them is not shown for that query.
const QUERY_BRIEFS: usize = 1000;

/// The clustering settings, chosen on the judged set (the README's
/// stories section gives the figures of each alternative).
const PARAMS: Params = Params {
    window: Some(DEFAULT_WINDOW_DAYS),
    entity_boost: 1.5,
    keys: 10,
    min_shared_keys: 2,
    max_slice: 200,
    headline: 1.0,
    undated: 0.75,
    link: 0.15,
    average: Some(0.2),
    similarity: Similarity::Cosine,
};

/// What `briefs stories` is asked.
#[derive(Debug, Clone)]
pub(crate) struct StoryOptions {
    /// Rank stories by relevance to this query (else by size and recency).
    pub(crate) query: Option<String>,
    /// Only briefs dated on or after this day.
    pub(crate) since: Option<i64>,
    /// Only briefs dated on or before this day.
    pub(crate) until: Option<i64>,
    /// Most days between two briefs linked directly.
    pub(crate) window_days: i64,
    /// Fewest sources a story shown has.
    pub(crate) min_sources: usize,
    /// How many stories to show.
    pub(crate) limit: usize,
}

/// Briefs as the clustering sees them, with what is needed to find them
/// again.
#[derive(Default)]
pub(crate) struct Collection {
    terms: Terms,
    items: Vec<Item>,
    /// Brief id → item.
    ids: FnvHashMap<String, usize>,
    /// Each item's source number (briefs without one share a number).
    sources: Vec<u32>,
    source_numbers: FnvHashMap<Option<String>, u32>,
    scratch: Vec<u32>,
    weights: Option<Weights>,
}

impl Collection {
    /// Adds a brief dated `day`; items are numbered in the order added.
    pub(crate) fn add(&mut self, brief: &Brief, day: Option<i64>) {
        let (terms, headline) = self.terms.brief_terms(brief, &mut self.scratch);
        let next = u32::try_from(self.source_numbers.len()).unwrap_or(u32::MAX);
        let source = *self
            .source_numbers
            .entry(brief.source.clone())
            .or_insert(next);
        self.ids.insert(brief.id.clone(), self.items.len());
        self.sources.push(source);
        self.items.push(Item {
            day,
            terms,
            headline,
        });
    }

    /// The groups of items that tell one event, with at least
    /// `min_sources` sources each (the weights used are kept for `describe`).
    fn stories(&mut self, params: &Params, min_sources: usize) -> Vec<Vec<usize>> {
        let terms = &self.terms;
        let weights = Weights::new(&self.items, terms.len(), params.entity_boost, |t| {
            terms.entity(t)
        });
        let mut stories = cluster(&self.items, &weights, params).clusters;
        self.weights = Some(weights);
        stories.retain(|members| self.source_count(members) >= min_sources.max(1));
        stories
    }

    fn source_count(&self, members: &[usize]) -> usize {
        let mut seen: Vec<u32> = members.iter().map(|&i| self.sources[i]).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    fn latest_day(&self, members: &[usize]) -> Option<i64> {
        members.iter().filter_map(|&i| self.items[i].day).max()
    }
}

/// Every brief of the session's index dated within `since..=until`, read
/// for clustering, with where each is stored.
fn read_collection(
    session: &Session,
    since: Option<i64>,
    until: Option<i64>,
) -> Result<(Collection, Vec<BriefAt>)> {
    let mut collection = Collection::default();
    let mut stored = Vec::new();
    session.scan_briefs(since, until, |scanned| {
        collection.add(&scanned.brief, scanned.day);
        stored.push(scanned.at);
        Ok(())
    })?;
    Ok((collection, stored))
}

/// The stories `options` asks for, best first, ranked 1..
pub(crate) fn find_stories(session: &Session, options: &StoryOptions) -> Result<Vec<Story>> {
    let (mut collection, stored) = read_collection(session, options.since, options.until)?;
    let params = Params {
        window: Some(options.window_days),
        ..PARAMS
    };
    let stories = collection.stories(&params, options.min_sources);
    let mut ranked: Vec<(Option<f32>, &Vec<usize>)> = match &options.query {
        None => stories.iter().map(|m| (None, m)).collect(),
        Some(query) => {
            let best = best_scores(session, &collection, query, options)?;
            stories
                .iter()
                .filter_map(|m| {
                    let score = m
                        .iter()
                        .filter_map(|i| best.get(i))
                        .copied()
                        .reduce(f32::max);
                    score.map(|s| (Some(s), m))
                })
                .collect()
        }
    };
    ranked.sort_by(|(sa, a), (sb, b)| {
        let by_score = sb.unwrap_or(0.0).total_cmp(&sa.unwrap_or(0.0));
        by_score
            .then(collection.source_count(b).cmp(&collection.source_count(a)))
            .then(b.len().cmp(&a.len()))
            .then(collection.latest_day(b).cmp(&collection.latest_day(a)))
            .then(a[0].cmp(&b[0]))
    });
    let mut shown = Vec::new();
    for (rank, (score, members)) in ranked.into_iter().take(options.limit).enumerate() {
        let mut briefs = Vec::with_capacity(members.len());
        for &i in members {
            briefs.push(session.brief_at(stored[i])?);
        }
        let weights = collection.weights.as_ref();
        let mut story = match weights {
            Some(weights) => describe::describe(briefs, &mut collection.terms, weights),
            None => continue,
        };
        story.rank = rank + 1;
        story.score = score;
        shown.push(story);
    }
    Ok(shown)
}

/// The best article score of each item for `query` (among the best
/// [`QUERY_BRIEFS`] briefs, or more when many stories are asked for).
fn best_scores(
    session: &Session,
    collection: &Collection,
    query: &str,
    options: &StoryOptions,
) -> Result<FnvHashMap<usize, f32>> {
    let mut search = SearchOptions::new(query);
    search.kind = KindFilter::Article;
    search.limit = QUERY_BRIEFS.max(options.limit.saturating_mul(50));
    search.since = options.since;
    search.until = options.until;
    search.dedup = false;
    search.highlight = false;
    let mut best = FnvHashMap::default();
    for hit in session.search(&search)? {
        if let Some(&item) = collection.ids.get(&hit.brief_id) {
            let score = best.entry(item).or_insert(hit.score);
            *score = score.max(hit.score);
        }
    }
    Ok(best)
}
