//! Reading a query as plain words (`--literal`, and the fallback of batch
//! runs for queries that do not parse): no operators, scopes, quotes or
//! modifiers, every word optional (or, with `--all`, required). Bounded by
//! the same budget as the query language: its length and number of words.

use crate::query::budget::{MAX_CLAUSES, check_length, too_many_clauses};
use crate::query::parse::{Node, Occur, QueryError};

/// Reads `query` as plain words, with no operators, scopes, quotes or
/// modifiers: what batch runs of natural-language queries need. Fails only
/// when no word is left, or when the query is over the budget's length or
/// number of words.
pub fn literal_query(query: &str, all_terms: bool) -> Result<Node, QueryError> {
    check_length(query)?;
    let occur = if all_terms {
        Occur::Must
    } else {
        Occur::Should
    };
    let mut words: Vec<(Occur, Node)> = Vec::new();
    for (column, word) in literal_words(query) {
        if words.len() == MAX_CLAUSES {
            return Err(too_many_clauses(column));
        }
        words.push((
            occur,
            Node::Word {
                scope: None,
                text: word.to_string(),
                prefix: false,
                fuzzy: None,
                boost: 1.0,
            },
        ));
    }
    match words.len() {
        0 => Err(QueryError::at(1, "the query has no words")),
        _ => Ok(Node::Bool(words)),
    }
}

/// The words of a literal query, each with its 1-based column: split on
/// white space and query syntax, leading signs dropped.
fn literal_words(query: &str) -> impl Iterator<Item = (usize, &str)> {
    let separator =
        |c: char| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '^' | '~' | ':' | '*');
    let mut column = 1;
    query
        .split_inclusive(separator)
        .map(move |piece| {
            let at = column;
            column += piece.chars().count();
            let word = piece.strip_suffix(separator).unwrap_or(piece);
            let signs = word.len() - word.trim_start_matches(['+', '-']).len();
            (at + signs, &word[signs..])
        })
        .filter(|(_, w)| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_queries_ignore_syntax() {
        let parsed = literal_query("Claim: \"vaccines\" - (cause) NOT x~", false).unwrap();
        let texts: Vec<String> = match parsed {
            Node::Bool(clauses) => clauses
                .into_iter()
                .map(|(_, n)| match n {
                    Node::Word { text, .. } => text,
                    other => panic!("{other:?}"),
                })
                .collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(texts, ["Claim", "vaccines", "cause", "NOT", "x"]);
        assert!(literal_query(" - \" ", false).is_err());
    }

    #[test]
    fn each_word_has_its_column_past_its_signs() {
        let words: Vec<(usize, &str)> = literal_words("a +b (c:d) --e é*f").collect();
        assert_eq!(
            words,
            [
                (1, "a"),
                (4, "b"),
                (7, "c"),
                (9, "d"),
                (14, "e"),
                (16, "é"),
                (18, "f")
            ]
        );
    }
}
