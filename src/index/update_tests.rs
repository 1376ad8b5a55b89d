//! Unit tests of the index update (`update.rs`) over a temporary folder:
//! what each run adds, updates, removes and leaves unchanged, what it
//! commits, and how a file with a problem is recorded and reported again,
//! as unchanged, until it changes.

use std::path::PathBuf;

use super::*;
use crate::index::readers::MAX_BULLETS_PER_BRIEF;
use crate::index::{IndexStats, index_stats};

/// Everything the reporter heard.
#[derive(Default)]
struct Recorder {
    /// Each problem as shown, and whether it was reported as unchanged.
    problems: Vec<(String, bool)>,
    progress: Vec<Progress>,
}

impl Reporter for Recorder {
    fn problem(&mut self, problem: &Problem, unchanged: bool) {
        self.problems.push((problem.to_string(), unchanged));
    }

    fn progress(&mut self, progress: Progress) {
        self.progress.push(progress);
    }
}

/// A folder of briefs and an index beside it.
struct Fixture {
    dir: tempfile::TempDir,
    index: BriefIndex,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("briefs")).unwrap();
        let index = BriefIndex::create(&dir.path().join("idx")).unwrap();
        Fixture { dir, index }
    }

    /// `briefs/<rel>`, or `briefs` itself.
    fn path(&self, rel: &str) -> PathBuf {
        let briefs = self.dir.path().join("briefs");
        if rel.is_empty() {
            briefs
        } else {
            briefs.join(rel)
        }
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Brings the index up to date with `roots` (under `briefs/`).
    fn update_roots(&self, roots: &[&str], rebuild: bool) -> (IndexReport, Recorder) {
        let mut options = IndexOptions::new(roots.iter().map(|r| self.path(r)).collect());
        options.rebuild = rebuild;
        options.threads = 1;
        options.memory_budget = 15_000_000;
        let mut recorder = Recorder::default();
        let report = update_index(&self.index, &options, &mut recorder).unwrap();
        (report, recorder)
    }

    fn update(&self) -> (IndexReport, Recorder) {
        self.update_roots(&[""], false)
    }

    fn stats(&self) -> IndexStats {
        let searcher = self.index.reader().unwrap().searcher();
        index_stats(&self.index, &searcher).unwrap()
    }

    /// The problems heard, with `<folder>/briefs/` shown as `…/`.
    fn problems(&self, recorder: &Recorder) -> Vec<(String, bool)> {
        let briefs = self.path("");
        let prefix = format!("{}/", briefs.display());
        recorder
            .problems
            .iter()
            .map(|(text, unchanged)| (text.replace(&prefix, "…/"), *unchanged))
            .collect()
    }
}

/// Files added, updated, removed, unchanged and skipped; and whether it
/// committed.
fn files(report: &IndexReport) -> ([usize; 5], bool) {
    (
        [
            report.added,
            report.updated,
            report.removed,
            report.unchanged,
            report.skipped,
        ],
        report.committed,
    )
}

/// Briefs, points, summaries, files and files with problems.
fn held(stats: &IndexStats) -> [u64; 5] {
    [
        stats.briefs,
        stats.points,
        stats.summaries,
        stats.files,
        stats.files_with_problems,
    ]
}

const ONE: &str =
    "Ferry fares drop — Harbor Ledger\n📉 Fares fall 8% in May.\n- Ferries got cheaper.\n";
const TWO: &str = "Tram line opens — Metro Desk\n🚋 The line opened early.\n";
const FEED: &str = "{\"headline\": \"Bakery wins\", \"summaries\": [\"Judges tasted forty loaves.\"]}\n{\"headline\": \"Pelican seen\", \"points\": [\"🐦 At the marina.\"]}\n";

#[test]
fn each_run_adds_updates_removes_and_leaves_unchanged_what_changed_on_disk() {
    let fixture = Fixture::new();
    fixture.write("one.txt", ONE);
    fixture.write("two.txt", TWO);
    fixture.write("sub/feed.jsonl", FEED);

    let (report, recorder) = fixture.update();
    assert_eq!(files(&report), ([3, 0, 0, 0, 0], true));
    assert_eq!((report.briefs, report.bullets), (4, 5));
    assert!(recorder.problems.is_empty());
    assert_eq!(held(&fixture.stats()), [4, 3, 2, 3, 0]);
    // Progress counts up to every file read.
    let last = recorder.progress.last().copied().unwrap();
    assert_eq!((last.files_done, last.files_total, last.briefs), (3, 3, 4));

    // Nothing changed: nothing read, nothing committed.
    let (report, recorder) = fixture.update();
    assert_eq!(files(&report), ([0, 0, 0, 3, 0], false));
    assert_eq!((report.briefs, report.bullets), (0, 0));
    assert!(recorder.progress.iter().all(|p| p.files_total == 0));

    // One edited (its size changes), one deleted, one new.
    fixture.write("one.txt", ONE.replace("8%", "eight percent"));
    std::fs::remove_file(fixture.path("two.txt")).unwrap();
    fixture.write("three.txt", TWO.replace("Tram", "Cable car"));
    let (report, _) = fixture.update();
    assert_eq!(files(&report), ([1, 1, 1, 1, 0], true));
    assert_eq!((report.briefs, report.bullets), (2, 3));
    // The edited file's briefs were replaced, not added again.
    assert_eq!(held(&fixture.stats()), [4, 3, 2, 3, 0]);

    // A rebuild reads every file again, and commits even if nothing changed.
    let (report, _) = fixture.update_roots(&[""], true);
    assert_eq!(files(&report), ([3, 0, 0, 0, 0], true));
    assert_eq!(held(&fixture.stats()), [4, 3, 2, 3, 0]);
}

