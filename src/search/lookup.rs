//! Finding documents by id: a brief (its article doc, holding the brief as
//! parsed) or a bullet; and by place, what a `path:line` as search prints
//! it names (`at_line`). `show` and `related` read only what the index
//! holds, never the files it was built from.

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument};

use crate::brief::{Brief, DocKind, split_bullet_id};
use crate::error::{Error, Result};
use crate::index::{BriefIndex, every_term, stored_number, stored_text};

/// What an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The brief, as parsed when indexed.
    pub brief: Brief,
    /// The file's absolute path, as indexed.
    pub file: String,
    /// When the id is a bullet's: its kind and 1-based position.
    pub bullet: Option<(DocKind, usize)>,
}

/// The first live document of brief `brief_id` with `kind` (for an
/// article: the brief's article doc).
pub fn find_doc(
    index: &BriefIndex,
    searcher: &Searcher,
    brief_id: &str,
    kind: DocKind,
) -> Result<Option<DocAddress>> {
    let fields = &index.fields;
    let query = every_term(&[(fields.brief_id, brief_id), (fields.kind, kind.as_str())]);
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| Error::index(&index.dir, e))?;
    Ok(top.first().map(|(_, address)| *address))
}

/// The id `given` names: `given` itself when a brief or bullet has that id,
/// else what `path:line` (as search prints it) names, `keys` giving the
/// file keys the path may stand for. A line that starts a brief names the
/// brief, unless it holds exactly one bullet; one that holds several
/// bullets names the brief, or, when a `bullet` is wanted, is ambiguous.
pub fn resolve(
    index: &BriefIndex,
    searcher: &Searcher,
    given: &str,
    keys: &dyn Fn(&str) -> Vec<String>,
    bullet: bool,
) -> Result<String> {
    // A brief's id where a bullet is wanted may still be the `path:line` of
    // a bullet (a JSON Lines brief's id is its path and line, which its
    // bullets share): then the place decides.
    let fallback = match find(index, searcher, given) {
        Err(Error::NotFound { .. }) => Err(Error::NotFound {
            id: given.to_string(),
        }),
        Ok(found) if found.bullet.is_none() && bullet => Ok(given.to_string()),
        Ok(_) => return Ok(given.to_string()),
        Err(other) => return Err(other),
    };
    let Some((path, line)) = given
        .rsplit_once(':')
        .and_then(|(path, line)| Some((path, line.parse::<usize>().ok()?)))
    else {
        return fallback;
    };
    for key in keys(path) {
        let Some(at) = at_line(index, searcher, &key, line)? else {
            continue;
        };
        return match at.bullets.as_slice() {
            [one] => Ok(one.clone()),
            [] => Ok(at.brief_id),
            _ if bullet => Err(Error::AmbiguousLocation {
                location: given.to_string(),
                ids: at.bullets,
            }),
            _ => Ok(at.brief_id),
        };
    }
    fallback
}

/// What one line of an indexed file holds (the start of a brief, its
/// bullets, or both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtLine {
    /// The id of the brief that starts on the line or holds its bullets.
    pub brief_id: String,
    /// The ids of the brief's bullets on that line (several in a JSON Lines
    /// brief, whose bullets all share its line).
    pub bullets: Vec<String>,
}

