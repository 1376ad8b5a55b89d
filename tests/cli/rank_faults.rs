//! The ranking faults of issue 13 (item 3), each pinned: briefs without
//! bullets are found by the default search through their article;
//! bullets that match only through their headline rank below every
//! bullet that holds a query word, one per brief (none with `--all`); a
//! query of only `source:` filters lists newest first, then in brief
//! order, as every tie does; a search with no hits says on stderr what
//! would have found something. Run alone: `cargo test --test main
//! cli::rank_faults`.

use serde_json::Value;

use crate::common::TestEnv;

/// The hits of `briefs search --json ARGS…`, with its exit status.
fn hits(env: &TestEnv, args: &[&str]) -> (Option<i32>, Vec<Value>) {
    let mut full = vec!["search", "--json"];
    full.extend_from_slice(args);
    let run = env.run(&full);
    (run.code(), run.json_lines())
}

fn ids(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["id"].as_str().expect("id is a string").to_string())
        .collect()
}

// ---------------------------------------------------------------------------
// Briefs without bullets

/// A wire file of briefs with a headline and a body only, and one brief
/// with bullets whose body alone names a word.
fn write_wire_without_bullets(env: &TestEnv) {
    env.write(
        "wire.jsonl",
        concat!(
            r#"{"headline": "Grain harvest lags in the north", "source": "Plains Wire", "body": ["Farmers in the northern valleys brought in less wheat than last season."]}"#,
            "\n",
            r#"{"headline": "Chocolate makers face dearer beans", "source": "Plains Wire", "body": ["Cocoa prices rose for a third week as buyers worried about the coastal crop."]}"#,
            "\n",
        ),
    );
    env.write(
        "kiln.txt",
        "Pottery Fair Draws Crowds — Valley Courier\n\
         🏺 The spring pottery fair sold out its stalls.\n\
         - Visitors queued at the gates.\n\
         \n\
         The organisers thanked the glaziers guild for lending its kilns.\n",
    );
}

#[test]
fn a_brief_without_bullets_is_found_by_the_default_search() {
    let env = TestEnv::new();
    write_wire_without_bullets(&env);
    env.index();
    let (status, found) = hits(&env, &["cocoa"]);
    assert_eq!(status, Some(0), "{found:?}");
    assert_eq!(ids(&found), ["briefs/wire.jsonl:2"]);
    assert_eq!(found[0]["kind"], "article");
    assert_eq!(found[0]["text"], "Chocolate makers face dearer beans");
    assert_eq!(found[0]["snippet"]["field"], "body", "{}", found[0]);
    // A headline word finds it too; a brief with bullets keeps bullet hits.
    assert_eq!(ids(&hits(&env, &["chocolate"]).1), ["briefs/wire.jsonl:2"]);
    let (_, pottery) = hits(&env, &["pottery", "fair"]);
    assert!(
        pottery.iter().all(|h| h["kind"] != "article"),
        "{pottery:?}"
    );
    // The same search as `--kind article` finds.
    let (_, articles) = hits(&env, &["--kind", "article", "harvest"]);
    assert_eq!(ids(&hits(&env, &["harvest"]).1), ids(&articles));
}

#[test]
fn a_word_only_in_a_bulleted_briefs_body_is_named_on_stderr() {
    let env = TestEnv::new();
    write_wire_without_bullets(&env);
    env.index();
    let run = env.run(&["search", "--json", "glaziers"]);
    run.assert_status(1);
    run.check(run.output.stdout.is_empty(), "stdout stays empty");
    let stderr = run.stderr_str();
    run.check(
        stderr == "briefs: no hits; 1 brief matches with --kind article\n",
        "one line naming --kind article",
    );
}

// ---------------------------------------------------------------------------
// Bullets that match only through their headline

