//! Brief ids stay unique: a given id (JSON `id`, front matter `id:`) that
//! another brief already keeps is reported with its path and line, and the
//! brief is indexed under its own `path:line`. The first keeps it: briefs
//! already indexed, then files in the order of their paths, then lines.

use std::collections::BTreeSet;

use crate::common::TestEnv;

fn line(id: &str, headline: &str) -> String {
    format!(
        "{{\"id\": \"{id}\", \"headline\": \"{headline}\", \"summaries\": [\"{headline} today.\"]}}\n"
    )
}

/// The brief ids the index holds, by `search --kind article --json`.
fn brief_ids(env: &TestEnv, word: &str) -> BTreeSet<String> {
    let run = env.run(&["search", "--kind", "article", "--json", "-n", "50", word]);
    run.json_lines()
        .iter()
        .map(|hit| hit["brief_id"].as_str().expect("brief_id").to_string())
        .collect()
}

#[test]
fn repeated_ids_in_one_file_are_reported_and_made_unique() {
    let env = TestEnv::new();
    let feed = [
        line("reuters-1", "Cocoa rises"),
        line("reuters-1", "Cocoa falls"),
        line("reuters-1", "Cocoa steady"),
    ]
    .concat();
    env.write("feed.jsonl", feed);
    let run = env.run(&["index", "briefs"]);
    run.assert_status(1);
    let stderr = run.stderr_str();
    for n in [2, 3] {
        run.check(
            stderr.contains(&format!("briefs/feed.jsonl:{n}: duplicate id `reuters-1` (kept by line 1); indexed as `briefs/feed.jsonl:{n}`")),
            "each duplicate named with its line",
        );
    }
    let ids = brief_ids(&env, "cocoa");
    let expected: BTreeSet<String> = ["reuters-1", "briefs/feed.jsonl:2", "briefs/feed.jsonl:3"]
        .map(String::from)
        .into();
    assert_eq!(ids, expected);
    let show = env.run(&["show", "--color", "never", "reuters-1"]);
    show.assert_status(0);
    show.check(
        show.stdout_str().contains("Cocoa rises"),
        "the first keeps the id",
    );
    // Unchanged, the file's problems are reported again.
    let again = env.run(&["index", "briefs"]);
    again.assert_status(1);
    again.check(
        again.stderr_str().matches("duplicate id").count() == 2,
        "reported again",
    );
}

#[test]
fn the_same_id_in_two_files_goes_to_the_first_file_and_to_the_index_first() {
    let env = TestEnv::new();
    // Many files, so several reader threads race for the id.
    for n in 0..40 {
        env.write(
            &format!("f{n:02}.jsonl"),
            line(&format!("own-{n}"), "Harbour opens"),
        );
    }
    env.write("b.jsonl", line("story-9", "Harbour dredged"));
    env.write("a.jsonl", line("story-9", "Harbour deepened"));
    for _ in 0..3 {
        let run = env.run(&["index", "--rebuild", "briefs"]);
        run.assert_status(1);
        run.check(
            run.stderr_str()
                .contains("briefs/b.jsonl:1: duplicate id `story-9`"),
            "the later file gives the id up",
        );
        let show = env.run(&["show", "--color", "never", "story-9"]);
        show.check(
            show.stdout_str().contains("Harbour deepened"),
            "a.jsonl keeps it",
        );
        assert!(brief_ids(&env, "dredged").contains("briefs/b.jsonl:1"));
    }
    // An id already in the index stays with its brief: a new file that gives
    // it again is renamed, even though it sorts first.
    env.write("0-new.jsonl", line("story-9", "Harbour closed"));
    let run = env.run(&["index", "briefs"]);
    run.assert_status(1);
    run.check(
        run.stderr_str()
            .contains("briefs/0-new.jsonl:1: duplicate id `story-9`"),
        "the newcomer gives the id up",
    );
    let show = env.run(&["show", "--color", "never", "story-9"]);
    show.check(
        show.stdout_str().contains("Harbour deepened"),
        "the indexed brief keeps it",
    );
    // Once the holder is gone, the id is free again.
    env.remove("a.jsonl");
    env.write("0-new.jsonl", line("story-9", "Harbour reopened"));
    env.run(&["index", "briefs"]);
    let show = env.run(&["show", "--color", "never", "story-9"]);
    show.check(
        show.stdout_str().contains("Harbour reopened"),
        "the freed id is taken",
    );
}
