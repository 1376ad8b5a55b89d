//! Finding brief files under the paths a user names. The walk (walkdir)
//! ends sorted by key (the canonical path), so every run sees files in the
//! same order. It skips hidden entries and the index folder, follows
//! symbolic links only when asked, and keeps only the extensions briefs
//! reads; a file named explicitly is read whatever its extension. A path
//! that cannot be walked becomes a [`Problem`], never an error.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::brief::Problem;
use crate::parse::Format;

/// Files stat-ed by one task at the least: fewer are not worth a thread.
const STATS_PER_TASK: usize = 2_000;

/// A brief file found by the walk, with what identifies its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// The path as walked (the root as given, joined with the rest).
    pub path: PathBuf,
    /// The absolute, canonical path: the file's key in the index.
    pub key: String,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u64,
    /// Size in bytes.
    pub size: u64,
    /// How to read it.
    pub format: Format,
}

impl FileEntry {
    /// The path as a display string.
    pub fn display(&self) -> String {
        display_path(&self.path)
    }
}

/// A path as users see it: lossy UTF-8, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links (off by default).
    pub follow_links: bool,
    /// Folders never to enter (the index folder), canonical.
    pub exclude: Vec<PathBuf>,
}

/// What a walk found: the files to consider, the problems met, and the
/// canonical roots that were walked (deletions are scoped to them).
#[derive(Debug, Default)]
pub struct Walk {
    /// Brief files, in walk order.
    pub files: Vec<FileEntry>,
    /// Paths that could not be walked or read.
    pub problems: Vec<Problem>,
    /// Canonical roots that exist.
    pub roots: Vec<PathBuf>,
    /// Canonical paths that could not be listed or looked at (no
    /// permission, an I/O error): what the index has below them is kept.
    pub unreadable: Vec<PathBuf>,
}

/// Walks `roots` for brief files.
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Walk {
    let mut found = Walk::default();
    for root in roots {
        let canonical = match root.canonicalize() {
            Ok(c) => c,
            Err(err) => {
                found.problems.push(Problem {
                    path: display_path(root),
                    line: None,
                    reason: err.to_string(),
                });
                continue;
            }
        };
        if !canonical.is_file() && !canonical.is_dir() {
            found.problems.push(Problem {
                path: display_path(root),
                line: None,
                reason: "not a regular file or a folder; skipped".into(),
            });
            continue;
        }
        found.roots.push(canonical.clone());
        if canonical.is_file() {
            let format = Format::from_path(root).unwrap_or(Format::Text);
            push_entry(&mut found, root.clone(), format, describe(root));
            continue;
        }
        // Below a canonical root, a walk that follows no link only meets
        // canonical paths: the key is the root's canonical path joined with
        // the rest, with no system call per file. With -L, links make paths
        // that are not canonical, so each file is resolved on its own.
        let canonical_of = |path: &Path| -> PathBuf {
            match path.strip_prefix(root) {
                Ok(rest) if rest.as_os_str().is_empty() => canonical.clone(),
                Ok(rest) => canonical.join(rest),
                Err(_) => path.to_path_buf(),
            }
        };
        let walker = WalkDir::new(root)
            .follow_links(options.follow_links)
            .into_iter()
            .filter_entry(|e| {
                // With -L, a link's own path says nothing of where it leads:
                // a link into the index folder must not be walked either.
                let real = || match e.path_is_symlink() {
                    true => e
                        .path()
                        .canonicalize()
                        .unwrap_or_else(|_| canonical_of(e.path())),
                    false => canonical_of(e.path()),
                };
                e.depth() == 0
                    || !(is_hidden(e.file_name())
                        || (e.file_type().is_dir() && is_excluded(&real(), &options.exclude)))
            });
        let mut candidates = Vec::new();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    // Only regular files: without -L a link is not followed,
                    // and with -L a link to a FIFO or a device is not opened.
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    if let Some(format) = Format::from_path(entry.path()) {
                        candidates.push((entry.into_path(), format));
                    }
                }
                Err(err) => {
                    if let Some(path) = err.path() {
                        found.unreadable.push(canonical_of(path));
                    }
                    found.problems.push(walk_problem(root, &err));
                }
            }
        }
        // One system call per file for its size and time (two with -L):
        // most of the time of a re-index that finds nothing changed, so it
        // is spread over threads.
        let described: Vec<_> = candidates
            .par_iter()
            .with_min_len(STATS_PER_TASK)
            .map(|(path, _)| {
                if !options.follow_links {
                    return std::fs::symlink_metadata(path)
                        .map(|meta| Some((canonical_of(path), meta)));
                }
                // With -L the key is the target's canonical path (a file
                // reached by two links is one file); a link to a file inside
                // the index folder is no brief.
                let (key, meta) = describe(path)?;
                Ok((!is_excluded(&key, &options.exclude)).then_some((key, meta)))
            })
            .collect();
        for ((path, format), described) in candidates.into_iter().zip(described) {
            match described {
                Ok(None) => {}
                Ok(Some(found_file)) => push_entry(&mut found, path, format, Ok(found_file)),
                Err(e) => push_entry(&mut found, path, format, Err(e)),
            }
        }
    }
    // The same order on every run, whatever order the file system lists
    // folders in: by key, which is cheaper to compare than paths.
    found.files.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    found.problems.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// A file's canonical path and metadata, following links.
