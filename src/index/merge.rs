//! Merging a fresh build into one segment. Tantivy writes a segment per
//! writer thread each time its memory budget fills, and its merge policy
//! leaves a 200,000-brief build in eight; every search then opens each one
//! and looks each word up in each, which costs a command-line search more
//! than the search itself (at 200,000 briefs, a rare word: 7.0 ms in
//! eight segments, 3.9 ms in one). A folder of briefs is read far more
//! often than it is built, so a run that read every file anew (a first
//! build, `--rebuild`) ends by merging what it committed into one segment.
//! Incremental runs are left to Tantivy's merge policy: merging the whole
//! index on every small change would cost more than it saves.

use tantivy::TantivyDocument;
use tantivy::indexer::NoMergePolicy;

use crate::index::handle::BriefIndex;

/// Stops Tantivy's own merges for the rest of the run, so that none holds
/// (or has replaced) a segment [`merge_all`] is to merge: called before
/// the first document is added. (Held only from the commit on, a merge
/// Tantivy began mid-build replaced segments under `merge_all` at
/// 1,000,000 briefs, which then failed.)
pub(crate) fn hold_merges(writer: &tantivy::IndexWriter<TantivyDocument>) {
    writer.set_merge_policy(Box::new(NoMergePolicy));
}

/// Merges the committed segments into one. Called after the run's commit,
/// with the run's writer (and its lock); the merged segment keeps the
/// commit's payload. Only an optimisation: the commit is made and whole
/// whatever becomes of the merge, so a merge that fails (a full disk) is
/// left undone, not reported as the run's failure, and its files are
/// removed as stale by the next run; a process killed during the merge
/// leaves the commit as it was (the merged segment is published by one
/// atomic write of `meta.json`).
pub(crate) fn merge_all(index: &BriefIndex, writer: &mut tantivy::IndexWriter<TantivyDocument>) {
    let Ok(ids) = index.index.searchable_segment_ids() else {
        return;
    };
    if ids.len() < 2 {
        return;
    }
    // Undone on failure, as said above.
    let _ = writer.merge(&ids).wait();
}
