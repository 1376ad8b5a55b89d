//! Stage 6: ranking documents for a query. A [`Session`] holds an opened
//! index and one searcher on its last commit; each search reads and builds
//! the query (`query/`), limits it to the kinds and dates asked for
//! (`filter`), collects the best hits in a fixed order (by relevance, or
//! by date or relevance blended with age: `recency`) and folds
//! near-duplicate bullets of one brief into each other (`rank`, `fold`,
//! `dedup`), splits scores into their parts on request (`explain`),
//! optionally groups hits by brief, and builds [`Hit`]s with the matched
//! words' byte ranges (`hit`, `highlight`). `lookup` finds a brief or bullet
//! by id, `related` the bullets of other briefs most like one, `scan` reads
//! every brief back (for `stories/`), `batch` reads query files. Prints
//! nothing.
//!
//! Flows in: an index (`index/`) and [`SearchOptions`]. Flows out: plain
//! [`Hit`]s and [`Group`]s for `output/`. Never imports `output/` or `app/`.

mod batch;
mod columns;
mod dedup;
mod explain;
mod filter;
mod fold;
mod highlight;
mod hints;
mod hit;
mod lookup;
mod order;
mod parallel;
mod passes;
#[cfg(test)]
mod properties;
mod rank;
mod recency;
mod related;
mod scan;
mod statistics;
mod within;

use std::collections::HashMap;
use std::path::Path;

use tantivy::Searcher;

use crate::brief::split_bullet_id;
use crate::error::Result;
use crate::index::{BriefIndex, IndexStats, count_briefs, index_stats};
use crate::query::{Tidy, Weights};
use crate::search::columns::Columns;
use crate::search::rank::Run;
use crate::trace;

pub use explain::{Explain, RecencyPart, ScorePart};
pub use filter::KindFilter;
pub(crate) use hints::Hints;
pub use hit::{Group, Hit, Snippet, SnippetField};
pub use recency::{Recency, SortBy};

pub(crate) use batch::{BatchLine, query_lines};
pub(crate) use filter::body_scope_without_articles;
pub(crate) use hit::relative_path;
pub(crate) use lookup::Found;
pub(crate) use rank::MAX_RANKED;
pub(crate) use recency::parse_half_life;
pub(crate) use scan::{BriefAt, Scanned};

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
    /// The order of the hits (`--sort`).
    pub sort: SortBy,
    /// Relevance blended with age (`--recent`), or relevance alone.
    pub recency: Option<Recency>,
    /// Split each hit's score into its parts (`--explain`).
    pub explain: bool,
    /// Read the ids of every bullet folded into a hit shown (JSON writes
    /// them); false reads only a lone one, as text output names it.
    pub folded_ids: bool,
    /// Most threads one search ranks a query on (`--threads`); 0: one per
    /// core, at most 8. Only queries Tantivy cannot prune (or prunes
    /// slowly: many terms), over large segments, use more than one.
    pub threads: usize,
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
            sort: SortBy::Score,
            recency: None,
            explain: false,
            folded_ids: true,
            threads: 0,
        }
    }
}

/// An opened index and a searcher on its last commit: every search,
/// lookup and count of one command runs on the same snapshot.
pub struct Session {
    index: BriefIndex,
    searcher: Searcher,
    /// The searcher's columns read by document, opened once for every
    /// search of the session.
    columns: Columns,
}

