//! Stage 5: the query language. `parse` reads what the user typed into a
//! tree ([`Node`]), `literal` reads it as plain words instead; `tidy`
//! cleans text pasted as a literal query first;
//! `build` turns the tree into a Tantivy query over the schema's fields,
//! weighted by `fields`, `expand` for `word*` and `word~N`, `bm25f` for
//! articles' fields scored as one, and `flat` keeping the tree flat so
//! Tantivy can skip blocks of documents, `sum_union` for a word's fields
//! inside an intersection, `phrase` and `phrase_union` for a phrase's
//! fields ranked by bounds on their scores. `budget` bounds what one query
//! may cost (length, depth, words, expansions), `collapse` merges identical
//! clauses before building, `tag` marks scoring leaves for `--explain`. `prune` drops clauses that analyse to nothing,
//! `shouted` reads a query wholly in capitals (`AND` a word), and
//! `compound` lets `zone` beside `euro*` match `eurozone`.
//!
//! Flows in: query text and the searcher (for expansions). Flows out: a
//! `Box<dyn tantivy::query::Query>`. `parse` and `tidy` are pure; never
//! imports `search/`, `output/` or `app/`.

mod bm25f;
mod budget;
mod build;
mod collapse;
mod compound;
mod expand;
mod fields;
mod flat;
mod literal;
mod parse;
mod phrase;
mod phrase_union;
#[cfg(test)]
mod properties;
mod prune;
mod shouted;
mod sum_union;
mod tag;
mod tidy;

pub use fields::Weights;
pub(crate) use flat::prunable;
pub use parse::QueryError;
pub(crate) use prune::nothing_to_search;
pub use tidy::Tidy;

pub(crate) use budget::{MAX_QUERY_BYTES, check_length};
pub(crate) use build::{CompileError, Compiler, kind_filter};
pub(crate) use expand::{fuzzy_terms, stemmed_variants};
#[cfg(test)]
pub(crate) use flat::boost_by;
pub(crate) use literal::literal_query;
pub(crate) use parse::{Node, Occur, Scope, parse_query};
#[cfg(test)]
pub(crate) use phrase::Phrase;
pub(crate) use phrase_union::{PhraseUnion, PhraseUnionWeight, phrase_union};
pub(crate) use sum_union::for_intersection;
pub(crate) use tag::{Scores, Tag};
pub(crate) use tidy::tidy;
