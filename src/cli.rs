//! The command line, as clap derive types: flags and their help, nothing
//! else. No I/O and no environment reads here (clap reads `BRIEFS_INDEX`);
//! `app` turns these into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit status:
  search:        0 at least one hit, 1 no hits, 2 error
  index, parse:  0 every file read, 1 done but some input skipped (reported on stderr), 2 error
  related:       0 at least one hit, 1 none, 2 error
  stories:       0 at least one story, 1 none, 2 error
  stats, show:   0 ok, 2 error (show: unknown id)";

/// Index folders of news briefs and search their bullets.
#[derive(Debug, Parser)]
#[command(name = "briefs", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// The index folder [default: index]
    #[arg(long, global = true, env = "BRIEFS_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add new and changed briefs under PATHs to the index, drop deleted ones.
    Index(IndexArgs),
    /// Rank bullets (or briefs) for a query.
    Search(SearchArgs),
    /// Show how files are read as briefs, without indexing them.
    Parse(ParseArgs),
    /// Show what the index holds.
    Stats(StatsArgs),
    /// Show a whole brief, as parsed, by its id or a bullet's id.
    Show(ShowArgs),
    /// Bullets in other briefs that say most nearly what bullet ID says.
    Related(RelatedArgs),
    /// Briefs of different sources that report the same event, as stories.
    Stories(StoriesArgs),
}

/// `briefs index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index [default: corpus]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Start over: drop everything in the index, then read every file.
    #[arg(long)]
    pub rebuild: bool,
    /// Follow symbolic links while walking folders.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Print no summary line (problems are still reported on stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Which documents a search returns (mapped once, in `app::config`, to
/// the library's `KindFilter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Points and summaries.
    Bullet,
    /// Key points only.
    Point,
    /// Summary bullets only.
    Summary,
    /// Whole briefs.
    Article,
    /// Everything.
    All,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The output flags every command that prints results takes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write JSON Lines (one JSON object per line) instead of text.
    #[arg(long)]
    pub json: bool,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// `briefs search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases"~N, AND/OR/NOT, +must, -not, (groups),
    /// headline:/point:/summary:/body:/source: scopes, word*, word~1, word^2.
    #[arg(
        value_name = "QUERY",
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    pub query: Vec<String>,
    /// Run every query of FILE (one a line: `qid<TAB>query`, or a bare query
    /// numbered by its line) with one searcher.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,
    /// Output format: text for people, json (JSON Lines), trec (a TREC run:
    /// `qid Q0 docid rank score tag`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// The run tag written in TREC output.
    #[arg(long, default_value = "briefs", value_name = "TAG")]
    pub run_tag: String,
    /// Read the query as plain words: no operators, scopes, quotes or modifiers.
    #[arg(long)]
    pub literal: bool,
    /// How many hits to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Skip the first N hits.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Which documents to rank.
    #[arg(long, value_enum, default_value_t = Kind::Bullet)]
    pub kind: Kind,
    /// Require every word (the default ranks documents with any word).
    #[arg(long, conflicts_with = "any")]
    pub all: bool,
    /// Match any word (the default).
    #[arg(long)]
    pub any: bool,
    /// Only briefs dated on or after DATE (2026-11-28, 28 Nov 2026, …).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only briefs dated on or before DATE.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Show briefs in order of their best bullet, each with its matching bullets.
    #[arg(long)]
    pub group: bool,
    /// With --group: matching bullets shown per brief (with
    /// --group-stories: per story).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub per_brief: usize,
    /// Fold hits into their stories (as `briefs stories` finds them): each
    /// story where its best hit ranks, with its hits beneath.
    #[arg(long, conflicts_with_all = ["group", "batch"])]
    pub group_stories: bool,
    /// Show near-duplicate bullets of one brief instead of folding them.
    #[arg(long)]
    pub no_dedup: bool,
    /// --json (the same as --format json) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Output formats of `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// JSON Lines.
    Json,
    /// A TREC run file.
    Trec,
}

/// `briefs show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A brief id or a bullet id, as search prints them.
    #[arg(value_name = "ID")]
    pub id: String,
    /// --json (the brief as one JSON object) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `briefs related`.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// A bullet id, as search prints it.
    #[arg(value_name = "ID")]
    pub id: String,
    /// How many bullets to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// --json (one hit per line) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `briefs stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Rank stories by relevance to this query (the search query language);
    /// without one, by size and recency.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only briefs dated on or after DATE (2026-11-28, 28 Nov 2026, …).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only briefs dated on or before DATE.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Link briefs dated at most this far apart: 72h, 3d, 2w (rounded up to
    /// whole days).
    #[arg(long, default_value = "72h", value_name = "DURATION")]
    pub window: String,
    /// Show only stories told by at least N sources.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_sources: usize,
    /// How many stories to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// --json (one story per line) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `briefs parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to read.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// --json (one brief per line) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `briefs stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Write one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
