//! The Quickwit export: an index config (JSON, version 0.9) and NDJSON.
//!
//! Quickwit's rules, from its source (`quickwit-config`,
//! `quickwit-doc-mapper`, 0.9): an `index_id` matches
//! `^[a-zA-Z][a-zA-Z0-9-_\.]{2,254}$`; a field name matches
//! `^[@$_\-a-zA-Z][@$_/\.\-a-zA-Z0-9]{0,254}$` and is none of `_source`,
//! `_dynamic`, `_field_presence`, `_doc_length`; tokenizers are the
//! built-in ones (`raw`, `default`, `lowercase`, …; 0.9 has no `en_stem`);
//! `record` is `basic`, `freq` or `position`; `record`, `tokenizer` and
//! `fieldnorms` only on indexed fields. Text is searched with the `default`
//! tokenizer (no stemming), positions recorded for phrases and fieldnorms
//! kept for BM25. `kind`, `source` and `date` are fast fields (for
//! filters, aggregations and sorting); `date` is a datetime (RFC 3339, from
//! the brief's date when it reads as one) and `date_written` the date as
//! the brief writes it. Quickwit has no ids of its own and no upsert: `id`
//! is a field, and a new export replaces the index.

use serde_json::{Value, json};

use crate::engine::EngineDoc;
use crate::engine::export::document::document_json;
use crate::engine::export::{ExportReport, Writer, summary};

pub(crate) struct Quickwit;

/// A text field searched with the `default` tokenizer.
fn searchable(name: &str, array: bool) -> Value {
    json!({
        "name": name,
        "type": if array { "array<text>" } else { "text" },
        "tokenizer": "default",
        "record": "position",
        "fieldnorms": true,
        "stored": true,
    })
}

/// A text field matched whole (`raw`), optionally a fast field.
fn exact(name: &str, fast: bool) -> Value {
    json!({"name": name, "type": "text", "tokenizer": "raw", "record": "basic", "stored": true, "fast": fast})
}

/// A field stored to show, not searchable.
fn shown(name: &str) -> Value {
    json!({"name": name, "type": "text", "indexed": false, "stored": true})
}

fn number(name: &str) -> Value {
    json!({"name": name, "type": "u64", "indexed": true, "stored": true, "fast": false})
}

pub(crate) fn index_config(name: &str) -> Value {
    let mut source = searchable("source", false);
    source["fast"] = json!({"normalizer": "raw"});
    json!({
        "version": "0.9",
        "index_id": name,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": [
                exact("id", false),
                exact("brief_id", true),
                exact("kind", true),
                number("position"),
                exact("path", false),
                number("line"),
                number("brief_line"),
                searchable("headline", false),
                searchable("text", false),
                searchable("points", true),
                searchable("summaries", true),
                searchable("body", true),
                source,
                {"name": "date", "type": "datetime", "input_formats": ["rfc3339"],
                 "output_format": "rfc3339", "fast": true, "fast_precision": "seconds",
                 "indexed": true, "stored": true},
                shown("date_written"),
                shown("url"),
                shown("marker"),
                shown("emoji"),
            ],
        },
        "search_settings": {
            "default_search_fields": ["text", "headline", "points", "summaries", "body"],
        },
        "indexing_settings": {"commit_timeout_secs": 10},
    })
}

/// Index ids Quickwit takes: `^[a-zA-Z][a-zA-Z0-9-_\.]{2,254}$`.
pub(crate) fn valid_index_id(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    first_ok
        && (3..=255).contains(&name.len())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Writer for Quickwit {
    fn check_name(&self, name: &str) -> Result<(), String> {
        if valid_index_id(name) {
            Ok(())
        } else {
            Err(format!(
                "`{name}` is not a Quickwit index id (a letter, then 2 to 254 letters, digits, `-`, `_` or `.`); choose another with --name"
            ))
        }
    }

    fn settings(&self, name: &str) -> (&'static str, String) {
        let text = serde_json::to_string_pretty(&index_config(name)).unwrap_or_default();
        ("index-config.json", text + "\n")
    }

    fn parts(&self) -> (&'static str, &'static str) {
        ("documents", "ndjson")
    }

    fn record(&mut self, _name: &str, doc: &EngineDoc) -> Result<String, String> {
        let out = document_json(doc);
        Ok(format!("{out}\n"))
    }

    fn readme(&self, name: &str, report: &ExportReport, parts: &[String]) -> String {
        let mut text = summary("Quickwit 0.9", name, report, parts);
        text.push_str(&format!(
            r#"

Files: index-config.json (the index config, version 0.9), then the documents as
NDJSON, one document a line, each file under 10 MB (the ingest API's default
limit a request).

1. Create the index (CLI, or the REST API of a node on 7280):

   quickwit index create --index-config index-config.json
   curl -XPOST http://127.0.0.1:7280/api/v1/indexes \
        -H 'Content-Type: application/json' --data-binary @index-config.json

2. Ingest every file (CLI, or REST; commit=force makes them searchable at once):

   for f in documents-*.ndjson; do quickwit index ingest --index {name} --input-path "$f"; done
   for f in documents-*.ndjson; do
     curl -XPOST "http://127.0.0.1:7280/api/v1/{name}/ingest?commit=force" --data-binary @"$f"
   done

3. Search the bullets:

   curl "http://127.0.0.1:7280/api/v1/{name}/search?query=text:strike+AND+NOT+kind:article&max_hits=10"

Notes:
- Text fields use the `default` tokenizer: lower case, no stemming (Quickwit 0.9
  has no `en_stem`), positions recorded (phrases) and fieldnorms kept (BM25).
- `kind`, `source` and `date` are fast fields; `date` is RFC 3339, set only when
  the brief's date reads as a date (`date_written` is the date as written).
- Quickwit has no upsert: to refresh, delete the index
  (quickwit index delete --index {name}) and ingest a new export.
- This export was checked against Quickwit's documented rules (index id, field
  names and types, tokenizers, record options); briefs was not run against a
  Quickwit server.
"#
        ));
        text
    }
}
