//! briefs: a search engine for folders of news briefs.
//!
//! A brief is a headline, emoji-led key points and `- ` summary bullets, in a
//! text, Markdown, JSON or JSON Lines file, often with damaged text. The
//! stages, each a folder of `src/` (ARCHITECTURE.md walks through them):
//!
//! 1. `read`: walk folders and read files;
//! 2. `parse`: bytes into [`Brief`]s, undoing mojibake;
//! 3. `text`: the analysers shared by indexing and querying;
//! 4. `index`: each brief as one article document and one document per
//!    bullet in a Tantivy index, updated incrementally ([`update_index`]);
//! 5. `query`: the query language into a Tantivy query;
//! 6. `search`: bullets ranked with their headline's context, folded and
//!    grouped ([`Session`]);
//! 7. `output`: hits as text, JSON Lines or a TREC run.
//!
//! `watch` keeps an index current as files change and alerts on new
//! bullets that match standing queries (`briefs watch`).
//!
//! `app` glues them to the command line (`cli`, read by `usage`);
//! `generate` writes the man page and shell completions from it; the
//! binary only calls [`parse_args`] and [`run`].
//! Beside the stages, `engine` puts the same documents on other search
//! engines: `briefs sync` and `search --engine` for Typesense, `briefs
//! export` for Quickwit, OpenSearch and Typesense.
//!
//! ```
//! use briefs::{Format, parse_document};
//! let text = "Ferry fares drop — Harbor Ledger\n📉 Fares fall 8% in May.\n- Ferries got cheaper.\n";
//! let brief = parse_document(text.as_bytes(), Format::Text, "ferry.txt").remove(0).unwrap();
//! assert_eq!(brief.source.as_deref(), Some("Harbor Ledger"));
//! assert_eq!(brief.points[0].marker, "📉");
//! assert_eq!(brief.summaries[0].text, "Ferries got cheaper.");
//! ```
//!
//! Indexing a folder and searching it:
//!
//! ```no_run
//! use briefs::{BriefIndex, IndexOptions, Problem, Reporter, SearchOptions, Session, update_index};
//!
//! struct Quiet;
//! impl Reporter for Quiet {
//!     fn problem(&mut self, problem: &Problem, _unchanged: bool) {
//!         eprintln!("skipped {problem}");
//!     }
//! }
//!
//! let index = BriefIndex::open_or_create("index".as_ref())?;
//! update_index(&index, &IndexOptions::new(vec!["corpus".into()]), &mut Quiet)?;
//! for hit in Session::new(index)?.search(&SearchOptions::new("port strike"))? {
//!     println!("{} {:.3} {}", hit.id, hit.score, hit.text);
//! }
//! # Ok::<(), briefs::Error>(())
//! ```
#![warn(missing_docs)]

mod app;
mod brief;
mod cli;
mod engine;
mod error;
mod generate;
mod index;
mod output;
mod parse;
mod query;
mod read;
mod search;
mod stories;
#[cfg(test)]
mod test_support;
mod text;
mod trace;
mod usage;
mod watch;

pub use app::{report_error, run};
pub use brief::{Brief, DocKind, Point, Problem, Summary};
pub use cli::Cli;
pub use error::{Error, ExitStatus, Result};
pub use index::{
    BriefIndex, IndexOptions, IndexReport, IndexStats, Progress, Reporter, update_index,
};
pub use parse::{Format, ParseError, parse_document};
pub use query::{QueryError, Tidy, Weights};
pub use search::{
    Explain, Group, Hit, KindFilter, Recency, RecencyPart, ScorePart, SearchOptions, Session,
    Snippet, SnippetField, SortBy,
};
pub use usage::parse_args;
