//! Dropping stop words, except a short acronym in capitals: `IT`, `AT`,
//! `NO` written in capitals inside a text that is not itself written wholly
//! in capitals (`IT spending rose`) are words, while `it`, `It` and the
//! `THE` of a headline in capitals are stop words. The case is read from
//! the text as written (the token's offsets), so the filter can sit where
//! a plain stop-word filter would, after lower-casing and folding. A kept
//! acronym is indexed in capitals (`IT`), a term no lower-case word or
//! stem (`its` stems to `it`) shares.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::text::analyzers::STOP_WORDS;

/// Whether capitals keep a stop word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capitals {
    /// Read from the text: kept unless the text is written wholly in
    /// capitals ([`is_shouted`]). For texts of briefs.
    FromText,
    /// Kept: the text is known not to be wholly in capitals (a query's
    /// word, judged by the whole query).
    Kept,
    /// Dropped, as any stop word (a query wholly in capitals).
    Dropped,
}

/// True when `word`, as written, is a stop word in capitals that a text
/// not written wholly in capitals keeps: 2 to 4 ASCII capitals (`IT`,
/// `AT`, `THE`), a possessive aside.
pub fn is_capital_stop_word(word: &str) -> bool {
    let letters = word.split(['\'', '’']).next().unwrap_or_default();
    (2..=4).contains(&letters.len())
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && is_stop_word(&letters.to_ascii_lowercase())
}

/// True when `word` (lower case, folded) is one of [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// True when `text` is written wholly in capitals: no lower-case letter,
/// and at least two words with letters (one word in capitals, `IT`, is an
/// acronym, not a shouted text).
pub fn is_shouted(text: &str) -> bool {
    !text.chars().any(char::is_lowercase)
        && text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .nth(1)
            .is_some()
}

/// The stop-word filter of the news analyser (see the module doc).
#[derive(Clone)]
pub struct CapitalsStopFilter(pub Capitals);

impl TokenFilter for CapitalsStopFilter {
    type Tokenizer<T: Tokenizer> = CapitalsStopWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CapitalsStopWrapper<T> {
        CapitalsStopWrapper {
            capitals: self.0,
            inner: tokenizer,
        }
    }
}

/// A tokenizer with [`CapitalsStopFilter`] applied.
#[derive(Clone)]
pub struct CapitalsStopWrapper<T> {
    capitals: Capitals,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CapitalsStopWrapper<T> {
    type TokenStream<'a> = CapitalsStopStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CapitalsStopStream {
            text,
            capitals: self.capitals,
            shouted: None,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The tokens of one text, stop words dropped.
pub struct CapitalsStopStream<'a, T> {
    text: &'a str,
    capitals: Capitals,
    /// Whether `text` is shouted, found at its first capital stop word.
    shouted: Option<bool>,
    tail: T,
}

impl<T: TokenStream> CapitalsStopStream<'_, T> {
    /// Whether `token` stays: any word but a stop word, and a stop word
    /// written as an acronym in capitals where capitals keep it.
    fn keeps(&mut self, token: &Token) -> bool {
        if !is_stop_word(&token.text) {
            return true;
        }
        let kept = match self.capitals {
            Capitals::Dropped => return false,
            Capitals::Kept => true,
            Capitals::FromText => !*self.shouted.get_or_insert_with(|| is_shouted(self.text)),
        };
        kept && self
            .text
            .get(token.offset_from..token.offset_to)
            .is_some_and(is_capital_stop_word)
    }
}

impl<T: TokenStream> TokenStream for CapitalsStopStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            // Split borrows: `keeps` reads the text, the token is the tail's.
            let token = self.tail.token();
            let stop = is_stop_word(&token.text);
            if !stop {
                return true;
            }
            let token = token.clone();
            if self.keeps(&token) {
                // In capitals, as written: `IT` is not the stem `it` of
                // `its`, nor any other word's.
                self.tail.token_mut().text.make_ascii_uppercase();
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("with") && !is_stop_word("bank"));
    }

    #[test]
    fn capital_stop_words() {
        for word in ["IT", "AT", "THE", "INTO", "IT's", "IT’s"] {
            assert!(is_capital_stop_word(word), "{word}");
        }
        for word in ["it", "It", "A", "THEIR", "BANK", "Iт"] {
            assert!(!is_capital_stop_word(word), "{word}");
        }
    }

    #[test]
    fn shouted_texts() {
        assert!(is_shouted("GOVERNMENT CRISIS OVER THE WALLOONS"));
        assert!(is_shouted("IT SPENDING 2026"));
        assert!(!is_shouted("IT"));
        assert!(!is_shouted("IT spending"));
        assert!(!is_shouted("4 5"));
    }
}
