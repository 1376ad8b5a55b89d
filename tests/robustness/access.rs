//! Indexes and folders a user can read but not write, or not read at all:
//! another user's index (a service account's, a replica), a read-only
//! mount, a folder or file without read permission. Searches need no write
//! access; only writers lock. What cannot be read keeps its briefs.
//!
//! Permissions do not stop root, so when the tests run as root (CI does)
//! each "other user" command runs as `nobody` through `runuser`, on a tree
//! handed to it with `chown`; as any other user they run directly, and
//! `chmod` alone takes the access away. Either way the command is a real
//! process meeting real permission errors.

use std::ffi::OsStr;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::common::{Run, TestEnv, briefs_bin};

/// `nobody`'s ids on Debian (and most systems).
const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// `briefs ARGS…` as another user: `nobody` when the tests run as root,
/// else this user.
fn as_other_user<S: AsRef<OsStr>>(env: &TestEnv, args: &[S]) -> Run {
    let mut cmd: Command = if running_as_root() {
        let mut cmd = env.scrubbed_command("runuser");
        cmd.args(["-u", "nobody", "--"]).arg(briefs_bin());
        cmd
    } else {
        env.scrubbed_command(briefs_bin())
    };
    cmd.args(args);
    Run::of(cmd)
}

/// Lets the other user into the temporary folder (tempfile makes it 0700).
fn open_to_others(env: &TestEnv) {
    std::fs::set_permissions(env.root(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod the temporary folder");
}

/// Hands the tree at `path` to the other user (only needed as root).
fn give_to_other_user(path: &Path) {
    if !running_as_root() {
        return;
    }
    let status = Command::new("chown")
        .args(["-R", &format!("{NOBODY}:{NOBODY}")])
        .arg(path)
        .status()
        .expect("run chown");
    assert!(status.success(), "chown -R nobody {}", path.display());
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn write_corpus(env: &TestEnv) {
    env.write(
        "tram.txt",
        "Tram line opens — Riverside Gazette\n🚋 The tram line opened on Monday.\n- Riders queued at dawn.\n",
    );
    env.write(
        "sub/ferry.txt",
        "Ferry fares rise — Harbour Post\n⛴️ Ferry fares rose by a tenth.\n- Commuters complained.\n",
    );
    env.write(
        "bus.txt",
        "Bus lanes widened — Metro Desk\n🚌 Two bus lanes were widened.\n- Journeys got shorter.\n",
    );
}

#[test]
fn another_users_index_can_be_searched_but_not_written() {
    let env = TestEnv::new();
    write_corpus(&env);
    env.index();
    let idx = env.index_dir();
    // Whole files get the umask's mode, as segment files do (Tantivy's
    // temporary files made them 0600).
    let segment = std::fs::read_dir(&idx)
        .expect("list the index")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|x| x == "store"))
        .expect("a segment store file");
    for name in ["meta.json", ".managed.json"] {
        assert_eq!(mode(&idx.join(name)), mode(&segment), "{name}");
    }
    open_to_others(&env);
    if !running_as_root() {
        // This user's own index, made read-only: the same for the reader.
        for entry in std::fs::read_dir(&idx).expect("list the index") {
            chmod(&entry.expect("entry").path(), 0o444);
        }
        chmod(&idx, 0o555);
    }
    let idx_arg = idx.to_string_lossy().into_owned();
    let search = as_other_user(
        &env,
        &["--index", &idx_arg, "search", "--color", "never", "tram"],
    );
    search.assert_status(0);
    search.check(search.stdout_str().contains("tram line opened"), "a hit");
    as_other_user(&env, &["--index", &idx_arg, "stats"]).assert_status(0);
    as_other_user(&env, &["--index", &idx_arg, "show", "briefs/tram.txt"]).assert_status(0);
    let write = as_other_user(&env, &["--index", &idx_arg, "index", "briefs"]);
    write.assert_status(2);
    let stderr = write.stderr_str();
    write.check(
        stderr.lines().count() == 1
            && stderr.contains("cannot write to index")
            && !stderr.contains("another `briefs index`"),
        "one line saying the index cannot be written, not that it is locked",
    );
    chmod(&idx, 0o755);
}

#[test]
fn folders_and_files_that_cannot_be_read_keep_their_briefs() {
    let env = TestEnv::new();
    write_corpus(&env);
    open_to_others(&env);
    give_to_other_user(env.root());
    let idx_arg = env.index_dir().to_string_lossy().into_owned();
    let index = |env: &TestEnv| as_other_user(env, &["--index", &idx_arg, "index", "briefs"]);
    let briefs_held = |env: &TestEnv| {
        let run = as_other_user(env, &["--index", &idx_arg, "stats", "--json"]);
        run.assert_status(0);
        run.json_lines()[0]["briefs"].as_u64().expect("briefs")
    };
    index(&env).assert_status(0);
    assert_eq!(briefs_held(&env), 3);

    // A sub-folder that cannot be listed: reported, its brief kept.
    let sub = env.briefs_dir().join("sub");
    chmod(&sub, 0o000);
    let run = index(&env);
    run.assert_status(1);
    run.check(run.stderr_str().contains("sub"), "the folder is named");
    assert_eq!(briefs_held(&env), 3, "the unlisted folder's brief stays");

    // A changed file that cannot be read: reported, its old brief kept, and
    // read again once it can be.
    env.write(
        "bus.txt",
        "Bus lanes widened — Metro Desk\n🚌 Two bus lanes were widened again.\n- Journeys got shorter.\n",
    );
    give_to_other_user(&env.briefs_dir().join("bus.txt"));
    chmod(&env.briefs_dir().join("bus.txt"), 0o000);
    let run = index(&env);
    run.assert_status(1);
    run.check(run.stderr_str().contains("bus.txt"), "the file is named");
    assert_eq!(briefs_held(&env), 3, "the unreadable file's brief stays");
    let old = as_other_user(&env, &["--index", &idx_arg, "search", "widened"]);
    old.check(!old.stdout_str().contains("again"), "the old text is kept");

    // The whole root unreadable: nothing removed.
    chmod(&env.briefs_dir(), 0o000);
    index(&env).assert_status(1);
    assert_eq!(briefs_held(&env), 3, "an unreadable root removes nothing");

    chmod(&env.briefs_dir(), 0o755);
    chmod(&sub, 0o755);
    chmod(&env.briefs_dir().join("bus.txt"), 0o644);
    let run = index(&env);
    run.assert_status(0);
    let new = as_other_user(
        &env,
        &["--index", &idx_arg, "search", "--color", "never", "widened"],
    );
    new.check(
        new.stdout_str().contains("widened again"),
        "read once readable",
    );
    assert_eq!(briefs_held(&env), 3);
}

/// A tmpfs of `size` mounted at `dir` for the life of the guard (root
/// only); unmounted on drop, also when the test fails.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .ok()?;
        status.success().then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_named_as_the_cause() {
    let env = TestEnv::new();
    if !running_as_root() {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let Some(disk) = Tmpfs::mount(&env.root().join("small"), "400k") else {
        eprintln!("skipped: mount -t tmpfs failed here");
        return;
    };
    // About 2 MB of briefs into a 400 KB disk.
    let filler: String = (0..40)
        .map(|i| format!("- Bullet number {i} says the harbour report came in long again.\n"))
        .collect();
    for n in 0..300 {
        env.write(
            &format!("b{n}.txt"),
            format!("Harbour report {n} — Desk\n{filler}"),
        );
    }
    let idx = disk.0.join("idx");
    let run = Run::of({
        let mut cmd = env.command_without_index(&["--index"]);
        cmd.arg(&idx).args(["index", "briefs"]);
        cmd
    });
    run.assert_status(2);
    let stderr = run.stderr_str();
    run.check(
        stderr.contains("cannot write to index") && stderr.contains("No space left on device"),
        "the full disk is named, not a killed writer",
    );
}
