//! The record of what was synced to one engine's collection: for each file
//! of the index, the size and time of the version the engine holds, and the
//! generation of the last sync. It lives in the index folder
//! (`sync/<engine>-<collection>-<nodes hash>.json`), is rewritten whole
//! (a temporary file renamed over it) after each batch the engine
//! confirmed, and is held under a lock while a sync runs. Before a batch is
//! sent, its files are marked pending. A sync killed midway leaves the
//! record of the files confirmed before it and the pending ones; the next
//! sends the rest again, and deletes what the pending files left when they
//! are gone from the index.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::{FileStamp, SCHEMA_VERSION};

/// The format of the record file.
const RECORD_VERSION: u32 = 1;

/// What one collection holds of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SyncRecord {
    /// Always `briefs-sync`.
    pub(crate) format: String,
    /// The record format.
    pub(crate) version: u32,
    /// The index's schema version when synced: another one resends all.
    pub(crate) schema_version: u32,
    /// The engine's name.
    pub(crate) engine: String,
    /// The collection.
    pub(crate) collection: String,
    /// The nodes, as given when this record was written.
    pub(crate) nodes: Vec<String>,
    /// The generation of the last sync; documents sent carry it.
    pub(crate) generation: u64,
    /// Each file the engine holds, by key: `[size, mtime_ns, documents]`.
    pub(crate) files: BTreeMap<String, (u64, u64, u64)>,
    /// Files whose documents are being sent and not yet recorded: what a
    /// sync stopped midway may have left in part.
    #[serde(default)]
    pub(crate) pending: BTreeSet<String>,
}

impl SyncRecord {
    /// An empty record: nothing synced yet.
    pub(crate) fn empty(engine: &str, collection: &str, nodes: &[String]) -> SyncRecord {
        SyncRecord {
            format: "briefs-sync".into(),
            version: RECORD_VERSION,
            schema_version: SCHEMA_VERSION,
            engine: engine.into(),
            collection: collection.into(),
            nodes: nodes.to_vec(),
            generation: 0,
            files: BTreeMap::new(),
            pending: BTreeSet::new(),
        }
    }

    /// The stamp the engine holds for file `key`.
    pub(crate) fn stamp(&self, key: &str) -> Option<FileStamp> {
        self.files
            .get(key)
            .map(|&(size, mtime_ns, _)| FileStamp { size, mtime_ns })
    }

    /// Records that the engine holds `stamp` of `key`, as `documents`
    /// documents.
    pub(crate) fn set(&mut self, key: &str, stamp: FileStamp, documents: u64) {
        self.files
            .insert(key.to_string(), (stamp.size, stamp.mtime_ns, documents));
    }

    /// How many documents the engine holds by this record.
    pub(crate) fn documents(&self) -> u64 {
        self.files.values().map(|&(_, _, n)| n).sum()
    }
}

/// Where the record of syncing the index at `index_dir` to `collection` on
/// `nodes` of `engine` lives.
pub(crate) fn record_path(
    index_dir: &Path,
    engine: &str,
    collection: &str,
    nodes: &[String],
) -> PathBuf {
    let mut sorted = nodes.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(sorted.join(",").as_bytes());
    let safe: String = collection
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    index_dir
        .join("sync")
        .join(format!("{engine}-{safe}-{:016x}.json", hasher.finish()))
}

/// The record at `path` and the lock that keeps other syncs out while it is
/// held. A missing record, or one of another schema version, is empty.
pub(crate) fn open_record(
    index_dir: &Path,
    path: &Path,
    empty: SyncRecord,
) -> Result<(SyncRecord, File)> {
    let folder = path.parent().unwrap_or(index_dir);
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let lock_path = path.with_extension("lock");
    let lock = File::create(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
    match lock.try_lock_exclusive() {
        Ok(true) => {}
        Ok(false) => {
            return Err(Error::SyncLocked {
                index: index_dir.to_path_buf(),
                path: lock_path,
            });
        }
        Err(e) => return Err(Error::io(&lock_path, e)),
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((empty, lock)),
        Err(e) => return Err(Error::io(path, e)),
    };
    let record: SyncRecord = serde_json::from_str(&text).map_err(|e| Error::SyncRecord {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    if record.format != "briefs-sync" || record.version != RECORD_VERSION {
        return Err(Error::SyncRecord {
            path: path.to_path_buf(),
            detail: format!("format {} version {}", record.format, record.version),
        });
    }
    if record.schema_version != SCHEMA_VERSION {
        // Documents analysed by another version: send everything again,
        // counting on from the old generation so its leftovers go too.
        let mut fresh = empty;
        fresh.generation = record.generation;
        return Ok((fresh, lock));
    }
    Ok((record, lock))
}

/// Writes `record` to `path` whole: a temporary file, then a rename, so a
/// kill leaves the old record or the new one, never half of one.
pub(crate) fn save_record(path: &Path, record: &SyncRecord) -> Result<()> {
    // Invariant: strings, numbers and maps of them always serialise.
    let text = serde_json::to_string(record).expect("the sync record serialises");
    let part = path.with_extension("json.part");
    std::fs::write(&part, text).map_err(|e| Error::io(&part, e))?;
    std::fs::rename(&part, path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_and_a_second_sync_is_locked_out() {
        let dir = tempfile::tempdir().unwrap();
        let nodes = vec!["http://127.0.0.1:1".to_string()];
        let path = record_path(dir.path(), "typesense", "briefs", &nodes);
        let empty = SyncRecord::empty("typesense", "briefs", &nodes);
        let (mut record, lock) = open_record(dir.path(), &path, empty.clone()).unwrap();
        assert_eq!(record.generation, 0);
        assert!(matches!(
            open_record(dir.path(), &path, empty.clone()),
            Err(Error::SyncLocked { .. })
        ));
        record.generation = 3;
        let stamp = FileStamp {
            size: 10,
            mtime_ns: 20,
        };
        record.set("/a.txt", stamp, 4);
        assert_eq!(record.documents(), 4);
        save_record(&path, &record).unwrap();
        drop(lock);
        let (again, _lock) = open_record(dir.path(), &path, empty).unwrap();
        assert_eq!(again, record);
        assert_eq!(again.stamp("/a.txt"), Some(stamp));
    }

    #[test]
    fn the_record_is_named_by_engine_collection_and_node_set() {
        let dir = Path::new("/idx");
        let a = vec!["http://a".to_string(), "http://b".to_string()];
        let b = vec!["http://b".to_string(), "http://a".to_string()];
        assert_eq!(
            record_path(dir, "typesense", "briefs", &a),
            record_path(dir, "typesense", "briefs", &b)
        );
        assert_ne!(
            record_path(dir, "typesense", "briefs", &a),
            record_path(dir, "typesense", "other", &a)
        );
        assert!(record_path(dir, "typesense", "briefs", &a).starts_with("/idx/sync"));
    }

    #[test]
    fn a_damaged_record_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let nodes = vec!["http://127.0.0.1:1".to_string()];
        let path = record_path(dir.path(), "typesense", "briefs", &nodes);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{not json").unwrap();
        let empty = SyncRecord::empty("typesense", "briefs", &nodes);
        assert!(matches!(
            open_record(dir.path(), &path, empty),
            Err(Error::SyncRecord { .. })
        ));
    }
}
