//! What a brief says, as numbered terms: its headline and bullets (its body
//! when it has no bullets) through the news analyser's two halves, each
//! word's term cached, and, per term, how often it was written with a
//! capital where a sentence does not start. That ratio is the named-entity
//! signal: `Calloway`, `Sarapik` or `ORRN` are capitalised wherever they
//! stand, `strike` or `rate` only at the start of a sentence or in a Title
//! Case headline (whose capitals are not counted). Numbers (`3.75`, `1,400`,
//! `$1.8bn`) count as entities too.

use fnv::FnvHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::brief::Brief;
use crate::text::news_analyzer_halves;

/// A brief's text, one unit at a time: the headline, then each bullet (or
/// each body paragraph of a brief without bullets).
pub(crate) fn units(brief: &Brief) -> impl Iterator<Item = (Unit, &str)> {
    let headline = std::iter::once((Unit::Headline, brief.headline.as_str()));
    let points = brief
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (Unit::Point(i + 1), p.text.as_str()));
    let summaries = brief
        .summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (Unit::Summary(i + 1), s.text.as_str()));
    let bulletless = brief.points.is_empty() && brief.summaries.is_empty();
    let body = brief
        .body
        .iter()
        .filter(move |_| bulletless)
        .map(|p| (Unit::Body, p.as_str()));
    headline.chain(points).chain(summaries).chain(body)
}

/// Which part of a brief a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// The headline.
    Headline,
    /// The N-th point (1-based).
    Point(usize),
    /// The N-th summary (1-based).
    Summary(usize),
    /// A body paragraph (read only for briefs without bullets).
    Body,
}

/// How one term was written, over everything analysed.
#[derive(Debug, Clone, Copy, Default)]
struct Casing {
    /// Times written with a capital inside a sentence.
    capital: u32,
    /// Times written in lower case.
    lower: u32,
    /// Whether it holds a digit.
    number: bool,
}

/// Terms by number, with the word cache and the casing counts behind the
/// entity signal. One per clustering run.
pub(crate) struct Terms {
    words: TextAnalyzer,
    normalise: TextAnalyzer,
    /// A word as written → its term number (`None`: a stop word).
    cache: FnvHashMap<String, Option<u32>>,
    /// A term → its number.
    numbers: FnvHashMap<String, u32>,
    casing: Vec<Casing>,
}

impl Default for Terms {
    fn default() -> Self {
        let (words, normalise) = news_analyzer_halves();
        Terms {
            words,
            normalise,
            cache: FnvHashMap::default(),
            numbers: FnvHashMap::default(),
            casing: Vec::new(),
        }
    }
}

impl Terms {
    /// How many distinct terms have been seen.
    pub(crate) fn len(&self) -> usize {
        self.casing.len()
    }

    /// The terms of `text` in order (repeats kept), counting their casing
    /// unless `count_casing` is false (headlines, re-reads).
    pub(crate) fn terms_of(&mut self, text: &str, count_casing: bool, out: &mut Vec<u32>) {
        let Terms {
            words,
            normalise,
            cache,
            numbers,
            casing,
        } = self;
        words.token_stream(text).process(&mut |token| {
            let word = token.text.as_str();
            let term = match cache.get(word) {
                Some(term) => *term,
                None => {
                    let term = normalised(normalise, word).map(|t| {
                        let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
                        *numbers.entry(t).or_insert_with(|| {
                            casing.push(Casing {
                                number: word.bytes().any(|b| b.is_ascii_digit()),
                                ..Casing::default()
                            });
                            next
                        })
                    });
                    cache.insert(word.to_string(), term);
                    term
                }
            };
            let Some(term) = term else { return };
            out.push(term);
            if count_casing && let Some(c) = casing.get_mut(term as usize) {
                match word.chars().next() {
                    Some(first)
                        if first.is_uppercase() && !starts_sentence(text, token.offset_from) =>
                    {
                        c.capital += 1
                    }
                    Some(first) if first.is_lowercase() => c.lower += 1,
                    _ => {}
                }
            }
        });
    }

