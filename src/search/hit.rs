//! A ranked search result, as printed and as written in `--json`. Plain
//! data: built by `search/`, rendered by `output/`.

use std::path::Path;

use serde::Serialize;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::index::{BriefIndex, Fields, stored_number, stored_text};
use crate::search::Explain;

/// One hit. Field order is the JSON key order; see the README's schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// 1-based rank in the result list (after `--offset`).
    pub rank: usize,
    /// The document's id: a bullet id (`<brief>#p2`) or a brief id.
    pub id: String,
    /// The id of the brief it belongs to.
    pub brief_id: String,
    /// `point`, `summary` or `article`.
    pub kind: DocKind,
    /// 1-based position among the brief's bullets of this kind (0 for articles).
    pub position: usize,
    /// Relevance score (BM25 with field weights).
    pub score: f32,
    /// The bullet's text (for articles, the headline).
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<[usize; 2]>,
    /// The point's marker as found, or null.
    pub marker: Option<String>,
    /// The emoji the marker stood for, when known.
    pub emoji: Option<String>,
    /// The brief's headline.
    pub headline: String,
    /// The brief's source.
    pub source: Option<String>,
    /// The brief's date as written.
    pub date: Option<String>,
    /// The file, relative to the current folder when inside it.
    pub path: String,
    /// 1-based line of the bullet (or of the brief) in the file.
    pub line: usize,
    /// 1-based line where the brief starts.
    #[serde(skip)]
    pub brief_line: usize,
    /// Ids of bullets folded into this one: near-duplicates of the same
    /// brief, and the same text in other briefs.
    pub folded: Vec<String>,
    /// Copies folded into this one by their copy key, not yet read: where
    /// each goes among `folded` (its index once the earlier ones are in),
    /// and its address. Read only for the hits shown, and only when their
    /// ids are printed ([`Hit::folded_count`] otherwise).
    #[serde(skip)]
    pub(crate) folded_at: Vec<(usize, DocAddress)>,
    /// For an article: the point, summary or body paragraph that matched
    /// best (null for bullets, and for an article that matched only by its
    /// headline or source). Added after the keys above.
    pub snippet: Option<Snippet>,
    /// The bullet matches only through its brief's headline (none of the
    /// query's words is in its own text): such bullets rank below every
    /// other hit, one per brief. Added after `snippet`.
    pub context_only: bool,
    /// For a `context_only` bullet: ids of the brief's other bullets that
    /// match only through its headline, folded into this one. The last key
    /// (but `explain`, with `--explain`).
    pub context_folded: Vec<String>,
    /// The score's parts (`--explain`); absent from JSON without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explain>,
}

impl Hit {
    /// How many bullets are folded into this one, read or not.
    pub fn folded_count(&self) -> usize {
        self.folded.len() + self.folded_at.len()
    }
}

/// The text of an article that matched the query best.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// Which of the brief's parts it is.
    pub field: SnippetField,
    /// The whole text (text output cuts a long one around its first match).
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<[usize; 2]>,
}

/// The parts of a brief a snippet is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SnippetField {
    /// A key point.
    Point,
    /// A summary bullet.
    Summary,
    /// A body paragraph.
    Body,
}

impl SnippetField {
    /// The name shown and written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SnippetField::Point => "point",
            SnippetField::Summary => "summary",
            SnippetField::Body => "body",
        }
    }
}

/// A brief with its best-matching bullets beneath it (`--group`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// 1-based rank of the brief.
    pub rank: usize,
    /// The brief's id.
    pub brief_id: String,
    /// The brief's best score.
    pub score: f32,
    /// The brief's headline.
    pub headline: String,
    /// The brief's source.
    pub source: Option<String>,
    /// The brief's date as written.
    pub date: Option<String>,
    /// The file, relative to the current folder when inside it.
    pub path: String,
    /// 1-based line where the brief starts.
    pub line: usize,
    /// Its best hits, best first (ranked 1.. within the brief).
    pub hits: Vec<Hit>,
    /// How many more of its bullets (documents, with `--kind all`) match the
    /// query but are not among `hits`: counted over the whole brief,
    /// whatever `-n`, less those folded into a shown hit.
    pub more: usize,
}

impl Group {
    /// An empty group for the brief of `hit`.
    pub fn for_hit(hit: &Hit) -> Group {
        Group {
            rank: 0,
            brief_id: hit.brief_id.clone(),
            score: hit.score,
            headline: hit.headline.clone(),
            source: hit.source.clone(),
            date: hit.date.clone(),
            path: hit.path.clone(),
            line: if hit.kind == DocKind::Article {
                hit.line
            } else {
                hit.brief_line
            },
            hits: Vec::new(),
            more: 0,
        }
    }
}

/// `key` (an absolute path) relative to `base` when inside it, else as is.
pub fn relative_path(key: &str, base: &Path) -> String {
    match Path::new(key).strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => key.to_string(),
    }
}

/// The hit stored at `address`, without highlights, ranked 0.
pub(crate) fn load_hit(
    index: &BriefIndex,
    searcher: &Searcher,
    score: f32,
    address: DocAddress,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .map_err(|e| Error::index(&index.dir, e))?;
    Ok(build_hit(&index.fields, &doc, score))
}

/// The id of the document at `address`.
pub(crate) fn load_id(
    index: &BriefIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<String> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .map_err(|e| Error::index(&index.dir, e))?;
    Ok(stored_text(&doc, index.fields.id).unwrap_or_default())
}

fn build_hit(fields: &Fields, doc: &TantivyDocument, score: f32) -> Hit {
    let kind = stored_text(doc, fields.kind)
        .and_then(|k| DocKind::from_name(&k))
        .unwrap_or(DocKind::Article);
    let (headline, text) = if kind == DocKind::Article {
        let headline = stored_text(doc, fields.shown_headline).unwrap_or_default();
        (headline.clone(), headline)
    } else {
        (
            stored_text(doc, fields.shown_headline).unwrap_or_default(),
            stored_text(doc, fields.shown_text).unwrap_or_default(),
        )
    };
    Hit {
        rank: 0,
        id: stored_text(doc, fields.id).unwrap_or_default(),
        brief_id: stored_text(doc, fields.brief_id).unwrap_or_default(),
        kind,
        position: stored_number(doc, fields.position),
        score,
        text,
        highlights: Vec::new(),
        marker: stored_text(doc, fields.marker),
        emoji: stored_text(doc, fields.emoji),
        headline,
        source: stored_text(doc, fields.source),
        date: stored_text(doc, fields.date),
        path: stored_text(doc, fields.file).unwrap_or_default(),
        line: stored_number(doc, fields.line),
        brief_line: stored_number(doc, fields.brief_line),
        folded: Vec::new(),
        folded_at: Vec::new(),
        snippet: None,
        context_only: false,
        context_folded: Vec::new(),
        explain: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_the_base_become_relative() {
        assert_eq!(
            relative_path("/work/main/corpus/a.txt", Path::new("/work/main")),
            "corpus/a.txt"
        );
        assert_eq!(
            relative_path("/elsewhere/a.txt", Path::new("/work/main")),
            "/elsewhere/a.txt"
        );
    }
}
