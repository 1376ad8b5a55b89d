//! The OpenSearch export: index settings and mappings (JSON) and `_bulk`
//! NDJSON.
//!
//! OpenSearch's rules, from its source (`MetadataCreateIndexService`,
//! `IndexRequest`, `BulkRequestParser`) and docs: an index name is lower
//! case, at most 255 bytes, not `.` or `..`, starts with none of `_ - +`
//! and holds none of `\ / * ? " < > | , #` or a space; a document `_id` is
//! at most 512 bytes; a bulk body is pairs of lines, an action
//! (`{"index": {"_index": …, "_id": …}}`) then the document, each line
//! ending in `\n`, the last one too; metadata fields (`_id`, `_index`,
//! `_source`, …) never appear inside a document. `index` replaces a
//! document with the same `_id`: loading an export again is an upsert.
//!
//! Text is analysed by the built-in `english` analyzer (stemming and
//! English stop words, close to briefs' own); `brief_id` is a keyword so
//! that `collapse` (with `inner_hits`) can show bullets under their brief;
//! `kind`, `source.raw` and `date` can filter and sort.

use serde_json::{Value, json};

use crate::engine::EngineDoc;
use crate::engine::export::document::document_json;
use crate::engine::export::{ExportReport, Writer, summary};

pub(crate) struct OpenSearch;

/// The most bytes of a document `_id`.
pub(crate) const MAX_ID_BYTES: usize = 512;

pub(crate) fn index_settings() -> Value {
    let text = json!({"type": "text", "analyzer": "english"});
    let keyword = json!({"type": "keyword"});
    let shown = json!({"type": "keyword", "index": false, "doc_values": false});
    let number = json!({"type": "integer"});
    json!({
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 1,
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword,
                "brief_id": keyword,
                "kind": keyword,
                "position": number,
                "path": keyword,
                "line": number,
                "brief_line": number,
                "headline": text,
                "text": text,
                "points": text,
                "summaries": text,
                "body": text,
                "source": {"type": "text", "analyzer": "english",
                           "fields": {"raw": {"type": "keyword"}}},
                "date": {"type": "date", "format": "strict_date_optional_time"},
                "date_written": shown,
                "url": shown,
                "marker": shown,
                "emoji": shown,
            },
        },
    })
}

/// Index names OpenSearch takes.
pub(crate) fn valid_index_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.starts_with(['_', '-', '+'])
        && name == name.to_lowercase()
        && !name.contains(['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#'])
}

impl Writer for OpenSearch {
    fn check_name(&self, name: &str) -> Result<(), String> {
        if valid_index_name(name) {
            Ok(())
        } else {
            Err(format!(
                "`{name}` is not an OpenSearch index name (lower case, at most 255 bytes, not starting with _ - +, none of \\ / * ? \" < > | , # or space); choose another with --name"
            ))
        }
    }

    fn settings(&self, _name: &str) -> (&'static str, String) {
        let text = serde_json::to_string_pretty(&index_settings()).unwrap_or_default();
        ("index.json", text + "\n")
    }

    fn parts(&self) -> (&'static str, &'static str) {
        ("bulk", "ndjson")
    }

    fn record(&mut self, name: &str, doc: &EngineDoc) -> Result<String, String> {
        if doc.id.len() > MAX_ID_BYTES {
            return Err(format!(
                "the id `{}…` is {} bytes, over OpenSearch's {MAX_ID_BYTES}; give the brief a shorter `id`",
                doc.id.chars().take(60).collect::<String>(),
                doc.id.len()
            ));
        }
        let action = json!({"index": {"_index": name, "_id": doc.id}});
        let source = document_json(doc);
        Ok(format!("{action}\n{source}\n"))
    }

    fn readme(&self, name: &str, report: &ExportReport, parts: &[String]) -> String {
        let mut text = summary("OpenSearch 2", name, report, parts);
        text.push_str(&format!(
            r#"

Files: index.json (settings and mappings), then `_bulk` bodies: an action line
and a document line per document, each file under 10 MB (OpenSearch takes
100 MB a request by default).

1. Create the index:

   curl -XPUT http://localhost:9200/{name} \
        -H 'Content-Type: application/json' --data-binary @index.json

2. Load every file, then make it searchable (`index` replaces a document with
   the same _id, so loading a newer export again updates it in place):

   for f in bulk-*.ndjson; do
     curl -XPOST http://localhost:9200/_bulk \
          -H 'Content-Type: application/x-ndjson' --data-binary @"$f"
   done
   curl -XPOST http://localhost:9200/{name}/_refresh

3. Search bullets, shown under their briefs (collapse on brief_id):

   curl -XPOST http://localhost:9200/{name}/_search -H 'Content-Type: application/json' -d '{{
     "query": {{"bool": {{
       "must": {{"multi_match": {{"query": "port strike", "fields": ["text", "headline^0.3"]}}}},
       "filter": {{"terms": {{"kind": ["point", "summary"]}}}}}}}},
     "collapse": {{"field": "brief_id", "inner_hits": {{"name": "bullets", "size": 3}}}}}}'

Notes:
- Text uses the built-in `english` analyzer (stemming, English stop words).
- Briefs deleted locally are not deleted by loading an export; to drop them,
  load the export into a new index and move an alias to it.
- This export was checked against OpenSearch's documented rules (index name,
  _id length, mapping types, bulk format); briefs was not run against an
  OpenSearch server.
"#
        ));
        text
    }
}
