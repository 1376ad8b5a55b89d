//! Turning a file's bytes into text, or saying why they are not text.
//!
//! Briefs are UTF-8 (with or without a byte-order mark), or Windows-1252 when
//! they were saved by an older editor. Anything holding a NUL byte is binary,
//! and bytes that are neither UTF-8 nor Windows-1252 are undecodable. This
//! module only decodes; it does not look at what the text says.

use crate::parse::mojibake::cp1252_char;

/// Why a file's bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file has no bytes at all (or only a byte-order mark).
    Empty,
    /// A NUL byte: this is a binary file, not a brief.
    Binary {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// Neither UTF-8 nor Windows-1252.
    Undecodable {
        /// 1-based line of the first byte Windows-1252 leaves undefined.
        line: usize,
        /// That byte.
        byte: u8,
    },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty file"),
            DecodeError::Binary { offset } => {
                write!(f, "binary file (NUL byte at offset {offset})")
            }
            DecodeError::Undecodable { line, byte } => write!(
                f,
                "line {line}: not UTF-8, and not Windows-1252 either (byte {byte:#04X})"
            ),
        }
    }
}

/// How the text was decoded, so callers can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, the normal case.
    Utf8,
    /// Windows-1252, the fallback for files that are not UTF-8.
    Windows1252,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes `bytes` as UTF-8 (dropping a byte-order mark), falling back to
/// Windows-1252. A NUL byte anywhere makes the file binary.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        Err(_) => decode_cp1252(bytes).map(|text| (text, Encoding::Windows1252)),
    }
}

fn decode_cp1252(bytes: &[u8]) -> Result<String, DecodeError> {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for (i, &byte) in bytes.iter().enumerate() {
        match cp1252_char(byte) {
            Some(c) => text.push(c),
            None => {
                let line = 1 + memchr::memchr_iter(b'\n', &bytes[..i]).count();
                return Err(DecodeError::Undecodable { line, byte });
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let (text, enc) = decode("café 📉".as_bytes()).unwrap();
        assert_eq!(text, "café 📉");
        assert_eq!(enc, Encoding::Utf8);
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let (text, _) = decode(b"\xEF\xBB\xBFHeadline").unwrap();
        assert_eq!(text, "Headline");
    }

    #[test]
    fn windows_1252_is_the_fallback() {
        let (text, enc) = decode(b"Caf\xE9 opens \x96 it\x92s new").unwrap();
        assert_eq!(text, "Café opens – it’s new");
        assert_eq!(enc, Encoding::Windows1252);
    }

    #[test]
    fn nul_byte_means_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00"),
            Err(DecodeError::Binary { offset: 4 })
        );
    }

    #[test]
    fn empty_and_bom_only_files_are_empty() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(UTF8_BOM), Err(DecodeError::Empty));
    }

    #[test]
    fn undefined_cp1252_byte_is_undecodable_with_its_line() {
        assert_eq!(
            decode(b"ok\nstill ok\nbad \x81 here \xFF"),
            Err(DecodeError::Undecodable {
                line: 3,
                byte: 0x81
            })
        );
    }
}
