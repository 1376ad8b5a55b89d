//! Opening, creating and committing the index folder: format checks, the
//! writer lock, and the payload each commit carries (format version and
//! commit time). Tantivy's commit is atomic: until `commit` returns, readers
//! and a later run see the previous commit, whatever happens to this process.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::directory::IndexDirectory;
use crate::index::files::{first_foreign_entry, remove_index_files};
use crate::index::schema::{
    Fields, SCHEMA_VERSION, build_schema, current_fields, index_settings, register_analyzers,
};
use crate::trace;

/// What every commit records in Tantivy's `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    /// Always `"briefs"`: tells our indexes from others.
    pub format: String,
    /// [`SCHEMA_VERSION`] of the writer.
    pub version: u32,
    /// Seconds since the epoch when the commit was made.
    pub committed_at: i64,
    /// The commit's number: one more than the commit before it. `briefs
    /// watch` stamps the briefs and bullets it adds with it (`first_seen`).
    #[serde(default)]
    pub generation: u64,
    /// A number drawn when the index was created and kept by every commit
    /// after: tells this index from one rebuilt in the same folder (whose
    /// generations start again), for state kept beside it.
    #[serde(default)]
    pub lineage: u64,
}

/// Tantivy's record of the last commit.
const META_FILE: &str = "meta.json";

/// The parts of `meta.json` briefs reads itself (see
/// [`BriefIndex::commit_record`]).
#[derive(Deserialize)]
struct CommitRecord {
    #[serde(default)]
    segments: Vec<serde::de::IgnoredAny>,
}

/// An opened briefs index: Tantivy's index, its field handles, its folder.
pub struct BriefIndex {
    /// The Tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// The folder it lives in.
    pub dir: PathBuf,
    /// The reader, opened once (opening it checks every segment can be read).
    reader: OnceLock<IndexReader>,
}

/// What `create` does where an index appeared meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Creation {
    /// Open it (a first run that lost the race to another).
    UnlessThere,
    /// Replace it (`--rebuild` of an index of another version).
    Replace,
}

/// Held while an index is created (named like Tantivy's own locks, so the
/// folder check counts it as the index's).
const CREATE_LOCK: &str = ".tantivy-create.lock";
/// Tantivy's writer lock.
const WRITER_LOCK: &str = ".tantivy-writer.lock";

/// Whether to wait for a lock another process holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Yes,
    No,
}

/// An exclusive lock on `dir/name`, released when the file is dropped; a
/// lock held elsewhere is waited for, or is [`Error::IndexLocked`].
fn lock_file(dir: &Path, name: &str, wait: Wait) -> Result<std::fs::File> {
    let path = dir.join(name);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                Error::IndexNotWritable {
                    path: dir.to_path_buf(),
                    source: e,
                }
            }
            _ => Error::io(&path, e),
        })?;
    match wait {
        Wait::Yes => file.lock().map_err(|e| Error::io(&path, e))?,
        Wait::No => file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => Error::IndexLocked {
                path: dir.to_path_buf(),
            },
            std::fs::TryLockError::Error(e) => Error::io(&path, e),
        })?,
    }
    Ok(file)
}

/// True for the I/O errors that mean the folder cannot take more writes.
fn is_write_refusal(error: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        error.kind(),
        K::StorageFull | K::ReadOnlyFilesystem | K::PermissionDenied | K::QuotaExceeded
    )
}

/// Writes, syncs and removes a small file in `dir`: the error, if any, is
/// why the folder takes no writes.
fn probe_write(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let path = dir.join(format!(".tmp-probe-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&path)?;
        file.write_all(&[0; 64 * 1024])?;
        file.sync_all()
    })();
    // Best effort: a probe left behind is a temporary file the next writer removes.
    let _ = std::fs::remove_file(&path);
    written
}

/// True when `dir` holds an index (of any version).
pub fn exists(dir: &Path) -> bool {
    dir.join(META_FILE).is_file()
}

/// Decompressed blocks of stored documents kept per segment. A search
/// reads a handful of hits from as many blocks, and a brief's article and
/// bullets sit side by side, in one block: a few blocks keep those at hand,
/// and a small cache hands its buffers back to be used again, where
/// Tantivy's default of 100 kept each one (and each one's fresh pages,
/// faulted in one by one: a page fault costs about a microsecond).
const STORE_CACHE_BLOCKS: usize = 4;

