//! Stories for people: `briefs stories` (each story's label, sources and
//! days, then its briefs with their member bullets) and `search
//! --group-stories` (each story above its hits; a hit in no story as
//! search prints it). JSON goes through `json::write_json_lines`.

use std::io::{self, Write};

use crate::brief::DocKind;
use crate::output::Palette;
use crate::output::escaped;
use crate::output::explain::write_explain;
use crate::output::text::{SNIPPET_CHARS, snippet_of, write_hit_line};
use crate::search::Hit;
use crate::stories::{Story, StoryGroup, StoryHead};

/// Writes stories: rank (and score, when ranked by a query), label, a line
/// of counts, days and sources, then each brief's headline and its member
/// bullets with `path:line`.
pub(crate) fn write_stories(
    out: &mut impl Write,
    stories: &[Story],
    palette: &Palette,
) -> io::Result<()> {
    let p = palette;
    for story in stories {
        let score = story.score.map_or(String::new(), |s| format!("{s:>6.3}  "));
        writeln!(
            out,
            "{:>2}. {score}{}{}{}",
            story.rank,
            p.headline,
            escaped(&story.head.label),
            p.reset
        )?;
        writeln!(out, "    {}", facts(&story.head))?;
        for brief in &story.briefs {
            writeln!(
                out,
                "    {}",
                headline_line(
                    &brief.headline,
                    brief.source.as_deref(),
                    brief.date.as_deref()
                )
            )?;
            let bullets: Vec<_> = story
                .bullets
                .iter()
                .filter(|b| b.brief_id == brief.id)
                .collect();
            if bullets.is_empty() {
                writeln!(
                    out,
                    "      {}{}:{}{}",
                    p.dim,
                    escaped(&brief.path),
                    brief.line,
                    p.reset
                )?;
            }
            for bullet in bullets {
                let lead = match (&bullet.emoji, &bullet.marker, bullet.kind) {
                    (Some(emoji), _, _) => format!("{} ", escaped(emoji)),
                    (None, Some(marker), _) => format!("{} ", escaped(marker)),
                    (None, None, DocKind::Summary) => "- ".to_string(),
                    _ => String::new(),
                };
                let (text, _) = snippet_of(&bullet.text, &[], SNIPPET_CHARS);
                writeln!(out, "      {lead}{}", escaped(&text))?;
                writeln!(
                    out,
                    "        {}{}:{}{}",
                    p.dim,
                    escaped(&bullet.path),
                    bullet.line,
                    p.reset
                )?;
            }
        }
    }
    Ok(())
}

/// Writes hits grouped by story: a story's label and facts above its hits,
/// a hit in no story as `search` prints it.
pub(crate) fn write_story_groups(
    out: &mut impl Write,
    groups: &[StoryGroup],
    palette: &Palette,
) -> io::Result<()> {
    let p = palette;
    for group in groups {
        let Some(story) = &group.story else {
            for hit in &group.hits {
                write_hit(out, hit, group.rank, p, "")?;
            }
            continue;
        };
        writeln!(
            out,
            "{:>2}. {}story{}   {:>6.3}  {}{}{}",
            group.rank,
            p.kind,
            p.reset,
            group.score,
            p.headline,
            escaped(&story.label),
            p.reset
        )?;
        writeln!(out, "    {}", facts(story))?;
        for hit in &group.hits {
            write_hit(out, hit, hit.rank, p, "    ")?;
        }
        if group.more > 0 {
            let s = if group.more == 1 { "" } else { "s" };
            writeln!(
                out,
                "    {}(+{} more matching bullet{s}){}",
                p.dim, group.more, p.reset
            )?;
        }
    }
    Ok(())
}

/// `3 sources, 4 briefs, 2026-03-15 to 2026-03-17: A, B, C`.
fn facts(head: &StoryHead) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{}, {}",
        plural(head.sources.len(), "source"),
        plural(head.brief_count, "brief")
    );
    match (&head.first_seen, &head.last_seen) {
        (Some(first), Some(last)) if first != last => {
            line += &format!(", {} to {}", escaped(first), escaped(last));
        }
        (Some(first), _) => line += &format!(", {}", escaped(first)),
        _ => {}
    }
    if !head.sources.is_empty() {
        line += ": ";
        line += &escaped(&head.sources.join(", "));
    }
    line
}

/// A hit as `search` shows it: rank, kind, score, marker and text with its
/// matches highlighted, the brief's headline, `path:line`.
fn write_hit(
    out: &mut impl Write,
    hit: &Hit,
    rank: usize,
    p: &Palette,
    indent: &str,
) -> io::Result<()> {
    write_hit_line(out, hit, rank, p, indent)?;
    if hit.kind != DocKind::Article {
        writeln!(
            out,
            "{indent}    {}",
            headline_line(&hit.headline, hit.source.as_deref(), hit.date.as_deref())
        )?;
    }
    writeln!(
        out,
        "{indent}    {}{}:{}{}",
        p.dim,
        escaped(&hit.path),
        hit.line,
        p.reset
    )?;
    write_explain(out, hit, p, &format!("{indent}    "))
}

fn headline_line(headline: &str, source: Option<&str>, date: Option<&str>) -> String {
    let mut line = escaped(headline).into_owned();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stories::{StoryBrief, StoryBullet};

    fn story() -> Story {
        Story {
            rank: 1,
            score: None,
            head: StoryHead {
                label: "Dockers strike at Calloway".into(),
                label_id: "a.txt#p1".into(),
                label_kind: "point",
                sources: vec!["Harbor Ledger".into(), "Civic Dispatch".into()],
                first_seen: Some("2026-03-09".into()),
                last_seen: Some("2026-03-10".into()),
                brief_count: 2,
            },
            briefs: vec![
                StoryBrief {
                    id: "a.txt".into(),
                    headline: "Dock strike".into(),
                    source: Some("Harbor Ledger".into()),
                    date: Some("2026-03-09".into()),
                    path: "a.txt".into(),
                    line: 1,
                },
                StoryBrief {
                    id: "b.json".into(),
                    headline: "Shops short".into(),
                    source: Some("Civic Dispatch".into()),
                    date: None,
                    path: "b.json".into(),
                    line: 1,
                },
            ],
            bullets: vec![StoryBullet {
                id: "a.txt#s1".into(),
                brief_id: "a.txt".into(),
                kind: DocKind::Summary,
                marker: None,
                emoji: None,
                text: "Dockers at Calloway are on strike.".into(),
                source: Some("Harbor Ledger".into()),
                date: Some("2026-03-09".into()),
                path: "a.txt".into(),
                line: 5,
            }],
        }
    }

    #[test]
    fn stories_for_people() {
        let mut out = Vec::new();
        write_stories(&mut out, &[story()], &Palette::PLAIN).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " 1. Dockers strike at Calloway\n    \
             2 sources, 2 briefs, 2026-03-09 to 2026-03-10: Harbor Ledger, Civic Dispatch\n    \
             Dock strike — Harbor Ledger · 2026-03-09\n      \
             - Dockers at Calloway are on strike.\n        a.txt:5\n    \
             Shops short — Civic Dispatch\n      b.json:1\n"
        );
    }
}
