//! Unit tests of applying changed paths (`apply.rs`) over a temporary
//! folder: files added, edited, appended to, rewritten and removed, folders
//! gone, and the `first_seen` stamps that tell new bullets from old ones.

use std::path::PathBuf;

use tantivy::collector::DocSetCollector;
use tantivy::query::{InvertedIndexRangeQuery, Query, TermQuery};

use super::*;
use crate::index::stored::{stored_text, stored_u64};

struct Quiet(Vec<String>);

impl Reporter for Quiet {
    fn problem(&mut self, problem: &Problem, _unchanged: bool) {
        self.0.push(problem.to_string());
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    index: BriefIndex,
    writer: IndexWriter<TantivyDocument>,
    options: ApplyOptions,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let briefs = dir.path().join("briefs");
        std::fs::create_dir(&briefs).unwrap();
        let index = BriefIndex::create(&dir.path().join("idx")).unwrap();
        let writer = index.writer(1, 15_000_000).unwrap();
        let options = ApplyOptions {
            roots: vec![Root {
                given: briefs.clone(),
                canonical: briefs.canonicalize().unwrap(),
            }],
            follow_links: false,
            report_unchanged: false,
        };
        Fixture {
            dir,
            index,
            writer,
            options,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.options.roots[0].canonical.join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn apply(&mut self, paths: &[PathBuf]) -> ApplyReport {
        let mut quiet = Quiet(Vec::new());
        apply_changes(
            &self.index,
            &mut self.writer,
            paths,
            &self.options,
            &mut quiet,
        )
        .unwrap()
    }

    /// Every bullet's text with its stamp, sorted.
    fn bullets(&self) -> Vec<(String, u64)> {
        let searcher = self.index.reader().unwrap().searcher();
        let all = InvertedIndexRangeQuery::new(
            std::ops::Bound::Included(Term::from_field_u64(self.index.fields.first_seen, 0)),
            std::ops::Bound::Unbounded,
        );
        let mut out = Vec::new();
        for address in searcher
            .search(&all as &dyn Query, &DocSetCollector)
            .unwrap()
        {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            if let Some(text) = stored_text(&doc, self.index.fields.shown_text) {
                out.push((text, stored_u64(&doc, self.index.fields.first_seen)));
            }
        }
        out.sort();
        out
    }
}

const ONE: &str = "Ferry fares drop — Harbor Ledger\n- Fares fall.\n- Night crossings unchanged.\n";

#[test]
fn a_new_file_is_added_and_stamped_with_the_commit() {
    let mut f = Fixture::new();
    let path = f.write("a.txt", ONE);
    let report = f.apply(std::slice::from_ref(&path));
    assert_eq!((report.added, report.new_bullets), (1, 2));
    let generation = report.commit.unwrap().generation;
    assert!(f.bullets().iter().all(|(_, g)| *g == generation));
    // Nothing changed: no commit.
    let again = f.apply(&[path]);
    assert_eq!((again.unchanged, again.commit), (1, None));
}

#[test]
fn an_edited_file_keeps_the_stamps_of_its_unchanged_bullets() {
    let mut f = Fixture::new();
    let path = f.write("a.txt", ONE);
    let first = f
        .apply(std::slice::from_ref(&path))
        .commit
        .unwrap()
        .generation;
    f.write("a.txt", &format!("{ONE}- Winter timetable starts.\n"));
    let report = f.apply(&[path]);
    assert_eq!((report.updated, report.new_bullets), (1, 1));
    let second = report.commit.unwrap().generation;
    assert_eq!(
        f.bullets(),
        [
            ("Fares fall.".to_string(), first),
            ("Night crossings unchanged.".to_string(), first),
            ("Winter timetable starts.".to_string(), second),
        ]
    );
}

#[test]
fn an_appended_jsonl_file_is_read_from_where_it_was() {
    let mut f = Fixture::new();
    let line =
        |i: usize| format!("{{\"headline\": \"Item {i}\", \"summaries\": [\"Point {i}.\"]}}\n");
    let path = f.write("w.jsonl", &(line(1) + &line(2)));
    f.apply(std::slice::from_ref(&path));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut file, line(3).as_bytes()).unwrap();
    drop(file);
    let report = f.apply(std::slice::from_ref(&path));
    assert_eq!(
        (report.appended, report.briefs, report.new_bullets),
        (1, 1, 1)
    );
    assert_eq!(f.bullets().len(), 3);
    // A rewrite before where reading stopped is read whole.
    f.write("w.jsonl", &(line(9) + &line(2) + &line(3)));
    let report = f.apply(&[path]);
    assert_eq!(
        (report.updated, report.briefs, report.new_bullets),
        (1, 3, 1)
    );
    let texts: Vec<String> = f.bullets().into_iter().map(|(t, _)| t).collect();
    assert_eq!(texts, ["Point 2.", "Point 3.", "Point 9."]);
}

#[test]
fn a_gone_file_and_a_gone_folder_are_removed() {
    let mut f = Fixture::new();
    let a = f.write("a.txt", ONE);
    let b = f.write("sub/b.txt", ONE);
    let c = f.write("sub/deeper/c.txt", ONE);
    assert_eq!(f.apply(&[a.clone(), b, c]).added, 3);
    std::fs::remove_file(&a).unwrap();
    std::fs::remove_dir_all(f.path("sub")).unwrap();
    let report = f.apply(&[a, f.path("sub")]);
    assert_eq!(report.removed, 3);
    assert!(f.bullets().is_empty());
}

#[test]
fn a_new_folder_is_walked_and_hidden_files_are_not_read() {
    let mut f = Fixture::new();
    f.write("new/one.txt", ONE);
    f.write("new/two.md", ONE);
    f.write("new/notes.png", "x");
    let hidden = f.write(".swap/a.txt", ONE);
    let report = f.apply(&[f.path("new"), hidden]);
    assert_eq!(report.added, 2);
    let _ = &f.dir;
}

/// Every article's brief id, sorted.
fn brief_ids(f: &Fixture) -> Vec<String> {
    let searcher = f.index.reader().unwrap().searcher();
    let articles = TermQuery::new(
        Term::from_field_text(f.index.fields.kind, DocKind::Article.as_str()),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let mut ids: Vec<String> = searcher
        .search(&articles, &DocSetCollector)
        .unwrap()
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            stored_text(&doc, f.index.fields.brief_id).unwrap()
        })
        .collect();
    ids.sort();
    ids
}

