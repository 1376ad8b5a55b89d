//! Plain data: a brief as parsed, its bullets, and the kinds of document the
//! index holds. No I/O and no Tantivy here; every other stage speaks in these
//! types, and `briefs parse --json` writes them as they are.

use serde::{Deserialize, Serialize};

/// One news brief: a file, or one object of a JSON Lines file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    /// The file it was read from, as it was named when read.
    pub path: String,
    /// 1-based line where the brief starts (its line in a JSON Lines file).
    pub line: usize,
    /// Stable id: the JSON `id` when given, else the path (plus `:line` when
    /// one file holds several briefs).
    pub id: String,
    /// The headline, without its source.
    pub headline: String,
    /// The outlet, split off the headline or given as metadata.
    pub source: Option<String>,
    /// The date as written in the brief.
    pub date: Option<String>,
    /// A link to the original article.
    pub url: Option<String>,
    /// Key points: lines led by an emoji or another symbol.
    pub points: Vec<Point>,
    /// Summary bullets: lines led by a list bullet.
    pub summaries: Vec<Summary>,
    /// Any other lines, paragraph by paragraph.
    pub body: Vec<String>,
}

/// A key point: the marker that led it, and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// The marker exactly as found, damage included (`📉`, `π`, `ðŸ“‰`); empty
    /// when a JSON point had none.
    pub marker: String,
    /// The emoji the marker stood for, when it could be recovered without
    /// loss; for an undamaged marker, the marker itself.
    pub emoji: Option<String>,
    /// The point's text, with no marker remnant left in it.
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// A summary bullet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The bullet's text, without its list bullet.
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// The kinds of document in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// The whole brief: headline, source, body, all its bullets.
    Article,
    /// One key point of a brief.
    Point,
    /// One summary bullet of a brief.
    Summary,
    /// The record of one file read: its size, time and problems (never a
    /// search result).
    File,
}

impl DocKind {
    /// The name stored in the index and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Article => "article",
            DocKind::Point => "point",
            DocKind::Summary => "summary",
            DocKind::File => "file",
        }
    }

    /// The inverse of [`DocKind::as_str`].
    pub fn from_name(name: &str) -> Option<DocKind> {
        match name {
            "article" => Some(DocKind::Article),
            "point" => Some(DocKind::Point),
            "summary" => Some(DocKind::Summary),
            "file" => Some(DocKind::File),
            _ => None,
        }
    }
}

/// Something in the input that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file (or folder), as named when walked.
    pub path: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// A bullet of a brief seen on its own: what becomes one bullet document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bullet<'a> {
    /// Point or summary.
    pub kind: DocKind,
    /// 1-based position among the brief's bullets of this kind.
    pub position: usize,
    /// The id: the brief's id, then `#p` or `#s` and the position.
    pub id: String,
    /// The marker of a point (empty for summaries).
    pub marker: &'a str,
    /// The recovered emoji of a point.
    pub emoji: Option<&'a str>,
    /// The bullet's text.
    pub text: &'a str,
    /// 1-based line in the file.
    pub line: usize,
}

impl Brief {
    /// The brief's bullets, points first, each with its stable id.
    pub fn bullets(&self) -> Vec<Bullet<'_>> {
        let points = self.points.iter().enumerate().map(|(i, p)| Bullet {
            kind: DocKind::Point,
            position: i + 1,
            id: bullet_id(&self.id, DocKind::Point, i + 1),
            marker: &p.marker,
            emoji: p.emoji.as_deref(),
            text: &p.text,
            line: p.line,
        });
        let summaries = self.summaries.iter().enumerate().map(|(i, s)| Bullet {
            kind: DocKind::Summary,
            position: i + 1,
            id: bullet_id(&self.id, DocKind::Summary, i + 1),
            marker: "",
            emoji: None,
            text: &s.text,
            line: s.line,
        });
        points.chain(summaries).collect()
    }
}

/// A bullet's id: `<brief id>#p<n>` for points, `<brief id>#s<n>` for
/// summaries, so the brief and the position can be read back from it.
pub fn bullet_id(brief_id: &str, kind: DocKind, position: usize) -> String {
    let letter = if kind == DocKind::Summary { 's' } else { 'p' };
    format!("{brief_id}#{letter}{position}")
}

/// Splits a bullet id into its brief id, kind and position; `None` for an id
/// that is not a bullet's.
pub fn split_bullet_id(id: &str) -> Option<(&str, DocKind, usize)> {
    let (brief, tail) = id.rsplit_once('#')?;
    let kind = match tail.chars().next()? {
        'p' => DocKind::Point,
        's' => DocKind::Summary,
        _ => return None,
    };
    let position = tail[1..].parse().ok()?;
    Some((brief, kind, position))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullet_ids_round_trip() {
        let id = bullet_id("corpus/a.jsonl:3", DocKind::Summary, 2);
        assert_eq!(id, "corpus/a.jsonl:3#s2");
        assert_eq!(
            split_bullet_id(&id),
            Some(("corpus/a.jsonl:3", DocKind::Summary, 2))
        );
        assert_eq!(split_bullet_id("corpus/a.txt"), None);
        assert_eq!(split_bullet_id("x#q1"), None);
    }

    #[test]
    fn doc_kind_names_round_trip() {
        for kind in [
            DocKind::Article,
            DocKind::Point,
            DocKind::Summary,
            DocKind::File,
        ] {
            assert_eq!(DocKind::from_name(kind.as_str()), Some(kind));
        }
    }
}
