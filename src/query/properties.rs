//! Property test of the query parser (run by `cargo test`; it prints its
//! case count, `--nocapture` shows it; the long form is
//! `PROPTEST_CASES=20000 cargo test --release --lib properties -- --nocapture`):
//! on any string, and on pieces of queries run together, [`parse_query`]
//! and [`literal_query`] never panic, and every error they give has a
//! message and a column inside the query (or just after it); on deeply
//! nested and very long queries (issue 12), the same, and what they read
//! stays within the query budget (`budget`).

use proptest::prelude::*;

use crate::query::budget::{MAX_CLAUSES, MAX_DEPTH, MAX_EXPANDING_WORDS, MAX_QUERY_BYTES};
use crate::query::collapse::collapse;
use crate::query::literal::literal_query;
use crate::query::parse::{Node, parse_query};
use crate::test_support::{check_property, query_strategy};

#[test]
fn fuzz_query_parser_never_panics_and_columns_are_in_range() {
    check_property(
        "parse_query",
        4096,
        (query_strategy(), any::<bool>()),
        |(query, all)| {
            let chars = query.chars().count();
            for result in [parse_query(&query, all), literal_query(&query, all)] {
                if let Err(err) = result {
                    prop_assert!(
                        err.column >= 1 && err.column <= chars + 1,
                        "column {} out of 1..={} for {:?}: {}",
                        err.column,
                        chars + 1,
                        query,
                        err.message
                    );
                    prop_assert!(!err.message.is_empty());
                }
            }
            Ok(())
        },
    );
}

/// Openings of a group, as people and generators write them.
const OPENERS: &[&str] = &[
    "(",
    "( ",
    "((",
    "point:(",
    "+(",
    "-(",
    "NOT (",
    "tram AND (",
];

/// Pieces repeated to make long queries.
const PIECES: &[&str] = &[
    "oil ",
    "oil~2 ",
    "j* ",
    "\"rate cut\" ",
    "(a) ",
    "a-b-c ",
    "é",
    "x",
    "-",
    "\"",
    ") ",
];

/// Deeply nested queries (up to 300 openings, closed or not, around any
/// query) and long ones (a piece repeated past the length bound).
fn deep_or_long() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            0..300usize,
            prop::sample::select(OPENERS),
            query_strategy(),
            0..300usize
        )
            .prop_map(|(depth, open, inner, close)| {
                format!("{}{inner}{}", open.repeat(depth), ")".repeat(close))
            }),
        (prop::sample::select(PIECES), 1..(2 * MAX_QUERY_BYTES / 3))
            .prop_map(|(piece, n)| piece.repeat(n)),
    ]
}

/// How deep groups nest in `node`, and how many words and phrases it has.
fn shape(node: &Node) -> (usize, usize) {
    match node {
        Node::Bool(clauses) => clauses.iter().fold((1, 0), |(depth, leaves), (_, child)| {
            let (d, l) = shape(child);
            (depth.max(d + 1), leaves + l)
        }),
        _ => (0, 1),
    }
}

#[test]
fn fuzz_deep_and_long_queries_parse_within_the_budget_or_fail_with_a_column() {
    check_property(
        "parse_query deep and long",
        512,
        (deep_or_long(), any::<bool>()),
        |(query, all)| {
            let chars = query.chars().count();
            for result in [parse_query(&query, all), literal_query(&query, all)] {
                match result {
                    Err(err) => {
                        prop_assert!(
                            err.column >= 1 && err.column <= chars + 1,
                            "column {} out of 1..={} for a query of {} bytes: {}",
                            err.column,
                            chars + 1,
                            query.len(),
                            err.message
                        );
                        prop_assert!(!err.message.is_empty());
                    }
                    Ok(node) => {
                        prop_assert!(query.len() <= MAX_QUERY_BYTES);
                        let (depth, leaves) = shape(&node);
                        // Each level of parentheses is at most an AND
                        // group inside an OR group.
                        prop_assert!(depth <= 2 * (MAX_DEPTH + 1), "depth {depth}");
                        prop_assert!(leaves <= MAX_CLAUSES, "{leaves} words");
                        let (collapsed_depth, collapsed_leaves) = shape(&collapse(node));
                        prop_assert!(collapsed_depth <= depth && collapsed_leaves <= leaves);
                    }
                }
            }
            Ok(())
        },
    );
}

#[test]
fn the_depth_bound_is_exact_and_its_error_points_at_the_opening_too_many() {
    let nested = |n: usize| format!("{}oil{}", "(".repeat(n), ")".repeat(n));
    assert!(parse_query(&nested(MAX_DEPTH), false).is_ok());
    let err = parse_query(&nested(MAX_DEPTH + 1), false).unwrap_err();
    assert_eq!(err.column, MAX_DEPTH + 1, "{err}");
    assert!(
        err.over_budget && err.message.contains("nest deeper"),
        "{err}"
    );
    // The reproduction of issue 12, item 3: 12,000 openings (24 KB) are
    // refused by length before they are read.
    let err = parse_query(&nested(12_000), false).unwrap_err();
    assert!(err.over_budget && err.message.contains("too long"), "{err}");
    // Under the length bound, the depth bound refuses it.
    let err = parse_query(&nested(8_000), false).unwrap_err();
    assert!(err.message.contains("nest deeper"), "{err}");
}

#[test]
fn word_bounds_are_exact_and_point_at_the_word_too_many() {
    let words = |n: usize, word: &str| vec![word; n].join(" ");
    assert!(parse_query(&words(MAX_CLAUSES, "a"), false).is_ok());
    let err = parse_query(&words(MAX_CLAUSES + 1, "a"), false).unwrap_err();
    assert_eq!(err.column, 2 * MAX_CLAUSES + 1, "{err}");
    assert!(err.over_budget, "{err}");
    let err = literal_query(&words(MAX_CLAUSES + 1, "a"), false).unwrap_err();
    assert_eq!(err.column, 2 * MAX_CLAUSES + 1, "{err}");
    // The same prefix or fuzzy word repeated counts once among the
    // different ones; different ones count each.
    assert!(parse_query(&words(MAX_CLAUSES, "oil~2"), false).is_ok());
    let different: Vec<String> = (0..=MAX_EXPANDING_WORDS)
        .map(|i| format!("w{i}*"))
        .collect();
    let err = parse_query(&different.join(" "), false).unwrap_err();
    assert!(err.message.contains("different `word*`"), "{err}");
    assert!(parse_query(&different[..MAX_EXPANDING_WORDS].join(" "), false).is_ok());
}
