//! `briefs index`: the summary line and `stats`, re-indexing unchanged,
//! edited and deleted files, `--rebuild`, bad files among good ones
//! (reported, skipped, reported again while unchanged) and the default
//! index built from `corpus/` by a first search.

use super::{count, counts, hit_ids, summary_line, write_small_corpus};
use crate::common::TestEnv;

// ---------------------------------------------------------------------------
// 1–5: building and updating the index

#[test]
fn index_prints_summary_and_stats_counts_everything() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    let run = env.run(&["index", "briefs"]);
    run.assert_status(0).assert_quiet_stderr();
    let line = summary_line(&run);
    run.check(
        line.starts_with(
            "indexed 4 briefs, 9 bullets; files: 3 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; ",
        ),
        "summary line counts briefs, bullets and files",
    );
    run.check(
        line.ends_with(&format!("{} holds 4 briefs", env.index_dir().display())),
        "summary line names the index and its total",
    );

    let stats = env.stats();
    assert_eq!(
        counts(&stats),
        [
            ("briefs", 4),
            ("articles", 4),
            ("points", 4),
            ("summaries", 5),
            ("files", 3),
            ("files_with_problems", 0),
            ("sources", 3),
        ],
        "{stats}"
    );
    assert!(count(&stats, "size_bytes") > 0, "{stats}");
    let last_commit = stats["last_commit"].as_str().unwrap_or_default();
    let shape = last_commit.len() == 20
        && last_commit.as_bytes()[4] == b'-'
        && last_commit.as_bytes()[10] == b'T'
        && last_commit.ends_with('Z');
    assert!(shape, "last_commit is an RFC 3339 UTC time: {stats}");
    assert!(
        stats["last_commit_unix"].as_i64().unwrap_or(0) > 0,
        "{stats}"
    );
}

/// Issue 16: a build that read every file anew ends in one segment (the
/// writer threads of a 2-core machine write two), `--rebuild` too; an
/// incremental run adds its own segments and merges nothing it did not write.
#[test]
fn a_fresh_build_is_merged_into_one_segment_and_an_update_is_not() {
    let env = TestEnv::new();
    for i in 0..400 {
        env.write(
            &format!("d{}/brief-{i:03}.txt", i % 7),
            format!("Ferry timetable {i} — Harbour Desk\n- Ferry {i} leaves at nine.\n- Fares stay the same.\n"),
        );
    }
    env.index().assert_status(0);
    assert_eq!(env.stats()["segments"], 1, "{}", env.stats());
    env.write(
        "late.txt",
        "Late ferry — Harbour Desk\n- The late ferry runs on Fridays.\n",
    );
    env.index().assert_status(0);
    // Its own segments (one per writer thread given documents), beside the one.
    assert!(count(&env.stats(), "segments") > 1, "{}", env.stats());
    assert_eq!(hit_ids(&env, &["fridays"]), ["briefs/late.txt#s1"]);
    env.run(&["index", "--rebuild", "briefs"]).assert_status(0);
    assert_eq!(env.stats()["segments"], 1, "{}", env.stats());
    assert_eq!(count(&env.stats(), "briefs"), 401);
}

#[test]
fn reindex_of_unchanged_folder_is_up_to_date_and_writes_nothing() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let before = env.stats();
    let meta = env.index_dir().join("meta.json");
    let meta_bytes = std::fs::read(&meta).expect("meta.json exists after indexing");
    let meta_mtime = std::fs::metadata(&meta).and_then(|m| m.modified()).unwrap();

    let run = env.run(&["index", "briefs"]);
    run.assert_status(0).assert_quiet_stderr();
    let line = summary_line(&run);
    run.check(
        line.contains("is up to date: 3 files unchanged, 0 skipped, nothing to commit"),
        "an unchanged folder is reported as up to date",
    );
    assert_eq!(counts(&env.stats()), counts(&before));
    assert_eq!(
        std::fs::read(&meta).unwrap(),
        meta_bytes,
        "meta.json was rewritten"
    );
    assert_eq!(
        std::fs::metadata(&meta).and_then(|m| m.modified()).unwrap(),
        meta_mtime,
        "meta.json was touched"
    );
}

