//! Robustness tests (issue 6), run on the binary: `crash` kills it at
//! random moments, `concurrency` runs two writers and searches at once,
//! `hostile_input` feeds it bad files, odd names and vanishing files,
//! `versions` hands it indexes from another version, `containment` checks
//! that it reads and writes only what it should, `access` that searches
//! need no write access and what cannot be read keeps its briefs, `budget`
//! that no query, batch line, `--limit` or `--offset` crashes a search or
//! runs unbounded. (The fuzzing of the parser, the query parser, search and
//! the text repair is unit tests: `src/*/properties.rs`.)
//!
//! Every test here is quick by default (all of them run in well under a
//! minute on two cores); those that kill in a loop or build a corpus have a
//! long form:
//!
//! ```console
//! $ cargo test --test main robustness                                       # quick
//! $ BRIEFS_LONG_TESTS=1 cargo test --release --test main robustness -- --nocapture  # long
//! ```
//!
//! `BRIEFS_LONG_TESTS=1` raises the SIGKILL loop to 24 kills (and the other
//! kill loops' tries) and the churn and concurrency corpora.
//! `BRIEFS_TEST_SEED=N` repeats a run of the randomised tests (each prints
//! its seed; `--nocapture` shows it).

mod access;
mod budget;
mod concurrency;
mod containment;
mod crash;
mod hostile_input;
mod terminal;
mod versions;

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use briefs::BriefIndex;
use serde_json::Value;

use crate::common::{Run, TestEnv, describe};

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
            "meta.json"
                | ".managed.json"
                | ".tantivy-meta.lock"
                | ".tantivy-writer.lock"
                | ".tantivy-create.lock"
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

/// The stored field of each brief's and bullet's id (`id` in
/// `src/index/schema.rs`; the schema is part of the on-disk format, so its
/// name changes only with the schema version).
const ID_FIELD: &str = "id";

/// Counts the live briefs and bullets in the index and finds those whose id
/// another one shares, reading every live document's stored `id` through
/// the library. Returns the documents seen and the repeated ids.
fn duplicate_ids(index: &Path) -> (usize, Vec<String>) {
    use tantivy::schema::Value;
    let opened = BriefIndex::open(index).expect("open the index");
    let reader = opened.reader().expect("reader");
    let searcher = reader.searcher();
    let id_field = searcher.schema().get_field(ID_FIELD).expect("the id field");
    let mut seen = HashSet::new();
    let mut dups = Vec::new();
    let mut docs = 0;
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1).expect("the store");
        for doc in store.iter::<tantivy::TantivyDocument>(segment.alive_bitset()) {
            let doc = doc.expect("a stored document");
            // File records have no id.
            let Some(id) = doc.get_first(id_field).and_then(|v| v.as_str()) else {
                continue;
            };
            docs += 1;
            if !seen.insert(id.to_string()) {
                dups.push(id.to_string());
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

/// Tantivy segment files are `<32 hex digits>.<ext>`.
fn is_segment_file_name(name: &str) -> bool {
    name.split_once('.')
        .is_some_and(|(stem, _)| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn assert_no_duplicates(index: &Path, context: &str) {
    let (docs, dups) = duplicate_ids(index);
    assert!(
        dups.is_empty(),
        "{context}: {} of {docs} briefs and bullets share an id with another (ids: {:?})",
        dups.len(),
        &dups[..dups.len().min(5)]
    );
}

/// A text brief with one point and one summary, each holding `word`.
fn good_brief(headline: &str, word: &str) -> String {
    format!("{headline} — Hostile Desk\n✅ {word} makes the point.\n- {word} in a summary.\n")
}
