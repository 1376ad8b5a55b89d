//! Unit tests of query building (`build.rs`): the fields and weights each
//! scope looks in for each kind of document (the table atop `fields.rs`),
//! the terms an unscoped word, a scoped word, a phrase, a prefix and a
//! fuzzy word compile to, the weights seen in the scores they give, and
//! what a word that analyses to nothing does to a query.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::{Searcher, TantivyDocument};

use super::*;
use crate::index::{BriefIndex, stored_text};
use crate::query::fields::Target;
use crate::query::parse::parse_query;

const BULLETS: &[DocKind] = &[DocKind::Point, DocKind::Summary];
const ARTICLES: &[DocKind] = &[DocKind::Article];
const ALL: &[DocKind] = &[DocKind::Article, DocKind::Point, DocKind::Summary];

/// Harlow is in the headline only; `investors` in a summary only; `sold` in
/// the summary and the body; `mills` in the headline and a point.
const HARLOW: &str = "Harlow Mills Shares Tumble — Mill Gazette\n📉 The mills cut the profit forecast for the year.\nA plain body line where investors' shares sold.\n- Investors sold after the profit warning.\n";
const KESTRAL: &str =
    "Kestral festival returns — Arts Desk\n🎶 The Kestral festival enrolled 400 bands.\n";

/// An index of `briefs` (text format) in a temporary folder, and a
/// searcher on it.
struct Fixture {
    _dir: tempfile::TempDir,
    index: BriefIndex,
    searcher: Searcher,
}

impl Fixture {
    fn of(briefs: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let index = crate::test_support::index_of_texts(dir.path(), briefs);
        let searcher = index.reader().unwrap().searcher();
        Fixture {
            _dir: dir,
            index,
            searcher,
        }
    }

    fn harlow() -> Fixture {
        Fixture::of(&[("h.txt", HARLOW), ("k.txt", KESTRAL)])
    }

    fn name(&self, field: Field) -> String {
        self.index.index.schema().get_field_name(field).to_string()
    }

    /// `query` (the query language) compiled for `kinds`.
    fn compile(&self, query: &str, kinds: &[DocKind], weights: Weights) -> Box<dyn Query> {
        let node = parse_query(query, false).unwrap();
        Compiler::new(&self.index.fields, &self.searcher, weights, kinds)
            .compile(&node)
            .unwrap()
    }

    /// The fields (by name) and words `query` looks for, kind filters
    /// included (`kind`, `point`).
    fn terms(&self, query: &str, kinds: &[DocKind], weights: Weights) -> BTreeSet<String> {
        let compiled = self.compile(query, kinds, weights);
        let mut terms = BTreeSet::new();
        compiled.query_terms(&mut |term, _| {
            let word = term.value().as_str().unwrap_or("?").to_string();
            terms.insert(format!("{}:{word}", self.name(term.field())));
        });
        terms
    }

    /// The id and score of every document `query` matches.
    fn scores(&self, query: &str, kinds: &[DocKind], weights: Weights) -> BTreeMap<String, f32> {
        let compiled = self.compile(query, kinds, weights);
        self.matches(&*compiled)
    }

    fn matches(&self, query: &dyn Query) -> BTreeMap<String, f32> {
        let top = self
            .searcher
            .search(query, &TopDocs::with_limit(100).order_by_score())
            .unwrap();
        top.into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = self.searcher.doc(address).unwrap();
                (stored_text(&doc, self.index.fields.id).unwrap(), score)
            })
            .collect()
    }

    /// The score of document `id` for `query`, which must match it.
    fn score(&self, query: &str, kinds: &[DocKind], weights: Weights, id: &str) -> f32 {
        let scores = self.scores(query, kinds, weights);
        *scores
            .get(id)
            .unwrap_or_else(|| panic!("{query:?} does not match {id}: {scores:?}"))
    }
}

fn set(terms: &[&str]) -> BTreeSet<String> {
    terms.iter().map(|t| t.to_string()).collect()
}

fn assert_ratio(what: &str, got: f32, expected: f32) {
    assert!(
        (got - expected).abs() <= 1e-4 * expected.abs().max(1.0),
        "{what}: {got} where {expected} was expected"
    );
}

fn per_field() -> Weights {
    Weights {
        combined: false,
        ..Weights::default()
    }
}

