//! Which fields a query word is looked for in, and at what weight: the
//! table below (the README lists it too), restricted to the fields of the
//! kinds of document being ranked.
//!
//! | scope | bullet docs | article docs |
//! | --- | --- | --- |
//! | none | `text` 1.0, `context` (headline) 0.3 | `headline` 1.0, `points` 1.0, `summaries` 1.0, `body` 1.0 |
//! | `headline:` | `context` 1.0 | `headline` 1.0 |
//! | `point:` | `text` of points 1.0 | `points` 1.0 |
//! | `summary:` | `text` of summaries 1.0 | `summaries` 1.0 |
//! | `body:` | — | `body` 1.0 |
//! | `source:` | `source` 1.0 | `source` 1.0 |
//!
//! The weights were chosen on the relevance harness's tuning splits
//! (tests/relevance/RESULTS.md); `BRIEFS_WEIGHTS` tries others.

use tantivy::schema::Field;

use crate::brief::DocKind;
use crate::index::Fields;
use crate::query::parse::Scope;

/// One field a word is looked for in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub(crate) field: Field,
    pub(crate) weight: f32,
    /// Only documents of this kind count (points vs summaries share `text`).
    pub(crate) kind: Option<DocKind>,
}

/// The largest weight `BRIEFS_WEIGHTS` takes: far beyond any useful one, and
/// far below what could make a score infinite.
const MAX_WEIGHT: f32 = 1000.0;

/// The weight of each field for unscoped words (the table of the module doc). Kept in
/// one place so the relevance harness can try others (`BRIEFS_WEIGHTS`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// A bullet's own text.
    pub text: f32,
    /// A bullet's brief's headline.
    pub context: f32,
    /// An article's headline.
    pub headline: f32,
    /// An article's points.
    pub points: f32,
    /// An article's summaries.
    pub summaries: f32,
    /// An article's body.
    pub body: f32,
    /// When only articles are ranked, score an unscoped word over the
    /// article's fields as one field (BM25F, `bm25f`) rather than sum a
    /// BM25 score per field.
    pub combined: bool,
}

impl Default for Weights {
    fn default() -> Weights {
        // Chosen on the tuning splits (tests/relevance/RESULTS.md): article
        // headline 1.5 / body 0.5 lost to 1 / 1 on CheckThat, and a
        // bullet's headline above 0.3 lost on SciFact.
        Weights {
            text: 1.0,
            context: 0.3,
            headline: 1.0,
            points: 1.0,
            summaries: 1.0,
            body: 1.0,
            combined: true,
        }
    }
}

impl Weights {
    /// Reads `name=weight` pairs separated by commas (`context=0.5,body=1`)
    /// over the defaults.
    pub fn parse(spec: &str) -> Result<Weights, String> {
        let mut weights = Weights::default();
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}`: expected name=weight"))?;
            let value: f32 = value
                .trim()
                .parse()
                .map_err(|_| format!("`{pair}`: not a number"))?;
            // Larger weights overflow scores to infinity, which no order can rank.
            if !(0.0..=MAX_WEIGHT).contains(&value) {
                return Err(format!("`{pair}`: a weight is from 0 to {MAX_WEIGHT}"));
            }
            if name.trim() == "combined" {
                weights.combined = value != 0.0;
                continue;
            }
            let slot = match name.trim() {
                "text" => &mut weights.text,
                "context" => &mut weights.context,
                "headline" => &mut weights.headline,
                "points" => &mut weights.points,
                "summaries" => &mut weights.summaries,
                "body" => &mut weights.body,
                other => {
                    return Err(format!(
                        "unknown field `{other}` (text, context, headline, points, summaries, body, combined)"
                    ));
                }
            };
            *slot = value;
        }
        Ok(weights)
    }
}

/// The fields a word is looked for in, for documents of `kinds` only: a
/// bullet field is no use when only articles are ranked, and the other way
/// round (which also spares the search a filter on kind).
pub(crate) fn targets(
    fields: &Fields,
    scope: Option<Scope>,
    w: &Weights,
    kinds: &[DocKind],
) -> Vec<Target> {
    let bullets = kinds.iter().any(|k| *k != DocKind::Article);
    let articles = kinds.contains(&DocKind::Article);
    let wanted = |target: &Target| {
        let bullet_field = target.field == fields.text || target.field == fields.context;
        let shared = target.field == fields.source;
        let kind_ok = target.kind.is_none_or(|k| kinds.contains(&k));
        kind_ok && (shared || if bullet_field { bullets } else { articles })
    };
    all_targets(fields, scope, w)
        .into_iter()
        .filter(wanted)
        .collect()
}

fn all_targets(fields: &Fields, scope: Option<Scope>, w: &Weights) -> Vec<Target> {
    let t = |field, weight| Target {
        field,
        weight,
        kind: None,
    };
    let only = |field, kind| Target {
        field,
        weight: 1.0,
        kind: Some(kind),
    };
    match scope {
        None => vec![
            t(fields.text, w.text),
            t(fields.context, w.context),
            t(fields.headline, w.headline),
            t(fields.points, w.points),
            t(fields.summaries, w.summaries),
            t(fields.body, w.body),
        ],
        Some(Scope::Headline) => vec![t(fields.context, 1.0), t(fields.headline, 1.0)],
        Some(Scope::Point) => vec![only(fields.text, DocKind::Point), t(fields.points, 1.0)],
        Some(Scope::Summary) => vec![
            only(fields.text, DocKind::Summary),
            t(fields.summaries, 1.0),
        ],
        Some(Scope::Body) => vec![t(fields.body, 1.0)],
        Some(Scope::Source) => vec![t(fields.source, 1.0)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse_over_the_defaults() {
        let weights = Weights::parse("context=0.5, body=2,combined=0").unwrap();
        assert_eq!(weights.context, 0.5);
        assert_eq!(weights.body, 2.0);
        assert!(!weights.combined);
        assert_eq!(weights.text, Weights::default().text);
    }

    #[test]
    fn weights_that_cannot_rank_are_refused() {
        for spec in [
            "text=inf",
            "text=NaN",
            "context=-1",
            "body=1e39",
            "body=1001",
            "headline",
            "title=1",
            "text=x",
        ] {
            assert!(Weights::parse(spec).is_err(), "{spec}");
        }
        assert!(Weights::parse("text=0,body=1000").is_ok());
    }
}