impl BriefIndex {
    /// Opens the index at `dir` for reading, checking it was made by this
    /// version of briefs.
    pub fn open(dir: &Path) -> Result<BriefIndex> {
        if dir.is_file() {
            return Err(Error::NotAnIndexFolder {
                path: dir.to_path_buf(),
                reason: "is a file, not a folder".into(),
            });
        }
        if !exists(dir) {
            // Advice to build an index there would fail: say what is there.
            if dir.is_dir()
                && let Some(name) = first_foreign_entry(dir)?
            {
                return Err(Error::NotAnIndexFolder {
                    path: dir.to_path_buf(),
                    reason: format!("holds `{name}` but no index"),
                });
            }
            return Err(Error::NoIndex {
                path: dir.to_path_buf(),
            });
        }
        let directory = IndexDirectory::open(dir).map_err(|e| Error::index(dir, e))?;
        let index = Index::open(directory).map_err(|e| Error::index(dir, e))?;
        let opened = BriefIndex::wrap(index, dir)?;
        opened.check_payload()?;
        trace::mark("open index");
        // Opening the segments finds those another Tantivy format wrote.
        opened.reader()?;
        trace::mark("open segments");
        Ok(opened)
    }

    /// Opens the index at `dir`, creating the folder and an empty, committed
    /// index when there is none.
    pub fn open_or_create(dir: &Path) -> Result<BriefIndex> {
        if exists(dir) {
            return BriefIndex::open(dir);
        }
        BriefIndex::create_with(dir, Creation::UnlessThere)
    }

    /// Creates a new, empty, committed index at `dir`, replacing what a
    /// previous index (of any version) left there. Only Tantivy's own files
    /// are removed: `meta.json`, `.managed.json`, segment and temporary files.
    /// A file, or a folder that holds no index but other files, is refused:
    /// an index is never started among a user's own files.
    pub fn create(dir: &Path) -> Result<BriefIndex> {
        BriefIndex::create_with(dir, Creation::Replace)
    }

