//! `briefs search --sort`, `--recent`, `--recency-weight`, `--now` and
//! `--explain` (issue 13, item 1): date order with ties by score, a fresh
//! weak match lifted above old strong ones from deep in the BM25 ranking,
//! `--recency-weight 0` changing nothing, the undated rule, bad values
//! refused with the flag named, and explanations whose parts recompose the
//! score, in text and JSON.

use serde_json::Value;

use crate::common::TestEnv;

/// Fixed "today" for every run that ages briefs.
const NOW: &str = "2026-11-28";

/// Harbour briefs of different ages and strengths:
/// `old.txt` (2026-02-01) says harbour three times, `fresh.txt`
/// (2026-11-27) once among many words, `undated.txt` twice, `mid.txt`
/// (2026-11-20) twice, in a point and (once) in a summary.
fn harbour_corpus() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "old.txt",
        "Harbour Fees Rise — Port Desk\nDate: 2026-02-01\n\
         - Harbour fees rise at the harbour, the harbour board said.\n",
    );
    env.write(
        "fresh.txt",
        "Storm Passes Over the Coast — Coast Post\nDate: 2026-11-27\n\
         - Fishing boats left the harbour at dawn once the wind had dropped and the ferries ran again.\n",
    );
    env.write(
        "undated.txt",
        "Harbour Notes — Quay Letter\n- Harbour lights, harbour walls.\n",
    );
    env.write(
        "mid.txt",
        "Harbour Dredging Starts — Port Desk\nDate: 2026-11-20\n\
         ⚓ Dredgers began work in the harbour channel at the harbour mouth.\n\
         - Work at the harbour takes a month.\n",
    );
    env.index();
    env
}

/// `briefs search --json ARGS…` (exit 0), its hits.
fn hits(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["search", "--json"];
    full.extend_from_slice(args);
    let run = env.run(&full);
    run.assert_status(0);
    run.json_lines()
}

fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["id"].as_str().unwrap()).collect()
}

fn f(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

#[test]
fn sort_date_puts_the_newest_first_ties_by_score_undated_last() {
    let env = harbour_corpus();
    let found = hits(&env, &["harbour", "--sort", "date", "--no-dedup"]);
    assert_eq!(
        ids(&found),
        [
            "briefs/fresh.txt#s1",
            // The same day (one brief): by score, the point first.
            "briefs/mid.txt#p1",
            "briefs/mid.txt#s1",
            "briefs/old.txt#s1",
            "briefs/undated.txt#s1",
        ],
        "{found:#?}"
    );
    let mid: Vec<f64> = found[1..3].iter().map(|h| f(&h["score"])).collect();
    assert!(mid[0] > mid[1], "{mid:?}");
    // By score, the old brief's triple mention wins: the order really changed.
    let by_score = hits(&env, &["harbour", "--no-dedup"]);
    assert_ne!(ids(&by_score)[0], "briefs/fresh.txt#s1");
    // The scores are the relevance scores, whatever the order.
    for hit in &found {
        let same = by_score.iter().find(|h| h["id"] == hit["id"]).unwrap();
        assert_eq!(same["score"], hit["score"]);
    }
}

#[test]
fn sort_date_orders_groups_and_trec_ranks() {
    let env = harbour_corpus();
    let run = env.run(&["search", "--json", "--group", "harbour", "--sort", "date"]);
    run.assert_status(0);
    let briefs: Vec<String> = run
        .json_lines()
        .iter()
        .map(|g| g["brief_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        briefs,
        [
            "briefs/fresh.txt",
            "briefs/mid.txt",
            "briefs/old.txt",
            "briefs/undated.txt"
        ]
    );
    let run = env.run(&["search", "--format", "trec", "harbour", "--sort", "date"]);
    run.assert_status(0);
    let trec: Vec<(String, String)> = run
        .stdout_str()
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split(' ').collect();
            (cols[2].to_string(), cols[3].to_string())
        })
        .collect();
    assert_eq!(
        trec[0],
        ("briefs/fresh.txt#s1".to_string(), "1".to_string())
    );
    assert_eq!(trec.last().unwrap().0, "briefs/undated.txt#s1");
    env.write_at("q.tsv", "q1\tharbour\n");
    let run = env.run(&[
        "search", "--batch", "q.tsv", "--format", "trec", "--sort", "date",
    ]);
    run.assert_status(0);
    run.check(
        run.stdout_str().starts_with("q1 Q0 briefs/fresh.txt#s1 1 "),
        "a batch run is sorted by date too",
    );
}

