//! Stage 7: writing results. `text` for people (with optional ANSI
//! colour), `json` for programs (JSON Lines), `trec` for relevance
//! evaluation, `report` for what `index` and `stats` say, `engine` for
//! `sync` and `export`, `stories` for `briefs stories` and `search
//! --group-stories`, `explain` for the lines of `search --explain`; `escape` keeps control characters and bidi controls
//! from briefs and file names off the terminal (every text writer and every
//! stderr line use it), `words` puts counts and nouns in agreement.
//! Everything writes to a `&mut impl Write`; nothing here decides whether
//! colour is on (`app` does, once, and passes a [`Palette`]).
//!
//! Flows in: the plain result types the stages export ([`Hit`](crate::search::Hit),
//! [`Group`](crate::search::Group), [`Brief`](crate::brief::Brief),
//! [`IndexReport`](crate::index::IndexReport), [`IndexStats`](crate::index::IndexStats),
//! and `stories/`' `Story` and `StoryGroup`).
//! Never imports Tantivy or the internals of `index/` or `search/`.

mod engine;
mod escape;
mod explain;
mod hints;
mod json;
mod report;
mod stories;
mod text;
mod trec;
mod words;

pub(crate) use engine::{write_export_report, write_sync_report};
pub(crate) use escape::escaped;
pub(crate) use explain::write_explain;
pub(crate) use hints::zero_hits_line;
pub(crate) use json::{write_batch_json, write_json_lines};
pub(crate) use report::{write_index_report, write_stats};
pub(crate) use stories::{write_stories, write_story_groups};
pub(crate) use text::{write_brief, write_groups, write_hits, write_query_heading};
pub(crate) use trec::{write_trec, write_trec_groups};
pub(crate) use words::count;

/// ANSI sequences to use; all empty when colour is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Matched words.
    pub highlight: &'static str,
    /// Headlines.
    pub headline: &'static str,
    /// Paths and other quiet detail.
    pub dim: &'static str,
    /// Kind labels.
    pub kind: &'static str,
    /// Back to normal.
    pub reset: &'static str,
}

impl Palette {
    /// No colour at all.
    pub const PLAIN: Palette = Palette {
        highlight: "",
        headline: "",
        dim: "",
        kind: "",
        reset: "",
    };
    /// ripgrep-like colours.
    pub const ANSI: Palette = Palette {
        highlight: "\x1b[1;31m",
        headline: "\x1b[1m",
        dim: "\x1b[35m",
        kind: "\x1b[36m",
        reset: "\x1b[0m",
    };
}