#[test]
fn only_files_under_the_roots_given_are_removed() {
    let fixture = Fixture::new();
    fixture.write("a/one.txt", ONE);
    fixture.write("b/two.txt", TWO);
    fixture.update();
    // Updating a/ alone keeps b/'s briefs; deleting there removes them.
    std::fs::remove_file(fixture.path("a/one.txt")).unwrap();
    fixture.write("a/three.txt", TWO);
    let (report, _) = fixture.update_roots(&["a"], false);
    assert_eq!(files(&report), ([1, 0, 1, 0, 0], true));
    assert_eq!(held(&fixture.stats())[3], 2);
    // A file reached through two roots is read once.
    let (report, _) = fixture.update_roots(&["a", "a/three.txt", "b"], false);
    assert_eq!(files(&report), ([0, 0, 0, 2, 0], false));
}

#[test]
fn a_file_with_a_problem_is_recorded_and_reported_again_as_unchanged() {
    let fixture = Fixture::new();
    fixture.write("good.txt", ONE);
    fixture.write("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00");
    fixture.write(
        "mixed.jsonl",
        "{\"headline\": \"Kept\", \"summaries\": [\"A good line.\"]}\n{oops}\n",
    );

    let (report, recorder) = fixture.update();
    assert_eq!(files(&report), ([3, 0, 0, 0, 2], true));
    let first = fixture.problems(&recorder);
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(
        first[0].0.starts_with("…/binary.txt: binary file"),
        "{first:?}"
    );
    assert!(first[1].0.starts_with("…/mixed.jsonl:2: "), "{first:?}");
    assert!(first.iter().all(|(_, unchanged)| !unchanged), "{first:?}");
    // The good line of the JSON Lines file is indexed; the binary file is
    // recorded with its problem.
    assert_eq!(held(&fixture.stats()), [2, 1, 2, 3, 2]);

    // Unchanged: the recorded problems again, as unchanged, nothing read.
    let (report, recorder) = fixture.update();
    assert_eq!(files(&report), ([0, 0, 0, 3, 2], false));
    let again: Vec<(String, bool)> = first.iter().map(|(p, _)| (p.clone(), true)).collect();
    assert_eq!(fixture.problems(&recorder), again);

    // Fixed: read again, and nothing more to report.
    fixture.write("binary.txt", TWO);
    let (report, recorder) = fixture.update();
    assert_eq!(files(&report), ([0, 1, 0, 2, 1], true));
    assert_eq!(fixture.problems(&recorder), [again[1].clone()]);
    assert_eq!(held(&fixture.stats()), [3, 2, 2, 3, 1]);
}

#[test]
fn a_missing_root_is_a_problem_and_removes_nothing() {
    let fixture = Fixture::new();
    fixture.write("one.txt", ONE);
    fixture.update();
    let (report, recorder) = fixture.update_roots(&["", "nowhere"], false);
    assert_eq!(files(&report), ([0, 0, 0, 1, 1], false));
    let problems = fixture.problems(&recorder);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].0.contains("nowhere"), "{problems:?}");
    assert!(!problems[0].1);
    assert_eq!(held(&fixture.stats()), [1, 1, 1, 1, 0]);
}

#[test]
fn a_brief_keeps_at_most_the_bullet_limit_and_says_so() {
    let fixture = Fixture::new();
    let bullets = "- a\n".repeat(MAX_BULLETS_PER_BRIEF + 5);
    fixture.write("long.txt", format!("Long brief — Desk\n{bullets}"));
    let (report, recorder) = fixture.update();
    assert_eq!(report.bullets, MAX_BULLETS_PER_BRIEF);
    let problems = fixture.problems(&recorder);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].0.ends_with(&format!(
            "long.txt:1: brief has {} bullets; the first {MAX_BULLETS_PER_BRIEF} are indexed",
            MAX_BULLETS_PER_BRIEF + 5
        )),
        "{problems:?}"
    );
    assert_eq!(held(&fixture.stats())[2], MAX_BULLETS_PER_BRIEF as u64);
}

#[test]
fn progress_counts_bytes_as_the_lines_of_one_big_file_are_read() {
    let fixture = Fixture::new();
    fixture.write("one.txt", ONE);
    let mut feed = String::new();
    for i in 0..1_000 {
        feed.push_str(&format!(
            "{{\"headline\": \"Notice {i}\", \"summaries\": [\"Berth {i} closes.\"]}}\n"
        ));
    }
    // A bad line in the middle: its bytes count all the same.
    let middle = feed[feed.len() / 2..].find('\n').unwrap() + feed.len() / 2 + 1;
    feed.insert_str(middle, "not json\n");
    fixture.write("feed.jsonl", &feed);
    let total = (ONE.len() + feed.len()) as u64;

    let (_, recorder) = fixture.update();
    let progress = &recorder.progress;
    assert_eq!(progress[0].bytes_done, 0, "reported once before reading");
    assert!(progress.iter().all(|p| p.bytes_total == total));
    assert!(
        progress
            .windows(2)
            .all(|w| w[0].bytes_done <= w[1].bytes_done
                && w[0].briefs <= w[1].briefs
                && w[0].files_done <= w[1].files_done),
        "progress never goes back: {progress:?}"
    );
    // The bar moves while the one big file is read, before it is done.
    assert!(
        progress
            .iter()
            .any(|p| p.files_done < 2 && p.bytes_done > ONE.len() as u64 && p.bytes_done < total),
        "no progress inside feed.jsonl: {progress:?}"
    );
    let last = progress.last().unwrap();
    assert_eq!(
        (last.files_done, last.briefs, last.bytes_done),
        (2, 1_001, total)
    );
}
