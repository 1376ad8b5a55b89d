//! Text for people: hits, grouped hits and whole briefs, with matches
//! highlighted by the [`Palette`] `app` chose (empty strings when colour is
//! off), long bullets cut around their first match. Every field taken from
//! a brief or a file name is written through [`escaped`], so a control
//! character or bidi override in it is shown, never sent to the terminal.

use std::io::{self, Write};

use crate::brief::{Brief, DocKind};
use crate::output::{Palette, count, escaped, write_explain};
use crate::search::{Group, Hit};

/// Longest bullet text shown whole; longer ones are cut around the matches.
pub const SNIPPET_CHARS: usize = 240;

/// Writes hits for people: rank, kind, score, the bullet (a snippet of it
/// when long) with its marker and matches highlighted, the brief's headline
/// and source, `path:line` and the id, and a note for folded
/// near-duplicates.
pub fn write_hits(out: &mut impl Write, hits: &[Hit], palette: &Palette) -> io::Result<()> {
    for hit in hits {
        write_hit_line(out, hit, hit.rank, palette, "")?;
        let p = palette;
        if hit.kind != DocKind::Article {
            writeln!(
                out,
                "    {}",
                headline_line(&hit.headline, hit.source.as_deref(), hit.date.as_deref(), p)
            )?;
        } else {
            // The headline is the hit's own line: its source and date, then
            // the part of the brief that matched.
            let parts: Vec<String> = [&hit.source, &hit.date]
                .into_iter()
                .flatten()
                .map(|part| escaped(part).into_owned())
                .collect();
            if !parts.is_empty() {
                writeln!(out, "    {}", parts.join(" · "))?;
            }
            if let Some(snippet) = &hit.snippet {
                let (text, ranges) = snippet_of(&snippet.text, &snippet.highlights, SNIPPET_CHARS);
                let field = snippet.field.as_str();
                let text = highlighted(&text, &ranges, p);
                writeln!(out, "    {}{field}:{} {text}", p.dim, p.reset)?;
            }
        }
        write_location(out, hit, p, "    ")?;
        write_explain(out, hit, p, "    ")?;
    }
    Ok(())
}

/// Writes the heading of one query of a batch (`qid  query`), after a blank
/// line unless it is the first; `found` false adds `(no hits)` beneath it.
pub fn write_query_heading(
    out: &mut impl Write,
    first: bool,
    qid: &str,
    query: &str,
    found: bool,
    p: &Palette,
) -> io::Result<()> {
    if !first {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{}{}{}  {}",
        p.headline,
        escaped(qid),
        p.reset,
        escaped(query)
    )?;
    if !found {
        writeln!(out, "    {}(no hits){}", p.dim, p.reset)?;
    }
    Ok(())
}

/// Writes `path:line  id ID` of a hit (what `show` and `related` take),
/// and the note on what was folded into it.
fn write_location(out: &mut impl Write, hit: &Hit, p: &Palette, indent: &str) -> io::Result<()> {
    writeln!(
        out,
        "{indent}{}{}:{}  id {}{}{}",
        p.dim,
        escaped(&hit.path),
        hit.line,
        escaped(&hit.id),
        p.reset,
        folded_note(hit)
    )
}

/// Writes grouped results: each brief's headline, then its matching bullets.
pub fn write_groups(out: &mut impl Write, groups: &[Group], palette: &Palette) -> io::Result<()> {
    let p = palette;
    for group in groups {
        writeln!(
            out,
            "{:>2}. {:>6.3}  {}",
            group.rank,
            group.score,
            headline_line(
                &group.headline,
                group.source.as_deref(),
                group.date.as_deref(),
                p
            )
        )?;
        writeln!(
            out,
            "    {}{}:{}  id {}{}",
            p.dim,
            escaped(&group.path),
            group.line,
            escaped(&group.brief_id),
            p.reset
        )?;
        for hit in &group.hits {
            write_hit_line(out, hit, hit.rank, p, "    ")?;
            write_location(out, hit, p, "        ")?;
            write_explain(out, hit, p, "        ")?;
        }
        if group.more > 0 {
            let more = count(
                group.more as u64,
                "more matching bullet",
                "more matching bullets",
            );
            writeln!(out, "    {}(+{more}){}", p.dim, p.reset)?;
        }
    }
    Ok(())
}