#[test]
fn recent_lifts_a_fresh_weaker_match_above_old_stronger_ones() {
    let env = harbour_corpus();
    let plain = hits(&env, &["harbour"]);
    let fresh_rank = ids(&plain)
        .iter()
        .position(|id| *id == "briefs/fresh.txt#s1")
        .unwrap();
    assert!(fresh_rank > 0, "{plain:#?}");
    let rank = |hits: &[Value], id: &str| ids(hits).iter().position(|i| *i == id).unwrap();
    assert!(rank(&plain, "briefs/old.txt#s1") < rank(&plain, "briefs/fresh.txt#s1"));
    let w = "0.9";
    let recent = hits(
        &env,
        &[
            "harbour",
            "--recent",
            "7d",
            "--recency-weight",
            w,
            "--now",
            NOW,
        ],
    );
    assert!(
        rank(&recent, "briefs/fresh.txt#s1") < rank(&recent, "briefs/old.txt#s1"),
        "{recent:#?}"
    );
    // With a shorter half-life, it comes first.
    let recent = hits(
        &env,
        &[
            "harbour",
            "--recent",
            "2d",
            "--recency-weight",
            w,
            "--now",
            NOW,
        ],
    );
    assert_eq!(ids(&recent)[0], "briefs/fresh.txt#s1", "{recent:#?}");
    // A score is the relevance times the factor: the fresh hit is one day
    // old, so 1 − 0.9 + 0.9 × 2^(−1/2).
    let fresh = plain
        .iter()
        .find(|h| h["id"] == "briefs/fresh.txt#s1")
        .unwrap();
    let expected = f(&fresh["score"]) * (0.1 + 0.9 * 2f64.powf(-1.0 / 2.0));
    assert!((f(&recent[0]["score"]) - expected).abs() < 1e-4);
}

#[test]
fn a_fresh_bullet_deep_in_the_bm25_ranking_reaches_rank_one() {
    let env = TestEnv::new();
    for i in 0..60 {
        env.write(
            &format!("old{i:02}.txt"),
            format!(
                "Lighthouse Report {i} — Keeper's Log\nDate: 2025-12-{:02}\n\
                 - The lighthouse keeper painted the lighthouse, lighthouse number {i}.\n",
                i % 28 + 1
            ),
        );
    }
    env.write(
        "new.txt",
        "Coast Walk Reopens — Coast Post\nDate: 2026-11-28\n\
         - Walkers can again follow the cliff path from the harbour past the old lighthouse to the bay and back.\n",
    );
    env.index();
    let plain = hits(&env, &["lighthouse", "-n", "100"]);
    let rank = ids(&plain).iter().position(|id| *id == "briefs/new.txt#s1");
    assert_eq!(rank, Some(60), "last of 61 by BM25: {:?}", ids(&plain));
    let recent = hits(
        &env,
        &[
            "lighthouse",
            "-n",
            "1",
            "--recent",
            "2w",
            "--recency-weight",
            "1",
            "--now",
            NOW,
        ],
    );
    assert_eq!(ids(&recent), ["briefs/new.txt#s1"]);
}

