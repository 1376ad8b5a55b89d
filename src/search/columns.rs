//! The fast-field columns a search reads document by document: the place
//! columns that order ties (`order`) and the copy keys that fold copies
//! unread (`fold`). Each is opened once per segment for as long as the
//! searcher lives, so a session that runs many searches (`--batch`, a
//! program on the library) opens them once: a segment never changes, so
//! nothing held here can go stale, and a new commit is a new searcher with
//! new columns. Opening a column can cost more than reading it: a
//! blockwise-linear one reads its whole block table, 1.1 ms a search at
//! 1,000,000 briefs of one JSON Lines folder, whose files' hashes run in
//! long constant stretches. (Since segments are sorted by place, the place
//! columns are opened only for ties across segments and for date order.)
//!
//! Flows in: a searcher and document addresses. Flows out: copy keys; the
//! place columns, through [`order::Places`].

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Mutex, PoisonError};

use tantivy::columnar::Column;
use tantivy::{DocAddress, Searcher, SegmentOrdinal};

use crate::index::COPY_KEY_FIELD;
use crate::search::order;

/// The columns of one searcher's segments, each opened on first use.
#[derive(Default)]
pub(crate) struct Columns {
    /// What equal scores are ordered by.
    pub(crate) places: order::Places,
    copy_keys: Mutex<HashMap<SegmentOrdinal, Option<Column<u64>>>>,
}

impl Columns {
    /// The copy key of the document at `address` (0: none).
    pub(crate) fn copy_key(&self, searcher: &Searcher, address: DocAddress) -> u64 {
        let mut columns = self
            .copy_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let column = match columns.entry(address.segment_ord) {
            Entry::Occupied(open) => open.into_mut(),
            Entry::Vacant(slot) => {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                // A segment without bullets has no column.
                slot.insert(fast.u64(COPY_KEY_FIELD).ok())
            }
        };
        column
            .as_ref()
            .and_then(|c| c.first(address.doc_id))
            .unwrap_or(0)
    }
}
