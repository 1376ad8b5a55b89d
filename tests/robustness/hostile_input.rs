//! Hostile input: a folder of bad files (binary, empty, undecodable, too
//! large, deeply nested or wrongly typed JSON, bad JSON Lines lines), odd
//! names (spaces, newlines, bytes that are not UTF-8), links (a loop, a
//! dangling one), an unreadable file, a 5 MiB line, files vanishing during
//! the walk and a FIFO. Each problem is one stderr line with its path (and
//! line), everything else is indexed, nothing hangs or panics, and peak
//! memory stays bounded. The hostile folder is a table of cases
//! ([`hostile_cases`]). The churn corpus has 1,500 briefs;
//! `BRIEFS_LONG_TESTS=1 cargo test --release --test main
//! robustness::hostile_input -- --nocapture` makes it 6,000.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use super::{
    Counts, Rng, assert_no_duplicates, assert_no_panic, command_at, good_brief, long_tests,
    run_bounded, stats_at, stderr_lossy,
};
use crate::common::{TestEnv, briefs_bin};

/// What one entry of the hostile folder is.
enum Entry {
    /// A file holding these bytes.
    File(Vec<u8>),
    /// A file of `chunk` over and over, until it holds at least `bytes`
    /// bytes (written piece by piece).
    Repeated { chunk: String, bytes: usize },
    /// A file holding these bytes that nobody may read (mode 000). As root,
    /// who reads it all the same, it is a good brief instead.
    Unreadable(Vec<u8>),
    /// A symbolic link to this target (followed only with `-L`).
    Link(&'static str),
}

/// One entry of the hostile folder, and what `briefs index hostile` must
/// make of it.
struct Case {
    /// What the case is, for failure messages.
    name: &'static str,
    /// Where it goes under `hostile/` (any bytes; folders are created).
    path: &'static [u8],
    entry: Entry,
    /// The briefs, points and summaries it adds to the index.
    adds: (u64, u64, u64),
    /// Words that `search --kind all` must then find.
    finds: &'static [&'static str],
    /// Words that `search --kind article` must find (words of a body).
    finds_in_articles: &'static [&'static str],
    /// Words that `search` must not find.
    never_finds: &'static [&'static str],
    /// The problems reported for it: the line, and words of the reason.
    problems: &'static [(Option<usize>, &'static str)],
}

/// A case that adds nothing and is reported with nothing.
const NOTHING: Case = Case {
    name: "",
    path: b"",
    entry: Entry::File(Vec::new()),
    adds: (0, 0, 0),
    finds: &[],
    finds_in_articles: &[],
    never_finds: &[],
    problems: &[],
};

impl Case {
    /// The path as `briefs` shows it.
    fn shown(&self) -> String {
        format!("hostile/{}", String::from_utf8_lossy(self.path))
    }

    /// Whether it is a file (links are not).
    fn is_file(&self) -> bool {
        !matches!(self.entry, Entry::Link(_))
    }

    /// Whether its briefs are read: all but an unreadable file, unless
    /// `privileged` (root) reads it anyway.
    fn is_read(&self, privileged: bool) -> bool {
        privileged || !matches!(self.entry, Entry::Unreadable(_))
    }

    /// The problems reported for it.
    fn reported(&self, privileged: bool) -> &'static [(Option<usize>, &'static str)] {
        match self.entry {
            Entry::Unreadable(_) if privileged => &[],
            _ => self.problems,
        }
    }
}

