//! Dropping the clauses of a query that analyse to nothing (stop words
//! only, punctuation, markers: `the`, `"of the"`, `📉`) before it is built,
//! so that a required one (`bank AND the`, `--all investors the`) does not
//! become a requirement no document meets, and a `NOT` of nothing excludes
//! nothing. What "analyses to nothing" means is the caller's (the
//! compiler's analysers); this file only walks the tree.

use crate::query::parse::{Node, Occur, QueryError};

/// `node` without the words and phrases for which `is_empty` holds, and
/// without the groups left with nothing to look for (none, or only
/// exclusions); `None` when nothing is left to look for.
pub(crate) fn prune(node: Node, is_empty: &mut impl FnMut(&Node) -> bool) -> Option<Node> {
    match node {
        Node::Bool(clauses) => {
            let kept: Vec<(Occur, Node)> = clauses
                .into_iter()
                .filter_map(|(occur, child)| prune(child, is_empty).map(|c| (occur, c)))
                .collect();
            if kept.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                None
            } else {
                Some(Node::Bool(kept))
            }
        }
        leaf if is_empty(&leaf) => None,
        leaf => Some(leaf),
    }
}

/// Most characters of a query that [`nothing_to_search`] repeats.
const SHOWN_CHARS: usize = 60;

/// The error for a query with nothing left to look for once its stop
/// words, punctuation and markers are gone; a long query is cut.
pub fn nothing_to_search(query: &str) -> QueryError {
    let query = query.trim();
    let shown: String = query.chars().take(SHOWN_CHARS).collect();
    let cut = if shown.len() < query.len() { "…" } else { "" };
    QueryError::at(
        1,
        format!(
            "`{shown}{cut}` has no word to search for: stop words (`the`, `of`, `and`, …), punctuation, markers and words over 40 bytes are not indexed"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse::parse_query;

    /// `query` pruned of the words (and phrases) `the`, `of` and `and`.
    fn pruned(query: &str, all: bool) -> Option<Node> {
        let stop = ["the", "of", "and", "of the"];
        prune(parse_query(query, all).unwrap(), &mut |leaf| match leaf {
            Node::Word { text, .. } | Node::Phrase { text, .. } => stop.contains(&text.as_str()),
            Node::Bool(_) => false,
        })
    }

    #[test]
    fn clauses_of_nothing_are_dropped() {
        let bank = parse_query("bank", false).unwrap();
        assert_eq!(
            pruned("bank AND the", false),
            Some(Node::Bool(vec![(Occur::Must, bank.clone())]))
        );
        assert_eq!(
            pruned("bank -the", false),
            Some(Node::Bool(vec![(Occur::Should, bank.clone())]))
        );
        assert_eq!(
            pruned("bank NOT \"of the\"", false),
            Some(Node::Bool(vec![(Occur::Should, bank)]))
        );
        let investors = parse_query("investors", false).unwrap();
        assert_eq!(
            pruned("investors the", true),
            Some(Node::Bool(vec![(Occur::Must, investors)]))
        );
    }

    #[test]
    fn the_error_names_the_query_cut_when_long() {
        assert!(
            nothing_to_search(" of the ")
                .message
                .starts_with("`of the` has no word")
        );
        let long = nothing_to_search(&"a".repeat(1000)).message;
        assert!(
            long.starts_with(&format!("`{}…` has no word", "a".repeat(60))),
            "{long}"
        );
    }

    #[test]
    fn a_query_of_nothing_is_none() {
        for query in [
            "the",
            "the of",
            "\"of the\"",
            "(the OR of) AND the",
            "the -bank",
        ] {
            assert_eq!(pruned(query, false), None, "{query}");
        }
    }
}
