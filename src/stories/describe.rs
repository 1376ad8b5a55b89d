//! A cluster of briefs made into a story people can read: its label (the
//! most central headline or bullet), sources, first and last day, its
//! briefs, and the bullets that carry what the briefs share.
//!
//! - **Coverage** of a headline or bullet: the weight of its terms that
//!   the story's *other* briefs use, each counted by the share of them that
//!   do (weights as the clustering weighs terms).
//! - **Centrality**: coverage over the square root of the part's whole
//!   weight, so the label says what the other briefs say and little else
//!   (a plain cosine preferred short headlines; a plain sum, the longest
//!   bullet). The most central part is the label.
//! - **Member bullets**: a brief's bullets with at least two terms other
//!   briefs use and a coverage of at least [`MEMBER_SHARE`] of their
//!   weight, and its most central bullet when that has two such terms; a
//!   brief none of whose bullets says what the others say (one joined by
//!   its headline) is shown by its headline alone.

use std::collections::HashSet;

use serde::Serialize;

use crate::brief::DocKind;
use crate::search::Scanned;
use crate::stories::cluster::Weights;
use crate::stories::dates::format_day;
use crate::stories::features::{Terms, Unit, units};

/// Share of a bullet's weight, in terms other briefs of its story use, from
/// which it is shown as one of the story's bullets.
pub(crate) const MEMBER_SHARE: f32 = 0.4;

/// What a story is, without its briefs and bullets (also what
/// `search --group-stories` shows above a story's hits).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StoryHead {
    /// The most central headline or bullet.
    pub(crate) label: String,
    /// Its id: a bullet id, or the brief's id for a headline.
    pub(crate) label_id: String,
    /// `headline`, `point` or `summary`.
    pub(crate) label_kind: &'static str,
    /// The sources, in the order of their first brief.
    pub(crate) sources: Vec<String>,
    /// The earliest day of a brief, `YYYY-MM-DD` (null when none is dated).
    pub(crate) first_seen: Option<String>,
    /// The latest day of a brief.
    pub(crate) last_seen: Option<String>,
    /// How many briefs tell it.
    pub(crate) brief_count: usize,
}

/// One brief of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StoryBrief {
    /// The brief's id.
    pub(crate) id: String,
    /// Its headline.
    pub(crate) headline: String,
    /// Its source.
    pub(crate) source: Option<String>,
    /// Its date as written.
    pub(crate) date: Option<String>,
    /// The file (relative to the current folder when inside it).
    pub(crate) path: String,
    /// The line where the brief starts.
    pub(crate) line: usize,
}

/// One bullet of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StoryBullet {
    /// The bullet's id.
    pub(crate) id: String,
    /// Its brief's id.
    pub(crate) brief_id: String,
    /// `point` or `summary`.
    pub(crate) kind: DocKind,
    /// The point's marker as found, or null.
    pub(crate) marker: Option<String>,
    /// The emoji it stood for, when known.
    pub(crate) emoji: Option<String>,
    /// The bullet's text.
    pub(crate) text: String,
    /// Its brief's source.
    pub(crate) source: Option<String>,
    /// Its brief's date as written.
    pub(crate) date: Option<String>,
    /// The file (relative to the current folder when inside it).
    pub(crate) path: String,
    /// The bullet's line.
    pub(crate) line: usize,
}

/// A story: briefs of one event, with its head, briefs and bullets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Story {
    /// 1-based rank.
    pub(crate) rank: usize,
    /// Relevance to the query (its best brief's score); null without one.
    pub(crate) score: Option<f32>,
    /// Label, sources, days.
    #[serde(flatten)]
    pub(crate) head: StoryHead,
    /// Its briefs, by date.
    pub(crate) briefs: Vec<StoryBrief>,
    /// Its member bullets, brief by brief, in the briefs' order.
    pub(crate) bullets: Vec<StoryBullet>,
}

/// One headline or bullet of a member brief, with its terms.
struct Part {
    brief: usize,
    unit: Unit,
    terms: Vec<u32>,
    /// Its weight in terms the other briefs use, over its whole weight.
    share: f32,
    centrality: f32,
}

/// A part's whole weight, and its weight in terms the story's other briefs
/// use, each term counted by the share of the other briefs that use it.
fn coverage(
    part: &Part,
    whole: &[HashSet<u32>],
    weight: &dyn Fn(&u32) -> f32,
    others: f32,
) -> (f32, f32) {
    let mut total = 0.0;
    let mut shared = 0.0;
    for t in &part.terms {
        let used = whole
            .iter()
            .enumerate()
            .filter(|(b, set)| *b != part.brief && set.contains(t))
            .count();
        total += weight(t);
        shared += weight(t) * used as f32 / others;
    }
    (total, shared)
}

