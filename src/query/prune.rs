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

/// The error for a query with nothing left to look for once its stop
/// words, punctuation and markers are gone.
pub fn nothing_to_search(query: &str) -> QueryError {
    QueryError::at(
        1,
        format!(
            "`{}` has no word to search for: stop words (`the`, `of`, `and`, …), punctuation and markers are not indexed",
            query.trim()
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
