//! The engine commands' settings and stderr reports: `--engine`, `--node`
//! (or `BRIEFS_ENGINE_NODES`), `--api-key` (or `BRIEFS_ENGINE_KEY`),
//! `--collection` and `--timeout` settled into `EngineSettings`, `--to` into
//! an `ExportFormat`, and what a sync says while it runs: each refused
//! document as `briefs: id: reason`, notes, and on a terminal a progress
//! line that the next message overwrites.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::cli::{EngineConnection, EngineName, ExportTo};
use crate::engine::{EngineKind, EngineSettings, ExportFormat, Refused, SyncProgress};

/// The engine settings of `name` and `connection`.
pub(crate) fn engine_settings(name: EngineName, connection: &EngineConnection) -> EngineSettings {
    EngineSettings {
        kind: match name {
            EngineName::Typesense => EngineKind::Typesense,
        },
        nodes: connection
            .nodes
            .iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect(),
        api_key: connection.api_key.clone().unwrap_or_default(),
        collection: connection.collection.clone(),
        timeout: Duration::from_secs(connection.timeout.max(1)),
    }
}

/// The export format `--to` names.
pub(crate) fn export_format(to: ExportTo) -> ExportFormat {
    match to {
        ExportTo::Quickwit => ExportFormat::Quickwit,
        ExportTo::Opensearch => ExportFormat::OpenSearch,
        ExportTo::Typesense => ExportFormat::Typesense,
    }
}

/// A sync's reports on stderr.
pub(crate) struct StderrSyncProgress {
    terminal: bool,
    last: Option<Instant>,
    shown: bool,
}

impl StderrSyncProgress {
    pub(crate) fn new() -> StderrSyncProgress {
        StderrSyncProgress {
            terminal: std::io::stderr().is_terminal(),
            last: None,
            shown: false,
        }
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

impl SyncProgress for StderrSyncProgress {
    fn progress(&mut self, files_done: u64, files_total: u64, documents: u64) {
        if !self.terminal {
            return;
        }
        if files_done == files_total {
            self.clear();
            return;
        }
        if self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(200))
        {
            eprint!(
                "\r\x1b[2Ksyncing: {files_done}/{files_total} files, {documents} documents sent"
            );
            self.shown = true;
            self.last = Some(Instant::now());
        }
    }

    fn refused(&mut self, refused: &Refused) {
        self.clear();
        eprintln!(
            "briefs: {}: the engine refused it: {}",
            refused.id, refused.reason
        );
    }

    fn note(&mut self, message: &str) {
        self.clear();
        eprintln!("briefs: {message}");
    }
}