#[test]
fn recency_weight_zero_changes_nothing_byte_for_byte() {
    let env = harbour_corpus();
    for extra in [&[][..], &["--json"], &["--group"], &["--format", "trec"]] {
        let mut plain = vec!["search", "harbour", "OR", "boats~1", "OR", "work*"];
        plain.extend_from_slice(extra);
        let mut neutral = plain.clone();
        neutral.extend_from_slice(&["--recent", "7d", "--recency-weight", "0", "--now", NOW]);
        let (a, b) = (env.run(&plain), env.run(&neutral));
        a.assert_status(0);
        b.assert_status(0);
        assert_eq!(a.stdout_str(), b.stdout_str(), "{extra:?}");
    }
}

#[test]
fn undated_briefs_get_the_factor_of_the_oldest_age() {
    let env = TestEnv::new();
    let text = "- Harbour lights, harbour walls.\n";
    env.write(
        "dated.txt",
        format!("Harbour Notes — Quay Letter\nDate: 2026-10-29\n{text}"),
    );
    env.write(
        "undated.txt",
        format!("Harbour Notes — Quay Letter\n{text}"),
    );
    env.index();
    let found = hits(
        &env,
        &[
            "harbour",
            "--no-dedup",
            "--recent",
            "7d",
            "--now",
            NOW,
            "--explain",
        ],
    );
    // A month old, the dated one still ranks above the undated.
    assert_eq!(
        ids(&found),
        ["briefs/dated.txt#s1", "briefs/undated.txt#s1"]
    );
    let undated = &found[1]["explain"]["recency"];
    assert_eq!(undated["age_days"], Value::Null);
    assert_eq!(f(&undated["factor"]), 0.5);
    let relevance = f(&found[1]["explain"]["relevance"]);
    assert!((f(&found[1]["score"]) - relevance * 0.5).abs() < 1e-4);
    let dated = &found[0]["explain"]["recency"];
    assert!(f(&dated["factor"]) > 0.5);
    assert_eq!(dated["now"], NOW);
}

#[test]
fn bad_values_exit_2_naming_the_flag() {
    let env = harbour_corpus();
    let cases: [(&[&str], &str); 11] = [
        (&["--recent", "0d"], "--recent 0d"),
        (&["--recent", "-3d"], "--recent -3d"),
        (&["--recent", "7x"], "--recent 7x"),
        (&["--recent", "7"], "--recent 7"),
        (&["--recent", "fortnight"], "--recent fortnight"),
        (
            &["--recent", "7d", "--recency-weight", "1.5"],
            "--recency-weight 1.5",
        ),
        (
            &["--recent", "7d", "--recency-weight", "-0.2"],
            "--recency-weight -0.2",
        ),
        (
            &["--recent", "7d", "--recency-weight", "lots"],
            "--recency-weight",
        ),
        (&["--recent", "7d", "--now", "someday"], "--now someday"),
        (&["--sort", "newest"], "--sort"),
        (&["--explain", "--format", "trec"], "--explain"),
    ];
    for (args, named) in cases {
        let mut full = vec!["search", "harbour"];
        full.extend_from_slice(args);
        let run = env.run(&full);
        run.assert_status(2);
        run.check(run.output.stdout.is_empty(), "nothing on stdout");
        run.check(run.stderr_str().contains(named), named);
    }
    // Flags that only mean something with --recent need it.
    for args in [&["--recency-weight", "0.3"][..], &["--now", NOW]] {
        let mut full = vec!["search", "harbour"];
        full.extend_from_slice(args);
        let run = env.run(&full);
        run.assert_status(2);
        run.check(run.stderr_str().contains("--recent"), "names --recent");
    }
    // Another engine cannot honour them (refused before any connection).
    let run = env.run(&[
        "search",
        "harbour",
        "--engine",
        "typesense",
        "--node",
        "http://127.0.0.1:9",
        "--api-key",
        "k",
        "--recent",
        "7d",
    ]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("--recent"), "names --recent");
}