    /// The terms of a whole brief and of its headline, each sorted and
    /// without repeats, counting casing in its bullets (or body).
    pub(crate) fn brief_terms(
        &mut self,
        brief: &Brief,
        scratch: &mut Vec<u32>,
    ) -> (Vec<u32>, Vec<u32>) {
        scratch.clear();
        let mut headline = Vec::new();
        for (unit, text) in units(brief) {
            let at = scratch.len();
            self.terms_of(text, unit != Unit::Headline, scratch);
            if unit == Unit::Headline {
                headline.extend_from_slice(&scratch[at..]);
            }
        }
        let mut terms = scratch.clone();
        for set in [&mut terms, &mut headline] {
            set.sort_unstable();
            set.dedup();
        }
        (terms, headline)
    }

    /// From 0 to 1, how much `term` looks like a name or a figure: 1 for a
    /// number, else the share of its in-sentence writings that were
    /// capitalised (0 when it was only ever seen at a sentence start or in a
    /// headline).
    pub(crate) fn entity(&self, term: u32) -> f32 {
        let Some(c) = self.casing.get(term as usize) else {
            return 0.0;
        };
        if c.number {
            return 1.0;
        }
        let seen = c.capital + c.lower;
        if seen == 0 {
            0.0
        } else {
            c.capital as f32 / seen as f32
        }
    }
}

/// The analysed term of one word, or `None` for a stop word.
fn normalised(normalise: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut term = None;
    normalise
        .token_stream(word)
        .process(&mut |token| term = Some(token.text.clone()));
    term
}

/// Whether the word at byte `at` of `text` starts a sentence: nothing but
/// spaces, quotes, markers and other symbols before it, or a full stop,
/// colon, question or exclamation mark; a letter, digit or other
/// punctuation (a comma, a dash) before it means it does not.
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    for c in before.chars().rev() {
        match c {
            '.' | '!' | '?' | ':' | ';' => return true,
            c if c.is_whitespace() || "\"'“‘«(".contains(c) => continue,
            c if c.is_alphanumeric() || c.is_ascii_punctuation() || "–—’”»".contains(c) => {
                return false;
            }
            _ => return true,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &mut Terms, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        t.terms_of(text, true, &mut out);
        out
    }

    #[test]
    fn names_are_capitalised_inside_sentences() {
        let mut t = Terms::default();
        terms(&mut t, "Dockers at Calloway Harbour went on strike.");
        terms(&mut t, "The strike at Calloway entered a second day.");
        let id = |t: &mut Terms, w: &str| {
            let mut out = Vec::new();
            t.terms_of(w, false, &mut out);
            out[0]
        };
        let calloway = id(&mut t, "calloway");
        let strike = id(&mut t, "strike");
        let dockers = id(&mut t, "dockers");
        assert!(t.entity(calloway) > 0.5, "{}", t.entity(calloway));
        assert_eq!(t.entity(strike), 0.0);
        assert_eq!(
            t.entity(dockers),
            0.0,
            "a sentence's first word is not counted"
        );
    }

    #[test]
    fn numbers_are_entities_and_stop_words_are_dropped() {
        let mut t = Terms::default();
        let found = terms(&mut t, "The rate rose to 3.75% in the year");
        // rate, rose, 3.75, 3.75%, year: `the`, `to` and `in` are stop words.
        assert_eq!(found.len(), 5, "{found:?}");
        assert_eq!(t.entity(found[2]), 1.0);
    }

    #[test]
    fn sentence_starts() {
        assert!(starts_sentence("Word", 0));
        assert!(starts_sentence("Rates rose. The bank", 12));
        assert!(starts_sentence("📉 \"The bank", 6));
        assert!(!starts_sentence("said The bank", 5));
        assert!(!starts_sentence("rose, The bank", 6));
    }
}
