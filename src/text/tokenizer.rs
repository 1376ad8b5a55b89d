//! Splitting news text into words, so that what readers type finds what
//! briefs say: numbers stay whole (`11.5`, `1,900` as `1900`), a percentage or
//! an amount is also kept with its sign (`11.5%`, `$1.13bn`) at the same
//! position, possessives stay on their word (`Alibaba’s` stems to `alibaba`),
//! a word of two or three parts joined by hyphens that `is_joined` keeps
//! (`GPT-4`, `COVID-19`; not `4-6`, `5-year-old`, `Wi-Fi` or `long-term`) is also kept
//! joined (`GPT4`) at the position of its first part, and marker remnants, which hold no letters
//! or digits, never become words.
//! Case and accent folding and stemming are filters added in `analyzers`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Most parts a hyphenated word may have to be also kept joined: a longer
/// run (a link, `state-of-the-art`) is only its parts.
pub const MAX_JOINED_PARTS: usize = 3;

/// The tokenizer behind the news analyser.
#[derive(Clone, Default)]
pub struct NewsTokenizer {
    token: Token,
}

/// The tokens of one text, found one at a time into a reused token.
pub struct NewsTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next word starts.
    cursor: usize,
    /// The character just before `cursor`, for a currency sign.
    before: Option<char>,
    position: usize,
    /// Whether the current word is a number with a sign still to emit.
    signed_next: Option<(usize, usize)>,
    /// Whether the current word starts a hyphenated word whose joined form
    /// (in `joined`) is still to emit, and its byte range.
    joined_next: Option<(usize, usize)>,
    /// The joined form of the hyphenated word being read.
    joined: String,
    /// Byte offset where the current hyphenated run ends: its later parts
    /// start no run of their own.
    run_end: usize,
    /// Byte range of the current word in the text.
    word: (usize, usize),
    started: bool,
    token: &'a mut Token,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        self.token.reset();
        NewsTokenStream {
            text,
            cursor: 0,
            before: None,
            position: 0,
            signed_next: None,
            joined_next: None,
            joined: String::new(),
            run_end: 0,
            word: (0, 0),
            started: false,
            token: &mut self.token,
        }
    }
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((from, to)) = self.signed_next.take() {
            // The amount with its sign, at the same position: `11.5%`. Built
            // from the text again: filters after this tokenizer may have
            // changed the number's token in place.
            let (start, end) = (self.word.0, self.word.1);
            let text = &mut self.token.text;
            text.clear();
            text.push_str(&self.text[from..start]);
            push_number(text, &self.text[start..end]);
            text.push_str(&self.text[end..to]);
            self.token.offset_from = from;
            self.token.offset_to = to;
            return true;
        }
        if let Some((from, to)) = self.joined_next.take() {
            // `GPT4` beside `GPT`, spanning `GPT-4`.
            self.token.text.clear();
            self.token.text.push_str(&self.joined);
            self.token.offset_from = from;
            self.token.offset_to = to;
            return true;
        }
        self.next_word()
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl NewsTokenStream<'_> {
    fn char_at(&self, byte: usize) -> Option<char> {
        match self.text.as_bytes().get(byte) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.text.get(byte..).and_then(|rest| rest.chars().next()),
            None => None,
        }
    }

    fn next_word(&mut self) -> bool {
        // Skip to the next letter or digit.
        let start = loop {
            let Some(c) = self.char_at(self.cursor) else {
                return false;
            };
            if c.is_alphanumeric() {
                break self.cursor;
            }
            self.before = Some(c);
            self.cursor += c.len_utf8();
        };
        let (end, last) = self.word_end(start);
        let word = &self.text[start..end];
        let is_number = word.starts_with(|c: char| c.is_ascii_digit());
        let text = &mut self.token.text;
        text.clear();
        if is_number {
            push_number(text, word);
        } else {
            text.extend(word.chars().map(|c| if c == '’' { '\'' } else { c }));
            strip_possessive(text);
        }
        self.word = (start, end);
        if self.started {
            self.position += 1;
        }
        self.started = true;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.position;
        self.token.position_length = 1;
        if is_number {
            let from = match self.before {
                Some(c) if is_currency(c) => start - c.len_utf8(),
                _ => start,
            };
            let to = match self.char_at(end) {
                Some('%') => end + 1,
                _ => end,
            };
            if (from, to) != (start, end) {
                self.signed_next = Some((from, to));
            }
        }
        if start >= self.run_end {
            self.read_hyphenated(start, end);
        }
        self.before = last;
        self.cursor = end;
        true
    }

    /// Where the word starting at `start` ends, and its last character.
    fn word_end(&self, start: usize) -> (usize, Option<char>) {
        let mut end = start;
        let mut last: Option<char> = None;
        while let Some(c) = self.char_at(end) {
            let next = self.char_at(end + c.len_utf8());
            let between = |pred: fn(char) -> bool| last.is_some_and(pred) && next.is_some_and(pred);
            if c.is_alphanumeric()
                || ((c == '.' || c == ',') && between(|x| x.is_ascii_digit()))
                || (is_apostrophe(c) && between(char::is_alphabetic))
            {
                last = Some(c);
                end += c.len_utf8();
            } else {
                break;
            }
        }
        (end, last)
    }

    /// When the word at `start..end` is the first part of a hyphenated
    /// word (`GPT-4`), finds the whole run and, for two or three parts not
    /// all numbers, queues its joined form.
    fn read_hyphenated(&mut self, start: usize, end: usize) {
        let continues = |at: usize| {
            self.char_at(at) == Some('-') && self.char_at(at + 1).is_some_and(char::is_alphanumeric)
        };
        if !continues(end) {
            return;
        }
        let mut at = end;
        while continues(at) {
            at = self.word_end(at + 1).0;
        }
        self.run_end = at;
        if !is_joined(&self.text[start..at]) {
            return;
        }
        self.joined.clear();
        let mut from = start;
        while from < at {
            let (to, _) = self.word_end(from);
            let part = &self.text[from..to];
            if part.starts_with(|c: char| c.is_ascii_digit()) {
                push_number(&mut self.joined, part);
            } else {
                self.joined
                    .extend(part.chars().map(|c| if c == '’' { '\'' } else { c }));
                strip_possessive(&mut self.joined);
            }
            from = to + 1;
        }
        self.joined_next = Some((start, at));
    }
}

