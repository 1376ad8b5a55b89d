//! The evidence behind how a `word*` prefix weighs its expansions: a small
//! judged set of our own wording (bullets about the eurozone among
//! Eurotunnel, EuroDisney, the euro and Europe; biotech among biology and
//! biographies; sunflowers among Sundays; vaccines among a Vaccaro), each
//! query ranked by each rule tried, with nDCG@5 over the bullets judged
//! relevant. `cargo test --lib prefix_evaluation -- --nocapture` prints the
//! table; the README's query-language section gives it.

use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::{Searcher, TantivyDocument, Term};

use super::{Compiler, any_of, term_query};
use crate::brief::DocKind;
use crate::index::{BriefIndex, stored_text};
use crate::query::Weights;
use crate::query::expand::{MAX_EXPANSIONS, prefix_terms};
use crate::query::flat::boost_by;
use crate::query::parse::parse_query;
use crate::text::{analyse, news_analyzer};

/// One brief per bullet (`b<N>.txt#s1`), so that only the bullets' own
/// text is ranked. Relevant bullets are marked with a leading `*`.
const BULLETS: &[&str] = &[
    // euro* zone
    "*Eurozone inflation eased to 2.1% in November.",
    "*Eurozone bond yields edged lower after the data.",
    "*Factory output in the eurozone rose for a second month.",
    "*The eurozone economy grew 0.3% in the third quarter.",
    "*Ministers of the euro zone met in Brussels on Monday.",
    "Eurotunnel carried record freight through the tunnel.",
    "EuroDisney raised ticket prices for the holidays.",
    "The euro held steady against the dollar.",
    "The euro slipped after the rate decision.",
    "Europe's carmakers cut output again.",
    "European shares closed higher on Friday.",
    "The city moved to a new time zone in March.",
    // bio* tech
    "*The biotech raised $40m from investors.",
    "*Biotech shares led the index higher.",
    "*A biotech start-up won the innovation prize.",
    "Biology teachers asked for more lab time.",
    "A new biography of the composer sold out.",
    "Tech stocks fell for a third day.",
    "The tech giant hired 300 engineers.",
    // sun* flower
    "*Sunflower oil prices doubled in a year.",
    "*Farmers planted more sunflowers this spring.",
    "Sunday trading hours were extended.",
    "Shops will open on Sunday afternoons.",
    "The Sunday market moved to the square.",
    "Sunshine drew crowds to the beach.",
    "The flower show opened in the park.",
    // vacc*
    "*The vaccine was approved for children.",
    "*Vaccine makers raised output.",
    "*Most adults have been vaccinated.",
    "*A new vaccine trial starts in May.",
    "Coach Vaccaro signed a two-year deal.",
];

/// The queries: a prefix, and the other words typed with it.
const QUERIES: &[(&str, &[&str])] = &[
    ("euro", &["zone"]),
    ("bio", &["tech"]),
    ("sun", &["flower"]),
    ("vacc", &[]),
];

/// The rules tried for weighing a prefix's expansions.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Each expansion scored by BM25 as it is (the rule before).
    Plain,
    /// Each weighted by how much of it the prefix covers.
    Coverage,
    /// Each scored as if as common as the most common of them.
    Blended,
    /// Plain, and each other word also matches the prefix joined to it
    /// (`zone` matches `eurozone`).
    Compound,
    /// Coverage and compounds.
    CoverageCompound,
    /// Blended and compounds.
    BlendedCompound,
}

const RULES: [Rule; 6] = [
    Rule::Plain,
    Rule::Coverage,
    Rule::Blended,
    Rule::Compound,
    Rule::CoverageCompound,
    Rule::BlendedCompound,
];

struct Judged {
    _dir: tempfile::TempDir,
    index: BriefIndex,
    searcher: Searcher,
    text: Field,
    id: Field,
}

fn judged() -> Judged {
    let dir = tempfile::tempdir().unwrap();
    let briefs: Vec<(String, String)> = BULLETS
        .iter()
        .enumerate()
        .map(|(i, bullet)| {
            let text = format!("Brief {i} — Desk\n- {}\n", bullet.trim_start_matches('*'));
            (format!("b{i:02}.txt"), text)
        })
        .collect();
    let index = crate::test_support::index_of_texts(dir.path(), &briefs);
    Judged {
        _dir: dir,
        searcher: index.reader().unwrap().searcher(),
        text: index.fields.text,
        id: index.fields.id,
        index,
    }
}

fn stem(word: &str) -> String {
    analyse(&mut news_analyzer(), word)
        .pop()
        .map(|(_, w)| w)
        .unwrap_or_default()
}

