//! Expanding `word*` and `word~N` into the index's own words, so each
//! expansion is scored with BM25 like any word (a rare close match ranks by
//! how well it matches, not all at one constant score). Reads the term
//! dictionaries of the searcher's segments; bounded by a maximum count.

use std::collections::BTreeSet;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::text::analyse;

/// Most words one prefix or fuzzy word expands to.
pub const MAX_EXPANSIONS: usize = 64;

/// Index words of `field` starting with `prefix`, in order, at most `max`.
/// Each segment's dictionary is sorted, so the first `max` of the whole
/// index are among the first `max` of each segment: no more is read.
pub(crate) fn prefix_terms(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    max: usize,
) -> tantivy::Result<Vec<String>> {
    let mut found = BTreeSet::new();
    scan(searcher, field, prefix, max, &mut |word| {
        found.insert(word.to_string());
    })?;
    Ok(found.into_iter().take(max).collect())
}

/// Index words of `field` within `distance` edits (insertions, deletions,
/// substitutions, swaps of neighbours) of `word`, sharing its first letter,
/// other than `word` itself; at most `max`, closest first.
pub(crate) fn fuzzy_terms(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
    max: usize,
) -> tantivy::Result<Vec<String>> {
    let Some(first) = word.chars().next() else {
        return Ok(Vec::new());
    };
    let target: Vec<char> = word.chars().collect();
    // Tantivy's Levenshtein automaton (neighbour swaps cost one edit) walks
    // only the parts of each term dictionary that can match; the exact
    // distance is then measured for the few words it finds.
    let automaton =
        FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true).automaton()?;
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            // Words of a text field are UTF-8; anything else is no word.
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if candidate == word || !candidate.starts_with(first) {
                continue;
            }
            let chars: Vec<char> = candidate.chars().collect();
            let d = edit_distance(&target, &chars);
            if d <= usize::from(distance) {
                found.insert((d, candidate.to_string()));
            }
        }
    }
    Ok(found.into_iter().take(max).map(|(_, w)| w).collect())
}

/// The analysed (stemmed) forms of every spelling one edit away from
/// `word` (deleting, swapping, replacing or inserting one letter or digit),
/// without repeats.
pub(crate) fn stemmed_variants(analyzer: &mut TextAnalyzer, word: &str) -> Vec<String> {
    const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 || chars.len() > 24 {
        return Vec::new();
    }
    let mut spellings: Vec<String> = Vec::new();
    for i in 0..=chars.len() {
        if i < chars.len() {
            spellings.push(chars[..i].iter().chain(&chars[i + 1..]).collect());
        }
        if i + 1 < chars.len() {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            spellings.push(swapped.into_iter().collect());
        }
        for c in ALPHABET.chars() {
            if i < chars.len() {
                let mut replaced = chars.clone();
                replaced[i] = c;
                spellings.push(replaced.into_iter().collect());
            }
            let mut inserted = chars.clone();
            inserted.insert(i, c);
            spellings.push(inserted.into_iter().collect());
        }
    }
    let mut stems: Vec<String> = spellings
        .iter()
        .filter_map(|spelling| match analyse(analyzer, spelling).as_slice() {
            [(_, stem)] => Some(stem.clone()),
            _ => None,
        })
        .collect();
    stems.sort();
    stems.dedup();
    stems
}

/// Calls `visit` with the first `max` words of each segment of `field`
/// that start with `prefix`.
fn scan(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    max: usize,
    visit: &mut dyn FnMut(&str),
) -> tantivy::Result<()> {
    for segment in searcher.segment_readers() {
        let mut seen = 0;
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(word) = std::str::from_utf8(key) {
                visit(word);
                seen += 1;
                if seen == max {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Optimal string alignment distance (Levenshtein plus neighbour swaps).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> usize {
        edit_distance(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn edit_distances() {
        assert_eq!(d("kestrel", "kestrel"), 0);
        assert_eq!(d("kestral", "kestrel"), 1);
        assert_eq!(d("alibaab", "alibaba"), 1);
        assert_eq!(d("tram", "trams"), 1);
        assert_eq!(d("tram", "team"), 1);
        assert_eq!(d("tram", "dream"), 2);
    }
}
