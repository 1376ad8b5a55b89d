//! Robustness tests (issue 6): crashes, concurrent use, hostile input, indexes
//! from another version, fuzzing, containment.
//!
//! Every test here has a quick default form (the whole file runs in well
//! under a minute on two cores) and a long form:
//!
//! ```console
//! $ cargo test --test robustness                                  # quick
//! $ BRIEFS_LONG_TESTS=1 PROPTEST_CASES=20000 \
//!       cargo test --release --test robustness -- --nocapture      # long
//! $ cargo test --test robustness -- --ignored                      # known bugs
//! ```
//!
//! `BRIEFS_LONG_TESTS=1` raises the SIGKILL loop to 24 kills and the churn
//! and concurrency corpora; `PROPTEST_CASES=N` sets the number of cases of
//! every property (each property prints how many it ran and how long it
//! took; `--nocapture` shows it). `BRIEFS_TEST_SEED=N` repeats a run of the
//! randomised binary tests (each prints its seed).

#[allow(dead_code)]
mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::OsStr;
use std::fmt::Debug;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use briefs::corpus::Problem;
use briefs::error::Error;
use briefs::index::{IndexOptions, Reporter, update_index};
use briefs::parse::{Format, parse_document, parse_jsonl_line};
use briefs::query::{literal_query, parse_query};
use briefs::search::{KindFilter, SearchOptions, search, search_grouped};
use briefs::store::BriefIndex;
use common::{Run, TestEnv, briefs_bin, describe};
use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, TestCaseError, TestRunner};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Shared helpers

/// True when the long forms were asked for.
fn long_tests() -> bool {
    std::env::var_os("BRIEFS_LONG_TESTS").is_some_and(|v| v == "1")
}

/// A small, seedable generator (splitmix64): no extra crate, and a failing
/// run can be repeated with `BRIEFS_TEST_SEED`.
struct Rng(u64);

