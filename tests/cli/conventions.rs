//! What `briefs` prints keeps its word (issue 11, items 6, 7, 8 and 10):
//! every flag combination of `search` is honoured or refused with one line,
//! paths are shown the same way in every output, the `--group` count of
//! more bullets does not depend on `-n`, text output prints ids and `show`
//! and `related` take the `path:line` it prints, counts agree with their
//! nouns, errors say what is wrong without a `query:` prefix, a `body:`
//! scope among bullets is explained, and article hits show their date and
//! the text that matched. Runs alone as `cargo test --test main
//! cli::conventions`.

use serde_json::Value;

use super::{summary_line, write_small_corpus};
use crate::common::{Run, TestEnv};

/// The small corpus, indexed.
fn small() -> TestEnv {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    env
}

/// Checks that `run` failed with exit 2, nothing on stdout, and one stderr
/// line holding every one of `words`.
fn assert_refused(run: &Run, words: &[&str]) {
    run.assert_status(2);
    run.check(run.output.stdout.is_empty(), "nothing on stdout");
    let stderr = run.stderr_str();
    run.check(stderr.lines().count() == 1, "one line on stderr");
    run.check(stderr.starts_with("briefs: "), "`briefs: …`");
    for word in words {
        run.check(stderr.contains(word), &format!("stderr names {word:?}"));
    }
}

// ---------------------------------------------------------------------------
// Item 6: flag combinations and paths

#[test]
fn batch_writes_text_when_text_is_asked_for_with_relative_paths() {
    let env = small();
    env.write_at("queries.tsv", "q1\ttram\nq2\tcanal\nq3\tzeppelin\n");
    let run = env.run(&["search", "--color", "never", "--batch", "queries.tsv"]);
    run.assert_status(0);
    let stdout = run.stdout_str();
    run.check(!stdout.contains('{'), "text, not JSON");
    run.check(
        stdout.starts_with("q1  tram\n 1. "),
        "a heading per query, then its hits",
    );
    run.check(
        stdout.contains("\nq2  canal\n 1. "),
        "the second query's heading",
    );
    run.check(
        stdout.contains("\nq3  zeppelin\n    (no hits)\n"),
        "a query without hits says so",
    );
    run.check(
        stdout.contains("    briefs/tram.txt:"),
        "paths relative, as search prints them",
    );
    run.check(
        !stdout.contains(&env.root().display().to_string()),
        "no absolute path",
    );
    // The same hits as one search of the same query prints.
    let one = env
        .run(&["search", "--color", "never", "tram"])
        .stdout_str();
    let first = stdout.split("\nq2  canal\n").next().unwrap_or("");
    assert_eq!(
        first.strip_prefix("q1  tram\n").map(str::trim_end),
        Some(one.trim_end())
    );
}

#[test]
fn paths_are_shown_the_same_way_in_every_output() {
    let env = small();
    env.write_at("queries.tsv", "q1\ttram\n");
    let mut paths = Vec::new();
    let batch = env.run(&["search", "--batch", "queries.tsv", "--format", "json"]);
    batch.assert_status(0);
    for hit in batch.json_lines() {
        assert_eq!(hit["qid"], "q1");
        paths.push(hit["path"].clone());
    }
    let grouped = env.run(&[
        "search",
        "--batch",
        "queries.tsv",
        "--format",
        "json",
        "--group",
    ]);
    grouped.assert_status(0);
    for group in grouped.json_lines() {
        assert_eq!(group["qid"], "q1", "{group}");
        paths.push(group["path"].clone());
        for hit in group["hits"].as_array().expect("hits") {
            paths.push(hit["path"].clone());
        }
    }
    for hit in env.run(&["search", "--json", "tram"]).json_lines() {
        paths.push(hit["path"].clone());
    }
    paths.push(env.run(&["show", "--json", "briefs/tram.txt"]).json_lines()[0]["path"].clone());
    assert!(paths.len() > 5, "{paths:?}");
    for path in &paths {
        assert!(
            path.as_str().is_some_and(|p| p.starts_with("briefs/")),
            "every path is relative to the current folder: {paths:?}"
        );
    }
}

