//! What `index` and `stats` print for people: the one-line summary of an
//! index run and the table of what the index holds.

use std::io::{self, Write};

use crate::index::{IndexReport, IndexStats};
use crate::output::escaped;

/// Writes the one-line summary of an index run.
pub fn write_index_report(
    out: &mut impl Write,
    report: &IndexReport,
    index: &str,
    total_briefs: u64,
) -> io::Result<()> {
    let index = escaped(index);
    if !report.committed {
        return writeln!(
            out,
            "{index} is up to date: {} files unchanged, {} skipped, nothing to commit ({:.2} s)",
            report.unchanged, report.skipped, report.seconds
        );
    }
    writeln!(
        out,
        "indexed {} briefs, {} bullets; files: {} added, {} updated, {} removed, {} unchanged, {} skipped; {:.2} s; {index} holds {total_briefs} briefs",
        report.briefs,
        report.bullets,
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.skipped,
        report.seconds
    )
}

/// Writes stats for people.
pub fn write_stats(out: &mut impl Write, stats: &IndexStats) -> io::Result<()> {
    writeln!(out, "index        {}", escaped(&stats.index))?;
    writeln!(out, "briefs       {}", stats.briefs)?;
    writeln!(out, "points       {}", stats.points)?;
    writeln!(out, "summaries    {}", stats.summaries)?;
    writeln!(
        out,
        "files        {} ({} with problems)",
        stats.files, stats.files_with_problems
    )?;
    writeln!(out, "sources      {}", stats.sources)?;
    writeln!(
        out,
        "size         {} bytes in {} segments",
        stats.size_bytes, stats.segments
    )?;
    writeln!(
        out,
        "last commit  {}",
        stats.last_commit.as_deref().unwrap_or("never")
    )
}
