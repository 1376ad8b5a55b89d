//! Building query trees flat. A word looked for in several fields, a fuzzy
//! word's expansions and a prefix's words are each a sum of term scores;
//! nested, Tantivy scores every document matching any of them, but as one
//! flat disjunction of (boosted) term queries it can skip whole blocks of
//! documents that cannot reach the top hits (block-max WAND), which made
//! fuzzy and prefix words several times faster. Sums of sums are sums, and
//! a boost on a sum is the same boost on each part, so scores do not change.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostWeight, EnableScoring, Occur, Query, Weight};

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

fn should(queries: Vec<Box<dyn Query>>) -> Vec<(Occur, Box<dyn Query>)> {
    queries.into_iter().map(|q| (Occur::Should, q)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::TermQuery;
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
}