#[test]
fn each_scope_looks_in_the_fields_of_the_kinds_ranked() {
    let fixture = Fixture::harlow();
    let name = |target: &Target| {
        let kind = target
            .kind
            .map_or(String::new(), |k| format!(" ({k:?} only)"));
        format!("{} {}{kind}", fixture.name(target.field), target.weight)
    };
    // scope, kinds ranked, the fields looked in (the table atop build.rs).
    let cases: &[(Option<Scope>, &[DocKind], &[&str])] = &[
        (None, BULLETS, &["text 1", "context 0.3"]),
        (None, &[DocKind::Point], &["text 1", "context 0.3"]),
        (
            None,
            ARTICLES,
            &["headline 1", "points 1", "summaries 1", "body 1"],
        ),
        (
            None,
            ALL,
            &[
                "text 1",
                "context 0.3",
                "headline 1",
                "points 1",
                "summaries 1",
                "body 1",
            ],
        ),
        (Some(Scope::Headline), BULLETS, &["context 1"]),
        (Some(Scope::Headline), ARTICLES, &["headline 1"]),
        (Some(Scope::Point), BULLETS, &["text 1 (Point only)"]),
        (Some(Scope::Point), &[DocKind::Summary], &[]),
        (Some(Scope::Point), ARTICLES, &["points 1"]),
        (
            Some(Scope::Summary),
            ALL,
            &["text 1 (Summary only)", "summaries 1"],
        ),
        (Some(Scope::Body), BULLETS, &[]),
        (Some(Scope::Body), ARTICLES, &["body 1"]),
        (Some(Scope::Source), BULLETS, &["source 1"]),
        (Some(Scope::Source), ARTICLES, &["source 1"]),
    ];
    for (scope, kinds, expected) in cases {
        let found: Vec<String> = targets(&fixture.index.fields, *scope, &Weights::default(), kinds)
            .iter()
            .map(name)
            .collect();
        assert_eq!(found, *expected, "{scope:?} for {kinds:?}");
    }
}