/// A hit's first line: rank, kind, score, its marker and its text cut
/// around the match, highlighted.
pub(crate) fn write_hit_line(
    out: &mut impl Write,
    hit: &Hit,
    rank: usize,
    p: &Palette,
    indent: &str,
) -> io::Result<()> {
    let lead = match (&hit.emoji, &hit.marker) {
        (Some(emoji), _) => format!("{} ", escaped(emoji)),
        (None, Some(marker)) => format!("{} ", escaped(marker)),
        _ => String::new(),
    };
    let (text, ranges) = snippet_of(&hit.text, &hit.highlights, SNIPPET_CHARS);
    writeln!(
        out,
        "{indent}{rank:>2}. {k}{kind:<7}{r} {score:>6.3}  {lead}{text}",
        k = p.kind,
        kind = hit.kind.as_str(),
        r = p.reset,
        score = hit.score,
        text = highlighted(&text, &ranges, p),
    )
}

fn headline_line(headline: &str, source: Option<&str>, date: Option<&str>, p: &Palette) -> String {
    let mut line = format!("{}{}{}", p.headline, escaped(headline), p.reset);
    if let Some(source) = source {
        line.push_str(" — ");
        line.push_str(&escaped(source));
    }
    if let Some(date) = date {
        line.push_str(" · ");
        line.push_str(&escaped(date));
    }
    line
}

fn folded_note(hit: &Hit) -> String {
    // A lone folded bullet is named; of more, only the count is shown
    // (their ids, in JSON, are read only when written).
    let mut note = match (hit.folded_count(), hit.folded.as_slice()) {
        (0, _) => String::new(),
        (1, [one]) => format!("  (+1 similar bullet folded in: {})", escaped(one)),
        (1, _) => "  (+1 similar bullet folded in)".to_string(),
        (n, _) => format!("  (+{n} similar bullets folded in)"),
    };
    if hit.context_only {
        note.push_str(&match hit.context_folded.len() {
            0 => "  (matches by its headline or source only)".to_string(),
            n => format!(
                "  (matches by its headline or source only, as do {})",
                count(
                    n as u64,
                    "more bullet of this brief",
                    "more bullets of this brief"
                )
            ),
        });
    }
    note
}

/// Cuts `text` to about `max_chars` characters around its first match,
/// on word boundaries, marking cuts with `…`; returns the cut text and the
/// match ranges moved into it. Short texts come back whole.
pub fn snippet_of(
    text: &str,
    ranges: &[[usize; 2]],
    max_chars: usize,
) -> (String, Vec<[usize; 2]>) {
    if text.chars().count() <= max_chars {
        return (text.to_string(), ranges.to_vec());
    }
    let focus = ranges.first().map_or(0, |r| r[0]);
    // Start a fifth of the window before the match, at a word boundary.
    let lead_bytes = text[..focus]
        .char_indices()
        .rev()
        .nth(max_chars / 5)
        .map_or(0, |(i, _)| i);
    let start = if lead_bytes == 0 {
        0
    } else {
        text[lead_bytes..]
            .find(' ')
            .map_or(lead_bytes, |s| lead_bytes + s + 1)
    };
    let window_end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| start + i);
    let end = if window_end >= text.len() {
        text.len()
    } else {
        text[start..window_end]
            .rfind(' ')
            .map_or(window_end, |e| start + e)
    };
    let prefix = if start > 0 { "… " } else { "" };
    let suffix = if end < text.len() { " …" } else { "" };
    let shift = prefix.len();
    let moved = ranges
        .iter()
        .filter(|r| r[0] >= start && r[1] <= end)
        .map(|r| [r[0] - start + shift, r[1] - start + shift])
        .collect();
    (format!("{prefix}{}{suffix}", &text[start..end]), moved)
}