fn story(id: &str, headline: &str) -> String {
    format!("{{\"id\": \"{id}\", \"headline\": \"{headline}\", \"summaries\": [\"A line.\"]}}\n")
}

#[test]
fn given_ids_stay_unique_within_one_application_and_against_the_index() {
    let mut f = Fixture::new();
    // Two files of one burst, a third line of the first repeating its id.
    let a = f.write(
        "a.jsonl",
        &format!("{}{}", story("story-9", "First"), story("story-9", "Again")),
    );
    let b = f.write("b.jsonl", &story("story-9", "Second"));
    let mut quiet = Quiet(Vec::new());
    apply_changes(&f.index, &mut f.writer, &[a, b], &f.options, &mut quiet).unwrap();
    let root = f.options.roots[0].given.display().to_string();
    assert_eq!(
        brief_ids(&f),
        [
            format!("{root}/a.jsonl:2"),
            format!("{root}/b.jsonl:1"),
            "story-9".to_string()
        ],
        "{:?}",
        quiet.0
    );
    assert_eq!(
        quiet
            .0
            .iter()
            .filter(|p| p.contains("duplicate id `story-9`"))
            .count(),
        2,
        "{:?}",
        quiet.0
    );
    // A later file cannot take the id the index already gives another.
    let c = f.write("c.jsonl", &story("story-9", "Third"));
    f.apply(&[c]);
    assert!(brief_ids(&f).contains(&format!("{root}/c.jsonl:1")));
    assert_eq!(
        brief_ids(&f).iter().filter(|id| *id == "story-9").count(),
        1
    );
}
