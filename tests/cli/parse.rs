//! `briefs parse`: every key of `--json` for every fixture (checked
//! against a table of what each key holds), a file that is not a brief
//! among good ones, CRLF, byte-order marks and trailing spaces, and the
//! real seed brief in `../shared/seed` (`BRIEFS_SHARED_DIR` moves it,
//! `BRIEFS_REQUIRE_SHARED=1` fails when it is missing instead of skipping;
//! CI runs `cargo test --test main cli::parse::seed_parses_as_documented`).

use std::path::PathBuf;

use serde_json::Value;

use super::fixture_paths;
use crate::common::{self, Run, TestEnv};

// ---------------------------------------------------------------------------
// 7–8: parse

/// What a key of `briefs parse --json` holds.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Anything: the key must be there.
    Any,
    /// A string.
    Text,
    /// A string that is not empty.
    NonEmptyText,
    /// A string or null.
    TextOrNull,
    /// A whole number, 0 or more.
    Number,
    /// An array of strings.
    Texts,
    /// An array of objects with these keys.
    Objects(&'static [(&'static str, Shape)]),
}

impl Shape {
    fn holds(self, value: &Value) -> bool {
        match self {
            Shape::Any => true,
            Shape::Text => value.is_string(),
            Shape::NonEmptyText => value.as_str().is_some_and(|text| !text.is_empty()),
            Shape::TextOrNull => value.is_string() || value.is_null(),
            Shape::Number => value.is_u64(),
            Shape::Texts => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            Shape::Objects(_) => value.is_array(),
        }
    }
}

/// Every key of a parsed brief and what it holds (the README's `parse --json`).
const BRIEF_SHAPE: &[(&str, Shape)] = &[
    ("path", Shape::Text),
    ("line", Shape::Number),
    ("id", Shape::Text),
    ("headline", Shape::NonEmptyText),
    ("source", Shape::TextOrNull),
    ("date", Shape::TextOrNull),
    ("url", Shape::TextOrNull),
    ("points", Shape::Objects(POINT_SHAPE)),
    ("summaries", Shape::Objects(SUMMARY_SHAPE)),
    ("body", Shape::Texts),
];

const POINT_SHAPE: &[(&str, Shape)] = &[
    ("marker", Shape::Text),
    ("emoji", Shape::Any),
    ("text", Shape::Text),
];

const SUMMARY_SHAPE: &[(&str, Shape)] = &[("text", Shape::Text)];

/// Checks that `object` (`what`, for messages) has every key of `shape`,
/// each holding what the shape says, down into arrays of objects.
fn check_shape(what: &str, object: &Value, shape: &[(&str, Shape)], run: &Run) {
    run.check(
        object.is_object(),
        &format!("{what} is not a JSON object: {object}"),
    );
    for &(key, expected) in shape {
        let value = object
            .get(key)
            .unwrap_or_else(|| panic!("{what} has no `{key}`: {object}\n{run}"));
        run.check(
            expected.holds(value),
            &format!("{what}.{key} is not {expected:?}: {object}"),
        );
        if let (Shape::Objects(inner), Some(items)) = (expected, value.as_array()) {
            for item in items {
                check_shape(&format!("{what}.{key}[]"), item, inner, run);
            }
        }
    }
}

fn check_brief_shape(brief: &Value, run: &Run) {
    check_shape("brief", brief, BRIEF_SHAPE, run);
}

#[test]
fn parse_json_writes_every_key_for_every_fixture() {
    let env = TestEnv::new();
    env.copy_fixtures();
    let mut args = vec!["parse".to_string(), "--json".to_string()];
    args.extend(fixture_paths());
    let run = env.run(&args);
    run.assert_status(0).assert_quiet_stderr();
    let briefs = run.json_lines();
    // Six files, one of them a JSON Lines file with three briefs.
    assert_eq!(briefs.len(), 8, "{run}");
    for brief in &briefs {
        check_brief_shape(brief, &run);
    }
    let paths: Vec<&str> = briefs.iter().filter_map(|b| b["path"].as_str()).collect();
    for path in fixture_paths() {
        assert!(paths.contains(&path.as_str()), "{path} not parsed\n{run}");
    }
}