impl Rng {
    fn for_test(name: &str) -> Rng {
        let seed = std::env::var("BRIEFS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("{name}: seed {seed} (BRIEFS_TEST_SEED={seed} repeats it)");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The counts that must match exactly between two index states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Counts {
    briefs: u64,
    points: u64,
    summaries: u64,
    files: u64,
}

impl Counts {
    fn of(stats: &Value) -> Counts {
        let get = |key: &str| {
            stats[key]
                .as_u64()
                .unwrap_or_else(|| panic!("stats.{key} is not a number: {stats}"))
        };
        Counts {
            briefs: get("briefs"),
            points: get("points"),
            summaries: get("summaries"),
            files: get("files"),
        }
    }

    fn add(&mut self, other: Counts) {
        self.briefs += other.briefs;
        self.points += other.points;
        self.summaries += other.summaries;
        self.files += other.files;
    }
}

/// `briefs --index DIR ARGS…` in `env`'s folder, scrubbed environment.
fn command_at<S: AsRef<OsStr>>(env: &TestEnv, index: &Path, args: &[S]) -> Command {
    let mut cmd = env.command_without_index::<&str>(&[]);
    cmd.arg("--index").arg(index).args(args);
    cmd
}

fn run_at<S: AsRef<OsStr>>(env: &TestEnv, index: &Path, args: &[S]) -> Run {
    Run::of(command_at(env, index, args))
}

fn stderr_lossy(run: &Run) -> String {
    String::from_utf8_lossy(&run.output.stderr).into_owned()
}

fn assert_no_panic(run: &Run) {
    let stderr = stderr_lossy(run);
    run.check(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "the command must not panic",
    );
    run.check(
        run.code().is_some(),
        "the command must exit, not die by a signal",
    );
}

/// `stats --json` of the index at `index`, which must exit 0.
fn stats_at(env: &TestEnv, index: &Path) -> Value {
    let run = run_at(env, index, &["stats", "--json"]);
    assert_no_panic(&run);
    run.assert_status(0);
    let mut lines = run.json_lines();
    assert_eq!(lines.len(), 1, "stats --json writes one line\n{run}");
    lines.remove(0)
}

/// Runs `cmd` to completion, or kills it after `limit` and returns `None`.
/// Output is drained by threads, so a chatty child cannot block on a pipe.
fn run_bounded(mut cmd: Command, limit: Duration) -> Option<Run> {
    let command = describe(&cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not run {command}: {e}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let status = wait_deadline(&mut child, limit);
    let status = match status {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
    };
    Some(Run {
        command,
        output: Output {
            status,
            stdout: out.join().expect("stdout thread"),
            stderr: err.join().expect("stderr thread"),
        },
    })
}

/// Polls `child` until it exits or `limit` passes.
fn wait_deadline(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Files in the index folder that belong to no segment of the last commit
/// (Tantivy's own bookkeeping files excepted): what a killed run can leave
/// behind, and what the next run must collect.
fn orphan_files(index: &Path) -> Vec<String> {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).expect("read meta.json"))
            .expect("meta.json is JSON");
    let mut live = HashSet::new();
    let mut deletes = HashSet::new();
    for segment in meta["segments"].as_array().expect("segments") {
        let id = segment["segment_id"]
            .as_str()
            .expect("segment_id")
            .replace('-', "");
        if let Some(opstamp) = segment["deletes"]["opstamp"].as_u64() {
            deletes.insert(format!("{id}.{opstamp}.del"));
        }
        live.insert(id);
    }
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(index).expect("read index folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if matches!(
            name.as_str(),
            "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
        ) {
            continue;
        }
        let ours = match name.split_once('.') {
            Some((stem, _)) if name.ends_with(".del") => {
                live.contains(stem) && deletes.contains(&name)
            }
            Some((stem, _)) => live.contains(stem),
            None => false,
        };
        if !ours {
            orphans.push(name);
        }
    }
    orphans.sort();
    orphans
}

/// Total bytes of the files in `dir` (not recursive).
fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("read folder")
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Counts the live briefs and bullets in the index and finds those whose id
/// another one shares, by the `tie` fast field (a 64-bit hash of the id),
/// read through the library. Returns the documents seen and the repeated
/// hashes.
fn duplicate_ids(index: &Path) -> (usize, Vec<String>) {
    let opened = BriefIndex::open(index).expect("open the index");
    let reader = opened.reader().expect("reader");
    let searcher = reader.searcher();
    let mut seen = HashSet::new();
    let mut dups = Vec::new();
    let mut docs = 0;
    for segment in searcher.segment_readers() {
        let column = segment
            .fast_fields()
            .u64(briefs::schema::TIE_FIELD)
            .expect("the tie column");
        for doc in 0..segment.max_doc() {
            if segment
                .alive_bitset()
                .is_some_and(|alive| !alive.is_alive(doc))
            {
                continue;
            }
            // File records have no id hash.
            if let Some(hash) = column.first(doc) {
                docs += 1;
                if !seen.insert(hash) {
                    dups.push(format!("{hash:016x}"));
                }
            }
        }
    }
    (docs, dups)
}

/// Entries under `root` (not following links) with what identifies their
/// version: kind, size, modification time, link target. Folders named in
/// `skip` (relative to `root`) are left out.
fn snapshot(root: &Path, skip: &[&str]) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder") {
            let entry = entry.expect("entry");
            let path = entry.path();
            let rel = path.strip_prefix(root).expect("under root").to_path_buf();
            if skip.iter().any(|s| rel == Path::new(s)) {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).expect("lstat");
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let target = std::fs::read_link(&path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let kind = if meta.is_dir() {
                "dir"
            } else if meta.file_type().is_symlink() {
                "link"
            } else {
                "file"
            };
            out.insert(
                rel,
                format!(
                    "{kind} {} {mtime} {target}",
                    if meta.is_dir() { 0 } else { meta.len() }
                ),
            );
            if meta.is_dir() {
                stack.push(path);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// 1. Crash safety: SIGKILL at random moments

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

/// Tantivy segment files are `<32 hex digits>.<ext>`.
fn is_segment_file_name(name: &str) -> bool {
    name.split_once('.')
        .is_some_and(|(stem, _)| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
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

fn assert_no_duplicates(index: &Path, context: &str) {
    let (docs, dups) = duplicate_ids(index);
    assert!(
        dups.is_empty(),
        "{context}: {} of {docs} briefs and bullets share an id with another (id hashes: {:?})",
        dups.len(),
        &dups[..dups.len().min(5)]
    );
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
        // mid-write; that leak has its own (ignored) test below.
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

// ---------------------------------------------------------------------------
// 2. Concurrency

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

// ---------------------------------------------------------------------------
// 3. Hostile input

/// One problem the index run must report: the path as shown, the line, and
/// words of the reason.
struct Expected {
    path: String,
    line: Option<usize>,
    reason: &'static str,
}

fn expect(path: &str, line: Option<usize>, reason: &'static str) -> Expected {
    Expected {
        path: format!("hostile/{path}"),
        line,
        reason,
    }
}

/// Writes `bytes` to `<root>/<name>` where `name` may hold any bytes.
fn write_raw(root: &Path, name: &[u8], bytes: &[u8]) -> PathBuf {
    let path = root.join(OsStr::from_bytes(name));
    std::fs::write(&path, bytes).expect("write hostile file");
    path
}

fn good_brief(headline: &str, word: &str) -> String {
    format!("{headline} — Hostile Desk\n✅ {word} makes the point.\n- {word} in a summary.\n")
}

#[test]
fn hostile_input_is_reported_and_the_rest_indexed() {
    let env = TestEnv::new();
    let dir = env.root().join("hostile");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut rng = Rng::for_test("hostile");
    let mut problems: Vec<Expected> = Vec::new();
    let mut good = Counts::default();
    let mut words: Vec<&str> = Vec::new();
    let mut files = 0u64;
    let mut add_good = |counts: (u64, u64, u64), word: &'static str| {
        good.add(Counts {
            briefs: counts.0,
            points: counts.1,
            summaries: counts.2,
            files: 0,
        });
        words.push(word);
    };

    // Good files, some with hostile shapes.
    write_raw(
        &dir,
        b"good.txt",
        good_brief("Plain Good Brief", "goodtextword").as_bytes(),
    );
    add_good((1, 1, 1), "goodtextword");
    let body_line: String = (0..(5 << 20) / 8)
        .map(|i| if i % 2 == 0 { "filler " } else { "padding " })
        .collect();
    write_raw(
        &dir,
        b"long-line.txt",
        format!("Long Line Brief — Wide Desk\n- longtxtword summary.\n{body_line} longbodyword\n")
            .as_bytes(),
    );
    add_good((1, 0, 1), "longtxtword");
    let jsonl_line = json!({"headline": "Wide JSON Line", "summaries": ["longjsonword summary."], "body": body_line});
    write_raw(
        &dir,
        b"long-line.jsonl",
        format!("{jsonl_line}\n").as_bytes(),
    );
    add_good((1, 0, 1), "longjsonword");
    write_raw(
        &dir,
        b"with space.txt",
        good_brief("Spaced Name", "spacednameword").as_bytes(),
    );
    add_good((1, 1, 1), "spacednameword");
    write_raw(
        &dir,
        b"new\nline.txt",
        good_brief("Newline Name", "newlinenameword").as_bytes(),
    );
    add_good((1, 1, 1), "newlinenameword");
    write_raw(
        &dir,
        b"latin-\xe9.txt",
        good_brief("Latin Name", "latinnameword").as_bytes(),
    );
    add_good((1, 1, 1), "latinnameword");
    std::fs::create_dir_all(dir.join("folder.txt")).expect("mkdir");
    write_raw(
        &dir.join("folder.txt"),
        b"inner.txt",
        good_brief("Inner Folder", "innerfolderword").as_bytes(),
    );
    add_good((1, 1, 1), "innerfolderword");
    // links/inner/up → links: a folder linked to its parent; and a link to
    // nothing. Only `-L` (below) follows them.
    std::fs::create_dir_all(dir.join("links/inner")).expect("mkdir");
    write_raw(
        &dir.join("links/inner"),
        b"inside.txt",
        good_brief("Loop Folder", "loopfolderword").as_bytes(),
    );
    add_good((1, 1, 1), "loopfolderword");
    std::os::unix::fs::symlink("..", dir.join("links/inner/up")).expect("symlink loop");
    std::os::unix::fs::symlink("does-not-exist.txt", dir.join("links/dangling.txt"))
        .expect("dangling symlink");
    files += 8;

    // Bad files.
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00".to_vec();
    png.extend((0..4096).map(|_| rng.next() as u8));
    write_raw(&dir, b"image.txt", &png);
    problems.push(expect("image.txt", None, "binary file"));
    let mut random: Vec<u8> = (0..8192).map(|_| rng.next() as u8).collect();
    random[100] = 0;
    write_raw(&dir, b"random.md", &random);
    problems.push(expect("random.md", None, "binary file"));
    write_raw(
        &dir,
        b"cp.txt",
        b"Undecodable Brief\n- this byte \x81 is in no code page\n",
    );
    problems.push(expect("cp.txt", Some(2), "not UTF-8"));
    write_raw(
        &dir,
        b"nul.txt",
        b"NUL Brief \xe2\x80\x94 Desk\n- text\x00more\n",
    );
    problems.push(expect("nul.txt", None, "binary file"));
    write_raw(&dir, b"empty.txt", b"");
    problems.push(expect("empty.txt", None, "empty file"));
    {
        let chunk = good_brief("Huge Brief", "hugefileword").repeat(1000);
        let mut file = std::fs::File::create(dir.join("huge.txt")).expect("create");
        let mut written = 0;
        while written < 50 << 20 {
            std::io::Write::write_all(&mut file, chunk.as_bytes()).expect("write");
            written += chunk.len();
        }
    }
    problems.push(expect("huge.txt", None, "too large"));
    write_raw(&dir, b"deep.json", "[".repeat(100_000).as_bytes());
    problems.push(expect("deep.json", Some(1), "malformed JSON"));
    write_raw(&dir, b"typed.json", br#"{"headline": 42, "points": "x"}"#);
    problems.push(expect("typed.json", Some(1), "`headline` must be a string"));
    let mixed = [
        json!({"headline": "Mixed Good One", "points": ["✅ mixedalpha point"]}).to_string(),
        "not json at all".to_string(),
        json!({"headline": "Mixed Good Two", "points": ["✅ mixedbeta point"]}).to_string(),
        r#"{"headline" "no colon"}"#.to_string(),
        json!({"headline": "Mixed Good Three", "points": ["✅ mixedgamma point"]}).to_string(),
        "[1, 2, 3]".to_string(),
        String::new(),
        "[".repeat(100_000),
        json!({"headline": "Mixed Good Four", "points": ["✅ mixeddelta point"]}).to_string(),
    ]
    .join("\n");
    write_raw(&dir, b"mixed.jsonl", mixed.as_bytes());
    for (line, reason) in [
        (2, "malformed JSON"),
        (4, "malformed JSON"),
        (6, "expected a JSON object"),
        (8, "malformed JSON"),
    ] {
        problems.push(expect("mixed.jsonl", Some(line), reason));
    }
    for word in ["mixedalpha", "mixedbeta", "mixedgamma", "mixeddelta"] {
        add_good((1, 1, 0), word);
    }
    let typed = [
        r#"{"headline": ["a list"]}"#,
        r#"{"headline": "Typed Two", "points": "not a list"}"#,
        r#"{"headline": "Typed Three", "summaries": [1, 2]}"#,
        r#"{"headline": "Typed Four", "date": {"day": 1}}"#,
        r#"{"headline": "Typed Five", "id": true}"#,
        r#"{"headline": "Typed Good", "summaries": ["typedgoodword here"]}"#,
    ]
    .join("\r\n");
    write_raw(&dir, b"typed.jsonl", typed.as_bytes());
    for (line, reason) in [
        (1, "`headline` must be a string"),
        (2, "`points` must be an array"),
        (3, "`summaries[0]` must be a string"),
        (4, "`date` must be a string"),
        (5, "`id` must be a string or a number"),
    ] {
        problems.push(expect("typed.jsonl", Some(line), reason));
    }
    add_good((1, 0, 1), "typedgoodword");
    write_raw(&dir, b"bad-\xfe name.txt", b"");
    problems.push(Expected {
        path: "hostile/bad-\u{FFFD} name.txt".into(),
        line: None,
        reason: "empty file",
    });
    files += 11;

    // An unreadable file: only meaningful when permissions are enforced.
    let secret = write_raw(
        &dir,
        b"secret.txt",
        good_brief("Secret Brief", "secretword").as_bytes(),
    );
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    files += 1;
    let privileged = std::fs::read(&secret).is_ok();
    if privileged {
        eprintln!(
            "hostile: running as root, where chmod 000 is still readable; the unreadable-file case is skipped (the file is a good brief here)"
        );
        add_good((1, 1, 1), "secretword");
    } else {
        problems.push(expect("secret.txt", None, "ermission denied"));
    }
    let bad_files: BTreeSet<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    let bad_files = bad_files.len() as u64;
    let tried = files + 2; // and the two symbolic links
    good.files = files;

    // Index it, measuring peak memory when /usr/bin/time is there.
    let rss_file = env.root().join("rss.txt");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut cmd = env.scrubbed_command(time);
        cmd.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&rss_file)
            .arg(briefs_bin());
        cmd.arg("--index")
            .arg(env.index_dir())
            .args(["index", "hostile"]);
        cmd
    } else {
        env.command(&["index", "hostile"])
    };
    cmd.current_dir(env.root());
    let run = run_bounded(cmd, Duration::from_secs(300)).expect("index of hostile input finishes");
    assert_no_panic(&run);
    run.assert_status(1);
    let stderr = stderr_lossy(&run);
    let reported: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("briefs: "))
        .collect();
    for p in &problems {
        let lead = match p.line {
            Some(line) => format!("briefs: {}:{line}: ", p.path),
            None => format!("briefs: {}: ", p.path),
        };
        run.check(
            reported
                .iter()
                .any(|l| l.starts_with(&lead) && l.contains(p.reason)),
            &format!("stderr reports `{lead}… {}…`", p.reason),
        );
    }
    run.check(
        reported.len() == problems.len(),
        &format!("exactly {} problems reported, one a line", problems.len()),
    );
    let stats = stats_at(&env, &env.index_dir());
    assert_eq!(
        Counts::of(&stats),
        good,
        "everything else is indexed\n{run}"
    );
    assert_eq!(
        stats["files_with_problems"].as_u64(),
        Some(bad_files),
        "{stats}"
    );
    for word in &words {
        let search = env.run(&["search", "--kind", "all", word]);
        assert_no_panic(&search);
        search.check(search.code() == Some(0), &format!("`{word}` is found"));
    }
    let body = env.run(&["search", "--kind", "article", "longbodyword"]);
    body.assert_status(0);
    for absent in ["hugefileword", "mixedcut"] {
        env.run(&["search", absent]).assert_status(1);
    }
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse::<u64>().ok()));
    match rss {
        Some(kb) => {
            eprintln!(
                "hostile: {tried} hostile entries, peak RSS of the index run {} MiB",
                kb >> 10
            );
            assert!(kb < 1 << 20, "peak RSS {kb} KiB is over 1 GiB");
        }
        None => eprintln!(
            "hostile: {tried} hostile entries; /usr/bin/time not available, peak RSS not measured"
        ),
    }

    // Unchanged files: the same problems again, nothing re-read, still exit 1.
    let again = env.run(&["index", "hostile"]);
    assert_no_panic(&again);
    again.assert_status(1);
    let again_stderr = stderr_lossy(&again);
    let again_lines: Vec<&str> = again_stderr
        .lines()
        .filter(|l| l.starts_with("briefs: "))
        .collect();
    again.check(
        again_lines.len() == problems.len()
            && again_lines
                .iter()
                .all(|l| l.ends_with("(unchanged since it was last read)")),
        "a re-run reports the recorded problems as unchanged",
    );
    assert_eq!(Counts::of(&env.stats()), good);

    // Following links: the loop and the dangling link are reported, the
    // brief beside them is read once.
    let follow_idx = env.root().join("idx-follow");
    let follow = run_bounded(
        command_at(&env, &follow_idx, &["index", "-L", "hostile/links"]),
        Duration::from_secs(120),
    )
    .expect("index -L over a symbolic link loop finishes");
    assert_no_panic(&follow);
    follow.assert_status(1);
    let follow_stderr = stderr_lossy(&follow);
    follow.check(
        follow_stderr
            .lines()
            .any(|l| l.starts_with("briefs: hostile/links/inner/up: ") && l.contains("loop")),
        "-L reports the symbolic link loop with its path",
    );
    follow.check(
        follow_stderr
            .lines()
            .any(|l| l.starts_with("briefs: hostile/links/dangling.txt: ")),
        "-L reports the dangling link with its path",
    );
    follow.check(
        follow_stderr.lines().count() == 2,
        "nothing else is reported",
    );
    assert_eq!(
        Counts::of(&stats_at(&env, &follow_idx)),
        Counts {
            briefs: 1,
            points: 1,
            summaries: 1,
            files: 1
        },
        "-L reads the brief beside the loop once"
    );

    if !privileged {
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644))
            .expect("chmod back");
    }
}

