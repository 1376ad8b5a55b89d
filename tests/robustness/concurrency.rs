//! Concurrency: while one `briefs index` holds the writer's lock (seen in
//! `/proc/locks`), a second one stops at once with exit 2 and a one-line
//! message, and searches and `stats` see the last commit, never a mix.
//! The first run's feed has 6,000 briefs (tripled until the runs overlap);
//! `BRIEFS_LONG_TESTS=1 cargo test --release --test main
//! robustness::concurrency -- --nocapture` starts at 20,000.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use super::{
    Counts, assert_no_duplicates, assert_no_panic, long_tests, orphan_files, stderr_lossy,
};
use crate::common::TestEnv;

/// The inode of the index writer's lock file.
fn writer_lock_inode(index: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(index.join(".tantivy-writer.lock"))
        .expect("the writer lock file exists once an index was written")
        .ino()
}

/// True when process `pid` holds a lock on inode `ino` (Linux /proc/locks).
fn holds_lock(pid: u32, ino: u64) -> bool {
    let Ok(locks) = std::fs::read_to_string("/proc/locks") else {
        return false;
    };
    locks.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // "1: FLOCK ADVISORY WRITE <pid> <maj:min:ino> <start> <end>"
        fields.len() >= 6
            && fields[4] == pid.to_string()
            && fields[5].rsplit(':').next() == Some(&ino.to_string())
    })
}

fn write_feed(path: &Path, lines: usize, word: &str) {
    let mut text = String::with_capacity(lines * 160);
    for i in 0..lines {
        text.push_str(
            &json!({
                "headline": format!("Feed item {i}"),
                "source": "Bulk Desk",
                "points": [format!("🚢 {word} cargo point {i}")],
                "summaries": [format!("{word} summary {i}.")],
            })
            .to_string(),
        );
        text.push('\n');
    }
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write feed");
}

#[test]
fn a_second_index_run_stops_and_searches_see_the_last_commit() {
    if !Path::new("/proc/locks").exists() {
        eprintln!(
            "concurrency: /proc/locks is missing; cannot tell when the writer holds its lock; skipped"
        );
        return;
    }
    let env = TestEnv::new();
    for i in 0..20 {
        env.write(
            &format!("a/brief-{i}.txt"),
            format!(
                "Alpha Brief {i} — Alpha Desk\n⚓ alphaword point {i}.\n- alphaword summary {i}.\n"
            ),
        );
    }
    env.run(&["index", "-q", "briefs/a"]).assert_status(0);
    let before = Counts::of(&env.stats());
    let ino = writer_lock_inode(&env.index_dir());

    let mut lines = if long_tests() { 20_000 } else { 6_000 };
    for attempt in 1..=4 {
        write_feed(&env.briefs_dir().join("b/feed.jsonl"), lines, "betaword");
        let after = Counts {
            briefs: before.briefs + lines as u64,
            points: before.points + lines as u64,
            summaries: before.summaries + lines as u64,
            files: before.files + 1,
        };
        let mut first = env
            .command(&["index", "-q", "briefs/b"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the first index run");
        let pid = first.id();
        // Wait (by polling /proc/locks) until the first run holds the lock.
        let mut holding = false;
        while first.try_wait().expect("try_wait").is_none() {
            if holds_lock(pid, ino) {
                holding = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let mut second = None;
        let mut searches = 0;
        let mut saw_new = false;
        if holding {
            let run = env.run(&["index", "-q", "briefs/b"]);
            let first_still_running = first.try_wait().expect("try_wait").is_none();
            second = Some((run, first_still_running));
            // Searches while the first run works.
            while first.try_wait().expect("try_wait").is_none() {
                let search = env.run(&["search", "--json", "-n", "100", "alphaword"]);
                assert_no_panic(&search);
                search.assert_status(0);
                search.check(
                    search.json_lines().len() == 40,
                    "the search during the run sees every bullet of the last commit",
                );
                let seen = Counts::of(&env.stats());
                assert!(
                    seen == before || seen == after,
                    "stats during the run: {seen:?}, neither {before:?} nor {after:?}"
                );
                saw_new |= seen == after;
                assert!(
                    !saw_new || seen == after,
                    "a later read went back to the older commit"
                );
                searches += 1;
            }
        }
        let status = first.wait().expect("wait for the first run");
        let mut stderr = String::new();
        first
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("read stderr");
        let conclusive = match &second {
            Some((run, _)) if run.code() == Some(2) => true,
            Some((_, still_running)) => *still_running,
            None => false,
        };
        if !conclusive || searches == 0 {
            eprintln!(
                "concurrency: attempt {attempt} with {lines} briefs was too quick \
                 (lock seen: {holding}, searches during the run: {searches}); retrying bigger"
            );
            assert!(
                attempt < 4,
                "could not overlap two runs even with {lines} briefs"
            );
            // Start again from the first state.
            std::fs::remove_file(env.briefs_dir().join("b/feed.jsonl")).expect("rm feed");
            env.run(&["index", "-q", "briefs/b"]);
            assert_eq!(Counts::of(&env.stats()), before);
            lines *= 3;
            continue;
        }
        let (run, _) = second.expect("second run");
        assert_no_panic(&run);
        run.assert_status(2);
        let message = stderr_lossy(&run);
        run.check(
            message.contains("another `briefs index` is writing") && message.lines().count() == 1,
            "the second run says in one line that another run is writing",
        );
        assert_eq!(status.code(), Some(0), "the first run completes: {stderr}");
        assert_eq!(Counts::of(&env.stats()), after, "the first run's commit");
        assert_no_duplicates(&env.index_dir(), "after two concurrent runs");
        let orphans = orphan_files(&env.index_dir());
        assert!(orphans.is_empty(), "orphaned files: {orphans:?}");
        eprintln!(
            "concurrency: {lines} briefs; second run stopped with exit 2; {searches} searches ran during the first run (the new commit seen by one: {saw_new})"
        );
        return;
    }
}
