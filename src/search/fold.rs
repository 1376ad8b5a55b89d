//! Folding hits, best first, into the hits kept: the same sentence in two
//! briefs is shown once, and a bullet that restates a better-ranked bullet
//! of its own brief (`dedup`) is folded into it.
//!
//! Each hit costs a bounded amount, whatever the number of hits: copies are
//! found through a hash map of the kept bullets' normalised text (words in
//! lower case), and a bullet is compared only with the kept bullets of its
//! own brief (a map by brief id), at most [`MAX_SIBLINGS`] of them. A brief
//! has a handful of bullets, so for every ordinary brief this is the same
//! as comparing with every kept hit, as folding did before.

use std::collections::HashMap;

use tantivy::DocAddress;

use crate::brief::DocKind;
use crate::error::Result;
use crate::search::dedup::{Fingerprint, MIN_SHARED, NEAR_DUPLICATE, shared_terms};
use crate::search::hit::Hit;
use crate::search::rank::Run;
use crate::text::{copy_key_of, normalised};

/// Most kept bullets of one brief a new bullet of it is compared with (the
/// best-ranked ones): a brief may hold up to 10,000 bullets, and comparing
/// each with all the others would take time in their square.
pub const MAX_SIBLINGS: usize = 64;

/// A hit kept, and what comparing it needed so far.
struct Kept {
    hit: Hit,
    /// Its analysed terms, once it was compared.
    terms: Option<Vec<String>>,
    /// Its fingerprint, once a comparison needed it.
    print: Option<Fingerprint>,
}

/// Hits kept so far, and the indexes that find what a new hit folds into.
pub(crate) struct Folding {
    dedup: bool,
    kept: Vec<Kept>,
    /// Kept bullets by normalised text (see [`normalised`]), best first.
    by_text: HashMap<String, Vec<usize>>,
    /// Kept bullets by brief id, best first.
    by_brief: HashMap<String, Vec<usize>>,
    /// Kept bullets by copy key ([`crate::text::copy_key`]): a bullet with one of these
    /// keys is a copy of that kept bullet by the rule of `by_text`.
    by_key: HashMap<u64, usize>,
}

impl Folding {
    /// Nothing kept yet; `dedup` false keeps every hit.
    pub(crate) fn new(dedup: bool) -> Folding {
        Folding {
            dedup,
            kept: Vec::new(),
            by_text: HashMap::new(),
            by_brief: HashMap::new(),
            by_key: HashMap::new(),
        }
    }

    /// Folds the bullet at `address`, whose copy key is `key`, into the
    /// kept bullet it copies, without reading it; false when none is kept
    /// (or folding is off), and the bullet must be read and [`add`]ed.
    ///
    /// [`add`]: Folding::add
    pub(crate) fn fold_copy(&mut self, key: u64, address: DocAddress) -> bool {
        if !self.dedup || key == 0 {
            return false;
        }
        let Some(&i) = self.by_key.get(&key) else {
            return false;
        };
        let hit = &mut self.kept[i].hit;
        hit.folded_at.push((hit.folded_count(), address));
        true
    }

    /// How many hits are kept.
    pub(crate) fn len(&self) -> usize {
        self.kept.len()
    }

    /// The kept hits, best first, with what was folded into each.
    pub(crate) fn into_hits(self) -> Vec<Hit> {
        self.kept.into_iter().map(|kept| kept.hit).collect()
    }

    /// Keeps `hit` (worse than every hit added before), or folds it into
    /// the kept hit it copies or restates; `run` fingerprints bullets.
    pub(crate) fn add(&mut self, hit: Hit, run: &mut Run) -> Result<()> {
        if !self.dedup || hit.kind == DocKind::Article {
            self.kept.push(Kept {
                hit,
                terms: None,
                print: None,
            });
            return Ok(());
        }
        // The same sentence in two briefs (one story copied into two
        // newsletters) is shown once, whatever brief it is in.
        let text = normalised(&hit.text);
        if let Some(&i) = self.by_text.get(&text).and_then(|kept| {
            kept.iter()
                .find(|&&i| self.kept[i].hit.text.len().abs_diff(hit.text.len()) < 8)
        }) {
            self.kept[i].hit.folded.push(hit.id);
            return Ok(());
        }
        // Fingerprints are computed only for bullets whose brief already has
        // a hit: most hits have no sibling, and those cost nothing extra.
        let siblings = self
            .by_brief
            .get(&hit.brief_id)
            .map_or(&[][..], |s| &s[..s.len().min(MAX_SIBLINGS)]);
        // Bullets that share fewer than MIN_SHARED words are never near
        // duplicates: that is checked on their words first, and the brief's
        // vocabulary (all its bullets analysed) is read only past it.
        let mut terms = None;
        let mut print = None;
        if !siblings.is_empty() {
            let these = terms.insert(run.terms(&hit));
            for &i in siblings {
                let other = &mut self.kept[i];
                let other_terms = match &mut other.terms {
                    Some(t) => t,
                    slot => slot.insert(run.terms(&other.hit)),
                };
                if shared_terms(these, other_terms) < MIN_SHARED {
                    continue;
                }
                if other.print.is_none() {
                    other.print = Some(run.fingerprint(&other.hit, other_terms)?);
                }
                let this = match &print {
                    Some(p) => p,
                    None => print.insert(run.fingerprint(&hit, these)?),
                };
                if other
                    .print
                    .as_ref()
                    .is_some_and(|p| p.similarity(this) >= NEAR_DUPLICATE)
                {
                    self.kept[i].hit.folded.push(hit.id);
                    return Ok(());
                }
            }
        }
        let i = self.kept.len();
        self.by_key
            .entry(copy_key_of(&text, hit.text.len()))
            .or_insert(i);
        self.by_text.entry(text).or_default().push(i);
        self.by_brief
            .entry(hit.brief_id.clone())
            .or_default()
            .push(i);
        self.kept.push(Kept { hit, terms, print });
        Ok(())
    }
}