#[test]
fn weights_set_the_weight_of_each_field() {
    let fixture = Fixture::harlow();
    let weights = Weights::parse("text=2,context=0.5,headline=3,body=0.25").unwrap();
    let found: Vec<(String, f32)> = targets(&fixture.index.fields, None, &weights, ALL)
        .iter()
        .map(|t| (fixture.name(t.field), t.weight))
        .collect();
    let expected = [
        ("text", 2.0),
        ("context", 0.5),
        ("headline", 3.0),
        ("points", 1.0),
        ("summaries", 1.0),
        ("body", 0.25),
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for ((field, weight), (want_field, want_weight)) in found.iter().zip(expected) {
        assert_eq!(field, want_field);
        assert_eq!(*weight, want_weight, "{field}");
    }
    // A scoped word keeps weight 1 whatever the weights.
    for target in targets(&fixture.index.fields, Some(Scope::Headline), &weights, ALL) {
        assert_eq!(target.weight, 1.0);
    }
}

#[test]
fn each_kind_of_word_compiles_to_the_terms_of_its_fields() {
    let fixture = Fixture::harlow();
    let d = Weights::default();
    // query, kinds ranked, weights, the fields and words looked for.
    let cases: &[(&str, &[DocKind], Weights, &[&str])] = &[
        // An unscoped word: analysed (folded, stemmed), in each field.
        ("Harlow", BULLETS, d, &["context:harlow", "text:harlow"]),
        (
            "Investors",
            ARTICLES,
            d,
            &[
                "body:investor",
                "headline:investor",
                "points:investor",
                "summaries:investor",
            ],
        ),
        (
            "investors",
            ARTICLES,
            per_field(),
            &[
                "body:investor",
                "headline:investor",
                "points:investor",
                "summaries:investor",
            ],
        ),
        // A scoped word: only its fields (analysed too); `point:` on bullets
        // filters on kind.
        ("headline:harlow", BULLETS, d, &["context:harlow"]),
        ("point:harlow", BULLETS, d, &["kind:point", "text:harlow"]),
        ("summary:harlow", ARTICLES, d, &["summaries:harlow"]),
        ("source:Gazette", BULLETS, d, &["source:gazett"]),
        // A phrase: its analysed words, in each field.
        (
            "\"profit warning\"",
            BULLETS,
            d,
            &["context:profit", "context:warn", "text:profit", "text:warn"],
        ),
        // A prefix: the index's words of each field starting with it.
        ("enrol*", BULLETS, d, &["text:enrol"]),
        (
            "inv*",
            ARTICLES,
            d,
            &["body:investor", "summaries:investor"],
        ),
        // A fuzzy word: itself, and the index's words one edit away.
        (
            "kestrel~1",
            BULLETS,
            d,
            &[
                "context:kestral",
                "context:kestrel",
                "text:kestral",
                "text:kestrel",
            ],
        ),
        // A word in no field of the kinds ranked: nothing.
        ("body:harlow", BULLETS, d, &[]),
    ];
    for (query, kinds, weights, expected) in cases {
        assert_eq!(
            fixture.terms(query, kinds, *weights),
            set(expected),
            "{query:?} for {kinds:?}"
        );
    }
}

#[test]
fn an_unscoped_word_over_articles_is_one_bm25f_query_unless_combined_is_off() {
    let fixture = Fixture::harlow();
    let combined = fixture.compile("harlow", ARTICLES, Weights::default());
    assert!(combined.is::<CombinedTermQuery>(), "{combined:?}");
    let separate = fixture.compile("harlow", ARTICLES, per_field());
    assert!(!separate.is::<CombinedTermQuery>(), "{separate:?}");
    // Bullets keep a score per field even when combined is on.
    let bullets = fixture.compile("harlow", BULLETS, Weights::default());
    assert!(!bullets.is::<CombinedTermQuery>(), "{bullets:?}");
}

#[test]
fn scores_carry_the_weight_of_the_field_matched() {
    let fixture = Fixture::harlow();
    let d = Weights::default();
    // The summary matches `harlow` only through its brief's headline:
    // unscoped, that counts 0.3 of what `headline:` (weight 1) gives.
    let id = "h.txt#s1";
    let unscoped = fixture.score("harlow", BULLETS, d, id);
    let scoped = fixture.score("headline:harlow", BULLETS, d, id);
    assert_ratio("context weight", unscoped / scoped, d.context);
    let heavier = Weights { context: 0.6, ..d };
    let reweighted = fixture.score("harlow", BULLETS, heavier, id);
    assert_ratio("context weight 0.6", reweighted / scoped, 0.6);
    // `investors` is in the summary's own text: weight 1, as `summary:`.
    let own = fixture.score("investors", BULLETS, d, id);
    let scoped = fixture.score("summary:investors", BULLETS, d, id);
    assert_ratio("text weight", own / scoped, d.text);
    // A boost multiplies.
    let boosted = fixture.score("investors^2.5", BULLETS, d, id);
    assert_ratio("boost", boosted / own, 2.5);
    // Articles, scored per field: `harlow` is only in the headline.
    let article = "h.txt";
    let unscoped = fixture.score("harlow", ARTICLES, per_field(), article);
    let scoped = fixture.score("headline:harlow", ARTICLES, per_field(), article);
    assert_ratio("headline weight", unscoped / scoped, 1.0);
    let heavier = Weights {
        headline: 2.0,
        ..per_field()
    };
    let reweighted = fixture.score("harlow", ARTICLES, heavier, article);
    assert_ratio("headline weight 2", reweighted / scoped, 2.0);
}

#[test]
fn a_fuzzy_match_counts_a_fraction_of_an_exact_one() {
    let fixture = Fixture::harlow();
    let d = Weights::default();
    // `kestrel~1` finds the point that says `Kestral`, at FUZZY_WEIGHT of
    // what `kestral` itself scores there.
    let id = "k.txt#p1";
    let fuzzy = fixture.score("kestrel~1", BULLETS, d, id);
    let exact = fixture.score("kestral", BULLETS, d, id);
    assert_ratio("fuzzy weight", fuzzy / exact, FUZZY_WEIGHT);
    assert!(fixture.scores("kestrel", BULLETS, d).is_empty());
}

#[test]
fn kinds_and_scopes_limit_what_matches() {
    let fixture = Fixture::harlow();
    let d = Weights::default();
    let ids = |query: &str, kinds: &[DocKind]| -> Vec<String> {
        fixture.scores(query, kinds, d).into_keys().collect()
    };
    // `mills` is in the headline and the point: every bullet of the brief
    // through its headline, the article through its headline and points.
    assert_eq!(ids("mills", BULLETS), ["h.txt#p1", "h.txt#s1"]);
    assert_eq!(ids("mills", ARTICLES), ["h.txt"]);
    assert_eq!(ids("mills", ALL), ["h.txt", "h.txt#p1", "h.txt#s1"]);
    // Points and summaries share `text`; a scope keeps to its kind.
    assert_eq!(ids("point:sold", BULLETS), Vec::<String>::new());
    assert_eq!(ids("summary:sold", BULLETS), ["h.txt#s1"]);
    assert_eq!(ids("point:cut", BULLETS), ["h.txt#p1"]);
    // `body:` is for articles only.
    assert_eq!(ids("body:plain", BULLETS), Vec::<String>::new());
    assert_eq!(ids("body:plain", ARTICLES), ["h.txt"]);
    // The zero-scored kind filter.
    let points = fixture.matches(&*kind_filter(&fixture.index.fields, &[DocKind::Point]));
    assert_eq!(points.keys().collect::<Vec<_>>(), ["h.txt#p1", "k.txt#p1"]);
    assert!(points.values().all(|score| *score == 0.0), "{points:?}");
}

#[test]
fn a_clause_that_analyses_to_nothing_is_dropped() {
    let fixture = Fixture::harlow();
    let d = Weights::default();
    // Markers, punctuation and stop words are no words: a clause of only
    // them is dropped, whether optional, required or excluded, and the
    // rest still matches (both of the brief's bullets).
    for query in [
        "harlow 📉",
        "harlow -📉",
        "harlow OR —",
        "+harlow +📉",
        "+harlow AND —",
        "harlow AND the",
        "harlow AND \"of the\"",
        "harlow NOT the",
    ] {
        assert_eq!(fixture.scores(query, BULLETS, d).len(), 2, "{query:?}");
    }
    // A query of nothing else cannot be built.
    for query in [
        "📉",
        "— …",
        "\"📉 —\"",
        "the",
        "the -harlow",
        "(the OR of) AND a",
    ] {
        let node = parse_query(query, false).unwrap();
        let compiled =
            Compiler::new(&fixture.index.fields, &fixture.searcher, d, BULLETS).compile(&node);
        assert!(
            matches!(compiled, Err(CompileError::NothingToSearch)),
            "{query:?}: {compiled:?}"
        );
    }
    // A prefix with nothing to expand to matches nothing, and so makes a
    // required clause fail.
    assert!(fixture.scores("zz*", BULLETS, d).is_empty());
    assert!(fixture.scores("+harlow +zz*", BULLETS, d).is_empty());
}

/// Briefs whose one summary holds the word `w<i>` for `i` in `words`.
fn w_briefs(words: std::ops::Range<usize>) -> Vec<(String, String)> {
    words
        .map(|i| {
            (
                format!("w{i:03}.txt"),
                format!("Brief {i} — Desk\n- The word w{i:03} is here.\n"),
            )
        })
        .collect()
}

/// An index of `batches`, one commit (so one segment) each.
fn segmented(batches: &[Vec<(String, String)>]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let index = BriefIndex::create(dir.path()).unwrap();
    let mut writer = index.writer(1, 15_000_000).unwrap();
    for batch in batches {
        crate::test_support::add_text_briefs(&index, &mut writer, batch);
        index.commit(&mut writer).unwrap();
    }
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), batches.len());
    Fixture {
        _dir: dir,
        index,
        searcher,
    }
}

