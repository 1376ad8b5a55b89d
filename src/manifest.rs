//! What the last commit knows about each file: read from the file docs'
//! fast fields, so a re-index can tell unchanged files from changed ones
//! without opening them. Because the records live in the index, they are
//! always exactly as current as the briefs they describe.

use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::corpus::Problem;
use crate::error::{Error, Result};
use crate::schema::{
    FILE_KIND, Fields, MTIME_FIELD, PROBLEM_COUNT_FIELD, RECORD_FILE_FIELD, SIZE_FIELD,
};

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
pub fn load_manifest(searcher: &Searcher, fields: &Fields) -> Result<HashMap<String, FileRecord>> {
    let to_err = |e| Error::Index {
        path: Default::default(),
        source: e,
    };
    let query = TermQuery::new(
        Term::from_field_text(fields.kind, FILE_KIND),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &DocSetCollector).map_err(to_err)?;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for address in addresses {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push(address.doc_id);
    }
    let mut manifest = HashMap::new();
    for (segment_ord, docs) in by_segment {
        let reader = searcher.segment_reader(segment_ord);
        let fast = reader.fast_fields();
        let files = fast.str(RECORD_FILE_FIELD).map_err(to_err)?;
        let mtimes = fast.u64(MTIME_FIELD).map_err(to_err)?;
        let sizes = fast.u64(SIZE_FIELD).map_err(to_err)?;
        let problem_counts = fast.u64(PROBLEM_COUNT_FIELD).map_err(to_err)?;
        let Some(files) = files else { continue };
        // Read the whole dictionary once, in order: looking keys up one by
        // one decompresses a block per lookup, which dominated re-indexing
        // an unchanged folder.
        let keys = all_terms(&files).map_err(|e| to_err(e.into()))?;
        for doc in docs {
            let Some(key) = files
                .term_ords(doc)
                .next()
                .and_then(|ord| keys.get(ord as usize))
            else {
                continue;
            };
            let record = FileRecord {
                mtime_ns: mtimes.first(doc).unwrap_or(0),
                size: sizes.first(doc).unwrap_or(0),
                problem_count: problem_counts.first(doc).unwrap_or(0),
                address: DocAddress::new(segment_ord, doc),
            };
            manifest.insert(key.clone(), record);
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
pub fn recorded_problems(
    searcher: &Searcher,
    fields: &Fields,
    record: &FileRecord,
) -> Vec<Problem> {
    let Ok(doc) = searcher.doc::<TantivyDocument>(record.address) else {
        return Vec::new();
    };
    doc.get_first(fields.problems)
        .and_then(|v| v.as_str())
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}
