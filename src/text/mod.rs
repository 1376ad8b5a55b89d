//! Stage 3: text analysis, shared by indexing and querying so that what
//! readers type finds what briefs say. `tokenizer` splits news text into
//! words (numbers and amounts kept whole); `analyzers` folds, drops stop
//! words and stems; `pre_analysed` runs that once per text at index time and
//! hands Tantivy the tokens. Knows Tantivy's tokenizer traits only: never
//! imports `index/`, `query/`, `search/` or `output/`.

mod analyzers;
mod pre_analysed;
mod tokenizer;

pub(crate) use analyzers::{news_analyzer, news_analyzer_halves, prefix_analyzer};
pub(crate) use pre_analysed::{ANALYSED_TOKENIZER, AnalysedTokenizer, Analysis};

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
