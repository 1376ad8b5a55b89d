//! The glue between the command line and the library: settles every
//! setting once (index folder, colour, terminal), runs the stages, reports
//! problems on stderr, and picks the exit status. The only module besides
//! `main` that reads the environment.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::batch::read_queries;
use crate::cli::{
    Cli, ColorWhen, Command, Format, IndexArgs, KindArg, ParseArgs, RelatedArgs, SearchArgs,
    ShowArgs, StatsArgs,
};
use crate::compile::Weights;
use crate::corpus::{Problem, WalkOptions, read_file, walk};
use crate::date::parse_day;
use crate::error::{Error, ExitStatus, Result};
use crate::hit::{Hit, relative_path};
use crate::index::{IndexOptions, Progress, Reporter, update_index};
use crate::lookup::find;
use crate::output::{
    Palette, write_batch_json, write_brief, write_groups, write_hits, write_index_report,
    write_json_lines, write_stats, write_trec,
};
use crate::pasted::Tidy;
use crate::related::related;
use crate::search::{KindFilter, SearchOptions, load_hit, search, search_grouped};
use crate::stats::{count_briefs, index_stats};
use crate::store::{BriefIndex, exists};

/// The index folder used when neither `--index` nor `BRIEFS_INDEX` names one.
pub const DEFAULT_INDEX: &str = "index";
/// The folder indexed when `briefs index` is given no path.
pub const DEFAULT_CORPUS: &str = "corpus";

/// Runs the command, writing results to `out` and diagnostics to stderr.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<ExitStatus> {
    let index_given = cli.index.is_some();
    let index_dir = cli.index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    match cli.command {
        Command::Index(args) => run_index(&index_dir, args, out),
        Command::Search(args) => run_search(&index_dir, index_given, args, out),
        Command::Parse(args) => run_parse(args, out),
        Command::Stats(args) => run_stats(&index_dir, args, out),
        Command::Show(args) => run_show(&index_dir, args, out),
        Command::Related(args) => run_related(&index_dir, args, out),
    }
}

/// Colour on or off, by the rule ripgrep and fd follow: `auto` colours only
/// a terminal, and only when NO_COLOR is unset or empty and TERM is not dumb.
fn palette(when: ColorWhen, json: bool) -> Palette {
    let on = match when {
        _ if json => false,
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
            std::io::stdout().is_terminal() && !no_color && !dumb
        }
    };
    if on { Palette::ANSI } else { Palette::PLAIN }
}

/// Prints problems as `briefs: path:line: reason` and, on a terminal,
/// a progress line that the next message overwrites.
struct StderrReporter {
    progress: bool,
    last_progress: Option<Instant>,
    progress_shown: bool,
}

impl StderrReporter {
    fn new() -> StderrReporter {
        StderrReporter {
            progress: std::io::stderr().is_terminal(),
            last_progress: None,
            progress_shown: false,
        }
    }

    fn clear_progress(&mut self) {
        if self.progress_shown {
            eprint!("\r\x1b[2K");
            self.progress_shown = false;
        }
    }
}

impl Reporter for StderrReporter {
    fn problem(&mut self, problem: &Problem, unchanged: bool) {
        self.clear_progress();
        let note = if unchanged {
            " (unchanged since it was last read)"
        } else {
            ""
        };
        eprintln!("briefs: {problem}{note}");
    }

    fn progress(&mut self, progress: Progress) {
        if !self.progress {
            return;
        }
        let due = self
            .last_progress
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(200));
        let done = progress.files_done == progress.files_total;
        if due && !done {
            eprint!(
                "\r\x1b[2Kindexing: {}/{} files, {} briefs",
                progress.files_done, progress.files_total, progress.briefs
            );
            self.progress_shown = true;
            self.last_progress = Some(Instant::now());
        }
        if done {
            self.clear_progress();
        }
    }
}