    /// Creates the index, one process at a time: two first runs at once
    /// would otherwise remove each other's files. The loser of the race
    /// waits, then opens what the winner made.
    fn create_with(dir: &Path, creation: Creation) -> Result<BriefIndex> {
        let refuse = |reason: String| {
            Err(Error::NotAnIndexFolder {
                path: dir.to_path_buf(),
                reason,
            })
        };
        match std::fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => return refuse("is a file, not a folder".into()),
            // A folder that already holds an index (of any version) is
            // one: rebuilding replaces the index's files and leaves any
            // other file alone.
            // (Tantivy's `.managed.json` beside `meta.json` says it is one: a
            // user's own `meta.json` among their files is not.)
            Ok(_) if exists(dir) && dir.join(".managed.json").is_file() => {}
            Ok(_) => {
                if let Some(name) = first_foreign_entry(dir)? {
                    return refuse(format!(
                        "holds `{name}`, which is not part of an index; name a new or empty folder"
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            Err(e) => return Err(Error::io(dir, e)),
        }
        let _creating = lock_file(dir, CREATE_LOCK, Wait::Yes)?;
        if creation == Creation::UnlessThere && exists(dir) {
            return BriefIndex::open(dir);
        }
        if exists(dir) {
            // Replacing an index: not while a writer is at work in it.
            drop(lock_file(dir, WRITER_LOCK, Wait::No)?);
        }
        remove_index_files(dir)?;
        let (schema, _) = build_schema();
        let directory = IndexDirectory::open(dir).map_err(|e| Error::index(dir, e))?;
        let index =
            Index::create(directory, schema, index_settings()).map_err(|e| Error::index(dir, e))?;
        let opened = BriefIndex::wrap(index, dir)?;
        let mut writer = opened.writer(1, 15_000_000)?;
        opened.write_commit(&mut writer, 0, new_lineage())?;
        Ok(opened)
    }

    fn wrap(index: Index, dir: &Path) -> Result<BriefIndex> {
        let Some(fields) = current_fields(&index.schema()) else {
            return Err(Error::IndexVersion {
                path: dir.to_path_buf(),
                found: "a different schema".into(),
            });
        };
        register_analyzers(&index);
        Ok(BriefIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            reader: OnceLock::new(),
        })
    }

    /// The payload of the last commit, if it has one.
    pub fn payload(&self) -> Result<Option<CommitPayload>> {
        let Some(text) = self.payload_text()? else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::IndexVersion {
                path: self.dir.clone(),
                found: format!("a commit record briefs cannot read ({e})"),
            })
    }

    fn check_payload(&self) -> Result<()> {
        match self.payload()? {
            Some(p) if p.format == "briefs" && p.version == SCHEMA_VERSION => Ok(()),
            // Our schema but no commit of ours yet: a first run that was
            // stopped between creating the index and its first commit. The
            // index is empty and ours; the next run fills it.
            None if self.is_empty_of_segments()? => Ok(()),
            Some(p) => Err(Error::IndexVersion {
                path: self.dir.clone(),
                found: format!("format {} version {}", p.format, p.version),
            }),
            None => Err(Error::IndexVersion {
                path: self.dir.clone(),
                found: "no briefs commit record".into(),
            }),
        }
    }

    fn is_empty_of_segments(&self) -> Result<bool> {
        Ok(self.commit_record()?.segments.is_empty())
    }

    /// The payload string of the last commit's `meta.json`, found without
    /// reading the rest: a command that opens the index had Tantivy parse
    /// the whole file twice already (opening the index, then its reader),
    /// and skipping its 7.7 KB again with serde cost 115,000 instructions.
    /// The key `"payload"` is in the file once, at the top level: no other
    /// key of Tantivy's has that name, and a quote inside a JSON string is
    /// escaped. A file Tantivy could not read never gets here (opening the
    /// index fails first).
    fn payload_text(&self) -> Result<Option<String>> {
        use serde::Deserialize;
        use tantivy::Directory;
        const KEY: &[u8] = b"\"payload\"";
        let text = self
            .index
            .directory()
            .atomic_read(Path::new(META_FILE))
            .map_err(|e| Error::index(&self.dir, e.into()))?;
        let Some(at) = memchr::memmem::find(&text, KEY) else {
            return Ok(None);
        };
        let rest = &text[at + KEY.len()..];
        let after_colon = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .filter(|&i| rest[i] == b':')
            .map(|i| &rest[i + 1..]);
        let corrupt = |why: String| {
            Error::index(
                &self.dir,
                tantivy::TantivyError::DataCorruption(tantivy::error::DataCorruption::new(
                    self.dir.join(META_FILE),
                    format!("meta.json cannot be read ({why})"),
                )),
            )
        };
        let value = after_colon.ok_or_else(|| corrupt("no value after \"payload\"".into()))?;
        Option::<String>::deserialize(&mut serde_json::Deserializer::from_slice(value))
            .map_err(|e| corrupt(e.to_string()))
    }

    /// The parts of the last commit's `meta.json` read here: Tantivy reads
    /// the whole file (its schema too) when it opens the index and again
    /// for each reader, so this reads only the payload and the segment
    /// count, skipping the rest.
    fn commit_record(&self) -> Result<CommitRecord> {
        use tantivy::Directory;
        let text = self
            .index
            .directory()
            .atomic_read(Path::new(META_FILE))
            .map_err(|e| Error::index(&self.dir, e.into()))?;
        serde_json::from_slice(&text).map_err(|e| {
            Error::index(
                &self.dir,
                tantivy::TantivyError::DataCorruption(tantivy::error::DataCorruption::new(
                    self.dir.join(META_FILE),
                    format!("meta.json cannot be read ({e})"),
                )),
            )
        })
    }

    /// A writer holding the index lock; a second writer gets
    /// [`Error::IndexLocked`].
    pub fn writer(
        &self,
        threads: usize,
        budget_bytes: usize,
    ) -> Result<IndexWriter<TantivyDocument>> {
        self.index
            .writer_with_num_threads(
                threads.max(1),
                budget_bytes.max(15_000_000 * threads.max(1)),
            )
            .map_err(|e| Error::index(&self.dir, e))
    }

    /// Commits what `writer` holds, with the payload: the next generation,
    /// the same lineage.
    pub fn commit(&self, writer: &mut IndexWriter<TantivyDocument>) -> Result<()> {
        let generation = self.next_generation()?;
        self.commit_generation(writer, generation).map(|_| ())
    }

    /// The generation the next commit will have. Only meaningful to the
    /// holder of the writer lock (nobody else can commit meanwhile).
    pub fn next_generation(&self) -> Result<u64> {
        Ok(self.payload()?.map_or(1, |p| p.generation + 1))
    }

    /// Commits what `writer` holds as `generation` (from
    /// [`BriefIndex::next_generation`], taken while holding `writer`), and
    /// returns the payload written.
    pub fn commit_generation(
        &self,
        writer: &mut IndexWriter<TantivyDocument>,
        generation: u64,
    ) -> Result<CommitPayload> {
        let lineage = self.payload()?.map_or_else(new_lineage, |p| p.lineage);
        self.write_commit(writer, generation, lineage)
    }

    fn write_commit(
        &self,
        writer: &mut IndexWriter<TantivyDocument>,
        generation: u64,
        lineage: u64,
    ) -> Result<CommitPayload> {
        let payload = CommitPayload {
            format: "briefs".into(),
            version: SCHEMA_VERSION,
            committed_at: now_secs(),
            generation,
            lineage,
        };
        // Invariant: a struct of strings and numbers always serialises.
        let text = serde_json::to_string(&payload).expect("the commit payload serialises");
        let mut prepared = writer.prepare_commit().map_err(|e| self.write_error(e))?;
        prepared.set_payload(&text);
        prepared.commit().map_err(|e| self.write_error(e))?;
        Ok(payload)
    }

    /// An error of the writer, with its real cause where Tantivy hides it:
    /// a writer thread that died of a full disk or a folder turned
    /// read-only is reported by Tantivy as "killed" or as an internal
    /// error, so the folder is tried with a small write and that error, if
    /// it is one that refuses writes, is the one given.
    pub(crate) fn write_error(&self, error: tantivy::TantivyError) -> Error {
        use tantivy::TantivyError as T;
        let cause = match &error {
            T::IoError(io) => Some(std::io::Error::new(io.kind(), io.to_string())),
            // The others say less than they know (a thread "killed", an
            // "internal error" quoting the system's message): ask the disk.
            T::LockFailure(..) | T::SchemaError(_) | T::InvalidArgument(_) => None,
            _ => probe_write(&self.dir).err(),
        };
        match cause {
            Some(source) if is_write_refusal(&source) => Error::IndexNotWritable {
                path: self.dir.clone(),
                source,
            },
            _ => Error::index(&self.dir, error),
        }
    }

    /// A searcher on the commit [`BriefIndex::open`] found, from the reader
    /// it opened: no second opening of every segment.
    pub(crate) fn opened_searcher(&self) -> Result<tantivy::Searcher> {
        match self.reader.get() {
            Some(reader) => Ok(reader.searcher()),
            None => Ok(self.reader()?.searcher()),
        }
    }

    /// A reader on the last commit (reloaded by hand only: each call
    /// reloads it, so it sees commits made since).
    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = self.reader.get() {
            reader.reload().map_err(|e| Error::index(&self.dir, e))?;
            return Ok(reader.clone());
        }
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(|e| Error::index(&self.dir, e))?;
        Ok(self.reader.get_or_init(|| reader).clone())
    }
}

