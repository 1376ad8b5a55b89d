//! `briefs stories` and `search --group-stories`: the judged set's B-cubed
//! figures through the binary (printed; a floor asserted), the text and
//! JSON output, `--min-sources`, `--window`, `--since`/`--until`, ranking
//! by a query, the exit statuses, and search hits folded into stories.
//!
//! ```console
//! $ cargo test --test main cli::stories -- --nocapture   # prints P, R, F1
//! ```

use std::collections::HashMap;

use serde_json::Value;

use crate::common::{TestEnv, fixtures_dir};

/// The F1 `briefs stories` measured on the judged set (the README's stories
/// section); the test fails below this − 0.05.
const MEASURED_F1: f64 = 0.952;

/// B-cubed precision, recall and F1 of `found` (item → cluster) against
/// `gold` (item → event).
fn b_cubed(found: &[usize], gold: &[&str]) -> (f64, f64, f64) {
    let n = gold.len();
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let same_found = (0..n).filter(|&j| found[j] == found[i]).count() as f64;
        let same_gold = (0..n).filter(|&j| gold[j] == gold[i]).count() as f64;
        let both = (0..n)
            .filter(|&j| found[j] == found[i] && gold[j] == gold[i])
            .count() as f64;
        p += both / same_found;
        r += both / same_gold;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (p, r, 2.0 * p * r / (p + r))
}

#[test]
fn the_judged_set_scores_as_measured() {
    let set = fixtures_dir().join("stories");
    let judgments = std::fs::read_to_string(set.join("judgments.tsv")).unwrap();
    let gold: Vec<(&str, &str)> = judgments
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once('\t').expect("file TAB event"))
        .collect();
    let env = TestEnv::new();
    for (name, _) in &gold {
        env.write(name, std::fs::read(set.join(name)).unwrap());
    }
    env.index();
    let run = env.run(&["stories", "--json", "--min-sources", "1", "-n", "1000"]);
    run.assert_status(0);
    let mut story_of: HashMap<String, usize> = HashMap::new();
    for (s, story) in run.json_lines().iter().enumerate() {
        for brief in story["briefs"].as_array().unwrap() {
            let path = brief["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            assert!(story_of.insert(name, s).is_none(), "{path} is in one story");
        }
    }
    let found: Vec<usize> = gold
        .iter()
        .enumerate()
        .map(|(i, (name, _))| story_of.get(*name).copied().unwrap_or(10_000 + i))
        .collect();
    let events: Vec<&str> = gold.iter().map(|(_, e)| *e).collect();
    let (p, r, f) = b_cubed(&found, &events);
    println!(
        "briefs stories on the judged set ({} briefs): B-cubed precision {p:.3}, recall {r:.3}, F1 {f:.3}",
        gold.len()
    );
    assert!(f >= MEASURED_F1 - 0.05, "F1 {f:.3}\n{run}");
}

/// Three briefs: two sources telling one dock strike, and a bakery story.
fn strike_env() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Calloway Dockers Walk Out — Harbor Ledger\n\
         Date: 2026-03-09\n\
         ⚓ About 1,400 dockworkers at Calloway Harbour began a strike over automated cranes.\n\
         🚢 Twenty-two ships waited at anchor.\n\
         - Calloway port workers are on strike.\n",
    );
    env.write(
        "b.md",
        "# Calloway Stoppage Enters Second Day\n\
         Source: Tidewater Gazette\n\
         Date: 2026-03-10\n\n\
         ⚓ Some 1,400 dockers at Calloway Harbour stayed off the job in the crane dispute.\n\
         🥖 A bakery opened on the quay.\n",
    );
    env.write(
        "c.txt",
        "Dunmore Bakery Wins Bread Award — Town Crier\n\
         Date: 2026-03-10\n\
         🥖 The Dunmore sourdough loaf took the top prize.\n",
    );
    env.index();
    env
}