/// Two files whose names differ only in bytes that are not UTF-8 are two
/// files, and both are indexed.
#[test]
fn non_utf8_names_that_differ_only_in_invalid_bytes_are_both_indexed() {
    let env = TestEnv::new();
    let dir = env.briefs_dir();
    std::fs::create_dir_all(&dir).expect("mkdir");
    write_raw(
        &dir,
        b"a-\xe9.txt",
        good_brief("First Latin", "firstlatinword").as_bytes(),
    );
    write_raw(
        &dir,
        b"a-\xff.txt",
        good_brief("Second Latin", "secondlatinword").as_bytes(),
    );
    let run = env.run(&["index", "briefs"]);
    assert_no_panic(&run);
    run.assert_status(0);
    assert_eq!(Counts::of(&env.stats()).briefs, 2, "{run}");
    env.run(&["search", "firstlatinword"]).assert_status(0);
    env.run(&["search", "secondlatinword"]).assert_status(0);
}

/// A JSON Lines line cut short (the usual damage in an export) is reported
/// at its own line, not the next one.
#[test]

fn a_truncated_jsonl_line_is_reported_at_its_own_line() {
    let env = TestEnv::new();
    env.write(
        "w.jsonl",
        "{\"headline\": \"cut off\n{\"headline\": \"Good Line\"}\n{\"headline\": \"no end\"\n",
    );
    let run = env.run(&["index", "briefs"]);
    assert_no_panic(&run);
    run.assert_status(1);
    let stderr = stderr_lossy(&run);
    run.check(
        stderr.contains("briefs: briefs/w.jsonl:1: "),
        "line 1 is reported as line 1",
    );
    run.check(
        stderr.contains("briefs: briefs/w.jsonl:3: "),
        "line 3 is reported as line 3",
    );
    run.check(
        !stderr.contains("w.jsonl:2:") && !stderr.contains("w.jsonl:4:"),
        "no other line is blamed",
    );
}