/// The hostile folder: good files (some with hostile shapes or names),
/// links, bad files, and an unreadable one.
fn hostile_cases(rng: &mut Rng) -> Vec<Case> {
    let body_line: String = (0..(5 << 20) / 8)
        .map(|i| if i % 2 == 0 { "filler " } else { "padding " })
        .collect();
    let jsonl_line = json!({"headline": "Wide JSON Line", "summaries": ["longjsonword summary."], "body": body_line});
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00".to_vec();
    png.extend((0..4096).map(|_| rng.next() as u8));
    let mut random: Vec<u8> = (0..8192).map(|_| rng.next() as u8).collect();
    random[100] = 0;
    let mixed = [
        json!({"headline": "Mixed Good One", "points": ["✅ mixedalpha point"]}).to_string(),
        "not json at all".to_string(),
        json!({"headline": "Mixed Good Two", "points": ["✅ mixedbeta point"]}).to_string(),
        r#"{"headline" "no colon"}"#.to_string(),
        json!({"headline": "Mixed Good Three", "points": ["✅ mixedgamma point"]}).to_string(),
        "[1, 2, 3]".to_string(),
        String::new(),
        "[".repeat(100_000),
        json!({"headline": "Mixed Good Four", "points": ["✅ mixeddelta point"]}).to_string(),
    ]
    .join("\n");
    let typed = [
        r#"{"headline": ["a list"]}"#,
        r#"{"headline": "Typed Two", "points": "not a list"}"#,
        r#"{"headline": "Typed Three", "summaries": [1, 2]}"#,
        r#"{"headline": "Typed Four", "date": {"day": 1}}"#,
        r#"{"headline": "Typed Five", "id": true}"#,
        r#"{"headline": "Typed Good", "summaries": ["typedgoodword here"]}"#,
    ]
    .join("\r\n");
    let good = |headline: &str, word: &str| Entry::File(good_brief(headline, word).into_bytes());
    vec![
        // Good files, some with hostile shapes.
        Case {
            name: "a plain brief",
            path: b"good.txt",
            entry: good("Plain Good Brief", "goodtextword"),
            adds: (1, 1, 1),
            finds: &["goodtextword"],
            ..NOTHING
        },
        Case {
            name: "a text brief with a 5 MiB body line",
            path: b"long-line.txt",
            entry: Entry::File(
                format!(
                    "Long Line Brief — Wide Desk\n- longtxtword summary.\n{body_line} longbodyword\n"
                )
                .into_bytes(),
            ),
            adds: (1, 0, 1),
            finds: &["longtxtword"],
            finds_in_articles: &["longbodyword"],
            ..NOTHING
        },
        Case {
            name: "a JSON Lines brief on one 5 MiB line",
            path: b"long-line.jsonl",
            entry: Entry::File(format!("{jsonl_line}\n").into_bytes()),
            adds: (1, 0, 1),
            finds: &["longjsonword"],
            ..NOTHING
        },
        Case {
            name: "a name with a space",
            path: b"with space.txt",
            entry: good("Spaced Name", "spacednameword"),
            adds: (1, 1, 1),
            finds: &["spacednameword"],
            ..NOTHING
        },
        Case {
            name: "a name with a newline",
            path: b"new\nline.txt",
            entry: good("Newline Name", "newlinenameword"),
            adds: (1, 1, 1),
            finds: &["newlinenameword"],
            ..NOTHING
        },
        Case {
            name: "a name that is not UTF-8",
            path: b"latin-\xe9.txt",
            entry: good("Latin Name", "latinnameword"),
            adds: (1, 1, 1),
            finds: &["latinnameword"],
            ..NOTHING
        },
        Case {
            name: "a brief in a folder named like a brief",
            path: b"folder.txt/inner.txt",
            entry: good("Inner Folder", "innerfolderword"),
            adds: (1, 1, 1),
            finds: &["innerfolderword"],
            ..NOTHING
        },
        // links/inner/up → links: a folder linked to its parent; and a link
        // to nothing. Only `-L` (below) follows them.
        Case {
            name: "a brief beside a link to its parent folder",
            path: b"links/inner/inside.txt",
            entry: good("Loop Folder", "loopfolderword"),
            adds: (1, 1, 1),
            finds: &["loopfolderword"],
            ..NOTHING
        },
        Case {
            name: "a link to its parent folder",
            path: b"links/inner/up",
            entry: Entry::Link(".."),
            ..NOTHING
        },
        Case {
            name: "a link to nothing",
            path: b"links/dangling.txt",
            entry: Entry::Link("does-not-exist.txt"),
            ..NOTHING
        },
        // Bad files.
        Case {
            name: "a PNG named .txt",
            path: b"image.txt",
            entry: Entry::File(png),
            problems: &[(None, "binary file")],
            ..NOTHING
        },
        Case {
            name: "random bytes with a NUL",
            path: b"random.md",
            entry: Entry::File(random),
            problems: &[(None, "binary file")],
            ..NOTHING
        },
        Case {
            name: "a byte that is in no code page",
            path: b"cp.txt",
            entry: Entry::File(b"Undecodable Brief\n- this byte \x81 is in no code page\n".to_vec()),
            problems: &[(Some(2), "not UTF-8")],
            ..NOTHING
        },
        Case {
            name: "a NUL byte in a text brief",
            path: b"nul.txt",
            entry: Entry::File(b"NUL Brief \xe2\x80\x94 Desk\n- text\x00more\n".to_vec()),
            problems: &[(None, "binary file")],
            ..NOTHING
        },
        Case {
            name: "an empty file",
            path: b"empty.txt",
            entry: Entry::File(Vec::new()),
            problems: &[(None, "empty file")],
            ..NOTHING
        },
        Case {
            name: "a 50 MiB text file",
            path: b"huge.txt",
            entry: Entry::Repeated {
                chunk: good_brief("Huge Brief", "hugefileword").repeat(1000),
                bytes: 50 << 20,
            },
            never_finds: &["hugefileword"],
            problems: &[(None, "too large")],
            ..NOTHING
        },
        Case {
            name: "JSON nested 100,000 deep",
            path: b"deep.json",
            entry: Entry::File("[".repeat(100_000).into_bytes()),
            problems: &[(Some(1), "malformed JSON")],
            ..NOTHING
        },
        Case {
            name: "a JSON brief of the wrong types",
            path: b"typed.json",
            entry: Entry::File(br#"{"headline": 42, "points": "x"}"#.to_vec()),
            problems: &[(Some(1), "`headline` must be a string")],
            ..NOTHING
        },
        Case {
            name: "JSON Lines with bad lines among good ones",
            path: b"mixed.jsonl",
            entry: Entry::File(mixed.into_bytes()),
            adds: (4, 4, 0),
            finds: &["mixedalpha", "mixedbeta", "mixedgamma", "mixeddelta"],
            never_finds: &["mixedcut"],
            problems: &[
                (Some(2), "malformed JSON"),
                (Some(4), "malformed JSON"),
                (Some(6), "expected a JSON object"),
                (Some(8), "malformed JSON"),
            ],
            ..NOTHING
        },
        Case {
            name: "JSON Lines (CRLF) of wrongly typed briefs and one good one",
            path: b"typed.jsonl",
            entry: Entry::File(typed.into_bytes()),
            adds: (1, 0, 1),
            finds: &["typedgoodword"],
            problems: &[
                (Some(1), "`headline` must be a string"),
                (Some(2), "`points` must be an array"),
                (Some(3), "`summaries[0]` must be a string"),
                (Some(4), "`date` must be a string"),
                (Some(5), "`id` must be a string or a number"),
            ],
            ..NOTHING
        },
        Case {
            name: "an empty file whose name is not UTF-8",
            path: b"bad-\xfe name.txt",
            entry: Entry::File(Vec::new()),
            problems: &[(None, "empty file")],
            ..NOTHING
        },
        // Only meaningful where permissions are enforced (not as root).
        Case {
            name: "a file nobody may read",
            path: b"secret.txt",
            entry: Entry::Unreadable(good_brief("Secret Brief", "secretword").into_bytes()),
            adds: (1, 1, 1),
            finds: &["secretword"],
            problems: &[(None, "ermission denied")],
            ..NOTHING
        },
    ]
}

/// Makes `case` under `dir`; returns whether an unreadable file can be read
/// all the same (running as root).
fn make(dir: &Path, case: &Case) -> bool {
    let path = dir.join(OsStr::from_bytes(case.path));
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    match &case.entry {
        Entry::File(bytes) => std::fs::write(&path, bytes).expect("write hostile file"),
        Entry::Repeated { chunk, bytes } => {
            let mut file = std::fs::File::create(&path).expect("create");
            let mut written = 0;
            while written < *bytes {
                std::io::Write::write_all(&mut file, chunk.as_bytes()).expect("write");
                written += chunk.len();
            }
        }
        Entry::Unreadable(bytes) => {
            std::fs::write(&path, bytes).expect("write hostile file");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
            return std::fs::read(&path).is_ok();
        }
        Entry::Link(target) => std::os::unix::fs::symlink(target, &path).expect("symlink"),
    }
    false
}

/// Writes `bytes` to `<root>/<name>` where `name` may hold any bytes.
fn write_raw(root: &Path, name: &[u8], bytes: &[u8]) -> PathBuf {
    let path = root.join(OsStr::from_bytes(name));
    std::fs::write(&path, bytes).expect("write hostile file");
    path
}

#[test]
fn hostile_input_is_reported_and_the_rest_indexed() {
    let env = TestEnv::new();
    let dir = env.root().join("hostile");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut rng = Rng::for_test("hostile");
    let cases = hostile_cases(&mut rng);
    let mut privileged = false;
    for case in &cases {
        privileged |= make(&dir, case);
    }
    if privileged {
        eprintln!(
            "hostile: running as root, where chmod 000 is still readable; the unreadable-file case is skipped (the file is a good brief here)"
        );
    }

    // What the run must give, case by case.
    let mut good = Counts::default();
    let mut problems: Vec<(&Case, String, &str)> = Vec::new();
    let mut bad_files = BTreeSet::new();
    for case in &cases {
        if case.is_file() {
            good.files += 1;
        }
        if case.is_read(privileged) {
            let (briefs, points, summaries) = case.adds;
            good.add(Counts {
                briefs,
                points,
                summaries,
                files: 0,
            });
        }
        for &(line, reason) in case.reported(privileged) {
            let lead = match line {
                Some(line) => format!("briefs: {}:{line}: ", case.shown()),
                None => format!("briefs: {}: ", case.shown()),
            };
            problems.push((case, lead, reason));
            bad_files.insert(case.path);
        }
    }
    let tried = cases.len();

    // Index it, measuring peak memory when /usr/bin/time is there.
    let rss_file = env.root().join("rss.txt");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut cmd = env.scrubbed_command(time);
        cmd.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&rss_file)
            .arg(briefs_bin());
        cmd.arg("--index")
            .arg(env.index_dir())
            .args(["index", "hostile"]);
        cmd
    } else {
        env.command(&["index", "hostile"])
    };
    cmd.current_dir(env.root());
    let run = run_bounded(cmd, Duration::from_secs(300)).expect("index of hostile input finishes");
    assert_no_panic(&run);
    run.assert_status(1);
    let stderr = stderr_lossy(&run);
    let reported: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("briefs: "))
        .collect();
    for (case, lead, reason) in &problems {
        run.check(
            reported
                .iter()
                .any(|l| l.starts_with(lead) && l.contains(reason)),
            &format!("{}: stderr reports `{lead}… {reason}…`", case.name),
        );
    }
    run.check(
        reported.len() == problems.len(),
        &format!("exactly {} problems reported, one a line", problems.len()),
    );
    let stats = stats_at(&env, &env.index_dir());
    assert_eq!(
        Counts::of(&stats),
        good,
        "everything else is indexed\n{run}"
    );
    assert_eq!(
        stats["files_with_problems"].as_u64(),
        Some(bad_files.len() as u64),
        "{stats}"
    );
    for case in cases.iter().filter(|case| case.is_read(privileged)) {
        for (kind, words) in [("all", case.finds), ("article", case.finds_in_articles)] {
            for word in words {
                let search = env.run(&["search", "--kind", kind, word]);
                assert_no_panic(&search);
                search.check(
                    search.code() == Some(0),
                    &format!("{}: `{word}` is found (--kind {kind})", case.name),
                );
            }
        }
    }
    for case in &cases {
        for word in case.never_finds {
            let search = env.run(&["search", word]);
            assert_no_panic(&search);
            search.check(
                search.code() == Some(1),
                &format!("{}: `{word}` is not found", case.name),
            );
        }
    }
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse::<u64>().ok()));
    match rss {
        Some(kb) => {
            eprintln!(
                "hostile: {tried} hostile entries, peak RSS of the index run {} MiB",
                kb >> 10
            );
            assert!(kb < 1 << 20, "peak RSS {kb} KiB is over 1 GiB");
        }
        None => eprintln!(
            "hostile: {tried} hostile entries; /usr/bin/time not available, peak RSS not measured"
        ),
    }

    // Unchanged files: the same problems again, nothing re-read, still exit 1.
    let again = env.run(&["index", "hostile"]);
    assert_no_panic(&again);
    again.assert_status(1);
    let again_stderr = stderr_lossy(&again);
    let again_lines: Vec<&str> = again_stderr
        .lines()
        .filter(|l| l.starts_with("briefs: "))
        .collect();
    again.check(
        again_lines.len() == problems.len()
            && again_lines
                .iter()
                .all(|l| l.ends_with("(unchanged since it was last read)")),
        "a re-run reports the recorded problems as unchanged",
    );
    assert_eq!(Counts::of(&env.stats()), good);

    // Following links: the loop and the dangling link are reported, the
    // brief beside them is read once.
    let follow_idx = env.root().join("idx-follow");
    let follow = run_bounded(
        command_at(&env, &follow_idx, &["index", "-L", "hostile/links"]),
        Duration::from_secs(120),
    )
    .expect("index -L over a symbolic link loop finishes");
    assert_no_panic(&follow);
    follow.assert_status(1);
    let follow_stderr = stderr_lossy(&follow);
    follow.check(
        follow_stderr
            .lines()
            .any(|l| l.starts_with("briefs: hostile/links/inner/up: ") && l.contains("loop")),
        "-L reports the symbolic link loop with its path",
    );
    follow.check(
        follow_stderr
            .lines()
            .any(|l| l.starts_with("briefs: hostile/links/dangling.txt: ")),
        "-L reports the dangling link with its path",
    );
    follow.check(
        follow_stderr.lines().count() == 2,
        "nothing else is reported",
    );
    assert_eq!(
        Counts::of(&stats_at(&env, &follow_idx)),
        Counts {
            briefs: 1,
            points: 1,
            summaries: 1,
            files: 1
        },
        "-L reads the brief beside the loop once"
    );

    for case in &cases {
        if let Entry::Unreadable(_) = case.entry {
            let path = dir.join(OsStr::from_bytes(case.path));
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))
                .expect("chmod back");
        }
    }
}