#[test]
fn batch_group_is_grouped() {
    let env = small();
    env.write_at("queries.tsv", "q1\ttram\nq2\tcanal\n");
    let run = env.run(&[
        "search",
        "--color",
        "never",
        "--batch",
        "queries.tsv",
        "--group",
    ]);
    run.assert_status(0);
    let stdout = run.stdout_str();
    let one = env
        .run(&["search", "--color", "never", "--group", "tram"])
        .stdout_str();
    run.check(
        stdout.starts_with(&format!("q1  tram\n{one}")),
        "q1 is grouped as `search --group tram` prints it",
    );
    let json = env.run(&[
        "search",
        "--batch",
        "queries.tsv",
        "--group",
        "--format",
        "json",
    ]);
    json.assert_status(0);
    let groups = json.json_lines();
    assert!(
        groups
            .iter()
            .all(|g| g["hits"].is_array() && g["more"].is_u64()),
        "{groups:?}"
    );
    let qids: Vec<&str> = groups.iter().filter_map(|g| g["qid"].as_str()).collect();
    assert_eq!(qids.first(), Some(&"q1"), "{qids:?}");
    assert_eq!(qids.last(), Some(&"q2"), "{qids:?}");
}

#[test]
fn group_with_trec_ranks_briefs() {
    let env = small();
    env.write_at("queries.tsv", "q1\ttram\nq2\tcanal\n");
    let groups = env
        .run(&["search", "--group", "--json", "tram OR canal"])
        .json_lines();
    let expected: Vec<String> = groups
        .iter()
        .map(|g| {
            let (id, score) = (
                g["brief_id"].as_str().unwrap(),
                g["score"].as_f64().unwrap(),
            );
            format!("1 Q0 {id} {} {score:.6} briefs", g["rank"])
        })
        .collect();
    let run = env.run(&["search", "--group", "--format", "trec", "tram OR canal"]);
    run.assert_status(0);
    let lines: Vec<String> = run.stdout_str().lines().map(str::to_string).collect();
    assert_eq!(lines, expected, "one line per brief, best first\n{run}");
    let batch = env.run(&[
        "search",
        "--batch",
        "queries.tsv",
        "--group",
        "--format",
        "trec",
    ]);
    batch.assert_status(0);
    let stdout = batch.stdout_str();
    batch.check(
        stdout.starts_with("q1 Q0 briefs/tram.txt 1 ")
            && stdout.contains("\nq2 Q0 briefs/sub/bridge.md 1 "),
        "each query's briefs",
    );
}

#[test]
fn contradictory_output_flags_are_refused() {
    let env = small();
    assert_refused(
        &env.run(&["search", "--json", "--format", "trec", "tram"]),
        &["--json", "--format trec"],
    );
    assert_refused(
        &env.run(&["search", "--json", "--format", "text", "tram"]),
        &["--json", "--format text"],
    );
    // What agrees is accepted.
    let run = env.run(&["search", "--json", "--format", "json", "tram"]);
    run.assert_status(0);
    assert!(!run.json_lines().is_empty());
    env.run(&["search", "--format", "trec", "tram"])
        .assert_status(0);
}

#[test]
fn flags_that_would_be_ignored_are_refused() {
    let env = small();
    assert_refused(
        &env.run(&["search", "--run-tag", "mine", "tram"]),
        &["--run-tag", "--format trec"],
    );
    assert_refused(
        &env.run(&["search", "--json", "--run-tag", "mine", "tram"]),
        &["--run-tag", "--format trec"],
    );
    // clap's own refusal names what --per-brief needs.
    let run = env.run(&["search", "--per-brief", "2", "tram"]);
    run.assert_status(2);
    run.check(run.output.stdout.is_empty(), "nothing on stdout");
    run.check(run.stderr_str().contains("--group"), "stderr names --group");
    // With what they need, both are taken.
    let trec = env.run(&["search", "--format", "trec", "--run-tag", "mine", "tram"]);
    trec.assert_status(0);
    trec.check(
        trec.stdout_str().lines().all(|l| l.ends_with(" mine")),
        "every line tagged",
    );
    for grouping in ["--group", "--group-stories"] {
        env.run(&["search", grouping, "--per-brief", "1", "tram"])
            .assert_status(0);
    }
}

// ---------------------------------------------------------------------------
// Item 7: the count of more matching bullets

/// One brief with twelve bullets about trams that share no other word, and
/// a few other briefs that match too.
fn many_bullets() -> TestEnv {
    let env = TestEnv::new();
    let words = [
        "harbour", "violin", "orchard", "glacier", "lantern", "pepper", "saddle", "meteor",
        "quartz", "walnut", "falcon", "velvet",
    ];
    let mut text = String::from("Tram Network Review — Transit Desk\n");
    for (i, word) in words.iter().enumerate() {
        text.push_str(&format!("- Tram item {i}: the {word} is {}.\n", word.len()));
    }
    env.write("review.txt", text);
    for i in 0..4 {
        env.write(
            &format!("other-{i}.txt"),
            format!("Other Brief {i} — Desk\n- A tram note number {i}.\n"),
        );
    }
    env.index();
    env
}