#[test]
fn now_makes_a_run_repeat_and_moves_the_ages() {
    let env = harbour_corpus();
    let args = [
        "search",
        "harbour",
        "--recent",
        "36h",
        "--now",
        NOW,
        "--explain",
    ];
    let (a, b) = (env.run(&args), env.run(&args));
    a.assert_status(0);
    assert_eq!(a.stdout_str(), b.stdout_str());
    let later = hits(&env, &["harbour", "--recent", "36h", "--now", "2026-12-28"]);
    let now = hits(&env, &["harbour", "--recent", "36h", "--now", NOW]);
    let score =
        |hits: &[Value], id: &str| f(&hits.iter().find(|h| h["id"] == id).unwrap()["score"]);
    assert!(score(&later, "briefs/fresh.txt#s1") < score(&now, "briefs/fresh.txt#s1"));
    // `--now` before a brief's date: its age counts as 0, the factor as 1.
    let before = hits(
        &env,
        &[
            "harbour",
            "--recent",
            "36h",
            "--now",
            "2026-01-01",
            "--explain",
        ],
    );
    let fresh = before
        .iter()
        .find(|h| h["id"] == "briefs/fresh.txt#s1")
        .unwrap();
    assert_eq!(fresh["explain"]["recency"]["age_days"], 0);
    assert_eq!(f(&fresh["explain"]["recency"]["factor"]), 1.0);
}

/// The queries the explanations are checked on: words, a phrase, fuzzy
/// and prefix expansions, boosts, scopes, articles (BM25F), everything.
const EXPLAINED: [&[&str]; 8] = [
    &["harbour"],
    &["harbour fees"],
    &["\"harbour fees\" dredgers^2"],
    &["harbur~1 work*"],
    &["headline:harbour boats"],
    &["--kind", "article", "harbour channel"],
    &["--kind", "all", "harbour^3 OR storm"],
    &[
        "harbour",
        "--recent",
        "7d",
        "--now",
        NOW,
        "--recency-weight",
        "0.8",
    ],
];

#[test]
fn explain_parts_recompose_the_score_in_json() {
    let env = harbour_corpus();
    for query in EXPLAINED {
        let mut args = query.to_vec();
        args.push("--explain");
        let explained = hits(&env, &args);
        assert!(!explained.is_empty(), "{query:?}");
        // --explain does not change the ranking or the scores.
        let plain = hits(&env, query);
        assert_eq!(ids(&plain), ids(&explained), "{query:?}");
        for (hit, same) in explained.iter().zip(&plain) {
            assert_eq!(hit["score"], same["score"]);
            let explain = &hit["explain"];
            let parts = explain["parts"].as_array().unwrap();
            assert!(!parts.is_empty(), "{query:?}: {hit}");
            let mut sum = 0.0;
            for part in parts {
                let product =
                    f(&part["bm25"]) * f(&part["weight"]) * f(&part["boost"]) * f(&part["factor"]);
                assert!(
                    (product - f(&part["score"])).abs() < 1e-4,
                    "{query:?}: {part}"
                );
                sum += f(&part["score"]);
            }
            assert!(
                (sum - f(&explain["relevance"])).abs() < 1e-4,
                "{query:?}: {hit}"
            );
            let factor = match &explain["recency"] {
                Value::Null => 1.0,
                recency => f(&recency["factor"]),
            };
            let score = f(&hit["score"]);
            assert!((sum * factor - score).abs() < 1e-4, "{query:?}: {hit}");
            assert_eq!(f(&explain["score"]), score);
        }
    }
    // Fields and weights are the ranking's: a bullet's headline at 0.3.
    let found = hits(&env, &["harbour", "--explain", "--no-dedup"]);
    let parts = found[0]["explain"]["parts"].as_array().unwrap();
    let context = parts.iter().find(|p| p["field"] == "context").unwrap();
    assert!((f(&context["weight"]) - 0.3).abs() < 1e-6, "{context}");
    let fuzzy = hits(&env, &["harbur~1", "--explain"]);
    let part = &fuzzy[0]["explain"]["parts"][0];
    assert_eq!(part["matched"], "fuzzy");
    assert!(f(&part["factor"]) <= 0.3 + 1e-6, "{part}");
    // Without --explain, no key.
    assert!(hits(&env, &["harbour"])[0].get("explain").is_none());
}

