//! Compounds of a prefix and the words typed beside it: in `euro* zone`,
//! `zone` also matches `eurozone`, so the bullets that say "eurozone" (both
//! words in one) rank with those that say "euro zone", above Eurotunnel and
//! EuroDisney, which match the prefix alone. Chosen on a judged set of our
//! own (`prefix_evaluation_tests.rs`; figures in the README). A rewrite of
//! the tree, before it is built: pure.

use crate::query::expand::MAX_EXPANSIONS;
use crate::query::parse::{Node, Occur, Scope};

/// `node` with each plain word that stands beside a `word*` of the same
/// scope in one group (`euro* zone`) also matching the prefix joined to it
/// (`zone` or `eurozone`); at most [`MAX_EXPANSIONS`] compounds a query.
/// Excluded words are left alone.
pub(crate) fn add_compounds(node: Node) -> Node {
    let mut budget = MAX_EXPANSIONS;
    with_compounds(node, &mut budget)
}

fn with_compounds(node: Node, budget: &mut usize) -> Node {
    let Node::Bool(clauses) = node else {
        return node;
    };
    let clauses: Vec<(Occur, Node)> = clauses
        .into_iter()
        .map(|(occur, child)| (occur, with_compounds(child, budget)))
        .collect();
    let prefixes: Vec<(Option<Scope>, String)> = clauses
        .iter()
        .filter_map(|(occur, child)| match child {
            Node::Word {
                scope,
                text,
                prefix: true,
                ..
            } if *occur != Occur::MustNot => Some((*scope, text.clone())),
            _ => None,
        })
        .collect();
    if prefixes.is_empty() {
        return Node::Bool(clauses);
    }
    let clauses = clauses
        .into_iter()
        .map(|(occur, child)| match child {
            Node::Word {
                scope,
                text,
                prefix: false,
                fuzzy: None,
                boost,
            } if occur != Occur::MustNot => {
                let word = |text: String| Node::Word {
                    scope,
                    text,
                    prefix: false,
                    fuzzy: None,
                    boost,
                };
                let mut alternatives = Vec::new();
                for (_, prefix) in prefixes.iter().filter(|(s, _)| *s == scope) {
                    if *budget == 0 {
                        break;
                    }
                    *budget -= 1;
                    alternatives.push((Occur::Should, word(format!("{prefix}{text}"))));
                }
                if alternatives.is_empty() {
                    return (occur, word(text));
                }
                alternatives.insert(0, (Occur::Should, word(text)));
                (occur, Node::Bool(alternatives))
            }
            other => (occur, other),
        })
        .collect();
    Node::Bool(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse::parse_query;

    fn compounds(query: &str, all: bool) -> Node {
        add_compounds(parse_query(query, all).unwrap())
    }

    #[test]
    fn a_word_beside_a_prefix_also_matches_their_compound() {
        assert_eq!(
            compounds("euro* zone", false),
            parse_query("euro* (zone OR eurozone)", false).unwrap()
        );
        assert_eq!(
            compounds("euro* zone", true),
            parse_query("+euro* +(zone OR eurozone)", false).unwrap()
        );
        assert_eq!(
            compounds("headline:euro* zone headline:zone", false),
            parse_query("headline:euro* zone headline:(zone OR eurozone)", false).unwrap()
        );
    }

    #[test]
    fn excluded_fuzzy_and_lone_words_are_left_alone() {
        for query in [
            "euro* -zone",
            "euro* zone~1",
            "zone",
            "euro*",
            "-euro* zone tram",
        ] {
            assert_eq!(
                compounds(query, false),
                parse_query(query, false).unwrap(),
                "{query}"
            );
        }
    }

    #[test]
    fn compounds_are_bounded() {
        let query = format!("a* {}", vec!["w"; 100].join(" "));
        let node = compounds(&query, false);
        let Node::Bool(clauses) = node else {
            panic!("{node:?}")
        };
        let joined = clauses
            .iter()
            .filter(|(_, c)| matches!(c, Node::Bool(_)))
            .count();
        assert_eq!(joined, MAX_EXPANSIONS);
    }
}