/// Files created and deleted while `briefs index` walks and reads: each
/// vanished file is reported with its path (or was never seen), nothing
/// panics, and the next run matches what is on disk.
#[test]
fn files_vanishing_during_the_walk_are_reported_and_the_next_run_matches_the_disk() {
    let env = TestEnv::new();
    let n = if long_tests() { 6000 } else { 1500 };
    for i in 0..n {
        env.write(
            &format!("stable/s{:02}/b{i}.txt", i % 20),
            format!("Stable Brief {i} — Desk\n📌 stableword point {i}.\n"),
        );
    }
    let churn_dir = env.briefs_dir().join("churn");
    std::fs::create_dir_all(&churn_dir).expect("mkdir");
    let stop = Arc::new(AtomicBool::new(false));
    let churned = Arc::new(AtomicUsize::new(0));
    let worker = {
        let stop = Arc::clone(&stop);
        let churned = Arc::clone(&churned);
        let dir = churn_dir.clone();
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let text = format!("Churn Brief {i} — Desk\n📌 churnword point {i}.\n");
                let _ = std::fs::write(dir.join(format!("c{:03}.txt", i % 200)), text);
                if i >= 100 {
                    let _ = std::fs::remove_file(dir.join(format!("c{:03}.txt", (i - 100) % 200)));
                }
                i += 1;
                churned.store(i, Ordering::Relaxed);
            }
        })
    };
    let run = run_bounded(env.command(&["index", "briefs"]), Duration::from_secs(300))
        .expect("index finishes while files churn");
    stop.store(true, Ordering::Relaxed);
    worker.join().expect("churn thread");
    assert_no_panic(&run);
    run.check(
        matches!(run.code(), Some(0 | 1)),
        "exit 0 or 1 while files churn",
    );
    let stderr = stderr_lossy(&run);
    let reported: Vec<&str> = stderr.lines().collect();
    for line in &reported {
        run.check(
            line.starts_with("briefs: briefs/churn/c"),
            "every problem names a churned file",
        );
    }
    eprintln!(
        "churn: {} files written or deleted during the run, {} reported as vanished or incomplete",
        churned.load(Ordering::Relaxed),
        reported.len()
    );
    // Settle, then the index must match the disk exactly.
    let settled = env.run(&["index", "briefs"]);
    assert_no_panic(&settled);
    settled.assert_status(0);
    let on_disk = std::fs::read_dir(&churn_dir).expect("read churn").count() as u64;
    let stats = Counts::of(&env.stats());
    assert_eq!(
        stats,
        Counts {
            briefs: n as u64 + on_disk,
            points: n as u64 + on_disk,
            summaries: 0,
            files: n as u64 + on_disk,
        },
        "after the churn stops, one run brings the index to what is on disk"
    );
    assert_no_duplicates(&env.index_dir(), "after churn");
}

