//! Merging identical clauses before a query is built, so a word written a
//! thousand times is looked up (and expanded) once.
//!
//! Among the clauses of one group, those with the same occurrence and the
//! same word, phrase or sub-group are one clause. Scores are kept: the
//! score of a group is the sum of its clauses' scores, and a word's score
//! is linear in its boost, so `oil oil^2` is `oil^3` and two copies of a
//! group are the group with its boosts doubled. (Up to the rounding of
//! f32 sums: `a + a + a` and `3a` can differ in the last bit.) Excluded
//! copies are simply one exclusion.

use std::collections::HashMap;

use crate::query::parse::{Node, Occur, apply_boost};

/// `node` with identical clauses of each group merged, as described above.
/// A group left with one clause that is not an exclusion is that clause,
/// as the parser makes it.
pub(crate) fn collapse(node: Node) -> Node {
    match node {
        Node::Bool(clauses) => {
            let mut clauses = collapse_clauses(clauses);
            match clauses.as_slice() {
                [(occur, _)] if *occur != Occur::MustNot => clauses.remove(0).1,
                _ => Node::Bool(clauses),
            }
        }
        leaf => leaf,
    }
}

fn collapse_clauses(clauses: Vec<(Occur, Node)>) -> Vec<(Occur, Node)> {
    // Each kept clause, with how many copies of it (groups only) were seen.
    let mut kept: Vec<(Occur, Node, f32)> = Vec::with_capacity(clauses.len());
    let mut slot: HashMap<String, usize> = HashMap::new();
    for (occur, child) in clauses {
        let child = collapse(child);
        let key = format!("{occur:?} {}", identity(&child));
        let Some(&i) = slot.get(&key) else {
            slot.insert(key, kept.len());
            kept.push((occur, child, 1.0));
            continue;
        };
        if occur == Occur::MustNot {
            continue;
        }
        match (&mut kept[i].1, child) {
            (
                Node::Word { boost, .. } | Node::Phrase { boost, .. },
                Node::Word { boost: more, .. } | Node::Phrase { boost: more, .. },
            ) => *boost = (*boost + more).min(f32::MAX),
            _ => kept[i].2 += 1.0,
        }
    }
    kept.into_iter()
        .map(|(occur, node, copies)| {
            if copies > 1.0 {
                (occur, apply_boost(node, copies))
            } else {
                (occur, node)
            }
        })
        .collect()
}

/// What makes two clauses the same: a word or phrase without its boost
/// (boosts of copies add up), a group with everything in it.
fn identity(node: &Node) -> String {
    match node {
        Node::Word {
            scope,
            text,
            prefix,
            fuzzy,
            ..
        } => format!("word {scope:?} {text:?} {prefix} {fuzzy:?}"),
        Node::Phrase {
            scope, text, slop, ..
        } => format!("phrase {scope:?} {text:?} {slop}"),
        Node::Bool(_) => format!("{node:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse::parse_query;

    fn collapsed(query: &str) -> Node {
        collapse(parse_query(query, false).unwrap())
    }

    #[test]
    fn repeated_words_become_one_with_their_boosts_added() {
        assert_eq!(collapsed("oil prices oil oil^2"), collapsed("oil^4 prices"));
        assert_eq!(collapsed("oil~2 oil~2 oil~1"), collapsed("oil~2^2 oil~1"));
        assert_eq!(collapsed("j* j* j*"), collapsed("j*^3"));
    }

    #[test]
    fn occurrence_scope_and_modifiers_keep_clauses_apart() {
        for query in [
            "oil +oil",
            "oil -oil",
            "oil headline:oil",
            "oil oil*",
            "oil oil~1",
            "\"oil price\" \"oil price\"~2",
        ] {
            let Node::Bool(clauses) = collapsed(query) else {
                panic!("{query}: not a group");
            };
            assert_eq!(clauses.len(), 2, "{query}: {clauses:?}");
        }
    }

    #[test]
    fn excluded_copies_are_one_exclusion() {
        assert_eq!(collapsed("oil -gas -gas -gas^2"), collapsed("oil -gas"));
    }

    #[test]
    fn repeated_groups_are_one_with_doubled_boosts() {
        assert_eq!(
            collapsed("(tram AND bus^2) (tram AND bus^2) fares"),
            collapsed("(tram^2 AND bus^4) fares")
        );
        // Inside groups too.
        assert_eq!(
            collapsed("(tram tram x) OR (bus bus bus x)"),
            collapsed("(tram^2 x) OR (bus^3 x)")
        );
    }

    #[test]
    fn a_query_without_repeats_is_unchanged() {
        let query =
            "tram AND (fares OR tickets) NOT bus headline:\"rate cut\"~2 infla* kestral~1^2";
        let parsed = parse_query(query, false).unwrap();
        assert_eq!(collapse(parsed.clone()), parsed);
    }
}
