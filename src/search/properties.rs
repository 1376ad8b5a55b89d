//! Property test of searching (run by `cargo test`; it prints its case
//! count, `--nocapture` shows it; the long form is
//! `PROPTEST_CASES=20000 cargo test --release --lib properties -- --nocapture`):
//! over an index of `tests/fixtures/`, any query text with any options
//! either gives a query error or hits ranked from the offset, no more than
//! the limit, whose highlights are byte ranges of their text on character
//! boundaries. Nothing else may fail, nothing may panic.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::brief::Problem;
use crate::error::Error;
use crate::index::{BriefIndex, IndexOptions, Reporter, update_index};
use crate::search::{Hit, KindFilter, SearchOptions, Session};
use crate::test_support::{check_property, query_strategy};

struct QuietReporter;

impl Reporter for QuietReporter {
    fn problem(&mut self, _problem: &Problem, _unchanged: bool) {}
}

/// A session on a small index of the fixtures, built once.
fn fixture_session() -> &'static (tempfile::TempDir, Session) {
    static SESSION: OnceLock<(tempfile::TempDir, Session)> = OnceLock::new();
    SESSION.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = BriefIndex::create(&dir.path().join("idx")).expect("create index");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut options = IndexOptions::new(vec![fixtures]);
        options.threads = 1;
        options.memory_budget = 20_000_000;
        update_index(&index, &options, &mut QuietReporter).expect("index the fixtures");
        let session = Session::new(index).expect("a session on the fixtures");
        (dir, session)
    })
}

#[test]
fn fuzz_search_never_panics_on_arbitrary_queries() {
    let (_, session) = fixture_session();
    let kinds = [
        KindFilter::Bullet,
        KindFilter::Point,
        KindFilter::Summary,
        KindFilter::Article,
        KindFilter::All,
    ];
    let strategy = (
        query_strategy(),
        (any::<bool>(), 0..kinds.len(), any::<bool>(), any::<bool>()),
        (0..12usize, 0..4usize, prop::option::of(1..4usize)),
    );
    check_property(
        "search",
        384,
        strategy,
        |(query, (all, kind, literal, dedup), (limit, offset, group))| {
            let mut options = SearchOptions::new(query.clone());
            options.all_terms = all;
            options.kind = kinds[kind];
            options.literal = literal;
            options.dedup = dedup;
            options.limit = limit;
            options.offset = offset;
            let checked = |hit: &Hit| -> Result<(), TestCaseError> {
                for [start, end] in &hit.highlights {
                    prop_assert!(
                        start < end
                            && *end <= hit.text.len()
                            && hit.text.is_char_boundary(*start)
                            && hit.text.is_char_boundary(*end),
                        "highlight {}..{} is not a range of {:?}",
                        start,
                        end,
                        hit.text
                    );
                }
                Ok(())
            };
            let outcome = match group {
                Some(per_brief) => session
                    .search_grouped(&options, per_brief)
                    .map(|groups| groups.into_iter().flat_map(|g| g.hits).collect::<Vec<_>>()),
                None => session.search(&options),
            };
            match outcome {
                Ok(hits) => {
                    if group.is_none() {
                        prop_assert!(hits.len() <= limit);
                        for (i, hit) in hits.iter().enumerate() {
                            prop_assert_eq!(hit.rank, offset + i + 1);
                        }
                    }
                    for hit in &hits {
                        checked(hit)?;
                    }
                }
                Err(Error::Query { .. }) => {}
                Err(other) => {
                    return Err(TestCaseError::fail(format!(
                        "{query:?}: not a query error: {other}"
                    )));
                }
            }
            Ok(())
        },
    );
}
