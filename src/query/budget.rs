//! The query budget: how much one query may ask of the parser and of the
//! index, so that no query text, however long or deep, can overflow the
//! stack or run for minutes. Each bound is checked where its cost arises:
//! length, depth and word counts while reading (`parse`, with the column
//! of the first thing over the bound), expansions while building (`build`).
//! The README's "Limits" section lists them and why.

use crate::query::parse::QueryError;

/// Longest query read, in bytes (also the longest line of a batch file).
/// A pasted post or a long claim is a few KiB; beyond this a query is
/// data, not a question.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// Deepest nesting of parentheses. The parser recurses once per level;
/// no one writes more than a handful.
pub const MAX_DEPTH: usize = 32;

/// Most words and phrases in one query (each is looked for in several
/// fields, so each costs a few term lookups).
pub const MAX_CLAUSES: usize = 1024;

/// Most different `word*` and `word~N` in one query: each walks the term
/// dictionary of every field it is looked for in (the same one repeated
/// counts once: identical clauses are merged before building).
pub const MAX_EXPANDING_WORDS: usize = 64;

/// Most index words that the `word*` and `word~N` of one query may expand
/// to in all, counted over the fields each is looked for in and each place
/// it is used.
pub const MAX_EXPANDED_TERMS: usize = 4096;

/// An error unless `query` is at most [`MAX_QUERY_BYTES`] long; its column
/// is the first character past the bound.
pub fn check_length(query: &str) -> Result<(), QueryError> {
    if query.len() <= MAX_QUERY_BYTES {
        return Ok(());
    }
    let within = query
        .char_indices()
        .take_while(|(at, c)| at + c.len_utf8() <= MAX_QUERY_BYTES)
        .count();
    Err(QueryError::over_budget(
        within + 1,
        format!(
            "the query is too long: {} bytes, at most {MAX_QUERY_BYTES} are read",
            query.len()
        ),
    ))
}

/// The error for the word or phrase past [`MAX_CLAUSES`], at `column`.
pub(crate) fn too_many_clauses(column: usize) -> QueryError {
    QueryError::over_budget(
        column,
        format!("the query has more than {MAX_CLAUSES} words and phrases"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_at_the_bound_is_read_and_one_byte_more_is_not() {
        assert!(check_length(&"a".repeat(MAX_QUERY_BYTES)).is_ok());
        let err = check_length(&"a".repeat(MAX_QUERY_BYTES + 1)).unwrap_err();
        assert_eq!(err.column, MAX_QUERY_BYTES + 1);
        assert!(err.message.contains("too long"), "{err}");
    }

    #[test]
    fn the_column_counts_characters_not_bytes() {
        // Two-byte characters: the bound falls after MAX / 2 of them.
        let err = check_length(&"é".repeat(MAX_QUERY_BYTES)).unwrap_err();
        assert_eq!(err.column, MAX_QUERY_BYTES / 2 + 1);
    }
}
