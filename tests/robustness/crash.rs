//! Crash safety: `briefs index` killed with SIGKILL at random moments (after
//! a random delay, at the first new segment file, when `meta.json`
//! changes, during an atomic write, during the very first run) never loses
//! or doubles a brief, never leaves a folder that later runs reject, and
//! leaves no pile of files behind. 8 kills and 15 and 40 tries by default;
//! `BRIEFS_LONG_TESTS=1 cargo test --release --test main robustness::crash
//! -- --nocapture` makes it 24, 60 and 200 (each run prints its seed:
//! `BRIEFS_TEST_SEED=N` repeats it).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{
    Counts, Rng, assert_no_duplicates, assert_no_panic, command_at, dir_bytes,
    is_segment_file_name, long_tests, orphan_files, run_at, stats_at, stderr_lossy,
};
use crate::common::TestEnv;

/// A corpus whose expected counts are known without indexing it: text
/// briefs in nested folders plus one JSON Lines feed, each file's counts
/// depending on its id and version.
struct CrashCorpus {
    root: PathBuf,
    /// relative path → counts of that file (files = 1).
    files: BTreeMap<String, Counts>,
    next_id: usize,
}

impl CrashCorpus {
    const FEED: &'static str = "wire/feed.jsonl";

    fn new(root: PathBuf, text_files: usize) -> CrashCorpus {
        let mut corpus = CrashCorpus {
            root,
            files: BTreeMap::new(),
            next_id: 0,
        };
        for _ in 0..text_files {
            corpus.add_file(0);
        }
        corpus.write_feed(0);
        corpus
    }

    fn rel(id: usize) -> String {
        format!("d{:02}/e{}/brief-{id:05}.txt", id % 13, id % 7)
    }

    fn write(&mut self, rel: &str, text: &str, counts: Counts) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write brief");
        self.files.insert(rel.to_string(), counts);
    }

    fn write_text(&mut self, id: usize, version: usize) {
        let points = 1 + (id * 3 + version) % 3;
        let summaries = (id + version * 2) % 3;
        let mut text = format!("Crash Brief {id} Revision {version} — Source {}\n", id % 17);
        for j in 0..points {
            text.push_str(&format!(
                "📉 Point {j} crashword of brief {id} notes widget{} moved in revision {version}.\n",
                id % 97
            ));
        }
        text.push_str(&format!(
            "Plain body line for brief {id}{}.\n",
            "!".repeat(version % 4)
        ));
        for j in 0..summaries {
            text.push_str(&format!(
                "- Summary {j} of brief {id} says gadget{} rose.\n",
                id % 31
            ));
        }
        let counts = Counts {
            briefs: 1,
            points: points as u64,
            summaries: summaries as u64,
            files: 1,
        };
        self.write(&Self::rel(id), &text, counts);
    }

    fn add_file(&mut self, version: usize) {
        let id = self.next_id;
        self.next_id += 1;
        self.write_text(id, version);
    }

    fn write_feed(&mut self, version: usize) {
        let lines = 300 + (version * 37) % 200;
        let mut text = String::new();
        for i in 0..lines {
            let line = json!({
                "headline": format!("Wire item {i} of edition {version}"),
                "source": "Wire Desk",
                "points": [format!("📈 crashword wire point {i}")],
                "summaries": [format!("Wire summary {i} of edition {version}.")],
            });
            text.push_str(&line.to_string());
            text.push('\n');
        }
        let counts = Counts {
            briefs: lines as u64,
            points: lines as u64,
            summaries: lines as u64,
            files: 1,
        };
        self.write(Self::FEED, &text, counts);
    }

    /// Changes the corpus for `version`: rewrites, deletes and adds files,
    /// always leaving counts different from before.
    fn mutate(&mut self, version: usize, rng: &mut Rng) {
        let texts: Vec<String> = self
            .files
            .keys()
            .filter(|k| String::as_str(k) != Self::FEED)
            .cloned()
            .collect();
        let n = texts.len();
        let mut touched = BTreeSet::new();
        for _ in 0..n / 8 {
            touched.insert(rng.below(n as u64) as usize);
        }
        let deletes = n / 50;
        for (k, &i) in touched.iter().enumerate() {
            let rel = &texts[i];
            if k < deletes {
                std::fs::remove_file(self.root.join(rel)).expect("delete brief");
                self.files.remove(rel);
            } else {
                let id: usize = rel[rel.rfind('-').expect("id") + 1..rel.len() - 4]
                    .parse()
                    .expect("id number");
                self.write_text(id, version);
            }
        }
        for _ in 0..=deletes + 1 {
            self.add_file(version);
        }
        if version.is_multiple_of(2) {
            self.write_feed(version);
        }
    }

    fn expected(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.files.values() {
            total.add(*counts);
        }
        total
    }
}

/// When a round's SIGKILL is sent.
#[derive(Debug, Clone, Copy)]
enum Trigger {
    /// After a random delay.
    Delay,
    /// As soon as a new segment file appears in the index folder.
    NewSegmentFile,
    /// As soon as meta.json changes.
    MetaChanged,
}

