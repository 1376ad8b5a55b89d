//! Briefs into stories: which briefs report the same event. Pure: numbered
//! terms and day numbers in, groups of brief numbers out.
//!
//! - **Weights.** A term weighs its inverse brief frequency, raised for
//!   names and figures: `idf × (1 + boost × entity)`, where `entity` is how
//!   often the term was capitalised inside a sentence (1 for numbers); see
//!   `features`.
//! - **Candidates by blocking**, never all pairs: each brief's `keys`
//!   heaviest terms that another brief also has are its keys, and only two
//!   briefs that share `min_shared_keys` keys, dated within the window of
//!   each other, are compared. A key more than `max_slice` briefs of the
//!   window share names a topic, not an event, and is passed over for that
//!   brief. The cost grows with briefs × keys × slice, not briefs².
//! - **Similarity**: the cosine of the two weighted term sets (or, as an
//!   alternative measured beside it, the weighted overlap of the lighter).
//! - **Linking**: pairs at or above `link`, strongest first, join their
//!   stories when the two stories' average pair similarity (pairs never
//!   compared count as 0) is at least `average` (greedy average link), so a
//!   chain of look-alikes does not fuse two events; with `average` unset,
//!   every such pair joins (single link).

use fnv::FnvHashMap;

/// One brief as the clustering sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Item {
    /// Days since 1970-01-01, when the brief is dated.
    pub(crate) day: Option<i64>,
    /// Its terms, sorted, without repeats.
    pub(crate) terms: Vec<u32>,
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
    let norms: Vec<f32> = items
        .iter()
        .map(|item| {
            let sum = |f: &dyn Fn(f32) -> f32| -> f32 {
                item.terms.iter().map(|&t| f(weights.of(t))).sum()
            };
            match params.similarity {
                Similarity::Cosine => sum(&|w| w * w).sqrt(),
                #[cfg(test)]
                Similarity::Overlap => sum(&|w| w),
            }
        })
        .collect();
    let keys = Keys::new(items, weights, params.keys);
    let mut edges: Vec<(f32, u32, u32)> = Vec::new();
    let mut shared: FnvHashMap<u32, u16> = FnvHashMap::default();
    #[cfg(test)]
    let mut compared = 0;
    for (i, item) in items.iter().enumerate() {
        shared.clear();
        for &key in keys.of(i) {
            let (undated, dated) = keys.near(key, item.day, params.window);
            if undated.len() + dated.len() > params.max_slice {
                continue;
            }
            for &j in undated.iter().chain(dated) {
                if (j as usize) > i {
                    *shared.entry(j).or_insert(0) += 1;
                }
            }
        }
        for (&j, &count) in &shared {
            if usize::from(count) < params.min_shared_keys {
                continue;
            }
            #[cfg(test)]
            {
                compared += 1;
            }
            let j = j as usize;
            let s = similarity(item, &items[j], weights, params.similarity).map_or(0.0, |shared| {
                match params.similarity {
                    Similarity::Cosine => shared / (norms[i] * norms[j]),
                    #[cfg(test)]
                    Similarity::Overlap => shared / norms[i].min(norms[j]),
                }
            });
            if s >= params.link.min(params.average.unwrap_or(params.link)) / 2.0 {
                edges.push((s, i as u32, j as u32));
            }
        }
    }
    Clustering {
        clusters: link(items.len(), edges, params),
        #[cfg(test)]
        compared,
    }
}

/// The weight two items share (squared for the cosine), `None` when either
/// weighs nothing.
fn similarity(a: &Item, b: &Item, weights: &Weights, how: Similarity) -> Option<f32> {
    let (mut x, mut y, mut shared) = (0, 0, 0.0f32);
    let (ta, tb) = (&a.terms, &b.terms);
    while x < ta.len() && y < tb.len() {
        match ta[x].cmp(&tb[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                let w = weights.of(ta[x]);
                shared += if how == Similarity::Cosine { w * w } else { w };
                x += 1;
                y += 1;
            }
        }
    }
    (shared > 0.0).then_some(shared)
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
/// pair similarity reaches `params.average`.
fn link(n: usize, mut edges: Vec<(f32, u32, u32)>, params: &Params) -> Vec<Vec<usize>> {
    edges.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut adjacency: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
    if params.average.is_some() {
        for &(s, i, j) in &edges {
            adjacency[i as usize].push((j, s));
            adjacency[j as usize].push((i, s));
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
            let (small, other) = if sets.members[a].len() <= sets.members[b].len() {
                (a, b)
            } else {
                (b, a)
            };
            let mut sum = 0.0;
            for m in sets.members[small].clone() {
                for &(k, s) in &adjacency[m] {
                    if sets.find(k as usize) == other {
                        sum += s;
                    }
                }
            }
            let pairs = (sets.members[a].len() * sets.members[b].len()) as f32;
            if sum / pairs < average {
                continue;
            }
        }
        sets.union(a, b);
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

    /// Joins two roots, the smaller set into the larger.
    fn union(&mut self, a: usize, b: usize) {
        let (big, small) = if self.members[a].len() >= self.members[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big;
        let moved = std::mem::take(&mut self.members[small]);
        self.members[big].extend(moved);
    }
}