/// Two files whose names differ only in bytes that are not UTF-8 are two
/// files, and both are indexed.
#[test]
fn non_utf8_names_that_differ_only_in_invalid_bytes_are_both_indexed() {
    let env = TestEnv::new();
    let dir = env.briefs_dir();
    std::fs::create_dir_all(&dir).expect("mkdir");
    write_raw(
        &dir,
        b"a-\xe9.txt",
        good_brief("First Latin", "firstlatinword").as_bytes(),
    );
    write_raw(
        &dir,
        b"a-\xff.txt",
        good_brief("Second Latin", "secondlatinword").as_bytes(),
    );
    let run = env.run(&["index", "briefs"]);
    assert_no_panic(&run);
    run.assert_status(0);
    assert_eq!(Counts::of(&env.stats()).briefs, 2, "{run}");
    env.run(&["search", "firstlatinword"]).assert_status(0);
    env.run(&["search", "secondlatinword"]).assert_status(0);
}

/// A JSON Lines line cut short (the usual damage in an export) is reported
/// at its own line, not the next one.
#[test]
fn a_truncated_jsonl_line_is_reported_at_its_own_line() {
    let env = TestEnv::new();
    env.write(
        "w.jsonl",
        "{\"headline\": \"cut off\n{\"headline\": \"Good Line\"}\n{\"headline\": \"no end\"\n",
    );
    let run = env.run(&["index", "briefs"]);
    assert_no_panic(&run);
    run.assert_status(1);
    let stderr = stderr_lossy(&run);
    run.check(
        stderr.contains("briefs: briefs/w.jsonl:1: "),
        "line 1 is reported as line 1",
    );
    run.check(
        stderr.contains("briefs: briefs/w.jsonl:3: "),
        "line 3 is reported as line 3",
    );
    run.check(
        !stderr.contains("w.jsonl:2:") && !stderr.contains("w.jsonl:4:"),
        "no other line is blamed",
    );
}

