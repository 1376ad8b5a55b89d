//! briefs: a search engine for folders of news briefs.
//!
//! A brief is a headline, emoji-led key points and `- ` summary bullets, in a
//! text, Markdown, JSON or JSON Lines file, often with damaged text. The
//! pipeline: `corpus` walks folders and reads files; `parse` turns bytes into
//! [`brief::Brief`]s; `index` stores each brief as one article document and
//! one document per bullet in a Tantivy index; `search` ranks bullets; and
//! `output` prints hits.
//!
//! ```
//! use briefs::parse::{parse_document, Format};
//! let text = "Ferry fares drop — Harbor Ledger\n📉 Fares fall 8% in May.\n- Ferries got cheaper.\n";
//! let brief = parse_document(text.as_bytes(), Format::Text, "ferry.txt").remove(0).unwrap();
//! assert_eq!(brief.source.as_deref(), Some("Harbor Ledger"));
//! assert_eq!(brief.points[0].marker, "📉");
//! assert_eq!(brief.summaries[0].text, "Ferries got cheaper.");
//! ```
#![warn(missing_docs)]

pub mod analysed;
pub mod analysis;
pub mod app;
pub mod batch;
pub mod bm25_stats;
pub mod brief;
pub mod cli;
pub mod combined;
pub mod compile;
pub mod corpus;
pub mod date;
pub mod decode;
pub mod documents;
pub mod error;
pub mod expand;
pub mod flat_query;
pub mod fnv;
pub mod hit;
pub mod index;
pub mod lookup;
pub mod manifest;
pub mod mojibake;
pub mod output;
pub mod parse;
pub mod pasted;
pub mod query;
pub mod related;
pub mod schema;
pub mod search;
pub mod similar;
pub mod stats;
pub mod store;
