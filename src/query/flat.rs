//! Building query trees flat. A word looked for in several fields, a fuzzy
//! word's expansions and a prefix's words are each a sum of term scores;
//! nested, Tantivy scores every document matching any of them, but as one
//! flat disjunction of (boosted) term queries it can skip whole blocks of
//! documents that cannot reach the top hits (block-max WAND), which made
//! fuzzy and prefix words several times faster. Sums of sums are sums, and
//! a boost on a sum is the same boost on each part, so scores do not change.

use crate::query::phrase_union::PhraseUnion;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostWeight, EnableScoring, Occur, Query, TermQuery, Weight};

/// A query whose scores are multiplied by `boost`: Tantivy's `BoostQuery`,
/// with its parts readable so boosts can be pushed down and multiplied.
#[derive(Debug)]
pub struct Boosted {
    query: Box<dyn Query>,
    boost: f32,
}

impl Clone for Boosted {
    fn clone(&self) -> Self {
        Boosted {
            query: self.query.box_clone(),
            boost: self.boost,
        }
    }
}

impl Boosted {
    /// The query boosted, and by how much.
    pub(crate) fn parts(&self) -> (&dyn Query, f32) {
        (&*self.query, self.boost)
    }
}

impl Query for Boosted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weight = self.query.weight(enable_scoring)?;
        Ok(if enable_scoring.is_scoring_enabled() {
            Box::new(BoostWeight::new(weight, self.boost))
        } else {
            weight
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// The clauses of `query` when it is a pure disjunction (all `Should`).
pub(crate) fn disjuncts(query: &dyn Query) -> Option<Vec<Box<dyn Query>>> {
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let clauses = boolean.clauses();
    if clauses.is_empty() || clauses.iter().any(|(occur, _)| *occur != Occur::Should) {
        return None;
    }
    Some(clauses.iter().map(|(_, q)| q.box_clone()).collect())
}

/// `query` with its scores multiplied by `factor`; over a disjunction the
/// factor goes to each part, and boosts of boosts multiply.
pub fn boost_by(query: Box<dyn Query>, factor: f32) -> Box<dyn Query> {
    if (factor - 1.0).abs() < f32::EPSILON {
        return query;
    }
    if let Some(boosted) = query.downcast_ref::<Boosted>() {
        return boost_by(boosted.query.box_clone(), boosted.boost * factor);
    }
    if let Some(parts) = disjuncts(&*query) {
        let parts = parts.into_iter().map(|q| boost_by(q, factor)).collect();
        return Box::new(BooleanQuery::new(should(parts)));
    }
    Box::new(Boosted {
        query,
        boost: factor,
    })
}

/// Documents matching any of `queries`, scored by the sum of those that
/// match; a disjunction among them is spliced in rather than nested.
pub fn any_of(queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    let mut flat = Vec::with_capacity(queries.len());
    for query in queries {
        match disjuncts(&*query) {
            Some(parts) => flat.extend(parts),
            None => flat.push(query),
        }
    }
    match flat.len() {
        0 => None,
        1 => flat.pop(),
        _ => Some(Box::new(BooleanQuery::new(should(flat)))),
    }
}

/// Most terms of a disjunction or conjunction ranked by block-max scores:
/// past them (a prefix's or a typo's expansions, a long pasted query),
/// skipping blocks costs more than scoring every match on all cores. At
/// 1,000,000 briefs, two cores: `econom*` 25.8 -> 8.3 ms, `goverment~1`
/// 39.4 -> 18.1 ms, ten words 104 -> 72 ms; two to four words about equal.
pub(crate) const MOST_PRUNED_TERMS: usize = 8;

/// Whether Tantivy had best rank `query` itself, skipping by block-max
/// scores the documents that cannot reach the top: a term (boosted or not),
/// a pure disjunction or pure conjunction of at most [`MOST_PRUNED_TERMS`]
/// terms, or a phrase's fields ranked by bounds on their scores
/// ([`PhraseUnion`]). Anything else (a phrase inside an `AND`, a sum of a
/// word's fields inside an `AND`, a filter) has every match scored anyway.
pub(crate) fn prunable(query: &dyn Query) -> bool {
    if is_term(query) || query.is::<PhraseUnion>() {
        return true;
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return false;
    };
    let clauses = boolean.clauses();
    let one_occur = clauses.iter().all(|(occur, _)| *occur == Occur::Should)
        || clauses.iter().all(|(occur, _)| *occur == Occur::Must);
    (1..=MOST_PRUNED_TERMS).contains(&clauses.len())
        && one_occur
        && clauses.iter().all(|(_, q)| is_term(&**q))
}

/// A term query, boosted or not: scored by a term scorer.
fn is_term(query: &dyn Query) -> bool {
    match query.downcast_ref::<Boosted>() {
        Some(boosted) => boosted.query.is::<TermQuery>(),
        None => query.is::<TermQuery>(),
    }
}

fn should(queries: Vec<Box<dyn Query>>) -> Vec<(Occur, Box<dyn Query>)> {
    queries.into_iter().map(|q| (Occur::Should, q)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};

    fn term(field: tantivy::schema::Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    #[test]
    fn nested_disjunctions_and_boosts_come_out_flat() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let inner = any_of(vec![term(text, "b"), term(text, "c")]).unwrap();
        let boosted = boost_by(boost_by(inner, 0.5), 0.3);
        let query = any_of(vec![term(text, "a"), boosted]).unwrap();
        let clauses = disjuncts(&*query).expect("one flat disjunction");
        assert_eq!(clauses.len(), 3);
        let boosts: Vec<f32> = clauses
            .iter()
            .map(|q| q.downcast_ref::<Boosted>().map_or(1.0, |b| b.boost))
            .collect();
        assert!((boosts[1] - 0.15).abs() < 1e-6 && (boosts[2] - 0.15).abs() < 1e-6);
        assert!(
            clauses[1]
                .downcast_ref::<Boosted>()
                .unwrap()
                .query
                .is::<TermQuery>()
        );
    }

    #[test]
    fn only_terms_and_their_plain_unions_and_intersections_are_prunable() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let union = any_of(vec![term(text, "a"), boost_by(term(text, "b"), 0.3)]).unwrap();
        assert!(prunable(&*union));
        assert!(prunable(&*term(text, "a")));
        assert!(prunable(&*boost_by(term(text, "a"), 0.3)));
        let both = BooleanQuery::new(vec![
            (Occur::Must, term(text, "a")),
            (Occur::Must, term(text, "b")),
        ]);
        assert!(prunable(&both));
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(text, "central"),
            Term::from_field_text(text, "bank"),
        ]);
        assert!(!prunable(&phrase));
        let mixed = BooleanQuery::new(vec![
            (Occur::Must, term(text, "a")),
            (Occur::Should, term(text, "b")),
        ]);
        assert!(!prunable(&mixed));
        let words: Vec<Box<dyn Query>> = (0..=MOST_PRUNED_TERMS)
            .map(|i| term(text, &format!("w{i}")))
            .collect();
        assert!(!prunable(&*any_of(words).unwrap()));
        let sums = BooleanQuery::new(vec![(Occur::Must, union.box_clone()), (Occur::Must, union)]);
        assert!(!prunable(&sums));
    }
}
