//! briefs' own text analysis, for an engine that searches words briefs
//! analysed: a text becomes its analysed terms joined by spaces (folded,
//! stop words dropped, stemmed, numbers whole), so `riders` finds `rider`
//! on the engine as it does locally, and a query word becomes the same
//! terms. Each term is written in the form the engine's tokenizer keeps as
//! it is (ASCII letters and digits, and any non-ASCII letter: ASCII
//! punctuation such as the `.` of `11.5` is left out, as Typesense would
//! drop it). Where the news analyser puts two tokens at one position
//! (`11.5` and `11.5%`), only the first is kept, so phrases stay in order.
//!
//! Also the other way: the byte ranges of a text as written whose terms an
//! engine reported as matched, for highlights.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

use crate::text::{news_analyzer, prefix_analyzer};

/// The analysers, built once per command.
pub(crate) struct Terms {
    news: TextAnalyzer,
    prefix: TextAnalyzer,
}

impl Default for Terms {
    fn default() -> Terms {
        Terms {
            news: news_analyzer(),
            prefix: prefix_analyzer(),
        }
    }
}

/// A term as the engine's tokenizer leaves it; empty when nothing is left.
fn engine_form(term: &str) -> String {
    term.chars()
        .filter(|c| !c.is_ascii() || c.is_ascii_alphanumeric())
        .collect()
}

/// The first token at each position of `text`, in the engine's form, with
/// the byte range it came from.
fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, [usize; 2])> {
    let mut out = Vec::new();
    let mut last_position = None;
    analyzer.token_stream(text).process(&mut |token| {
        if last_position == Some(token.position) {
            return;
        }
        last_position = Some(token.position);
        let form = engine_form(&token.text);
        if !form.is_empty() {
            out.push((form, [token.offset_from, token.offset_to]));
        }
    });
    out
}

impl Terms {
    /// `text` as analysed terms joined by single spaces.
    pub(crate) fn of_text(&mut self, text: &str) -> String {
        let terms: Vec<String> = tokens(&mut self.news, text)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        terms.join(" ")
    }

    /// The terms a query word (or a phrase's text) stands for; none for a
    /// stop word.
    pub(crate) fn of_query(&mut self, text: &str) -> Vec<String> {
        tokens(&mut self.news, text)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    /// What a `word*` prefix stands for: folded but not stemmed, since a
    /// prefix is not a whole word.
    pub(crate) fn of_prefix(&mut self, text: &str) -> Vec<String> {
        tokens(&mut self.prefix, text)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    /// Byte ranges of `text` whose term is one of `matched`, or starts with
    /// one of `prefixes`.
    pub(crate) fn highlights(
        &mut self,
        text: &str,
        matched: &HashSet<String>,
        prefixes: &[String],
    ) -> Vec<[usize; 2]> {
        if matched.is_empty() && prefixes.is_empty() {
            return Vec::new();
        }
        let mut ranges: Vec<[usize; 2]> = tokens(&mut self.news, text)
            .into_iter()
            .filter(|(term, _)| matched.contains(term))
            .map(|(_, range)| range)
            .collect();
        if !prefixes.is_empty() {
            for (word, range) in tokens(&mut self.prefix, text) {
                if prefixes.iter().any(|p| word.starts_with(p.as_str())) && !ranges.contains(&range)
                {
                    ranges.push(range);
                }
            }
            ranges.sort();
        }
        ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_folded_stemmed_terms_without_stop_words() {
        let mut terms = Terms::default();
        assert_eq!(
            terms.of_text("The Cafés of Zürich: riders paid 11.5% more"),
            "cafe zurich rider paid 115 more"
        );
        assert_eq!(terms.of_query("riders"), ["rider"]);
        assert!(terms.of_query("the").is_empty());
        assert_eq!(terms.of_prefix("Infla"), ["infla"]);
    }

    #[test]
    fn amounts_keep_one_term_per_position() {
        let mut terms = Terms::default();
        // `$1.13bn` and `1.13bn` share a position: the first is kept.
        assert_eq!(terms.of_text("cut to $1.13bn"), "cut 113bn");
        assert_eq!(terms.of_query("$1.13bn"), terms.of_query("1.13bn"));
    }

    #[test]
    fn highlights_find_matched_terms_in_the_text_as_written() {
        let mut terms = Terms::default();
        let text = "Tram riders paid more";
        let matched: HashSet<String> = ["rider".to_string()].into();
        assert_eq!(terms.highlights(text, &matched, &[]), [[5, 11]]);
        assert_eq!(
            terms.highlights(text, &HashSet::new(), &["pai".to_string()]),
            [[12, 16]]
        );
    }
}
