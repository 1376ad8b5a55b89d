//! Briefs into stories: which briefs report the same event. Pure: numbered
//! terms and day numbers in, groups of brief numbers out.
//!
//! - **Weights.** A term weighs its inverse brief frequency, raised for
//!   names and figures, `idf × (1 + boost × entity)`, where `entity` is how
//!   often the term was capitalised inside a sentence (1 for numbers; see
//!   `features`), and raised again in the brief whose headline has it.
//! - **Candidates by blocking**, never all pairs: each brief's `keys`
//!   heaviest terms that another brief also has are its keys, and only two
//!   briefs that share `min_shared_keys` keys, dated within the window of
//!   each other (or undated), are compared. A key more than `max_slice`
//!   briefs of the window share names a topic, not an event, and is passed
//!   over for that brief. The cost grows with briefs × keys × slice, not
//!   briefs².
//! - **Similarity**: the cosine of the two weighted term sets (the weighted
//!   overlap of the lighter was measured beside it), times `undated` when
//!   either brief has no date, since no date vouches for the pair.
//! - **Linking**: pairs at or above `link`, strongest first, join their
//!   stories when the two stories' average pair similarity (pairs never
//!   compared count as 0) is at least `average` (greedy average link), so a
//!   chain of look-alikes does not fuse two events; with `average` unset,
//!   every such pair joins (single link).
//!
//! Pairs are compared on all cores, in chunks whose results are joined in
//! order: the stories do not depend on the number of threads.

use fnv::FnvHashMap;
use rayon::prelude::*;

/// One brief as the clustering sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Item {
    /// Days since 1970-01-01, when the brief is dated.
    pub(crate) day: Option<i64>,
    /// Its terms, sorted, without repeats.
    pub(crate) terms: Vec<u32>,
    /// Its headline's terms, sorted, without repeats.
    pub(crate) headline: Vec<u32>,
}

impl Item {
    /// The weight of term `t` in this item: `w`, raised by `headline`
    /// when the headline has it.
    fn value(&self, t: u32, w: f32, headline: f32) -> f32 {
        if headline > 0.0 && self.headline.binary_search(&t).is_ok() {
            w * (1.0 + headline)
        } else {
            w
        }
    }
}

/// How pairs are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Similarity {
    /// Shared weight² over the product of the norms.
    Cosine,
    /// Shared weight over the lighter brief's weight (measured against
    /// the cosine in the evaluation only).
    #[cfg(test)]
    Overlap,
}

/// The clustering's settings (defaults in `stories::DEFAULT_PARAMS`,
/// chosen on the judged set; tests/benchmarks/RESULTS.md has the figures).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Most days between two briefs compared; `None`: any.
    pub(crate) window: Option<i64>,
    /// How much a name or figure outweighs a plain word of the same idf.
    pub(crate) entity_boost: f32,
    /// Blocking keys per brief.
    pub(crate) keys: usize,
    /// Keys two briefs must share to be compared.
    pub(crate) min_shared_keys: usize,
    /// Briefs of one window above which a key is not used.
    pub(crate) max_slice: usize,
    /// How much more a term of the headline weighs.
    pub(crate) headline: f32,
    /// What the similarity of a pair with an undated brief is multiplied
    /// by when a window is set: no date vouches for the pair.
    pub(crate) undated: f32,
    /// Pair similarity at or above which two briefs may join.
    pub(crate) link: f32,
    /// Average similarity two stories need to join; `None`: single link.
    pub(crate) average: Option<f32>,
    /// How pairs are scored.
    pub(crate) similarity: Similarity,
}

/// The stories found, and what it took.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clustering {
    /// Groups of two or more item numbers, each sorted, ordered by their
    /// first item.
    pub(crate) clusters: Vec<Vec<usize>>,
    /// Pairs compared (for the test that the count grows linearly).
    #[cfg(test)]
    pub(crate) compared: usize,
}

/// Term weights and brief frequencies for `items`, as the clustering uses them.
pub(crate) struct Weights {
    /// The weight of each term.
    pub(crate) weight: Vec<f32>,
    /// How many items hold each term.
    pub(crate) df: Vec<u32>,
}

