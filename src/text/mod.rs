//! Stage 3: text analysis, shared by indexing and querying so that what
//! readers type finds what briefs say. `tokenizer` splits news text into
//! words (numbers and amounts kept whole, hyphenated words also joined);
//! `analyzers` folds, drops stop words (`stop_filter`: not acronyms in
//! capitals) and stems; `copies` tells copies of one sentence apart; `pre_analysed` runs that once per text at index time and
//! hands Tantivy the tokens. Knows Tantivy's tokenizer traits only: never
//! imports `index/`, `query/`, `search/` or `output/`.

mod analyzers;
mod copies;
mod pre_analysed;
mod stop_filter;
mod tokenizer;

pub(crate) use analyzers::{
    news_analyzer, news_analyzer_halves, news_analyzer_with, news_normaliser_keeping_capitals,
    prefix_analyzer,
};
pub(crate) use copies::{copy_key, copy_key_of, normalised};
pub(crate) use pre_analysed::{ANALYSED_TOKENIZER, AnalysedTokenizer, Analysis};
pub(crate) use stop_filter::{Capitals, is_capital_stop_word, is_shouted};

/// The analysed terms of `text` in two: its words with their positions,
/// and the joined forms of its hyphenated words (`gpt4` of `GPT-4`), which
/// a query looks for apart from the parts.
pub(crate) fn analyse_parts(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
) -> (Vec<(usize, String)>, Vec<String>) {
    let mut parts = Vec::new();
    let mut joined = Vec::new();
    analyzer.token_stream(text).process(&mut |token| {
        // Only a joined form spans a hyphen: parts and amounts never do.
        let spans_hyphen = text
            .get(token.offset_from..token.offset_to)
            .is_some_and(|s| s.contains('-'));
        if spans_hyphen {
            joined.push(token.text.clone());
        } else {
            parts.push((token.position, token.text.clone()));
        }
    });
    (parts, joined)
}

/// The analysed terms of `text`, with their positions, in order.
pub(crate) fn analyse(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |token| tokens.push((token.position, token.text.clone())));
    tokens
}
