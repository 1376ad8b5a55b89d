//! Indexes from another version: another schema, a commit payload of a
//! future version or of another program, segments of another Tantivy
//! format and a damaged `meta.json` each give one line naming `--rebuild`
//! and exit 2, change nothing, and `index --rebuild` replaces them (leaving
//! other files in the folder alone); an empty index of our schema with no
//! payload (a first run killed before its first commit) is simply used. No
//! long form: `cargo test --test main robustness::versions`.

use std::path::Path;

use serde_json::{Value, json};

use super::{
    Counts, assert_no_panic, is_segment_file_name, orphan_files, run_at, snapshot, stats_at,
    stderr_lossy,
};
use crate::common::TestEnv;

fn write_two_briefs(env: &TestEnv) {
    env.write(
        "one.txt",
        "Version Brief One — Desk\n📉 versionword point one.\n- Summary one.\n",
    );
    env.write(
        "two.txt",
        "Version Brief Two — Desk\n📈 versionword point two.\n",
    );
}

/// Every reading and writing command gives one line naming `--rebuild`,
/// exit 2, changes nothing; `index --rebuild` then works.
fn assert_other_version_handled(env: &TestEnv, idx: &Path, case: &str) {
    let before = snapshot(idx, &[]);
    for args in [
        vec!["search", "versionword"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["index", "briefs"],
        vec!["show", "briefs/one.txt"],
        vec!["related", "briefs/one.txt#p1"],
    ] {
        let run = run_at(env, idx, &args);
        assert_no_panic(&run);
        run.assert_status(2);
        let stderr = stderr_lossy(&run);
        run.check(
            stderr.lines().count() == 1 && stderr.contains("--rebuild"),
            &format!("{case}: one line naming --rebuild"),
        );
        run.check(run.output.stdout.is_empty(), "nothing on stdout");
    }
    assert_eq!(
        before,
        snapshot(idx, &[]),
        "{case}: the failed commands changed the index folder"
    );
    std::fs::write(idx.join("NOTES.txt"), "keep me").expect("write a user file");
    let rebuild = run_at(env, idx, &["index", "--rebuild", "briefs"]);
    assert_no_panic(&rebuild);
    rebuild.assert_status(0);
    let stats = Counts::of(&stats_at(env, idx));
    assert_eq!(
        stats,
        Counts {
            briefs: 2,
            points: 2,
            summaries: 1,
            files: 2
        },
        "{case}: after --rebuild"
    );
    run_at(env, idx, &["search", "versionword"]).assert_status(0);
    assert!(
        idx.join("NOTES.txt").exists(),
        "{case}: --rebuild removes only the index's own files"
    );
    assert!(
        orphan_files(idx).iter().all(|f| f == "NOTES.txt"),
        "{case}: {:?}",
        orphan_files(idx)
    );
}

fn edit_meta(idx: &Path, edit: impl FnOnce(&mut Value)) {
    let path = idx.join("meta.json");
    let mut meta: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read meta")).expect("meta JSON");
    edit(&mut meta);
    std::fs::write(&path, serde_json::to_vec_pretty(&meta).expect("serialise"))
        .expect("write meta");
}

fn edit_payload(idx: &Path, edit: impl FnOnce(&mut Value)) {
    edit_meta(idx, |meta| {
        let mut payload: Value =
            serde_json::from_str(meta["payload"].as_str().expect("payload string"))
                .expect("payload JSON");
        edit(&mut payload);
        meta["payload"] = Value::String(payload.to_string());
    });
}

/// The Tantivy schema in the `meta.json` of an index `briefs` wrote.
fn written_schema(idx: &Path) -> tantivy::schema::Schema {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(idx.join("meta.json")).expect("read meta"))
            .expect("meta JSON");
    serde_json::from_value(meta["schema"].clone()).expect("meta.json holds a Tantivy schema")
}

