//! JSON Lines: one object per hit, group, brief or stats record, with the
//! keys the README's schema lists (the types' field order).

use std::io::{self, Write};

use serde::Serialize;

/// Writes one JSON object per line.
pub fn write_json_lines<T: Serialize>(out: &mut impl Write, items: &[T]) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, item)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes hits (or groups) as JSON Lines with the query's id added as
/// `qid`, the first key.
pub fn write_batch_json<T: Serialize>(
    out: &mut impl Write,
    qid: &str,
    items: &[T],
) -> io::Result<()> {
    #[derive(Serialize)]
    struct WithQid<'a, T> {
        qid: &'a str,
        #[serde(flatten)]
        item: &'a T,
    }
    for item in items {
        serde_json::to_writer(&mut *out, &WithQid { qid, item })?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::text::tests::hit;

    #[test]
    fn json_lines_parse_back() {
        let mut out = Vec::new();
        write_json_lines(&mut out, &[hit(), hit()]).unwrap();
        for line in String::from_utf8(out).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["kind"], "point");
        }
    }
}
