//! The order of hits that a score does not decide: equal scores keep each
//! file's documents together, in file order (the brief's line, then its
//! bullets by line), files in the order of a hash of their path; a query
//! that scores nothing (only `source:` filters and dates) lists newest
//! first, then in that order. Every segment's documents are sorted by
//! place when Tantivy writes or merges it (`place` in `index/schema.rs`),
//! so equal scores within one segment are put in order by doc id, reading
//! nothing; across segments, and for a query that scores nothing, two
//! numeric fast fields are read (`file_hash`, `order`). So the order is
//! the same whatever the segments and their order, the same page by page
//! (`--offset`), and costs no read of a path: ordering ties by path read
//! each path from a dictionary, 16,000 instructions a hit, and was most of
//! a search's time among the many equal scores of copied sentences; reading
//! the two fast fields for every tied hit was still a quarter of a search's
//! page faults at 200,000 briefs.
//!
//! Flows in: a searcher and the documents (or the query) to order. Flows
//! out: document addresses in order. Never loads a stored document.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Mutex, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::{FILE_HASH_FIELD, ORDER_FIELD, file_hash_from_stored, order_from_stored};

/// Where a document is: its file's hash and its place in the file.
type Place = (u64, u64);

/// The fast fields of one segment that give a document's place.
struct PlaceColumns {
    file_hash: Column<u64>,
    order: Column<u64>,
}

impl PlaceColumns {
    fn open(segment: &SegmentReader) -> tantivy::Result<PlaceColumns> {
        let fast = segment.fast_fields();
        Ok(PlaceColumns {
            file_hash: fast.u64(FILE_HASH_FIELD)?,
            order: fast.u64(ORDER_FIELD)?,
        })
    }

    /// The hash of `doc`'s file (0 when absent).
    fn file(&self, doc: DocId) -> u64 {
        self.file_hash.first(doc).map_or(0, file_hash_from_stored)
    }

    fn place(&self, doc: DocId) -> Place {
        (
            self.file(doc),
            self.order.first(doc).map_or(0, order_from_stored),
        )
    }
}

/// The place columns of the segments ties were ordered in, each opened
/// once for as long as the searcher lives (see `columns`).
#[derive(Default)]
pub(crate) struct Places {
    columns: Mutex<HashMap<SegmentOrdinal, PlaceColumns>>,
}

/// The place columns of `segment`, opened once.
fn columns_of<'m>(
    columns: &'m mut HashMap<SegmentOrdinal, PlaceColumns>,
    searcher: &Searcher,
    segment: SegmentOrdinal,
) -> tantivy::Result<&'m PlaceColumns> {
    Ok(match columns.entry(segment) {
        Entry::Occupied(open) => open.into_mut(),
        Entry::Vacant(slot) => slot.insert(PlaceColumns::open(searcher.segment_reader(segment))?),
    })
}

/// `hits` best first: by score, equal scores by place. Places are read only
/// for tied hits in several segments.
pub(crate) fn by_score(
    searcher: &Searcher,
    places: &Places,
    mut hits: Vec<(f32, DocAddress)>,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut columns = places
        .columns
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let columns = &mut *columns;
    let mut start = 0;
    while start < hits.len() {
        let score = hits[start].0;
        let end = start
            + hits[start..]
                .iter()
                .take_while(|(s, _)| s.total_cmp(&score).is_eq())
                .count();
        let segment = hits[start].1.segment_ord;
        if hits[start..end].iter().all(|h| h.1.segment_ord == segment) {
            // A segment's documents are sorted by place when written
            // (`index_settings`): in one segment, doc id order is place order.
            hits[start..end].sort_by_key(|h| h.1.doc_id);
        } else if end - start > 1 {
            // By file first; a document's place in its file is read only
            // where tied documents share a file (each read is a page the
            // process may fault in).
            let mut tied = Vec::with_capacity(end - start);
            for &(score, address) in &hits[start..end] {
                let open = columns_of(columns, searcher, address.segment_ord)?;
                let file = open.file(address.doc_id);
                tied.push(((file, 0), score, address));
            }
            tied.sort_by_key(|t| t.0.0);
            let mut from = 0;
            while from < tied.len() {
                let file = tied[from].0.0;
                let to = from + tied[from..].iter().take_while(|t| t.0.0 == file).count();
                if to - from > 1 {
                    for (place, _, address) in &mut tied[from..to] {
                        let open = columns_of(columns, searcher, address.segment_ord)?;
                        *place = open.place(address.doc_id);
                    }
                    tied[from..to].sort_by_key(|t| t.0);
                }
                from = to;
            }
            for (slot, (_, score, address)) in hits[start..end].iter_mut().zip(tied) {
                *slot = (score, address);
            }
        }
        start = end;
    }
    Ok(hits)
}

/// The first `limit` documents any of `queries` matches, newest first
/// (undated last), then by place; none is scored.
pub(crate) fn newest_first(
    searcher: &Searcher,
    queries: &[&dyn Query],
    limit: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    let collector = NewestFirst { limit };
    let mut found = Vec::new();
    for query in queries {
        found.extend(searcher.search(*query, &collector)?);
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.1 == b.1);
    Ok(found.into_iter().take(limit).map(|(_, a)| a).collect())
}

/// A document's rank when nothing is scored: newer first, undated last,
/// then by place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Newest {
    undated: bool,
    age: std::cmp::Reverse<i64>,
    place: Place,
}

/// Collects the first `limit` documents of each segment by [`Newest`].
struct NewestFirst {
    limit: usize,
}

struct NewestInSegment {
    segment: SegmentOrdinal,
    limit: usize,
    day: Column<i64>,
    places: PlaceColumns,
    heap: BinaryHeap<(Newest, DocId)>,
}

impl Collector for NewestFirst {
    type Fruit = Vec<(Newest, DocAddress)>;
    type Child = NewestInSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<NewestInSegment> {
        Ok(NewestInSegment {
            segment,
            limit: self.limit.max(1),
            day: reader.fast_fields().i64("day")?,
            places: PlaceColumns::open(reader)?,
            heap: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for NewestInSegment {
    type Fruit = Vec<(Newest, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let day = self.day.first(doc);
        let key = Newest {
            undated: day.is_none(),
            age: std::cmp::Reverse(day.unwrap_or(0)),
            place: self.places.place(doc),
        };
        if self.heap.len() < self.limit {
            self.heap.push((key, doc));
        } else if self
            .heap
            .peek()
            .is_some_and(|worst| key.cmp(&worst.0) == Ordering::Less)
        {
            self.heap.pop();
            self.heap.push((key, doc));
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        self.heap
            .into_iter()
            .map(|(key, doc)| (key, DocAddress::new(segment, doc)))
            .collect()
    }
}