#[test]
fn edited_file_is_read_again_and_its_old_text_is_gone() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let before = env.stats();
    let old_size = std::fs::metadata(env.briefs_dir().join("tram.txt"))
        .unwrap()
        .len();

    // `schedule` is only in the old text; the new bullet adds `racks`.
    let edited = std::fs::read_to_string(env.briefs_dir().join("tram.txt"))
        .unwrap()
        .replace("two weeks ahead of schedule", "a fortnight early");
    env.write("tram.txt", edited);
    env.append(
        "tram.txt",
        "- Cyclists asked for bike racks at every stop.\n",
    );
    let new_size = std::fs::metadata(env.briefs_dir().join("tram.txt"))
        .unwrap()
        .len();
    assert_ne!(old_size, new_size, "the edit must change the file's size");

    let run = env.run(&["index", "briefs"]);
    run.assert_status(0).assert_quiet_stderr();
    run.check(
        summary_line(&run).contains("files: 0 added, 1 updated, 0 removed, 2 unchanged, 0 skipped"),
        "the edited file is reported as updated, the others unchanged",
    );

    assert_eq!(
        hit_ids(&env, &["racks"]),
        ["briefs/tram.txt#s3"],
        "the new bullet is found"
    );
    env.run(&["search", "schedule"]).assert_status(1);
    env.run(&["search", "--kind", "all", "schedule"])
        .assert_status(1);
    // The brief was replaced, not added again.
    let after = env.stats();
    assert_eq!(count(&after, "briefs"), count(&before, "briefs"));
    assert_eq!(count(&after, "files"), count(&before, "files"));
    assert_eq!(count(&after, "points"), count(&before, "points"));
    assert_eq!(count(&after, "summaries"), count(&before, "summaries") + 1);
    assert_eq!(hit_ids(&env, &["--kind", "article", "tram"]).len(), 1);
}

#[test]
fn deleted_file_is_removed_from_search_and_stats() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    env.run(&["search", "sourdough"]).assert_status(0);

    env.remove("sub/wire.jsonl");
    let run = env.run(&["index", "briefs"]);
    run.assert_status(0).assert_quiet_stderr();
    run.check(
        summary_line(&run).contains("files: 0 added, 0 updated, 1 removed, 2 unchanged, 0 skipped"),
        "the deleted file is reported as removed",
    );
    for word in ["sourdough", "pelican", "birdwatchers"] {
        env.run(&["search", "--kind", "all", word]).assert_status(1);
    }
    assert_eq!(
        counts(&env.stats()),
        [
            ("briefs", 2),
            ("articles", 2),
            ("points", 3),
            ("summaries", 3),
            ("files", 2),
            ("files_with_problems", 0),
            ("sources", 2),
        ]
    );
}

#[test]
fn rebuild_gives_the_same_counts_as_a_fresh_index() {
    let env = TestEnv::new();
    write_small_corpus(&env);
    env.index();
    let full = counts(&env.stats());

    // Rebuilding the same folder must not duplicate anything.
    let run = env.run(&["index", "--rebuild", "briefs"]);
    run.assert_status(0).assert_quiet_stderr();
    run.check(
        summary_line(&run).starts_with("indexed 4 briefs, 9 bullets; files: 3 added, 0 updated"),
        "a rebuild reads every file again",
    );
    assert_eq!(counts(&env.stats()), full);

    // Rebuilding from a sub-folder drops what is outside it, which a plain
    // update would keep: the result must match a fresh index of sub/.
    env.run(&["index", "--rebuild", "briefs/sub"])
        .assert_status(0);
    let rebuilt = counts(&env.stats());
    let fresh_dir = env.root().join("fresh").to_string_lossy().into_owned();
    env.run_without_index(&["--index", &fresh_dir, "index", "briefs/sub"])
        .assert_status(0);
    let fresh_stats = env.run_without_index(&["--index", &fresh_dir, "stats", "--json"]);
    fresh_stats.assert_status(0);
    let fresh = counts(&fresh_stats.json_lines()[0]);
    assert_eq!(rebuilt, fresh);
    assert_ne!(rebuilt, full, "the sub-folder holds fewer briefs");
    env.run(&["search", "--kind", "all", "tram"])
        .assert_status(1);
}

// ---------------------------------------------------------------------------
// 6: bad files among good ones

/// Good and bad files, in walk order (sorted by name): the name, the
/// contents and, for a bad file, the start of its stderr line.
const MIXED_FOLDER: [(&str, &[u8], Option<&str>); 7] = [
    (
        "binary.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        Some("briefs: briefs/binary.txt: binary file"),
    ),
    (
        "broken.json",
        b"{\"headline\": \"Half a brief\",\n \"points\": [\n",
        Some("briefs: briefs/broken.json:3: malformed JSON"),
    ),
    // Valid Windows-1252: é, the em dash and the right quote are single bytes.
    (
        "cp1252.txt",
        b"Caf\xe9 Terrace Reopens \x97 Old Town News\n- The caf\xe9\x92s terrace has twelve new tables.\n",
        None,
    ),
    ("empty.md", b"", Some("briefs: briefs/empty.md: empty file")),
    (
        "good.txt",
        "Wind Farm Approved — Coast Courier\n🌬️ Twelve turbines will stand off the point.\n- The wind farm got its permit.\n"
            .as_bytes(),
        None,
    ),
    (
        "mixed.jsonl",
        concat!(
            r#"{"headline": "Granary Roof Repaired", "summaries": ["The granary is dry again."]}"#,
            "\n",
            "{\"headline\": oops}\n",
            r#"{"headline": "Orchard Opens for Picking", "summaries": ["Families picked apples all weekend."]}"#,
            "\n"
        )
        .as_bytes(),
        Some("briefs: briefs/mixed.jsonl:2: malformed JSON"),
    ),
    // 0x81 is neither UTF-8 here nor defined in Windows-1252.
    (
        "undecodable.txt",
        b"Quarry Hearing Set\n- The hearing is in May.\n- Residents \x81 objected.\n",
        Some("briefs: briefs/undecodable.txt:3: not UTF-8"),
    ),
];