fn describe(path: &Path) -> std::io::Result<(PathBuf, std::fs::Metadata)> {
    let key = path.canonicalize()?;
    let meta = std::fs::metadata(&key)?;
    Ok((key, meta))
}

fn push_entry(
    found: &mut Walk,
    path: PathBuf,
    format: Format,
    described: std::io::Result<(PathBuf, std::fs::Metadata)>,
) {
    match described {
        Ok((key, meta)) => {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
            found.files.push(FileEntry {
                key: path_key(&key),
                path,
                mtime_ns,
                size: meta.len(),
                format,
            });
        }
        Err(err) => found.problems.push(Problem {
            path: display_path(&path),
            line: None,
            reason: err.to_string(),
        }),
    }
}

/// A path as an index key: its text when it is UTF-8, with backslashes
/// doubled; each byte that is not UTF-8 written as `\xHH`. Different names
/// always get different keys.
pub fn path_key(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let mut key = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            // A backslash is doubled, so a name that spells `\xE9` and one
            // holding the byte 0xE9 keep different keys.
            for c in chunk.valid().chars() {
                if c == '\\' {
                    key.push('\\');
                }
                key.push(c);
            }
            for byte in chunk.invalid() {
                key.push_str(&format!("\\x{byte:02X}"));
            }
        }
        key
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// True when the folder at canonical `path` is, or is inside, an excluded one.
fn is_excluded(path: &Path, exclude: &[PathBuf]) -> bool {
    exclude.iter().any(|ex| path.starts_with(ex))
}

fn walk_problem(root: &Path, err: &walkdir::Error) -> Problem {
    let path = err.path().unwrap_or(root);
    let reason = if err.loop_ancestor().is_some() {
        "symbolic link loop, not followed".to_string()
    } else {
        err.io_error()
            .map_or_else(|| err.to_string(), |e| e.to_string())
    };
    Problem {
        path: display_path(path),
        line: None,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn walk_is_sorted_and_keeps_brief_extensions() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.txt", "B\n");
        write(dir.path(), "a.md", "# A\n");
        write(dir.path(), "sub/c.jsonl", "{\"headline\": \"C\"}\n");
        write(dir.path(), "image.png", "x");
        write(dir.path(), ".hidden/d.txt", "D\n");
        let found = walk(&[dir.path().to_path_buf()], &WalkOptions::default());
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "c.jsonl"]);
        assert!(found.problems.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_keep_distinct_keys() {
        use std::os::unix::ffi::OsStrExt;
        let a = path_key(Path::new(std::ffi::OsStr::from_bytes(b"/x/a-\xE9.txt")));
        let b = path_key(Path::new(std::ffi::OsStr::from_bytes(b"/x/a-\xFF.txt")));
        assert_eq!(a, "/x/a-\\xE9.txt");
        assert_ne!(a, b);
        assert_eq!(path_key(Path::new("/x/café.txt")), "/x/café.txt");
        let spelled = path_key(Path::new("/x/a-\\xE9.txt"));
        assert_eq!(spelled, "/x/a-\\\\xE9.txt");
        assert_ne!(spelled, a, "a name spelling \\xE9 is not the byte 0xE9");
    }

    #[test]
    fn missing_root_is_a_problem() {
        let found = walk(&[PathBuf::from("/no/such/folder")], &WalkOptions::default());
        assert_eq!(found.problems.len(), 1);
        assert!(found.roots.is_empty());
    }

    #[test]
    fn excluded_folder_is_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "index/meta.json", "{}");
        write(dir.path(), "a.txt", "A\n");
        let options = WalkOptions {
            exclude: vec![dir.path().join("index").canonicalize().unwrap()],
            ..Default::default()
        };
        let found = walk(&[dir.path().to_path_buf()], &options);
        assert_eq!(found.files.len(), 1);
    }
}