/// The numbers of a text explanation line `relevance R = field:term B
/// ×W weight ×X boost ×F fuzzy + …`: R and the parts' products.
fn text_parts(line: &str) -> (f64, Vec<f64>) {
    let rest = line.trim().strip_prefix("relevance ").expect(line);
    let (total, parts) = rest.split_once(" = ").expect(line);
    let products = parts
        .split(" + ")
        .map(|part| {
            // A phrase's words are in quotes.
            let numbers = match part.rfind('"') {
                Some(quote) => &part[quote + 1..],
                None => part.split_once(' ').expect(part).1,
            };
            let words: Vec<&str> = numbers.split_whitespace().collect();
            let mut product: f64 = words[0].parse().expect(part);
            for w in &words[1..] {
                if let Some(x) = w.strip_prefix('×') {
                    product *= x.parse::<f64>().expect(part);
                }
            }
            product
        })
        .collect();
    (total.parse().expect(line), products)
}

#[test]
fn explain_parts_recompose_the_score_in_text() {
    let env = harbour_corpus();
    for query in EXPLAINED {
        let mut args = vec!["search", "--color", "never", "--explain"];
        args.extend_from_slice(query);
        let run = env.run(&args);
        run.assert_status(0);
        let stdout = run.stdout_str();
        let lines: Vec<&str> = stdout.lines().collect();
        let mut checked = 0;
        for (i, line) in lines.iter().enumerate() {
            let Some(rank) = line.split(". ").next() else {
                continue;
            };
            if rank.trim().parse::<usize>().is_err() || line.starts_with("     ") {
                continue;
            }
            // ` 1. point    4.551  text…`: the score is the third column.
            let score: f64 = line.split_whitespace().nth(2).unwrap().parse().unwrap();
            let explain = lines[i + 1..]
                .iter()
                .find(|l| l.trim_start().starts_with("relevance "))
                .expect("an explanation under each hit");
            let (relevance, products) = text_parts(explain);
            let sum: f64 = products.iter().sum();
            // Each part is printed to three decimals.
            let slack = 0.0006 * products.len() as f64 * 4.0 + 0.0006;
            assert!((sum - relevance).abs() < slack, "{query:?}: {explain}");
            let shown = match lines[i + 1..]
                .iter()
                .take_while(|l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
                .find(|l| l.trim_start().starts_with("score "))
            {
                Some(recency) => {
                    let words: Vec<&str> = recency.split_whitespace().collect();
                    // `score S = relevance R × recency F (…)`
                    assert_eq!(words[3], "relevance");
                    let factor: f64 = words[7].parse().unwrap();
                    assert!((relevance * factor - words[1].parse::<f64>().unwrap()).abs() < 0.002);
                    words[1].parse::<f64>().unwrap()
                }
                None => relevance,
            };
            assert!(
                (shown - score).abs() < 0.0011,
                "{query:?}: {line} / {explain}"
            );
            checked += 1;
        }
        run.check(checked > 0, "hits were checked");
    }
}

#[test]
fn explain_text_is_dimmed_only_with_colour_on() {
    let env = harbour_corpus();
    let run = env.run(&["search", "--color", "never", "--explain", "harbour"]);
    run.check(!run.stdout_str().contains('\x1b'), "no escape sequences");
    let run = env.run(&["search", "--color", "always", "--explain", "harbour"]);
    let stdout = run.stdout_str();
    let line = stdout.lines().find(|l| l.contains("relevance ")).unwrap();
    run.check(line.contains("\x1b["), "the explanation is dimmed");
}