#[test]
fn a_story_shows_its_label_sources_days_briefs_and_bullets() {
    let env = strike_env();
    let run = env.run(&["stories"]);
    run.assert_status(0).assert_quiet_stderr();
    assert_eq!(
        run.stdout_str(),
        " 1. Some 1,400 dockers at Calloway Harbour stayed off the job in the crane dispute.\n    \
         2 sources, 2 briefs, 2026-03-09 to 2026-03-10: Harbor Ledger, Tidewater Gazette\n    \
         Calloway Dockers Walk Out — Harbor Ledger · 2026-03-09\n      \
         ⚓ About 1,400 dockworkers at Calloway Harbour began a strike over automated cranes.\n        \
         briefs/a.txt:3\n    \
         Calloway Stoppage Enters Second Day — Tidewater Gazette · 2026-03-10\n      \
         ⚓ Some 1,400 dockers at Calloway Harbour stayed off the job in the crane dispute.\n        \
         briefs/b.md:5\n",
        "{run}"
    );
}

#[test]
fn json_stories_have_the_documented_keys() {
    let env = strike_env();
    let run = env.run(&["stories", "--json"]);
    run.assert_status(0);
    let stories = run.json_lines();
    assert_eq!(stories.len(), 1, "{run}");
    let story = &stories[0];
    for key in [
        "rank",
        "score",
        "label",
        "label_id",
        "label_kind",
        "sources",
        "first_seen",
        "last_seen",
        "brief_count",
        "briefs",
        "bullets",
    ] {
        assert!(story.get(key).is_some(), "key {key} in {story}");
    }
    assert_eq!(story["score"], Value::Null, "no query, no score");
    assert_eq!(story["brief_count"], 2);
    assert_eq!(story["first_seen"], "2026-03-09");
    assert_eq!(story["last_seen"], "2026-03-10");
    let bullet = &story["bullets"][0];
    for key in [
        "id", "brief_id", "kind", "marker", "emoji", "text", "source", "date", "path", "line",
    ] {
        assert!(bullet.get(key).is_some(), "key {key} in {bullet}");
    }
    assert_eq!(bullet["path"], "briefs/a.txt");
}

#[test]
fn one_source_is_not_a_story_unless_min_sources_is_1() {
    let env = TestEnv::new();
    for (name, day) in [("a.txt", "2026-03-09"), ("b.txt", "2026-03-10")] {
        env.write(
            name,
            format!(
                "Saltline Cranes Idle at Calloway — Harbor Ledger\nDate: {day}\n\
                 ⚓ About 1,400 dockworkers at Calloway Harbour began a strike over automated cranes.\n"
            ),
        );
    }
    env.index();
    let none = env.run(&["stories"]);
    none.assert_status(1);
    assert_eq!(none.stdout_str(), "", "{none}");
    let run = env.run(&["stories", "--json", "--min-sources", "1"]);
    run.assert_status(0);
    assert_eq!(
        run.json_lines()[0]["sources"],
        serde_json::json!(["Harbor Ledger"])
    );
}

#[test]
fn the_window_keeps_events_weeks_apart_apart() {
    let env = TestEnv::new();
    for (name, source, day) in [
        ("a.txt", "Harbor Ledger", "2026-03-01"),
        ("b.txt", "Signal Daily", "2026-03-12"),
    ] {
        env.write(
            name,
            format!(
                "Estmark Raises Rates to 3.75% — {source}\nDate: {day}\n\
                 🏦 The National Bank of Estmark raised its policy rate to 3.75%.\n\
                 🗣️ Governor Liis Sarapik said inflation had not peaked.\n"
            ),
        );
    }
    env.index();
    env.run(&["stories"]).assert_status(1);
    env.run(&["stories", "--window", "1w"]).assert_status(1);
    let run = env.run(&["stories", "--json", "--window", "2w"]);
    run.assert_status(0);
    assert_eq!(run.json_lines()[0]["brief_count"], 2, "{run}");
}

#[test]
fn since_and_until_limit_the_briefs_clustered() {
    let env = strike_env();
    env.run(&["stories", "--since", "2026-03-10"])
        .assert_status(1);
    env.run(&["stories", "--until", "2026-03-09"])
        .assert_status(1);
    env.run(&["stories", "--since", "9 Mar 2026", "--until", "2026-03-10"])
        .assert_status(0);
}

