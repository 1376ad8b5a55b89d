//! Finding brief files under the paths a user names. The walk (the `ignore`
//! crate, ripgrep's and fd's walker) ends sorted by key (the canonical
//! path), so every run sees files in the same order. It skips hidden
//! entries (unless asked), what `.gitignore` and `.ignore` files under a
//! root exclude (unless asked), and the index folder; it follows symbolic
//! links only when asked, and keeps only the extensions briefs reads; a
//! file named explicitly is read whatever its extension or ignore rules. A
//! path that cannot be walked becomes a [`Problem`], never an error.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ignore::WalkBuilder;
use rayon::prelude::*;

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
    /// Walk hidden files and folders too (`--hidden`; off by default).
    pub hidden: bool,
    /// Read no `.gitignore` or `.ignore` file (`--no-ignore`; off by default).
    pub no_ignore: bool,
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
        let mut candidates = Vec::new();
        for entry in folder_walker(root, &canonical, options) {
            match entry {
                Ok(entry) => {
                    // An ignore file of this folder with a line that is not
                    // a pattern: the rest of the file still applies.
                    if let Some(err) = entry.error() {
                        push_ignore_problems(&mut found.problems, err, None);
                    }
                    // Only regular files: without -L a link is not followed,
                    // and with -L a link to a FIFO or a device is not opened.
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    if let Some(format) = Format::from_path(entry.path()) {
                        candidates.push((entry.into_path(), format));
                    }
                }
                Err(err) => {
                    let about = walked_path(&err);
                    // The walker reads the ignore files above the root too
                    // but applies none of them: a bad line there is no
                    // business of this walk.
                    if about.is_some_and(|path| !path.starts_with(root)) {
                        continue;
                    }
                    if let Some(path) = about {
                        found.unreadable.push(canonical_of(path, root, &canonical));
                    }
                    push_ignore_problems(&mut found.problems, &err, None);
                }
            }
        }
        for problem in &mut found.problems {
            if problem.path.is_empty() {
                problem.path = display_path(root);
            }
        }
        // One system call per file for its size and time (two with -L):
        // most of the time of a re-index that finds nothing changed, so it
        // is spread over threads.
        let described: Vec<_> = candidates
            .par_iter()
            .with_min_len(STATS_PER_TASK)
            .map(|(path, _)| {
                if options.follow_links {
                    describe(path)
                } else {
                    std::fs::symlink_metadata(path)
                        .map(|meta| (canonical_of(path, root, &canonical), meta))
                }
            })
            .collect();
        for ((path, format), described) in candidates.into_iter().zip(described) {
            push_entry(&mut found, path, format, described);
        }
    }
    // The same order on every run, whatever order the file system lists
    // folders in: by key, which is cheaper to compare than paths.
    found.files.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    found.problems.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The walker of one folder root: hidden entries, ignored entries and the
/// index folder are never entered (unless the options say so).
///
/// Ignore files are read as fd and ripgrep read them, with one rule made
/// simpler: `.gitignore` and `.ignore` files apply wherever they are found
/// under the root, inside a git repository or not (ripgrep's and fd's
/// `--no-require-git`). Ignore files above the root, `.git/info/exclude` and
/// git's global excludes are not read: what a folder holds as a corpus does
/// not depend on where it sits or on whose account indexes it.
fn folder_walker(root: &Path, canonical: &Path, options: &WalkOptions) -> ignore::Walk {
    let honour = !options.no_ignore;
    let (root_owned, canonical_owned) = (root.to_path_buf(), canonical.to_path_buf());
    let exclude = options.exclude.clone();
    let mut builder = WalkBuilder::new(root);
    builder
        .follow_links(options.follow_links)
        .hidden(!options.hidden)
        .git_ignore(honour)
        .ignore(honour)
        .parents(false)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .filter_entry(move |e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && is_excluded(
                    &canonical_of(e.path(), &root_owned, &canonical_owned),
                    &exclude,
                ))
        });
    builder.build()
}

/// Below a canonical root, a walk that follows no link only meets canonical
/// paths: the key is the root's canonical path joined with the rest, with
/// no system call per file. With -L, links make paths that are not
/// canonical, so each file is resolved on its own (see `describe`).
fn canonical_of(path: &Path, root: &Path, canonical: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(rest) if rest.as_os_str().is_empty() => canonical.to_path_buf(),
        Ok(rest) => canonical.join(rest),
        Err(_) => path.to_path_buf(),
    }
}

/// The path a walk error is about (a folder that could not be listed, an
/// entry that could not be looked at, the link that closes a loop, an
/// ignore file).
fn walked_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::Partial(errs) => errs.first().and_then(walked_path),
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walked_path(err)
        }
        _ => None,
    }
}