/// Whether a hyphenated word (`GPT-4`, as written) is also kept joined:
/// two or three parts, the first led by a letter (not `4-6`, a score, nor
/// `5-year-old`, a measure), with a digit among its letters (`GPT-4`,
/// `COVID-19`, `F-35`, `IL-10`). Joining other hyphenated words too
/// (`long-term`, `T-cell`, even only short ones: `Wi-Fi`, `X-ray`)
/// lengthened the fields of prose and cost ranking quality
/// (tests/relevance/RESULTS.md).
fn is_joined(word: &str) -> bool {
    let parts = word.split('-').count();
    (2..=MAX_JOINED_PARTS).contains(&parts)
        && word.starts_with(char::is_alphabetic)
        && word.contains(|c: char| c.is_ascii_digit())
}

/// A number as indexed: without thousands separators (or a possessive).
fn push_number(text: &mut String, word: &str) {
    text.extend(word.chars().filter(|&c| c != ','));
    strip_possessive(text);
}

fn strip_possessive(text: &mut String) {
    if text.ends_with("'s") || text.ends_with("'S") {
        text.truncate(text.len() - 2);
    }
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Splits `text` into tokens with byte offsets and positions.
#[cfg(test)]
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokenizer = NewsTokenizer::default();
    let mut tokens = Vec::new();
    tokenizer
        .token_stream(text)
        .process(&mut |token| tokens.push(token.clone()));
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, simpler implementation: the property tests hold the
    /// streaming one to it.
    fn reference_tokenize(text: &str) -> Vec<Token> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
        let mut tokens = Vec::new();
        // Each word's byte range, base text, position, and where its
        // tokens end in `tokens`.
        let mut words: Vec<(usize, usize, String, usize, usize)> = Vec::new();
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
            words.push((from, to, base, position, tokens.len()));
            position += 1;
            i = end;
        }
        // Runs of words joined by single hyphens that `is_joined` keeps are
        // also kept joined after the first part's tokens.
        let mut joined = Vec::new();
        let mut w = 0;
        while w < words.len() {
            let mut last = w;
            while last + 1 < words.len()
                && words[last + 1].0 == words[last].1 + 1
                && text.as_bytes()[words[last].1] == b'-'
            {
                last += 1;
            }
            let run = &words[w..=last];
            if run.len() > 1 && is_joined(&text[run[0].0..run[run.len() - 1].1]) {
                let token = Token {
                    offset_from: run[0].0,
                    offset_to: run[run.len() - 1].1,
                    position: run[0].3,
                    text: run.iter().map(|(_, _, base, ..)| base.as_str()).collect(),
                    position_length: 1,
                };
                joined.push((run[0].4, token));
            }
            w = last + 1;
        }
        for (at, token) in joined.into_iter().rev() {
            tokens.insert(at, token);
        }
        tokens
    }

    fn is_currency(c: char) -> bool {
        matches!(c, '$' | '€' | '£' | '¥')
    }

    /// Tokens as (text, offsets, position), for comparing implementations.
    fn described(tokens: Vec<Token>) -> Vec<(String, usize, usize, usize)> {
        tokens
            .into_iter()
            .map(|t| (t.text, t.offset_from, t.offset_to, t.position))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn streaming_matches_the_reference(text in "[a-zA-Z0-9 .,'’$€%£¥éÉ🙂\u{1}-]{0,40}") {
            proptest::prop_assert_eq!(
                described(tokenize(&text)),
                described(reference_tokenize(&text))
            );
        }
    }

    #[test]
    fn found_by_the_property_tests() {
        for text in ["$0A'S$", "0İAÉ%", "£1,000's 4%"] {
            assert_eq!(
                described(tokenize(text)),
                described(reference_tokenize(text)),
                "{text:?}"
            );
        }
    }

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
        assert_eq!(
            texts("BABA (NRTH) GPT-4"),
            ["BABA", "NRTH", "GPT", "GPT4", "4"]
        );
    }

    #[test]
    fn hyphenated_words_are_also_kept_joined() {
        let tokens = tokenize("COVID-19 and Wi-Fi, won 4-6, F-35 a-b-c-d $5-bn long-term X-ray");
        let found: Vec<(&str, usize, &str)> = tokens
            .iter()
            .map(|t| {
                (
                    t.text.as_str(),
                    t.position,
                    &"COVID-19 and Wi-Fi, won 4-6, F-35 a-b-c-d $5-bn long-term X-ray"
                        [t.offset_from..t.offset_to],
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("COVID", 0, "COVID"),
                ("COVID19", 0, "COVID-19"),
                ("19", 1, "19"),
                ("and", 2, "and"),
                ("Wi", 3, "Wi"),
                ("Fi", 4, "Fi"),
                ("won", 5, "won"),
                ("4", 6, "4"),
                ("6", 7, "6"),
                ("F", 8, "F"),
                ("F35", 8, "F-35"),
                ("35", 9, "35"),
                ("a", 10, "a"),
                ("b", 11, "b"),
                ("c", 12, "c"),
                ("d", 13, "d"),
                ("5", 14, "5"),
                ("$5", 14, "$5"),
                ("bn", 15, "bn"),
                ("long", 16, "long"),
                ("term", 17, "term"),
                ("X", 18, "X"),
                ("ray", 19, "ray"),
            ],
            "words led by a number (4-6, 5-bn), runs of four parts and words of letters \
             only (Wi-Fi, long-term) are not joined"
        );
        assert_eq!(texts("4G"), ["4G"], "already one word");
    }

    #[test]
    fn marker_remnants_are_not_words() {
        assert_eq!(texts("📉 ⚖️ — • …"), Vec::<String>::new());
    }
}
