//! A phrase whose words, offsets and slop stay readable. Tantivy's
//! `PhraseQuery` keeps them private; [`Phrase`] scores exactly as it does
//! (its weight is one's) and lets `phrase_union` rank a phrase's fields
//! pruned: a document is checked for the phrase only when its words'
//! frequencies could lift it into the top hits.

use tantivy::Term;
use tantivy::query::{EnableScoring, PhraseQuery, Query, Weight};

/// Words at offsets from the phrase's first, within `slop` moves.
#[derive(Debug, Clone)]
pub struct Phrase {
    terms: Vec<(usize, Term)>,
    slop: u32,
}

impl Phrase {
    /// The phrase of `terms` (offset, term), all of one field, at least two.
    pub fn new(mut terms: Vec<(usize, Term)>, slop: u32) -> Phrase {
        terms.sort_by_key(|(offset, _)| *offset);
        Phrase { terms, slop }
    }

    /// Its words with their offsets from the first.
    pub fn terms(&self) -> &[(usize, Term)] {
        &self.terms
    }

    /// How many moves a match may be from the exact phrase.
    pub fn slop(&self) -> u32 {
        self.slop
    }

    /// Its words in order, as Tantivy's phrase weighs them.
    pub fn phrase_terms(&self) -> Vec<Term> {
        self.terms.iter().map(|(_, term)| term.clone()).collect()
    }
}

impl Query for Phrase {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        PhraseQuery::new_with_offset_and_slop(self.terms.clone(), self.slop).weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        // As Tantivy's phrase: every word, with positions wanted.
        for (_, term) in &self.terms {
            visitor(term, true);
        }
    }
}
