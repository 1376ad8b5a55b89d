//! The best documents of a query Tantivy cannot prune, ranked on several
//! threads at once. A phrase beside other clauses, an `AND` of words looked
//! for in a bullet and its headline, a filter beside a query: Tantivy scores
//! every document they match, one after another (block-max WAND serves a term, and unions
//! and intersections of plain terms only). A union of many terms (a
//! prefix's or a typo's expansions: more than `MOST_PRUNED_TERMS`)
//! it can prune, but scoring every match on all cores is faster. Such a
//! query over a large segment is ranked here instead: the segment's
//! documents are cut into ranges of doc ids, each range is scored by its
//! own scorer on its own thread, and the ranges' tops are merged. Every
//! document is scored as one thread would score it, so scores, and the
//! order Tantivy's collector gives (higher score first, the lower doc id
//! of equal ones), do not depend on the number of threads.
//!
//! A query Tantivy prunes well, a small index, or a query reading few
//! postings is left to Tantivy's collector: threads would only cost. So is
//! a phrase alone, made a `PhraseUnion` first (`query/phrase_union.rs`):
//! pruned on one thread it beat every document scored on two (`"central
//! bank"` at 1,000,000 briefs, 9.4-11.3 -> 6.1-6.8 ms p50). (The
//! weight built to tell the last is handed to it, not built again: `econom*`
//! at 200,000 briefs, whole process, 18.14 -> 18.06 M instructions, against
//! 17.91 M before this module.)
//!
//! Flows in: a searcher, a query, its BM25 statistics. Flows out: the top
//! documents by score, however they were ranked.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::num::NonZeroUsize;

use tantivy::collector::{Collector, TopDocs};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, TERMINATED};

use crate::query::{PhraseUnion, PhraseUnionWeight, phrase_union, prunable};

/// When a query is ranked here, and in how many pieces.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    /// Fewest documents in one range: below, a thread costs more than it
    /// saves; a segment of fewer than twice as many is left to Tantivy.
    min_range_docs: u32,
    /// Least cost (Tantivy's estimate of the postings to read, about the
    /// documents matched) for a query's ranking to be shared out.
    min_cost: u64,
}

/// Measured on two cores, in process: at 200,000 briefs (2.4 million
/// documents) a phrase, an `AND` or a prefix reads 45,000 to 100,000
/// postings and takes 1 to 3 ms on one thread, and two threads were no
/// faster (p50 equal or up to 1 ms slower); at 1,000,000 briefs the same
/// queries read 200,000 to 460,000 and took 15 to 18 ms on one thread, 8 to
/// 12 ms on two. Starting a thread here costs ~0.07 ms.
const SIZES: Sizes = Sizes {
    min_range_docs: 250_000,
    min_cost: 150_000,
};

/// Most threads one search uses by default.
const MAX_THREADS: usize = 8;

/// The best `limit` documents of `query` by score, ties by doc address:
/// ranked on at most `threads` threads (0: one a core, at most
/// [`MAX_THREADS`]) when it is worth it (see the module's note), else by
/// Tantivy's collector, as `Searcher::search` ranks them.
pub(crate) fn top(
    searcher: &Searcher,
    query: &dyn Query,
    statistics: &dyn Bm25StatisticsProvider,
    limit: usize,
    threads: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    // A phrase's fields are ranked pruned, by Tantivy's collector.
    let phrases = phrase_union(query);
    let query = phrases.as_ref().map_or(query, |q| q as &dyn Query);
    match top_with(searcher, query, statistics, limit, threads, SIZES)? {
        Some(top) => Ok(top),
        None => {
            let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
                statistics, searcher,
            ))?;
            tantivys_top(searcher, &*weight, limit)
        }
    }
}