/// Files created and deleted while `briefs index` walks and reads: each
/// vanished file is reported with its path (or was never seen), nothing
/// panics, and the next run matches what is on disk.
#[test]
fn files_vanishing_during_the_walk_are_reported_and_the_next_run_matches_the_disk() {
    let env = TestEnv::new();
    let n = if long_tests() { 6000 } else { 1500 };
    for i in 0..n {
        env.write(
            &format!("stable/s{:02}/b{i}.txt", i % 20),
            format!("Stable Brief {i} — Desk\n📌 stableword point {i}.\n"),
        );
    }
    let churn_dir = env.briefs_dir().join("churn");
    std::fs::create_dir_all(&churn_dir).expect("mkdir");
    let stop = Arc::new(AtomicBool::new(false));
    let churned = Arc::new(AtomicUsize::new(0));
    let worker = {
        let stop = Arc::clone(&stop);
        let churned = Arc::clone(&churned);
        let dir = churn_dir.clone();
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let text = format!("Churn Brief {i} — Desk\n📌 churnword point {i}.\n");
                let _ = std::fs::write(dir.join(format!("c{:03}.txt", i % 200)), text);
                if i >= 100 {
                    let _ = std::fs::remove_file(dir.join(format!("c{:03}.txt", (i - 100) % 200)));
                }
                i += 1;
                churned.store(i, Ordering::Relaxed);
            }
        })
    };
    let run = run_bounded(env.command(&["index", "briefs"]), Duration::from_secs(300))
        .expect("index finishes while files churn");
    stop.store(true, Ordering::Relaxed);
    worker.join().expect("churn thread");
    assert_no_panic(&run);
    run.check(
        matches!(run.code(), Some(0 | 1)),
        "exit 0 or 1 while files churn",
    );
    let stderr = stderr_lossy(&run);
    let reported: Vec<&str> = stderr.lines().collect();
    for line in &reported {
        run.check(
            line.starts_with("briefs: briefs/churn/c"),
            "every problem names a churned file",
        );
    }
    eprintln!(
        "churn: {} files written or deleted during the run, {} reported as vanished or incomplete",
        churned.load(Ordering::Relaxed),
        reported.len()
    );
    // Settle, then the index must match the disk exactly.
    let settled = env.run(&["index", "briefs"]);
    assert_no_panic(&settled);
    settled.assert_status(0);
    let on_disk = std::fs::read_dir(&churn_dir).expect("read churn").count() as u64;
    let stats = Counts::of(&env.stats());
    assert_eq!(
        stats,
        Counts {
            briefs: n as u64 + on_disk,
            points: n as u64 + on_disk,
            summaries: 0,
            files: n as u64 + on_disk,
        },
        "after the churn stops, one run brings the index to what is on disk"
    );
    assert_no_duplicates(&env.index_dir(), "after churn");
}

/// A FIFO (or another special file) reached through `-L` must not block the
/// run forever.
#[test]
fn special_files_reached_with_follow_do_not_hang_the_run() {
    let env = TestEnv::new();
    env.write(
        "good.txt",
        good_brief("Fifo Neighbour", "fifoneighbourword"),
    );
    let made = Command::new("mkfifo")
        .arg(env.briefs_dir().join("pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("fifo: mkfifo is not available; skipped");
        return;
    }
    // Without -L the FIFO is not a regular file and is passed over.
    let plain = run_bounded(env.command(&["index", "briefs"]), Duration::from_secs(60))
        .expect("index without -L finishes");
    assert_no_panic(&plain);
    plain.assert_status(0);
    let follow = run_bounded(
        command_at(
            &env,
            &env.root().join("idx-follow"),
            &["index", "-L", "briefs"],
        ),
        Duration::from_secs(30),
    );
    let follow = follow.expect("`briefs index -L` over a FIFO finishes instead of blocking");
    assert_no_panic(&follow);
    follow.check(matches!(follow.code(), Some(0 | 1)), "exit 0 or 1");
}
