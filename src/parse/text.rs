//! Reading a brief written as plain text (`.txt`, `.brief`) or Markdown
//! (`.md`): the headline, optional metadata, then points, summaries and body.
//!
//! Grammar (the README repeats it):
//! - an optional `---` front-matter block of `key: value` lines;
//! - the headline: the first non-blank line (a leading `#` is dropped), split
//!   into title and source on its last separator when a name follows it;
//! - optional `Source:`, `Date:`, `URL:` or `Id:` lines right after it;
//! - then each non-blank line is a point (led by a marker), a summary (led by
//!   a list bullet) or body; a Markdown heading or rule is skipped, and an
//!   indented line straight after a bullet continues that bullet.

use super::ParseError;
use super::line::{LineKind, classify, clean_text, split_headline, split_marker};
use crate::brief::{Brief, Point, Summary};

/// Metadata keys a text brief may carry, and the field each one fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaKey {
    Headline,
    Source,
    Date,
    Url,
    Id,
}

fn meta_key(key: &str) -> Option<MetaKey> {
    let key = key
        .trim()
        .trim_matches(|c| c == '*' || c == '_')
        .to_ascii_lowercase();
    match key.as_str() {
        "title" | "headline" => Some(MetaKey::Headline),
        "source" | "outlet" | "publisher" => Some(MetaKey::Source),
        "date" | "published" => Some(MetaKey::Date),
        "url" | "link" => Some(MetaKey::Url),
        "id" => Some(MetaKey::Id),
        _ => None,
    }
}

/// Reads `Key: value` into a known key and its value.
fn parse_meta(line: &str) -> Option<(MetaKey, String)> {
    let (key, value) = line.split_once(':')?;
    if key.contains(' ') && !key.trim().starts_with("**") {
        return None;
    }
    let key = meta_key(key)?;
    let value = value
        .trim()
        .trim_start_matches("**")
        .trim()
        .trim_matches(|c| c == '<' || c == '>' || c == '"' || c == '\'');
    (!value.is_empty()).then(|| (key, value.to_string()))
}

/// The fields being filled while reading, before they become a [`Brief`].
#[derive(Default)]
struct Draft {
    headline: Option<(String, usize)>,
    id: Option<String>,
    source: Option<String>,
    date: Option<String>,
    url: Option<String>,
    points: Vec<Point>,
    summaries: Vec<Summary>,
    body: Vec<String>,
}

impl Draft {
    fn set_meta(&mut self, key: MetaKey, value: String, line: usize) {
        match key {
            MetaKey::Headline => self.headline = Some((value, line)),
            MetaKey::Source => self.source = Some(clean_text(&value)),
            MetaKey::Date => self.date = Some(value),
            MetaKey::Url => self.url = Some(value),
            MetaKey::Id => self.id = Some(value),
        }
    }
}

/// What the previous line was, for continuation lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Point,
    Summary,
}

/// Parses a plain-text or Markdown brief. `path` names the file in ids;
/// line numbers are 1-based.
pub fn parse_text(text: &str, path: &str) -> Result<Brief, ParseError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut draft = Draft::default();
    let mut i = read_front_matter(&lines, &mut draft)?;

    if draft.headline.is_none() {
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let Some(first) = lines.get(i) else {
            return Err(ParseError::new(None, "no headline: the file has no text"));
        };
        draft.headline = Some((headline_text(first), i + 1));
        i += 1;
    }
    i = read_meta_lines(&lines, i, &mut draft);

    let mut last = Last::Nothing;
    for (n, raw) in lines.iter().enumerate().skip(i) {
        let line_no = n + 1;
        if raw.trim().is_empty() {
            last = Last::Nothing;
            continue;
        }
        if is_decoration(raw) {
            last = Last::Nothing;
            continue;
        }
        if continues_bullet(raw, last) {
            append_continuation(&mut draft, last, raw);
            continue;
        }
        last = match classify(raw) {
            LineKind::Point {
                marker,
                emoji,
                text,
            } => {
                draft.points.push(Point {
                    marker,
                    emoji,
                    text,
                    line: line_no,
                });
                Last::Point
            }
            LineKind::Summary(text) => {
                draft.summaries.push(Summary {
                    text,
                    line: line_no,
                });
                Last::Summary
            }
            LineKind::Body(text) => {
                if !text.is_empty() {
                    draft.body.push(text);
                }
                Last::Nothing
            }
        };
    }
    finish(draft, path)
}

