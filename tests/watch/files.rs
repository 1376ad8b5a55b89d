//! What a watch does with files: each change is searchable once committed,
//! replaced not duplicated, and never read half-written.

use std::io::Write;
use std::time::Duration;

use super::{Watching, brief, search_ids, search_paths};
use crate::common::TestEnv;

#[test]
fn added_edited_renamed_and_deleted_files_are_followed() {
    let env = TestEnv::new();
    env.write("first.txt", brief("First brief", "alphaword"));
    let watch = Watching::start(&env, "watch", &["briefs"]);
    assert_eq!(
        search_ids(&env, "alphaword").len(),
        2,
        "the catch-up indexed it\n{watch}"
    );

    env.write("second.md", brief("Second brief", "betaword"));
    watch.wait_for("the added file", || search_ids(&env, "betaword").len() == 2);

    env.write("second.md", brief("Second brief", "gammaword"));
    watch.wait_for("the edit", || {
        search_ids(&env, "gammaword").len() == 2 && search_ids(&env, "betaword").is_empty()
    });

    std::fs::rename(
        env.briefs_dir().join("second.md"),
        env.briefs_dir().join("renamed.md"),
    )
    .expect("rename");
    watch.wait_for("the rename", || {
        let paths = search_paths(&env, "gammaword");
        paths.len() == 2 && paths.iter().all(|p| p.ends_with("briefs/renamed.md"))
    });

    env.remove("first.txt");
    watch.wait_for("the deletion", || search_ids(&env, "alphaword").is_empty());
    let stats = env.stats();
    assert_eq!(stats["briefs"], 1, "{stats}\n{watch}");
    assert_eq!(stats["files"], 1, "{stats}\n{watch}");
}

#[test]
fn a_burst_of_2000_files_is_a_few_commits() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    let watch = Watching::start(&env, "watch", &["briefs"]);
    let before = watch.commits();
    for i in 0..2_000 {
        env.write(
            &format!("burst/b{i:04}.txt"),
            brief(&format!("Burst {i}"), "burstword"),
        );
    }
    watch.wait_for("2,000 briefs", || env.stats()["briefs"] == 2_000);
    let commits = watch.commits() - before;
    eprintln!("a_burst_of_2000_files: {commits} commits");
    // One per file without debouncing; a burst ends only when the writer
    // pauses, so a loaded machine may split it, but not much.
    assert!(commits <= 10, "{commits} commits for one burst\n{watch}");
}

#[test]
fn an_appended_jsonl_line_is_read_from_where_it_was() {
    let env = TestEnv::new();
    let line = |i: usize, word: &str| {
        format!("{{\"headline\": \"Wire item {i}\", \"summaries\": [\"The {word} item {i}.\"]}}\n")
    };
    env.write("wire.jsonl", line(1, "wireword") + &line(2, "wireword"));
    let watch = Watching::start(&env, "watch", &["briefs"]);
    env.append("wire.jsonl", &line(3, "appendword"));
    watch.wait_for("the appended line", || {
        search_ids(&env, "appendword").len() == 1
    });
    watch.wait_stderr("an append", |err| err.contains(" 1 appended"));
    assert_eq!(search_ids(&env, "wireword").len(), 2, "{watch}");
    assert_eq!(env.stats()["briefs"], 3, "{watch}");
    assert!(
        watch.stderr().contains("1 briefs, 1 bullets"),
        "only the new line was read\n{watch}"
    );
}

#[test]
fn a_file_written_slowly_in_pieces_is_indexed_once_complete() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    let watch = Watching::start(&env, "watch", &["briefs"]);
    let before = watch.commits();
    let mut file = std::fs::File::create(env.briefs_dir().join("slow.txt")).expect("create");
    let pieces = [
        "Slow brief — Watch Desk\n",
        "📌 The slowword point, written first.\n",
        "- The slowword summary, written last.\n",
    ];
    for piece in pieces {
        file.write_all(piece.as_bytes()).expect("write");
        file.flush().expect("flush");
        // The writer pausing for seconds (this is the scenario, not a wait
        // for the watch): while the file is open, nothing of it is indexed.
        std::thread::sleep(Duration::from_millis(1_500));
        assert!(
            search_ids(&env, "slowword").is_empty(),
            "indexed while open\n{watch}"
        );
    }
    drop(file);
    watch.wait_for("the closed file", || {
        search_ids(&env, "slowword").len() == 2
    });
    assert_eq!(
        watch.commits() - before,
        1,
        "one commit, with the whole file\n{watch}"
    );
}

#[test]
fn a_folder_created_after_the_start_is_followed() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    let watch = Watching::start(&env, "watch", &["briefs"]);
    env.write("2026/12/one.txt", brief("Nested one", "nestword"));
    watch.wait_for("a file in a new folder", || {
        search_ids(&env, "nestword").len() == 2
    });
    // The new folder is followed too, not only walked once.
    env.write("2026/12/two.txt", brief("Nested two", "laterword"));
    watch.wait_for("a later file there", || {
        search_ids(&env, "laterword").len() == 2
    });
    // A folder moved away takes its briefs with it.
    std::fs::rename(env.briefs_dir().join("2026"), env.root().join("away")).expect("rename");
    watch.wait_for("the folder moved away", || {
        search_ids(&env, "nestword").is_empty()
    });
    assert!(search_ids(&env, "laterword").is_empty(), "{watch}");
}

#[test]
fn a_root_that_goes_away_keeps_its_briefs_and_is_picked_up_when_back() {
    let env = TestEnv::new();
    env.write("kept.txt", brief("Kept brief", "keptword"));
    let watch = Watching::start(&env, "watch", &["briefs"]);
    let away = env.root().join("away");
    std::fs::rename(env.briefs_dir(), &away).expect("move the root away");
    watch.wait_stderr("the root gone", |err| err.contains("is gone"));
    assert_eq!(search_ids(&env, "keptword").len(), 2, "{watch}");
    std::fs::write(away.join("while-away.txt"), brief("While away", "awayword")).expect("write");
    std::fs::rename(&away, env.briefs_dir()).expect("move it back");
    watch.wait_for("what changed while it was away", || {
        search_ids(&env, "awayword").len() == 2
    });
    env.write("after.txt", brief("After return", "afterword"));
    watch.wait_for("a change after it came back", || {
        search_ids(&env, "afterword").len() == 2
    });
}

#[test]
fn polling_finds_changes_without_file_events() {
    let env = TestEnv::new();
    env.write("one.txt", brief("Polled one", "pollword"));
    let watch = Watching::start(&env, "watch", &["--poll", "0.5", "briefs"]);
    assert!(watch.stderr().contains("polling every 0.5 s"), "{watch}");
    env.write("two.txt", brief("Polled two", "polltwo"));
    watch.wait_for("a new file", || search_ids(&env, "polltwo").len() == 2);
    env.remove("one.txt");
    watch.wait_for("a deletion", || search_ids(&env, "pollword").is_empty());
}
