//! Writing an export's documents into numbered files of bounded size
//! (`documents-0001.ndjson`, …), so that each file can be sent in one
//! request under the engines' request limits (Quickwit's ingest API takes
//! 10 MB a request by default, OpenSearch 100 MB). A record (one document,
//! or OpenSearch's action line and document) never spans two files.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The most bytes one file holds (unless one record alone is bigger).
pub(crate) const PART_BYTES: usize = 8 * 1024 * 1024;

/// Numbered files being written.
pub(crate) struct Parts {
    dir: PathBuf,
    stem: &'static str,
    extension: &'static str,
    current: Option<(BufWriter<File>, PathBuf)>,
    bytes: usize,
    /// The files written, in order.
    pub(crate) written: Vec<PathBuf>,
    /// Bytes written in all.
    pub(crate) total_bytes: u64,
}

impl Parts {
    /// Files `DIR/<stem>-NNNN.<extension>`.
    pub(crate) fn new(dir: &Path, stem: &'static str, extension: &'static str) -> Parts {
        Parts {
            dir: dir.to_path_buf(),
            stem,
            extension,
            current: None,
            bytes: 0,
            written: Vec::new(),
            total_bytes: 0,
        }
    }

    /// Writes one record (its lines, each ending in `\n`).
    pub(crate) fn write(&mut self, record: &str) -> Result<()> {
        if self.current.is_none() || self.bytes + record.len() > PART_BYTES && self.bytes > 0 {
            self.close()?;
            let path = self.dir.join(format!(
                "{}-{:04}.{}",
                self.stem,
                self.written.len() + 1,
                self.extension
            ));
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            self.written.push(path.clone());
            self.current = Some((BufWriter::new(file), path));
            self.bytes = 0;
        }
        if let Some((writer, path)) = &mut self.current {
            writer
                .write_all(record.as_bytes())
                .map_err(|e| Error::io(&*path, e))?;
        }
        self.bytes += record.len();
        self.total_bytes += record.len() as u64;
        Ok(())
    }

    /// Flushes the file being written.
    pub(crate) fn close(&mut self) -> Result<()> {
        if let Some((mut writer, path)) = self.current.take() {
            writer.flush().map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_roll_over_to_a_new_file_and_never_split() {
        let dir = tempfile::tempdir().unwrap();
        let mut parts = Parts::new(dir.path(), "documents", "ndjson");
        let record = format!("{}\n", "x".repeat(PART_BYTES / 3));
        for _ in 0..4 {
            parts.write(&record).unwrap();
        }
        parts.close().unwrap();
        assert_eq!(parts.written.len(), 2);
        assert!(parts.written[0].ends_with("documents-0001.ndjson"));
        let first = std::fs::read_to_string(&parts.written[0]).unwrap();
        assert_eq!(first.lines().count(), 2);
        assert!(first.ends_with('\n'));
        assert_eq!(parts.total_bytes, 4 * record.len() as u64);
    }
}
