//! The Typesense adapter: briefs' documents in one collection of a
//! Typesense cluster, over its HTTP API (`/collections`, `import` with
//! `action=upsert`, delete by `filter_by`, `documents/search` with
//! `group_by`), through `http`'s failover across the nodes given.
//! `schema` is the collection and its documents, `query` turns briefs'
//! query language into Typesense's search parameters, `hits` turns the
//! answers back into hits.

mod hits;
mod query;
mod schema;

use serde_json::Value;

use crate::engine::http::{Nodes, Reply, Request, node_url};
use crate::engine::terms::Terms;
use crate::engine::{Engine, EngineDoc, EngineSettings, Prepared, Refused};
use crate::error::{Error, Result};
use crate::search::{Group, Hit, SearchOptions};

pub(crate) use schema::{collection_schema, typesense_document};

/// The header Typesense reads the API key from.
const KEY_HEADER: &str = "X-TYPESENSE-API-KEY";

/// Typesense's most hits a page.
const PER_PAGE_MAX: usize = 250;

/// Typesense's most hits a group.
const GROUP_LIMIT_MAX: usize = 99;

/// Words may be dropped from a query until this many documents are found:
/// as many as there are, for briefs' "any of the words".
const DROP_TOKENS_ALWAYS: &str = "1000000";

/// A request's query parameters.
type Params = Vec<(&'static str, String)>;

/// A collection on a Typesense cluster.
pub(crate) struct Typesense {
    nodes: Nodes,
    collection: String,
    terms: Terms,
}

/// A collection name Typesense and a URL path both take as it is.
fn check_collection(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::EngineSettings {
            detail: format!(
                "--collection `{name}`: use letters, digits, `_`, `-` and `.` only (at most 200)"
            ),
        })
    }
}

impl Typesense {
    /// The collection `settings` names; nothing is sent yet.
    pub(crate) fn new(settings: &EngineSettings) -> Result<Typesense> {
        if settings.nodes.is_empty() {
            return Err(Error::EngineSettings {
                detail: "no engine node given: name one with --node URL (or BRIEFS_ENGINE_NODES=URL,URL…)".into(),
            });
        }
        if settings.api_key.is_empty() {
            return Err(Error::EngineSettings {
                detail: "no API key given: --api-key KEY (or BRIEFS_ENGINE_KEY)".into(),
            });
        }
        check_collection(&settings.collection)?;
        let urls = settings
            .nodes
            .iter()
            .map(|n| node_url(n))
            .collect::<Result<Vec<_>>>()?;
        Ok(Typesense {
            nodes: Nodes::new(urls, KEY_HEADER, settings.api_key.clone(), settings.timeout),
            collection: settings.collection.clone(),
            terms: Terms::default(),
        })
    }

    fn path(&self, tail: &str) -> String {
        format!("/collections/{}{tail}", self.collection)
    }

    /// The JSON of a 2xx reply; any other is an error naming `what`.
    fn json(&self, reply: Reply, what: &str) -> Result<Value> {
        if !(200..300).contains(&reply.status) {
            return Err(self.answer_error(&reply, what));
        }
        serde_json::from_str(&reply.body).map_err(|e| Error::EngineAnswer {
            node: reply.node.clone(),
            what: what.to_string(),
            status: reply.status,
            message: format!("not JSON ({e})"),
        })
    }

    fn answer_error(&self, reply: &Reply, what: &str) -> Error {
        Error::EngineAnswer {
            node: reply.node.clone(),
            what: what.to_string(),
            status: reply.status,
            message: reply.message(),
        }
    }

    /// An error for a 404: no such collection, or no Typesense there.
    fn not_found(&self, reply: &Reply, what: &str) -> Error {
        match self.nodes.send(&Request::Get, "/health", &[]) {
            Ok(health) if health.status == 200 && health.body.contains("\"ok\"") => {
                Error::EngineCollection {
                    detail: format!(
                        "{} has no collection `{}`: run `briefs sync --engine typesense` first",
                        reply.node, self.collection
                    ),
                }
            }
            _ => Error::EngineAnswer {
                node: reply.node.clone(),
                what: format!("{what} (it does not answer GET /health as Typesense does)"),
                status: reply.status,
                message: reply.message(),
            },
        }
    }

