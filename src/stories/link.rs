//! Linking compared pairs into stories: greedy average link over a
//! union-find (see `cluster`'s module doc).

use fnv::FnvHashMap;

use crate::stories::cluster::{Edge, Params};

/// Joins items along `edges` (similarity, item, item): strongest first,
/// each pair at or above `params.link`, two stories only when their average
/// pair similarity reaches `params.average`. Each story keeps the sum of
/// its pairs' similarities with each neighbouring story, merged smaller
/// into larger, so an average costs one look-up.
pub(crate) fn link(n: usize, mut edges: Vec<Edge>, params: &Params) -> Vec<Vec<usize>> {
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
