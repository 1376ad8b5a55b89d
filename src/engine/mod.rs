//! Briefs on other search engines: the local index's article and bullet
//! documents, with the same ids, fed to an engine that holds them on other
//! machines, searched there with the same query language and hits, and
//! written out as the files other engines ingest.
//!
//! - [`Engine`] is the small trait an engine's adapter implements: make
//!   sure its collection exists with briefs' shape, upsert documents,
//!   delete a file's documents, search. `app/` holds a `Box<dyn Engine>`
//!   and never knows which engine runs; `output/` is unchanged, since hits
//!   come back as [`Hit`]s and [`Group`]s.
//! - `typesense/` is the one adapter (HTTP through `http`, with failover
//!   across nodes); `sync` brings a collection up to date with the index
//!   through the trait alone, incrementally, by the `record` of what was
//!   synced; `document` builds the engine-neutral documents from the briefs
//!   the index stores and `terms` analyses their text as briefs does;
//!   `export/` writes the files Quickwit, OpenSearch and Typesense ingest.
//!
//! Flows in: an [`IndexSnapshot`] (`index/`), [`SearchOptions`] and the
//! query tree (`query/`). Flows out: documents over HTTP or in files, a
//! [`SyncReport`], [`Hit`]s and [`Group`]s. Prints nothing (progress goes
//! through [`SyncProgress`]); never imports `output/` or `app/`, nor
//! Tantivy beyond the analysers of `text/`.

mod document;
mod export;
mod http;
mod record;
mod sync;
mod terms;
mod typesense;

use std::time::Duration;

use crate::error::Result;
use crate::search::{Group, Hit, SearchOptions};

pub(crate) use document::EngineDoc;
pub(crate) use export::{ExportFormat, ExportReport, export};
pub(crate) use sync::{SyncOptions, SyncProgress, SyncReport, sync};

#[cfg(test)]
pub(crate) use document::brief_docs;

/// The engines `sync` and `search --engine` can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EngineKind {
    /// Typesense (HTTP API; tested against a 3-node cluster of 0.24.1).
    Typesense,
}

/// How to reach an engine.
#[derive(Debug, Clone)]
pub(crate) struct EngineSettings {
    /// Which engine.
    pub(crate) kind: EngineKind,
    /// Its nodes' URLs, as given.
    pub(crate) nodes: Vec<String>,
    /// The API key.
    pub(crate) api_key: String,
    /// The collection (index) name.
    pub(crate) collection: String,
    /// How long one request may take on one node.
    pub(crate) timeout: Duration,
}

/// What the engine's collection held before a sync wrote anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prepared {
    /// Whether the collection was created just now.
    pub(crate) created: bool,
    /// How many documents it holds.
    pub(crate) documents: u64,
}

/// A document the engine would not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The document's id.
    pub(crate) id: String,
    /// What the engine said.
    pub(crate) reason: String,
}

/// An engine holding briefs' documents: what `sync` and `search --engine`
/// need of it.
pub(crate) trait Engine {
    /// The engine's name, as `--engine` takes it (`typesense`).
    fn name(&self) -> &'static str;
    /// The collection's name.
    fn collection(&self) -> &str;
    /// The collection, and where it is, for messages.
    fn describe(&self) -> String;
    /// The nodes, as given.
    fn nodes(&self) -> &[String];
    /// Makes sure the collection exists with briefs' shape (creating it
    /// when missing, refusing one of another shape).
    fn prepare(&mut self) -> Result<Prepared>;
    /// How many documents the collection holds now.
    fn count(&mut self) -> Result<u64>;
    /// Adds or replaces `docs`, marked with `generation`; returns those the
    /// engine refused.
    fn upsert(&mut self, docs: &[EngineDoc], generation: u64) -> Result<Vec<Refused>>;
    /// Deletes the documents of the files `keys` (of every file when `keys`
    /// is empty, which only ever comes with `older_than`): all of them, or
    /// only those marked with a generation below `older_than`. Returns how
    /// many.
    fn delete(&mut self, keys: &[String], older_than: Option<u64>) -> Result<u64>;
    /// Ranks hits for `options`, as `Session::search` does.
    fn search(&mut self, options: &SearchOptions) -> Result<Vec<Hit>>;
    /// Ranks briefs with their best hits, as `Session::search_grouped` does.
    fn search_grouped(&mut self, options: &SearchOptions, per_brief: usize) -> Result<Vec<Group>>;
    /// How many times a request moved to another node.
    fn failovers(&self) -> u64;
}

/// The engine `settings` name, ready to use (nothing is sent yet).
pub(crate) fn connect(settings: &EngineSettings) -> Result<Box<dyn Engine>> {
    match settings.kind {
        EngineKind::Typesense => Ok(Box::new(typesense::Typesense::new(settings)?)),
    }
}
