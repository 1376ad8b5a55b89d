use super::*;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::Field;
use tantivy::{DocAddress, Index};

use crate::query::flat::boost_by;
use crate::test_support::three_segments;

/// 9,000 documents of pseudo-random words from a small vocabulary (so
/// phrases match, nearly match and repeat), in three segments, one in
/// seven of the first segment deleted: `(index, text, headline)`.
fn index() -> (Index, Field, Field) {
    let words = ["central", "bank", "rates", "oil", "the", "prices", "bank"];
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n
    };
    let mut docs = Vec::with_capacity(9_000);
    for i in 0..9_000usize {
        let mut sentence = |len: usize| {
            (0..len)
                .map(|_| words[next(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let body = sentence(2 + i % 13);
        let title = sentence(2 + i % 5);
        docs.push((body, title));
    }
    three_segments(docs, [3_000, 6_000], 7)
}

fn phrase(field: Field, words: &[(usize, &str)], slop: u32) -> Box<dyn Query> {
    let terms = words
        .iter()
        .map(|(offset, w)| (*offset, Term::from_field_text(field, w)))
        .collect();
    Box::new(Phrase::new(terms, slop))
}

/// The text's phrase and the headline's at 0.3, as an unscoped phrase is built.
fn both(text: Field, headline: Field, words: &[(usize, &str)]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, phrase(text, words, 0)),
        (Occur::Should, boost_by(phrase(headline, words, 0), 0.3)),
    ]))
}

fn top(index: &Index, query: &dyn Query, limit: usize) -> Vec<(u32, DocAddress)> {
    let searcher = index.reader().unwrap().searcher();
    searcher
        .search(query, &TopDocs::with_limit(limit).order_by_score())
        .unwrap()
        .into_iter()
        .map(|(score, address)| (score.to_bits(), address))
        .collect()
}

#[test]
fn ranks_the_top_tantivy_ranks_to_the_bit() {
    let (index, text, headline) = index();
    let phrases: Vec<Box<dyn Query>> = vec![
        both(text, headline, &[(0, "central"), (1, "bank")]),
        both(text, headline, &[(0, "bank"), (1, "bank")]),
        both(text, headline, &[(0, "oil"), (1, "the"), (2, "prices")]),
        // A gap where a stop word was dropped, and a repeated word.
        both(text, headline, &[(0, "bank"), (2, "bank")]),
        phrase(text, &[(0, "rates"), (1, "oil")], 0),
        boost_by(phrase(headline, &[(0, "central"), (1, "bank")], 0), 0.3),
    ];
    for query in &phrases {
        let union = phrase_union(&**query).expect("a union of exact phrases");
        for limit in [1, 3, 10, 50, 20_000] {
            let expected = top(&index, &**query, limit);
            assert!(!expected.is_empty(), "{query:?} matches");
            assert_eq!(
                top(&index, &union, limit),
                expected,
                "{query:?}, top {limit}"
            );
        }
    }
}

#[test]
fn counts_and_scores_as_the_query_it_was_built_from() {
    let (index, text, headline) = index();
    let query = both(text, headline, &[(0, "central"), (1, "bank")]);
    let union = phrase_union(&*query).unwrap();
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(
        searcher.search(&union, &tantivy::collector::Count).unwrap(),
        searcher
            .search(&*query, &tantivy::collector::Count)
            .unwrap()
    );
}

#[test]
fn takes_exact_phrases_only() {
    let (_, text, headline) = index();
    let pair = [(0, "central"), (1, "bank")];
    assert!(phrase_union(&*phrase(text, &pair, 0)).is_some());
    assert!(phrase_union(&*both(text, headline, &pair)).is_some());
    // A phrase with slop is counted by Tantivy's own rules.
    assert!(phrase_union(&*phrase(text, &pair, 1)).is_none());
    let word: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(text, "bank"),
        IndexRecordOption::WithFreqs,
    ));
    let mixed = BooleanQuery::new(vec![
        (Occur::Should, phrase(text, &pair, 0)),
        (Occur::Should, word.box_clone()),
    ]);
    assert!(phrase_union(&mixed).is_none());
    let required = BooleanQuery::new(vec![
        (Occur::Must, phrase(text, &pair, 0)),
        (Occur::Must, phrase(headline, &pair, 0)),
    ]);
    assert!(phrase_union(&required).is_none());
}

#[test]
fn keep_common_keeps_what_both_hold() {
    let mut left = vec![1, 4, 5, 9, 12];
    keep_common(&mut left, &[0, 4, 9, 10, 12, 13]);
    assert_eq!(left, [4, 9, 12]);
    let mut none = vec![2, 3];
    keep_common(&mut none, &[1, 4]);
    assert!(none.is_empty());
}