fn run_index(index_dir: &Path, args: IndexArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths
    };
    let index = if args.rebuild {
        match BriefIndex::open_or_create(index_dir) {
            Err(Error::IndexVersion { .. } | Error::IndexDamaged { .. }) => {
                BriefIndex::create(index_dir)?
            }
            other => other?,
        }
    } else {
        BriefIndex::open_or_create(index_dir)?
    };
    let mut options = IndexOptions::new(roots);
    options.rebuild = args.rebuild;
    options.follow_links = args.follow;
    let mut reporter = StderrReporter::new();
    let report = update_index(&index, &options, &mut reporter)?;
    if !args.quiet {
        let briefs = count_briefs(&index, &index.reader()?.searcher())?;
        write_index_report(out, &report, &index_dir.to_string_lossy(), briefs)
            .map_err(Error::Output)?;
    }
    Ok(if report.skipped > 0 {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    })
}

fn run_search(
    index_dir: &Path,
    index_given: bool,
    args: SearchArgs,
    out: &mut impl Write,
) -> Result<ExitStatus> {
    if !index_given && !exists(index_dir) && Path::new(DEFAULT_CORPUS).is_dir() {
        eprintln!(
            "briefs: no index yet in {}/; building it from {DEFAULT_CORPUS}/ first",
            index_dir.display()
        );
        let index = BriefIndex::open_or_create(index_dir)?;
        let options = IndexOptions::new(vec![PathBuf::from(DEFAULT_CORPUS)]);
        update_index(&index, &options, &mut StderrReporter::new())?;
    }
    let index = BriefIndex::open(index_dir)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let format = if args.json { Format::Json } else { args.format };
    let options = SearchOptions {
        query: args.query.join(" "),
        limit: args.limit,
        offset: args.offset,
        kind: match args.kind {
            KindArg::Bullet => KindFilter::Bullet,
            KindArg::Point => KindFilter::Point,
            KindArg::Summary => KindFilter::Summary,
            KindArg::Article => KindFilter::Article,
            KindArg::All => KindFilter::All,
        },
        all_terms: args.all,
        since: args
            .since
            .as_deref()
            .map(|d| day_arg("--since", d))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|d| day_arg("--until", d))
            .transpose()?,
        dedup: !args.no_dedup,
        literal: args.literal,
        highlight: format != Format::Trec,
        weights: weights_from_env()?,
        tidy: Tidy::PASTED,
    };
    let palette = palette(args.color, format != Format::Text);
    let cwd = std::env::current_dir().unwrap_or_default();
    if let Some(file) = &args.batch {
        return run_batch(&index, &searcher, file, options, format, &args.run_tag, out);
    }
    let found_any = if args.group {
        let mut groups = search_grouped(&index, &searcher, &options, args.per_brief)?;
        for group in &mut groups {
            group.path = relative_path(&group.path, &cwd);
            relativize(&mut group.hits, &cwd);
        }
        match format {
            Format::Text => write_groups(out, &groups, &palette),
            _ => write_json_lines(out, &groups),
        }
        .map_err(Error::Output)?;
        !groups.is_empty()
    } else {
        let mut hits = search(&index, &searcher, &options)?;
        relativize(&mut hits, &cwd);
        match format {
            Format::Text => write_hits(out, &hits, &palette),
            Format::Json => write_json_lines(out, &hits),
            Format::Trec => write_trec(out, "1", &hits, &args.run_tag),
        }
        .map_err(Error::Output)?;
        !hits.is_empty()
    };
    Ok(if found_any {
        ExitStatus::Success
    } else {
        ExitStatus::Partial
    })
}

/// Runs every query of `file`; a query that does not parse is read as plain
/// words (said once on stderr).
fn run_batch(
    index: &BriefIndex,
    searcher: &tantivy::Searcher,
    file: &Path,
    template: SearchOptions,
    format: Format,
    tag: &str,
    out: &mut impl Write,
) -> Result<ExitStatus> {
    let queries = read_queries(file)?;
    let mut any = false;
    let mut literal_fallbacks = 0;
    for query in &queries {
        let mut options = template.clone();
        options.query = query.text.clone();
        let hits = match search(index, searcher, &options) {
            Err(Error::Query(_)) if !options.literal => {
                literal_fallbacks += 1;
                options.literal = true;
                search(index, searcher, &options).or_else(|e| match e {
                    Error::Query(_) => Ok(Vec::new()),
                    other => Err(other),
                })?
            }
            other => other?,
        };
        any |= !hits.is_empty();
        match format {
            Format::Trec => write_trec(out, &query.qid, &hits, tag),
            _ => write_batch_json(out, &query.qid, &hits),
        }
        .map_err(Error::Output)?;
    }
    if literal_fallbacks > 0 {
        eprintln!(
            "briefs: {literal_fallbacks} of {} queries did not parse and were read as plain words",
            queries.len()
        );
    }
    Ok(if any {
        ExitStatus::Success
    } else {
        ExitStatus::Partial
    })
}