/// The query `prefix* others…` over bullets' own text, by `rule`.
fn query(judged: &Judged, rule: Rule, prefix: &str, others: &[&str]) -> Box<dyn Query> {
    let field = judged.text;
    let words = prefix_terms(&judged.searcher, field, prefix, MAX_EXPANSIONS).unwrap();
    let total = judged.searcher.num_docs() as f32;
    let idf = |df: f32| (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
    let df = |w: &str| {
        judged
            .searcher
            .doc_freq(&Term::from_field_text(field, w))
            .unwrap() as f32
    };
    let common = words.iter().map(|w| df(w)).fold(0.0, f32::max);
    let expansions = words
        .iter()
        .map(|w| {
            let weight = match rule {
                Rule::Plain | Rule::Compound => 1.0,
                Rule::Coverage | Rule::CoverageCompound => {
                    prefix.chars().count() as f32 / w.chars().count() as f32
                }
                Rule::Blended | Rule::BlendedCompound => idf(common) / idf(df(w)),
            };
            boost_by(term_query(field, w), weight)
        })
        .collect();
    let compound = matches!(
        rule,
        Rule::Compound | Rule::CoverageCompound | Rule::BlendedCompound
    );
    let mut clauses: Vec<Box<dyn Query>> = any_of(expansions).into_iter().collect();
    for other in others {
        let mut alternatives = vec![term_query(field, &stem(other))];
        if compound {
            alternatives.push(term_query(field, &stem(&format!("{prefix}{other}"))));
        }
        clauses.extend(any_of(alternatives));
    }
    any_of(clauses).unwrap()
}

/// nDCG@5 of `query`'s ranking, relevant bullets gaining 1.
fn ndcg_at_5(judged: &Judged, query: &dyn Query, prefix: &str, others: &[&str]) -> f64 {
    let relevant: Vec<String> = BULLETS
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            let text = b.to_lowercase();
            b.starts_with('*') && text.contains(prefix) && others.iter().all(|o| text.contains(o))
        })
        .map(|(i, _)| format!("b{i:02}.txt#s1"))
        .collect();
    let top = judged
        .searcher
        .search(query, &TopDocs::with_limit(5).order_by_score())
        .unwrap();
    let gain = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let dcg: f64 = top
        .iter()
        .enumerate()
        .filter(|(_, (_, address))| {
            let doc: TantivyDocument = judged.searcher.doc(*address).unwrap();
            relevant.contains(&stored_text(&doc, judged.id).unwrap())
        })
        .map(|(rank, _)| gain(rank))
        .sum();
    let ideal: f64 = (0..relevant.len().min(5)).map(gain).sum();
    dcg / ideal + 0.0
}

#[test]
fn compounds_of_the_other_words_and_blended_frequencies_rank_best() {
    let judged = judged();
    let mut table = Vec::new();
    for rule in RULES {
        let per_query: Vec<f64> = QUERIES
            .iter()
            .map(|(prefix, others)| {
                let q = query(&judged, rule, prefix, others);
                ndcg_at_5(&judged, &*q, prefix, others)
            })
            .collect();
        let mean = per_query.iter().sum::<f64>() / per_query.len() as f64;
        println!(
            "{:<18} {}  mean {mean:.3}",
            format!("{rule:?}"),
            per_query
                .iter()
                .zip(QUERIES)
                .map(|(v, (p, o))| format!("{p}* {}: {v:.3}", o.join(" ")))
                .collect::<Vec<_>>()
                .join("  ")
        );
        table.push((rule, mean));
    }
    let best = table.iter().map(|(_, m)| *m).fold(0.0, f64::max);
    let chosen = table
        .iter()
        .find(|(r, _)| matches!(r, Rule::BlendedCompound))
        .unwrap()
        .1;
    assert!(
        (chosen - best).abs() < 1e-9,
        "the rule briefs uses is the best measured: {table:?}"
    );
    // And the compiler builds it: the same figures from the query as typed.
    for (prefix, others) in QUERIES {
        let typed = format!("{prefix}* {}", others.join(" "));
        let node = parse_query(&typed, false).unwrap();
        let kinds = [DocKind::Point, DocKind::Summary];
        let compiled = Compiler::new(
            &judged.index.fields,
            &judged.searcher,
            Weights::default(),
            &kinds,
        )
        .compile(&node)
        .unwrap();
        assert_eq!(
            ndcg_at_5(&judged, &*compiled, prefix, others),
            1.0,
            "{typed}"
        );
    }
}
