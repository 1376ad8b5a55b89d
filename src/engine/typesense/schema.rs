//! briefs' collection on Typesense: its schema, the check that a collection
//! found on the server has exactly that shape, and each document as
//! Typesense takes it. Rules from Typesense's own source (0.24: `field.h`,
//! `collection_manager.cpp`): `id` is a string and the only reserved name;
//! field types `string`, `string[]`, `int32`, `int64`; `group_by` needs a
//! facet field; `index: false` fields are stored, not searchable, and are
//! optional.
//!
//! Searchable fields hold briefs' analysed terms (`*_terms`, see
//! `engine::terms`); what a hit shows is stored beside them as written.
//! `tie` orders equal scores by a hash of the id (the local index orders
//! them by brief order since schema 4); `file_tag` (a hash of
//! the file's key) lets a sync delete a file's documents with a short
//! numeric filter; `gen` is the sync generation that sent a document.

use serde_json::{Value, json};

use crate::engine::EngineDoc;
use crate::engine::terms::Terms;
use crate::index::tie_key;

/// One field of the collection: name, type, facet, optional, indexed.
type FieldSpec = (&'static str, &'static str, bool, bool, bool);

/// The fields, in the order the collection declares them.
const FIELDS: &[FieldSpec] = &[
    ("kind", "string", true, false, true),
    ("brief_id", "string", true, false, true),
    ("file_tag", "int64", false, false, true),
    ("gen", "int64", false, false, true),
    ("tie", "int64", false, false, true),
    ("position", "int32", false, false, true),
    ("day", "int64", false, true, true),
    ("headline_terms", "string", false, true, true),
    ("text_terms", "string", false, true, true),
    ("source_terms", "string", false, true, true),
    ("points_terms", "string[]", false, true, true),
    ("summaries_terms", "string[]", false, true, true),
    ("body_terms", "string[]", false, true, true),
    ("source", "string", true, true, true),
    ("line", "int32", false, true, false),
    ("brief_line", "int32", false, true, false),
    ("path", "string", false, true, false),
    ("headline", "string", false, true, false),
    ("text", "string", false, true, false),
    ("date", "string", false, true, false),
    ("url", "string", false, true, false),
    ("marker", "string", false, true, false),
    ("emoji", "string", false, true, false),
];

/// The stored fields a hit is built from.
pub(crate) const HIT_FIELDS: &str =
    "id,brief_id,kind,position,line,brief_line,path,headline,text,source,date,marker,emoji";

/// The schema to create the collection `name` with (`POST /collections`).
pub(crate) fn collection_schema(name: &str) -> Value {
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|&(name, kind, facet, optional, index)| {
            json!({"name": name, "type": kind, "facet": facet, "optional": optional, "index": index})
        })
        .collect();
    json!({"name": name, "fields": fields})
}

/// `None` when the collection `found` (as `GET /collections/NAME` returns
/// it) has exactly briefs' fields; else the first difference, in words.
pub(crate) fn shape_difference(found: &Value) -> Option<String> {
    let Some(fields) = found.get("fields").and_then(Value::as_array) else {
        return Some("it lists no fields".into());
    };
    for &(name, kind, facet, optional, index) in FIELDS {
        let Some(field) = fields
            .iter()
            .find(|f| f.get("name").and_then(Value::as_str) == Some(name))
        else {
            return Some(format!("it has no field `{name}`"));
        };
        let text = |key: &str| field.get(key).and_then(Value::as_str).unwrap_or("");
        let flag =
            |key: &str, default: bool| field.get(key).and_then(Value::as_bool).unwrap_or(default);
        if text("type") != kind {
            return Some(format!(
                "its field `{name}` is of type `{}`, not `{kind}`",
                text("type")
            ));
        }
        if flag("facet", false) != facet
            || flag("optional", false) != optional
            || flag("index", true) != index
        {
            return Some(format!(
                "its field `{name}` is declared otherwise (facet, optional or index)"
            ));
        }
    }
    let extra = fields.iter().find_map(|f| {
        let name = f.get("name").and_then(Value::as_str).unwrap_or("");
        (!FIELDS.iter().any(|spec| spec.0 == name)).then(|| name.to_string())
    });
    extra.map(|name| format!("it has a field `{name}` that briefs does not write"))
}

