//! Finding the byte ranges of a hit's text that the query matched. The
//! searchable fields are indexed from pre-analysed text (see
//! `text::pre_analysed`), so Tantivy's own snippet generator cannot analyse
//! them; this one is given the query's terms and the news analyser, and
//! finds the matches in the text as written.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use crate::brief::Brief;
use crate::search::hit::{Snippet, SnippetField};
use crate::text::news_analyzer;

/// What `SnippetGenerator::create` builds, but with the news analyser:
/// the searchable fields are indexed from analysed text (see `text::pre_analysed`),
/// while highlights are found in the text as written.
pub(crate) fn highlighter(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut words = BTreeMap::new();
    for term in terms {
        let Some(word) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            words.insert(word, 1.0 / (1.0 + doc_freq as f32));
        }
    }
    // Highlight whole texts; `output` cuts long ones around the matches.
    Ok(SnippetGenerator::new(
        words,
        news_analyzer(),
        field,
        1_000_000,
    ))
}

/// Byte ranges of `text` that match the query's terms, in order, those
/// that overlap merged (`GPT-4` matches as `gpt`, `gpt4` and `4`).
pub(crate) fn highlight_ranges(snippets: &SnippetGenerator, text: &str) -> Vec<[usize; 2]> {
    let snippet = snippets.snippet(text);
    let offset = text.find(snippet.fragment()).unwrap_or(0);
    let mut ranges: Vec<[usize; 2]> = Vec::new();
    for r in snippet.highlighted() {
        match ranges.last_mut() {
            Some(last) if r.start + offset < last[1] => last[1] = last[1].max(r.end + offset),
            _ => ranges.push([r.start + offset, r.end + offset]),
        }
    }
    ranges
}

/// The part of `brief` (point, summary or body paragraph) in which the most
/// distinct query words matched, in that order on a tie; `None` when the
/// query matched none of them. `snippets` has a highlighter per part.
pub(crate) fn best_snippet(
    brief: &Brief,
    snippets: &[(SnippetField, SnippetGenerator)],
) -> Option<Snippet> {
    let texts = |field: SnippetField| -> Vec<&str> {
        match field {
            SnippetField::Point => brief.points.iter().map(|p| p.text.as_str()).collect(),
            SnippetField::Summary => brief.summaries.iter().map(|s| s.text.as_str()).collect(),
            SnippetField::Body => brief.body.iter().map(String::as_str).collect(),
        }
    };
    let mut best: Option<(usize, Snippet)> = None;
    for (field, generator) in snippets {
        for text in texts(*field) {
            let ranges = highlight_ranges(generator, text);
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