impl Weights {
    /// Weights of `terms` terms over `items`; `entity(t)` in 0..=1.
    pub(crate) fn new(
        items: &[Item],
        terms: usize,
        boost: f32,
        entity: impl Fn(u32) -> f32,
    ) -> Weights {
        let mut df = vec![0u32; terms];
        for item in items {
            for &t in &item.terms {
                df[t as usize] += 1;
            }
        }
        let n = items.len().max(1) as f32;
        let weight = df
            .iter()
            .enumerate()
            .map(|(t, &d)| {
                let idf = (1.0 + n / d.max(1) as f32).ln();
                idf * (1.0 + boost * entity(t as u32))
            })
            .collect();
        Weights { weight, df }
    }

    fn of(&self, term: u32) -> f32 {
        self.weight.get(term as usize).copied().unwrap_or(0.0)
    }
}

/// Clusters `items` into stories.
pub(crate) fn cluster(items: &[Item], weights: &Weights, params: &Params) -> Clustering {
    let vectors = Vectors::new(items, weights, params);
    let keys = Keys::new(items, weights, params.keys);
    // Items are taken in chunks, each on a thread of its own with its own
    // counters; the chunks' edges are joined in item order, so the result
    // does not depend on the threads.
    let chunks: Vec<(Vec<Edge>, usize)> = (0..items.len())
        .collect::<Vec<usize>>()
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut pairs = Pairs::new(items.len());
            let mut edges = Vec::new();
            let mut compared = 0;
            for &i in chunk {
                compared += pairs.edges_of(i, items, &keys, &vectors, params, &mut edges);
            }
            (edges, compared)
        })
        .collect();
    let compared = chunks.iter().map(|c| c.1).sum::<usize>();
    let edges: Vec<Edge> = chunks.into_iter().flat_map(|c| c.0).collect();
    let clusters = link(items.len(), edges, params);
    #[cfg(not(test))]
    let _ = compared;
    Clustering {
        clusters,
        #[cfg(test)]
        compared,
    }
}

/// A pair compared: similarity, item, later item.
type Edge = (f32, u32, u32);

/// Items handed to one thread at a time.
const CHUNK: usize = 4096;

/// Counting the keys an item shares with each later item, with a counter
/// per item and the list of those touched, so a count costs no hashing.
struct Pairs {
    shared: Vec<u16>,
    touched: Vec<u32>,
}

impl Pairs {
    fn new(n: usize) -> Pairs {
        Pairs {
            shared: vec![0; n],
            touched: Vec::new(),
        }
    }

