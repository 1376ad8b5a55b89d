//! Ties, near-duplicates and grouping: equal scores in a stable order (by
//! a hash of the id, across fresh indexes), identical and restated bullets
//! folded into one unless `--no-dedup`, and `--group` showing briefs with
//! their best bullets.

use super::{hit_ids, strike_and_ferry};
use crate::common::TestEnv;

// ---------------------------------------------------------------------------
// 14: ties

fn write_twin_bullets(env: &TestEnv) {
    env.write(
        "a.txt",
        "Alpha Quay Report\n- The quay reopened on Monday.\n",
    );
    env.write(
        "b.txt",
        "Beta Quay Report\n- The quay reopened on Monday.\n",
    );
}

#[test]
fn tied_hits_keep_the_same_order_on_every_search() {
    // Identical bullets would be folded into one; --no-dedup shows both.
    let env = TestEnv::new();
    write_twin_bullets(&env);
    env.index();
    let run = env.run(&["search", "--json", "--no-dedup", "reopened"]);
    run.assert_status(0);
    let hits = run.json_lines();
    assert_eq!(hits.len(), 2, "{run}");
    assert_eq!(
        hits[0]["score"], hits[1]["score"],
        "the two hits tie\n{run}"
    );
    let first = hit_ids(&env, &["--no-dedup", "reopened"]);
    for _ in 0..3 {
        assert_eq!(hit_ids(&env, &["--no-dedup", "reopened"]), first);
    }
    let human = |env: &TestEnv| {
        env.run(&["search", "--color", "never", "--no-dedup", "reopened"])
            .stdout_str()
    };
    assert_eq!(human(&env), human(&env));
}

#[test]
fn identical_bullets_in_two_briefs_are_shown_once() {
    let env = TestEnv::new();
    write_twin_bullets(&env);
    env.index();
    let hits = env.run(&["search", "--json", "reopened"]).json_lines();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["folded"].as_array().map(Vec::len), Some(1));
}

#[test]
fn tied_hits_keep_one_order_across_fresh_indexes() {
    let env = TestEnv::new();
    write_twin_bullets(&env);
    env.index();
    let first = hit_ids(&env, &["--no-dedup", "reopened"]);
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(sorted, ["briefs/a.txt#s1", "briefs/b.txt#s1"]);
    for attempt in 0..8 {
        env.run(&["index", "--rebuild", "briefs"]).assert_status(0);
        assert_eq!(
            hit_ids(&env, &["--no-dedup", "reopened"]),
            first,
            "attempt {attempt}: equal scores are ordered by a stable hash of the path, whatever the segments"
        );
    }
}

// ---------------------------------------------------------------------------
// Near-duplicate folding and grouping (issue 3)

#[test]
fn restated_point_and_summary_are_folded_unless_no_dedup() {
    let env = strike_and_ferry();

    let run = env.run(&["search", "--json", "harbour strike pay rise"]);
    run.assert_status(0);
    let hits = run.json_lines();
    // One of the pair is shown, the other folded into it and never listed.
    let pair = ["briefs/strike.txt#p1", "briefs/strike.txt#s1"];
    let first = &hits[0];
    let (shown, folded) = if first["id"] == pair[0] {
        (pair[0], pair[1])
    } else {
        (pair[1], pair[0])
    };
    assert_eq!(first["id"], shown, "{hits:?}");
    assert_eq!(first["folded"], serde_json::json!([folded]));
    assert!(hits.iter().all(|h| h["id"] != folded), "{hits:?}");

    let human = env
        .run(&["search", "--color", "never", "harbour strike pay rise"])
        .stdout_str();
    assert!(
        human.contains(&format!("(+1 similar bullet folded in: {folded})")),
        "{human}"
    );

    let all = hit_ids(&env, &["--no-dedup", "harbour strike pay rise"]);
    assert!(
        all.contains(&folded.to_string()) && all.contains(&shown.to_string()),
        "{all:?}"
    );
}

#[test]
fn group_shows_briefs_with_their_bullets() {
    let env = strike_and_ferry();

    let run = env.run(&[
        "search",
        "--json",
        "--group",
        "--per-brief",
        "1",
        "pay rise",
    ]);
    run.assert_status(0);
    let groups = run.json_lines();
    assert_eq!(groups.len(), 2, "{groups:?}");
    for (i, group) in groups.iter().enumerate() {
        assert_eq!(group["rank"], i + 1);
        assert_eq!(group["hits"].as_array().map(Vec::len), Some(1));
        assert_eq!(group["hits"][0]["brief_id"], group["brief_id"]);
    }
    let scores: Vec<f64> = groups
        .iter()
        .map(|g| g["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores[0] >= scores[1],
        "briefs are in order of their best bullet: {scores:?}"
    );
    let strike = groups
        .iter()
        .find(|g| g["brief_id"] == "briefs/strike.txt")
        .expect("strike brief");
    assert_eq!(strike["line"], 1);

    let human = env
        .run(&["search", "--group", "--color", "never", "pay rise"])
        .stdout_str();
    assert!(human.starts_with(" 1. "), "{human}");
    assert!(
        human.contains("Harbour Strike Ends After Twelve Days — Dock Weekly"),
        "{human}"
    );
    assert!(
        human.contains("    briefs/strike.txt:1  id briefs/strike.txt\n"),
        "{human}"
    );
}
