//! One document as the JSON both OpenSearch's `_bulk` source and Quickwit's
//! NDJSON take: the same keys, arrays only where a brief has values, optional
//! fields only where set, and `date` as RFC 3339 only where the brief's date
//! reads as a day. Typesense's form differs (flat, typed) and lives in its own
//! writer.

use serde_json::{Map, Value, json};

use crate::brief::DocKind;
use crate::engine::EngineDoc;
use crate::engine::export::rfc3339_day;

/// `doc` as a JSON object of the shared document schema.
pub(super) fn document_json(doc: &EngineDoc) -> Value {
    let mut map = Map::new();
    for (key, value) in [
        ("id", json!(doc.id)),
        ("brief_id", json!(doc.brief_id)),
        ("kind", json!(doc.kind.as_str())),
        ("position", json!(doc.position)),
        ("path", json!(doc.file)),
        ("line", json!(doc.line)),
        ("brief_line", json!(doc.brief_line)),
        ("headline", json!(doc.headline)),
    ] {
        map.insert(key.into(), value);
    }
    if doc.kind != DocKind::Article {
        map.insert("text".into(), json!(doc.text));
    }
    for (key, values) in [
        ("points", &doc.points),
        ("summaries", &doc.summaries),
        ("body", &doc.body),
    ] {
        if !values.is_empty() {
            map.insert(key.into(), json!(values));
        }
    }
    for (key, value) in [
        ("source", &doc.source),
        ("date_written", &doc.date),
        ("url", &doc.url),
        ("marker", &doc.marker),
        ("emoji", &doc.emoji),
    ] {
        if let Some(value) = value {
            map.insert(key.into(), json!(value));
        }
    }
    if let Some(date) = doc.day.and_then(rfc3339_day) {
        map.insert("date".into(), json!(date));
    }
    Value::Object(map)
}