/// A brief whose headline names both words and whose four bullets name
/// neither, and two briefs whose bullets name one word each.
fn write_headline_brief(env: &TestEnv) {
    env.write(
        "a-ferry.txt",
        "Ferry Riders Cheer New Timetable — Quay Gazette\n\
         🕗 Boats now leave every twenty minutes at peak hours.\n\
         🚗 A new car park opened beside the pier.\n\
         - The council paid for extra crews.\n\
         - Night sailings return in March.\n",
    );
    env.write(
        "b-bus.txt",
        "Bus Network Redrawn — Town Crier\n\
         - Riders on route 9 gain a Sunday service.\n\
         - The depot moves to the ring road.\n",
    );
    env.write(
        "c-harbour.txt",
        "Harbour Works Finish — Coast Post\n\
         - The ferry berth was widened for larger boats.\n",
    );
}

#[test]
fn bullets_matching_only_by_headline_rank_last_one_per_brief() {
    let env = TestEnv::new();
    write_headline_brief(&env);
    env.index();
    let (status, found) = hits(&env, &["ferry", "riders"]);
    assert_eq!(status, Some(0));
    // The two bullets that hold a word come first, then one line for the
    // ferry brief's four headline-only bullets.
    assert_eq!(
        ids(&found)[..2]
            .iter()
            .collect::<std::collections::BTreeSet<_>>(),
        ["briefs/b-bus.txt#s1", "briefs/c-harbour.txt#s1"]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .iter()
            .collect()
    );
    assert_eq!(found.len(), 3, "{:?}", ids(&found));
    assert_eq!(found[2]["id"], "briefs/a-ferry.txt#p1");
    assert_eq!(found[2]["context_only"], true);
    assert_eq!(
        found[2]["context_folded"],
        serde_json::json!([
            "briefs/a-ferry.txt#p2",
            "briefs/a-ferry.txt#s1",
            "briefs/a-ferry.txt#s2"
        ])
    );
    assert_eq!(found[0]["context_only"], false);
    let text = env.run(&["search", "--color", "never", "ferry", "riders"]);
    text.check(
        text.stdout_str().contains(
            "(matches by its headline or source only, as do 3 more bullets of this brief)",
        ),
        "the folded headline-only bullets are counted",
    );
}

#[test]
fn with_all_a_bullet_must_hold_one_of_the_words_itself() {
    let env = TestEnv::new();
    write_headline_brief(&env);
    env.write(
        "d-ferry.txt",
        "Ferry Fares Frozen — Quay Gazette\n\
         - Riders keep last year's prices.\n\
         - The operator blamed fuel costs.\n",
    );
    env.index();
    let (status, found) = hits(&env, &["--all", "ferry", "riders"]);
    assert_eq!(status, Some(0));
    // `Riders keep…` holds one word, its headline the other; no bullet
    // holding neither is listed.
    assert_eq!(ids(&found), ["briefs/d-ferry.txt#s1"]);
}

// ---------------------------------------------------------------------------
// Filter-only queries and ties

#[test]
fn a_source_only_query_lists_newest_first_then_in_brief_order() {
    let env = TestEnv::new();
    for (name, date) in [
        ("a.md", None),
        ("b.md", Some("2026-03-01")),
        ("c.md", Some("2026-05-01")),
        ("d.md", Some("2026-03-01")),
    ] {
        let dated = date.map_or(String::new(), |d| format!("Date: {d}\n"));
        env.write(
            name,
            format!("# Notes From The Mill\nSource: Mill Gazette\n{dated}\n- First {name} note.\n- Second {name} note.\n"),
        );
    }
    env.write("e.txt", "Other Paper — Far Press\n- A note.\n");
    env.index();
    let (status, found) = hits(&env, &["--no-dedup", "source:\"mill gazette\"", "-n", "20"]);
    assert_eq!(status, Some(0));
    let found_ids = ids(&found);
    // b and d share a date: each file's bullets together and in order, the
    // two files in the order of a hash of their paths.
    let (first, second) = if found_ids[2] == "briefs/b.md#s1" {
        ("b", "d")
    } else {
        ("d", "b")
    };
    assert_eq!(
        found_ids,
        [
            "briefs/c.md#s1".to_string(),
            "briefs/c.md#s2".to_string(),
            format!("briefs/{first}.md#s1"),
            format!("briefs/{first}.md#s2"),
            format!("briefs/{second}.md#s1"),
            format!("briefs/{second}.md#s2"),
            "briefs/a.md#s1".to_string(),
            "briefs/a.md#s2".to_string(),
        ]
    );
    assert!(found.iter().all(|h| h["score"] == 0.0), "{found:?}");
}

