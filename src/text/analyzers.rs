//! The analysers: what every searchable text and every query word goes
//! through. News words (see `tokenizer`), tokens over 40 bytes dropped,
//! lower case, accents folded (`café` → `cafe`), the stop words dropped,
//! English stemming. One list of stop words serves indexing, querying and
//! near-duplicate checks.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer,
};

use crate::text::tokenizer::NewsTokenizer;

/// Words too common to rank by: Lucene's English list, the one list of
/// the crate (indexing, querying and near-duplicate checks all see text
/// through this analyser). Chosen on the relevance harness, where dropping
/// them helped CheckThat and cost SciFact nothing (tests/relevance/RESULTS.md). Phrases keep their gaps, so `"bank of
/// england"` still needs the words in that order.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// The analyser for news text: news words (numbers and amounts kept whole,
/// see `tokenizer`), tokens over 40 bytes dropped, lower-case, accents folded
/// (`café` → `cafe`), stop words dropped, English stemming.
pub fn news_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| w.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// [`news_analyzer`] in two halves, for callers that cache by word: the
/// words of a text with their positions (split, too-long ones dropped),
/// and what becomes of one such word (folded and stemmed, or nothing for a
/// stop word).
pub fn news_analyzer_halves() -> (TextAnalyzer, TextAnalyzer) {
    let words = TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .build();
    let normalise = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| w.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build();
    (words, normalise)
}

/// The analyser for `word*` prefixes: as [`news_analyzer`] but unstemmed,
/// since a prefix is not a whole word.
pub fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyzer_folds_case_accents_drops_stop_words_and_stems() {
        let mut analyzer = news_analyzer();
        let mut stream = analyzer.token_stream("Cafés PLUNGED in Zürich");
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.text.clone());
        }
        assert_eq!(tokens, ["cafe", "plung", "zurich"], "`in` is a stop word");
    }
}
