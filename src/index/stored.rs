//! Reading a stored field of a document back: the one place that knows how
//! Tantivy hands stored values out.

use tantivy::TantivyDocument;
use tantivy::schema::{Field, Value};

/// The first text stored in `field`, if any.
pub(crate) fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The first number stored in `field`, 0 when there is none.
pub(crate) fn stored_number(doc: &TantivyDocument, field: Field) -> usize {
    doc.get_first(field)
        .and_then(|v| v.as_u64())
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// The first 64-bit number stored in `field`, 0 when there is none.
pub(crate) fn stored_u64(doc: &TantivyDocument, field: Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}