/// Polls until `ready()` (true) or until `child` exits (false).
fn poll_until(child: &mut Child, mut ready: impl FnMut() -> bool) -> bool {
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn sigkill_at_random_moments_never_loses_or_duplicates_anything() {
    let kills = if long_tests() { 24 } else { 8 };
    let mut rng = Rng::for_test("sigkill");
    let env = TestEnv::new();
    let root = env.root().join("c");
    let mut corpus = CrashCorpus::new(root, 2000);
    let idx = env.index_dir();

    // A clean build, checked against the model: the reference state.
    let started = Instant::now();
    let first = run_at(&env, &idx, &["index", "-q", "c"]);
    let full_run = started.elapsed();
    assert_no_panic(&first);
    first.assert_status(0).assert_quiet_stderr();
    let mut committed = corpus.expected();
    assert_eq!(Counts::of(&stats_at(&env, &idx)), committed, "clean build");
    let clean_bytes = dir_bytes(&idx);
    let mut estimates = [full_run.mul_f64(0.4), full_run];

    let mut outcomes = Vec::new();
    let mut sizes = Vec::new();
    let mut leftover_tmp = 0;
    for i in 0..kills {
        let version = i + 1;
        corpus.mutate(version, &mut rng);
        let next = corpus.expected();
        assert_ne!(next, committed, "each round must change the counts");
        // Most rounds kill after a random delay; some kill on a sign of the
        // commit: the first new segment file in the index folder (segments
        // are written at commit), or meta.json changing (the commit is done;
        // merging and collecting follow).
        let trigger = match i % 5 {
            3 => Trigger::NewSegmentFile,
            4 => Trigger::MetaChanged,
            _ => Trigger::Delay,
        };
        let rebuild = i % 5 == 2;
        let estimate = estimates[usize::from(rebuild)];
        // Stratified: round i kills somewhere in the i-th slice of the run.
        let fraction = (i as f64 + rng.unit()) / kills as f64;
        let delay = estimate.mul_f64(fraction * 1.1);

        let mut args = vec!["index", "-q", "c"];
        if rebuild {
            args.push("--rebuild");
        }
        let files_before: HashSet<_> = std::fs::read_dir(&idx)
            .expect("read index")
            .map(|e| e.expect("entry").file_name())
            .collect();
        let meta_before = std::fs::read(idx.join("meta.json")).expect("read meta.json");
        let started = Instant::now();
        let mut child = command_at(&env, &idx, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn briefs index");
        let finished_first = match trigger {
            Trigger::Delay => {
                std::thread::sleep(delay);
                child.try_wait().expect("try_wait").is_some()
            }
            Trigger::NewSegmentFile => !poll_until(&mut child, || {
                std::fs::read_dir(&idx).is_ok_and(|mut entries| {
                    entries.any(|e| {
                        e.is_ok_and(|e| {
                            !files_before.contains(&e.file_name())
                                && is_segment_file_name(&e.file_name().to_string_lossy())
                        })
                    })
                })
            }),
            Trigger::MetaChanged => !poll_until(&mut child, || {
                std::fs::read(idx.join("meta.json")).is_ok_and(|m| m != meta_before)
            }),
        };
        let killed_at = started.elapsed();
        child.kill().ok(); // SIGKILL on unix; an error means it already exited
        let status = child.wait().expect("wait");

        // Searches and stats work and show one of the two commits.
        let after_kill = stats_at(&env, &idx);
        let seen = Counts::of(&after_kill);
        let outcome = if seen == committed {
            "before commit"
        } else if seen == next {
            "after commit"
        } else {
            panic!(
                "round {i}: after SIGKILL at {killed_at:?} the index holds {seen:?}, \
                 neither the last commit {committed:?} nor the complete state {next:?}"
            );
        };
        assert_no_duplicates(&idx, &format!("round {i}, after SIGKILL"));
        let search = run_at(&env, &idx, &["search", "crashword", "-n", "3"]);
        assert_no_panic(&search);
        search.check(
            matches!(search.code(), Some(0 | 1)),
            "search after SIGKILL exits 0 or 1",
        );

        // The next run completes, unblocked, to the model's counts.
        let started = Instant::now();
        let complete = run_at(&env, &idx, &["index", "-q", "c"]);
        let took = started.elapsed();
        assert_no_panic(&complete);
        complete.assert_status(0).assert_quiet_stderr();
        assert_eq!(
            Counts::of(&stats_at(&env, &idx)),
            next,
            "round {i}: the run after the kill must reach the complete state"
        );
        assert_no_duplicates(&idx, &format!("round {i}, after the next run"));
        // Tantivy's atomic writes leave a `.tmpXXXXXX` file when killed
        // mid-write; the next run removes it, which
        // `sigkill_during_an_atomic_write_leaves_no_temporary_file` checks.
        let (temporary, orphans): (Vec<String>, Vec<String>) = orphan_files(&idx)
            .into_iter()
            .partition(|f| f.starts_with(".tmp"));
        assert!(
            orphans.is_empty(),
            "round {i}: files left in the index folder that no commit uses: {orphans:?}"
        );
        leftover_tmp = temporary.len();
        if outcome == "before commit" && !rebuild {
            estimates[0] = took.max(Duration::from_millis(50));
        }
        let bytes = dir_bytes(&idx);
        sizes.push(bytes);
        outcomes.push(format!(
            "{i:>2} {:<9} {:<13} kill at {:>5} ms: {}{}",
            if rebuild { "--rebuild" } else { "update" },
            format!("{trigger:?}"),
            killed_at.as_millis(),
            if finished_first {
                "had already exited"
            } else {
                outcome
            },
            if status.code().is_some() && !finished_first {
                " (exited by itself)"
            } else {
                ""
            }
        ));
        committed = next;
    }

    // The end state equals a clean build of the final corpus.
    let clean_idx = env.root().join("idx-clean");
    run_at(&env, &clean_idx, &["index", "-q", "c"]).assert_status(0);
    let clean = Counts::of(&stats_at(&env, &clean_idx));
    assert_eq!(clean, committed, "clean build of the final corpus");
    assert_eq!(Counts::of(&stats_at(&env, &idx)), clean);
    let final_clean_bytes = dir_bytes(&clean_idx);
    let limit = final_clean_bytes.max(clean_bytes) * 2 + (256 << 10);
    eprintln!(
        "sigkill: {kills} kills survived (full run {:.2} s)\n  {}\n  index bytes after each round: {sizes:?}; clean build: {clean_bytes} then {final_clean_bytes}; .tmp files left: {leftover_tmp}",
        full_run.as_secs_f64(),
        outcomes.join("\n  ")
    );
    for (i, bytes) in sizes.iter().enumerate() {
        assert!(
            *bytes <= limit,
            "round {i}: the index folder holds {bytes} bytes, over twice a clean build ({final_clean_bytes}): files are piling up"
        );
    }
}

/// A kill while Tantivy writes meta.json or .managed.json (write to a
/// temporary file, then rename) must not leave the temporary file behind
/// for good: the next run should remove it.
#[test]
fn sigkill_during_an_atomic_write_leaves_no_temporary_file() {
    let tries = if long_tests() { 60 } else { 15 };
    let env = TestEnv::new();
    let mut corpus = CrashCorpus::new(env.root().join("c"), 300);
    let idx = env.index_dir();
    run_at(&env, &idx, &["index", "-q", "c"]).assert_status(0);
    let mut rng = Rng::for_test("atomic-write kill");
    let mut caught = 0;
    for version in 1..=tries {
        corpus.mutate(version, &mut rng);
        let mut child = command_at(&env, &idx, &["index", "-q", "c"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let hit = poll_until(&mut child, || {
            std::fs::read_dir(&idx).is_ok_and(|mut entries| {
                entries
                    .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with(".tmp")))
            })
        });
        child.kill().ok();
        child.wait().expect("wait");
        caught += usize::from(hit);
        run_at(&env, &idx, &["index", "-q", "c"]).assert_status(0);
        let left: Vec<String> = orphan_files(&idx)
            .into_iter()
            .filter(|f| f.starts_with(".tmp"))
            .collect();
        assert!(
            left.is_empty(),
            "after {caught} kills during an atomic write, a full run left {left:?}"
        );
    }
    eprintln!("atomic-write kill: {caught} of {tries} kills landed while a temporary file existed");
}

/// A kill in the first moments of the very first `briefs index` (before the
/// first commit has its payload) must not leave an index that every command
/// then rejects as "made by another version".
#[test]
fn sigkill_during_the_first_ever_index_run_leaves_a_usable_folder() {
    let tries = if long_tests() { 200 } else { 40 };
    let mut rng = Rng::for_test("first-run kill");
    let env = TestEnv::new();
    for i in 0..3 {
        env.write(
            &format!("b{i}.txt"),
            format!("Small Brief {i} — Desk\n📉 firstrunword point {i}.\n- Summary {i}.\n"),
        );
    }
    // How long a whole first run takes.
    let started = Instant::now();
    env.run(&["index", "briefs"]).assert_status(0);
    let full = started.elapsed();
    let mut broken = Vec::new();
    for t in 0..tries {
        std::fs::remove_dir_all(env.index_dir()).expect("remove index");
        let delay = full.mul_f64(rng.unit() * 1.2);
        let mut child = env
            .command(&["index", "briefs"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        child.kill().ok();
        child.wait().expect("wait");
        let stats = env.run(&["stats", "--json"]);
        assert_no_panic(&stats);
        let ok = stats.code() == Some(0)
            || (stats.code() == Some(2) && stderr_lossy(&stats).contains("no index at"));
        if !ok {
            broken.push(format!(
                "try {t}, kill at {delay:?}: {}",
                stderr_lossy(&stats).trim()
            ));
        }
        let again = env.run(&["index", "briefs"]);
        assert_no_panic(&again);
        if again.code() != Some(0) {
            broken.push(format!(
                "try {t}, kill at {delay:?}: the next `briefs index` fails: {}",
                stderr_lossy(&again).trim()
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "{} problems in {tries} tries:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
