//! Binary tests: run the `briefs` executable on briefs written to a
//! temporary folder and check its stdout, stderr, exit status and index.
//!
//! `index` builds and updates indexes (good, bad, changed and deleted
//! files, the default index); `parse` reads briefs (`briefs parse`, the
//! seed); `search` runs queries (exit codes, errors, JSON keys, kinds,
//! ranking, `show`, `related`); `folding` orders ties, folds
//! near-duplicates and groups hits; `output` checks colour, a broken pipe
//! and the golden files; `paths` refuses missing roots, `--index` that is
//! not an index folder, and dates that are not dates; `export` checks each
//! engine's export against that engine's documented rules; `stories`
//! clusters briefs into stories (the judged set's B-cubed figures, the
//! output, the flags) and folds search hits into them; `first_hour` what a
//! new user meets first (install lines, `--generate`, a `-word` query,
//! `--index`, the progress bar, ignore files); `query_faults` the query-side
//! faults of issue 13 (capitals, stop words, prefixes, hyphens, acronyms).
//!
//! Helpers live in `common/mod.rs`; hand-written fixtures in `fixtures/`;
//! expected output in `golden/` (`UPDATE_GOLDEN=1 cargo test` rewrites it).
//! Each module runs alone as `cargo test --test main cli::<module>`; none
//! has a long form.

mod conventions;
mod export;
mod first_hour;
mod folding;
mod ids;
mod index;
mod output;
mod parse;
mod paths;
mod query_faults;
mod rank_faults;
mod readme;
mod recency;
mod search;
mod stories;

use serde_json::Value;

use crate::common::{Run, TestEnv, fixture_names};

// ---------------------------------------------------------------------------
// Shared corpora

/// Copies the repository's `corpus/` into `env` as `corpus/`.
pub(crate) fn copy_corpus(env: &TestEnv) {
    let from = crate::common::manifest_dir().join("corpus");
    let mut stack = vec![from.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a corpus folder") {
            let path = entry.expect("a corpus entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&from).expect("below corpus/");
            let bytes = std::fs::read(&path).expect("read a corpus file");
            env.write_at(
                &std::path::Path::new("corpus").join(rel).to_string_lossy(),
                bytes,
            );
        }
    }
}

/// Three files, four briefs: a text brief (2 points, 2 summaries), a
/// Markdown brief (1 point, 1 summary) and a JSON Lines file with two
/// briefs (1 point, 2 summaries). Sources: Riverside Gazette (twice),
/// Metro Desk, Town Crier.
fn write_small_corpus(env: &TestEnv) {
    env.write(
        "tram.txt",
        "Tram Line Opens Early — Riverside Gazette\n\
         🚋 The new tram line opened two weeks ahead of schedule.\n\
         💶 The project finished under its budget.\n\
         - The tram opened early.\n\
         - Shops along the route reported more customers.\n",
    );
    env.write(
        "sub/bridge.md",
        "# Footbridge Reopens After Repairs\n\
         Source: Metro Desk\n\
         \n\
         🌉 The footbridge over the canal reopened on Friday.\n\
         - Pedestrians can cross the canal again.\n",
    );
    env.write(
        "sub/wire.jsonl",
        concat!(
            r#"{"headline": "Bakery Wins Bread Award", "source": "Town Crier", "points": ["🥖 The sourdough loaf took the top prize."], "summaries": ["Judges tasted forty loaves."]}"#,
            "\n",
            r#"{"headline": "Pelican Spotted at the Marina", "source": "Riverside Gazette", "summaries": ["Birdwatchers gathered at dawn."]}"#,
            "\n"
        ),
    );
}

/// The counts `stats --json` reports, without what changes between runs
/// (size, segments, commit time).
fn counts(stats: &Value) -> Vec<(&'static str, u64)> {
    [
        "briefs",
        "articles",
        "points",
        "summaries",
        "files",
        "files_with_problems",
        "sources",
    ]
    .into_iter()
    .map(|key| {
        let n = stats[key]
            .as_u64()
            .unwrap_or_else(|| panic!("stats.{key} is not a number: {stats}"));
        (key, n)
    })
    .collect()
}

fn count(stats: &Value, key: &str) -> u64 {
    stats[key]
        .as_u64()
        .unwrap_or_else(|| panic!("stats.{key} is not a number: {stats}"))
}

/// The single stdout line of an index run.
fn summary_line(run: &Run) -> String {
    let stdout = run.stdout_str();
    let lines: Vec<&str> = stdout.lines().collect();
    run.check(lines.len() == 1, "index prints exactly one summary line");
    lines[0].to_string()
}

/// Ids of the hits of `briefs search --json ARGS…` (which must exit 0).
fn hit_ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut full = vec!["search", "--json"];
    full.extend_from_slice(args);
    let run = env.run(&full);
    run.assert_status(0);
    run.json_lines()
        .iter()
        .map(|hit| hit["id"].as_str().expect("hit id is a string").to_string())
        .collect()
}

/// `briefs/<name>` for every fixture, as copied by `TestEnv::copy_fixtures`.
fn fixture_paths() -> Vec<String> {
    fixture_names()
        .into_iter()
        .map(|name| format!("briefs/{name}"))
        .collect()
}

// ---------------------------------------------------------------------------
// A brief whose point and summary restate each other (issue 3), for
// folding, grouping, show and related.

const RESTATED: &str = "Harbour Strike Ends After Twelve Days — Dock Weekly\n\
⚓ The harbour strike ended after twelve days when dockers accepted a 6.5% pay rise.\n\
🚢 Forty ships had queued outside the breakwater.\n\
- Dockers accepted a 6.5% pay rise, ending the twelve-day harbour strike.\n\
- The port expects the backlog to clear within a week.\n";

/// An index of the strike brief and a short ferry brief that shares `pay rise`.
fn strike_and_ferry() -> TestEnv {
    let env = TestEnv::new();
    env.write("strike.txt", RESTATED);
    env.write(
        "other.txt",
        "Ferry Pay Talks Open — Coast Post\n- Ferry crews seek a pay rise of 4%.\n",
    );
    env.run(&["index", "briefs"]).assert_status(0);
    env
}
