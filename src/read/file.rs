//! Reading one brief file into briefs and problems: whole files up to
//! [`MAX_FILE_BYTES`], JSON Lines streamed line by line. Reading never fails
//! the run: whatever is wrong becomes a [`Problem`] with the path and, where
//! there is one, the line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
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

/// Where reading a JSON Lines file stopped: an append is read from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resume {
    /// Bytes read: the end of the last complete line.
    pub offset: u64,
    /// Lines read up to `offset`.
    pub lines: u64,
    /// [`resume_check`] of the file at `offset`.
    pub check: u64,
}

/// Reads and parses one file, handing each brief to `on_brief` as soon as
/// it is read (a JSON Lines file of any size is never held whole), with the
/// bytes of the file read so far (up to the end of the brief's line in a
/// JSON Lines file, the whole file otherwise), and returns the file's
/// problems. Never fails: I/O errors become problems.
pub fn read_file_with(entry: &FileEntry, on_brief: &mut dyn FnMut(Brief, u64)) -> FileRead {
    read_file_from(entry, None, on_brief).0
}

/// [`read_file_with`], but a JSON Lines file is read from `from` (an
/// offset and the lines before it) when given; also returns where a JSON
/// Lines file was read to, when its last line ended with a line end (a
/// last line without one may still be being written, so it is no place to
/// resume from).
pub fn read_file_from(
    entry: &FileEntry,
    from: Option<Resume>,
    on_brief: &mut dyn FnMut(Brief, u64),
) -> (FileRead, Option<Resume>) {
    let mut problems = Problems {
        name: entry.display(),
        kept: Vec::new(),
        more: 0,
    };
    let mut end = None;
    let result = match entry.format {
        Format::JsonLines => {
            let from = from.unwrap_or_default();
            read_json_lines(&entry.path, from, on_brief, &mut problems).map(|reached| {
                end = reached;
            })
        }
        format => read_whole(&entry.path, format, on_brief, &mut problems),
    };
    let unreadable = result.is_err();
    if let Err(err) = result {
        problems.push(None, err.to_string());
        end = None;
    }
    let read = FileRead {
        problems: problems.finish(),
        unreadable,
    };
    (read, end)
}

/// Bytes hashed at each end of what was read, by [`resume_check`].
const CHECK_BYTES: u64 = 4096;

/// A hash of what identifies the first `offset` bytes of the file at
/// `path`: its device and inode (a file replaced by a rename is another
/// file), its first bytes and the bytes just before `offset`. Equal
/// checks mean the file was only appended to (unless it was rewritten in
/// place, same length, with both ends unchanged).
pub fn resume_check(path: &Path, offset: u64) -> std::io::Result<u64> {
    use std::hash::Hasher;
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    let mut hasher = fnv::FnvHasher::default();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        hasher.write_u64(meta.dev());
        hasher.write_u64(meta.ino());
    }
    #[cfg(not(unix))]
    let _ = meta;
    hasher.write_u64(offset);
    let mut block = Vec::with_capacity(CHECK_BYTES as usize);
    (&mut file)
        .take(CHECK_BYTES.min(offset))
        .read_to_end(&mut block)?;
    hasher.write(&block);
    let tail = offset.saturating_sub(CHECK_BYTES);
    file.seek(SeekFrom::Start(tail))?;
    block.clear();
    (&mut file).take(offset - tail).read_to_end(&mut block)?;
    hasher.write(&block);
    Ok(hasher.finish())
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

/// Streams a JSON Lines file line by line from `from`, so its size does
/// not matter; a line over [`MAX_LINE_BYTES`] is reported and skipped.
/// Returns where it stopped when the last line had a line end (`check`
/// left 0 for the caller).
fn read_json_lines(
    path: &Path,
    from: Resume,
    on_brief: &mut dyn FnMut(Brief, u64),
    problems: &mut Problems,
) -> std::io::Result<Option<Resume>> {
    let mut file = File::open(path)?;
    if from.offset > 0 {
        file.seek(SeekFrom::Start(from.offset))?;
    }
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut line_no = usize::try_from(from.lines).unwrap_or(usize::MAX);
    let mut offset = from.offset;
    let mut terminated = true;
    loop {
        buf.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        offset += read as u64;
        terminated = buf.last() == Some(&b'\n');
        line_no += 1;
        if buf.len() as u64 > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            let (skipped, ended) = skip_rest_of_line(&mut reader)?;
            offset += skipped;
            terminated = ended;
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
    Ok(terminated.then_some(Resume {
        offset,
        lines: line_no as u64,
        check: 0,
    }))
}

/// Skips to the next line end; returns the bytes skipped and whether a line
/// end was found.
fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<(u64, bool)> {
    let mut skipped = 0;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((skipped, false));
        }
        match memchr::memchr(b'\n', available) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok((skipped + i as u64 + 1, true));
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
}
