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
  watch:         0 stopped by SIGINT or SIGTERM, 2 error (another writer holds the index, a bad --alert file, …)
  stats, show:   0 ok, 2 error (show: unknown id)
  sync:          0 collection up to date, 1 done but some documents refused, 2 error
  export:        0 written, 2 error";

/// Index folders of news briefs and search their bullets.
///
/// briefs reads briefs (.txt, .md, .json, .jsonl: a headline, emoji-led key
/// points, `- ` summary bullets, often with damaged text), keeps a Tantivy
/// index of them up to date, and ranks the bullets that answer a query,
/// each with its brief and a path:line to jump to.
#[derive(Debug, Parser)]
#[command(
    name = "briefs",
    version,
    about,
    after_help = EXIT_CODES,
    arg_required_else_help = true
)]
pub struct Cli {
    /// The index folder, for the commands that use one (also after the
    /// command) [default: index]
    #[arg(long, env = "BRIEFS_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Print a man page or a shell completion script on stdout, and exit.
    #[arg(long, value_enum, value_name = "KIND")]
    pub generate: Option<Generate>,

    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// The man page (roff), for `man -l` or a `man1` folder.
    Man,
    /// Completions for bash.
    CompleteBash,
    /// Completions for zsh.
    CompleteZsh,
    /// Completions for fish.
    CompleteFish,
    /// Completions for PowerShell.
    CompletePowershell,
}

/// `--index DIR`, taken after the commands that use an index (before the
/// command, it is the top-level flag; `BRIEFS_INDEX` is read there).
#[derive(Debug, Args)]
pub struct IndexDirArg {
    /// The index folder [env: BRIEFS_INDEX] [default: index]
    #[arg(long = "index", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// How folders are walked.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Walk hidden files and folders too (names starting with `.`).
    #[arg(long)]
    pub hidden: bool,
    /// Read no .gitignore or .ignore file: walk what they exclude too.
    #[arg(long)]
    pub no_ignore: bool,
}

/// The subcommands.
// Each command's flags are built only when that command runs (`defer`):
// building all ten commands' flags was a third of a search's start-up.
// What needs them all (`--generate`) builds the whole command first. A
// deferred command takes its help text from its flags' struct, so each
// struct's doc comment is its command's.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
    /// Keep the index current as files change; alert on new bullets that
    /// match standing queries.
    Watch(WatchArgs),
    /// Make a search engine's collection hold exactly the index's documents.
    Sync(SyncArgs),
    /// Write the index's documents as the files another engine ingests.
    Export(ExportArgs),
    /// Briefs of different sources that report the same event, as stories.
    Stories(StoriesArgs),
}

/// Keep the index current as files change; alert on new bullets that
/// match standing queries.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Files and folders to follow [default: corpus]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Compare the folders with the index every SECONDS instead of following
    /// the OS's file events (for network file systems).
    #[arg(long, value_name = "SECONDS")]
    pub poll: Option<f64>,
    /// Standing queries, one a line (`name<TAB>query` or a bare query, with
    /// search's flags first, such as `--kind point --min-score 3`): each new
    /// bullet that matches one is printed on stdout.
    #[arg(long, value_name = "FILE")]
    pub alert: Option<PathBuf>,
    /// Alerts as JSON Lines.
    #[arg(long, requires = "alert")]
    pub json: bool,
    /// Run CMD (through the shell) for each alert, with its JSON on stdin.
    #[arg(long, value_name = "CMD", requires = "alert")]
    pub exec: Option<String>,
    /// A burst of events ends after MS milliseconds without one; then it is
    /// committed.
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub debounce: u64,
    /// Follow symbolic links while walking folders.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// No start-up, commit or stop lines on stderr (problems are still reported).
    #[arg(long, short)]
    pub quiet: bool,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
}

/// Add new and changed briefs under PATHs to the index, drop deleted ones.
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
    /// Print no summary line and no progress bar (problems are still
    /// reported on stderr).
    #[arg(long, short)]
    pub quiet: bool,
    /// Hidden files, ignore files.
    #[command(flatten)]
    pub walk: WalkArgs,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
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

