//! `briefs search`, `show` and `related`: exit codes, malformed queries,
//! no index, the keys of `--json`, the headline as context in ranking,
//! `--kind`, mojibake remnants that must not be searchable, and
//! `show`/`related` answering from the index alone.

use serde_json::Value;

use super::{hit_ids, strike_and_ferry, write_small_corpus};
use crate::common::TestEnv;

// ---------------------------------------------------------------------------
// 9–10: search exit codes and JSON

#[test]
fn search_exits_0_with_hits_and_1_without() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let run = env.run(&["search", "--color", "never", "footbridge"]);
    run.assert_status(0).assert_quiet_stderr();
    run.check(
        run.stdout_str().starts_with(" 1. point "),
        "a hit is printed",
    );
    let run = env.run(&["search", "zeppelin"]);
    run.assert_status(1).assert_quiet_stderr();
    run.check(run.output.stdout.is_empty(), "no hits, no output");
}

#[test]
fn malformed_query_exits_2_with_a_one_line_message() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    for query in ["title:(", "tram AND (", "nosuchfield:tram"] {
        let run = env.run(&["search", query]);
        run.assert_status(2);
        run.check(run.output.stdout.is_empty(), "nothing on stdout");
        let stderr = run.stderr_str();
        run.check(
            stderr.lines().count() == 1 && stderr.starts_with("briefs: query: "),
            "one line, `briefs: query: …`",
        );
    }
}

#[test]
fn search_without_an_index_exits_2_and_says_how_to_build_one() {
    let env = TestEnv::new();
    let nothing = env.root().join("nothing");
    let nothing_arg = nothing.to_string_lossy().into_owned();
    let run = env.run_without_index(&["--index", &nothing_arg, "search", "tram"]);
    run.assert_status(2);
    let stderr = run.stderr_str();
    run.check(
        stderr.lines().count() == 1
            && stderr.starts_with("briefs: no index at ")
            && stderr.contains(&nothing.display().to_string())
            && stderr.contains("briefs index"),
        "a one-line message naming the folder and `briefs index`",
    );
    assert!(!nothing.exists(), "searching must not create an index");
}

const HIT_KEYS: [&str; 15] = [
    "rank",
    "id",
    "brief_id",
    "kind",
    "position",
    "score",
    "text",
    "highlights",
    "marker",
    "emoji",
    "headline",
    "source",
    "date",
    "path",
    "line",
];