/// [`top`] with the sizes given; `None` when the query is one Tantivy
/// prunes, or the index is small: nothing was built, and Tantivy's
/// collector should rank it.
fn top_with(
    searcher: &Searcher,
    query: &dyn Query,
    statistics: &dyn Bm25StatisticsProvider,
    limit: usize,
    threads: usize,
    sizes: Sizes,
) -> tantivy::Result<Option<Vec<(Score, DocAddress)>>> {
    let largest = searcher
        .segment_readers()
        .iter()
        .map(|r| r.max_doc())
        .max()
        .unwrap_or(0);
    // Which way a query is ranked depends on the query and the index, never
    // on the threads: `--threads 1` gives the same scores as the default.
    let phrases = query.downcast_ref::<PhraseUnion>();
    if largest < 2 * sizes.min_range_docs || (phrases.is_none() && prunable(query)) {
        return Ok(None);
    }
    let scoring = EnableScoring::enabled_from_statistics_provider(statistics, searcher);
    let pruned = match phrases {
        Some(phrases) => phrases.pruning_weight(scoring)?,
        None => None,
    };
    let built;
    let (weight, ranker): (&dyn Weight, Ranker) = match &pruned {
        Some(pruned) => (pruned, Ranker::Phrases(pruned)),
        None => {
            built = query.weight(scoring)?;
            (&*built, Ranker::Scorer(&*built))
        }
    };
    let mut cost = 0u64;
    for reader in searcher.segment_readers() {
        cost = cost.saturating_add(weight.scorer(reader, 1.0)?.cost());
        if cost >= sizes.min_cost {
            break;
        }
    }
    if cost < sizes.min_cost {
        // Too little to share out: Tantivy's collector, on the weight built.
        return tantivys_top(searcher, weight, limit).map(Some);
    }
    // Asked only now: finding the cores reads the process's cgroup files.
    let threads = match threads {
        0 => std::thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(MAX_THREADS),
        n => n,
    };
    let ranges = ranges(searcher, threads, sizes.min_range_docs);
    let workers = threads.clamp(1, ranges.len().max(1));
    // Worker `w` ranks ranges w, w + workers, …; the first on this thread.
    let ranges = &ranges;
    let work = move |w: usize| -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut top = Vec::new();
        for &range in ranges.iter().skip(w).step_by(workers) {
            top.extend(top_of_range(searcher, ranker, range, limit)?);
        }
        Ok(top)
    };
    let tops = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|w| scope.spawn(move || work(w))).collect();
        let mut tops = vec![work(0)];
        for handle in handles {
            tops.push(
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        tops
    });
    let mut all = Vec::new();
    for top in tops {
        all.extend(top?);
    }
    all.sort_by(|a, b| better(b, a));
    all.truncate(limit);
    Ok(Some(all))
}

/// The best `limit` documents by Tantivy's own collector (which prunes what
/// it can), for a weight already built.
fn tantivys_top(
    searcher: &Searcher,
    weight: &dyn Weight,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let collector = TopDocs::with_limit(limit).order_by_score();
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        fruits.push(collector.collect_segment(weight, ord as SegmentOrdinal, reader)?);
    }
    collector.merge_fruits(fruits)
}

/// A range of doc ids of one segment, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    segment: SegmentOrdinal,
    start: DocId,
    end: DocId,
}

/// The ranges the segments of `searcher` are ranked in: each large
/// segment cut into at most `threads` ranges of at least `min_docs`
/// documents, each small one whole.
fn ranges(searcher: &Searcher, threads: usize, min_docs: u32) -> Vec<Range> {
    let mut ranges = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let max_doc = reader.max_doc();
        let threads = u32::try_from(threads).unwrap_or(u32::MAX);
        let parts = (max_doc / min_docs.max(1)).clamp(1, threads);
        let step = max_doc.div_ceil(parts);
        for part in 0..parts {
            let start = part * step;
            let end = (start + step).min(max_doc);
            if start < end {
                ranges.push(Range {
                    segment: ord as SegmentOrdinal,
                    start,
                    end,
                });
            }
        }
    }
    ranges
}

