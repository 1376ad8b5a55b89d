//! The query-side ranking faults of issue 13 (item 3), end to end on briefs
//! of our own wording: a query pasted in capitals (`AND` a word, `THE` a
//! stop word), clauses of stop words only (dropped, never required; a query
//! of nothing is an error), prefixes that prefer compounds of the other
//! query words (`euro* zone` → `eurozone`), hyphenated words with digits
//! kept whole as well as in parts (`GPT-4` is not the `4` of `4-6`) and short acronyms in
//! capitals that are not stop words (`IT spending`).

use super::hit_ids;
use crate::common::TestEnv;

/// The briefs every test here searches, one a file.
const BRIEFS: &[(&str, &str)] = &[
    (
        "lowlands.txt",
        "Government Crisis Deepens Over the Walloons and the Flemings — Lowland Courier\n\
         🏛️ Coalition talks between the Walloons and the Flemings broke down on Tuesday.\n\
         - The government crisis over the Walloons and the Flemings enters a third week.\n",
    ),
    (
        "savings.txt",
        "Harbour Bank Lifts Savings Rate — Coast Post\n\
         🏦 The bank raised its easy-access savings rate to 3%.\n\
         - Investors welcomed the bank's move on deposits.\n\
         - Rival lenders are expected to follow.\n",
    ),
    (
        "tennis.txt",
        "Qualifier Stuns Top Seed in Three Sets — Court Report\n\
         🎾 The qualifier won 4-6, 6-3, 7-5 on the clay court.\n\
         - The top seed had not dropped a set all week.\n",
    ),
    (
        "models.txt",
        "Lab Opens Its Newest Language Model to Businesses — Tech Ledger\n\
         🤖 GPT-4 launched for paying business customers in March.\n\
         🛰️ The F-35 order was cut by 4 jets.\n\
         - Free Wi-Fi now reaches every carriage of the night train.\n\
         - The older trains offer WiFi in first class only.\n",
    ),
    (
        "wards.txt",
        "Hospital Wards Reopen as Winter Wave Eases — Health Desk\n\
         🦠 COVID-19 admissions fell for a third week.\n\
         - 19 wards reopened to visitors on Monday.\n\
         - 4G coverage inside the main building was improved.\n",
    ),
    (
        "budgets.txt",
        "Firms Lift Technology Budgets — Ledger Weekly\n\
         💻 IT spending rose 8% this year at midsize firms.\n\
         - It was the third rise in a row.\n",
    ),
    (
        "shoppers.txt",
        "Spend Spend Spend — Shopper Weekly\n\
         🛍️ It is the season to spend, and shoppers spent it all.\n",
    ),
    (
        "euro.txt",
        "Currency Markets Steady — Coin Desk\n\
         💶 Eurozone inflation eased to 2.1% in November.\n\
         - Eurozone bond yields edged lower.\n\
         - Eurotunnel carried record freight through the tunnel.\n\
         - EuroDisney raised ticket prices for the holidays.\n\
         - The euro held steady against the dollar.\n",
    ),
];

fn env() -> TestEnv {
    let env = TestEnv::new();
    for (name, text) in BRIEFS {
        env.write(name, text);
    }
    env.run(&["index", "briefs"]).assert_status(0);
    env
}

// ---------------------------------------------------------------------------
// 1. Capitals, and clauses of stop words only

#[test]
fn a_headline_pasted_in_capitals_finds_its_brief() {
    let env = env();
    let ids = hit_ids(
        &env,
        &["GOVERNMENT CRISIS OVER THE WALLOONS AND THE FLEMINGS"],
    );
    assert_eq!(ids[0], "briefs/lowlands.txt#s1", "{ids:?}");
    // `NOT` is a word there too: nothing is excluded.
    let ids = hit_ids(&env, &["WALLOONS NOT FLEMINGS"]);
    assert_eq!(ids.len(), 2, "{ids:?}");
}

#[test]
fn operators_still_work_outside_capitals_only_queries() {
    let env = env();
    // Mixed case: `NOT` excludes.
    env.run(&["search", "walloons NOT flemings"])
        .assert_status(1);
    // Capitals with a sign of the query language: `NOT` excludes.
    env.run(&["search", "(WALLOONS) NOT FLEMINGS"])
        .assert_status(1);
}