/// `text` escaped (see [`escaped`]), with the byte ranges of the text as
/// given wrapped in the palette's highlight.
pub fn highlighted(text: &str, ranges: &[[usize; 2]], palette: &Palette) -> String {
    if palette.highlight.is_empty() || ranges.is_empty() {
        return escaped(text).into_owned();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut at = 0;
    for &[start, end] in ranges {
        let (Some(before), Some(inside)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(&escaped(before));
        out.push_str(palette.highlight);
        out.push_str(&escaped(inside));
        out.push_str(palette.reset);
        at = end;
    }
    out.push_str(&escaped(text.get(at..).unwrap_or("")));
    out
}

/// Writes a brief for people, the way it was read; `mark` (kind and
/// position) points at one bullet with `▶`.
pub fn write_brief(
    out: &mut impl Write,
    brief: &Brief,
    mark: Option<(DocKind, usize)>,
    palette: &Palette,
) -> io::Result<()> {
    let p = palette;
    let arrow = |kind: DocKind, i: usize| {
        if mark == Some((kind, i + 1)) {
            "▶"
        } else {
            " "
        }
    };
    writeln!(
        out,
        "{}{}:{}{}  id {}",
        p.dim,
        escaped(&brief.path),
        brief.line,
        p.reset,
        escaped(&brief.id)
    )?;
    write!(out, "{}{}{}", p.headline, escaped(&brief.headline), p.reset)?;
    match &brief.source {
        Some(source) => writeln!(out, " — {}", escaped(source))?,
        None => writeln!(out)?,
    }
    for (label, value) in [("date", &brief.date), ("url", &brief.url)] {
        if let Some(value) = value {
            writeln!(out, "{label}: {}", escaped(value))?;
        }
    }
    for (i, point) in brief.points.iter().enumerate() {
        let shown = match (&point.emoji, point.marker.as_str()) {
            (Some(emoji), marker) if emoji != marker => {
                format!("{} (found as {})", escaped(emoji), escaped(marker))
            }
            (_, "") => "·".to_string(),
            (_, marker) => escaped(marker).into_owned(),
        };
        let text = escaped(&point.text);
        writeln!(out, "{} {shown} {text}", arrow(DocKind::Point, i))?;
    }
    for (i, summary) in brief.summaries.iter().enumerate() {
        let text = escaped(&summary.text);
        writeln!(out, "{} - {text}", arrow(DocKind::Summary, i))?;
    }
    for paragraph in &brief.body {
        writeln!(out, "  {}", escaped(paragraph))?;
    }
    writeln!(
        out,
        "{}({}, {}, {}){}",
        p.dim,
        count(brief.points.len() as u64, "point", "points"),
        count(brief.summaries.len() as u64, "summary", "summaries"),
        count(brief.body.len() as u64, "body paragraph", "body paragraphs"),
        p.reset
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::output::Palette;

    /// A point hit with a highlight and a folded twin.
    pub(crate) fn hit() -> Hit {
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
            brief_line: 1,
            folded: vec!["a.txt#s1".into()],
            folded_at: Vec::new(),
            snippet: None,
            explain: None,
            context_only: false,
            context_folded: Vec::new(),
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
            " 1. point    1.500  📉 Ferry fares fall\n    Fares drop — Harbor Ledger\n    corpus/a.txt:2  id a.txt#p1  (+1 similar bullet folded in: a.txt#s1)\n"
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
    fn long_text_is_cut_around_the_match() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let at = text.find("needle").unwrap();
        let (cut, ranges) = snippet_of(&text, &[[at, at + 6]], 80);
        assert!(cut.starts_with("… ") && cut.ends_with(" …"), "{cut}");
        assert!(cut.chars().count() <= 80 + 4);
        let [s, e] = ranges[0];
        assert_eq!(&cut[s..e], "needle");
    }

    #[test]
    fn short_text_is_whole() {
        assert_eq!(
            snippet_of("short one", &[[0, 5]], 80),
            ("short one".to_string(), vec![[0, 5]])
        );
    }
}
