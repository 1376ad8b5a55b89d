//! Rendering results for people and for programs: hits, briefs, stats and
//! the index summary, as text (with optional ANSI colour) or JSON Lines.
//! Everything writes to a `&mut impl Write`; nothing here knows Tantivy or
//! decides whether colour is on (`app` does, once, and passes a [`Palette`]).

use std::io::{self, Write};

use serde::Serialize;

use crate::brief::{Brief, DocKind};
use crate::hit::Hit;
use crate::index::IndexReport;
use crate::stats::IndexStats;

/// ANSI sequences to use; all empty when colour is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Matched words.
    pub highlight: &'static str,
    /// Headlines.
    pub headline: &'static str,
    /// Paths and other quiet detail.
    pub dim: &'static str,
    /// Kind labels.
    pub kind: &'static str,
    /// Back to normal.
    pub reset: &'static str,
}

impl Palette {
    /// No colour at all.
    pub const PLAIN: Palette = Palette {
        highlight: "",
        headline: "",
        dim: "",
        kind: "",
        reset: "",
    };
    /// ripgrep-like colours.
    pub const ANSI: Palette = Palette {
        highlight: "\x1b[1;31m",
        headline: "\x1b[1m",
        dim: "\x1b[35m",
        kind: "\x1b[36m",
        reset: "\x1b[0m",
    };
}

/// Writes hits for people: rank, kind, score, the bullet with its marker
/// and matches highlighted, the brief's headline and source, `path:line`.
pub fn write_hits(out: &mut impl Write, hits: &[Hit], palette: &Palette) -> io::Result<()> {
    for hit in hits {
        let p = palette;
        let lead = match (&hit.emoji, &hit.marker) {
            (Some(emoji), _) => format!("{emoji} "),
            (None, Some(marker)) => format!("{marker} "),
            _ => String::new(),
        };
        writeln!(
            out,
            "{rank:>2}. {k}{kind:<7}{r} {score:>6.3}  {lead}{text}",
            rank = hit.rank,
            k = p.kind,
            kind = hit.kind.as_str(),
            r = p.reset,
            score = hit.score,
            text = highlighted(&hit.text, &hit.highlights, p),
        )?;
        if hit.kind != DocKind::Article {
            write!(out, "    {}{}{}", p.headline, hit.headline, p.reset)?;
            if let Some(source) = &hit.source {
                write!(out, " — {source}")?;
            }
            writeln!(out)?;
        } else if let Some(source) = &hit.source {
            writeln!(out, "    {source}")?;
        }
        writeln!(out, "    {}{}:{}{}", p.dim, hit.path, hit.line, p.reset)?;
    }
    Ok(())
}

/// `text` with the byte ranges wrapped in the palette's highlight.
pub fn highlighted(text: &str, ranges: &[[usize; 2]], palette: &Palette) -> String {
    if palette.highlight.is_empty() || ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut at = 0;
    for &[start, end] in ranges {
        let (Some(before), Some(inside)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(palette.highlight);
        out.push_str(inside);
        out.push_str(palette.reset);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// Writes one JSON object per line.
pub fn write_json_lines<T: Serialize>(out: &mut impl Write, items: &[T]) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, item)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes a brief for people, the way it was read.
pub fn write_brief(out: &mut impl Write, brief: &Brief, palette: &Palette) -> io::Result<()> {
    let p = palette;
    writeln!(
        out,
        "{}{}:{}{}  id {}",
        p.dim, brief.path, brief.line, p.reset, brief.id
    )?;
    write!(out, "{}{}{}", p.headline, brief.headline, p.reset)?;
    match &brief.source {
        Some(source) => writeln!(out, " — {source}")?,
        None => writeln!(out)?,
    }
    for (label, value) in [("date", &brief.date), ("url", &brief.url)] {
        if let Some(value) = value {
            writeln!(out, "{label}: {value}")?;
        }
    }
    for point in &brief.points {
        let shown = match (&point.emoji, point.marker.as_str()) {
            (Some(emoji), marker) if emoji != marker => format!("{emoji} (found as {marker})"),
            (_, "") => "·".to_string(),
            (_, marker) => marker.to_string(),
        };
        writeln!(out, "  {shown} {}", point.text)?;
    }
    for summary in &brief.summaries {
        writeln!(out, "  - {}", summary.text)?;
    }
    for paragraph in &brief.body {
        writeln!(out, "  {paragraph}")?;
    }
    writeln!(
        out,
        "{}({} points, {} summaries, {} body paragraphs){}",
        p.dim,
        brief.points.len(),
        brief.summaries.len(),
        brief.body.len(),
        p.reset
    )
}

/// Writes the one-line summary of an index run.
pub fn write_index_report(
    out: &mut impl Write,
    report: &IndexReport,
    index: &str,
    total_briefs: u64,
) -> io::Result<()> {
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
    writeln!(out, "index        {}", stats.index)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        Hit {
            rank: 1,
            id: "a.txt#p1".into(),
            brief_id: "a.txt".into(),
            kind: DocKind::Point,
            position: 1,
            score: 1.5,
            text: "Ferry fares fall".into(),
            highlights: vec![[6, 11]],
            marker: Some("ðŸ“‰".into()),
            emoji: Some("📉".into()),
            headline: "Fares drop".into(),
            source: Some("Harbor Ledger".into()),
            date: None,
            path: "corpus/a.txt".into(),
            line: 2,
        }
    }

    fn render(palette: &Palette) -> String {
        let mut out = Vec::new();
        write_hits(&mut out, &[hit()], palette).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_hit_rendering() {
        assert_eq!(
            render(&Palette::PLAIN),
            " 1. point    1.500  📉 Ferry fares fall\n    Fares drop — Harbor Ledger\n    corpus/a.txt:2\n"
        );
    }

    #[test]
    fn coloured_hit_highlights_matches() {
        let text = render(&Palette::ANSI);
        assert!(
            text.contains("Ferry \x1b[1;31mfares\x1b[0m fall"),
            "{text:?}"
        );
    }

    #[test]
    fn json_lines_parse_back() {
        let mut out = Vec::new();
        write_json_lines(&mut out, &[hit(), hit()]).unwrap();
        for line in String::from_utf8(out).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["kind"], "point");
        }
    }
}