/// What line `line` of the file indexed as `file_key` holds: the brief that
/// starts there or holds a bullet there; `None` when no brief does. Reads
/// the file's article docs only (one per brief), keeping one at a time.
pub fn at_line(
    index: &BriefIndex,
    searcher: &Searcher,
    file_key: &str,
    line: usize,
) -> Result<Option<AtLine>> {
    let fields = &index.fields;
    let query = every_term(&[
        (fields.file, file_key),
        (fields.kind, DocKind::Article.as_str()),
    ]);
    let to_err = |e| Error::index(&index.dir, e);
    let collector = LastStartingBy {
        line_field: fields.line,
        line,
    };
    // Briefs follow each other in a file: the line is in the last one that
    // starts on or before it.
    let Some((_, address)) = searcher.search(&query, &collector).map_err(to_err)? else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address).map_err(to_err)?;
    let brief = stored_brief(index, &doc, "the brief at that line")?;
    let bullets: Vec<String> = brief
        .bullets()
        .into_iter()
        .filter(|b| b.line == line)
        .map(|b| b.id)
        .collect();
    let starts_here = brief.line == line;
    Ok((starts_here || !bullets.is_empty()).then_some(AtLine {
        brief_id: brief.id,
        bullets,
    }))
}

/// Collects the document whose stored `line` is the largest not above
/// `line`.
struct LastStartingBy {
    line_field: Field,
    line: usize,
}

type Best = tantivy::Result<Option<(usize, DocAddress)>>;

struct LastStartingBySegment {
    store: StoreReader,
    segment: SegmentOrdinal,
    line_field: Field,
    line: usize,
    best: Best,
}

impl Collector for LastStartingBy {
    type Fruit = Option<(usize, DocAddress)>;
    type Child = LastStartingBySegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<LastStartingBySegment> {
        Ok(LastStartingBySegment {
            store: reader.get_store_reader(1)?,
            segment,
            line_field: self.line_field,
            line: self.line,
            best: Ok(None),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Best>) -> tantivy::Result<Self::Fruit> {
        let mut best = None;
        for fruit in fruits {
            best = best.max(fruit?);
        }
        Ok(best)
    }
}

impl SegmentCollector for LastStartingBySegment {
    type Fruit = Best;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Ok(best) = &mut self.best else {
            return;
        };
        match self.store.get::<TantivyDocument>(doc) {
            Ok(stored) => {
                let line = stored_number(&stored, self.line_field);
                let address = DocAddress::new(self.segment, doc);
                if line <= self.line && best.is_none_or(|(b, _)| line > b) {
                    *best = Some((line, address));
                }
            }
            Err(e) => self.best = Err(e),
        }
    }

    fn harvest(self) -> Best {
        self.best
    }
}

/// The brief stored on an article doc.
pub(crate) fn stored_brief(index: &BriefIndex, doc: &TantivyDocument, what: &str) -> Result<Brief> {
    let damaged = |detail: String| Error::IndexDamaged {
        path: index.dir.clone(),
        detail,
    };
    let json = stored_text(doc, index.fields.brief_json)
        .ok_or_else(|| damaged(format!("{what} has no stored copy")))?;
    serde_json::from_str(&json).map_err(|e| damaged(format!("the stored copy of {what}: {e}")))
}

/// The brief (and bullet) an id names; [`Error::NotFound`] when none does.
pub fn find(index: &BriefIndex, searcher: &Searcher, id: &str) -> Result<Found> {
    let bullet = split_bullet_id(id);
    let brief_id = match bullet {
        Some((brief_id, _, _)) => brief_id,
        None => id,
    };
    let not_found = || Error::NotFound { id: id.to_string() };
    let Some(address) = find_doc(index, searcher, brief_id, DocKind::Article)? else {
        return Err(not_found());
    };
    let doc: TantivyDocument = searcher
        .doc(address)
        .map_err(|e| Error::index(&index.dir, e))?;
    let fields = &index.fields;
    let brief = stored_brief(index, &doc, &format!("brief `{brief_id}`"))?;
    let bullet = bullet.map(|(_, kind, position)| (kind, position));
    let exists = match bullet {
        Some((DocKind::Point, n)) => (1..=brief.points.len()).contains(&n),
        Some((_, n)) => (1..=brief.summaries.len()).contains(&n),
        None => true,
    };
    if !exists {
        return Err(not_found());
    }
    Ok(Found {
        brief,
        file: stored_text(&doc, fields.file).unwrap_or_default(),
        bullet,
    })
}
