//! What `sync` and `export` print for people: one summary line each.

use std::io::{self, Write};

use crate::engine::{ExportReport, SyncReport};

/// Writes the one-line summary of a sync to `collection` (as described by
/// the engine).
pub fn write_sync_report(
    out: &mut impl Write,
    report: &SyncReport,
    collection: &str,
) -> io::Result<()> {
    if report.up_to_date {
        return writeln!(
            out,
            "{collection} is up to date: {} files unchanged, nothing sent ({:.2} s); it holds {} documents",
            report.files_unchanged, report.seconds, report.engine_documents
        );
    }
    let rate = if report.seconds > 0.0 {
        report.briefs as f64 / report.seconds
    } else {
        0.0
    };
    let created = if report.created { " (created)" } else { "" };
    writeln!(
        out,
        "synced {} briefs to {collection}{created}: {} documents upserted, {} deleted, {} refused; files: {} sent, {} removed, {} unchanged; {} batches, {} failovers; {:.2} s ({:.0} briefs/s); it holds {} documents, the index {}",
        report.briefs,
        report.upserted,
        report.deleted,
        report.refused,
        report.files_sent,
        report.files_removed,
        report.files_unchanged,
        report.batches,
        report.failovers,
        report.seconds,
        rate,
        report.engine_documents,
        report.index_documents,
    )
}

/// Writes the one-line summary of an export.
pub fn write_export_report(
    out: &mut impl Write,
    report: &ExportReport,
    engine: &str,
    dir: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "exported {} briefs as {} documents for {engine} to {dir}: {} files, {} bytes of documents; read {dir}/README.txt for the commands",
        report.briefs,
        report.documents,
        report.files.len(),
        report.document_bytes,
    )
}