/// A lineage for a new index: the clock's nanoseconds and the process id,
/// mixed. Unique enough to tell two indexes made in one folder apart.
fn new_lineage() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut hasher = fnv::FnvHasher::default();
    std::hash::Hasher::write_u64(&mut hasher, nanos);
    std::hash::Hasher::write_u32(&mut hasher, std::process::id());
    std::hash::Hasher::finish(&hasher).max(1)
}

/// Seconds since the epoch, now.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_then_open_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        BriefIndex::create(dir.path()).unwrap();
        let opened = BriefIndex::open(dir.path()).unwrap();
        assert_eq!(opened.payload().unwrap().unwrap().version, SCHEMA_VERSION);
    }

    #[test]
    fn missing_index_is_no_index() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            BriefIndex::open(dir.path()),
            Err(Error::NoIndex { .. })
        ));
    }

    #[test]
    fn second_writer_is_locked_out() {
        let dir = tempfile::tempdir().unwrap();
        let index = BriefIndex::create(dir.path()).unwrap();
        let _first = index.writer(1, 15_000_000).unwrap();
        assert!(matches!(
            index.writer(1, 15_000_000),
            Err(Error::IndexLocked { .. })
        ));
    }

    #[test]
    fn the_payload_is_found_however_meta_json_is_spaced() {
        let dir = tempfile::tempdir().unwrap();
        let index = BriefIndex::create(dir.path()).unwrap();
        let meta = dir.path().join(META_FILE);
        let text = std::fs::read_to_string(&meta).unwrap();
        let record: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Written compact, and with a space before the colon.
        for (written, version) in [
            (
                serde_json::to_string(&record).unwrap(),
                Some(SCHEMA_VERSION),
            ),
            (
                text.replace("\"payload\":", "\"payload\" :"),
                Some(SCHEMA_VERSION),
            ),
            (text.replace("\"payload\":", "\"no_payload\":"), None),
        ] {
            std::fs::write(&meta, &written).unwrap();
            let found = index.payload().unwrap().map(|p| p.version);
            assert_eq!(found, version, "{written}");
        }
        let mut record = record;
        record["payload"] = serde_json::Value::Null;
        std::fs::write(&meta, serde_json::to_string_pretty(&record).unwrap()).unwrap();
        assert!(index.payload().unwrap().is_none());
    }

    #[test]
    fn foreign_index_is_a_version_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = tantivy::schema::Schema::builder();
        builder.add_text_field("title", tantivy::schema::TEXT);
        Index::create_in_dir(dir.path(), builder.build()).unwrap();
        assert!(matches!(
            BriefIndex::open(dir.path()),
            Err(Error::IndexVersion { .. })
        ));
    }
}