    /// Pushes item `i`'s edges to later items onto `edges` (similarity at
    /// least half the lower of the two thresholds, for the averages);
    /// returns how many pairs were compared.
    fn edges_of(
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

/// Each item's terms that another item also has (the only ones two items
/// can share), with their weights in the item, one after the other; and
/// each item's norm over all its terms.
struct Vectors {
    start: Vec<usize>,
    terms: Vec<u32>,
    values: Vec<f32>,
    norms: Vec<f32>,
}

impl Vectors {
    fn new(items: &[Item], weights: &Weights, params: &Params) -> Vectors {
        let mut vectors = Vectors {
            start: Vec::with_capacity(items.len() + 1),
            terms: Vec::new(),
            values: Vec::new(),
            norms: Vec::with_capacity(items.len()),
        };
        for item in items {
            vectors.start.push(vectors.terms.len());
            let (mut squares, mut sum) = (0.0f32, 0.0f32);
            for &t in &item.terms {
                let v = item.value(t, weights.of(t), params.headline);
                squares += v * v;
                sum += v;
                if weights.df[t as usize] >= 2 {
                    vectors.terms.push(t);
                    vectors.values.push(v);
                }
            }
            vectors.norms.push(match params.similarity {
                Similarity::Cosine => squares.sqrt(),
                #[cfg(test)]
                Similarity::Overlap => sum,
            });
            #[cfg(not(test))]
            let _ = sum;
        }
        vectors.start.push(vectors.terms.len());
        vectors
    }

    /// The similarity of items `a` and `b`, from 0 to 1.
    fn similarity(&self, a: usize, b: usize, how: Similarity) -> f32 {
        let (ra, rb) = (
            self.start[a]..self.start[a + 1],
            self.start[b]..self.start[b + 1],
        );
        let (ta, tb) = (&self.terms[ra.clone()], &self.terms[rb.clone()]);
        let (va, vb) = (&self.values[ra], &self.values[rb]);
        let (mut x, mut y, mut shared) = (0, 0, 0.0f32);
        while x < ta.len() && y < tb.len() {
            let (p, q) = (ta[x], tb[y]);
            if p == q {
                shared += match how {
                    Similarity::Cosine => va[x] * vb[y],
                    #[cfg(test)]
                    Similarity::Overlap => va[x].min(vb[y]),
                };
            }
            x += usize::from(p <= q);
            y += usize::from(q <= p);
        }
        let denominator = match how {
            Similarity::Cosine => self.norms[a] * self.norms[b],
            #[cfg(test)]
            Similarity::Overlap => self.norms[a].min(self.norms[b]),
        };
        if shared > 0.0 && denominator > 0.0 {
            shared / denominator
        } else {
            0.0
        }
    }
}

/// Each item's blocking keys, and for each key the items that hold it as a
/// key, by day.
struct Keys {
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
    fn new(items: &[Item], weights: &Weights, per_item: usize) -> Keys {
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

/// Joins items along `edges` (similarity, item, item): strongest first,
/// each pair at or above `params.link`, two stories only when their average
/// pair similarity reaches `params.average`. Each story keeps the sum of
/// its pairs' similarities with each neighbouring story, merged smaller
/// into larger, so an average costs one look-up.
fn link(n: usize, mut edges: Vec<Edge>, params: &Params) -> Vec<Vec<usize>> {
    edges.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut sums: Vec<FnvHashMap<u32, f32>> = vec![FnvHashMap::default(); n];
    if params.average.is_some() {
        for &(s, i, j) in &edges {
            *sums[i as usize].entry(j).or_insert(0.0) += s;
            *sums[j as usize].entry(i).or_insert(0.0) += s;
        }
    }
    let mut sets = Sets::new(n);
    for &(s, i, j) in &edges {
        if s < params.link {
            break;
        }
        let (a, b) = (sets.find(i as usize), sets.find(j as usize));
        if a == b {
            continue;
        }
        if let Some(average) = params.average {
            let sum = sums[a].get(&(b as u32)).copied().unwrap_or(0.0);
            let pairs = (sets.members[a].len() * sets.members[b].len()) as f32;
            if sum / pairs < average {
                continue;
            }
        }
        let (big, small) = sets.union(a, b);
        if params.average.is_some() {
            let moved = std::mem::take(&mut sums[small]);
            sums[big].remove(&(small as u32));
            for (c, s) in moved {
                if c as usize == big {
                    continue;
                }
                *sums[big].entry(c).or_insert(0.0) += s;
                let other = &mut sums[c as usize];
                other.remove(&(small as u32));
                *other.entry(big as u32).or_insert(0.0) += s;
            }
        }
    }
    let mut clusters: Vec<Vec<usize>> = sets
        .members
        .into_iter()
        .filter(|m| m.len() >= 2)
        .map(|mut m| {
            m.sort_unstable();
            m
        })
        .collect();
    clusters.sort_unstable_by_key(|m| m[0]);
    clusters
}

/// Union-find with each root's members.
struct Sets {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl Sets {
    fn new(n: usize) -> Sets {
        Sets {
            parent: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two roots, the smaller set into the larger; returns the new
    /// root and the one joined into it.
    fn union(&mut self, a: usize, b: usize) -> (usize, usize) {
        let (big, small) = if self.members[a].len() >= self.members[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big;
        let moved = std::mem::take(&mut self.members[small]);
        self.members[big].extend(moved);
        (big, small)
    }
}
