//! Stage 5: the query language. `parse` reads what the user typed into a
//! tree ([`Node`]); `tidy` cleans text pasted as a literal query first;
//! `build` turns the tree into a Tantivy query over the schema's fields,
//! weighted by `fields`, `expand` for `word*` and `word~N`, `bm25f` for
//! articles' fields scored as one, and `flat` keeping the tree flat so
//! Tantivy can skip blocks of documents.
//!
//! Flows in: query text and the searcher (for expansions). Flows out: a
//! `Box<dyn tantivy::query::Query>`. `parse` and `tidy` are pure; never
//! imports `search/`, `output/` or `app/`.

mod bm25f;
mod build;
mod expand;
mod fields;
mod flat;
mod parse;
#[cfg(test)]
mod properties;
mod tidy;

pub use fields::Weights;
pub use parse::QueryError;
pub use tidy::Tidy;

pub(crate) use build::{Compiler, kind_filter};
pub(crate) use parse::{Node, Occur, Scope, literal_query, parse_query};
pub(crate) use tidy::tidy;
