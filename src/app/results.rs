//! One query's results, found and written the same way by `search` and by
//! each query of `search --batch`: hits or groups, their paths shown as
//! `Config` shows paths, written in the format settled (`config`), with the
//! query's id in batch output.

use std::io::{self, Write};

use crate::app::config::Config;
use crate::cli::OutputFormat;
use crate::error::Result;
use crate::output::{
    Palette, write_batch_json, write_groups, write_hits, write_json_lines, write_trec,
    write_trec_groups,
};
use crate::search::{Group, Hit, SearchOptions, Session};

/// Hits, or hits grouped by brief (`--group`).
pub(crate) enum Results {
    Hits(Vec<Hit>),
    Groups(Vec<Group>),
}

impl Results {
    /// Runs one search, grouped when `per_brief` is given, with every path
    /// as shown.
    pub(crate) fn find(
        session: &Session,
        config: &Config,
        options: &SearchOptions,
        per_brief: Option<usize>,
    ) -> Result<Results> {
        Ok(match per_brief {
            Some(per_brief) => {
                let mut groups = session.search_grouped(options, per_brief)?;
                for group in &mut groups {
                    group.path = config.shown_path(&group.path);
                    config.show_paths(&mut group.hits);
                }
                Results::Groups(groups)
            }
            None => {
                let mut hits = session.search(options)?;
                config.show_paths(&mut hits);
                Results::Hits(hits)
            }
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Results::Hits(hits) => hits.is_empty(),
            Results::Groups(groups) => groups.is_empty(),
        }
    }

    /// Writes the results in `format`; `qid` is the batch query's id (TREC's
    /// first column and JSON's `qid` key; a plain search's TREC qid is `1`).
    /// Grouped TREC ranks the briefs: `docid` is the brief id, the score
    /// its best bullet's.
    pub(crate) fn write(
        &self,
        out: &mut impl Write,
        format: OutputFormat,
        palette: &Palette,
        qid: Option<&str>,
        tag: &str,
    ) -> io::Result<()> {
        match (self, format, qid) {
            (Results::Hits(hits), OutputFormat::Text, _) => write_hits(out, hits, palette),
            (Results::Groups(groups), OutputFormat::Text, _) => write_groups(out, groups, palette),
            (Results::Hits(hits), OutputFormat::Json, None) => write_json_lines(out, hits),
            (Results::Groups(groups), OutputFormat::Json, None) => write_json_lines(out, groups),
            (Results::Hits(hits), OutputFormat::Json, Some(qid)) => {
                write_batch_json(out, qid, hits)
            }
            (Results::Groups(groups), OutputFormat::Json, Some(qid)) => {
                write_batch_json(out, qid, groups)
            }
            (Results::Hits(hits), OutputFormat::Trec, qid) => {
                write_trec(out, qid.unwrap_or("1"), hits, tag)
            }
            (Results::Groups(groups), OutputFormat::Trec, qid) => {
                write_trec_groups(out, qid.unwrap_or("1"), groups, tag)
            }
        }
    }
}
