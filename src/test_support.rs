//! What the tests of several stages share: a proptest runner that says how
//! many cases it ran, generated query text, and a small in-memory index of
//! two text fields in three segments with deletes (the ranking tests').
//!
//! Each property has a quick default number of cases; `PROPTEST_CASES=N`
//! sets the number for all of them (the long form:
//! `PROPTEST_CASES=20000 cargo test --release --lib properties -- --nocapture`).
//! Every property prints how many cases it ran and how long they took
//! (`--nocapture` shows it).

use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tantivy::schema::{Field, STRING, Schema, TEXT};
use tantivy::{Index, Term, doc};

/// The proptest configuration: `default_cases` unless PROPTEST_CASES is set;
/// no regression files written into the repository (regressions found are
/// kept as plain tests instead).
fn config(default_cases: u32) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}

/// Runs a property, printing how many cases ran and how long they took.
pub(crate) fn check_property<S>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    let mut runner = TestRunner::new(config(default_cases));
    let count = AtomicUsize::new(0);
    let started = Instant::now();
    let result = runner.run(&strategy, |value| {
        count.fetch_add(1, Ordering::Relaxed);
        test(value)
    });
    eprintln!(
        "proptest {name}: {} cases in {:.2} s",
        count.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if let Err(err) = result {
        panic!("property {name} failed: {err}");
    }
}

/// Pieces of queries: words, operators, scopes, modifiers, odd characters.
const QUERY_TOKENS: &[&str] = &[
    "tram",
    "riders",
    "northgate",
    "shares",
    "rate",
    "cut",
    "fares",
    "\"",
    "\"rate cut\"",
    "\"sold warning\"~3",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "+",
    "-",
    "+tram",
    "-bus",
    ":",
    "headline:",
    "point:",
    "summary:",
    "body:",
    "source:",
    "title:",
    "nosuch:",
    "*",
    "tram*",
    "t*",
    "~",
    "~1",
    "~2",
    "~300",
    "tram~1",
    "^",
    "^2",
    "^2.5",
    "^-1",
    "^0",
    "^1e39",
    "^NaN",
    "^inf",
    "11.5%",
    "$1.13bn",
    "1,900",
    "café",
    "📉",
    "π",
    "ðŸ“‰",
    "\u{0}",
    "\t",
    "\n",
    "  ",
    "!",
    "?",
    "\\",
    "'",
    "99999999999999999999999",
    "a",
    "é",
    "ß",
    "İ",
    "ﬁ",
];

/// Query text: any string, or pieces of queries run together.
pub(crate) fn query_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            (
                prop::sample::select(QUERY_TOKENS),
                prop::sample::select(&["", " ", " ", "  "][..])
            ),
            0..14,
        )
        .prop_map(|parts| parts.into_iter().map(|(t, s)| format!("{t}{s}")).collect()),
    ]
}

/// Adds the briefs of `briefs` (`(file name, text)`, text format, one brief
/// each) to `writer`'s index, uncommitted.
pub(crate) fn add_text_briefs<N: AsRef<str>, T: AsRef<str>>(
    index: &crate::index::BriefIndex,
    writer: &mut tantivy::IndexWriter<tantivy::TantivyDocument>,
    briefs: &[(N, T)],
) {
    use crate::parse::{Format, parse_document};
    for (name, text) in briefs {
        let (name, text) = (name.as_ref(), text.as_ref());
        let brief = parse_document(text.as_bytes(), Format::Text, name)
            .remove(0)
            .unwrap();
        let mut analysis = crate::text::Analysis::default();
        for doc in crate::index::brief_documents(&index.fields, &mut analysis, &brief, name) {
            writer.add_document(doc).unwrap();
        }
    }
}

/// A new index in `dir` of `briefs` (as [`add_text_briefs`]), in one commit.
pub(crate) fn index_of_texts<N: AsRef<str>, T: AsRef<str>>(
    dir: &std::path::Path,
    briefs: &[(N, T)],
) -> crate::index::BriefIndex {
    let index = crate::index::BriefIndex::create(dir).unwrap();
    let mut writer = index.writer(1, 15_000_000).unwrap();
    add_text_briefs(&index, &mut writer, briefs);
    index.commit(&mut writer).unwrap();
    index
}

/// An in-memory index of `docs` (text, headline) with fields `text`,
/// `headline` and `id` (the document's number): committed after document
/// `commits[0]`, after `commits[1]` and at the end (three segments), then
/// every `delete_every`-th document before `commits[0]` deleted. Returns
/// `(index, text, headline)`.
pub(crate) fn three_segments(
    docs: impl IntoIterator<Item = (String, String)>,
    commits: [usize; 2],
    delete_every: usize,
) -> (Index, Field, Field) {
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", TEXT);
    let headline = schema.add_text_field("headline", TEXT);
    let id = schema.add_text_field("id", STRING);
    let index = Index::create_in_ram(schema.build());
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    for (i, (body, title)) in docs.into_iter().enumerate() {
        writer
            .add_document(doc!(text => body, headline => title, id => i.to_string()))
            .unwrap();
        if commits.contains(&i) {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    for i in (0..commits[0]).step_by(delete_every) {
        writer.delete_term(Term::from_field_text(id, &i.to_string()));
    }
    writer.commit().unwrap();
    (index, text, headline)
}