/// How the documents of one range are ranked.
#[derive(Clone, Copy)]
enum Ranker<'w> {
    /// Every match scored.
    Scorer(&'w dyn Weight),
    /// A phrase's fields, by bounds on their scores.
    Phrases(&'w PhraseUnionWeight),
}

/// The best `limit` live documents of `range` by score, lower doc ids first
/// among equal scores (as Tantivy's collector keeps them).
fn top_of_range(
    searcher: &Searcher,
    ranker: Ranker,
    range: Range,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let reader = searcher.segment_reader(range.segment);
    let alive = reader.alive_bitset();
    let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(limit + 1);
    match ranker {
        Ranker::Scorer(weight) => {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = if scorer.doc() < range.start {
                scorer.seek(range.start)
            } else {
                scorer.doc()
            };
            while doc != TERMINATED && doc < range.end {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    keep(&mut heap, limit, scorer.score(), doc);
                }
                doc = scorer.advance();
            }
        }
        Ranker::Phrases(weight) => {
            let mut threshold = Score::MIN;
            weight.for_each_pruning_in(
                Score::MIN,
                reader,
                range.start..range.end,
                &mut |doc, score| {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        keep(&mut heap, limit, score, doc);
                        if heap.len() >= limit {
                            threshold = heap.peek().map_or(threshold, |worst| worst.score);
                        }
                    }
                    threshold
                },
            )?;
        }
    }
    Ok(heap
        .into_iter()
        .map(|e| (e.score, DocAddress::new(range.segment, e.doc)))
        .collect())
}

/// Keeps `doc` among the best `limit` of `heap` if it beats the worst kept.
/// Docs come in ascending order: an equal score never displaces.
fn keep(heap: &mut BinaryHeap<Entry>, limit: usize, score: Score, doc: DocId) {
    if heap.len() < limit {
        heap.push(Entry { score, doc });
    } else if heap.peek().is_some_and(|worst| score > worst.score) {
        heap.pop();
        heap.push(Entry { score, doc });
    }
}

