//! What `index` and `stats` print for people: the one-line summary of an
//! index run and the table of what the index holds.

use std::io::{self, Write};

use crate::index::{IndexReport, IndexStats};
use crate::output::{count, escaped};

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
            "{index} is up to date: {} unchanged, {} skipped, nothing to commit ({:.2} s)",
            count(report.unchanged as u64, "file", "files"),
            report.skipped,
            report.seconds
        );
    }
    writeln!(
        out,
        "indexed {}, {}; files: {} added, {} updated, {} removed, {} unchanged, {} skipped; {:.2} s; {index} holds {}",
        count(report.briefs as u64, "brief", "briefs"),
        count(report.bullets as u64, "bullet", "bullets"),
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.skipped,
        report.seconds,
        count(total_briefs, "brief", "briefs")
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
        "size         {} in {}",
        count(stats.size_bytes, "byte", "bytes"),
        count(stats.segments, "segment", "segments")
    )?;
    writeln!(
        out,
        "last commit  {}",
        stats.last_commit.as_deref().unwrap_or("never")
    )
}
