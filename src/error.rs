//! The one error type of the library, and the exit codes it maps to.
//!
//! Each variant carries what a user needs to act: the path, and for input
//! problems the line. `main` prints an error once, as `briefs: <message>`,
//! followed by its cause chain; nothing else in the library prints errors.

use std::path::PathBuf;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file or folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Tantivy failed on the index.
    #[error("index {}: {source}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// What Tantivy said.
        source: tantivy::TantivyError,
    },
    /// No index has been built at the path yet.
    #[error("no index at {} yet: build one with `briefs index [PATH…] --index {}`", folder(path), path.display())]
    NoIndex {
        /// The index folder.
        path: PathBuf,
    },
    /// The index was built by another version of briefs (or is not ours).
    #[error("index {} was made by another version of briefs ({found}); rebuild it with `briefs index --rebuild --index {} [PATH…]`", path.display(), path.display())]
    IndexVersion {
        /// The index folder.
        path: PathBuf,
        /// What was found instead of the current format.
        found: String,
    },
    /// The index folder is there but cannot be read (a damaged `meta.json`).
    #[error("index {} cannot be read ({detail}); rebuild it with `briefs index --rebuild --index {} [PATH…]`", path.display(), path.display())]
    IndexDamaged {
        /// The index folder.
        path: PathBuf,
        /// What Tantivy said.
        detail: String,
    },
    /// Another process holds the index writer's lock.
    #[error("another `briefs index` is writing to {}; wait for it to finish and run again (searches keep working meanwhile)", path.display())]
    IndexLocked {
        /// The index folder.
        path: PathBuf,
    },
    /// The index folder, or a file of its last commit, went away while it
    /// was being opened: it is being deleted or replaced.
    #[error("index {} went away while it was being opened ({detail}): it is being deleted or replaced, or it was damaged; if it is gone, build it again with `briefs index --rebuild --index {} [PATH…]`", path.display(), path.display())]
    IndexGone {
        /// The index folder.
        path: PathBuf,
        /// What was missing.
        detail: String,
    },
    /// The index folder takes no writes (another user's, read-only, or its
    /// disk is full): searches work, `briefs index` does not.
    #[error("cannot write to index {}: {source}", path.display())]
    IndexNotWritable {
        /// The index folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// `--index` names something that is not, and cannot become, an index
    /// folder: a file, or a folder of other files.
    #[error("--index {}: {reason}", path.display())]
    NotAnIndexFolder {
        /// The path given.
        path: PathBuf,
        /// Why it cannot hold an index.
        reason: String,
    },
    /// A path to index that does not exist.
    #[error("{}: no such file or folder{hint}", path.display())]
    NoSuchPath {
        /// The path given.
        path: PathBuf,
        /// What to do, for the default path.
        hint: &'static str,
    },
    /// The query could not be read.
    #[error("query: {source}")]
    Query {
        /// What is wrong, and at which column.
        #[source]
        source: crate::query::QueryError,
    },
    /// The query's `word*` and `word~N` expand to too many index words.
    #[error(
        "query: its `word*` and `word~N` expand to more than {limit} index words; use fewer of them, or longer prefixes"
    )]
    QueryTooBroad {
        /// The bound (`MAX_EXPANDED_TERMS`).
        limit: usize,
    },
    /// `--limit` or `--offset` asks for hits deeper than a search ranks.
    #[error("{flag} {value}: {reason}")]
    TooManyHits {
        /// The flag.
        flag: &'static str,
        /// The value given.
        value: usize,
        /// The bound, in words.
        reason: String,
    },
    /// A `--since` or `--until` date that is not a date.
    #[error("{flag} {text}: not a date (try 2026-11-28)")]
    InvalidDate {
        /// The flag.
        flag: &'static str,
        /// The text given.
        text: String,
    },
    /// Two flags that ask for different things at once.
    #[error("{first} cannot be used with {second}: {why}")]
    IncompatibleFlags {
        /// The one flag.
        first: &'static str,
        /// The other.
        second: &'static str,
        /// Why not, and what to give instead.
        why: &'static str,
    },
    /// A flag that means something only beside another, given without it.
    #[error("{flag} is used only with {needs}; give both, or leave {flag} out")]
    FlagNeeds {
        /// The flag given.
        flag: &'static str,
        /// What it needs.
        needs: &'static str,
    },
    /// A flag's value that is out of range.
    #[error("{flag} {text}: expected {reason}")]
    InvalidFlag {
        /// The flag.
        flag: &'static str,
        /// The value given.
        text: String,
        /// What is expected.
        reason: &'static str,
    },
    /// A `--window` that is not a duration.
    #[error("--window {text}: not a duration (try 72h, 3d or 2w)")]
    InvalidWindow {
        /// The text given.
        text: String,
    },
    /// `BRIEFS_WEIGHTS` could not be read.
    #[error("BRIEFS_WEIGHTS={spec}: {reason}")]
    InvalidWeights {
        /// The variable's value.
        spec: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No document has the id asked for, nor is one at that `path:line`.
    #[error(
        "no brief or bullet `{id}` in the index (give an id, or a path:line as `briefs search` prints them)"
    )]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// A `path:line` that holds several bullets where one is needed.
    #[error("{location} holds {} bullets; give one's id: {}", ids.len(), list_ids(ids))]
    AmbiguousLocation {
        /// The `path:line` given.
        location: String,
        /// The ids of the bullets on that line.
        ids: Vec<String>,
    },
    /// A brief's id where a bullet's is needed (`related`).
    #[error("`{id}` is a brief; `related` takes a bullet id (such as `{id}#p1`)")]
    NotABullet {
        /// The brief id given.
        id: String,
    },
    /// A [`Cli`](crate::Cli) with neither a command nor `--generate` (one
    /// built by hand: the command line is refused before).
    #[error("no command given: run `briefs --help`")]
    NoCommand,
    /// A standing query of `--alert FILE` cannot be read.
    #[error("--alert {}:{line}: {reason}", path.display())]
    AlertFile {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The engine flags cannot be used as given (no node, a node that is not
    /// a URL, no API key).
    #[error("{detail}")]
    EngineSettings {
        /// What is wrong, naming the flag.
        detail: String,
    },
    /// No node of the engine answered.
    #[error(
        "no engine node answered ({tried}; gave up after {seconds:.1} s): check --node (or BRIEFS_ENGINE_NODES) and that the engine is running"
    )]
    EngineUnreachable {
        /// Each node tried, and what happened.
        tried: String,
        /// How long the tries took.
        seconds: f64,
    },
    /// The engine refused the API key.
    #[error("{node} refused the API key ({message}): check --api-key (or BRIEFS_ENGINE_KEY)")]
    EngineKey {
        /// The node that refused it.
        node: String,
        /// What it said.
        message: String,
    },
    /// The engine answered, but not as expected.
    #[error("{node}: {what}: {status} {message}")]
    EngineAnswer {
        /// The node.
        node: String,
        /// What was asked.
        what: String,
        /// The HTTP status.
        status: u16,
        /// What it said.
        message: String,
    },
    /// The engine's collection is not one briefs made.
    #[error("{detail}")]
    EngineCollection {
        /// What differs, and what to do.
        detail: String,
    },
    /// A query that the engine cannot run as briefs would.
    #[error("query: {construct}: {reason}")]
    EngineQuery {
        /// The construct, as typed or named.
        construct: String,
        /// Why the engine cannot express it, and what to write instead.
        reason: String,
    },
    /// Another `briefs sync` is sending this index to the same collection.
    #[error("another `briefs sync` is sending {} to the same collection ({}); wait for it to finish and run again", index.display(), path.display())]
    SyncLocked {
        /// The index folder.
        index: PathBuf,
        /// The lock file.
        path: PathBuf,
    },
    /// The record of what was synced cannot be read.
    #[error("{}: the record of the last sync cannot be read ({detail}); remove it to sync everything again", path.display())]
    SyncRecord {
        /// The record file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// An export cannot be written as the engine would take it.
    #[error("export to {}: {detail}", path.display())]
    Export {
        /// The export folder.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// Writing results failed (a closed pipe is handled by `main`).
    #[error("writing output: {0}")]
    Output(#[source] std::io::Error),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A Tantivy error on the index at `path`, with lock and format failures
    /// turned into their own variants.
    pub fn index(path: impl Into<PathBuf>, source: tantivy::TantivyError) -> Error {
        use tantivy::TantivyError as T;
        use tantivy::directory::error::{LockError, OpenDirectoryError, OpenReadError};
        let path = path.into();
        match source {
            // The lock file cannot be created because the folder is gone
            // (a search opening an index as it is deleted): no writer is
            // involved, and write access is not the problem.
            T::LockFailure(LockError::IoError(cause), _)
                if cause.kind() == std::io::ErrorKind::NotFound =>
            {
                Error::IndexGone {
                    path,
                    detail: format!("its lock file cannot be created: {cause}"),
                }
            }
            T::OpenReadError(OpenReadError::FileDoesNotExist(file)) => Error::IndexGone {
                path,
                detail: format!("{} is missing", file.display()),
            },
            T::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_)) => Error::IndexGone {
                path,
                detail: "the folder is missing".into(),
            },
            T::LockFailure(LockError::IoError(cause), _) => Error::IndexNotWritable {
                path,
                source: std::io::Error::new(cause.kind(), cause.to_string()),
            },
            T::LockFailure(LockError::LockBusy, _) => Error::IndexLocked { path },
            // Segment files of another Tantivy format: an index from another
            // version all the same, whether found reading meta or a segment.
            T::IncompatibleIndex(found)
            | T::OpenReadError(OpenReadError::IncompatibleIndex(found)) => Error::IndexVersion {
                path,
                found: describe_incompatibility(&found),
            },
            T::SchemaError(found) => Error::IndexVersion { path, found },
            source @ T::DataCorruption(_) => Error::IndexDamaged {
                path,
                detail: source.to_string(),
            },
            source => Error::Index { path, source },
        }
    }
}

