//! The Typesense export: the collection schema and JSONL, exactly what
//! `briefs sync` creates and sends (see `engine::typesense`), for loading
//! by hand or by Typesense's own tools.

use crate::engine::EngineDoc;
use crate::engine::export::{ExportReport, Writer, summary};
use crate::engine::terms::Terms;
use crate::engine::typesense::{collection_schema, typesense_document};

#[derive(Default)]
pub(crate) struct Typesense {
    terms: Terms,
}

impl Writer for Typesense {
    fn check_name(&self, name: &str) -> Result<(), String> {
        let ok = !name.is_empty()
            && name.len() <= 200
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if ok {
            Ok(())
        } else {
            Err(format!(
                "`{name}`: a collection name of letters, digits, `_`, `-` and `.` (at most 200); choose another with --name"
            ))
        }
    }

    fn settings(&self, name: &str) -> (&'static str, String) {
        let text = serde_json::to_string_pretty(&collection_schema(name)).unwrap_or_default();
        ("schema.json", text + "\n")
    }

    fn parts(&self) -> (&'static str, &'static str) {
        ("documents", "jsonl")
    }

    fn record(&mut self, _name: &str, doc: &EngineDoc) -> Result<String, String> {
        Ok(format!("{}\n", typesense_document(doc, 0, &mut self.terms)))
    }

    fn readme(&self, name: &str, report: &ExportReport, parts: &[String]) -> String {
        let mut text = summary("Typesense", name, report, parts);
        text.push_str(&format!(
            r#"

Files: schema.json (the collection), then the documents as JSONL, one a line,
as `briefs sync` sends them (its searchable `*_terms` fields hold briefs'
analysed words: search them through `briefs search --engine typesense`).

1. Create the collection (NODE is a node's URL, KEY an admin API key):

   curl -XPOST "$NODE/collections" -H "X-TYPESENSE-API-KEY: $KEY" \
        --data-binary @schema.json

2. Import every file (action=upsert replaces documents with the same id):

   for f in documents-*.jsonl; do
     curl -XPOST "$NODE/collections/{name}/documents/import?action=upsert" \
          -H "X-TYPESENSE-API-KEY: $KEY" --data-binary @"$f"
   done

   Each answer is one line per document: {{"success":true}}, or the error.

3. Or skip the files: `briefs sync --engine typesense --node "$NODE" \
   --api-key "$KEY" --collection {name}` sends the same documents, and later
   only what changed.

This export is imported into a real Typesense server (0.24.1) by the project's
engine tests (tests/engines/typesense.sh).
"#
        ));
        text
    }
}
