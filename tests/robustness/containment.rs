//! Containment: symbolic links are followed only with `-L`; indexing,
//! searching and `stats` write nothing outside the index folder; `show`,
//! `related` and `search` answer from the index alone, the same after the
//! briefs are deleted, and write nothing to it. No long form:
//! `cargo test --test main robustness::containment`.

use super::{Counts, assert_no_panic, good_brief, run_at, snapshot, stats_at};
use crate::common::{Run, TestEnv};

#[test]
fn symlinks_are_followed_only_with_follow_and_nothing_outside_the_index_changes() {
    let env = TestEnv::new();
    env.write_at(
        "corpus/inside.txt",
        good_brief("Inside Brief", "insideword"),
    );
    env.write_at(
        "outside/out.txt",
        good_brief("Outside Brief", "outsideword"),
    );
    env.write_at(
        "outside/file.txt",
        good_brief("Linked File", "filelinkword"),
    );
    std::os::unix::fs::symlink("../outside", env.root().join("corpus/dirlink")).expect("dir link");
    std::os::unix::fs::symlink(
        "../outside/file.txt",
        env.root().join("corpus/filelink.txt"),
    )
    .expect("file link");
    let idx = env.root().join("idx");
    let follow_idx = env.root().join("idx-follow");
    let before = snapshot(env.root(), &["idx", "idx-follow"]);

    let plain = run_at(&env, &idx, &["index", "corpus"]);
    assert_no_panic(&plain);
    plain.assert_status(0);
    assert_eq!(
        Counts::of(&stats_at(&env, &idx)).briefs,
        1,
        "without -L only corpus/inside.txt"
    );
    run_at(&env, &idx, &["search", "insideword"]).assert_status(0);
    run_at(&env, &idx, &["search", "outsideword"]).assert_status(1);
    run_at(&env, &idx, &["search", "filelinkword"]).assert_status(1);

    let follow = run_at(&env, &follow_idx, &["index", "-L", "corpus"]);
    assert_no_panic(&follow);
    follow.assert_status(0);
    assert_eq!(
        Counts::of(&stats_at(&env, &follow_idx)).briefs,
        3,
        "with -L the linked briefs too"
    );
    run_at(&env, &follow_idx, &["search", "outsideword"]).assert_status(0);
    run_at(&env, &follow_idx, &["search", "filelinkword"]).assert_status(0);

    // Re-runs, searches, stats: still nothing written outside the index folders.
    run_at(&env, &idx, &["index", "corpus"]).assert_status(0);
    run_at(&env, &follow_idx, &["index", "-L", "corpus"]).assert_status(0);
    run_at(&env, &follow_idx, &["search", "--group", "word"]);
    assert_eq!(
        before,
        snapshot(env.root(), &["idx", "idx-follow"]),
        "indexing wrote outside the index folder"
    );
    for dir in [&idx, &follow_idx] {
        let entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read idx")
            .map(|e| e.expect("entry").path())
            .collect();
        assert!(
            entries.iter().all(|p| p.is_file()),
            "the index folder holds only files: {entries:?}"
        );
    }
}

#[test]
fn show_related_and_search_read_only_the_index() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Harbour Ferry Fares Cut — Coast News\n⛴️ Harbour ferry fares fall eight percent in December.\n- Harbour ferry fares drop eight percent.\n",
    );
    env.write(
        "b.txt",
        "Ferry Operator Confirms Lower Winter Fares — Bay Times\n📉 The harbour ferry operator confirmed fares fall eight percent from December.\n",
    );
    env.index();
    let reads: [&[&str]; 6] = [
        &["show", "briefs/a.txt"],
        &["show", "--json", "briefs/a.txt#p1"],
        &["show", "briefs/b.txt#p1"],
        &["related", "--json", "briefs/a.txt#p1"],
        &["search", "--json", "ferry", "fares"],
        &["stats", "--json"],
    ];
    let outputs: Vec<Run> = reads.iter().map(|args| env.run(args)).collect();
    for run in &outputs {
        assert_no_panic(run);
        run.assert_status(0);
    }
    outputs[3].check(
        outputs[3]
            .json_lines()
            .iter()
            .any(|h| h["brief_id"] == "briefs/b.txt"),
        "related finds the other brief",
    );

    std::fs::remove_dir_all(env.briefs_dir()).expect("delete the sources");
    let idx_before = snapshot(&env.index_dir(), &[]);
    for (args, earlier) in reads.iter().zip(&outputs) {
        let run = env.run(args);
        assert_no_panic(&run);
        run.assert_status(0);
        if args[0] != "stats" {
            assert_eq!(
                run.stdout_str(),
                earlier.stdout_str(),
                "`briefs {}` answers from the index alone",
                args.join(" ")
            );
        }
    }
    assert_eq!(
        idx_before,
        snapshot(&env.index_dir(), &[]),
        "reading commands wrote to the index folder"
    );
}
