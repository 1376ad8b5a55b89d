//! Ranking by what is new: `--recent HALF_LIFE` blends relevance with a
//! brief's age, `--sort date` puts the newest matching hits first. Both are
//! applied while Tantivy collects the best documents (a sort key computed
//! from the score and the `day` fast field of every matching document), not
//! to a top ten found by relevance alone, so a fresh bullet that BM25 ranks
//! fiftieth can come first.
//!
//! The blend is `score × (1 − w + w·2^(−age/h))`: `age` in days from the
//! day `now` to the brief's date (0 for a date after it), `h` the half-life
//! in days, `w` the recency weight. An undated brief gets the factor of an
//! infinitely old one, `1 − w`, so it is never lifted above a dated brief
//! of the same relevance.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{SegmentSortKeyComputer, SortKeyComputer, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::DAY_FIELD;
use crate::search::order::{Places, by_score};

/// Days in a year, for `1y`.
const DAYS_PER_YEAR: f64 = 365.0;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By score (the default).
    #[default]
    Score,
    /// Newest brief first; equal dates by score, then the stable tie order.
    /// Undated briefs come last.
    Date,
}

/// `--recent`: how much a brief's age weighs against its relevance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recency {
    /// Days after which the recency part of a score halves.
    pub half_life_days: f64,
    /// `w`, in [0, 1]: 0 ranks by relevance alone, 1 by relevance times
    /// the decay alone.
    pub weight: f32,
    /// The day ages are counted from (days since 1970-01-01).
    pub now: i64,
}

impl Recency {
    /// The brief's age in days on `now` (0 for a date after it), `None`
    /// for an undated brief.
    pub fn age_days(&self, day: Option<i64>) -> Option<i64> {
        day.map(|day| self.now.saturating_sub(day).max(0))
    }

    /// The factor a score is multiplied by: `1 − w + w·2^(−age/h)`, and
    /// `1 − w` for an undated brief.
    pub fn factor(&self, day: Option<i64>) -> f32 {
        let w = f64::from(self.weight);
        let decay = match self.age_days(day) {
            Some(age) => (-(age as f64) / self.half_life_days).exp2(),
            None => 0.0,
        };
        (1.0 - w + w * decay) as f32
    }

    /// Whether the blend changes nothing (`w` = 0): the ordinary ranking
    /// then runs, byte for byte.
    pub(crate) fn is_neutral(&self) -> bool {
        self.weight == 0.0
    }
}

/// Reads a half-life: a positive number and a unit, `m` (minutes), `h`,
/// `d`, `w` or `y` (365 days): `90m`, `36h`, `7d`, `2w`, `1y`, `1.5d`.
/// Returns it in days, or what is wrong with it.
pub(crate) fn parse_half_life(text: &str) -> Result<f64, &'static str> {
    const EXPECTED: &str =
        "a half-life above 0: a number and a unit, m, h, d, w or y (90m, 36h, 7d, 2w, 1y)";
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or(EXPECTED)?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.trim().parse().map_err(|_| EXPECTED)?;
    let days_per_unit = match unit {
        "m" => 1.0 / (24.0 * 60.0),
        "h" => 1.0 / 24.0,
        "d" => 1.0,
        "w" => 7.0,
        "y" => DAYS_PER_YEAR,
        _ => return Err(EXPECTED),
    };
    let days = number * days_per_unit;
    if !days.is_finite() || days <= 0.0 {
        return Err(EXPECTED);
    }
    Ok(days)
}

/// The order of one search when it is not plain relevance: by date, by
/// relevance blended with age, or both.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Order {
    pub(crate) sort: SortBy,
    pub(crate) recency: Option<Recency>,
}

impl Order {
    /// The order asked for, `None` when it is plain relevance (which keeps
    /// Tantivy's block-skipping collector).
    pub(crate) fn of(sort: SortBy, recency: Option<Recency>) -> Option<Order> {
        let recency = recency.filter(|r| !r.is_neutral());
        (sort == SortBy::Date || recency.is_some()).then_some(Order { sort, recency })
    }

    /// The best `n` documents in this order, with their (blended) scores:
    /// every matching document's key is computed, then a few beyond `n`
    /// are ordered by place as the plain ranking orders them (`places`:
    /// the run's place columns).
    pub(crate) fn top(
        self,
        searcher: &Searcher,
        places: &Places,
        query: &dyn Query,
        stats: &dyn Bm25StatisticsProvider,
        n: usize,
        margin: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let collector = TopDocs::with_limit(n.max(1) + margin).order_by(self);
        let top = searcher.search_with_statistics_provider(query, &collector, stats)?;
        let keyed = top
            .into_iter()
            .map(|((day, score), address)| (day, score, address));
        let mut ordered = self.arranged(searcher, places, keyed.collect())?;
        ordered.truncate(n.max(1));
        Ok(ordered)
    }