/// The headline line without a Markdown `#` and without a leading marker.
fn headline_text(line: &str) -> String {
    let line = line.trim().trim_start_matches('#').trim();
    match split_marker(line) {
        Some((_, _, text)) => text,
        None => line.to_string(),
    }
}

/// Reads a `---` front-matter block at the top, returning the index of the
/// first line after it (0 when there is none).
fn read_front_matter(lines: &[&str], draft: &mut Draft) -> Result<usize, ParseError> {
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(start) = first.filter(|&s| lines[s].trim() == "---") else {
        return Ok(0);
    };
    for (n, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim() == "---" || line.trim() == "..." {
            return Ok(n + 1);
        }
        if let Some((key, value)) = parse_meta(line) {
            let value = if key == MetaKey::Headline {
                clean_text(&value)
            } else {
                value
            };
            draft.set_meta(key, value, n + 1);
        }
    }
    Err(ParseError::new(
        Some(start + 1),
        "front matter opened with `---` is never closed",
    ))
}

/// Reads `Source:`/`Date:`/`URL:`/`Id:` lines (blank lines between them
/// allowed) right after the headline; returns the first line after them.
fn read_meta_lines(lines: &[&str], mut i: usize, draft: &mut Draft) -> usize {
    let mut next = i;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        match parse_meta(line) {
            Some((key, value)) if key != MetaKey::Headline => {
                draft.set_meta(key, value, i + 1);
                i += 1;
                next = i;
            }
            _ => break,
        }
    }
    next
}

/// Markdown headings (`## Key points`) and rules (`---`, `***`) carry no text
/// of the brief.
fn is_decoration(line: &str) -> bool {
    let line = line.trim();
    let heading = line.starts_with('#') && line.trim_start_matches('#').starts_with(' ');
    let rule = line.len() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '));
    heading || rule
}

/// An indented line straight after a bullet continues it, unless it is a
/// bullet of its own.
fn continues_bullet(line: &str, last: Last) -> bool {
    let indented = line.starts_with("  ") || line.starts_with('\t');
    indented && last != Last::Nothing && matches!(classify(line), LineKind::Body(_))
}

fn append_continuation(draft: &mut Draft, last: Last, line: &str) {
    let extra = clean_text(line);
    let target = match last {
        Last::Point => draft.points.last_mut().map(|p| &mut p.text),
        Last::Summary => draft.summaries.last_mut().map(|s| &mut s.text),
        Last::Nothing => None,
    };
    if let Some(text) = target {
        text.push(' ');
        text.push_str(&extra);
    }
}