#[test]
fn search_json_lines_have_every_key() {
    let env = TestEnv::new();
    env.copy_fixtures();
    env.index();
    // `s*`: a prefix common enough to match most documents.
    let run = env.run(&["search", "--json", "--kind", "all", "-n", "100", "s*"]);
    run.assert_status(0);
    let hits = run.json_lines();
    assert!(hits.len() > 10, "{run}");
    for (i, hit) in hits.iter().enumerate() {
        let object = hit.as_object().expect("a hit is an object");
        for key in HIT_KEYS {
            assert!(object.contains_key(key), "hit {i} has no `{key}`: {hit}");
        }
        assert_eq!(hit["rank"].as_u64(), Some(i as u64 + 1), "{hit}");
        assert!(
            ["point", "summary", "article"].contains(&hit["kind"].as_str().unwrap_or("")),
            "{hit}"
        );
        assert!(hit["score"].as_f64().is_some_and(|s| s > 0.0), "{hit}");
        assert!(
            hit["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("briefs/"))
        );
        assert!(hit["line"].as_u64().is_some_and(|l| l >= 1), "{hit}");
        // Highlights are byte ranges of `text` on character boundaries.
        let text = hit["text"].as_str().unwrap();
        for range in hit["highlights"].as_array().unwrap() {
            let start = range[0].as_u64().unwrap() as usize;
            let end = range[1].as_u64().unwrap() as usize;
            let word = text.get(start..end);
            assert!(
                word.is_some_and(|w| w.to_lowercase().starts_with('s')),
                "highlight {start}..{end} of {text:?}"
            );
        }
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

// ---------------------------------------------------------------------------
// 13: ranking with the headline as context, and --kind

fn write_harlow_corpus(env: &TestEnv) {
    env.write(
        "harlow.txt",
        "Harlow Mills Shares Tumble — Valley Ledger\n\
         📉 The stock lost nine percent before lunch.\n\
         - Investors sold after the profit warning.\n\
         - The board promised a cost review.\n",
    );
    env.write(
        "storm.txt",
        "Coastal Storm Nears — Shore Daily\n\
         🌊 Forecasters issued a flood warning.\n\
         - Ferries stayed in port overnight.\n",
    );
    env.write(
        "orchard.txt",
        "Orchard Harvest Starts Early\n- Pickers began work a week ahead of plan.\n",
    );
}

#[test]
fn headline_context_ranks_a_bullet_first() {
    let env = TestEnv::new();
    write_harlow_corpus(&env);
    env.index();
    // On its own text the Harlow summary loses to the storm point…
    let by_text = hit_ids(&env, &["warning"]);
    assert_eq!(by_text[0], "briefs/storm.txt#p1", "{by_text:?}");
    // …but its brief's headline matches `harlow`, which puts it first.
    let run = env.run(&["search", "--json", "harlow", "warning"]);
    run.assert_status(0);
    let hits = run.json_lines();
    assert_eq!(hits[0]["id"], "briefs/harlow.txt#s1", "{run}");
    assert_eq!(hits[0]["kind"], "summary", "{run}");
    assert_eq!(hits[0]["headline"], "Harlow Mills Shares Tumble", "{run}");
    assert_eq!(
        hits[0]["highlights"],
        serde_json::json!([[32, 39]]),
        "{run}"
    );
    // Bullets matched only through the headline still come back, last, as
    // one hit with the brief's other such bullets folded into it.
    let last = hits.last().expect("hits");
    assert_eq!(last["id"], "briefs/harlow.txt#p1", "{run}");
    assert_eq!(last["context_only"], true, "{run}");
    assert_eq!(
        last["context_folded"],
        serde_json::json!(["briefs/harlow.txt#s2"]),
        "{run}"
    );
}

#[test]
fn kind_filters_return_only_that_kind() {
    let env = TestEnv::new();
    write_harlow_corpus(&env);
    env.index();
    for (kind, allowed, first) in [
        ("point", &["point"][..], "briefs/storm.txt#p1"),
        ("summary", &["summary"][..], "briefs/harlow.txt#s1"),
        ("article", &["article"][..], "briefs/harlow.txt"),
        ("bullet", &["point", "summary"][..], "briefs/harlow.txt#s1"),
        (
            "all",
            &["point", "summary", "article"][..],
            "briefs/harlow.txt",
        ),
    ] {
        let run = env.run(&["search", "--json", "--kind", kind, "harlow", "warning"]);
        run.assert_status(0);
        let hits = run.json_lines();
        assert_eq!(hits[0]["id"], first, "--kind {kind}\n{run}");
        let kinds: Vec<&str> = hits.iter().filter_map(|h| h["kind"].as_str()).collect();
        for k in &kinds {
            assert!(allowed.contains(k), "--kind {kind} returned a {k}\n{run}");
        }
        for k in allowed {
            assert!(kinds.contains(k), "--kind {kind} returned no {k}\n{run}");
        }
    }
}

#[test]
fn bullet_matching_every_word_outranks_a_short_bullet_matching_one() {
    let env = TestEnv::new();
    write_harlow_corpus(&env);
    env.write(
        "gale.txt",
        "Gale Expected Tonight — Shore Daily\n- Storm warning tonight.\n",
    );
    env.index();
    let ids = hit_ids(&env, &["harlow", "warning"]);
    assert_eq!(ids[0], "briefs/harlow.txt#s1", "{ids:?}");
}

// ---------------------------------------------------------------------------
// Mojibake remnants are markers, never words

#[test]
fn marker_remnants_are_not_searchable() {
    let env = TestEnv::new();
    env.copy_fixtures();
    env.index();
    for remnant in ["π", "οΈ", "β", "πΎ", "ðŸ“‰"] {
        env.run(&["search", "--kind", "all", remnant])
            .assert_status(1);
    }
    // The damaged dash split the headline: the source is its own field.
    let run = env.run(&["search", "--json", "spillway"]);
    run.assert_status(0);
    let hits = run.json_lines();
    assert_eq!(hits[0]["headline"], "Copperfield Dam Vote Delayed", "{run}");
    assert_eq!(hits[0]["source"], "The Upland Courier", "{run}");
    assert_eq!(hits[0]["marker"], "β οΈ", "{run}");
    assert_eq!(hits[0]["emoji"], Value::Null, "{run}");
}

#[test]
fn show_and_related_read_the_index() {
    let env = strike_and_ferry();
    env.remove("strike.txt");

    let show = env.run(&["show", "--color", "never", "briefs/strike.txt#s2"]);
    show.assert_status(0);
    let text = show.stdout_str();
    assert!(
        text.contains("▶ - The port expects the backlog to clear within a week."),
        "{text}"
    );
    let json = env.run(&["show", "--json", "briefs/strike.txt"]);
    assert_eq!(
        json.json_lines()[0]["points"].as_array().map(Vec::len),
        Some(2)
    );
    env.run(&["show", "briefs/nothing.txt"]).assert_status(2);

    let related = env.run(&["related", "--json", "briefs/strike.txt#s1"]);
    related.assert_status(0);
    let hits = related.json_lines();
    assert_eq!(hits[0]["id"], "briefs/other.txt#s1", "{hits:?}");
    assert!(hits.iter().all(|h| h["brief_id"] != "briefs/strike.txt"));
}

#[test]
fn threads_change_no_hit_and_a_bad_count_exits_2() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let query = [
        "search",
        "--json",
        "--no-dedup",
        "-n",
        "50",
        "\"tram line\" OR canal*",
    ];
    let default = env.run(&query);
    default.assert_status(0);
    for threads in ["1", "2", "8"] {
        let run = env.run(&[&query[..], &["--threads", threads]].concat());
        run.assert_status(0);
        run.check(
            run.output.stdout == default.output.stdout,
            &format!("--threads {threads} prints the default's hits"),
        );
    }
    let run = env.run(&["search", "-j", "many", "strike"]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("--threads"), "the flag is named");
}
