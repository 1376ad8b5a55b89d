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

use rayon::prelude::*;

use crate::stories::blocking::{Keys, Pairs};
use crate::stories::link::link;

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

/// The clustering's settings (the defaults are `stories::PARAMS`,
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

    pub(crate) fn of(&self, term: u32) -> f32 {
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
pub(crate) type Edge = (f32, u32, u32);

/// Items handed to one thread at a time.
const CHUNK: usize = 4096;

/// Each item's terms that another item also has (the only ones two items
/// can share), with their weights in the item, one after the other; and
/// each item's norm over all its terms.
pub(crate) struct Vectors {
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
    pub(crate) fn similarity(&self, a: usize, b: usize, how: Similarity) -> f32 {
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
