//! `briefs export --to quickwit|opensearch|typesense DIR`: each export
//! checked against the rules the engine documents (and enforces in its
//! source): names, field types, reserved fields, tokenizers and record
//! options, bulk format, id lengths, request sizes; and the same documents
//! and ids as the local index in every format. The Typesense export is also
//! imported into a real server by `tests/engines/typesense.sh`; Quickwit and
//! OpenSearch are checked against their rules only (neither installs here).
//!
//! Runs alone as `cargo test --test main cli::export`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::common::TestEnv;

/// An index of the fixtures, exported `--to ENGINE` into `<tmp>/out`.
fn exported(to: &str) -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::new();
    env.copy_fixtures();
    env.run(&["index", "briefs"]);
    let out = env.root().join("out");
    let run = env.run(&["export", "--to", to, out.to_str().unwrap()]);
    run.assert_status(0);
    run.check(
        run.stdout_str().starts_with("exported "),
        "export prints its summary line",
    );
    (env, out)
}

fn json_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?} is not JSON: {e}"))
}

/// Every file of `dir` whose name starts with `stem-`, in order.
fn parts(dir: &Path, stem: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{stem}-"))
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no {stem}-* files in {dir:?}");
    found
}

/// The lines of every part, each checked to end in `\n`, parsed as JSON.
fn ndjson(files: &[std::path::PathBuf], max_bytes: u64) -> Vec<Value> {
    let mut lines = Vec::new();
    for file in files {
        let size = std::fs::metadata(file).unwrap().len();
        assert!(
            size <= max_bytes,
            "{file:?} is {size} bytes, over {max_bytes}"
        );
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            text.ends_with('\n'),
            "{file:?}: the last line must end in \\n"
        );
        for line in text.lines() {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{file:?}: {e}: {line}"));
            assert!(
                value.is_object(),
                "{file:?}: a line that is not an object: {line}"
            );
            lines.push(value);
        }
    }
    lines
}

/// How many article and bullet documents the index holds.
fn index_documents(env: &TestEnv) -> usize {
    let stats = env.stats();
    ["articles", "points", "summaries"]
        .iter()
        .map(|k| stats[k].as_u64().unwrap() as usize)
        .sum()
}

/// The ids of `docs` (under `key`), checked unique, with the kinds found.
fn unique_ids(docs: &[&Value], key: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for doc in docs {
        let id = doc[key].as_str().expect("every document has a string id");
        assert!(ids.insert(id.to_string()), "id {id} twice");
    }
    ids
}