/// `a` against `b`: the higher score is greater, then the lower address.
fn better(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> Ordering {
    a.0.partial_cmp(&b.0)
        .unwrap_or(Ordering::Equal)
        .then_with(|| b.1.cmp(&a.1))
}

/// A kept document, ordered so the heap's top is the worst kept: the lowest
/// score, and of equal ones the highest doc id.
struct Entry {
    score: Score,
    doc: DocId,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .partial_cmp(&self.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption};
    use tantivy::{Index, Term};

    use crate::query::{Phrase, boost_by, for_intersection};
    use crate::test_support::three_segments;

    /// Small enough that the test's index is cut into several ranges.
    const SMALL: Sizes = Sizes {
        min_range_docs: 1000,
        min_cost: 1,
    };

    /// 12,000 documents of a few words in three segments (each larger than
    /// the 4,096 documents a Tantivy union reads ahead, so its cost is
    /// known), every tenth of the first deleted: `(index, text, headline)`.
    fn index() -> (Index, Field, Field) {
        let words = ["central", "bank", "oil", "prices", "rates", "market"];
        let docs = (0..12_000usize).map(|i| {
            // Words picked by the digits of i, so phrases, pairs and ties recur.
            let pick = |n: usize| words[(i / n + i % (n + 3)) % words.len()];
            let body = format!("{} {} {} {}", pick(1), pick(2), pick(5), pick(7));
            let title = format!("{} {}", pick(3), pick(11));
            (body, title)
        });
        three_segments(docs, [5000, 10_000], 10)
    }

    fn term(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn phrase(field: Field, words: &[&str]) -> Box<dyn Query> {
        let terms = words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect();
        Box::new(PhraseQuery::new(terms))
    }

    /// A word in the text or the headline, as an `AND` clause.
    fn either(text: Field, headline: Field, word: &str) -> Box<dyn Query> {
        for_intersection(Box::new(BooleanQuery::new(vec![
            (Occur::Should, term(text, word)),
            (Occur::Should, term(headline, word)),
        ])))
    }

    #[test]
    fn ranges_give_tantivys_top_on_any_number_of_threads() {
        let (index, text, headline) = index();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let queries: Vec<Box<dyn Query>> = vec![
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, phrase(text, &["central", "bank"])),
                (Occur::Should, phrase(headline, &["central", "bank"])),
            ])),
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, either(text, headline, "oil")),
                (Occur::Must, either(text, headline, "prices")),
            ])),
        ];
        for query in &queries {
            for limit in [1, 10, 26, 5000] {
                let expected = searcher
                    .search(&**query, &TopDocs::with_limit(limit).order_by_score())
                    .unwrap();
                assert!(
                    expected.len() >= limit.min(100),
                    "{query:?}: {}",
                    expected.len()
                );
                for threads in [1, 2, 3, 8] {
                    let ours = top_with(&searcher, &**query, &searcher, limit, threads, SMALL)
                        .unwrap()
                        .expect("ranked in ranges");
                    assert_eq!(
                        ours, expected,
                        "{query:?}, limit {limit}, {threads} threads"
                    );
                }
            }
        }
    }

    #[test]
    fn a_phrase_pruned_in_ranges_gives_tantivys_top_on_any_number_of_threads() {
        let (index, text, headline) = index();
        let searcher = index.reader().unwrap().searcher();
        let exact = |field: Field| -> Box<dyn Query> {
            let terms = ["central", "bank"]
                .iter()
                .enumerate()
                .map(|(offset, w)| (offset, Term::from_field_text(field, w)))
                .collect();
            Box::new(Phrase::new(terms, 0))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Should, exact(text)),
            (Occur::Should, boost_by(exact(headline), 0.3)),
        ]);
        let union = phrase_union(&query).expect("a phrase's fields");
        for limit in [1, 10, 26, 5000] {
            let expected = searcher
                .search(&query, &TopDocs::with_limit(limit).order_by_score())
                .unwrap();
            assert!(expected.len() >= limit.min(100), "{}", expected.len());
            for threads in [1, 2, 3, 8] {
                let ours = top_with(&searcher, &union, &searcher, limit, threads, SMALL)
                    .unwrap()
                    .expect("ranked in ranges");
                assert_eq!(ours, expected, "limit {limit}, {threads} threads");
            }
        }
    }

    #[test]
    fn a_long_union_is_ranked_whole_alike_on_any_number_of_threads() {
        let (index, text, headline) = index();
        let searcher = index.reader().unwrap().searcher();
        let words = ["central", "bank", "oil", "prices", "rates"];
        let clauses = words
            .iter()
            .flat_map(|w| [term(text, w), term(headline, w)])
            .map(|q| (Occur::Should, q))
            .collect();
        let query = BooleanQuery::new(clauses);
        let one = top_with(&searcher, &query, &searcher, 30, 1, SMALL)
            .unwrap()
            .unwrap();
        for threads in [2, 3] {
            let more = top_with(&searcher, &query, &searcher, 30, threads, SMALL).unwrap();
            assert_eq!(more.as_ref(), Some(&one));
        }
        let expected = searcher
            .search(&query, &TopDocs::with_limit(30).order_by_score())
            .unwrap();
        // Block-max WAND sums a document's terms in another order: scores
        // may differ in their last bit, never more.
        for ((ours, _), (theirs, _)) in one.iter().zip(&expected) {
            assert!(
                (ours - theirs).abs() <= 1e-5 * theirs.abs(),
                "{ours} vs {theirs}"
            );
        }
    }

    #[test]
    fn prunable_queries_small_indexes_and_cheap_queries_are_ranked_by_tantivy() {
        let (index, text, headline) = index();
        let searcher = index.reader().unwrap().searcher();
        let union = BooleanQuery::new(vec![
            (Occur::Should, term(text, "oil")),
            (Occur::Should, term(headline, "oil")),
        ]);
        assert!(
            top_with(&searcher, &union, &searcher, 10, 2, SMALL)
                .unwrap()
                .is_none()
        );
        let query = phrase(text, &["central", "bank"]);
        // The default sizes: 12,000 documents are far too few to share out.
        assert!(
            top_with(&searcher, &*query, &searcher, 10, 2, SIZES)
                .unwrap()
                .is_none()
        );
        // Reading too few postings: Tantivy's collector ranks it, the same.
        let costly = Sizes {
            min_cost: u64::MAX,
            ..SMALL
        };
        let expected = searcher
            .search(&*query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let ours = top_with(&searcher, &*query, &searcher, 10, 2, costly).unwrap();
        assert_eq!(ours, Some(expected));
    }
}
