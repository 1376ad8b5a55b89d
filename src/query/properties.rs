//! Property test of the query parser (run by `cargo test`; it prints its
//! case count, `--nocapture` shows it; the long form is
//! `PROPTEST_CASES=20000 cargo test --release --lib properties -- --nocapture`):
//! on any string, and on pieces of queries run together, [`parse_query`]
//! and [`literal_query`] never panic, and every error they give has a
//! message and a column inside the query (or just after it).

use proptest::prelude::*;

use crate::query::parse::{literal_query, parse_query};
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
