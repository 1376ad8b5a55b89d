//! `TestEnv`: a temporary folder with briefs in it, and a way to run the
//! `briefs` binary there with a clean environment.
//!
//! Every command runs with the temporary folder as its current folder and
//! `--index <tmp>/idx`, so a test never touches the repository's `index/`.
//! Failures print the command, its exit status, stdout and stderr.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The token that replaces the temporary folder in golden output.
pub const TMP_TOKEN: &str = "[TMP]";

/// The compiled `briefs` binary.
pub fn briefs_bin() -> &'static str {
    env!("CARGO_BIN_EXE_briefs")
}

/// The repository root (where Cargo.toml is).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    manifest_dir().join("tests").join("fixtures")
}

/// The fixture file names, sorted (files only: folders such as `stories/`
/// hold sets of their own).
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("fixture entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// A temporary folder to run `briefs` in.
pub struct TestEnv {
    dir: TempDir,
}

impl TestEnv {
    /// An empty temporary folder.
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::Builder::new()
                .prefix("briefs-test-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    /// The temporary folder (also the current folder of every command).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `<tmp>/briefs`, where `write` puts brief files.
    pub fn briefs_dir(&self) -> PathBuf {
        self.root().join("briefs")
    }

    /// `<tmp>/idx`, the index every `run` uses.
    pub fn index_dir(&self) -> PathBuf {
        self.root().join("idx")
    }

    /// Writes `contents` to `<tmp>/briefs/<rel>` (creating folders) and
    /// returns the full path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        self.write_at(&format!("briefs/{rel}"), contents)
    }

    /// Writes `contents` to `<tmp>/<rel>` (creating folders).
    pub fn write_at(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// Appends `text` to `<tmp>/briefs/<rel>`.
    pub fn append(&self, rel: &str, text: &str) {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(self.briefs_dir().join(rel))
            .expect("open for append");
        file.write_all(text.as_bytes()).expect("append");
    }

    /// Removes `<tmp>/briefs/<rel>`.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.briefs_dir().join(rel)).expect("remove file");
    }

    /// Copies every file of `tests/fixtures/` into `<tmp>/briefs/`.
    pub fn copy_fixtures(&self) {
        for name in fixture_names() {
            let bytes = std::fs::read(fixtures_dir().join(&name)).expect("read fixture");
            self.write(&name, bytes);
        }
    }

    /// `program` in the temporary folder, with `NO_COLOR`, `TERM` and every
    /// `BRIEFS_*` variable removed from its environment.
    pub fn scrubbed_command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.root());
        for var in ["NO_COLOR", "TERM", "CLICOLOR", "CLICOLOR_FORCE"] {
            cmd.env_remove(var);
        }
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("BRIEFS_") {
                cmd.env_remove(&key);
            }
        }
        cmd
    }

    /// A `briefs ARGS…` command in the temporary folder, with a scrubbed
    /// environment and no `--index`.
    pub fn command_without_index<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = self.scrubbed_command(briefs_bin());
        cmd.args(args);
        cmd
    }

    /// A `briefs --index <tmp>/idx ARGS…` command.
    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = self.command_without_index::<&str>(&[]);
        cmd.arg("--index").arg(self.index_dir()).args(args);
        cmd
    }

    /// Runs `briefs --index <tmp>/idx ARGS…` to completion.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        Run::of(self.command(args))
    }

    /// Runs `briefs ARGS…` (no `--index`) to completion.
    pub fn run_without_index<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        Run::of(self.command_without_index(args))
    }

    /// Runs `briefs index briefs` and checks it exits 0.
    pub fn index(&self) -> Run {
        let run = self.run(&["index", "briefs"]);
        run.assert_status(0);
        run
    }

    /// `briefs stats --json`, parsed.
    pub fn stats(&self) -> serde_json::Value {
        let run = self.run(&["stats", "--json"]);
        run.assert_status(0);
        let mut lines = run.json_lines();
        assert_eq!(lines.len(), 1, "stats --json writes one line\n{run}");
        lines.remove(0)
    }

    /// `text` with the temporary folder (as given and canonical) replaced by
    /// [`TMP_TOKEN`].
    pub fn normalize(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut prefixes = vec![self.root().to_string_lossy().into_owned()];
        if let Ok(canonical) = self.root().canonicalize() {
            prefixes.push(canonical.to_string_lossy().into_owned());
        }
        // Longest first, so a prefix of another prefix cannot split it.
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for prefix in prefixes {
            out = out.replace(&prefix, TMP_TOKEN);
        }
        out
    }
}