#[test]
fn group_more_counts_every_matching_bullet_whatever_the_limit() {
    let env = many_bullets();
    for limit in ["1", "3", "50"] {
        let run = env.run(&[
            "search",
            "--json",
            "--group",
            "--per-brief",
            "2",
            "-n",
            limit,
            "tram",
        ]);
        run.assert_status(0);
        let groups = run.json_lines();
        let review = groups
            .iter()
            .find(|g| g["brief_id"] == "briefs/review.txt")
            .unwrap_or_else(|| panic!("the review brief is shown with -n {limit}\n{run}"));
        assert_eq!(review["hits"].as_array().map(Vec::len), Some(2), "{review}");
        // The bullets tie, so the first two in brief order are shown; a
        // near-duplicate folded into one of them is not counted again.
        let folded = review["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| h["folded"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
        assert_eq!(
            review["more"].as_u64(),
            Some(10 - folded as u64),
            "12 matching bullets, 2 shown, {folded} folded in, with -n {limit}"
        );
        let text = env.run(&[
            "search",
            "--color",
            "never",
            "--group",
            "--per-brief",
            "2",
            "-n",
            limit,
            "tram",
        ]);
        text.check(
            text.stdout_str()
                .contains(&format!("    (+{} more matching bullets)\n", 10 - folded)),
            "the text says so too",
        );
    }
}

// ---------------------------------------------------------------------------
// Item 8: ids in text output; `show` and `related` take `path:line`

#[test]
fn text_output_prints_each_hits_id() {
    let env = small();
    let run = env.run(&["search", "--color", "never", "sourdough"]);
    run.assert_status(0);
    run.check(
        run.stdout_str()
            .contains("    briefs/sub/wire.jsonl:1  id briefs/sub/wire.jsonl:1#p1\n"),
        "the id after the location",
    );
    let run = env.run(&["search", "--color", "never", "--group", "sourdough"]);
    let stdout = run.stdout_str();
    run.check(
        stdout.contains("    briefs/sub/wire.jsonl:1  id briefs/sub/wire.jsonl:1\n")
            && stdout.contains("        briefs/sub/wire.jsonl:1  id briefs/sub/wire.jsonl:1#p1\n"),
        "groups print the brief's id and each hit's",
    );
    // An explicit id is printed as it is, and `show` takes it.
    env.write(
        "ids.jsonl",
        "{\"id\": \"wire-001\", \"headline\": \"Kiln Reopens\", \"points\": [\"🔥 The kiln reopened.\"]}\n",
    );
    env.index();
    let run = env.run(&["search", "--color", "never", "kiln"]);
    run.check(
        run.stdout_str().contains("  id wire-001#p1\n"),
        "the JSON id",
    );
    env.run(&["show", "wire-001#p1"]).assert_status(0);
}

/// The `path:line` of the first hit of `briefs search --color never ARGS…`.
fn first_location(env: &TestEnv, args: &[&str]) -> String {
    let mut full = vec!["search", "--color", "never"];
    full.extend_from_slice(args);
    let run = env.run(&full);
    run.assert_status(0);
    let stdout = run.stdout_str();
    let line = stdout
        .lines()
        .nth(2)
        .unwrap_or_else(|| panic!("a location line\n{run}"));
    line.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn show_and_related_take_the_location_search_prints() {
    let env = small();
    let location = first_location(&env, &["shops", "route"]);
    assert_eq!(location, "briefs/tram.txt:5");
    let show = env.run(&["show", "--color", "never", &location]);
    show.assert_status(0);
    show.check(
        show.stdout_str()
            .contains("▶ - Shops along the route reported more customers."),
        "the bullet at that line is marked",
    );
    let related = env.run(&["related", "--json", &location]);
    related.check(matches!(related.code(), Some(0 | 1)), "related takes it");
    related.assert_quiet_stderr();
    // A brief's first line names the brief; an absolute path works too.
    let brief = env.run(&["show", "--json", "briefs/tram.txt:1"]);
    brief.assert_status(0);
    assert_eq!(brief.json_lines()[0]["id"], "briefs/tram.txt");
    let absolute = env.briefs_dir().join("tram.txt");
    let absolute = format!("{}:4", absolute.display());
    let run = env.run(&["show", "--color", "never", &absolute]);
    run.assert_status(0);
    run.check(
        run.stdout_str().contains("▶ - The tram opened early."),
        "absolute path",
    );
    // A line that holds nothing, or a file not indexed, is not found.
    for missing in ["briefs/tram.txt:99", "briefs/nothing.txt:1"] {
        let run = env.run(&["show", missing]);
        assert_refused(&run, &[missing]);
    }
}

#[test]
fn a_json_lines_location_names_its_brief_or_its_only_bullet() {
    let env = small();
    // Line 1 holds a brief with two bullets: `show` shows the brief,
    // `related` asks which bullet.
    let show = env.run(&["show", "--json", "briefs/sub/wire.jsonl:1"]);
    show.assert_status(0);
    assert_eq!(show.json_lines()[0]["headline"], "Bakery Wins Bread Award");
    let related = env.run(&["related", "briefs/sub/wire.jsonl:1"]);
    assert_refused(
        &related,
        &[
            "briefs/sub/wire.jsonl:1",
            "briefs/sub/wire.jsonl:1#p1",
            "briefs/sub/wire.jsonl:1#s1",
        ],
    );
    // Line 2's brief has one bullet: that is the one.
    let related = env.run(&["related", "briefs/sub/wire.jsonl:2"]);
    related.check(matches!(related.code(), Some(0 | 1)), "related takes it");
    related.assert_quiet_stderr();
}

// ---------------------------------------------------------------------------
// Item 10: small words

#[test]
fn counts_agree_with_their_nouns() {
    let env = TestEnv::new();
    env.write(
        "ferry.txt",
        "Ferry Fares Drop — Harbor Ledger\nDate: 2026-11-02\n📉 Ferry fares fall 8% from December.\nThe operator cited lower fuel costs.\n- Winter ferry fares are lower.\n",
    );
    let run = env.index();
    let line = summary_line(&run);
    run.check(
        line.starts_with("indexed 1 brief, 2 bullets; files: 1 added,"),
        "1 brief",
    );
    run.check(line.ends_with(" holds 1 brief"), "holds 1 brief");
    let again = env.run(&["index", "briefs"]);
    again.assert_status(0);
    again.check(
        summary_line(&again).contains("up to date: 1 file unchanged, 0 skipped"),
        "1 file",
    );
    let show = env.run(&["show", "--color", "never", "briefs/ferry.txt"]);
    show.check(
        show.stdout_str()
            .ends_with("(1 point, 1 summary, 1 body paragraph)\n"),
        "1 point, 1 summary, 1 body paragraph",
    );
    let stats = env.run(&["stats"]).stdout_str();
    let segments = stats
        .lines()
        .find_map(|l| l.strip_prefix("size "))
        .and_then(|l| l.split(" bytes in ").nth(1))
        .unwrap_or_else(|| panic!("a size line: {stats}"));
    assert!(
        segments == "1 segment" || (segments.ends_with(" segments") && !segments.starts_with("1 ")),
        "{stats}"
    );
    env.write_at("queries.tsv", "q1\t\"unclosed\n");
    let batch = env.run(&["search", "--batch", "queries.tsv", "--format", "json"]);
    batch.check(
        batch.stderr_str() == "briefs: 1 of 1 query did not parse and was read as plain words\n",
        "1 query … was",
    );
}

#[test]
fn errors_that_are_not_about_the_query_say_so() {
    let env = small();
    assert_refused(
        &env.run(&["search", "--since", "someday", "tram"]),
        &["--since someday: not a date"],
    );
    assert_refused(
        &env.run(&["search", "--until", "31/31/31", "tram"]),
        &["--until 31/31/31"],
    );
    let related = env.run(&["related", "briefs/tram.txt"]);
    assert_refused(
        &related,
        &["`briefs/tram.txt` is a brief", "briefs/tram.txt#p1"],
    );
    for run in [
        env.run(&["search", "--since", "someday", "tram"]),
        related,
        env.run(&["show", "nothing"]),
    ] {
        run.check(!run.stderr_str().contains("query:"), "no `query:` prefix");
    }
}

#[test]
fn parse_of_a_missing_path_exits_2_with_one_line() {
    let env = small();
    let run = env.run_without_index(&["parse", "briefs/tram.txt", "briefs/nonexistent.txt"]);
    assert_refused(&run, &["briefs/nonexistent.txt: no such file or folder"]);
}

#[test]
fn a_body_scope_among_bullets_is_explained() {
    let env = small();
    env.write(
        "ferry.txt",
        "Ferry Fares Drop — Harbor Ledger\n📉 Ferry fares fall.\nThe operator cited lower fuel costs.\n",
    );
    env.index();
    let run = env.run(&["search", "body:fuel"]);
    run.assert_status(1);
    let stderr = run.stderr_str();
    run.check(
        stderr.lines().count() == 1
            && stderr.contains("`body:`")
            && stderr.contains("--kind article"),
        "one line saying body: needs --kind article",
    );
    // Where articles are ranked there is nothing to say.
    for kind in ["article", "all"] {
        let run = env.run(&["search", "--kind", kind, "body:fuel"]);
        run.assert_status(0).assert_quiet_stderr();
    }
    // A plain word gets no note on `body:`, only the zero-hit hint.
    let run = env.run(&["search", "fuel"]);
    run.check(
        run.stderr_str() == "briefs: no hits; 1 brief matches with --kind article\n",
        "the zero-hit hint only",
    );
}

#[test]
fn article_hits_show_their_date_and_the_text_that_matched() {
    let env = TestEnv::new();
    env.write(
        "ferry.txt",
        "Ferry Fares Drop — Harbor Ledger\nDate: 2026-11-02\n📉 Ferry fares fall 8% from December.\nThe operator cited lower fuel costs.\n- Winter ferry fares are lower.\n",
    );
    env.write(
        "undated.txt",
        "Bus Fuel Prices — Metro Desk\n- Diesel buses are dearer.\n",
    );
    env.index();
    let run = env.run(&[
        "search", "--color", "never", "--kind", "article", "fuel", "costs",
    ]);
    run.assert_status(0);
    let stdout = run.stdout_str();
    run.check(
        stdout.starts_with(
            " 1. article",
        ) && stdout.contains("Ferry Fares Drop\n    Harbor Ledger · 2026-11-02\n    body: The operator cited lower fuel costs.\n    briefs/ferry.txt:1  id briefs/ferry.txt\n"),
        "the date on the source line, then the matching body paragraph",
    );
    run.check(
        stdout.contains("Bus Fuel Prices\n    Metro Desk\n    briefs/undated.txt:1"),
        "a headline match has no snippet",
    );

    let json = env.run(&["search", "--json", "--kind", "article", "fuel", "costs"]);
    let hits = json.json_lines();
    let ferry = hits
        .iter()
        .find(|h| h["id"] == "briefs/ferry.txt")
        .expect("ferry hit");
    assert_eq!(ferry["date"], "2026-11-02");
    let snippet = &ferry["snippet"];
    assert_eq!(snippet["field"], "body", "{ferry}");
    let text = snippet["text"].as_str().expect("snippet text");
    assert_eq!(text, "The operator cited lower fuel costs.");
    let marked: Vec<&str> = snippet["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|r| &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(marked, ["fuel", "costs"]);
    // Points and summaries are snippets too; bullets have none.
    let json = env.run(&["search", "--json", "--kind", "all", "winter"]);
    for hit in json.json_lines() {
        let expected = if hit["kind"] == "article" {
            "summary"
        } else {
            ""
        };
        assert_eq!(
            hit["snippet"]["field"].as_str().unwrap_or(""),
            expected,
            "{hit}"
        );
        assert!(hit.as_object().is_some_and(|o| o.contains_key("snippet")));
    }
    assert_unchanged_keys(&env);
}

/// The keys a hit had before snippets were added are all still there, in
/// the same order (as written, not as parsed: serde_json sorts them), with
/// `snippet` after them.
fn assert_unchanged_keys(env: &TestEnv) {
    let run = env.run(&["search", "--json", "--kind", "all", "fuel"]);
    run.assert_status(0);
    let keys = [
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
        "folded",
        "snippet",
        "context_only",
        "context_folded",
    ];
    for line in run.stdout_str().lines() {
        let at: Vec<Option<usize>> = keys
            .iter()
            .map(|k| line.find(&format!("\"{k}\":")))
            .collect();
        run.check(
            at.iter().all(Option::is_some) && at.windows(2).all(|w| w[0] < w[1]),
            &format!("keys in order: {line}"),
        );
        let hit: Value = serde_json::from_str(line).expect("JSON");
        run.check(
            hit.as_object().map(|o| o.len()) == Some(keys.len()),
            "no other key",
        );
    }
}