/// Writes [`MIXED_FOLDER`]; returns the expected stderr prefixes of the bad
/// files, in walk order.
fn write_mixed_folder(env: &TestEnv) -> Vec<&'static str> {
    assert!(MIXED_FOLDER.is_sorted_by_key(|(name, _, _)| *name));
    for (name, contents, _) in MIXED_FOLDER {
        env.write(name, contents);
    }
    MIXED_FOLDER
        .iter()
        .filter_map(|(_, _, problem)| *problem)
        .collect()
}

#[test]
fn bad_files_are_reported_and_every_good_brief_is_indexed() {
    let env = TestEnv::new();
    let expected = write_mixed_folder(&env);
    let run = env.run(&["index", "briefs"]);
    run.assert_status(1);
    run.check(
        summary_line(&run).contains("files: 7 added, 0 updated, 0 removed, 0 unchanged, 5 skipped"),
        "the summary counts the skipped files",
    );
    let stderr = run.stderr_str();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one line per problem\n{run}");
    for (line, prefix) in lines.iter().zip(&expected) {
        run.check(
            line.starts_with(prefix),
            &format!("expected a line starting {prefix:?}, got {line:?}"),
        );
    }

    let stats = env.stats();
    assert_eq!(count(&stats, "briefs"), 4, "{stats}");
    assert_eq!(count(&stats, "files"), 7, "{stats}");
    assert_eq!(count(&stats, "files_with_problems"), 5, "{stats}");
    assert_eq!(hit_ids(&env, &["turbines"]), ["briefs/good.txt#p1"]);
    assert_eq!(hit_ids(&env, &["granary"]), ["briefs/mixed.jsonl:1#s1"]);
    assert_eq!(hit_ids(&env, &["picked"]), ["briefs/mixed.jsonl:3#s1"]);
    let run = env.run(&["search", "--json", "terrace"]);
    run.assert_status(0);
    let hits = run.json_lines();
    assert_eq!(hits[0]["id"], "briefs/cp1252.txt#s1", "{run}");
    assert_eq!(hits[0]["headline"], "Café Terrace Reopens", "{run}");
    assert_eq!(hits[0]["source"], "Old Town News", "{run}");
    assert_eq!(
        hits[0]["text"], "The café’s terrace has twelve new tables.",
        "{run}"
    );
    // Nothing of the undecodable file got in, not even its good lines.
    env.run(&["search", "--kind", "all", "quarry"])
        .assert_status(1);
}

#[test]
fn unchanged_bad_files_are_reported_again() {
    let env = TestEnv::new();
    write_mixed_folder(&env);
    let first = env.run(&["index", "briefs"]);
    first.assert_status(1);
    let second = env.run(&["index", "briefs"]);
    second.assert_status(1);
    second.check(
        summary_line(&second).contains("is up to date: 7 files unchanged, 5 skipped"),
        "nothing changed, five files still skipped",
    );
    let expected: Vec<String> = first
        .stderr_str()
        .lines()
        .map(|line| format!("{line} (unchanged since it was last read)"))
        .collect();
    let got: Vec<String> = second.stderr_str().lines().map(str::to_string).collect();
    assert_eq!(got, expected, "{second}");
}

// ---------------------------------------------------------------------------
// 16: the default index is built from corpus/

#[test]
fn search_without_index_builds_it_from_corpus() {
    let env = TestEnv::new();
    env.write_at(
        "corpus/kettle.txt",
        "Kettle Prices Rise — Kitchen Gazette\n- Kettles cost a fifth more than last year.\n",
    );
    let run = env.run_without_index(&["search", "--color", "never", "kettles"]);
    run.assert_status(0);
    run.check(
        run.stderr_str().contains("building it from corpus/"),
        "stderr says the index is built from corpus/",
    );
    run.check(
        run.stdout_str().contains("Kettles cost a fifth more")
            && run.stdout_str().contains("corpus/kettle.txt:2"),
        "the hit is printed",
    );
    assert!(env.root().join("index").join("meta.json").is_file());
    assert!(!env.index_dir().exists(), "no other index was made");

    // Once built, it is used as it is.
    let again = env.run_without_index(&["search", "kettles"]);
    again.assert_status(0).assert_quiet_stderr();
}