#[test]
fn tied_bullets_list_in_file_order() {
    let env = TestEnv::new();
    let line = |n: usize| {
        format!(
            r#"{{"headline": "Market day {n}", "source": "Town Crier", "summaries": ["Stalls opened at dawn."]}}"#
        )
    };
    let lines: Vec<String> = (1..=12).map(line).collect();
    env.write("days.jsonl", lines.join("\n") + "\n");
    env.index();
    let (_, found) = hits(&env, &["--no-dedup", "-n", "12", "stalls"]);
    let expected: Vec<String> = (1..=12)
        .map(|n| format!("briefs/days.jsonl:{n}#s1"))
        .collect();
    assert_eq!(ids(&found), expected);
}

// ---------------------------------------------------------------------------
// Zero hits

#[test]
fn zero_hits_suggest_the_nearest_index_word_on_stderr_only() {
    let env = TestEnv::new();
    write_headline_brief(&env);
    env.index();
    let run = env.run(&["search", "--json", "timetabel"]);
    run.assert_status(1);
    run.check(run.output.stdout.is_empty(), "stdout stays empty");
    run.check(
        run.stderr_str() == "briefs: no hits; did you mean: timetable\n",
        "one line with the index word",
    );
    let run = env.run(&["search", "--format", "trec", "--all", "sunday", "zeppelin"]);
    run.assert_status(1);
    run.check(run.output.stdout.is_empty(), "stdout stays empty");
    run.check(
        run.stderr_str() == "briefs: no hits; 1 hit without --all\n",
        "the count without --all",
    );
    // A word nothing is near says nothing, as before.
    let run = env.run(&["search", "qqqqxz"]);
    run.assert_status(1).assert_quiet_stderr();
}

#[test]
fn a_hint_never_sends_control_characters_to_the_terminal() {
    let env = TestEnv::new();
    env.write("note.txt", "Desk Note — Desk\n- Plain words here.\n");
    env.index();
    // Two suggestions name the words typed, one of which holds an escape.
    let run = env.run(&["search", "\u{1b}plian wordz"]);
    run.assert_status(1);
    let stderr = run.stderr_str();
    run.check(!stderr.contains('\u{1b}'), "no raw escape on stderr");
    run.check(
        stderr.starts_with("briefs: no hits; did you mean: plain (for "),
        "the words are suggested",
    );
}

#[test]
fn copies_that_fold_away_do_not_let_headline_only_bullets_in_early() {
    let env = TestEnv::new();
    // Forty copies of one sentence fold into one hit and use up the first
    // pool of ranked bullets; the other bullet that says `tram` must still
    // come before a bullet that only sits under a `Tram` headline.
    for i in 0..40 {
        env.write(
            &format!("copy-{i:02}.txt"),
            format!("Copy {i} — Desk\n- Tram fares rise.\n"),
        );
    }
    env.write(
        "drivers.txt",
        "Drivers Walk Out — Desk\n- Tram drivers went on strike over pay on Monday morning.\n",
    );
    env.write("depot.txt", "Tram Depot News — Desk\n- Buses ran late.\n");
    env.index();
    let (_, found) = hits(&env, &["-n", "2", "tram"]);
    let shown = ids(&found);
    // Which copy is shown is settled by the tie order (a hash of the path).
    assert!(shown[0].starts_with("briefs/copy-"), "{shown:?}");
    assert_eq!(shown[1], "briefs/drivers.txt#s1", "{shown:?}");
    let folded = found[0]["folded"].as_array().expect("folded");
    assert_eq!(folded.len(), 39);
    // Every other copy is named, once, the shown one not among them.
    let mut named: Vec<&str> = folded.iter().filter_map(|f| f.as_str()).collect();
    named.push(&shown[0]);
    named.sort_unstable();
    named.dedup();
    assert_eq!(named.len(), 40, "{named:?}");
}
