//! The one line a search with no hits says on stderr, when it has
//! something to suggest: `no hits; did you mean: mourinho; 3 briefs match
//! with --kind article`. Returned unescaped: `app`'s stderr writer escapes
//! every line it writes (a query word or index word may hold control
//! characters).

use crate::output::count;
use crate::search::Hints;

/// The line for `hints`, without the `briefs: ` prefix; `None` when there
/// is nothing to suggest.
pub(crate) fn zero_hits_line(hints: &Hints) -> Option<String> {
    if hints.is_empty() {
        return None;
    }
    let mut parts = vec!["no hits".to_string()];
    match hints.suggestions.as_slice() {
        [] => {}
        [(_, word)] => parts.push(format!("did you mean: {word}")),
        many => {
            let each: Vec<String> = many
                .iter()
                .map(|(typed, word)| format!("{word} (for {typed})"))
                .collect();
            parts.push(format!("did you mean: {}", each.join(", ")));
        }
    }
    if hints.as_articles > 0 {
        let briefs = count(hints.as_articles as u64, "brief matches", "briefs match");
        parts.push(format!("{briefs} with --kind article"));
    }
    if hints.without_all > 0 {
        let hits = count(hints.without_all as u64, "hit", "hits");
        parts.push(format!("{hits} without --all"));
    }
    Some(parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_suggest_says_nothing() {
        assert_eq!(zero_hits_line(&Hints::default()), None);
    }

    #[test]
    fn every_hint_on_one_line() {
        let hints = Hints {
            suggestions: vec![("mourinoh".into(), "mourinho".into())],
            as_articles: 3,
            without_all: 1,
        };
        assert_eq!(
            zero_hits_line(&hints).unwrap(),
            "no hits; did you mean: mourinho; 3 briefs match with --kind article; 1 hit without --all"
        );
        let two = Hints {
            suggestions: vec![("a1".into(), "ab".into()), ("c1".into(), "cd".into())],
            ..Hints::default()
        };
        assert_eq!(
            zero_hits_line(&two).unwrap(),
            "no hits; did you mean: ab (for a1), cd (for c1)"
        );
    }
}