#[test]
fn a_prefix_expands_to_the_first_words_of_the_whole_index_whatever_its_segments() {
    // Odd words in one segment, even in the other: the first 64 of the
    // index are the first 32 or so of each.
    let (odd, even): (Vec<_>, Vec<_>) = w_briefs(0..200)
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 1);
    let strip = |v: Vec<(usize, (String, String))>| v.into_iter().map(|(_, b)| b).collect();
    let fixture = segmented(&[strip(odd), strip(even)]);
    let terms = fixture.terms("summary:w*", BULLETS, Weights::default());
    let expected: BTreeSet<String> = (0..MAX_EXPANSIONS)
        .map(|i| format!("text:w{i:03}"))
        .chain(["kind:summary".to_string()])
        .collect();
    assert_eq!(terms, expected);
}

#[test]
fn repeated_expansions_are_built_once_and_scored_as_one_weighted_clause() {
    let fixture = segmented(&[w_briefs(0..10)]);
    let once = fixture.scores("w00*^3", BULLETS, Weights::default());
    let thrice = fixture.scores("w00* w00* w00*", BULLETS, Weights::default());
    assert_eq!(once.len(), 10);
    for (id, score) in &once {
        assert_ratio(id, thrice[id], *score);
    }
    // Far more copies than the expansion budget allows, were each built.
    let many = vec!["w00*"; 1000].join(" ");
    assert_eq!(fixture.scores(&many, BULLETS, Weights::default()).len(), 10);
}

#[test]
fn expansions_over_the_budget_are_refused_not_cut() {
    let fixture = segmented(&[w_briefs(0..100)]);
    // Each group uses the 64 words of `w*` in the bullets' text (the
    // headlines have none): 64 index words.
    let groups = |n: usize| {
        (0..n)
            .map(|i| format!("(w* x{i})"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let within = MAX_EXPANDED_TERMS / MAX_EXPANSIONS;
    let compile = |query: &str| {
        let node = parse_query(query, false).unwrap();
        Compiler::new(
            &fixture.index.fields,
            &fixture.searcher,
            Weights::default(),
            BULLETS,
        )
        .compile(&node)
        .map(|_| ())
    };
    assert!(compile(&groups(within)).is_ok());
    assert!(matches!(
        compile(&groups(within + 1)),
        Err(CompileError::TooBroad {
            limit: MAX_EXPANDED_TERMS
        })
    ));
}