    /// `hits` (scored as this order scores them) in this order: by date
    /// first with `--sort date` (read from the `day` fast field), then by
    /// score, equal ones in brief order (`order::by_score`). For hits of
    /// several searches merged.
    pub(crate) fn arrange(
        self,
        searcher: &Searcher,
        places: &Places,
        hits: Vec<(Score, DocAddress)>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut keyed = Vec::with_capacity(hits.len());
        // Each segment's `day` column, opened once.
        let mut days: HashMap<SegmentOrdinal, Column<i64>> = HashMap::new();
        for (score, address) in hits {
            let day = match self.sort {
                SortBy::Date => {
                    let column = match days.entry(address.segment_ord) {
                        Entry::Occupied(open) => open.into_mut(),
                        Entry::Vacant(slot) => {
                            let segment = searcher.segment_reader(address.segment_ord);
                            slot.insert(segment.fast_fields().i64(DAY_FIELD)?)
                        }
                    };
                    column.first(address.doc_id).unwrap_or(i64::MIN)
                }
                SortBy::Score => 0,
            };
            keyed.push((day, score, address));
        }
        self.arranged(searcher, places, keyed)
    }

    /// `(day key, score, address)` newest day key first, each day's hits by
    /// score and brief order.
    fn arranged(
        self,
        searcher: &Searcher,
        places: &Places,
        mut keyed: Vec<(i64, Score, DocAddress)>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        keyed.sort_by_key(|k| std::cmp::Reverse(k.0));
        let mut ordered = Vec::with_capacity(keyed.len());
        let mut start = 0;
        while start < keyed.len() {
            let day = keyed[start].0;
            let end = start + keyed[start..].iter().take_while(|k| k.0 == day).count();
            let same_day = keyed[start..end].iter().map(|&(_, s, a)| (s, a)).collect();
            ordered.extend(by_score(searcher, places, same_day)?);
            start = end;
        }
        Ok(ordered)
    }
}

type Key = (i64, Score);

impl SortKeyComputer for Order {
    type SortKey = Key;
    type Child = SegmentOrder;
    type Comparator = NaturalComparator;

    fn requires_scoring(&self) -> bool {
        true
    }

    fn segment_sort_key_computer(&self, reader: &SegmentReader) -> tantivy::Result<SegmentOrder> {
        Ok(SegmentOrder {
            order: *self,
            days: reader.fast_fields().i64(DAY_FIELD)?,
        })
    }
}

/// [`Order`] on one segment, with its `day` column.
pub(crate) struct SegmentOrder {
    order: Order,
    days: Column<i64>,
}

impl SegmentSortKeyComputer for SegmentOrder {
    type SortKey = Key;
    type SegmentSortKey = Key;
    type SegmentComparator = NaturalComparator;

    fn segment_sort_key(&mut self, doc: DocId, score: Score) -> Key {
        let day = self.days.first(doc);
        let score = match self.order.recency {
            Some(recency) => score * recency.factor(day),
            None => score,
        };
        let by_date = match self.order.sort {
            SortBy::Date => day.unwrap_or(i64::MIN),
            SortBy::Score => 0,
        };
        (by_date, score)
    }

    fn convert_segment_sort_key(&self, key: Key) -> Key {
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(weight: f32) -> Recency {
        Recency {
            half_life_days: 7.0,
            weight,
            now: 100,
        }
    }

    #[test]
    fn half_lives_in_every_unit() {
        assert_eq!(parse_half_life("7d"), Ok(7.0));
        assert_eq!(parse_half_life("36h"), Ok(1.5));
        assert_eq!(parse_half_life("2w"), Ok(14.0));
        assert_eq!(parse_half_life("1y"), Ok(365.0));
        assert_eq!(parse_half_life("90m"), Ok(90.0 / 1440.0));
        assert_eq!(parse_half_life("1.5d"), Ok(1.5));
        for bad in [
            "0d", "-3d", "7", "d", "7x", "7 days", "", "NaNd", "infd", "0.0h",
        ] {
            assert!(parse_half_life(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_factor_halves_its_recency_part_each_half_life() {
        let r = week(0.5);
        assert_eq!(r.factor(Some(100)), 1.0);
        assert!((r.factor(Some(93)) - 0.75).abs() < 1e-6);
        assert!((r.factor(Some(86)) - 0.625).abs() < 1e-6);
        // A date after `now` counts as today.
        assert_eq!(r.factor(Some(120)), 1.0);
        assert_eq!(r.age_days(Some(120)), Some(0));
        // Undated: the factor of the oldest age, never above a dated brief.
        assert_eq!(r.factor(None), 0.5);
        assert!(r.factor(None) <= r.factor(Some(i64::MIN / 2)));
    }

    #[test]
    fn weight_zero_is_neutral_and_one_is_pure_decay() {
        assert!(week(0.0).is_neutral());
        assert_eq!(week(0.0).factor(Some(1)), 1.0);
        assert_eq!(week(0.0).factor(None), 1.0);
        assert!(Order::of(SortBy::Score, Some(week(0.0))).is_none());
        assert!(Order::of(SortBy::Score, None).is_none());
        assert!((week(1.0).factor(Some(93)) - 0.5).abs() < 1e-6);
        assert_eq!(week(1.0).factor(None), 0.0);
    }
}