/// Rank bullets (or briefs) for a query.
#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("grouping")
        .args(["group", "group_stories"])
        .multiple(true)
))]
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
    /// `qid Q0 docid rank score tag`; of briefs with --group) [default: text]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,
    /// The run tag written in TREC output (with --format trec) [default: briefs]
    #[arg(long, value_name = "TAG")]
    pub run_tag: Option<String>,
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
    #[arg(long, value_name = "N", requires = "grouping")]
    pub per_brief: Option<usize>,
    /// Fold hits into their stories (as `briefs stories` finds them): each
    /// story where its best hit ranks, with its hits beneath.
    #[arg(long, conflicts_with_all = ["group", "batch"])]
    pub group_stories: bool,
    /// Show near-duplicate bullets of one brief instead of folding them.
    #[arg(long)]
    pub no_dedup: bool,
    /// Rank a query on at most N threads (0: one per core, at most 8).
    /// Only an `AND`, a prefix, a typo, a phrase beside other words or a
    /// filter beside words, over a large index, uses more than one; the
    /// hits are the same.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Order of the hits: by score, or by date (newest brief first, equal
    /// dates by score, undated briefs last; with --group, briefs by date).
    #[arg(long, value_enum, default_value_t = SortOrder::Score, value_name = "ORDER")]
    pub sort: SortOrder,
    /// Blend relevance with age: score × (1 − w + w·2^(−age/HALF_LIFE)),
    /// HALF_LIFE as 90m, 36h, 7d, 2w or 1y; undated briefs get 1 − w.
    #[arg(long, value_name = "HALF_LIFE", allow_hyphen_values = true)]
    pub recent: Option<String>,
    /// With --recent: w, how much age weighs, from 0 (relevance alone) to 1.
    #[arg(
        long,
        value_name = "W",
        default_value_t = 0.5,
        requires = "recent",
        allow_negative_numbers = true
    )]
    pub recency_weight: f32,
    /// With --recent: count ages from DATE (2026-11-28, 28 Nov 2026, …)
    /// instead of today (UTC), so a run repeats.
    #[arg(
        long,
        value_name = "DATE",
        requires = "recent",
        allow_hyphen_values = true
    )]
    pub now: Option<String>,
    /// Show under each hit how its score was made: BM25 per field and
    /// word, field weight, boost, fuzzy factor, recency factor.
    #[arg(long)]
    pub explain: bool,
    /// --json (the same as --format json) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
    /// Search this engine's collection instead of the local index.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub engine: Option<EngineName>,
    /// With --engine: its nodes and key.
    #[command(flatten)]
    pub connection: EngineConnection,
}

impl SearchArgs {
    /// The TREC run tag: `--run-tag`, or `briefs`.
    pub fn run_tag(&self) -> &str {
        self.run_tag.as_deref().unwrap_or("briefs")
    }

    /// Bullets shown per brief (or story) when grouped: `--per-brief`, or 3.
    pub fn per_brief(&self) -> usize {
        self.per_brief.unwrap_or(3)
    }
}

/// The orders of `search --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Most relevant first.
    Score,
    /// Newest brief first, equal dates by score.
    Date,
}

/// The engines `sync` and `search --engine` talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineName {
    /// Typesense (a node or a cluster).
    Typesense,
}

/// How to reach an engine.
#[derive(Debug, Args)]
pub struct EngineConnection {
    /// A node's URL (repeat, or comma-separate, for a cluster: requests fail
    /// over from one to the next).
    #[arg(
        long = "node",
        value_name = "URL",
        env = "BRIEFS_ENGINE_NODES",
        value_delimiter = ','
    )]
    pub nodes: Vec<String>,
    /// The engine's API key.
    #[arg(
        long,
        value_name = "KEY",
        env = "BRIEFS_ENGINE_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// The collection on the engine.
    #[arg(long, default_value = "briefs", value_name = "NAME")]
    pub collection: String,
    /// Seconds one request may take on one node before the next is tried.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub timeout: u64,
}

/// Make a search engine's collection hold exactly the index's documents.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The engine.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub engine: EngineName,
    /// Its nodes, key and collection.
    #[command(flatten)]
    pub connection: EngineConnection,
    /// Documents per import request.
    #[arg(long, default_value_t = 250, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch_size: u64,
    /// Print no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
}

/// The engines `export` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTo {
    /// Quickwit 0.9: an index config and NDJSON.
    Quickwit,
    /// OpenSearch 2: index settings and mappings, `_bulk` NDJSON.
    Opensearch,
    /// Typesense: the collection schema and JSONL that `sync` sends.
    Typesense,
}

/// Write the index's documents as the files another engine ingests.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engine to write for.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub to: ExportTo,
    /// A new or empty folder to write into.
    #[arg(value_name = "DIR")]
    pub folder: PathBuf,
    /// The index (collection) name written into the files.
    #[arg(long, default_value = "briefs", value_name = "NAME")]
    pub name: String,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
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

/// Show a whole brief, as parsed, by its id or a bullet's id.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A brief id or a bullet id, as search prints them.
    #[arg(value_name = "ID")]
    pub id: String,
    /// --json (the brief as one JSON object) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
}

/// Bullets in other briefs that say most nearly what bullet ID says.
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
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
}

/// Briefs of different sources that report the same event, as stories.
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
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
}

/// Show how files are read as briefs, without indexing them.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to read.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// --json (one brief per line) and --color.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Hidden files, ignore files.
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// Show what the index holds.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Write one JSON object.
    #[arg(long)]
    pub json: bool,
    /// --index DIR.
    #[command(flatten)]
    pub index: IndexDirArg,
}

impl Cli {
    /// The index folder named by `--index` after the command, else before
    /// it, else by `BRIEFS_INDEX`; `None` for the default.
    pub fn index_dir(&self) -> Option<&PathBuf> {
        let after = match &self.command {
            Some(Command::Index(a)) => a.index.dir.as_ref(),
            Some(Command::Search(a)) => a.index.dir.as_ref(),
            Some(Command::Stats(a)) => a.index.dir.as_ref(),
            Some(Command::Show(a)) => a.index.dir.as_ref(),
            Some(Command::Related(a)) => a.index.dir.as_ref(),
            Some(Command::Watch(a)) => a.index.dir.as_ref(),
            Some(Command::Sync(a)) => a.index.dir.as_ref(),
            Some(Command::Export(a)) => a.index.dir.as_ref(),
            Some(Command::Stories(a)) => a.index.dir.as_ref(),
            Some(Command::Parse(_)) | None => None,
        };
        after.or(self.index.as_ref())
    }
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