/// Field weights: the defaults, or `BRIEFS_WEIGHTS` (`context=0.5,body=1`)
/// for ranking experiments.
fn weights_from_env() -> Result<Weights> {
    match std::env::var("BRIEFS_WEIGHTS") {
        Ok(spec) => Weights::parse(&spec).map_err(|e| Error::Query(format!("BRIEFS_WEIGHTS: {e}"))),
        Err(_) => Ok(Weights::default()),
    }
}

fn day_arg(flag: &str, text: &str) -> Result<i64> {
    parse_day(text)
        .ok_or_else(|| Error::Query(format!("{flag} {text}: not a date (try 2026-11-28)")))
}

fn relativize(hits: &mut [Hit], cwd: &Path) {
    for hit in hits {
        hit.path = relative_path(&hit.path, cwd);
    }
}

fn write_hit_list(out: &mut impl Write, hits: &[Hit], json: bool, palette: &Palette) -> Result<()> {
    if json {
        write_json_lines(out, hits).map_err(Error::Output)
    } else {
        write_hits(out, hits, palette).map_err(Error::Output)
    }
}

fn run_show(index_dir: &Path, args: ShowArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let index = BriefIndex::open(index_dir)?;
    let reader = index.reader()?;
    let found = find(&index, &reader.searcher(), &args.id)?;
    let mut brief = found.brief;
    let cwd = std::env::current_dir().unwrap_or_default();
    brief.path = relative_path(&found.file, &cwd);
    if args.json {
        write_json_lines(out, &[brief]).map_err(Error::Output)?;
    } else {
        write_brief(out, &brief, found.bullet, &palette(args.color, false))
            .map_err(Error::Output)?;
    }
    Ok(ExitStatus::Success)
}

fn run_related(index_dir: &Path, args: RelatedArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let index = BriefIndex::open(index_dir)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut hits = Vec::new();
    for (i, (score, address)) in related(&index, &searcher, &args.id, args.limit)?
        .into_iter()
        .enumerate()
    {
        let mut hit = load_hit(&index, &searcher, score, address)?;
        hit.rank = i + 1;
        hits.push(hit);
    }
    relativize(&mut hits, &cwd);
    write_hit_list(out, &hits, args.json, &palette(args.color, args.json))?;
    Ok(if hits.is_empty() {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    })
}

fn run_parse(args: ParseArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let palette = palette(args.color, args.json);
    let found = walk(&args.files, &WalkOptions::default());
    let mut problems = found.problems.len();
    for problem in &found.problems {
        eprintln!("briefs: {problem}");
    }
    for entry in &found.files {
        let contents = read_file(entry);
        for problem in &contents.problems {
            eprintln!("briefs: {problem}");
        }
        problems += contents.problems.len();
        if args.json {
            write_json_lines(out, &contents.briefs).map_err(Error::Output)?;
        } else {
            for brief in &contents.briefs {
                write_brief(out, brief, None, &palette).map_err(Error::Output)?;
            }
        }
    }
    Ok(if problems > 0 {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    })
}

fn run_stats(index_dir: &Path, args: StatsArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let index = BriefIndex::open(index_dir)?;
    let reader = index.reader()?;
    let stats = index_stats(&index, &reader.searcher())?;
    if args.json {
        write_json_lines(out, &[stats]).map_err(Error::Output)?;
    } else {
        write_stats(out, &stats).map_err(Error::Output)?;
    }
    Ok(ExitStatus::Success)
}
