//! Paths that are not what they should be: a root to index that does not
//! exist, `--index` naming a file or a folder of the user's own files, and
//! flags whose value is not a date. Each is refused before anything is
//! written, with one line naming the path or flag, exit 2.

use crate::common::TestEnv;

/// Every entry under `dir`, sorted (an empty list when it does not exist).
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|list| {
            list.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_root_that_does_not_exist_is_an_error_and_creates_nothing() {
    let env = TestEnv::new();
    for args in [&["index", "no-such-folder"][..], &["index"][..]] {
        let run = env.run(args);
        run.assert_status(2);
        let stderr = run.stderr_str();
        let named = if args.len() > 1 {
            "no-such-folder"
        } else {
            "corpus"
        };
        run.check(
            stderr.lines().count() == 1
                && stderr.contains(named)
                && stderr.contains("no such file or folder"),
            "one line naming the missing path",
        );
        assert!(!env.index_dir().exists(), "{args:?}: no index was created");
    }
}

#[test]
fn index_naming_a_file_or_a_folder_of_other_files_is_refused() {
    let env = TestEnv::new();
    env.write("tram.txt", "Tram opens — Desk\n- The tram opened.\n");
    let file = env.write_at("notes.txt", "my notes");
    let mine = env.root().join("mine");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("budget.ods"), "mine").expect("write");
    for (dir, reason) in [(&file, "is a file"), (&mine, "budget.ods")] {
        for args in [
            vec!["index", "briefs"],
            vec!["search", "tram"],
            vec!["stats"],
        ] {
            let mut full = vec!["--index", dir.to_str().expect("utf-8 path")];
            full.extend(&args);
            let run = env.run_without_index(&full);
            run.assert_status(2);
            let stderr = run.stderr_str();
            run.check(
                stderr.lines().count() == 1
                    && stderr.contains("--index")
                    && stderr.contains(reason),
                "one line naming --index and why",
            );
        }
    }
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "my notes");
    assert_eq!(entries(&mine), ["budget.ods"], "nothing written beside it");
    // An empty folder is fine.
    let empty = env.root().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    env.run_without_index(&["--index", empty.to_str().expect("utf-8"), "index", "briefs"])
        .assert_status(0);
}

#[test]
fn days_a_month_does_not_have_are_errors_naming_the_flag() {
    let env = TestEnv::new();
    env.write(
        "tram.txt",
        "Tram opens — Desk\ndate: 2026-02-27\n- The tram opened.\n",
    );
    env.index();
    for (flag, day) in [
        ("--since", "2026-02-31"),
        ("--since", "2025-02-29"),
        ("--until", "2026-04-31"),
    ] {
        let run = env.run(&["search", flag, day, "tram"]);
        run.assert_status(2);
        let stderr = run.stderr_str();
        run.check(
            stderr.lines().count() == 1
                && stderr.contains(flag)
                && stderr.contains(day)
                && !stderr.contains("query:"),
            "one line naming the flag and the date, not a query error",
        );
    }
    env.run(&["search", "--since", "2024-02-29", "tram"])
        .assert_status(0);
}

#[test]
fn links_into_the_index_folder_are_never_read() {
    let env = TestEnv::new();
    env.write("tram.txt", "Tram opens — Desk\n- The tram opened.\n");
    env.index();
    let briefs = env.briefs_dir();
    std::os::unix::fs::symlink(env.index_dir(), briefs.join("idx-link")).expect("symlink");
    std::os::unix::fs::symlink(env.index_dir().join("meta.json"), briefs.join("meta.json"))
        .expect("symlink");
    let run = env.run(&["index", "-L", "briefs"]);
    run.assert_status(0);
    run.check(
        !run.stderr_str().contains("meta"),
        "nothing of the index read",
    );
    assert_eq!(env.stats()["briefs"], 1);
}

#[test]
fn a_root_whose_name_is_not_utf8_has_its_deleted_files_removed() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let root = env.root().join(std::ffi::OsStr::from_bytes(b"brief\xE9s"));
    std::fs::create_dir(&root).expect("mkdir");
    for name in ["a.txt", "b.txt"] {
        std::fs::write(
            root.join(name),
            format!("Story {name} — Desk\n- Words of {name}.\n"),
        )
        .expect("write");
    }
    let mut index = env.command(&["index"]);
    index.arg(&root);
    crate::common::Run::of(index).assert_status(0);
    assert_eq!(env.stats()["briefs"], 2);
    std::fs::remove_file(root.join("b.txt")).expect("rm");
    let mut again = env.command(&["index"]);
    again.arg(&root);
    let run = crate::common::Run::of(again);
    run.assert_status(0);
    run.check(
        run.stdout_str().contains("1 removed"),
        "the deleted file is removed",
    );
    assert_eq!(env.stats()["briefs"], 1);
}

#[test]
fn with_follow_a_removed_link_removes_its_briefs() {
    let env = TestEnv::new();
    env.write("inside.txt", "Inside story — Desk\n- Words from inside.\n");
    env.write_at(
        "outside/far.txt",
        "Far story — Desk\n- Words from far away.\n",
    );
    let link = env.briefs_dir().join("far-link.txt");
    std::os::unix::fs::symlink(env.root().join("outside/far.txt"), &link).expect("symlink");
    env.run(&["index", "-L", "briefs"]).assert_status(0);
    assert_eq!(env.stats()["briefs"], 2);
    env.run(&["search", "far"]).assert_status(0);
    std::fs::remove_file(&link).expect("rm link");
    let run = env.run(&["index", "-L", "briefs"]);
    run.assert_status(0);
    run.check(
        run.stdout_str().contains("1 removed"),
        "the link's brief is removed",
    );
    env.run(&["search", "far"]).assert_status(1);
    assert!(
        env.root().join("outside/far.txt").exists(),
        "the target is untouched"
    );
}

#[test]
fn rebuild_never_deletes_a_meta_json_that_is_not_an_index() {
    let env = TestEnv::new();
    env.write("tram.txt", "Tram opens — Desk\n- The tram opened.\n");
    let mine = env.root().join("mine");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("meta.json"), "{\"album\": \"holiday\"}").expect("write");
    std::fs::write(mine.join("photo.jpg"), "jpeg").expect("write");
    let dir = mine.to_str().expect("utf-8");
    let run = env.run_without_index(&["--index", dir, "index", "--rebuild", "briefs"]);
    run.assert_status(2);
    run.check(
        run.stderr_str().contains("--index"),
        "refused, naming --index",
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("meta.json")).expect("read"),
        "{\"album\": \"holiday\"}",
        "the user's meta.json is untouched"
    );
    assert_eq!(entries(&mine), ["meta.json", "photo.jpg"]);
}