/// A FIFO (or another special file) reached through `-L` must not block the
/// run forever.
#[test]

fn special_files_reached_with_follow_do_not_hang_the_run() {
    let env = TestEnv::new();
    env.write(
        "good.txt",
        good_brief("Fifo Neighbour", "fifoneighbourword"),
    );
    let made = Command::new("mkfifo")
        .arg(env.briefs_dir().join("pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("fifo: mkfifo is not available; skipped");
        return;
    }
    // Without -L the FIFO is not a regular file and is passed over.
    let plain = run_bounded(env.command(&["index", "briefs"]), Duration::from_secs(60))
        .expect("index without -L finishes");
    assert_no_panic(&plain);
    plain.assert_status(0);
    let follow = run_bounded(
        command_at(
            &env,
            &env.root().join("idx-follow"),
            &["index", "-L", "briefs"],
        ),
        Duration::from_secs(30),
    );
    let follow = follow.expect("`briefs index -L` over a FIFO finishes instead of blocking");
    assert_no_panic(&follow);
    follow.check(matches!(follow.code(), Some(0 | 1)), "exit 0 or 1");
}

// ---------------------------------------------------------------------------
// 4. An index from another version

fn write_two_briefs(env: &TestEnv) {
    env.write(
        "one.txt",
        "Version Brief One — Desk\n📉 versionword point one.\n- Summary one.\n",
    );
    env.write(
        "two.txt",
        "Version Brief Two — Desk\n📈 versionword point two.\n",
    );
}

/// Every reading and writing command gives one line naming `--rebuild`,
/// exit 2, changes nothing; `index --rebuild` then works.
fn assert_other_version_handled(env: &TestEnv, idx: &Path, case: &str) {
    let before = snapshot(idx, &[]);
    for args in [
        vec!["search", "versionword"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["index", "briefs"],
        vec!["show", "briefs/one.txt"],
        vec!["related", "briefs/one.txt#p1"],
    ] {
        let run = run_at(env, idx, &args);
        assert_no_panic(&run);
        run.assert_status(2);
        let stderr = stderr_lossy(&run);
        run.check(
            stderr.lines().count() == 1 && stderr.contains("--rebuild"),
            &format!("{case}: one line naming --rebuild"),
        );
        run.check(run.output.stdout.is_empty(), "nothing on stdout");
    }
    assert_eq!(
        before,
        snapshot(idx, &[]),
        "{case}: the failed commands changed the index folder"
    );
    std::fs::write(idx.join("NOTES.txt"), "keep me").expect("write a user file");
    let rebuild = run_at(env, idx, &["index", "--rebuild", "briefs"]);
    assert_no_panic(&rebuild);
    rebuild.assert_status(0);
    let stats = Counts::of(&stats_at(env, idx));
    assert_eq!(
        stats,
        Counts {
            briefs: 2,
            points: 2,
            summaries: 1,
            files: 2
        },
        "{case}: after --rebuild"
    );
    run_at(env, idx, &["search", "versionword"]).assert_status(0);
    assert!(
        idx.join("NOTES.txt").exists(),
        "{case}: --rebuild removes only the index's own files"
    );
    assert!(
        orphan_files(idx).iter().all(|f| f == "NOTES.txt"),
        "{case}: {:?}",
        orphan_files(idx)
    );
}

fn edit_meta(idx: &Path, edit: impl FnOnce(&mut Value)) {
    let path = idx.join("meta.json");
    let mut meta: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read meta")).expect("meta JSON");
    edit(&mut meta);
    std::fs::write(&path, serde_json::to_vec_pretty(&meta).expect("serialise"))
        .expect("write meta");
}

fn edit_payload(idx: &Path, edit: impl FnOnce(&mut Value)) {
    edit_meta(idx, |meta| {
        let mut payload: Value =
            serde_json::from_str(meta["payload"].as_str().expect("payload string"))
                .expect("payload JSON");
        edit(&mut payload);
        meta["payload"] = Value::String(payload.to_string());
    });
}

#[test]
fn indexes_from_another_version_explain_and_rebuild() {
    let env = TestEnv::new();
    write_two_briefs(&env);

    // A Tantivy index with another schema, with a document in it.
    let foreign = env.root().join("foreign");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    {
        let mut builder = tantivy::schema::Schema::builder();
        let title =
            builder.add_text_field("title", tantivy::schema::TEXT | tantivy::schema::STORED);
        let index =
            tantivy::Index::create_in_dir(&foreign, builder.build()).expect("create foreign");
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        writer
            .add_document(tantivy::doc!(title => "versionword in another schema"))
            .expect("add");
        writer.commit().expect("commit");
    }
    assert_other_version_handled(&env, &foreign, "another schema");

    // Our schema, but a commit payload from a future version.
    let future = env.root().join("future");
    run_at(&env, &future, &["index", "briefs"]).assert_status(0);
    edit_payload(&future, |p| p["version"] = json!(999));
    assert_other_version_handled(&env, &future, "payload version 999");

    // Another program's payload.
    let other = env.root().join("other");
    run_at(&env, &other, &["index", "briefs"]).assert_status(0);
    edit_payload(&other, |p| p["format"] = json!("not-briefs"));
    assert_other_version_handled(&env, &other, "payload format not-briefs");

    // Our schema, no payload and no segments: what a first run killed before
    // its first commit leaves. It is ours and empty, so it is simply used.
    let bare = env.root().join("bare");
    std::fs::create_dir_all(&bare).expect("mkdir");
    tantivy::Index::create_in_dir(&bare, briefs::schema::build_schema().0).expect("create bare");
    run_at(&env, &bare, &["search", "versionword"]).assert_status(1);
    run_at(&env, &bare, &["index", "briefs"]).assert_status(0);
}

/// Segment files written by a newer Tantivy (index format 9 in each file's
/// footer) are an index from another version too.
#[test]

fn an_index_written_by_another_tantivy_format_explains_and_rebuilds() {
    let env = TestEnv::new();
    write_two_briefs(&env);
    let newer = env.root().join("newer");
    run_at(&env, &newer, &["index", "briefs"]).assert_status(0);
    let mut patched = 0;
    for entry in std::fs::read_dir(&newer).expect("read index") {
        let path = entry.expect("entry").path();
        if !is_segment_file_name(&path.file_name().expect("name").to_string_lossy()) {
            continue;
        }
        let mut bytes = std::fs::read(&path).expect("read segment file");
        let from = br#""index_format_version":7}"#;
        let at = bytes
            .windows(from.len())
            .rposition(|w| w == from)
            .unwrap_or_else(|| panic!("no format version in the footer of {}", path.display()));
        bytes[at + from.len() - 2] = b'9';
        std::fs::write(&path, bytes).expect("write segment file");
        patched += 1;
    }
    assert!(patched > 0, "no segment files to patch");
    assert_other_version_handled(&env, &newer, "index format 9 in the segment footers");
}

/// A damaged `meta.json` gives an error, never a panic; `--rebuild` is
/// documented as the way out of an unusable index and should work.
#[test]

fn a_corrupt_meta_json_can_be_rebuilt() {
    let env = TestEnv::new();
    write_two_briefs(&env);
    env.run(&["index", "briefs"]).assert_status(0);
    std::fs::write(env.index_dir().join("meta.json"), b"{\"segments\": [tru")
        .expect("corrupt meta");
    for args in [
        vec!["search", "versionword"],
        vec!["stats"],
        vec!["index", "briefs"],
    ] {
        let run = env.run(&args);
        assert_no_panic(&run);
        run.assert_status(2);
        run.check(
            stderr_lossy(&run).contains("--rebuild"),
            "the message names --rebuild",
        );
    }
    let rebuild = env.run(&["index", "--rebuild", "briefs"]);
    assert_no_panic(&rebuild);
    rebuild.assert_status(0);
    assert_eq!(Counts::of(&env.stats()).briefs, 2);
}

#[test]
fn a_corrupt_meta_json_is_an_error_not_a_panic() {
    let env = TestEnv::new();
    write_two_briefs(&env);
    env.run(&["index", "briefs"]).assert_status(0);
    for garbage in [&b"{\"segments\": [tru"[..], b"", b"\xff\xfe\x00", b"[]"] {
        std::fs::write(env.index_dir().join("meta.json"), garbage).expect("corrupt meta");
        for args in [
            vec!["search", "versionword"],
            vec!["stats"],
            vec!["index", "briefs"],
            vec!["index", "--rebuild", "briefs"],
        ] {
            let run = env.run(&args);
            assert_no_panic(&run);
            run.check(
                run.code() == Some(2) || (args[1] == "--rebuild" && run.code() == Some(0)),
                "a corrupt meta.json is exit 2 (or a successful rebuild)",
            );
            run.check(
                stderr_lossy(&run).lines().count() <= 1,
                "at most one line on stderr",
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 6. Containment

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