/// A finished command: what ran and what it printed.
pub struct Run {
    /// The command line, for failure messages.
    pub command: String,
    /// Status, stdout and stderr.
    pub output: Output,
}

impl Run {
    /// Runs `cmd` to completion.
    pub fn of(mut cmd: Command) -> Run {
        let command = describe(&cmd);
        let output = cmd
            .output()
            .unwrap_or_else(|e| panic!("could not run {command}: {e}"));
        Run { command, output }
    }

    /// The exit code (`None` when killed by a signal).
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Stdout as UTF-8.
    pub fn stdout_str(&self) -> String {
        String::from_utf8(self.output.stdout.clone())
            .unwrap_or_else(|e| panic!("stdout is not UTF-8: {e}\n{self}"))
    }

    /// Stderr as UTF-8.
    pub fn stderr_str(&self) -> String {
        String::from_utf8(self.output.stderr.clone())
            .unwrap_or_else(|e| panic!("stderr is not UTF-8: {e}\n{self}"))
    }

    /// Panics with the full report unless the exit code is `code`.
    pub fn assert_status(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            Some(code),
            "expected exit status {code}\n{self}"
        );
        self
    }

    /// Panics with the full report unless stderr is empty.
    pub fn assert_quiet_stderr(&self) -> &Run {
        assert!(
            self.output.stderr.is_empty(),
            "expected nothing on stderr\n{self}"
        );
        self
    }

    /// Every stdout line parsed as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout_str()
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not JSON: {e}: {line:?}\n{self}"))
            })
            .collect()
    }

    /// Panics with the report unless `cond`.
    pub fn check(&self, cond: bool, what: &str) {
        assert!(cond, "{what}\n{self}");
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "status:  {}", self.output.status)?;
        writeln!(
            f,
            "stdout:\n{}",
            indent(&String::from_utf8_lossy(&self.output.stdout))
        )?;
        write!(
            f,
            "stderr:\n{}",
            indent(&String::from_utf8_lossy(&self.output.stderr))
        )
    }
}

fn indent(text: &str) -> String {
    if text.is_empty() {
        return "    (empty)\n".to_string();
    }
    text.lines().fold(String::new(), |mut out, line| {
        let _ = writeln!(out, "    {line}");
        out
    })
}

/// `cmd` as a shell-like line, environment changes included.
pub fn describe(cmd: &Command) -> String {
    let mut text = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        let _ = write!(text, "(cd {} && ", dir.display());
    }
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => {
                let _ = write!(text, "{}={} ", key.to_string_lossy(), v.to_string_lossy());
            }
            None => {
                let _ = write!(text, "-u {} ", key.to_string_lossy());
            }
        }
    }
    text.push_str(&shell_quote(cmd.get_program()));
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&shell_quote(arg));
    }
    if cmd.get_current_dir().is_some() {
        text.push(')');
    }
    text
}

/// Quotes `arg` for a POSIX shell.
pub fn shell_quote(arg: &OsStr) -> String {
    let arg = arg.to_string_lossy();
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+".contains(c));
    if plain {
        arg.into_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Compares `actual` with `tests/golden/<name>` exactly; with
/// `UPDATE_GOLDEN=1`, rewrites the file instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = manifest_dir().join("tests").join("golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("golden folder")).expect("mkdir golden");
        std::fs::write(&path, actual).expect("write golden file");
        eprintln!("updated {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}\nrun `UPDATE_GOLDEN=1 cargo test` to create it; actual output:\n{actual}",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from {} (UPDATE_GOLDEN=1 cargo test rewrites it)\n{}",
            path.display(),
            line_diff(&expected, actual)
        );
    }
}

/// A plain line diff: `-` expected, `+` actual, two-space context.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    // Longest common subsequence table; golden files are small.
    let mut lcs = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let show = |line: &str| format!("{:?}", line.trim_end_matches('\n'));
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            let _ = writeln!(out, "  {}", show(old[i]));
            i += 1;
            j += 1;
        } else if j < new.len() && (i == old.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "+ {}", show(new[j]));
            j += 1;
        } else {
            let _ = writeln!(out, "- {}", show(old[i]));
            i += 1;
        }
    }
    out
}