    /// One page of a search.
    fn search_page(&mut self, params: &[(&str, String)]) -> Result<Value> {
        let reply = self
            .nodes
            .send(&Request::Get, &self.path("/documents/search"), params)?;
        if reply.status == 404 {
            return Err(self.not_found(&reply, "search"));
        }
        self.json(reply, "search")
    }

    /// The search parameters for `options`, or `None` when the query can
    /// match nothing.
    fn search_params(&mut self, options: &SearchOptions) -> Result<Option<(Params, Vec<String>)>> {
        let Some(plan) = query::plan(options, &mut self.terms)? else {
            return Ok(None);
        };
        let names: Vec<&str> = plan.fields.iter().map(|f| f.0).collect();
        let weights: Vec<String> = plan.fields.iter().map(|f| f.1.to_string()).collect();
        let mut params = vec![
            ("q", plan.q.clone()),
            ("query_by", names.join(",")),
            ("query_by_weights", weights.join(",")),
            ("filter_by", plan.filters.join(" && ")),
            ("sort_by", "_text_match:desc,tie:asc".to_string()),
            // Among documents matching as many words, the one matching in
            // its heaviest field first: a bullet's own text before its
            // headline, as briefs weighs them.
            ("text_match_type", "max_weight".to_string()),
            ("prefix", plan.prefix.to_string()),
            ("num_typos", plan.num_typos.to_string()),
            ("include_fields", schema::HIT_FIELDS.to_string()),
            ("highlight_fields", names.join(",")),
            (
                "drop_tokens_threshold",
                if plan.all_words {
                    "0"
                } else {
                    DROP_TOKENS_ALWAYS
                }
                .to_string(),
            ),
        ];
        if plan.num_typos > 0 {
            // Typos are tried only while too few exact matches are found;
            // `word~N` asks for them whatever the count.
            params.push(("typo_tokens_threshold", DROP_TOKENS_ALWAYS.to_string()));
        }
        Ok(Some((params, plan.prefixes)))
    }
}

