//! `briefs export`: the index's article and bullet documents, with the same
//! ids, written as the files another engine ingests, with a README.txt of
//! the exact commands to create the index and load them. One file per
//! engine: `quickwit` (index config and NDJSON), `opensearch` (index
//! settings and mappings, `_bulk` NDJSON), `typesense` (collection schema
//! and JSONL, the documents `briefs sync` sends); `parts` splits documents
//! into files each engine takes in one request.
//!
//! Each format follows the engine's documented rules (names, types,
//! reserved fields, required settings), which the export tests check.

mod document;
mod opensearch;
mod parts;
mod quickwit;
mod typesense;

use std::path::{Path, PathBuf};

use crate::engine::EngineDoc;
use crate::engine::document::brief_docs;
use crate::error::{Error, Result};
use crate::index::IndexSnapshot;

use parts::Parts;

/// The engines `briefs export` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportFormat {
    /// Quickwit 0.9.
    Quickwit,
    /// OpenSearch 2.
    OpenSearch,
    /// Typesense 0.24 and later.
    Typesense,
}

impl ExportFormat {
    /// The name `--to` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ExportFormat::Quickwit => "quickwit",
            ExportFormat::OpenSearch => "opensearch",
            ExportFormat::Typesense => "typesense",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportReport {
    /// Briefs exported.
    pub(crate) briefs: u64,
    /// Documents (articles and bullets) exported.
    pub(crate) documents: u64,
    /// Every file written, README.txt and the index settings first.
    pub(crate) files: Vec<PathBuf>,
    /// Bytes of documents written.
    pub(crate) document_bytes: u64,
}

/// What each engine's writer provides.
trait Writer {
    /// Checks the index name against the engine's rules.
    fn check_name(&self, name: &str) -> std::result::Result<(), String>;
    /// The index settings: file name and contents.
    fn settings(&self, name: &str) -> (&'static str, String);
    /// The stem and extension of the document files.
    fn parts(&self) -> (&'static str, &'static str);
    /// One document as a record (its lines, each ending in `\n`).
    fn record(&mut self, name: &str, doc: &EngineDoc) -> std::result::Result<String, String>;
    /// The README.txt for an export of `report` under `name`.
    fn readme(&self, name: &str, report: &ExportReport, parts: &[String]) -> String;
}

/// Writes the index's documents for `format` into `dir` (new or empty).
pub(crate) fn export(
    snapshot: &IndexSnapshot,
    format: ExportFormat,
    name: &str,
    dir: &Path,
) -> Result<ExportReport> {
    let mut writer: Box<dyn Writer> = match format {
        ExportFormat::Quickwit => Box::new(quickwit::Quickwit),
        ExportFormat::OpenSearch => Box::new(opensearch::OpenSearch),
        ExportFormat::Typesense => Box::new(typesense::Typesense::default()),
    };
    let refuse = |detail: String| Error::Export {
        path: dir.to_path_buf(),
        detail,
    };
    writer.check_name(name).map_err(refuse)?;
    prepare_dir(dir)?;
    let (settings_name, settings) = writer.settings(name);
    let settings_path = dir.join(settings_name);
    std::fs::write(&settings_path, settings).map_err(|e| Error::io(&settings_path, e))?;

    let (stem, extension) = writer.parts();
    let mut parts = Parts::new(dir, stem, extension);
    let mut report = ExportReport {
        briefs: 0,
        documents: 0,
        files: Vec::new(),
        document_bytes: 0,
    };
    for (key, _) in snapshot.files()? {
        for brief in snapshot.briefs_in(&key)? {
            report.briefs += 1;
            for doc in brief_docs(&brief, &key) {
                let record = writer.record(name, &doc).map_err(refuse)?;
                parts.write(&record)?;
                report.documents += 1;
            }
        }
    }
    parts.close()?;
    report.document_bytes = parts.total_bytes;
    let part_names: Vec<String> = parts
        .written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let readme_path = dir.join("README.txt");
    let readme = writer.readme(name, &report, &part_names);
    std::fs::write(&readme_path, readme).map_err(|e| Error::io(&readme_path, e))?;
    report.files = [readme_path, settings_path]
        .into_iter()
        .chain(parts.written)
        .collect();
    Ok(report)
}

/// Makes `dir`, or checks it is an empty folder: an export never mixes
/// with other files, nor overwrites them.
fn prepare_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Export {
                    path: dir.to_path_buf(),
                    detail: "the folder is not empty; name a new or empty folder".into(),
                });
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(Error::Export {
            path: dir.to_path_buf(),
            detail: "is a file, not a folder".into(),
        }),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// `day` (days since 1970-01-01) as an RFC 3339 date at midnight UTC.
fn rfc3339_day(day: i64) -> Option<String> {
    let date = time::Date::from_julian_day(i32::try_from(day + 2_440_588).ok()?).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// A line of the shared README text: what the files hold.
fn summary(engine: &str, name: &str, report: &ExportReport, parts: &[String]) -> String {
    format!(
        "briefs export for {engine}: index `{name}`, {} briefs as {} documents (one per brief, \
         kind `article`, and one per point or summary bullet, kind `point` or `summary`), \
         with the ids of the local index, in {} file(s): {}.",
        report.briefs,
        report.documents,
        parts.len(),
        match parts {
            [] => "none".to_string(),
            [one] => one.clone(),
            [first, .., last] => format!("{first} … {last}"),
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_become_rfc3339_dates() {
        assert_eq!(rfc3339_day(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(rfc3339_day(20_759).as_deref(), Some("2026-11-02T00:00:00Z"));
    }

    #[test]
    fn a_folder_with_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(prepare_dir(dir.path()).is_ok());
        std::fs::write(dir.path().join("mine.txt"), "x").unwrap();
        assert!(matches!(prepare_dir(dir.path()), Err(Error::Export { .. })));
        assert!(prepare_dir(&dir.path().join("new/sub")).is_ok());
    }
}
