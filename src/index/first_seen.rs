//! When each brief and bullet first came into the index (`first_seen`, a
//! commit's generation), so the bullets new in a commit can be told from
//! those an edited file already had. Before a changed file's old documents
//! are deleted, their stamps are read by identity (brief id, kind, and the
//! bullet's text as shown); each new document takes the stamp of its
//! earlier self, or the generation being committed when it has none.

use std::collections::HashMap;
use std::path::Path;

use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::brief::DocKind;
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::index::stored::{stored_text, stored_u64};
use crate::index::terms::live_docs_with;

/// What identifies a brief's document across re-reads of its file.
type Identity = (String, DocKind, String);

/// The stamps of a file's documents before it changed.
#[derive(Debug, Default)]
pub(crate) struct Stamps {
    by_identity: HashMap<Identity, u64>,
}

impl Stamps {
    /// The stamps of every document of the file with `key` in `searcher`'s
    /// commit.
    pub(crate) fn of_file(
        dir: &Path,
        searcher: &Searcher,
        fields: &Fields,
        key: &str,
    ) -> Result<Stamps> {
        let to_err = |e| Error::index(dir, e);
        let term = Term::from_field_text(fields.file, key);
        let mut stamps = Stamps::default();
        for (segment_ord, reader) in searcher.segment_readers().iter().enumerate() {
            for doc in live_docs_with(reader, &term).map_err(to_err)? {
                let address = DocAddress::new(segment_ord as u32, doc);
                let stored: TantivyDocument = searcher.doc(address).map_err(to_err)?;
                if let Some(identity) = identity(fields, &stored) {
                    let stamp = stored_u64(&stored, fields.first_seen);
                    let entry = stamps.by_identity.entry(identity).or_insert(stamp);
                    *entry = (*entry).min(stamp);
                }
            }
        }
        Ok(stamps)
    }

    /// Stamps `doc` (an article or bullet document not yet added) with the
    /// stamp of its earlier self, or `generation`; true when it is new.
    pub(crate) fn stamp(
        &self,
        fields: &Fields,
        doc: &mut TantivyDocument,
        generation: u64,
    ) -> bool {
        let earlier = identity(fields, doc).and_then(|id| self.by_identity.get(&id).copied());
        doc.add_u64(fields.first_seen, earlier.unwrap_or(generation));
        earlier.is_none()
    }
}

/// A document's identity; `None` for file records.
fn identity(fields: &Fields, doc: &TantivyDocument) -> Option<Identity> {
    let kind = DocKind::from_name(&stored_text(doc, fields.kind)?)?;
    let brief_id = stored_text(doc, fields.brief_id)?;
    let shown = match kind {
        DocKind::Article => String::new(),
        DocKind::Point | DocKind::Summary => stored_text(doc, fields.shown_text)?,
        DocKind::File => return None,
    };
    Some((brief_id, kind, shown))
}