impl Session {
    /// Opens the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<Session> {
        let index = BriefIndex::open(dir)?;
        // The reader `open` made is on the commit just found: reloading it
        // would open every segment again.
        let searcher = index.opened_searcher()?;
        trace::mark("searcher");
        Ok(Session::on(index, searcher))
    }

    fn on(index: BriefIndex, searcher: Searcher) -> Session {
        Session {
            index,
            searcher,
            columns: Columns::default(),
        }
    }

    /// A session on `index`'s last commit.
    pub fn new(index: BriefIndex) -> Result<Session> {
        let searcher = index.reader()?.searcher();
        trace::mark("searcher");
        Ok(Session::on(index, searcher))
    }

    /// Runs a search and returns its hits, best first, ranked 1.. after the offset.
    pub fn search(&self, options: &SearchOptions) -> Result<Vec<Hit>> {
        let mut run = Run::new(&self.index, &self.searcher, &self.columns, options)?;
        trace::mark("build query");
        let wanted = options.offset.saturating_add(options.limit);
        let hits = run.ranked_hits(wanted, options.dedup)?;
        trace::mark("load and fold");
        let mut shown: Vec<Hit> = hits
            .into_iter()
            .skip(options.offset)
            .take(options.limit)
            .enumerate()
            .map(|(i, mut hit)| {
                hit.rank = options.offset + i + 1;
                hit
            })
            .collect();
        run.highlight(&mut shown)?;
        run.read_folded(&mut shown, options.folded_ids)?;
        trace::mark("highlight");
        Ok(shown)
    }

    /// Runs a search and groups its hits by brief: briefs in the order of their
    /// best hit, each with up to `per_brief` hits beneath it.
    pub fn search_grouped(&self, options: &SearchOptions, per_brief: usize) -> Result<Vec<Group>> {
        let mut run = Run::new(&self.index, &self.searcher, &self.columns, options)?;
        let wanted = options
            .offset
            .saturating_add(options.limit)
            .saturating_mul(per_brief.max(1) * 4);
        let mut hits = run.ranked_hits(wanted, options.dedup)?;
        // Every id: a group's count of more bullets leaves out those folded.
        run.read_folded(&mut hits, true)?;
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
            }
        }
        groups
            .into_iter()
            .skip(options.offset)
            .take(options.limit)
            .enumerate()
            .map(|(i, mut group)| {
                group.rank = options.offset + i + 1;
                for (j, hit) in group.hits.iter_mut().enumerate() {
                    hit.rank = j + 1;
                }
                run.highlight(&mut group.hits)?;
                // Counted over the whole brief, not over the hits ranked, so
                // the count does not depend on `-n`; near-duplicates already
                // named as folded into a shown hit are not counted again.
                let matching = run.count_in_brief(&group.brief_id)?;
                let folded = group
                    .hits
                    .iter()
                    .flat_map(|hit| hit.folded.iter().chain(&hit.context_folded))
                    .filter(|id| split_bullet_id(id).is_some_and(|(b, _, _)| b == group.brief_id))
                    .count();
                group.more = matching.saturating_sub(group.hits.len() + folded);
                Ok(group)
            })
            .collect()
    }

    /// What `options`, a search that found nothing, could have found:
    /// near index words for misspelt ones, counts with `--kind article`
    /// and without `--all`. Meant for zero hits only (it runs searches).
    pub(crate) fn zero_hit_hints(&self, options: &SearchOptions) -> Result<Hints> {
        hints::hints(&self.index, &self.searcher, options)
    }

    /// The brief (and bullet) an id names.
    pub(crate) fn find(&self, id: &str) -> Result<Found> {
        lookup::find(&self.index, &self.searcher, id)
    }

    /// The id `given` names: itself, or the brief or bullet at `path:line`
    /// as search prints it (`keys` turns the path into the file keys it may
    /// stand for); `bullet` when only a bullet will do.
    pub(crate) fn resolve(
        &self,
        given: &str,
        keys: &dyn Fn(&str) -> Vec<String>,
        bullet: bool,
    ) -> Result<String> {
        lookup::resolve(&self.index, &self.searcher, given, keys, bullet)
    }

    /// Bullets of other briefs most like bullet `id`, best first, ranked 1..
    pub(crate) fn related(&self, id: &str, limit: usize) -> Result<Vec<Hit>> {
        related::related(&self.index, &self.searcher, id, limit)
    }

    /// Calls `each` with every brief dated within `since..=until` (all of
    /// them when both are `None`), in index order.
    pub(crate) fn scan_briefs(
        &self,
        since: Option<i64>,
        until: Option<i64>,
        each: impl FnMut(Scanned) -> Result<()>,
    ) -> Result<()> {
        scan::scan(&self.index, &self.searcher, since, until, each)
    }

    /// A brief read by `scan_briefs`, read again.
    pub(crate) fn brief_at(&self, at: BriefAt) -> Result<Scanned> {
        scan::read(&self.index, &self.searcher, at)
    }

    /// What the index holds.
    pub(crate) fn stats(&self) -> Result<IndexStats> {
        index_stats(&self.index, &self.searcher)
    }

    /// How many briefs the index holds.
    pub(crate) fn count_briefs(&self) -> Result<u64> {
        count_briefs(&self.index, &self.searcher)
    }
}

/// How many documents were first seen after generation `after` and up to
/// `through` (their posting lists only).
pub(crate) fn count_new(
    index: &BriefIndex,
    searcher: &Searcher,
    after: u64,
    through: u64,
) -> Result<usize> {
    let filter = filter::first_seen_filter(index.fields.first_seen, after, through);
    searcher
        .search(&*filter, &tantivy::collector::Count)
        .map_err(|e| crate::error::Error::index(&index.dir, e))
}