#[test]
fn a_required_stop_word_requires_nothing() {
    let env = env();
    for query in [
        "bank AND the",
        "bank AND \"of the\"",
        "+bank +the",
        "BANK AND THE RATE",
        // `THE` in capitals in a mixed-case query: an acronym no brief
        // writes so, so the stop word it looks like.
        "bank AND THE",
    ] {
        let ids = hit_ids(&env, &[query]);
        assert!(
            ids.contains(&"briefs/savings.txt#p1".to_string()),
            "{query}: {ids:?}"
        );
    }
    // `--all`: every word required, and `the` is no word.
    assert_eq!(
        hit_ids(&env, &["--all", "investors", "the"]),
        hit_ids(&env, &["--all", "investors"])
    );
    // A NOT of nothing excludes nothing.
    assert_eq!(
        hit_ids(&env, &["investors NOT the"]),
        hit_ids(&env, &["investors"])
    );
    // An acronym that briefs do write in capitals stays a word.
    assert_eq!(
        hit_ids(&env, &["spending AND IT"]),
        ["briefs/budgets.txt#p1"]
    );
}

#[test]
fn a_query_of_stop_words_only_is_an_error_naming_it() {
    let env = env();
    for query in ["the", "of the", "\"of the\"", "OF THE", "THE AND OF"] {
        let run = env.run(&["search", query]);
        run.assert_status(2);
        let stderr = run.stderr_str();
        run.check(
            stderr.lines().count() == 1
                && stderr.starts_with(&format!(
                    "briefs: query: `{query}` has no word to search for"
                )),
            "one line naming the query",
        );
        run.check(run.output.stdout.is_empty(), "nothing on stdout");
    }
}

// ---------------------------------------------------------------------------
// 2. Prefixes prefer compounds of the other words

#[test]
fn a_prefix_prefers_compounds_of_the_other_query_words() {
    let env = env();
    let ids = hit_ids(&env, &["euro* zone"]);
    let mut first = ids[..2].to_vec();
    first.sort();
    assert_eq!(
        first,
        ["briefs/euro.txt#p1", "briefs/euro.txt#s1"],
        "the eurozone bullets first: {ids:?}"
    );
}

// ---------------------------------------------------------------------------
// 3. Hyphenated words whole as well as in parts

#[test]
fn a_hyphenated_word_is_not_its_number() {
    let env = env();
    let ids = hit_ids(&env, &["GPT-4"]);
    assert_eq!(ids, ["briefs/models.txt#p1"], "not the 4-6 of a score");
    let ids = hit_ids(&env, &["COVID-19"]);
    assert_eq!(ids, ["briefs/wards.txt#p1"], "not the 19 wards");
    let ids = hit_ids(&env, &["F-35"]);
    assert_eq!(ids, ["briefs/models.txt#p2"], "{ids:?}");
    // Joined, so found written either way.
    assert_eq!(hit_ids(&env, &["gpt4"]), ["briefs/models.txt#p1"]);
    assert_eq!(hit_ids(&env, &["covid19"]), ["briefs/wards.txt#p1"]);
    // Words of letters only are not joined (measured: it cost ranking):
    // `Wi-Fi` is its parts, and `WiFi` another word.
    assert_eq!(hit_ids(&env, &["Wi-Fi"]), ["briefs/models.txt#s1"]);
    assert_eq!(hit_ids(&env, &["wifi"]), ["briefs/models.txt#s2"]);
    assert_eq!(hit_ids(&env, &["4G"]), ["briefs/wards.txt#s2"]);
    // The parts are still words, and a phrase of them still matches.
    assert_eq!(hit_ids(&env, &["gpt"]), ["briefs/models.txt#p1"]);
    assert_eq!(
        hit_ids(&env, &["\"gpt 4 launched\""]),
        ["briefs/models.txt#p1"]
    );
    assert_eq!(
        hit_ids(&env, &["\"GPT-4 launched\""]),
        ["briefs/models.txt#p1"]
    );
}

#[test]
fn an_index_from_before_joined_words_asks_for_a_rebuild() {
    let env = env();
    let stats = env.stats();
    assert_eq!(stats["schema_version"], 9, "{stats}");
}

// ---------------------------------------------------------------------------
// 4. Acronyms in capitals are not stop words

#[test]
fn an_acronym_in_capitals_is_a_word() {
    let env = env();
    let ids = hit_ids(&env, &["IT spending"]);
    assert_eq!(ids[0], "briefs/budgets.txt#p1", "{ids:?}");
    // `IT` alone is the acronym, never the pronoun.
    assert_eq!(hit_ids(&env, &["IT"]), ["briefs/budgets.txt#p1"]);
    // The pronoun is still a stop word.
    env.run(&["search", "it"]).assert_status(2);
    // In a text all in capitals `IT` is a stop word, as `THE` is.
    assert_eq!(
        hit_ids(&env, &["IT SPENDING"]),
        hit_ids(&env, &["spending"])
    );
}
