//! Queries written wholly in capitals, as pasted headlines often are
//! (`GOVERNMENT CRISIS OVER THE WALLOONS AND THE FLEMINGS`): there `AND`,
//! `OR` and `NOT` are words of the headline, not operators, unless the rest
//! of the query shows that operators are meant. Pure text; `parse` asks it
//! once per query.

use crate::query::parse::Scope;

/// The operators that are words in a shouted query.
const KEYWORDS: [&str; 3] = ["AND", "OR", "NOT"];

/// True when `query` is written wholly in capitals (every word with a
/// letter has no lower-case one, and at least two such words besides
/// `AND`, `OR` and `NOT`) and shows no other sign of the query language:
/// no parentheses, quotes, `~`, `*` or `^`, no word led by `+` or `-`,
/// no `field:` scope. Then `AND`, `OR` and `NOT` are read as words.
pub(crate) fn keywords_are_words(query: &str) -> bool {
    if query.contains(['(', ')', '"', '~', '*', '^']) {
        return false;
    }
    let mut words = 0;
    for word in query.split_whitespace() {
        if word.starts_with(['+', '-']) || has_scope(word) {
            return false;
        }
        if word.chars().any(char::is_lowercase) {
            return false;
        }
        if !KEYWORDS.contains(&word) && word.chars().any(char::is_alphabetic) {
            words += 1;
        }
    }
    words >= 2
}

/// True when `word` starts with a field scope (`HEADLINE:TRAM`).
fn has_scope(word: &str) -> bool {
    word.split_once(':')
        .is_some_and(|(name, _)| Scope::from_name(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_only_queries_read_their_keywords_as_words() {
        for query in [
            "GOVERNMENT CRISIS OVER THE WALLOONS AND THE FLEMINGS",
            "BANK AND THE",
            "TO BE OR NOT TO BE",
            "COVID-19 AND GPT-4",
        ] {
            assert!(keywords_are_words(query), "{query}");
        }
    }

    #[test]
    fn operators_are_meant_when_the_query_says_so() {
        for query in [
            "bank AND the",
            "TRAM AND BUS fares",
            "TRAM AND (BUS OR FERRY)",
            "\"RATE CUT\" AND BANK",
            "HEADLINE:TRAM AND BUS",
            "+TRAM AND BUS",
            "TRAM AND -BUS",
            "TRAM* AND BUS",
            "TRAM~1 AND BUS",
            "TRAM^2 AND BUS",
            "TRAM AND",
            "AND TRAM",
            "2026 AND 2027 AND X",
        ] {
            assert!(!keywords_are_words(query), "{query}");
        }
    }
}
