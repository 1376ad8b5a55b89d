//! Reading one brief file into briefs and problems: whole files up to
//! [`MAX_FILE_BYTES`], JSON Lines streamed line by line. Reading never fails
//! the run: whatever is wrong becomes a [`Problem`] with the path and, where
//! there is one, the line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::brief::{Brief, Problem};
use crate::parse::{Format, parse_document, parse_jsonl_line};
use crate::read::FileEntry;

/// Largest text, Markdown or JSON file read as one brief.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Largest single line of a JSON Lines file.
pub const MAX_LINE_BYTES: u64 = 32 * 1024 * 1024;

/// The briefs of one file, and its problems.
#[derive(Debug, Default)]
pub struct FileContents {
    /// Briefs read.
    pub briefs: Vec<Brief>,
    /// Parts that were not briefs.
    pub problems: Vec<Problem>,
}

/// Reads and parses one file. Never fails: I/O errors become problems.
pub fn read_file(entry: &FileEntry) -> FileContents {
    let mut briefs = Vec::new();
    let problems = read_file_with(entry, &mut |brief| briefs.push(brief));
    FileContents { briefs, problems }
}

/// Reads and parses one file, handing each brief to `on_brief` as soon as
/// it is read (a JSON Lines file of any size is never held whole), and
/// returns the file's problems. Never fails: I/O errors become problems.
pub fn read_file_with(entry: &FileEntry, on_brief: &mut dyn FnMut(Brief)) -> Vec<Problem> {
    let name = entry.display();
    let mut problems = Vec::new();
    let result = match entry.format {
        Format::JsonLines => read_json_lines(&entry.path, &name, on_brief, &mut problems),
        format => read_whole(&entry.path, &name, format, on_brief, &mut problems),
    };
    if let Err(err) = result {
        problems.push(Problem {
            path: name,
            line: None,
            reason: err.to_string(),
        });
    }
    problems
}

fn read_whole(
    path: &Path,
    name: &str,
    format: Format,
    on_brief: &mut dyn FnMut(Brief),
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        problems.push(Problem {
            path: name.to_string(),
            line: None,
            reason: format!(
                "too large for a brief (over {} MiB); skipped",
                MAX_FILE_BYTES >> 20
            ),
        });
        return Ok(());
    }
    for result in parse_document(&bytes, format, name) {
        match result {
            Ok(brief) => on_brief(brief),
            Err(err) => problems.push(Problem {
                path: name.to_string(),
                line: err.line,
                reason: err.reason,
            }),
        }
    }
    Ok(())
}

/// Streams a JSON Lines file line by line, so its size does not matter; a
/// line over [`MAX_LINE_BYTES`] is reported and skipped.
fn read_json_lines(
    path: &Path,
    name: &str,
    on_brief: &mut dyn FnMut(Brief),
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        line_no += 1;
        if buf.len() as u64 > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            skip_rest_of_line(&mut reader)?;
            problems.push(Problem {
                path: name.to_string(),
                line: Some(line_no),
                reason: format!("line longer than {} MiB; skipped", MAX_LINE_BYTES >> 20),
            });
            continue;
        }
        match parse_jsonl_line(&buf, name, line_no) {
            Some(Ok(brief)) => on_brief(brief),
            Some(Err(err)) => problems.push(Problem {
                path: name.to_string(),
                line: err.line.or(Some(line_no)),
                reason: err.reason,
            }),
            None => {}
        }
    }
    Ok(())
}

fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', available) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = available.len();
                reader.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{WalkOptions, walk};

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn jsonl_bad_lines_are_problems_and_good_lines_briefs() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "w.jsonl",
            "{\"headline\": \"One\"}\nnot json\n\n{\"headline\": \"Four\"}\n",
        );
        let found = walk(&[dir.path().to_path_buf()], &WalkOptions::default());
        let contents = read_file(&found.files[0]);
        assert_eq!(contents.briefs.len(), 2);
        assert_eq!(contents.problems.len(), 1);
        assert_eq!(contents.problems[0].line, Some(2));
        assert_eq!(contents.briefs[1].line, 4);
    }
}
