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
    /// The ASCII letters and digits (both cases) that some term starts
    /// with. Analysis keeps a word's first letter or digit but for its
    /// case and accents (folding turns a non-ASCII letter into ASCII; the
    /// stemmer drops only a leading apostrophe), so a word starting with
    /// another ASCII letter or digit cannot match: it is not analysed
    /// (most words of a text, most of the time highlights took).
    first_bytes: [bool; 128],
}

impl Highlighter {
    /// Whether `word`, as written, could analyse to one of the terms.
    fn may_match(&self, word: &str) -> bool {
        match word.as_bytes().first() {
            Some(&b) if b.is_ascii_alphanumeric() => self.first_bytes[usize::from(b)],
            _ => true,
        }
    }
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
    let mut first_bytes = [false; 128];
    for term in &terms {
        match term.as_bytes().first() {
            Some(&b) if b.is_ascii_alphanumeric() => {
                first_bytes[usize::from(b.to_ascii_lowercase())] = true;
                first_bytes[usize::from(b.to_ascii_uppercase())] = true;
            }
            // A term led by another character: every word is analysed.
            _ => first_bytes = [true; 128],
        }
        if first_bytes.iter().all(|&b| b) {
            break;
        }
    }
    Highlighter { terms, first_bytes }
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
    let may_match = |word: &str| highlighter.may_match(word);
    for (start, end) in
        analysis.ranges_where(text, may_match, |term| highlighter.terms.contains(term))
    {
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

#[cfg(test)]
mod tests {
    use tantivy::Term;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};

    use super::*;

    fn ranges(terms: &[&str], text: &str) -> Vec<[usize; 2]> {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("text", TEXT);
        let clauses = terms
            .iter()
            .map(|t| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        let highlighter = highlighter(&BooleanQuery::new(clauses), field);
        highlight_ranges(&highlighter, &mut Analysis::default(), text)
    }

    /// Words passed over by their first letter are never ones that match:
    /// accents, capitals and stems all keep it.
    #[test]
    fn words_are_matched_as_analysed_whatever_their_case_and_accents() {
        let text = "Café owners in Zürich report RISING rents";
        assert_eq!(
            ranges(&["cafe", "zurich", "rise"], text),
            [[0, 5], [16, 23], [31, 37]]
        );
        assert_eq!(ranges(&["rent"], text), [[38, 43]]);
        assert!(ranges(&["owner"], "The Owners met.").len() == 1);
        assert!(ranges(&[], text).is_empty());
        // A term led by a sign or a non-ASCII letter: every word is looked at.
        assert_eq!(ranges(&["$1.13bn"], "Sales hit $1.13bn."), [[10, 17]]);
    }
}