/// What Tantivy found instead of the index format it reads, in words.
fn describe_incompatibility(found: &tantivy::directory::error::Incompatibility) -> String {
    use tantivy::directory::error::Incompatibility;
    match found {
        Incompatibility::IndexMismatch { index_version, .. } => {
            format!("segments written by another version of Tantivy ({index_version})")
        }
        Incompatibility::CompressionMismatch {
            index_compression_format,
            ..
        } => format!("segments compressed with {index_compression_format}"),
    }
}

/// The first ids of a list, for a message.
fn list_ids(ids: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(", …");
    }
    text
}

/// A folder's path as shown in a sentence: `index/`, not `index`.
fn folder(path: &std::path::Path) -> String {
    let shown = path.display().to_string();
    if shown.ends_with('/') {
        shown
    } else {
        format!("{shown}/")
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Exit statuses, after grep and ripgrep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// search: at least one hit; index and parse: every file was read.
    Success,
    /// search: no hits; index and parse: done, but some input was skipped
    /// (each skip was reported on stderr).
    Partial,
    /// An error stopped the command; the index was left as it was.
    Error,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Partial => 1,
            ExitStatus::Error => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_grep() {
        assert_eq!(ExitStatus::Success.code(), 0);
        assert_eq!(ExitStatus::Partial.code(), 1);
        assert_eq!(ExitStatus::Error.code(), 2);
    }

    #[test]
    fn a_lock_file_in_a_folder_that_is_gone_is_not_a_busy_or_read_only_index() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let lock = tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::IoError(std::sync::Arc::new(gone)),
            None,
        );
        let err = Error::index("idx", lock);
        assert!(matches!(err, Error::IndexGone { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("deleted"), "{message}");
        assert!(!message.contains("another"), "{message}");
        assert!(!message.contains("cannot write"), "{message}");
        let missing = tantivy::TantivyError::OpenReadError(
            tantivy::directory::error::OpenReadError::FileDoesNotExist("meta.json".into()),
        );
        let err = Error::index("idx", missing);
        assert!(err.to_string().contains("meta.json is missing"), "{err}");
    }

    #[test]
    fn lock_failure_becomes_index_locked() {
        let lock = tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::LockBusy,
            None,
        );
        assert!(matches!(
            Error::index("idx", lock),
            Error::IndexLocked { .. }
        ));
    }
}