/// Runs a search over the `new` documents first seen after generation
/// `after` and up to `through` only (what `briefs watch` alerts on), on
/// `searcher`: every match up to the limit, unfolded, best first. Matches
/// are found without highlights first, so a query that matches nothing new
/// (most, most of the time) costs only its search.
pub(crate) fn search_new(
    index: &BriefIndex,
    searcher: &Searcher,
    options: &SearchOptions,
    (after, through, new): (u64, u64, usize),
) -> Result<Vec<Hit>> {
    let filter = || {
        Some(filter::first_seen_filter(
            index.fields.first_seen,
            after,
            through,
        ))
    };
    let wanted = options.limit.min(new);
    let mut probe = options.clone();
    probe.highlight = false;
    let columns = Columns::default();
    let hits = Run::with_filter(index, searcher, &columns, &probe, filter())?
        .ranked_hits(wanted, false)?;
    let hits = if hits.is_empty() || !options.highlight {
        hits
    } else {
        Run::with_filter(index, searcher, &columns, options, filter())?
            .ranked_hits(wanted, false)?
    };
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(i, mut hit)| {
            hit.rank = i + 1;
            hit
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::brief_documents;
    use crate::parse::{Format, parse_document};
    use crate::text::Analysis;

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
        Session::new(BriefIndex::open(&index.dir).unwrap())
            .unwrap()
            .search(options)
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
    fn ties_are_in_brief_order_whatever_the_index_order() {
        let same = "Same story — Desk\n- Ferry fares rise again.\n- Ferry fares rise.\n";
        let names = ["y.txt", "x.txt", "z.txt"];
        let (_d1, forward) = index_of(&names.map(|n| (n, same)));
        let reversed: Vec<(&str, &str)> = names.iter().rev().map(|n| (*n, same)).collect();
        let (_d2, backward) = index_of(&reversed);
        let mut options = SearchOptions::new("ferry");
        options.dedup = false;
        let first = ids(&forward, &options);
        // Each brief's shorter bullet scores higher; equal scores list the
        // files in one order (by a hash of the path), whatever order the
        // briefs were indexed in.
        let files: Vec<&str> = first[..3].iter().map(|id| &id[..5]).collect();
        assert!(first[..3].iter().all(|id| id.ends_with("#s2")), "{first:?}");
        assert!(first[3..].iter().all(|id| id.ends_with("#s1")), "{first:?}");
        let again: Vec<&str> = first[3..].iter().map(|id| &id[..5]).collect();
        assert_eq!(files, again);
        let mut sorted = files.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["x.txt", "y.txt", "z.txt"]);
        // That order is the files' hashes' (the index is sorted by place).
        let mut by_hash = names.to_vec();
        by_hash.sort_by_key(|name| crate::index::file_hash(name));
        assert_eq!(files, by_hash);
        assert_eq!(ids(&backward, &options), first);
    }

    #[test]
    fn restated_point_and_summary_fold_into_one() {
        let brief = "Port strike ends — Dock News\n⚓ The port strike ended after 12 days with a 6.5% pay rise.\n🚢 Ships queued outside the harbour.\n- Dockers won a 6.5% pay rise, ending the 12-day port strike.\n";
        let (_dir, index) = index_of(&[("p.txt", brief)]);
        let hits = Session::open(&index.dir)
            .unwrap()
            .search(&SearchOptions::new("port strike pay"))
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
        let hits = Session::open(&index.dir)
            .unwrap()
            .search(&SearchOptions::new("port reopened"))
            .unwrap();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].folded.len(), 1);
    }

    #[test]
    fn copies_fold_unread_and_their_ids_are_read_when_printed() {
        let copy = |desk: &str| format!("Harbour news — {desk}\n- The port reopened on Monday.\n");
        let (a, b, c) = (copy("Dock News"), copy("Coast Post"), copy("Quay Daily"));
        let (_dir, index) = index_of(&[("a.txt", &a), ("b.txt", &b), ("c.txt", &c)]);
        let session = Session::open(&index.dir).unwrap();
        let mut options = SearchOptions::new("port reopened");
        let all = session.search(&options).unwrap();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].folded.len(), 2, "{all:?}");
        assert!(all[0].folded_at.is_empty());
        // Text output counts two copies without reading them.
        options.folded_ids = false;
        let counted = session.search(&options).unwrap();
        assert_eq!(counted[0].id, all[0].id);
        assert_eq!(counted[0].folded_count(), 2);
        assert!(counted[0].folded.is_empty(), "{counted:?}");
        // A lone copy is read: text output names it.
        let (_dir2, pair) = index_of(&[("a.txt", &a), ("b.txt", &b)]);
        let lone = Session::open(&pair.dir).unwrap().search(&options).unwrap();
        assert_eq!(lone[0].folded.len(), 1, "{lone:?}");
        let mut ids = vec![lone[0].id.clone(), lone[0].folded[0].clone()];
        ids.sort();
        assert_eq!(ids, ["a.txt#s1", "b.txt#s1"]);
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
