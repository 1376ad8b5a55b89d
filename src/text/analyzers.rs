//! The analysers: what every searchable text and every query word goes
//! through. News words (see `tokenizer`), tokens over 40 bytes dropped,
//! lower case, accents folded (`café` → `cafe`), the stop words dropped
//! (but a short acronym in capitals, `IT`, kept: `stop_filter`), English
//! stemming. One list of stop words serves indexing, querying and
//! near-duplicate checks.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer,
};

use crate::text::stop_filter::{Capitals, CapitalsStopFilter};
use crate::text::tokenizer::NewsTokenizer;

/// Words too common to rank by: Lucene's English list, the one list of
/// the crate (indexing, querying and near-duplicate checks all see text
/// through this analyser). Chosen on the relevance harness, where dropping
/// them helped CheckThat and cost SciFact nothing (tests/relevance/RESULTS.md). Phrases keep their gaps, so `"bank of
/// england"` still needs the words in that order. Sorted (looked up by
/// binary search). A stop word written in capitals inside text that is not
/// wholly in capitals (`IT spending`) is kept (`stop_filter`).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// The analyser for news text: news words (numbers and amounts kept whole,
/// hyphenated words also joined, see `tokenizer`), tokens over 40 bytes
/// dropped, lower-case, accents folded (`café` → `cafe`), stop words dropped
/// unless an acronym in capitals keeps them, English stemming.
pub fn news_analyzer() -> TextAnalyzer {
    news_analyzer_with(Capitals::FromText)
}

/// [`news_analyzer`], with capital stop words kept or dropped as `capitals`
/// says: for a query's words, which are judged by the whole query.
pub fn news_analyzer_with(capitals: Capitals) -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CapitalsStopFilter(capitals))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// [`news_analyzer`] in two halves, for callers that cache by word: the
/// words of a text with their positions (split, too-long ones dropped),
/// and what becomes of one such word (folded and stemmed, or nothing for a
/// stop word, capitals or not: a caller that keeps acronyms in capitals
/// asks [`news_normaliser_keeping_capitals`] for those).
pub fn news_analyzer_halves() -> (TextAnalyzer, TextAnalyzer) {
    let words = TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .build();
    (words, normaliser(Capitals::Dropped))
}

/// What becomes of one word in a text not written wholly in capitals:
/// the second half of [`news_analyzer_halves`], keeping a stop word in
/// capitals (`IT`).
pub fn news_normaliser_keeping_capitals() -> TextAnalyzer {
    normaliser(Capitals::Kept)
}

fn normaliser(capitals: Capitals) -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CapitalsStopFilter(capitals))
        .filter(Stemmer::new(Language::English))
        .build()
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

    fn terms(text: &str) -> Vec<String> {
        crate::text::analyse(&mut news_analyzer(), text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn acronyms_in_capitals_are_words_in_mixed_case_text() {
        assert_eq!(terms("IT spending rose"), ["IT", "spend", "rose"]);
        assert_eq!(
            terms("THE AT&T deal, INTO it"),
            ["THE", "AT", "t", "deal", "INTO"]
        );
        assert_eq!(terms("its"), ["it"], "the stem of `its` is not the acronym");
        assert_eq!(terms("It rose, and it fell"), ["rose", "fell"]);
        assert_eq!(terms("IT SPENDING ROSE"), ["spend", "rose"]);
        assert_eq!(
            terms("GPT-4 won 4-6"),
            ["gpt", "gpt4", "4", "won", "4", "6"]
        );
    }
}