/// The strike story and a second one, on a ferry fare cut, told by three
/// sources.
fn two_stories() -> TestEnv {
    let env = strike_env();
    for (name, source) in [
        ("f1.txt", "Coast Post"),
        ("f2.txt", "Harbor Ledger"),
        ("f3.txt", "Signal Daily"),
    ] {
        env.write(
            name,
            format!(
                "Brannock Ferries Cut Winter Fares by 8% — {source}\nDate: 2026-03-11\n\
                 ⛴️ Brannock Ferries will cut winter fares by 8% on the Orsay crossing.\n"
            ),
        );
    }
    env.index();
    env
}

#[test]
fn without_a_query_bigger_stories_come_first_and_a_query_ranks_by_relevance() {
    let env = two_stories();
    let labels = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["stories", "--json"];
        full.extend_from_slice(args);
        let run = env.run(&full);
        run.assert_status(0);
        run.json_lines()
            .iter()
            .map(|s| s["label"].as_str().unwrap().to_string())
            .collect()
    };
    let all = labels(&[]);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all[0].contains("Brannock"), "three sources first: {all:?}");
    let strike = labels(&["dockworkers", "strike"]);
    assert_eq!(
        strike.len(),
        1,
        "only the story the query finds: {strike:?}"
    );
    assert!(strike[0].contains("Calloway"), "{strike:?}");
    let run = env.run(&["stories", "--json", "crane"]);
    assert!(
        run.json_lines()[0]["score"].as_f64().unwrap() > 0.0,
        "{run}"
    );
    env.run(&["stories", "zeppelin"]).assert_status(1);
    let one = labels(&["-n", "1"]);
    assert_eq!(one, all[..1]);
}

#[test]
fn a_window_that_is_not_a_duration_is_an_error() {
    let env = strike_env();
    let run = env.run(&["stories", "--window", "3 parsecs"]);
    run.assert_status(2);
    assert!(
        run.stderr_str()
            .contains("--window 3 parsecs: not a duration"),
        "{run}"
    );
    env.run(&["stories", "--since", "yesterday"])
        .assert_status(2);
}

#[test]
fn search_hits_fold_into_their_stories() {
    let env = two_stories();
    let run = env.run(&[
        "search",
        "--group-stories",
        "--json",
        "calloway",
        "sourdough",
    ]);
    run.assert_status(0);
    let groups = run.json_lines();
    let story_hits: Vec<&Value> = groups.iter().filter(|g| !g["story"].is_null()).collect();
    assert_eq!(story_hits.len(), 1, "{run}");
    let story = story_hits[0];
    assert_eq!(story["story"]["brief_count"], 2);
    let briefs: Vec<&str> = story["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["brief_id"].as_str().unwrap())
        .collect();
    assert!(
        briefs.iter().any(|b| b.ends_with("a.txt")) && briefs.iter().any(|b| b.ends_with("b.md")),
        "both tellings under the story: {run}"
    );
    let lone: Vec<&Value> = groups.iter().filter(|g| g["story"].is_null()).collect();
    assert!(
        lone.iter().any(|g| g["hits"][0]["brief_id"]
            .as_str()
            .unwrap()
            .ends_with("c.txt")),
        "the bakery brief stands alone: {run}"
    );
    let ranks: Vec<u64> = groups.iter().map(|g| g["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=groups.len() as u64).collect::<Vec<_>>());

    let text = env.run(&["search", "--group-stories", "calloway"]);
    text.assert_status(0);
    let out = text.stdout_str();
    assert!(out.starts_with(" 1. story "), "{text}");
    assert!(
        out.contains(
            "2 sources, 2 briefs, 2026-03-09 to 2026-03-10: Harbor Ledger, Tidewater Gazette"
        ),
        "{text}"
    );
}

#[test]
fn group_stories_and_group_do_not_mix() {
    let env = strike_env();
    env.run(&["search", "--group-stories", "--group", "calloway"])
        .assert_status(2);
}