impl Engine for Typesense {
    fn name(&self) -> &'static str {
        "typesense"
    }

    fn collection(&self) -> &str {
        &self.collection
    }

    fn describe(&self) -> String {
        format!(
            "Typesense collection `{}` on {}",
            self.collection,
            self.nodes.urls().join(", ")
        )
    }

    fn nodes(&self) -> &[String] {
        self.nodes.urls()
    }

    fn prepare(&mut self) -> Result<Prepared> {
        let health = self.nodes.send(&Request::Get, "/health", &[])?;
        if health.status != 200 || !health.body.contains("\"ok\"") {
            return Err(self.answer_error(&health, "GET /health (is this a Typesense node?)"));
        }
        let reply = self.nodes.send(&Request::Get, &self.path(""), &[])?;
        if reply.status == 404 {
            let schema = collection_schema(&self.collection).to_string();
            let created =
                self.nodes
                    .send(&Request::Post(schema.as_bytes()), "/collections", &[])?;
            // 409: another node created it meanwhile; it is checked below.
            if created.status != 409 {
                self.json(created, "create the collection")?;
                return Ok(Prepared {
                    created: true,
                    documents: 0,
                });
            }
            return self.prepare();
        }
        let found = self.json(reply, "read the collection")?;
        if let Some(difference) = schema::shape_difference(&found) {
            return Err(Error::EngineCollection {
                detail: format!(
                    "{} is not a collection briefs made: {difference}; name another with --collection",
                    self.describe()
                ),
            });
        }
        Ok(Prepared {
            created: false,
            documents: found["num_documents"].as_u64().unwrap_or(0),
        })
    }

    fn count(&mut self) -> Result<u64> {
        let reply = self.nodes.send(&Request::Get, &self.path(""), &[])?;
        let found = self.json(reply, "read the collection")?;
        Ok(found["num_documents"].as_u64().unwrap_or(0))
    }

    fn upsert(&mut self, docs: &[EngineDoc], generation: u64) -> Result<Vec<Refused>> {
        let mut body = String::new();
        for doc in docs {
            body.push_str(&typesense_document(doc, generation, &mut self.terms).to_string());
            body.push('\n');
        }
        let params = [
            ("action", "upsert".to_string()),
            ("batch_size", docs.len().max(1).to_string()),
        ];
        let reply = self.nodes.send(
            &Request::Post(body.as_bytes()),
            &self.path("/documents/import"),
            &params,
        )?;
        if !(200..300).contains(&reply.status) {
            return Err(self.answer_error(&reply, "import documents"));
        }
        let mut refused = Vec::new();
        let mut lines = 0;
        for (line, doc) in reply.body.lines().zip(docs) {
            lines += 1;
            let result: Value = serde_json::from_str(line).unwrap_or(Value::Null);
            if result.get("success").and_then(Value::as_bool) != Some(true) {
                refused.push(Refused {
                    id: doc.id.clone(),
                    reason: result
                        .get("error")
                        .and_then(Value::as_str)
                        .unwrap_or(line)
                        .to_string(),
                });
            }
        }
        if lines != docs.len() {
            return Err(Error::EngineAnswer {
                node: reply.node,
                what: "import documents".into(),
                status: reply.status,
                message: format!("{lines} results for {} documents", docs.len()),
            });
        }
        Ok(refused)
    }

    fn delete(&mut self, keys: &[String], older_than: Option<u64>) -> Result<u64> {
        let mut filters = Vec::new();
        if !keys.is_empty() {
            let tags: Vec<String> = keys
                .iter()
                .map(|k| schema::signed_hash(k).to_string())
                .collect();
            filters.push(format!("file_tag:=[{}]", tags.join(",")));
        }
        if let Some(generation) = older_than {
            filters.push(format!("gen:<{generation}"));
        }
        if filters.is_empty() {
            return Ok(0);
        }
        let params = [
            ("filter_by", filters.join(" && ")),
            ("batch_size", "1000".to_string()),
        ];
        let reply = self
            .nodes
            .send(&Request::Delete, &self.path("/documents"), &params)?;
        let answer = self.json(reply, "delete documents")?;
        Ok(answer["num_deleted"].as_u64().unwrap_or(0))
    }

    fn search(&mut self, options: &SearchOptions) -> Result<Vec<Hit>> {
        let Some((params, prefixes)) = self.search_params(options)? else {
            return Ok(Vec::new());
        };
        let wanted = options.offset.saturating_add(options.limit);
        let mut hits = Vec::new();
        let mut page = 1;
        while hits.len() < wanted {
            // The same page size on every page, so pages line up.
            let per_page = wanted.min(PER_PAGE_MAX);
            let mut paged = params.clone();
            paged.push(("per_page", per_page.to_string()));
            paged.push(("page", page.to_string()));
            let answer = self.search_page(&paged)?;
            let found = answer["hits"].as_array().map_or(&[][..], Vec::as_slice);
            let got = found.len();
            hits.extend(hits::hits_of(found, &mut self.terms, &prefixes));
            if got < per_page {
                break;
            }
            page += 1;
        }
        Ok(ranked(hits, options.offset, options.limit))
    }

    fn search_grouped(&mut self, options: &SearchOptions, per_brief: usize) -> Result<Vec<Group>> {
        let Some((mut params, prefixes)) = self.search_params(options)? else {
            return Ok(Vec::new());
        };
        let wanted = options.offset.saturating_add(options.limit);
        if wanted > PER_PAGE_MAX {
            return Err(Error::EngineSettings {
                detail: format!(
                    "--group with --offset plus -n over {PER_PAGE_MAX}: Typesense returns at most {PER_PAGE_MAX} groups a search"
                ),
            });
        }
        params.extend([
            ("group_by", "brief_id".to_string()),
            ("group_limit", GROUP_LIMIT_MAX.to_string()),
            ("per_page", wanted.max(1).to_string()),
        ]);
        let answer = self.search_page(&params)?;
        let found = answer["grouped_hits"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let groups = hits::groups_of(found, per_brief.max(1), &mut self.terms, &prefixes);
        Ok(groups
            .into_iter()
            .skip(options.offset)
            .take(options.limit)
            .enumerate()
            .map(|(i, mut group)| {
                group.rank = options.offset + i + 1;
                group
            })
            .collect())
    }

    fn failovers(&self) -> u64 {
        self.nodes.failovers()
    }
}

/// `hits` after `offset`, at most `limit`, ranked from `offset + 1`.
fn ranked(hits: Vec<Hit>, offset: usize, limit: usize) -> Vec<Hit> {
    hits.into_iter()
        .skip(offset)
        .take(limit)
        .enumerate()
        .map(|(i, mut hit)| {
            hit.rank = offset + i + 1;
            hit
        })
        .collect()
}
