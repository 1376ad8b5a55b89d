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

/// Byte ranges of `text` that match the query's terms.
pub(crate) fn highlight_ranges(snippets: &SnippetGenerator, text: &str) -> Vec<[usize; 2]> {
    let snippet = snippets.snippet(text);
    let offset = text.find(snippet.fragment()).unwrap_or(0);
    snippet
        .highlighted()
        .iter()
        .map(|r| [r.start + offset, r.end + offset])
        .collect()
}
