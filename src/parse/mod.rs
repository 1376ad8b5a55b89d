//! Stage 2: from bytes to [`Brief`]s, the brief grammar for every format
//! briefs reads.
//!
//! Pure: no file system, no Tantivy. `read/` hands it bytes and a path
//! name; it hands back briefs, or for each part that is not a brief a
//! [`ParseError`] with the line and the reason. The grammar of a line lives in
//! `line`, the text and Markdown reader in `text`, the JSON readers in
//! `json`; `decode` turns bytes into text (UTF-8 or Windows-1252), `mojibake`
//! undoes text decoded with the wrong code page, `date` reads the dates
//! briefs carry. The README repeats the rules. Never imports Tantivy, nor
//! any stage after it.

mod date;
mod decode;
mod json;
mod line;
mod mojibake;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod repair_properties;
mod text;

use std::path::Path;

use crate::brief::Brief;
use crate::parse::decode::{DecodeError, decode};

pub(crate) use date::{MONTH_NAMES, format_day, format_timestamp, parse_day};

/// Why some text is not a brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the problem, when there is one.
    pub line: Option<usize>,
    /// What is wrong, in words.
    pub reason: String,
}

impl ParseError {
    /// A problem at `line` (or the whole file).
    pub fn new(line: Option<usize>, reason: impl Into<String>) -> ParseError {
        ParseError {
            line,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl From<DecodeError> for ParseError {
    fn from(err: DecodeError) -> ParseError {
        let line = match err {
            DecodeError::Undecodable { line, .. } => Some(line),
            _ => None,
        };
        let reason = match err {
            DecodeError::Undecodable { byte, .. } => {
                format!("not UTF-8, and not Windows-1252 either (byte {byte:#04X})")
            }
            other => other.to_string(),
        };
        ParseError { line, reason }
    }
}

/// The formats briefs reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`, `.brief` (and any file named explicitly): a text brief.
    Text,
    /// `.md`, `.markdown`: a Markdown brief.
    Markdown,
    /// `.json`: one brief object, or an array of them.
    Json,
    /// `.jsonl`, `.ndjson`: one brief object per line.
    JsonLines,
}

impl Format {
    /// The format for a path's extension, `None` for files briefs does not
    /// read when walking a folder.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "brief" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// Parses a whole text, Markdown or JSON file. JSON Lines go line by line
/// through `parse_jsonl_line` instead, so a large file need not be held
/// whole; given one here, it is split into lines all the same.
pub fn parse_document(bytes: &[u8], format: Format, path: &str) -> Vec<Result<Brief, ParseError>> {
    if format == Format::JsonLines {
        return bytes
            .split(|&b| b == b'\n')
            .enumerate()
            .filter_map(|(i, line)| parse_jsonl_line(line, path, i + 1))
            .collect();
    }
    let text = match decode(bytes) {
        Ok((text, _)) => text,
        Err(err) => return vec![Err(err.into())],
    };
    match format {
        Format::Json => json::parse_json_document(&text, path),
        _ => vec![text::parse_text(&text, path)],
    }
}

/// Parses one line of a JSON Lines file (`line` is 1-based); `None` for a
/// blank line.
pub fn parse_jsonl_line(
    bytes: &[u8],
    path: &str,
    line: usize,
) -> Option<Result<Brief, ParseError>> {
    let bytes = if line == 1 {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
    } else {
        bytes
    };
    // Without its line end, a truncated line's error is on this line, not the next.
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let text = match decode(bytes) {
        Ok((text, _)) => text,
        Err(err) => {
            let mut err = ParseError::from(err);
            err.line = Some(line);
            return Some(Err(err));
        }
    };
    Some(json::parse_json_line(&text, path, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("b.md")), Some(Format::Markdown));
        assert_eq!(
            Format::from_path(Path::new("b.ndjson")),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::from_path(Path::new("b.png")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn jsonl_keeps_good_lines_and_reports_bad_ones() {
        let data = b"{\"headline\": \"One\"}\n\n{oops}\n{\"headline\": \"Three\"}\n";
        let results = parse_document(data, Format::JsonLines, "w.jsonl");
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().unwrap().line, 1);
        assert_eq!(results[1].as_ref().unwrap_err().line, Some(3));
        assert_eq!(results[2].as_ref().unwrap().id, "w.jsonl:4");
    }

    #[test]
    fn binary_and_empty_files_are_not_briefs() {
        let binary = parse_document(b"\x89PNG\x00\x01", Format::Text, "x.txt");
        assert!(
            binary[0]
                .as_ref()
                .unwrap_err()
                .reason
                .starts_with("binary file")
        );
        let empty = parse_document(b"", Format::Markdown, "x.md");
        assert_eq!(empty[0].as_ref().unwrap_err().reason, "empty file");
    }

    #[test]
    fn windows_1252_file_is_read() {
        let briefs = parse_document(
            b"Caf\xE9 reopens \x97 Old Town News\n- It\x92s back.\n",
            Format::Text,
            "c.txt",
        );
        let brief = briefs[0].as_ref().unwrap();
        assert_eq!(brief.headline, "Café reopens");
        assert_eq!(brief.source.as_deref(), Some("Old Town News"));
        assert_eq!(brief.summaries[0].text, "It’s back.");
    }

    #[test]
    fn undecodable_file_names_the_line() {
        let briefs = parse_document(b"Title\n- ok\n- bad \x81\n", Format::Text, "u.txt");
        assert_eq!(briefs[0].as_ref().unwrap_err().line, Some(3));
    }
}
