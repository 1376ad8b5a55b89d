//! Text analysed before it reaches Tantivy. A brief's headline is indexed on
//! its article and again as the context of every bullet, and each bullet's
//! text on the bullet and on its article; analysing in Tantivy's writer
//! would split, fold and stem the same words two to ten times. So
//! [`Analysis`] runs the news analyser once per text and writes its tokens
//! as a compact string, and the searchable fields are indexed with
//! [`AnalysedTokenizer`], which only reads that string back.
//!
//! The encoding: tokens in order, a space before each one that moves to
//! the next position (two spaces skip a position a stop word held), and a
//! `\u{1}` before one that shares the previous token's position (`11.5%`
//! beside `11.5`). Analysed tokens never hold either byte. Tantivy's
//! `PreTokenizedString` would do the same, but it round-trips every token
//! through JSON inside the writer, which cost more than the analysis saved.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use fnv::FnvHashMap as FnvMap;

use crate::text::{
    is_capital_stop_word, is_shouted, news_analyzer_halves, news_normaliser_keeping_capitals,
};

/// Name under which [`AnalysedTokenizer`] is registered.
pub const ANALYSED_TOKENIZER: &str = "briefs_analysed";

/// Separates tokens at the same position.
const SAME_POSITION: char = '\u{1}';

/// Runs the news analyser and encodes its tokens. What each word becomes
/// is cached: most words of a folder recur, and folding, stop-word checks
/// and stemming were most of the time analysis took.
pub struct Analysis {
    words: TextAnalyzer,
    normalise: TextAnalyzer,
    /// For an acronym in capitals that is also a stop word (`IT`), in a
    /// text not wholly in capitals: a word, not cached (the cache is by
    /// word as written, and the text decides).
    keeping: TextAnalyzer,
    terms: TermCache,
    kept: String,
}

impl Default for Analysis {
    fn default() -> Self {
        let (words, normalise) = news_analyzer_halves();
        Analysis {
            words,
            normalise,
            keeping: news_normaliser_keeping_capitals(),
            terms: TermCache::default(),
            kept: String::new(),
        }
    }
}

impl Analysis {
    /// The analysed form of `text`, to index in a field that uses
    /// [`AnalysedTokenizer`].
    pub fn encode(&mut self, text: &str) -> String {
        let mut encoded = String::with_capacity(text.len());
        let mut previous: Option<usize> = None;
        self.each_term(text, |token, term| {
            let gap = match previous {
                None => token.position,
                Some(p) => token.position.saturating_sub(p),
            };
            if gap == 0 && previous.is_some() {
                encoded.push(SAME_POSITION);
            }
            encoded.extend(std::iter::repeat_n(' ', gap));
            if term.contains([' ', SAME_POSITION]) {
                encoded.extend(term.chars().filter(|&c| c != ' ' && c != SAME_POSITION));
            } else {
                encoded.push_str(term);
            }
            previous = Some(token.position);
        });
        encoded
    }

    /// The analysed terms of `text`, in order: what the news analyser
    /// gives, each word's form cached.
    pub(crate) fn terms(&mut self, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        self.each_term(text, |_, term| terms.push(term.to_string()));
        terms
    }

    /// The byte ranges of `text`'s words whose analysed form `wanted`
    /// accepts, in order. Words that `may_match` turns down as written
    /// are not analysed.
    pub(crate) fn ranges_where(
        &mut self,
        text: &str,
        may_match: impl Fn(&str) -> bool,
        mut wanted: impl FnMut(&str) -> bool,
    ) -> Vec<(usize, usize)> {
        let mut ranges = Vec::new();
        self.each_term_where(text, may_match, |token, term| {
            if wanted(term) {
                ranges.push((token.offset_from, token.offset_to));
            }
        });
        ranges
    }

    /// Calls `each` with every word of `text` (as split) and what it
    /// becomes; stop words are skipped.
    fn each_term(&mut self, text: &str, each: impl FnMut(&Token, &str)) {
        self.each_term_where(text, |_| true, each);
    }

    /// [`Analysis::each_term`] for the words `may_match` accepts as written.
    fn each_term_where(
        &mut self,
        text: &str,
        may_match: impl Fn(&str) -> bool,
        mut each: impl FnMut(&Token, &str),
    ) {
        let Analysis {
            words,
            normalise,
            keeping,
            terms,
            kept,
        } = self;
        let mut shouted: Option<bool> = None;
        words.token_stream(text).process(&mut |token| {
            if !may_match(&token.text) {
                return;
            }
            let capital = is_capital_stop_word(&token.text)
                && !*shouted.get_or_insert_with(|| is_shouted(text));
            let term = if capital {
                kept.clear();
                keeping
                    .token_stream(&token.text)
                    .process(&mut |t| kept.push_str(&t.text));
                Some(kept.as_str())
            } else {
                terms.term_of(normalise, &token.text)
            };
            if let Some(term) = term {
                each(token, term);
            }
        });
    }
}