/// Pushes one problem per error `err` holds (an ignore file may hold
/// several bad lines), each with its path and line.
fn push_ignore_problems(problems: &mut Vec<Problem>, err: &ignore::Error, line: Option<usize>) {
    use ignore::Error as E;
    match err {
        E::Partial(errs) => {
            for err in errs {
                push_ignore_problems(problems, err, line);
            }
        }
        E::WithDepth { err, .. } => push_ignore_problems(problems, err, line),
        E::WithLineNumber { line, err } => {
            push_ignore_problems(problems, err, usize::try_from(*line).ok());
        }
        E::WithPath { path, err } => {
            let mut inner = Vec::new();
            push_ignore_problems(&mut inner, err, line);
            for mut problem in inner {
                if problem.path.is_empty() {
                    problem.path = display_path(path);
                }
                problems.push(problem);
            }
        }
        E::Loop { child, .. } => problems.push(Problem {
            path: display_path(child),
            line: None,
            reason: "symbolic link loop, not followed".into(),
        }),
        other => problems.push(Problem {
            path: String::new(),
            line,
            reason: match other {
                E::Io(io) => io.to_string(),
                other => other.to_string(),
            },
        }),
    }
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

/// A path as an index key: its text when it is UTF-8; otherwise each byte
/// that is not UTF-8 written as `\xHH`, so two names that differ only in
/// such bytes keep different keys.
pub fn path_key(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let mut key = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            key.push_str(chunk.valid());
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

/// True when the folder at canonical `path` is, or is inside, an excluded one.
fn is_excluded(path: &Path, exclude: &[PathBuf]) -> bool {
    exclude.iter().any(|ex| path.starts_with(ex))
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

    fn names(found: &Walk, root: &Path) -> Vec<String> {
        found
            .files
            .iter()
            .map(|f| {
                let rel = f.path.strip_prefix(root).unwrap();
                rel.to_string_lossy().into_owned()
            })
            .collect()
    }

    #[test]
    fn ignore_files_are_honoured_unless_no_ignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            ".gitignore",
            "node_modules/\ndrafts/*.md\n!drafts/keep.md\n",
        );
        write(root, "sub/.ignore", "target\n");
        write(root, "a.txt", "A\n");
        write(root, "node_modules/pkg/README.md", "# P\n");
        write(root, "drafts/x.md", "# X\n");
        write(root, "drafts/keep.md", "# K\n");
        write(root, "sub/target/out.txt", "O\n");
        write(root, "sub/b.txt", "B\n");
        write(root, ".hidden/h.txt", "H\n");
        let walked = |options: WalkOptions| {
            let found = walk(&[root.to_path_buf()], &options);
            assert!(found.problems.is_empty(), "{:?}", found.problems);
            names(&found, root)
        };
        assert_eq!(
            walked(WalkOptions::default()),
            ["a.txt", "drafts/keep.md", "sub/b.txt"]
        );
        let all = walked(WalkOptions {
            no_ignore: true,
            ..Default::default()
        });
        assert_eq!(
            all,
            [
                "a.txt",
                "drafts/keep.md",
                "drafts/x.md",
                "node_modules/pkg/README.md",
                "sub/b.txt",
                "sub/target/out.txt"
            ]
        );
        let hidden = walked(WalkOptions {
            hidden: true,
            ..Default::default()
        });
        assert_eq!(
            hidden,
            [".hidden/h.txt", "a.txt", "drafts/keep.md", "sub/b.txt"]
        );
    }

    #[test]
    fn ignore_files_above_the_root_do_not_apply() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".gitignore", "sub/\n*.txt\n");
        write(dir.path(), "sub/a.txt", "A\n");
        let root = dir.path().join("sub");
        let found = walk(std::slice::from_ref(&root), &WalkOptions::default());
        assert_eq!(names(&found, &root), ["a.txt"]);
    }

    #[test]
    fn a_bad_ignore_line_is_a_problem_and_the_rest_applies() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".gitignore", "skip.txt\n[z-a]\n");
        write(dir.path(), "skip.txt", "S\n");
        write(dir.path(), "keep.txt", "K\n");
        let found = walk(&[dir.path().to_path_buf()], &WalkOptions::default());
        assert_eq!(names(&found, dir.path()), ["keep.txt"]);
        assert_eq!(found.problems.len(), 1, "{:?}", found.problems);
        let problem = &found.problems[0];
        assert!(problem.path.ends_with(".gitignore"), "{problem}");
        assert_eq!(problem.line, Some(2), "{problem}");
        assert!(found.unreadable.is_empty());
    }
}