fn finish(draft: Draft, path: &str) -> Result<Brief, ParseError> {
    let Some((raw_headline, headline_line)) = draft.headline else {
        return Err(ParseError::new(None, "no headline"));
    };
    let (headline, split_source) = split_headline(&raw_headline);
    if headline.is_empty() {
        return Err(ParseError::new(
            Some(headline_line),
            "no headline: the first line is empty once cleaned",
        ));
    }
    Ok(Brief {
        path: path.to_string(),
        line: 1,
        id: draft.id.unwrap_or_else(|| path.to_string()),
        headline,
        source: draft.source.or(split_source),
        date: draft.date,
        url: draft.url,
        points: draft.points,
        summaries: draft.summaries,
        body: draft.body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "Tram line opens early — Riverside Gazette\n\
        🚋 The new tram line opened two weeks ahead of schedule.\n\
        💶 The project came in at €412m, under its budget.\n\
        Local shops reported busier mornings.\n\
        - The tram opened early and under budget.\n\
        - Shops along the route saw more customers.\n";

    #[test]
    fn headline_is_first_nonblank_line() {
        let brief = parse_text(&format!("\n\n{CLEAN}"), "t.txt").unwrap();
        assert_eq!(brief.headline, "Tram line opens early");
        assert_eq!(brief.source.as_deref(), Some("Riverside Gazette"));
        assert_eq!(brief.points[0].line, 4);
    }

    #[test]
    fn points_summaries_and_body_are_separated() {
        let brief = parse_text(CLEAN, "t.txt").unwrap();
        assert_eq!(brief.points.len(), 2);
        assert_eq!(brief.summaries.len(), 2);
        assert_eq!(brief.body, vec!["Local shops reported busier mornings."]);
        assert_eq!(brief.points[1].marker, "💶");
        assert_eq!(
            brief.summaries[1].text,
            "Shops along the route saw more customers."
        );
        assert_eq!(brief.summaries[1].line, 6);
        assert_eq!(brief.id, "t.txt");
    }

    #[test]
    fn crlf_and_trailing_spaces_change_nothing() {
        let crlf = CLEAN.replace('\n', "  \r\n");
        assert_eq!(
            parse_text(&crlf, "t.txt").unwrap(),
            parse_text(CLEAN, "t.txt").unwrap()
        );
    }

    #[test]
    fn meta_lines_after_headline_are_read() {
        let text = "Harvest starts late\nSource: Farm Weekly\nDate: 2026-09-14\nURL: <https://example.org/h>\n\n🌾 Rain delayed the harvest.\n";
        let brief = parse_text(text, "h.txt").unwrap();
        assert_eq!(brief.source.as_deref(), Some("Farm Weekly"));
        assert_eq!(brief.date.as_deref(), Some("2026-09-14"));
        assert_eq!(brief.url.as_deref(), Some("https://example.org/h"));
        assert_eq!(brief.points.len(), 1);
        assert!(brief.body.is_empty());
    }

    #[test]
    fn markdown_heading_and_front_matter() {
        let md = "---\nsource: Coastline Post\ndate: 2026-03-02\nid: coast-7\n---\n\n# Seawall vote passes\n\n## Key points\n⚓ Council approved the seawall.\n\n## Summary\n- The seawall plan passed.\n---\n";
        let brief = parse_text(md, "s.md").unwrap();
        assert_eq!(brief.headline, "Seawall vote passes");
        assert_eq!(brief.source.as_deref(), Some("Coastline Post"));
        assert_eq!(brief.id, "coast-7");
        assert_eq!(brief.points.len(), 1);
        assert_eq!(brief.summaries.len(), 1);
        assert!(brief.body.is_empty());
    }

    #[test]
    fn title_in_front_matter_is_the_headline() {
        let md = "---\ntitle: Bridge reopens | Metro Desk\n---\n- Traffic flows again.\n";
        let brief = parse_text(md, "b.md").unwrap();
        assert_eq!(brief.headline, "Bridge reopens");
        assert_eq!(brief.source.as_deref(), Some("Metro Desk"));
        assert_eq!(brief.summaries.len(), 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_with_its_line() {
        let err = parse_text("\n---\ntitle: x\n", "b.md").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn indented_line_continues_a_bullet() {
        let text =
            "Budget passes\n- The budget passed after\n  a long night of debate.\n- Next item.\n";
        let brief = parse_text(text, "b.txt").unwrap();
        assert_eq!(
            brief.summaries[0].text,
            "The budget passed after a long night of debate."
        );
        assert_eq!(brief.summaries.len(), 2);
    }

    #[test]
    fn blank_file_has_no_headline() {
        assert!(
            parse_text("\n  \n\t\n", "e.txt")
                .unwrap_err()
                .reason
                .contains("no headline")
        );
    }

    #[test]
    fn headline_loses_its_marker() {
        let brief = parse_text(
            "📰 Paper mill closes — Valley Times\n- Jobs lost.\n",
            "p.txt",
        )
        .unwrap();
        assert_eq!(brief.headline, "Paper mill closes");
    }

    #[test]
    fn windows_1252_mojibake_in_text_is_repaired() {
        let brief = parse_text(
            "Mayorâ€™s plan â€” City Desk\n- The mayorâ€™s plan passed.\n",
            "m.txt",
        )
        .unwrap();
        assert_eq!(brief.headline, "Mayor’s plan");
        assert_eq!(brief.source.as_deref(), Some("City Desk"));
        assert_eq!(brief.summaries[0].text, "The mayor’s plan passed.");
    }
}