/// Words in one generation of the cache. When a generation is full it
/// becomes the old one and a new one starts; words found in the old one
/// move up. So the words in use stay cached on a corpus of any vocabulary,
/// in at most two generations of memory (about 20 MB).
const GENERATION_WORDS: usize = 131_072;

/// Word as written → its indexed form (`None`: a stop word).
#[derive(Default)]
struct TermCache {
    fresh: FnvMap<String, Option<String>>,
    old: FnvMap<String, Option<String>>,
}

impl TermCache {
    fn term_of(&mut self, normalise: &mut TextAnalyzer, word: &str) -> Option<&str> {
        if !self.fresh.contains_key(word) {
            let term = match self.old.remove(word) {
                Some(term) => term,
                None => {
                    let mut term = None;
                    normalise
                        .token_stream(word)
                        .process(&mut |token| term = Some(token.text.clone()));
                    term
                }
            };
            if self.fresh.len() >= GENERATION_WORDS {
                self.old = std::mem::take(&mut self.fresh);
            }
            self.fresh.insert(word.to_string(), term);
        }
        self.fresh.get(word).and_then(|t| t.as_deref())
    }
}

/// Reads back what [`Analysis::encode`] wrote.
#[derive(Clone, Default)]
pub struct AnalysedTokenizer {
    token: Token,
}

/// The token stream of one encoded text.
pub struct AnalysedTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    position: usize,
    started: bool,
    token: &'a mut Token,
}

impl Tokenizer for AnalysedTokenizer {
    type TokenStream<'a> = AnalysedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalysedTokenStream<'a> {
        self.token.reset();
        AnalysedTokenStream {
            text,
            cursor: 0,
            position: 0,
            started: false,
            token: &mut self.token,
        }
    }
}

impl TokenStream for AnalysedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut moved = 0;
        while let Some(&byte) = bytes.get(self.cursor) {
            match byte {
                b' ' => moved += 1,
                0x01 => {}
                _ => break,
            }
            self.cursor += 1;
        }
        if self.cursor >= bytes.len() {
            return false;
        }
        // The first token sits at its number of leading spaces; each later
        // one moves by the spaces before it.
        self.position = if self.started {
            self.position + moved
        } else {
            moved
        };
        self.started = true;
        let start = self.cursor;
        while bytes
            .get(self.cursor)
            .is_some_and(|&b| b != b' ' && b != 0x01)
        {
            self.cursor += 1;
        }
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..self.cursor]);
        self.token.offset_from = start;
        self.token.offset_to = self.cursor;
        self.token.position = self.position;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::news_analyzer;

    fn analysed(text: &str) -> Vec<(String, usize)> {
        let mut tokens = Vec::new();
        news_analyzer()
            .token_stream(text)
            .process(&mut |t| tokens.push((t.text.clone(), t.position)));
        tokens
    }

    fn read_back(encoded: &str) -> Vec<(String, usize)> {
        let mut tokenizer = AnalysedTokenizer::default();
        let mut tokens = Vec::new();
        tokenizer
            .token_stream(encoded)
            .process(&mut |t| tokens.push((t.text.clone(), t.position)));
        tokens
    }

    #[test]
    fn reading_back_gives_the_analysers_tokens_and_positions() {
        for text in [
            "Oil prices rose 11.5% to $1.13bn in the quarter",
            "The Bank of England holds rates",
            "the of and",
            "",
            "📉 — Alibaba’s stock: up 4% — in a day",
            "Cafés PLUNGED in Zürich, and Zürich's banks",
            "0İAÉ%",
            "IT spending rose AT the IT desk; it fell",
            "IT SPENDING AT THE DESK",
            "GPT-4 won 4-6 on Wi-Fi",
        ] {
            let encoded = Analysis::default().encode(text);
            assert_eq!(
                read_back(&encoded),
                analysed(text),
                "{text:?} → {encoded:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_back_as_the_analyser_makes_it(
            text in "([a-zA-Z0-9 .,'’$%€ÉéİßÆ🙂-]|IT |THE |AT ){0,60}"
        ) {
            let encoded = Analysis::default().encode(&text);
            proptest::prop_assert_eq!(read_back(&encoded), analysed(&text));
        }
    }

    #[test]
    fn stop_words_leave_their_positions_empty() {
        let encoded = Analysis::default().encode("the bank of england");
        assert_eq!(encoded, " bank  england");
        assert_eq!(
            read_back(&encoded),
            [("bank".to_string(), 1), ("england".to_string(), 3)]
        );
    }
}
