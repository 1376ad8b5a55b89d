//! Typesense's search answers as briefs' [`Hit`]s and [`Group`]s: the
//! stored fields a hit shows, a score, and highlights found in the text as
//! written from the terms Typesense says matched.
//!
//! The score is Typesense's `text_match` divided by 2^59: its top bits
//! count the query's words the document matched, so the integer part is
//! that count and the fraction orders documents that match as many (by the
//! best field's match quality and weight). It is not BM25 and is not
//! comparable with a local score.

use std::collections::HashSet;

use serde_json::Value;

use crate::brief::DocKind;
use crate::engine::terms::Terms;
use crate::search::{Group, Hit};

/// 2^59: where `text_match` keeps the count of words matched.
const TOKENS_MATCHED_UNIT: f64 = (1u64 << 59) as f64;

/// The hits of one answer (`hits`, or one group's), unranked.
pub(crate) fn hits_of(answer: &[Value], terms: &mut Terms, prefixes: &[String]) -> Vec<Hit> {
    answer
        .iter()
        .map(|hit| hit_of(hit, terms, prefixes))
        .collect()
}

/// The groups of a grouped answer, each with up to `per_brief` hits.
pub(crate) fn groups_of(
    answer: &[Value],
    per_brief: usize,
    terms: &mut Terms,
    prefixes: &[String],
) -> Vec<Group> {
    let mut groups = Vec::new();
    for group in answer {
        let hits_json = group
            .get("hits")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut hits = hits_of(hits_json, terms, prefixes);
        let Some(first) = hits.first() else { continue };
        let mut grouped = Group::for_hit(first);
        grouped.more = hits.len().saturating_sub(per_brief);
        hits.truncate(per_brief);
        for (i, hit) in hits.iter_mut().enumerate() {
            hit.rank = i + 1;
        }
        grouped.hits = hits;
        groups.push(grouped);
    }
    groups
}

fn hit_of(hit: &Value, terms: &mut Terms, prefixes: &[String]) -> Hit {
    let doc = &hit["document"];
    let text_of = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_string);
    let number = |key: &str| {
        doc.get(key)
            .and_then(Value::as_u64)
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    let kind = text_of("kind")
        .and_then(|k| DocKind::from_name(&k))
        .unwrap_or(DocKind::Article);
    let text = text_of("text").unwrap_or_default();
    let matched = matched_terms(hit);
    let highlights = terms.highlights(&text, &matched, prefixes);
    let score = hit
        .get("text_match")
        .and_then(Value::as_u64)
        .map_or(0.0, |m| m as f64 / TOKENS_MATCHED_UNIT);
    Hit {
        rank: 0,
        id: text_of("id").unwrap_or_default(),
        brief_id: text_of("brief_id").unwrap_or_default(),
        kind,
        position: number("position"),
        score: score as f32,
        text,
        highlights,
        marker: text_of("marker"),
        emoji: text_of("emoji"),
        headline: text_of("headline").unwrap_or_default(),
        source: text_of("source"),
        date: text_of("date"),
        path: text_of("path").unwrap_or_default(),
        line: number("line"),
        brief_line: number("brief_line"),
        folded: Vec::new(),
        folded_at: Vec::new(),
        snippet: None,
        explain: None,
        context_only: false,
        context_folded: Vec::new(),
    }
}

/// Every term Typesense reports as matched, in any field (arrays of
/// strings for string fields, arrays of arrays for string[] fields).
fn matched_terms(hit: &Value) -> HashSet<String> {
    fn collect(value: &Value, out: &mut HashSet<String>) {
        match value {
            Value::String(s) => {
                out.insert(s.to_lowercase());
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    if let Some(highlights) = hit.get("highlights").and_then(Value::as_array) {
        for h in highlights {
            if let Some(tokens) = h.get("matched_tokens") {
                collect(tokens, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer_hit(id: &str, brief: &str, text_match: u64) -> Value {
        json!({
            "document": {"id": id, "brief_id": brief, "kind": "point", "position": 1,
                         "line": 3, "brief_line": 1, "path": "/c/t.txt",
                         "headline": "Tram opens", "text": "Tram riders queued", "marker": "🚋",
                         "emoji": "🚋", "source": "Gazette"},
            "highlights": [{"field": "text_terms", "matched_tokens": ["rider"]},
                           {"field": "points_terms", "matched_tokens": [["tram"], []]}],
            "text_match": text_match
        })
    }

    #[test]
    fn a_hit_carries_the_stored_fields_a_score_and_highlights() {
        let mut terms = Terms::default();
        let hits = hits_of(&[answer_hit("t#p1", "t", 3u64 << 59)], &mut terms, &[]);
        let hit = &hits[0];
        assert_eq!(hit.id, "t#p1");
        assert_eq!(hit.kind, DocKind::Point);
        assert_eq!((hit.line, hit.brief_line, hit.position), (3, 1, 1));
        assert_eq!(hit.score, 3.0);
        assert_eq!(hit.highlights, [[0, 4], [5, 11]]);
        assert_eq!(hit.source.as_deref(), Some("Gazette"));
        assert!(hit.date.is_none());
    }

    #[test]
    fn groups_keep_per_brief_hits_and_count_the_rest() {
        let mut terms = Terms::default();
        let answer = [json!({"group_key": ["t"], "hits": [
            answer_hit("t#p1", "t", 3), answer_hit("t#p2", "t", 2), answer_hit("t#s1", "t", 1)]})];
        let groups = groups_of(&answer, 2, &mut terms, &[]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].brief_id, "t");
        assert_eq!(groups[0].hits.len(), 2);
        assert_eq!(groups[0].more, 1);
        assert_eq!(groups[0].hits[1].rank, 2);
        assert_eq!(groups[0].line, 1);
    }
}
