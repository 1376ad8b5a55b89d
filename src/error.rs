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
    /// A `--since` or `--until` date that is not a date.
    #[error("{flag} {text}: not a date (try 2026-11-28)")]
    InvalidDate {
        /// The flag.
        flag: &'static str,
        /// The text given.
        text: String,
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
    /// No document has the id asked for.
    #[error("no brief or bullet with id `{id}` in the index")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// A brief's id where a bullet's is needed (`related`).
    #[error("`{id}` is a brief; `related` takes a bullet id (such as `{id}#p1`)")]
    NotABullet {
        /// The brief id given.
        id: String,
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
        use tantivy::directory::error::{LockError, OpenReadError};
        let path = path.into();
        match source {
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