#[test]
fn indexes_from_another_version_explain_and_rebuild() {
    let env = TestEnv::new();
    write_two_briefs(&env);

    // A Tantivy index with another schema, with a document in it.
    let foreign = env.root().join("foreign");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    {
        let mut builder = tantivy::schema::Schema::builder();
        let title =
            builder.add_text_field("title", tantivy::schema::TEXT | tantivy::schema::STORED);
        let index =
            tantivy::Index::create_in_dir(&foreign, builder.build()).expect("create foreign");
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        writer
            .add_document(tantivy::doc!(title => "versionword in another schema"))
            .expect("add");
        writer.commit().expect("commit");
    }
    assert_other_version_handled(&env, &foreign, "another schema");

    // Our schema, but a commit payload from a future version.
    let future = env.root().join("future");
    run_at(&env, &future, &["index", "briefs"]).assert_status(0);
    edit_payload(&future, |p| p["version"] = json!(999));
    assert_other_version_handled(&env, &future, "payload version 999");

    // Another program's payload.
    let other = env.root().join("other");
    run_at(&env, &other, &["index", "briefs"]).assert_status(0);
    edit_payload(&other, |p| p["format"] = json!("not-briefs"));
    assert_other_version_handled(&env, &other, "payload format not-briefs");

    // Our schema, no payload and no segments: what a first run killed before
    // its first commit leaves. It is ours and empty, so it is simply used.
    // The schema is the one a run of `briefs index` wrote into meta.json.
    let bare = env.root().join("bare");
    std::fs::create_dir_all(&bare).expect("mkdir");
    tantivy::Index::create_in_dir(&bare, written_schema(&other)).expect("create bare");
    run_at(&env, &bare, &["search", "versionword"]).assert_status(1);
    run_at(&env, &bare, &["index", "briefs"]).assert_status(0);
}

/// Segment files written by a newer Tantivy (index format 9 in each file's
/// footer) are an index from another version too.
#[test]
fn an_index_written_by_another_tantivy_format_explains_and_rebuilds() {
    let env = TestEnv::new();
    write_two_briefs(&env);
    let newer = env.root().join("newer");
    run_at(&env, &newer, &["index", "briefs"]).assert_status(0);
    let mut patched = 0;
    for entry in std::fs::read_dir(&newer).expect("read index") {
        let path = entry.expect("entry").path();
        if !is_segment_file_name(&path.file_name().expect("name").to_string_lossy()) {
            continue;
        }
        let mut bytes = std::fs::read(&path).expect("read segment file");
        let from = br#""index_format_version":7}"#;
        let at = bytes
            .windows(from.len())
            .rposition(|w| w == from)
            .unwrap_or_else(|| panic!("no format version in the footer of {}", path.display()));
        bytes[at + from.len() - 2] = b'9';
        std::fs::write(&path, bytes).expect("write segment file");
        patched += 1;
    }
    assert!(patched > 0, "no segment files to patch");
    assert_other_version_handled(&env, &newer, "index format 9 in the segment footers");
}

/// A damaged `meta.json` gives an error, never a panic; `--rebuild` is
/// documented as the way out of an unusable index and should work.
#[test]
fn a_corrupt_meta_json_can_be_rebuilt() {
    let env = TestEnv::new();
    write_two_briefs(&env);
    env.run(&["index", "briefs"]).assert_status(0);
    std::fs::write(env.index_dir().join("meta.json"), b"{\"segments\": [tru")
        .expect("corrupt meta");
    for args in [
        vec!["search", "versionword"],
        vec!["stats"],
        vec!["index", "briefs"],
    ] {
        let run = env.run(&args);
        assert_no_panic(&run);
        run.assert_status(2);
        run.check(
            stderr_lossy(&run).contains("--rebuild"),
            "the message names --rebuild",
        );
    }
    let rebuild = env.run(&["index", "--rebuild", "briefs"]);
    assert_no_panic(&rebuild);
    rebuild.assert_status(0);
    assert_eq!(Counts::of(&env.stats()).briefs, 2);
}

#[test]
fn a_corrupt_meta_json_is_an_error_not_a_panic() {
    let env = TestEnv::new();
    write_two_briefs(&env);
    env.run(&["index", "briefs"]).assert_status(0);
    for garbage in [&b"{\"segments\": [tru"[..], b"", b"\xff\xfe\x00", b"[]"] {
        std::fs::write(env.index_dir().join("meta.json"), garbage).expect("corrupt meta");
        for args in [
            vec!["search", "versionword"],
            vec!["stats"],
            vec!["index", "briefs"],
            vec!["index", "--rebuild", "briefs"],
        ] {
            let run = env.run(&args);
            assert_no_panic(&run);
            run.check(
                run.code() == Some(2) || (args[1] == "--rebuild" && run.code() == Some(0)),
                "a corrupt meta.json is exit 2 (or a successful rebuild)",
            );
            run.check(
                stderr_lossy(&run).lines().count() <= 1,
                "at most one line on stderr",
            );
        }
    }
}