/// A signed 64-bit form of a hash that orders as the unsigned one does.
pub(crate) fn signed_hash(text: &str) -> i64 {
    // Invariant: a u64 shifted right by one fits in an i64.
    i64::try_from(tie_key(text) >> 1).expect("a 63-bit value fits in i64")
}

/// `doc` as Typesense takes it, marked with `generation`.
pub(crate) fn typesense_document(doc: &EngineDoc, generation: u64, terms: &mut Terms) -> Value {
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, value: Value| {
        map.insert(key.to_string(), value);
    };
    put("id", json!(doc.id));
    put("kind", json!(doc.kind.as_str()));
    put("brief_id", json!(doc.brief_id));
    put("file_tag", json!(signed_hash(&doc.file)));
    put("gen", json!(generation));
    put("tie", json!(signed_hash(&doc.id)));
    put("position", json!(doc.position));
    put("line", json!(doc.line));
    put("brief_line", json!(doc.brief_line));
    put("path", json!(doc.file));
    put("headline", json!(doc.headline));
    put("text", json!(doc.text));
    let headline_terms = terms.of_text(&doc.headline);
    if !headline_terms.is_empty() {
        put("headline_terms", json!(headline_terms));
    }
    if doc.kind != crate::brief::DocKind::Article {
        let text_terms = terms.of_text(&doc.text);
        if !text_terms.is_empty() {
            put("text_terms", json!(text_terms));
        }
    }
    if let Some(source) = &doc.source {
        put("source", json!(source));
        put("source_terms", json!(terms.of_text(source)));
    }
    for (key, texts) in [
        ("points_terms", &doc.points),
        ("summaries_terms", &doc.summaries),
        ("body_terms", &doc.body),
    ] {
        if !texts.is_empty() {
            let analysed: Vec<String> = texts.iter().map(|t| terms.of_text(t)).collect();
            put(key, json!(analysed));
        }
    }
    for (key, value) in [
        ("date", &doc.date),
        ("url", &doc.url),
        ("marker", &doc.marker),
        ("emoji", &doc.emoji),
    ] {
        if let Some(value) = value {
            put(key, json!(value));
        }
    }
    if let Some(day) = doc.day {
        put("day", json!(day));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_with_briefs_fields_has_no_difference() {
        let schema = collection_schema("briefs");
        assert_eq!(shape_difference(&schema), None);
    }

    #[test]
    fn another_shape_is_named() {
        let mut schema = collection_schema("briefs");
        schema["fields"][0]["type"] = json!("int32");
        assert_eq!(
            shape_difference(&schema).as_deref(),
            Some("its field `kind` is of type `int32`, not `string`")
        );
        let other = json!({"name": "briefs", "fields": [{"name": "title", "type": "string"}]});
        assert_eq!(
            shape_difference(&other).as_deref(),
            Some("it has no field `kind`")
        );
        let mut extra = collection_schema("briefs");
        extra["fields"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "title", "type": "string"}));
        assert!(shape_difference(&extra).unwrap().contains("`title`"));
    }

    #[test]
    fn every_document_field_is_declared_and_ids_are_kept() {
        let brief = crate::parse::parse_document(
            "Tram opens — Gazette\nDate: 2026-11-02\n🚋 Riders queued.\n- It opened.\nBody line.\n"
                .as_bytes(),
            crate::parse::Format::Text,
            "t.txt",
        )
        .remove(0)
        .unwrap();
        let mut terms = Terms::default();
        for doc in crate::engine::brief_docs(&brief, "/c/t.txt") {
            let json = typesense_document(&doc, 7, &mut terms);
            assert_eq!(json["id"], json!(doc.id));
            assert_eq!(json["gen"], json!(7));
            for key in json.as_object().unwrap().keys() {
                assert!(
                    key == "id" || FIELDS.iter().any(|f| f.0 == key),
                    "undeclared field {key}"
                );
            }
            for &(name, _, _, optional, _) in FIELDS {
                assert!(optional || json.get(name).is_some(), "{name} missing");
            }
        }
    }

    #[test]
    fn signed_hashes_keep_the_order_of_the_unsigned_ones() {
        let (a, b) = ("x.txt#p1", "x.txt#s1");
        assert_eq!(
            tie_key(a) >> 1 < tie_key(b) >> 1,
            signed_hash(a) < signed_hash(b)
        );
        assert!(signed_hash(a) >= 0);
    }
}
