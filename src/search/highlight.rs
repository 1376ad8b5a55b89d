//! Finding the byte ranges of a hit's text that the query matched. The
//! searchable fields are indexed from pre-analysed text (see
//! `text::pre_analysed`), so Tantivy's own snippet generator cannot analyse
//! them; a [`Highlighter`] holds the query's terms of one field, and the
//! text as written is analysed as it was indexed (each word's form cached
//! for the whole search), its words whose form the query holds marked.

use std::collections::BTreeSet;

use fnv::FnvHashSet;
use tantivy::query::Query;
use tantivy::schema::Field;

use crate::brief::Brief;
use crate::search::hit::{Snippet, SnippetField};
use crate::text::Analysis;

/// The terms a query looks for in one field.
pub(crate) struct Highlighter {
    terms: FnvHashSet<String>,
}

/// The highlighter of `query`'s terms in `field`.
pub(crate) fn highlighter(query: &dyn Query, field: Field) -> Highlighter {
    let mut terms = FnvHashSet::default();
    query.query_terms(&mut |term, _| {
        if term.field() == field
            && let Some(word) = term.value().as_str()
        {
            terms.insert(word.to_string());
        }
    });
    Highlighter { terms }
}

/// Byte ranges of `text` that match the query's terms, in order, those
/// that overlap merged (`GPT-4` matches as `gpt`, `gpt4` and `4`).
pub(crate) fn highlight_ranges(
    highlighter: &Highlighter,
    analysis: &mut Analysis,
    text: &str,
) -> Vec<[usize; 2]> {
    if highlighter.terms.is_empty() {
        return Vec::new();
    }
    let mut ranges: Vec<[usize; 2]> = Vec::new();
    for (start, end) in analysis.ranges_where(text, |term| highlighter.terms.contains(term)) {
        match ranges.last_mut() {
            Some(last) if start < last[1] => last[1] = last[1].max(end),
            _ => ranges.push([start, end]),
        }
    }
    ranges
}

/// The part of `brief` (point, summary or body paragraph) in which the most
/// distinct query words matched, in that order on a tie; `None` when the
/// query matched none of them. `highlighters` has one per part.
pub(crate) fn best_snippet(
    brief: &Brief,
    highlighters: &[(SnippetField, Highlighter)],
    analysis: &mut Analysis,
) -> Option<Snippet> {
    let texts = |field: SnippetField| -> Vec<&str> {
        match field {
            SnippetField::Point => brief.points.iter().map(|p| p.text.as_str()).collect(),
            SnippetField::Summary => brief.summaries.iter().map(|s| s.text.as_str()).collect(),
            SnippetField::Body => brief.body.iter().map(String::as_str).collect(),
        }
    };
    let mut best: Option<(usize, Snippet)> = None;
    for (field, highlighter) in highlighters {
        for text in texts(*field) {
            let ranges = highlight_ranges(highlighter, analysis, text);
            let words: BTreeSet<String> = ranges
                .iter()
                .filter_map(|&[start, end]| text.get(start..end))
                .map(str::to_lowercase)
                .collect();
            if !words.is_empty() && best.as_ref().is_none_or(|(n, _)| words.len() > *n) {
                let snippet = Snippet {
                    field: *field,
                    text: text.to_string(),
                    highlights: ranges,
                };
                best = Some((words.len(), snippet));
            }
        }
    }
    best.map(|(_, snippet)| snippet)
}
