//! Candidate pairs by blocking: each item's heaviest terms that another
//! item also has are its keys, posted by day, and an item is compared only
//! with the later items that share enough of its keys within the window
//! (see `cluster`'s module doc for the rules).

use crate::stories::cluster::{Edge, Item, Params, Vectors, Weights};

/// Counting the keys an item shares with each later item, with a counter
/// per item and the list of those touched, so a count costs no hashing.
pub(crate) struct Pairs {
    shared: Vec<u16>,
    touched: Vec<u32>,
}

impl Pairs {
    pub(crate) fn new(n: usize) -> Pairs {
        Pairs {
            shared: vec![0; n],
            touched: Vec::new(),
        }
    }

    /// Pushes item `i`'s edges to later items onto `edges` (similarity at
    /// least half the lower of the two thresholds, for the averages);
    /// returns how many pairs were compared.
    pub(crate) fn edges_of(
        &mut self,
        i: usize,
        items: &[Item],
        keys: &Keys,
        vectors: &Vectors,
        params: &Params,
        edges: &mut Vec<Edge>,
    ) -> usize {
        let item = &items[i];
        for &key in keys.of(i) {
            let (undated, dated) = keys.near(key, item.day, params.window);
            if undated.len() + dated.len() > params.max_slice {
                continue;
            }
            for &j in undated.iter().chain(dated) {
                if (j as usize) > i {
                    let count = &mut self.shared[j as usize];
                    if *count == 0 {
                        self.touched.push(j);
                    }
                    *count = count.saturating_add(1);
                }
            }
        }
        let floor = params.link.min(params.average.unwrap_or(params.link)) / 2.0;
        let mut compared = 0;
        for &j in &self.touched {
            let j = j as usize;
            let count = std::mem::take(&mut self.shared[j]);
            if usize::from(count) < params.min_shared_keys {
                continue;
            }
            compared += 1;
            let dated = item.day.is_some() && items[j].day.is_some();
            let discount = if dated || params.window.is_none() {
                1.0
            } else {
                params.undated
            };
            let s = discount * vectors.similarity(i, j, params.similarity);
            if s >= floor {
                edges.push((s, i as u32, j as u32));
            }
        }
        self.touched.clear();
        compared
    }
}

/// Each item's blocking keys, and for each key the items that hold it as a
/// key, by day.
pub(crate) struct Keys {
    /// Item → its keys (`key_start[i]..key_start[i + 1]` in `key_terms`).
    key_start: Vec<usize>,
    key_terms: Vec<u32>,
    /// Term → its postings (`post_start[t]..post_start[t + 1]`): undated
    /// items first, then dated ones by day.
    post_start: Vec<usize>,
    post_days: Vec<i64>,
    post_items: Vec<u32>,
}

impl Keys {
    pub(crate) fn new(items: &[Item], weights: &Weights, per_item: usize) -> Keys {
        let mut key_start = Vec::with_capacity(items.len() + 1);
        let mut key_terms = Vec::new();
        let mut ranked: Vec<u32> = Vec::new();
        for item in items {
            key_start.push(key_terms.len());
            ranked.clear();
            ranked.extend(
                item.terms
                    .iter()
                    .copied()
                    .filter(|&t| weights.df[t as usize] >= 2),
            );
            ranked
                .sort_unstable_by(|&a, &b| weights.of(b).total_cmp(&weights.of(a)).then(a.cmp(&b)));
            key_terms.extend(ranked.iter().take(per_item));
        }
        key_start.push(key_terms.len());
        // Postings as (term, day, item), undated as the earliest day.
        let mut postings: Vec<(u32, i64, u32)> = Vec::with_capacity(key_terms.len());
        for (i, item) in items.iter().enumerate() {
            for &t in &key_terms[key_start[i]..key_start[i + 1]] {
                postings.push((t, item.day.unwrap_or(i64::MIN), i as u32));
            }
        }
        postings.sort_unstable();
        let terms = weights.df.len();
        let mut post_start = vec![0usize; terms + 1];
        for &(t, _, _) in &postings {
            post_start[t as usize + 1] += 1;
        }
        for t in 0..terms {
            post_start[t + 1] += post_start[t];
        }
        Keys {
            key_start,
            key_terms,
            post_start,
            post_days: postings.iter().map(|p| p.1).collect(),
            post_items: postings.iter().map(|p| p.2).collect(),
        }
    }

    fn of(&self, item: usize) -> &[u32] {
        &self.key_terms[self.key_start[item]..self.key_start[item + 1]]
    }

    /// The items holding `key` that may be compared with an item of `day`:
    /// the undated ones, and the dated ones within `window` days of it
    /// (all of them when `day` or `window` is `None`), as two slices.
    fn near(&self, key: u32, day: Option<i64>, window: Option<i64>) -> (&[u32], &[u32]) {
        let (start, end) = (
            self.post_start[key as usize],
            self.post_start[key as usize + 1],
        );
        let days = &self.post_days[start..end];
        let items = &self.post_items[start..end];
        let (Some(day), Some(window)) = (day, window) else {
            return (items, &[]);
        };
        let undated = days.partition_point(|&d| d == i64::MIN);
        let from = days.partition_point(|&d| d < day.saturating_sub(window));
        let to = days.partition_point(|&d| d <= day.saturating_add(window));
        (
            &items[..undated],
            &items[from.max(undated)..to.max(from).max(undated)],
        )
    }
}
