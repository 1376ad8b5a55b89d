//! TREC run files for relevance evaluation: `qid Q0 docid rank score tag`,
//! one line per hit.

use std::io::{self, Write};

use crate::search::Hit;

/// Writes hits as TREC run lines: `qid Q0 docid rank score tag`.
pub fn write_trec(out: &mut impl Write, qid: &str, hits: &[Hit], tag: &str) -> io::Result<()> {
    for hit in hits {
        writeln!(
            out,
            "{qid} Q0 {} {} {:.6} {tag}",
            hit.id, hit.rank, hit.score
        )?;
    }
    Ok(())
}
