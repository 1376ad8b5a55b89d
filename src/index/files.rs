//! Housekeeping of the index folder's files, beside what Tantivy manages:
//! which files are Tantivy's, what a killed run left behind, and the size
//! on disk. Plain file-system code; no Tantivy.

use std::path::Path;

use crate::error::{Error, Result};

/// Removes the temporary files an atomic write left when its process was
/// killed (`.tmpXXXXXX`). Call only while holding the writer lock: then
/// no other process is writing any.
pub(crate) fn remove_stale_temp_files(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let stale = name.to_str().is_some_and(|n| n.starts_with(".tmp")) && entry.path().is_file();
        if stale {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Removes Tantivy's files from `dir`, leaving anything else alone.
pub(crate) fn remove_index_files(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Lock files stay: another process may hold one.
        let ours = name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tmp")
            || is_segment_file(&name);
        if ours && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Files that keep an empty folder in a repository or mark it, never data:
/// an `index/` holding one is as good as empty (this repository ships
/// `index/.gitkeep`).
const PLACEHOLDERS: &[&str] = &[".gitkeep", ".keep", ".gitignore", ".DS_Store"];

/// The first entry of `dir` that is not part of an index (by its name:
/// Tantivy's meta, lock, segment and temporary files, or a placeholder such
/// as `.gitkeep`), or `None` when the folder holds only an index or nothing.
pub(crate) fn first_foreign_entry(dir: &Path) -> Result<Option<String>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut foreign = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "meta.json"
            || name == ".managed.json"
            || name == "watch-alerts.log"
            || name.starts_with(".tmp")
            || (name.starts_with(".tantivy-") && name.ends_with(".lock"))
            || is_segment_file(&name)
            || (PLACEHOLDERS.contains(&name.as_str()) && entry.path().is_file());
        if !ours {
            foreign.push(name);
        }
    }
    foreign.sort();
    Ok(foreign.into_iter().next())
}

/// Tantivy segment files are `<32 hex digits>.<ext>`.
fn is_segment_file(name: &str) -> bool {
    name.split_once('.')
        .is_some_and(|(stem, _)| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Total size in bytes of the files in `dir` (not recursive).
pub(crate) fn dir_size(dir: &Path) -> Result<u64> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut total = 0;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            // Gone since the listing: a writer beside us renamed its
            // temporary file or removed a merged segment. Not part of the size.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(entry.path(), e)),
        };
        if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_index_files_are_ours() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "meta.json",
            ".managed.json",
            ".tantivy-writer.lock",
            ".tmpAbC123",
            "0123456789abcdef0123456789abcdef.idx",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(first_foreign_entry(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        std::fs::write(dir.path().join("budget.ods"), "mine").unwrap();
        assert_eq!(
            first_foreign_entry(dir.path()).unwrap().as_deref(),
            Some("budget.ods")
        );
    }

    #[test]
    fn segment_file_names_are_recognised() {
        assert!(is_segment_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(!is_segment_file("notes.txt"));
    }
}
