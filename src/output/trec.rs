//! TREC run files for relevance evaluation: `qid Q0 docid rank score tag`,
//! one line per hit (or, grouped, per brief). The columns are split on white space, so every text
//! column is written through [`trec_field`]: a space, a control character,
//! a bidi control or a `%` becomes `%XX` (its UTF-8 bytes), so an id with a
//! space or a newline stays one column of one line, and decoding `%XX`
//! gives the id back exactly. Scores are finite (boosts are clamped when
//! the query is read).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape::is_unsafe;
use crate::search::{Group, Hit};

/// Writes hits as TREC run lines: `qid Q0 docid rank score tag`.
pub fn write_trec(out: &mut impl Write, qid: &str, hits: &[Hit], tag: &str) -> io::Result<()> {
    let (qid, tag) = (trec_field(qid), trec_field(tag));
    for hit in hits {
        writeln!(
            out,
            "{qid} Q0 {} {} {:.6} {tag}",
            trec_field(&hit.id),
            hit.rank,
            hit.score
        )?;
    }
    Ok(())
}

/// Writes grouped results as TREC run lines of briefs: `docid` is the brief
/// id, rank and score the group's (its best bullet's score).
pub fn write_trec_groups(
    out: &mut impl Write,
    qid: &str,
    groups: &[Group],
    tag: &str,
) -> io::Result<()> {
    let (qid, tag) = (trec_field(qid), trec_field(tag));
    for group in groups {
        writeln!(
            out,
            "{qid} Q0 {} {} {:.6} {tag}",
            trec_field(&group.brief_id),
            group.rank,
            group.score
        )?;
    }
    Ok(())
}

/// `text` as one TREC column: `%`, white space, control characters and
/// bidi controls percent-encoded; borrowed when none is there.
pub fn trec_field(text: &str) -> Cow<'_, str> {
    let encode = |c: char| c == '%' || c.is_whitespace() || is_unsafe(c);
    if !text.chars().any(encode) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if encode(c) {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_unchanged() {
        for id in ["bbc-business-221#s4", "corpus/a.jsonl:3#p1", "café/ü.txt"] {
            assert!(
                matches!(trec_field(id), Cow::Borrowed(t) if t == id),
                "{id}"
            );
        }
    }

    #[test]
    fn separators_and_controls_are_percent_encoded() {
        assert_eq!(trec_field("a b\tc"), "a%20b%09c");
        assert_eq!(trec_field("x\nq1 Q0"), "x%0Aq1%20Q0");
        assert_eq!(trec_field("100%"), "100%25");
        assert_eq!(trec_field("r\u{202e}l\u{a0}"), "r%E2%80%AEl%C2%A0");
        assert_eq!(trec_field("\x1b[2J"), "%1B[2J");
    }
}
