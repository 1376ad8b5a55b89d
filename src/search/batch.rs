//! Batch runs for evaluation: a file of queries, one a line (`qid<TAB>query`
//! or a bare query numbered by its line), run one after another against one
//! searcher. Queries are read as plain words when they do not parse (natural
//! language is full of colons and stray quotes), so one odd query never
//! stops a run of thousands.
//!
//! The file is read a line at a time, each line bounded by
//! [`MAX_QUERY_BYTES`]: a longer line, or one that is not UTF-8, is handed
//! on as a [`BatchLine::Bad`] (its qid and line number, for the report)
//! without being held, whatever its length, and the lines after it are
//! read as usual.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::query::MAX_QUERY_BYTES;

/// One query of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchQuery {
    /// Its id, as the evaluation's judgments name it.
    pub qid: String,
    /// The query text.
    pub text: String,
    /// Its 1-based line in the file.
    pub line: usize,
}

/// A line of a query file: a query, or why it cannot be one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchLine {
    /// A query to run.
    Query(BatchQuery),
    /// A line that cannot be run: longer than [`MAX_QUERY_BYTES`], or not
    /// UTF-8.
    Bad {
        /// Its qid (before the tab when the line has one within the bound,
        /// else the line number).
        qid: String,
        /// Its 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// The lines of the query file at `path`, read as they are asked for.
/// Blank lines are skipped but still count for numbering.
pub fn query_lines(path: &Path) -> Result<QueryLines<BufReader<File>>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(QueryLines::new(BufReader::new(file), path))
}

/// The lines of a query file (see [`query_lines`]); a read error ends them.
pub struct QueryLines<R> {
    reader: R,
    path: PathBuf,
    line: usize,
    buffer: Vec<u8>,
    done: bool,
}

impl<R: BufRead> QueryLines<R> {
    /// The lines of `reader`, read from the file `path` (for errors).
    pub fn new(reader: R, path: &Path) -> QueryLines<R> {
        QueryLines {
            reader,
            path: path.to_path_buf(),
            line: 0,
            buffer: Vec::new(),
            done: false,
        }
    }

    /// Reads the next line into `buffer`, at most `MAX_QUERY_BYTES` of it
    /// (without its line end); `None` at the end of the file, else the
    /// line's whole length in bytes.
    fn read_line(&mut self) -> io::Result<Option<usize>> {
        self.buffer.clear();
        // The bound, and room for a line end (`\r\n`).
        let room = MAX_QUERY_BYTES as u64 + 2;
        let read = (&mut self.reader)
            .take(room)
            .read_until(b'\n', &mut self.buffer)?;
        if read == 0 {
            return Ok(None);
        }
        if self.buffer.last() == Some(&b'\n') {
            self.buffer.pop();
        } else if self.buffer.len() as u64 == room {
            // Too long: pass over the rest of the line without keeping it.
            let length = self.buffer.len() + skip_line(&mut self.reader)?;
            self.buffer.truncate(MAX_QUERY_BYTES);
            return Ok(Some(length));
        }
        if self.buffer.last() == Some(&b'\r') {
            self.buffer.pop();
        }
        Ok(Some(self.buffer.len()))
    }
}

impl<R: BufRead> Iterator for QueryLines<R> {
    type Item = Result<BatchLine>;

    fn next(&mut self) -> Option<Result<BatchLine>> {
        while !self.done {
            let length = match self.read_line() {
                Ok(Some(length)) => length,
                Ok(None) => break,
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::io(&self.path, e)));
                }
            };
            self.line += 1;
            if let Some(line) = parse_line(&self.buffer, length, self.line) {
                return Some(Ok(line));
            }
        }
        self.done = true;
        None
    }
}

/// Reads past the rest of a line (up to and including its `\n`); returns
/// the bytes passed over, the `\n` not counted.
fn skip_line(reader: &mut impl BufRead) -> io::Result<usize> {
    let mut skipped = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(skipped);
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(end) => {
                reader.consume(end + 1);
                return Ok(skipped + end);
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
                skipped += n;
            }
        }
    }
}

/// One line (`bytes`, of whole `length`) as a query; `None` when blank.
fn parse_line(bytes: &[u8], length: usize, line: usize) -> Option<BatchLine> {
    let qid_of = |bytes: &[u8]| match bytes.iter().position(|&b| b == b'\t') {
        Some(tab) => String::from_utf8_lossy(&bytes[..tab]).trim().to_string(),
        None => line.to_string(),
    };
    if length > MAX_QUERY_BYTES {
        return Some(BatchLine::Bad {
            qid: qid_of(bytes),
            line,
            reason: format!("the line is {length} bytes long; at most {MAX_QUERY_BYTES} are read"),
        });
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some(BatchLine::Bad {
            qid: qid_of(bytes),
            line,
            reason: "the line is not UTF-8".into(),
        });
    };
    if text.trim().is_empty() {
        return None;
    }
    Some(BatchLine::Query(match text.split_once('\t') {
        Some((qid, query)) => BatchQuery {
            qid: qid.trim().to_string(),
            text: query.trim().to_string(),
            line,
        },
        None => BatchQuery {
            qid: line.to_string(),
            text: text.trim().to_string(),
            line,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> Vec<BatchLine> {
        QueryLines::new(bytes, Path::new("q.tsv"))
            .map(|l| l.unwrap())
            .collect()
    }

    fn query(qid: &str, text: &str, line: usize) -> BatchLine {
        BatchLine::Query(BatchQuery {
            qid: qid.into(),
            text: text.into(),
            line,
        })
    }

    #[test]
    fn tab_separated_and_bare_queries() {
        assert_eq!(
            lines_of(b"q7\tport strike\n\nferry fares\r\n  \nlast"),
            [
                query("q7", "port strike", 1),
                query("3", "ferry fares", 3),
                query("5", "last", 5)
            ]
        );
    }

    #[test]
    fn a_line_over_the_bound_is_bad_and_the_next_lines_are_read() {
        let mut file = b"q1\toil\n".to_vec();
        file.extend(b"q2\t");
        file.extend(std::iter::repeat_n(b'(', 3 * MAX_QUERY_BYTES));
        file.extend(b"\nq3\tgas\n");
        let lines = lines_of(&file);
        assert_eq!(lines[0], query("q1", "oil", 1));
        let BatchLine::Bad { qid, line, reason } = &lines[1] else {
            panic!("{:?}", lines[1]);
        };
        assert_eq!((qid.as_str(), *line), ("q2", 2));
        assert!(
            reason.contains(&format!("{} bytes", 3 + 3 * MAX_QUERY_BYTES)),
            "{reason}"
        );
        assert_eq!(lines[2], query("q3", "gas", 3));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn a_line_at_the_bound_is_read() {
        let text = "a".repeat(MAX_QUERY_BYTES);
        for ending in ["", "\n", "\r\n"] {
            let lines = lines_of(format!("{text}{ending}").as_bytes());
            assert_eq!(lines, [query("1", &text, 1)], "{ending:?}");
        }
        let lines = lines_of(format!("{text}a").as_bytes());
        assert!(
            matches!(lines[0], BatchLine::Bad { line: 1, .. }),
            "{lines:?}"
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_is_bad_and_the_next_lines_are_read() {
        let lines = lines_of(b"q1\t\xff\xfe oil\nq2\tgas\n");
        assert!(
            matches!(&lines[0], BatchLine::Bad { qid, line: 1, reason } if qid == "q1" && reason.contains("UTF-8")),
            "{lines:?}"
        );
        assert_eq!(lines[1], query("q2", "gas", 2));
    }
}
