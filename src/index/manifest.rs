//! What the last commit knows about each file: read from the file docs'
//! fast fields, so a re-index can tell unchanged files from changed ones
//! without opening them. Because the records live in the index, they are
//! always exactly as current as the briefs they describe.

use std::path::Path;

use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

use crate::index::terms::live_docs_with;

use crate::brief::{DocKind, Problem};
use crate::error::{Error, Result};
use crate::index::schema::{
    Fields, MTIME_FIELD, PROBLEM_COUNT_FIELD, RECORD_FILE_FIELD, SIZE_FIELD,
};
use crate::index::stored::{stored_text, stored_u64};
use crate::read::Resume;

/// What the index records of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    /// Modification time, nanoseconds since the epoch, when it was read.
    pub mtime_ns: u64,
    /// Size in bytes when it was read.
    pub size: u64,
    /// How many problems it had.
    pub problem_count: u64,
    /// Where the record is, to fetch its problems.
    pub address: DocAddress,
}

/// Every file the index knows, by key.
pub(crate) fn load_manifest(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
) -> Result<fnv::FnvHashMap<String, FileRecord>> {
    let to_err = |e| Error::index(dir, e);
    let file_kind = Term::from_field_text(fields.kind, DocKind::File.as_str());
    let mut manifest = fnv::FnvHashMap::default();
    manifest.reserve(usize::try_from(searcher.doc_freq(&file_kind).map_err(to_err)?).unwrap_or(0));
    for (segment_ord, reader) in searcher.segment_readers().iter().enumerate() {
        let fast = reader.fast_fields();
        let files = fast.str(RECORD_FILE_FIELD).map_err(to_err)?;
        let mtimes = fast.u64(MTIME_FIELD).map_err(to_err)?;
        let sizes = fast.u64(SIZE_FIELD).map_err(to_err)?;
        let problem_counts = fast.u64(PROBLEM_COUNT_FIELD).map_err(to_err)?;
        let Some(files) = files else { continue };
        // Read the whole dictionary once, in order: looking keys up one by
        // one decompresses a block per lookup, which dominated re-indexing
        // an unchanged folder.
        let mut keys = all_terms(&files).map_err(|e| to_err(e.into()))?;
        for doc in live_docs_with(reader, &file_kind).map_err(to_err)? {
            // Each file doc has its own key, so each key is taken once.
            if let Some(key) = files
                .term_ords(doc)
                .next()
                .and_then(|ord| keys.get_mut(ord as usize))
            {
                let record = FileRecord {
                    mtime_ns: mtimes.first(doc).unwrap_or(0),
                    size: sizes.first(doc).unwrap_or(0),
                    problem_count: problem_counts.first(doc).unwrap_or(0),
                    address: DocAddress::new(segment_ord as u32, doc),
                };
                manifest.insert(std::mem::take(key), record);
            }
        }
    }
    Ok(manifest)
}

/// Every term of a string column, indexed by its ordinal.
fn all_terms(column: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

/// The problems recorded for a file when it was last read.
pub(crate) fn recorded_problems(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
    record: &FileRecord,
) -> Result<Vec<Problem>> {
    let doc: TantivyDocument = searcher
        .doc(record.address)
        .map_err(|e| Error::index(dir, e))?;
    let Some(json) = stored_text(&doc, fields.problems) else {
        return Err(Error::IndexDamaged {
            path: dir.to_path_buf(),
            detail: format!(
                "the record of a file with {} problems holds none",
                record.problem_count
            ),
        });
    };
    serde_json::from_str(&json).map_err(|e| Error::IndexDamaged {
        path: dir.to_path_buf(),
        detail: format!("a file's recorded problems: {e}"),
    })
}

/// The record of the file with `key`, looked up by itself (for a few files;
/// [`load_manifest`] reads them all at once).
pub(crate) fn find_record(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
    key: &str,
) -> Result<Option<FileRecord>> {
    let to_err = |e| Error::index(dir, e);
    let term = Term::from_field_text(fields.record_file, key);
    for (segment_ord, reader) in searcher.segment_readers().iter().enumerate() {
        if let Some(&doc) = live_docs_with(reader, &term).map_err(to_err)?.first() {
            let fast = reader.fast_fields();
            let first = |name| -> Result<u64> {
                Ok(fast.u64(name).map_err(to_err)?.first(doc).unwrap_or(0))
            };
            return Ok(Some(FileRecord {
                mtime_ns: first(MTIME_FIELD)?,
                size: first(SIZE_FIELD)?,
                problem_count: first(PROBLEM_COUNT_FIELD)?,
                address: DocAddress::new(segment_ord as u32, doc),
            }));
        }
    }
    Ok(None)
}

/// The keys of every recorded file inside the folder with key `folder`.
pub(crate) fn keys_under(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
    folder: &str,
) -> Result<Vec<String>> {
    let to_err = |e| Error::index(dir, e);
    let lower = format!("{}/", folder.trim_end_matches('/'));
    // '0' is the character after '/': every key below the folder sorts
    // between the two.
    let upper = format!("{}0", folder.trim_end_matches('/'));
    let mut keys = std::collections::BTreeSet::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(fields.record_file).map_err(to_err)?;
        let mut terms = inverted
            .terms()
            .range()
            .ge(lower.as_bytes())
            .lt(upper.as_bytes())
            .into_stream()
            .map_err(|e| to_err(e.into()))?;
        let alive = reader.alive_bitset();
        while terms.advance() {
            let info = terms.value();
            let mut postings = inverted
                .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                .map_err(|e| to_err(e.into()))?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|bits| bits.is_alive(doc)) {
                    keys.insert(String::from_utf8_lossy(terms.key()).into_owned());
                    break;
                }
                doc = postings.advance();
            }
        }
    }
    Ok(keys.into_iter().collect())
}

/// Where reading a JSON Lines file stopped, as its record says; `None` when
/// it must be read whole.
pub(crate) fn recorded_resume(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
    record: &FileRecord,
) -> Result<Option<Resume>> {
    let doc: TantivyDocument = searcher
        .doc(record.address)
        .map_err(|e| Error::index(dir, e))?;
    let number = |field| stored_u64(&doc, field);
    let offset = number(fields.resume_offset);
    Ok((offset > 0).then(|| Resume {
        offset,
        lines: number(fields.resume_lines),
        check: number(fields.resume_check),
    }))
}

/// The path a file was found at (as walked, from the root as given) when
/// it was last read.
pub(crate) fn recorded_path(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
    record: &FileRecord,
) -> Result<Option<String>> {
    let doc: TantivyDocument = searcher
        .doc(record.address)
        .map_err(|e| Error::index(dir, e))?;
    Ok(stored_text(&doc, fields.path))
}