#[test]
fn parse_names_a_non_brief_file_and_parses_the_others() {
    let env = TestEnv::new();
    env.write("first.txt", "Canal Locks Reopen\n- Boats pass again.\n");
    env.write("junk.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    env.write(
        "last.md",
        "# Pier Lights Fixed\n💡 The pier is lit again.\n",
    );
    let run = env.run(&[
        "parse",
        "--json",
        "briefs/first.txt",
        "briefs/junk.txt",
        "briefs/last.md",
    ]);
    run.assert_status(1);
    let briefs = run.json_lines();
    let paths: Vec<&str> = briefs.iter().filter_map(|b| b["path"].as_str()).collect();
    assert_eq!(paths, ["briefs/first.txt", "briefs/last.md"], "{run}");
    let stderr = run.stderr_str();
    run.check(
        stderr.lines().count() == 1 && stderr.starts_with("briefs: briefs/junk.txt: binary file"),
        "stderr names the binary file, once",
    );
}

/// The seed folder: `$BRIEFS_SHARED_DIR/seed` (relative to the crate when
/// relative), else `../shared/seed`.
fn seed_dir() -> PathBuf {
    match std::env::var_os("BRIEFS_SHARED_DIR") {
        Some(shared) => common::manifest_dir().join(shared).join("seed"),
        None => common::manifest_dir()
            .join("..")
            .join("shared")
            .join("seed"),
    }
}

fn is_greek(c: char) -> bool {
    ('\u{0370}'..='\u{03FF}').contains(&c)
}

#[test]
fn seed_parses_as_documented() {
    let dir = seed_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        let required = std::env::var_os("BRIEFS_REQUIRE_SHARED").is_some_and(|v| v == "1");
        assert!(
            !required,
            "BRIEFS_REQUIRE_SHARED=1 but no seed briefs in {}",
            dir.display()
        );
        println!(
            "skipped: ../shared/seed not found (looked in {})",
            dir.display()
        );
        return;
    }

    let env = TestEnv::new();
    let mut args: Vec<std::ffi::OsString> = vec!["parse".into(), "--json".into()];
    args.extend(files.iter().map(|f| f.clone().into_os_string()));
    let run = env.run(&args);
    run.assert_status(0).assert_quiet_stderr();
    let briefs = run.json_lines();
    assert_eq!(briefs.len(), files.len(), "one brief per seed file\n{run}");
    let brief = &briefs[0];
    check_brief_shape(brief, &run);
    assert_eq!(
        brief["headline"], "Alibaba Stock Plunges: Anthropic IP Allegations",
        "{run}"
    );
    assert_eq!(brief["source"], "The AI Chronicle", "{run}");
    let points = brief["points"].as_array().unwrap();
    let summaries = brief["summaries"].as_array().unwrap();
    assert_eq!(points.len(), 10, "{run}");
    assert_eq!(summaries.len(), 7, "{run}");
    for point in points {
        let marker = point["marker"].as_str().unwrap_or_default();
        assert!(!marker.is_empty(), "point without a marker: {point}");
    }
    let mut texts: Vec<&str> = vec![
        brief["headline"].as_str().unwrap(),
        brief["source"].as_str().unwrap(),
    ];
    texts.extend(points.iter().map(|p| p["text"].as_str().unwrap()));
    texts.extend(summaries.iter().map(|s| s["text"].as_str().unwrap()));
    for text in texts {
        assert!(
            !text.chars().any(is_greek),
            "Greek mojibake left in {text:?}"
        );
        assert!(
            !text.contains('Â') && !text.contains("â€"),
            "Windows-1252 mojibake left in {text:?}"
        );
        let first = text.chars().next().unwrap_or(' ');
        assert!(
            first.is_ascii_alphanumeric() || "\"'(“‘".contains(first),
            "text starts with {first:?}: {text:?}"
        );
    }
}

#[test]
fn crlf_byte_order_mark_and_trailing_spaces_change_nothing() {
    let env = TestEnv::new();
    let clean = std::fs::read_to_string(common::fixtures_dir().join("orchard-prize.txt")).unwrap();
    let mut messy = String::from("\u{feff}");
    for line in clean.lines() {
        messy.push_str(line);
        messy.push_str("   \r\n");
    }
    env.write("clean.txt", &clean);
    env.write("messy.txt", messy);
    let run = env.run(&["parse", "--json", "briefs/clean.txt", "briefs/messy.txt"]);
    run.assert_status(0);
    let mut briefs = run.json_lines();
    assert_eq!(briefs.len(), 2, "{run}");
    for brief in &mut briefs {
        let object = brief.as_object_mut().unwrap();
        object.remove("path");
        object.remove("id");
    }
    assert_eq!(briefs[0], briefs[1], "{run}");
}