/// The story of `members` (its briefs, in any order).
pub(crate) fn describe(mut members: Vec<Scanned>, terms: &mut Terms, weights: &Weights) -> Story {
    members.sort_by(|a, b| {
        (a.day.is_none(), a.day, &a.brief.id).cmp(&(b.day.is_none(), b.day, &b.brief.id))
    });
    let weight = |t: &u32| weights.weight.get(*t as usize).copied().unwrap_or(0.0);
    let mut scratch = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    let mut whole: Vec<HashSet<u32>> = Vec::new();
    for (b, member) in members.iter().enumerate() {
        let mut all = HashSet::new();
        for (unit, text) in units(&member.brief) {
            scratch.clear();
            terms.terms_of(text, false, &mut scratch);
            let mut unit_terms = scratch.clone();
            unit_terms.sort_unstable();
            unit_terms.dedup();
            all.extend(unit_terms.iter().copied());
            if unit != Unit::Body {
                parts.push(Part {
                    brief: b,
                    unit,
                    terms: unit_terms,
                    share: 0.0,
                    centrality: 0.0,
                });
            }
        }
        whole.push(all);
    }
    let others = members.len().saturating_sub(1).max(1) as f32;
    for part in &mut parts {
        let (total, shared) = coverage(part, &whole, &weight, others);
        part.share = if total > 0.0 { shared / total } else { 0.0 };
        part.centrality = if total > 0.0 {
            shared / total.sqrt()
        } else {
            0.0
        };
    }
    let label = parts
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.centrality.total_cmp(&b.centrality).then(j.cmp(i)));
    let head = head(&members, label.map(|(_, p)| p));
    let bullets = member_bullets(&members, &parts, &whole);
    let briefs = members
        .iter()
        .map(|m| StoryBrief {
            id: m.brief.id.clone(),
            headline: m.brief.headline.clone(),
            source: m.brief.source.clone(),
            date: m.brief.date.clone(),
            path: m.file.clone(),
            line: m.brief.line,
        })
        .collect();
    Story {
        rank: 0,
        score: None,
        head,
        briefs,
        bullets,
    }
}

fn head(members: &[Scanned], label: Option<&Part>) -> StoryHead {
    let (label, label_id, label_kind) = match label {
        Some(part) => {
            let brief = &members[part.brief].brief;
            match part.unit {
                Unit::Point(n) => (
                    brief.points[n - 1].text.clone(),
                    crate::brief::bullet_id(&brief.id, DocKind::Point, n),
                    "point",
                ),
                Unit::Summary(n) => (
                    brief.summaries[n - 1].text.clone(),
                    crate::brief::bullet_id(&brief.id, DocKind::Summary, n),
                    "summary",
                ),
                Unit::Headline | Unit::Body => {
                    (brief.headline.clone(), brief.id.clone(), "headline")
                }
            }
        }
        None => (String::new(), String::new(), "headline"),
    };
    let mut sources: Vec<String> = Vec::new();
    for m in members {
        if let Some(source) = &m.brief.source
            && !sources.contains(source)
        {
            sources.push(source.clone());
        }
    }
    let days = members.iter().filter_map(|m| m.day);
    StoryHead {
        label,
        label_id,
        label_kind,
        sources,
        first_seen: days.clone().min().map(format_day),
        last_seen: days.max().map(format_day),
        brief_count: members.len(),
    }
}

/// The bullets that carry what the story's briefs share.
fn member_bullets(members: &[Scanned], parts: &[Part], whole: &[HashSet<u32>]) -> Vec<StoryBullet> {
    let mut out = Vec::new();
    for (b, member) in members.iter().enumerate() {
        let bullets: Vec<&Part> = parts
            .iter()
            .filter(|p| p.brief == b && matches!(p.unit, Unit::Point(_) | Unit::Summary(_)))
            .collect();
        let best = bullets
            .iter()
            .enumerate()
            .max_by(|(i, x), (j, y)| x.centrality.total_cmp(&y.centrality).then(j.cmp(i)))
            .map(|(i, _)| i);
        for (i, part) in bullets.iter().enumerate() {
            let (kind, n) = match part.unit {
                Unit::Point(n) => (DocKind::Point, n),
                Unit::Summary(n) => (DocKind::Summary, n),
                Unit::Headline | Unit::Body => continue,
            };
            let shared_terms = part
                .terms
                .iter()
                .filter(|t| {
                    whole
                        .iter()
                        .enumerate()
                        .any(|(o, s)| o != b && s.contains(t))
                })
                .count();
            if shared_terms >= 2 && (Some(i) == best || part.share >= MEMBER_SHARE) {
                out.push(bullet(member, kind, n));
            }
        }
    }
    out
}

/// The `n`-th point or summary of `member`.
fn bullet(member: &Scanned, kind: DocKind, n: usize) -> StoryBullet {
    let brief = &member.brief;
    let (marker, emoji, text, line) = if kind == DocKind::Point {
        let p = &brief.points[n - 1];
        let marker = (!p.marker.is_empty()).then(|| p.marker.clone());
        (marker, p.emoji.clone(), p.text.clone(), p.line)
    } else {
        let s = &brief.summaries[n - 1];
        (None, None, s.text.clone(), s.line)
    };
    StoryBullet {
        id: crate::brief::bullet_id(&brief.id, kind, n),
        brief_id: brief.id.clone(),
        kind,
        marker,
        emoji,
        text,
        source: brief.source.clone(),
        date: brief.date.clone(),
        path: member.file.clone(),
        line,
    }
}