/// What every format must hold: one document per article and bullet, the
/// index's ids (bullet ids are their brief's id and `#p`/`#s` and a position).
fn check_same_documents(env: &TestEnv, docs: &[&Value], id_key: &str) {
    assert_eq!(
        docs.len(),
        index_documents(env),
        "one document per article and bullet"
    );
    let ids = unique_ids(docs, id_key);
    for doc in docs {
        let kind = doc["kind"].as_str().unwrap();
        let id = doc[id_key].as_str().unwrap();
        let brief = doc["brief_id"].as_str().unwrap();
        match kind {
            "article" => assert_eq!(id, brief),
            "point" | "summary" => {
                let letter = if kind == "point" { 'p' } else { 's' };
                let position = doc["position"].as_u64().unwrap();
                assert_eq!(id, format!("{brief}#{letter}{position}"));
                assert!(
                    ids.contains(brief),
                    "{id}: its brief {brief} is exported too"
                );
            }
            other => panic!("{id}: kind {other}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Quickwit 0.9: quickwit-config (validate_identifier), quickwit-doc-mapper
// (FIELD_MAPPING_NAME_PATTERN, QW_RESERVED_FIELD_NAMES, the tokenizer
// manager's built-in tokenizers, TextIndexingOptions::from_parts_text).

const QW_RESERVED: &[&str] = &["_source", "_dynamic", "_field_presence", "_doc_length"];
const QW_TOKENIZERS: &[&str] = &[
    "raw",
    "raw_lowercase",
    "lowercase",
    "default",
    "whitespace",
    "chinese_compatible",
    "source_code_default",
    "source_code_with_hex",
    "unicode_segmenter",
];
const QW_TYPES: &[&str] = &[
    "text", "u64", "i64", "f64", "bool", "ip", "datetime", "bytes", "json",
];

/// `^[a-zA-Z][a-zA-Z0-9-_\.]{2,254}$`
fn quickwit_index_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && (3..=255).contains(&id.len())
        && chars.all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// `^[@$_\-a-zA-Z][@$_/\.\-a-zA-Z0-9]{0,254}$`
fn quickwit_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || "@$_-".contains(c))
        && name.len() <= 255
        && chars.all(|c| c.is_ascii_alphanumeric() || "@$_/.-".contains(c))
}

#[test]
fn quickwit_export_follows_quickwit_rules() {
    let (env, out) = exported("quickwit");
    let config = json_file(&out.join("index-config.json"));
    assert_eq!(config["version"], "0.9");
    let id = config["index_id"].as_str().unwrap();
    assert!(quickwit_index_id(id), "index_id {id}");
    let mapping = &config["doc_mapping"];
    assert_eq!(mapping["mode"], "strict");
    let fields = mapping["field_mappings"].as_array().unwrap();
    let mut by_name: HashMap<&str, &Value> = HashMap::new();
    for field in fields {
        let name = field["name"].as_str().unwrap();
        assert!(quickwit_field_name(name), "field name {name}");
        assert!(!QW_RESERVED.contains(&name), "{name} is reserved");
        assert!(by_name.insert(name, field).is_none(), "{name} twice");
        let ty = field["type"].as_str().unwrap();
        let base = ty
            .strip_prefix("array<")
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(ty);
        assert!(QW_TYPES.contains(&base), "{name}: type {ty}");
        let indexed = field
            .get("indexed")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if base == "text" && indexed {
            let tokenizer = field["tokenizer"].as_str().unwrap_or("default");
            assert!(
                QW_TOKENIZERS.contains(&tokenizer),
                "{name}: tokenizer {tokenizer}"
            );
            let record = field["record"].as_str().unwrap_or("basic");
            assert!(
                ["basic", "freq", "position"].contains(&record),
                "{name}: {record}"
            );
        }
        if !indexed {
            for option in ["tokenizer", "record", "fieldnorms"] {
                assert!(
                    field.get(option).is_none(),
                    "{name}: {option} on a field not indexed"
                );
            }
        }
    }
    for name in ["headline", "text", "points", "summaries", "body", "source"] {
        let field = by_name[name];
        assert_eq!(field["tokenizer"], "default", "{name}: 0.9 has no en_stem");
        assert_eq!(
            field["record"], "position",
            "{name}: phrases need positions"
        );
        assert_eq!(field["fieldnorms"], true, "{name}: BM25 needs fieldnorms");
    }
    for name in ["kind", "source", "date"] {
        let fast = &by_name[name]["fast"];
        assert!(
            fast == &Value::Bool(true) || fast.is_object(),
            "{name} is a fast field"
        );
    }
    assert_eq!(by_name["date"]["type"], "datetime");
    for name in config["search_settings"]["default_search_fields"]
        .as_array()
        .unwrap()
    {
        let field = by_name[name.as_str().unwrap()];
        assert!(
            field
                .get("indexed")
                .and_then(Value::as_bool)
                .unwrap_or(true)
        );
    }
    // Documents: only mapped fields (strict mode), of the mapped types.
    let docs = ndjson(&parts(&out, "documents"), 10 * 1000 * 1000);
    for doc in &docs {
        for (key, value) in doc.as_object().unwrap() {
            let field = by_name
                .get(key.as_str())
                .unwrap_or_else(|| panic!("unmapped field {key} in {doc}"));
            let ty = field["type"].as_str().unwrap();
            let ok = match ty {
                "text" => value.is_string(),
                "array<text>" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "u64" => value.is_u64(),
                "datetime" => value
                    .as_str()
                    .is_some_and(|d| d.len() == 20 && d.ends_with("T00:00:00Z")),
                _ => false,
            };
            assert!(ok, "{key}: {value} is not a {ty}");
        }
    }
    let refs: Vec<&Value> = docs.iter().collect();
    check_same_documents(&env, &refs, "id");
    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(readme.contains("quickwit index create --index-config index-config.json"));
    assert!(readme.contains(&format!("/api/v1/{id}/ingest")));
    assert!(readme.contains("not run against a"));
}

// ---------------------------------------------------------------------------
// OpenSearch 2: MetadataCreateIndexService.validateIndexOrAliasName,
// IndexRequest.validate (ids of at most 512 bytes), the bulk API's
// newline-delimited action and source lines, metadata fields never in a
// source, the built-in `english` analyzer, collapse on a keyword field.

const OS_TYPES: &[&str] = &["text", "keyword", "integer", "long", "date", "boolean"];
const OS_METADATA: &[&str] = &["_id", "_index", "_source", "_routing", "_type", "_version"];

#[test]
fn opensearch_export_follows_opensearch_rules() {
    let (env, out) = exported("opensearch");
    let settings = json_file(&out.join("index.json"));
    let mappings = &settings["mappings"];
    assert_eq!(mappings["dynamic"], "strict");
    let properties = mappings["properties"].as_object().unwrap();
    for (name, field) in properties {
        assert!(!name.starts_with('_'), "{name}: a metadata field name");
        let ty = field["type"].as_str().unwrap();
        assert!(OS_TYPES.contains(&ty), "{name}: type {ty}");
        if ty == "text" {
            assert_eq!(field["analyzer"], "english", "{name}");
        }
    }
    assert_eq!(
        properties["brief_id"]["type"], "keyword",
        "collapse needs a keyword"
    );
    assert_eq!(properties["kind"]["type"], "keyword");

    let lines = ndjson(&parts(&out, "bulk"), 100 * 1024 * 1024);
    assert_eq!(
        lines.len() % 2,
        0,
        "bulk bodies are action and source pairs"
    );
    let mut sources = Vec::new();
    for pair in lines.chunks(2) {
        let (action, source) = (&pair[0], &pair[1]);
        let action = action.as_object().unwrap();
        assert_eq!(action.len(), 1, "one operation a line: {action:?}");
        let meta = &action["index"];
        assert_eq!(meta["_index"], "briefs");
        let id = meta["_id"].as_str().unwrap();
        assert!(id.len() <= 512, "_id of {} bytes", id.len());
        assert_eq!(source["id"], id, "the source holds the same id");
        for (key, value) in source.as_object().unwrap() {
            assert!(
                !OS_METADATA.contains(&key.as_str()),
                "{key} inside a document"
            );
            let ty = properties
                .get(key)
                .unwrap_or_else(|| panic!("{key} is not mapped (dynamic: strict)"))["type"]
                .as_str()
                .unwrap();
            let ok = match ty {
                "text" => {
                    value.is_string()
                        || value
                            .as_array()
                            .is_some_and(|a| a.iter().all(Value::is_string))
                }
                "keyword" => value.is_string(),
                "integer" => value.as_u64().is_some_and(|n| n <= i32::MAX as u64),
                "date" => value.as_str().is_some_and(|d| d.contains('T')),
                _ => false,
            };
            assert!(ok, "{key}: {value} is not a {ty}");
        }
        sources.push(source);
    }
    check_same_documents(&env, &sources, "id");
    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(readme.contains("curl -XPUT http://localhost:9200/briefs"));
    assert!(readme.contains("/_bulk"));
    assert!(readme.contains("application/x-ndjson"));
    assert!(readme.contains("\"collapse\""));
}

// ---------------------------------------------------------------------------
// Typesense 0.24: field.h's types, `id` a string, required fields present,
// every field of a document declared (the collection has no `.*` field).

#[test]
fn typesense_export_documents_match_their_schema() {
    let (env, out) = exported("typesense");
    let schema = json_file(&out.join("schema.json"));
    assert_eq!(schema["name"], "briefs");
    let fields = schema["fields"].as_array().unwrap();
    let mut declared: HashMap<&str, (&str, bool)> = HashMap::new();
    for field in fields {
        let name = field["name"].as_str().unwrap();
        assert_ne!(name, "id", "id is Typesense's own");
        let ty = field["type"].as_str().unwrap();
        assert!(
            ["string", "string[]", "int32", "int64", "float", "bool"].contains(&ty),
            "{name}: {ty}"
        );
        if field["index"] == false {
            assert_eq!(
                field["optional"], true,
                "{name}: a field not indexed must be optional"
            );
        }
        declared.insert(name, (ty, field["optional"] == true));
    }
    assert_eq!(declared["brief_id"].0, "string");
    assert!(
        fields
            .iter()
            .any(|f| f["name"] == "brief_id" && f["facet"] == true),
        "group_by needs a facet"
    );
    let docs = ndjson(&parts(&out, "documents"), 10 * 1000 * 1000);
    for doc in &docs {
        let map = doc.as_object().unwrap();
        assert!(map["id"].is_string());
        for (name, (ty, optional)) in &declared {
            let Some(value) = map.get(*name) else {
                assert!(optional, "{name} missing from {doc}");
                continue;
            };
            let ok = match *ty {
                "string" => value.is_string(),
                "string[]" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "int32" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                "int64" => value.is_i64(),
                _ => false,
            };
            assert!(ok, "{name}: {value} is not a {ty}");
        }
        for key in map.keys() {
            assert!(
                key == "id" || declared.contains_key(key.as_str()),
                "undeclared {key}"
            );
        }
    }
    let refs: Vec<&Value> = docs.iter().collect();
    check_same_documents(&env, &refs, "id");
    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(readme.contains("/collections/briefs/documents/import?action=upsert"));
}

#[test]
fn export_refuses_names_the_engine_refuses_and_folders_in_use() {
    let env = TestEnv::new();
    env.copy_fixtures();
    env.run(&["index", "briefs"]);
    for (to, name) in [
        ("quickwit", "1x"),
        ("quickwit", "ab"),
        ("opensearch", "Briefs"),
        ("opensearch", "_b"),
        ("typesense", "a b"),
    ] {
        let out = env.root().join(format!("out-{to}-{}", name.len()));
        let run = env.run(&["export", "--to", to, "--name", name, out.to_str().unwrap()]);
        run.assert_status(2);
        run.check(
            run.stderr_str().contains("--name"),
            "the message says how to fix it",
        );
        run.check(!out.exists(), "nothing is written");
    }
    let used = env.root().join("used");
    std::fs::create_dir_all(&used).unwrap();
    std::fs::write(used.join("mine.txt"), "mine").unwrap();
    let run = env.run(&["export", "--to", "typesense", used.to_str().unwrap()]);
    run.assert_status(2);
    run.check(
        run.stderr_str().contains("not empty"),
        "a folder in use is refused",
    );
    assert_eq!(
        std::fs::read_to_string(used.join("mine.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn engine_commands_without_a_node_or_key_say_what_is_missing() {
    let env = TestEnv::new();
    env.copy_fixtures();
    env.run(&["index", "briefs"]);
    let run = env.run(&["sync", "--engine", "typesense", "--api-key", "k"]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("--node"), "names --node");
    let run = env.run(&[
        "search",
        "--engine",
        "typesense",
        "--node",
        "http://127.0.0.1:9",
        "tram",
    ]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("--api-key"), "names --api-key");
    let run = env.run(&[
        "search",
        "--engine",
        "typesense",
        "--node",
        "127.0.0.1:9",
        "--api-key",
        "k",
        "tram",
    ]);
    run.assert_status(2);
    run.check(run.stderr_str().contains("http://"), "a node must be a URL");
}
