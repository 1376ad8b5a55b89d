//! The documents every engine receives: the local index's article and
//! bullet documents, rebuilt from the briefs the index stores, with the same
//! ids and what a hit shows. Engine-neutral; each engine's adapter or
//! export maps them to its own JSON.

use crate::brief::{Brief, DocKind};

/// One article or bullet document, as the local index holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EngineDoc {
    /// The document id: a brief id, or a bullet id (`<brief id>#p2`).
    pub(crate) id: String,
    /// The brief's id.
    pub(crate) brief_id: String,
    /// Article, point or summary.
    pub(crate) kind: DocKind,
    /// 1-based position among the brief's bullets of its kind; 0 for articles.
    pub(crate) position: usize,
    /// The file's key (its absolute path), as hits show it.
    pub(crate) file: String,
    /// 1-based line of the bullet (of the brief, for articles).
    pub(crate) line: usize,
    /// 1-based line where the brief starts.
    pub(crate) brief_line: usize,
    /// The brief's headline.
    pub(crate) headline: String,
    /// The bullet's text; for articles, the headline.
    pub(crate) text: String,
    /// The brief's source.
    pub(crate) source: Option<String>,
    /// The brief's date as written.
    pub(crate) date: Option<String>,
    /// The date as a day number (days since 1970-01-01), when it reads as one.
    pub(crate) day: Option<i64>,
    /// The brief's link.
    pub(crate) url: Option<String>,
    /// A point's marker as found.
    pub(crate) marker: Option<String>,
    /// The emoji the marker stood for.
    pub(crate) emoji: Option<String>,
    /// An article's points (empty for bullets).
    pub(crate) points: Vec<String>,
    /// An article's summaries (empty for bullets).
    pub(crate) summaries: Vec<String>,
    /// An article's body paragraphs (empty for bullets).
    pub(crate) body: Vec<String>,
}

/// The documents of one brief read from the file `key`: its article first,
/// then its bullets, points before summaries (the local index's order).
pub(crate) fn brief_docs(brief: &Brief, key: &str) -> Vec<EngineDoc> {
    let day = brief.date.as_deref().and_then(crate::parse::parse_day);
    let article = EngineDoc {
        id: brief.id.clone(),
        brief_id: brief.id.clone(),
        kind: DocKind::Article,
        position: 0,
        file: key.to_string(),
        line: brief.line,
        brief_line: brief.line,
        headline: brief.headline.clone(),
        text: brief.headline.clone(),
        source: brief.source.clone(),
        date: brief.date.clone(),
        day,
        url: brief.url.clone(),
        marker: None,
        emoji: None,
        points: brief.points.iter().map(|p| p.text.clone()).collect(),
        summaries: brief.summaries.iter().map(|s| s.text.clone()).collect(),
        body: brief.body.clone(),
    };
    let mut docs = vec![article];
    for bullet in brief.bullets() {
        docs.push(EngineDoc {
            id: bullet.id,
            brief_id: brief.id.clone(),
            kind: bullet.kind,
            position: bullet.position,
            file: key.to_string(),
            line: bullet.line,
            brief_line: brief.line,
            headline: brief.headline.clone(),
            text: bullet.text.to_string(),
            source: brief.source.clone(),
            date: brief.date.clone(),
            day,
            url: brief.url.clone(),
            marker: (!bullet.marker.is_empty()).then(|| bullet.marker.to_string()),
            emoji: bullet.emoji.map(str::to_string),
            points: Vec::new(),
            summaries: Vec::new(),
            body: Vec::new(),
        });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Format, parse_document};

    #[test]
    fn a_brief_becomes_its_article_then_its_bullets_with_the_index_ids() {
        let text = "Ferry fares drop — Harbor Ledger\nDate: 2026-11-02\n📉 Fares fall 8% in May.\n- Ferries got cheaper.\n- Night crossings are unchanged.\n";
        let brief = parse_document(text.as_bytes(), Format::Text, "ferry.txt")
            .remove(0)
            .unwrap();
        let docs = brief_docs(&brief, "/data/ferry.txt");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["ferry.txt", "ferry.txt#p1", "ferry.txt#s1", "ferry.txt#s2"]
        );
        assert_eq!(docs[0].kind, DocKind::Article);
        assert_eq!(docs[0].text, "Ferry fares drop");
        assert_eq!(docs[0].points, ["Fares fall 8% in May."]);
        assert_eq!(docs[1].marker.as_deref(), Some("📉"));
        assert_eq!(docs[1].line, 3);
        assert_eq!(docs[2].position, 1);
        assert_eq!(docs[3].position, 2);
        assert!(docs.iter().all(|d| d.file == "/data/ferry.txt"));
        assert!(docs.iter().all(|d| d.brief_id == "ferry.txt"));
        assert!(docs.iter().all(|d| d.day.is_some()));
        assert!(docs[2].marker.is_none());
    }
}
