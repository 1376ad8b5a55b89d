//! Stage 4: the index folder. `handle` opens, creates and commits it (the
//! format check, the writer lock, the commit payload); `schema` spells every
//! field; `documents` turns a brief into one article document and one
//! document per bullet, plus the file record; `manifest` reads those records
//! back so a re-index skips unchanged files; `update` (with its `readers`) brings the index up to
//! date with the folders (with `ids` keeping brief ids unique); `apply`
//! applies a given set of changed paths (for `briefs watch`), stamping what
//! it adds with the commit's generation (`first_seen`); `stats` counts what
//! it holds; `files` looks after
//! the folder's own files and `directory` is how Tantivy sees the folder
//! (umask modes, readers that need no write access); `stored` reads stored
//! fields back; `snapshot` reads one commit's files and briefs back for
//! other engines (`engine/`); `malloc` sets glibc's allocator up for a long
//! update.
//!
//! Flows in: walked files (`read/`) and briefs (`parse/`), analysed by
//! `text/`. Flows out: a [`BriefIndex`] that `search/` queries, and the plain
//! [`IndexReport`] and [`IndexStats`] that `output/` prints. Never imports
//! `query/`, `search/`, `output/` or `app/`.

mod apply;
mod changes;
mod directory;
mod documents;
mod files;
mod first_seen;
mod handle;
mod ids;
mod malloc;
mod manifest;
mod merge;
mod readers;
mod schema;
mod snapshot;
mod stats;
mod stored;
mod terms;
mod update;

pub(crate) use apply::{ApplyOptions, ApplyReport, Root, apply_changes, clean_stale};
pub(crate) use changes::differences;
pub use handle::BriefIndex;
pub use stats::IndexStats;
pub use update::{IndexOptions, IndexReport, Progress, Reporter, update_index};

#[cfg(test)]
pub(crate) use documents::brief_documents;
pub(crate) use handle::exists;
#[cfg(test)]
pub(crate) use schema::file_hash;
pub(crate) use schema::{
    COPY_KEY_FIELD, DAY_FIELD, FILE_HASH_FIELD, Fields, ORDER_FIELD, SCHEMA_VERSION,
    file_hash_from_stored, order_from_stored, tie_key,
};
pub(crate) use snapshot::{FileStamp, IndexSnapshot};
pub(crate) use stats::{count_briefs, index_stats};
pub(crate) use stored::{stored_number, stored_text};
pub(crate) use terms::every_term;
