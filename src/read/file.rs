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
/// Most problems listed for one file; past it, one more line counts the
/// rest. So a file of a million bad lines costs a hundred lines of memory,
/// of index and of output, on this run and on every unchanged run after.
pub const MAX_PROBLEMS_PER_FILE: usize = 100;

/// What reading one file left besides its briefs.
#[derive(Debug, Default)]
pub struct FileRead {
    /// Parts that were not briefs, at most [`MAX_PROBLEMS_PER_FILE`] and a
    /// count of the rest.
    pub problems: Vec<Problem>,
    /// The file could not be read at all, or not to its end (an I/O error,
    /// such as no permission): its briefs from the last run must be kept.
    pub unreadable: bool,
}

/// The problems of one file, capped.
struct Problems {
    name: String,
    kept: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, line: Option<usize>, reason: String) {
        if self.kept.len() < MAX_PROBLEMS_PER_FILE {
            self.kept.push(Problem {
                path: self.name.clone(),
                line,
                reason,
            });
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<Problem> {
        if self.more > 0 {
            let s = if self.more == 1 { "" } else { "s" };
            self.kept.push(Problem {
                path: self.name,
                line: None,
                reason: format!("{} more problem{s} in this file, not listed", self.more),
            });
        }
        self.kept
    }
}

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
    let read = read_file_with(entry, &mut |brief, _| briefs.push(brief));
    FileContents {
        briefs,
        problems: read.problems,
    }
}

/// Reads and parses one file, handing each brief to `on_brief` as soon as
/// it is read (a JSON Lines file of any size is never held whole), with the
/// bytes of the file read so far (up to the end of the brief's line in a
/// JSON Lines file, the whole file otherwise), and returns the file's
/// problems. Never fails: I/O errors become problems.
pub fn read_file_with(entry: &FileEntry, on_brief: &mut dyn FnMut(Brief, u64)) -> FileRead {
    let mut problems = Problems {
        name: entry.display(),
        kept: Vec::new(),
        more: 0,
    };
    let result = match entry.format {
        Format::JsonLines => read_json_lines(&entry.path, on_brief, &mut problems),
        format => read_whole(&entry.path, format, on_brief, &mut problems),
    };
    let unreadable = result.is_err();
    if let Err(err) = result {
        problems.push(None, err.to_string());
    }
    FileRead {
        problems: problems.finish(),
        unreadable,
    }
}

fn read_whole(
    path: &Path,
    format: Format,
    on_brief: &mut dyn FnMut(Brief, u64),
    problems: &mut Problems,
) -> std::io::Result<()> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        problems.push(
            None,
            format!(
                "too large for a brief (over {} MiB); skipped",
                MAX_FILE_BYTES >> 20
            ),
        );
        return Ok(());
    }
    for result in parse_document(&bytes, format, &problems.name) {
        match result {
            Ok(brief) => on_brief(brief, bytes.len() as u64),
            Err(err) => problems.push(err.line, err.reason),
        }
    }
    Ok(())
}

/// Streams a JSON Lines file line by line, so its size does not matter; a
/// line over [`MAX_LINE_BYTES`] is reported and skipped.
fn read_json_lines(
    path: &Path,
    on_brief: &mut dyn FnMut(Brief, u64),
    problems: &mut Problems,
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut buf = Vec::new();
    let mut line_no = 0;
    let mut offset = 0;
    loop {
        buf.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        line_no += 1;
        offset += read as u64;
        if buf.len() as u64 > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            offset += skip_rest_of_line(&mut reader)?;
            problems.push(
                Some(line_no),
                format!("line longer than {} MiB; skipped", MAX_LINE_BYTES >> 20),
            );
            continue;
        }
        match parse_jsonl_line(&buf, &problems.name, line_no) {
            Some(Ok(brief)) => on_brief(brief, offset),
            Some(Err(err)) => problems.push(err.line.or(Some(line_no)), err.reason),
            None => {}
        }
    }
    Ok(())
}

/// Skips to the start of the next line; returns the bytes skipped.
fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<u64> {
    let mut skipped = 0;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(skipped);
        }
        match memchr::memchr(b'\n', available) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(skipped + i as u64 + 1);
            }
            None => {
                let n = available.len();
                reader.consume(n);
                skipped += n as u64;
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

    #[test]
    fn each_brief_comes_with_the_bytes_read_to_its_line_end() {
        let dir = tempfile::tempdir().unwrap();
        let (one, bad, two) = (
            "{\"headline\": \"One\"}\n",
            "not json\n",
            "{\"headline\": \"Two\"}",
        );
        write(dir.path(), "w.jsonl", &format!("{one}{bad}{two}"));
        write(dir.path(), "t.txt", "Headline\n- a bullet\n");
        let found = walk(&[dir.path().to_path_buf()], &WalkOptions::default());
        let mut read_to = Vec::new();
        for entry in &found.files {
            read_file_with(entry, &mut |_, bytes| read_to.push(bytes));
        }
        let (one, all) = (one.len() as u64, (one.len() + bad.len() + two.len()) as u64);
        assert_eq!(read_to, [20, one, all]);
    }

    #[test]
    fn problems_past_the_cap_are_counted_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let bad = "not json\n".repeat(MAX_PROBLEMS_PER_FILE + 250);
        write(
            dir.path(),
            "bad.jsonl",
            &format!("{bad}{{\"headline\": \"Last\"}}\n"),
        );
        let found = walk(&[dir.path().to_path_buf()], &WalkOptions::default());
        let contents = read_file(&found.files[0]);
        assert_eq!(contents.briefs.len(), 1);
        assert_eq!(contents.problems.len(), MAX_PROBLEMS_PER_FILE + 1);
        let last = contents.problems.last().unwrap();
        assert_eq!(last.reason, "250 more problems in this file, not listed");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_cannot_be_opened_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "gone.txt", "Headline\n- a bullet\n");
        let found = walk(&[dir.path().to_path_buf()], &WalkOptions::default());
        std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
        let read = read_file_with(&found.files[0], &mut |_, _| {});
        assert!(read.unreadable);
        assert_eq!(read.problems.len(), 1);
    }
}
