//! Telling when two bullets say the same thing. Briefs often restate a key
//! point as a summary (`Shares fell 11.5% after…` / `The shares dropped
//! 11.5%…`); search shows one of such a pair and folds the other in.
//!
//! Two bullets of one brief are near-duplicates when the words they share
//! make up at least [`NEAR_DUPLICATE`] of the shorter one (a weighted overlap
//! coefficient: a restatement is often a shorter bullet folded into a longer
//! one, which a cosine would punish), and they share at least
//! [`MIN_SHARED`] words. Each word is weighted
//! by its inverse frequency *among the brief's own bullets*: the brief's
//! topic words (its company, its place) are in most of its bullets and
//! barely count, while the words only two bullets share (the figure, the
//! verb, the detail) are what make them say the same thing. The terms come
//! from the news analyser, so its stop words are already gone.

use std::collections::HashMap;

/// Weighted share of the shorter bullet at or above which two bullets are
/// near-duplicates.
pub const NEAR_DUPLICATE: f32 = 0.45;

/// Fewest shared (non-stop) words for two bullets to be near-duplicates.
pub const MIN_SHARED: usize = 3;

/// How many of a brief's bullets each word appears in.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    bullets: usize,
    frequency: HashMap<String, usize>,
}

impl Vocabulary {
    /// Counts the words of each bullet (analysed terms, one list a bullet).
    pub fn new(bullets: &[Vec<String>]) -> Vocabulary {
        let mut frequency: HashMap<String, usize> = HashMap::new();
        for terms in bullets {
            let mut seen: Vec<&String> = terms.iter().collect();
            seen.sort();
            seen.dedup();
            for term in seen {
                *frequency.entry(term.clone()).or_insert(0) += 1;
            }
        }
        Vocabulary {
            bullets: bullets.len(),
            frequency,
        }
    }

    /// Inverse frequency of `term` among the bullets. Stop words never get
    /// here: the terms come out of the news analyser, which drops them.
    pub fn idf(&self, term: &str) -> f32 {
        let df = self.frequency.get(term).copied().unwrap_or(1).max(1);
        (1.0 + self.bullets.max(df) as f32 / df as f32).ln()
    }
}

/// How many distinct terms `a` and `b` share: below [`MIN_SHARED`], two
/// bullets are not near-duplicates whatever their weights
/// ([`Fingerprint::similarity`] counts the same).
pub fn shared_terms(a: &[String], b: &[String]) -> usize {
    let mut mine: Vec<&String> = a.iter().collect();
    mine.sort_unstable();
    mine.dedup();
    mine.into_iter().filter(|t| b.contains(t)).count()
}

/// A bullet's words, weighted and normalised, ready to compare.
#[derive(Debug, Clone, Default)]
pub struct Fingerprint {
    weights: HashMap<String, f32>,
}

impl Fingerprint {
    /// Builds a fingerprint from analysed `terms`, weighting each with `idf`;
    /// words of weight 0 (stop words) are left out.
    pub fn new(terms: &[String], idf: &mut impl FnMut(&str) -> f32) -> Fingerprint {
        let mut weights: HashMap<String, f32> = HashMap::new();
        for term in terms {
            let weight = idf(term);
            if weight > 0.0 {
                weights.insert(term.clone(), weight);
            }
        }
        Fingerprint { weights }
    }

    /// The weighted share of the lighter fingerprint that `other` also has,
    /// from 0 to 1; 0 when they share fewer than [`MIN_SHARED`] words.
    pub fn similarity(&self, other: &Fingerprint) -> f32 {
        let shared: Vec<f32> = self
            .weights
            .iter()
            .filter_map(|(term, w)| other.weights.get(term).map(|v| w.min(*v)))
            .collect();
        if shared.len() < MIN_SHARED {
            return 0.0;
        }
        let total = |f: &Fingerprint| f.weights.values().sum::<f32>();
        let lighter = total(self).min(total(other));
        if lighter <= 0.0 {
            0.0
        } else {
            shared.iter().sum::<f32>() / lighter
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    fn idf(term: &str) -> f32 {
        match term {
            "the" | "a" | "of" | "in" => 0.1,
            _ => 2.0,
        }
    }

    #[test]
    fn restatements_are_near_duplicates() {
        let a = Fingerprint::new(&words("harlow share fell 11.5 after profit warn"), &mut idf);
        let b = Fingerprint::new(
            &words("harlow share drop 11.5 on the profit warn"),
            &mut idf,
        );
        assert!(a.similarity(&b) >= NEAR_DUPLICATE, "{}", a.similarity(&b));
    }

    #[test]
    fn different_facts_are_not() {
        let a = Fingerprint::new(&words("harlow share fell 11.5 after profit warn"), &mut idf);
        let b = Fingerprint::new(&words("the ceo will step down in march"), &mut idf);
        assert!(a.similarity(&b) < 0.1);
    }

    #[test]
    fn topic_words_of_a_brief_barely_count() {
        let bullets: Vec<Vec<String>> = [
            "harlow mill share fell 11.5 after warn",
            "harlow mill share drop 11.5 on warn",
            "harlow mill ceo step down",
            "harlow mill open new plant",
            "harlow mill hire 200",
        ]
        .iter()
        .map(|b| words(b))
        .collect();
        let vocabulary = Vocabulary::new(&bullets);
        let mut idf = |t: &str| vocabulary.idf(t);
        let print = |i: usize, idf: &mut dyn FnMut(&str) -> f32| {
            Fingerprint::new(&bullets[i], &mut |t| idf(t))
        };
        let (a, b, c) = (print(0, &mut idf), print(1, &mut idf), print(2, &mut idf));
        assert!(a.similarity(&b) >= NEAR_DUPLICATE, "{}", a.similarity(&b));
        assert!(a.similarity(&c) < 0.2, "{}", a.similarity(&c));
    }

    #[test]
    fn identical_is_one() {
        let a = Fingerprint::new(&words("tram open late"), &mut idf);
        assert!((a.similarity(&a) - 1.0).abs() < 1e-5);
    }
}
