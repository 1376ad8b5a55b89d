//! Splitting news text into words, so that what readers type finds what
//! briefs say: numbers stay whole (`11.5`, `1,900` as `1900`), a percentage or
//! an amount is also kept with its sign (`11.5%`, `$1.13bn`) at the same
//! position, possessives stay on their word (`Alibaba’s` stems to `alibaba`),
//! and marker remnants, which hold no letters or digits, never become words.
//! Case and accent folding and stemming are filters added in `schema`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The tokenizer behind the news analyser.
#[derive(Clone, Default)]
pub struct NewsTokenizer;

/// The tokens of one text, computed up front.
pub struct NewsTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream {
        NewsTokenStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

impl TokenStream for NewsTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))]
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Splits `text` into tokens with byte offsets and positions.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut position = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            let c = chars[end].1;
            let between = |pred: fn(char) -> bool| {
                end > start
                    && chars.get(end + 1).is_some_and(|&(_, n)| pred(n))
                    && pred(chars[end - 1].1)
            };
            if c.is_alphanumeric()
                || ((c == '.' || c == ',') && between(|x| x.is_ascii_digit()))
                || (is_apostrophe(c) && between(char::is_alphabetic))
            {
                end += 1;
            } else {
                break;
            }
        }
        let (from, to) = (byte_at(start), byte_at(end));
        let word = &text[from..to];
        let is_number = word.starts_with(|c: char| c.is_ascii_digit());
        let mut base: String = if is_number {
            word.replace(',', "")
        } else {
            word.replace('’', "'")
        };
        if base.ends_with("'s") || base.ends_with("'S") {
            base.truncate(base.len() - 2);
        }
        tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: base.clone(),
            position_length: 1,
        });
        if is_number {
            let before = start
                .checked_sub(1)
                .map(|p| chars[p].1)
                .filter(|&c| is_currency(c));
            let after = chars.get(end).map(|&(_, c)| c).filter(|&c| c == '%');
            if before.is_some() || after.is_some() {
                let mut signed = String::new();
                signed.extend(before);
                signed.push_str(&base);
                signed.extend(after);
                let from = if before.is_some() {
                    byte_at(start - 1)
                } else {
                    from
                };
                let to = if after.is_some() {
                    byte_at(end + 1)
                } else {
                    to
                };
                tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text: signed,
                    position_length: 1,
                });
            }
        }
        position += 1;
        i = end;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn numbers_stay_whole() {
        assert_eq!(
            texts("fell 11.5% to 1,900 units"),
            ["fell", "11.5", "11.5%", "to", "1900", "units"]
        );
        assert_eq!(texts("a $1.13bn deal"), ["a", "1.13bn", "$1.13bn", "deal"]);
        assert_eq!(texts("in 2026."), ["in", "2026"]);
    }

    #[test]
    fn signed_variants_share_the_position() {
        let tokens = tokenize("up 4% today");
        assert_eq!(tokens[1].position, tokens[2].position);
        assert_eq!(tokens[3].position, 2);
        assert_eq!(
            &"up 4% today"[tokens[2].offset_from..tokens[2].offset_to],
            "4%"
        );
    }

    #[test]
    fn possessives_stay_on_their_word() {
        assert_eq!(
            texts("Alibaba’s rival and the firm's"),
            ["Alibaba", "rival", "and", "the", "firm"]
        );
        assert_eq!(texts("don't"), ["don't"]);
    }

    #[test]
    fn tickers_and_hyphenated_words() {
        assert_eq!(texts("BABA (NRTH) GPT-4"), ["BABA", "NRTH", "GPT", "4"]);
    }

    #[test]
    fn marker_remnants_are_not_words() {
        assert_eq!(texts("📉 ⚖️ — • …"), Vec::<String>::new());
    }
}
