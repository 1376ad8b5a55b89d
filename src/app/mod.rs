//! The glue between the command line and the stages: [`run`] settles the
//! flags once (`config`), runs one command (`run_*`, one per subcommand),
//! reports problems on stderr (`progress`) and picks the exit status. Holds
//! no Tantivy type: searches go through a [`Session`].

mod config;
mod engine;
mod progress;
mod results;
mod stderr;
mod stories;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::cli::{
    Cli, Command, EngineName, ExportArgs, IndexArgs, Kind, OutputFormat, ParseArgs, RelatedArgs,
    SearchArgs, ShowArgs, SortOrder, StatsArgs, SyncArgs, WatchArgs,
};
use crate::error::{Error, ExitStatus, Result};
use crate::generate::generate;
use crate::index::{BriefIndex, IndexOptions, IndexSnapshot, exists, update_index};
use crate::output::{
    Palette, count, write_brief, write_export_report, write_hits, write_index_report,
    write_json_lines, write_query_heading, write_stats, write_sync_report, zero_hits_line,
};
use crate::read::{WalkOptions, read_file, walk};
use crate::search::{BatchLine, Session, body_scope_without_articles, query_lines};
use crate::trace;
use crate::watch::watch;
use config::{
    Config, DEFAULT_CORPUS, SearchConfig, check_related_limit, default_corpus, output_palette,
    progress_bar, search_config, watch_config,
};
use engine::{StderrSyncProgress, engine_settings, export_format};
use progress::StderrReporter;
use results::Results;
pub use stderr::report_error;

/// Runs the command, writing results to `out` and diagnostics to stderr.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<ExitStatus> {
    let config = Config::new(cli.index_dir().cloned());
    let command = match (cli.command, cli.generate) {
        (Some(command), _) => command,
        // `usage::parse_args` lets through one or the other, not both.
        (None, Some(kind)) => {
            generate(kind, out).map_err(Error::Output)?;
            return Ok(ExitStatus::Success);
        }
        (None, None) => return Err(Error::NoCommand),
    };
    match command {
        Command::Index(args) => run_index(&config, args, out),
        Command::Search(args) => run_search(&config, args, out),
        Command::Parse(args) => run_parse(args, out),
        Command::Stats(args) => run_stats(&config, args, out),
        Command::Show(args) => run_show(&config, args, out),
        Command::Related(args) => run_related(&config, args, out),
        Command::Watch(args) => run_watch(&config, args, out),
        Command::Sync(args) => run_sync(&config, args, out),
        Command::Export(args) => run_export(&config, args, out),
        Command::Stories(args) => {
            stories::run_stories(&config, &open_session(&config)?, &args, out)
        }
    }
}

/// Success when `found` is true, else the "nothing found" status.
fn found_status(found: bool) -> ExitStatus {
    if found {
        ExitStatus::Success
    } else {
        ExitStatus::Partial
    }
}

/// The roots a command names, or `corpus/`; a root that is not there is a
/// typo or the wrong folder, not an empty corpus: stop before anything is
/// created or removed. (One that is there but cannot be read is a problem
/// reported by the walk.)
fn existing_roots(paths: Vec<PathBuf>, command: &str) -> Result<Vec<PathBuf>> {
    let defaulted = paths.is_empty();
    let roots = if defaulted {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        paths
    };
    if let Some(missing) = roots.iter().find(|root| {
        matches!(std::fs::symlink_metadata(root), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
    }) {
        let hint = match (defaulted, command) {
            (false, _) => "",
            (true, "watch") => " (`briefs watch` with no PATH follows corpus/; name the folders to follow)",
            (true, _) => " (`briefs index` with no PATH reads corpus/; name the folders to index)",
        };
        return Err(Error::NoSuchPath {
            path: missing.clone(),
            hint,
        });
    }
    Ok(roots)
}

fn run_index(config: &Config, args: IndexArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let index_dir = &config.index_dir;
    let roots = existing_roots(args.paths, "index")?;
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
    options.hidden = args.walk.hidden;
    options.no_ignore = args.walk.no_ignore;
    let mut reporter = StderrReporter::new(progress_bar(args.quiet));
    let report = update_index(&index, &options, &mut reporter)?;
    drop(reporter);
    if !args.quiet {
        let briefs = Session::new(index)?.count_briefs()?;
        write_index_report(out, &report, &index_dir.to_string_lossy(), briefs)
            .map_err(Error::Output)?;
    }
    Ok(if report.skipped > 0 {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    })
}

/// Opens the index for searching; a first search with no index and no
/// `--index` builds it from `corpus/` first.
fn open_session(config: &Config) -> Result<Session> {
    let index_dir = &config.index_dir;
    if !config.index_given
        && !exists(index_dir)
        && let Some(corpus) = default_corpus()
    {
        stderr::say(&format!(
            "no index yet in {}/; building it from {DEFAULT_CORPUS}/ first",
            index_dir.display()
        ));
        let index = BriefIndex::open_or_create(index_dir)?;
        let options = IndexOptions::new(vec![corpus.to_path_buf()]);
        update_index(
            &index,
            &options,
            &mut StderrReporter::new(progress_bar(false)),
        )?;
    }
    Session::open(index_dir)
}

fn run_search(config: &Config, args: SearchArgs, out: &mut impl Write) -> Result<ExitStatus> {
    if let Some(engine) = args.engine {
        return run_engine_search(config, engine, args, out);
    }
    // Flags first: a bad flag needs no index.
    let settled = search_config(&args)?;
    trace::mark("flags");
    let session = open_session(config)?;
    if let Some(file) = &args.batch {
        return run_batch(&session, config, file, &settled, &args, out);
    }
    let body_note = body_scope_without_articles(&settled.options);
    if body_note {
        stderr::say(&body_scope_note(args.kind));
    }
    if args.group_stories {
        let how = (&settled.options, settled.format, &settled.palette);
        let found = stories::run_search_by_story(config, &session, how, args.per_brief(), out)?;
        return Ok(found_status(found));
    }
    let per_brief = args.group.then_some(args.per_brief());
    let results = Results::find(&session, config, &settled.options, per_brief)?;
    results
        .write(out, settled.format, &settled.palette, None, args.run_tag())
        .map_err(Error::Output)?;
    // Only with no hits (the hints cost searches of their own), and not
    // after the note on `body:`, which already names --kind article.
    if results.is_empty() && !body_note {
        let hints = session.zero_hit_hints(&settled.options)?;
        if let Some(line) = zero_hits_line(&hints) {
            stderr::say(&line);
        }
    }
    trace::mark("write");
    // The process ends next, and the kernel unmaps every file at exit at
    // once: closing the session here would unmap them one by one.
    std::mem::forget(session);
    Ok(found_status(!results.is_empty()))
}

/// Why a `body:` scope finds nothing among bullets.
fn body_scope_note(kind: Kind) -> String {
    let kind = kind
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string());
    format!(
        "`body:` looks in the body of articles only, so it matches nothing with --kind {kind}; \
         add --kind article (or --kind all)"
    )
}

/// Runs every query of `file` as `search` runs one (grouped, in any
/// format), each under a heading in text output, one line at a time; a
/// query that does not parse is read as plain words (said once on stderr).
/// A line that cannot be run (too long, not UTF-8, over the query budget)
/// is named on stderr with its qid and skipped, the others run, and the
/// status is then 2: the results of every other query are all written.
fn run_batch(
    session: &Session,
    config: &Config,
    file: &Path,
    settled: &SearchConfig,
    args: &SearchArgs,
    out: &mut impl Write,
) -> Result<ExitStatus> {
    let per_brief = args.group.then_some(args.per_brief());
    let mut any = false;
    let (mut lines, mut queries, mut literal_fallbacks, mut skipped) = (0u64, 0u64, 0u64, 0u64);
    let mut body_scoped = 0;
    let shown = file.display();
    for line in query_lines(file)? {
        lines += 1;
        let query = match line? {
            BatchLine::Query(query) => query,
            BatchLine::Bad { qid, line, reason } => {
                skipped += 1;
                stderr::say(&format!("{shown}:{line} (qid {qid}): {reason}; skipped"));
                continue;
            }
        };
        queries += 1;
        let mut options = settled.options.clone();
        options.query = query.text.clone();
        if body_scope_without_articles(&options) {
            body_scoped += 1;
        }
        let found = match Results::find(session, config, &options, per_brief) {
            Err(Error::Query { .. }) if !options.literal => {
                literal_fallbacks += 1;
                options.literal = true;
                Results::find(session, config, &options, per_brief)
            }
            other => other,
        };
        let results = match found {
            Ok(results) => results,
            // No word left to look for: nothing found.
            Err(Error::Query { source }) if !source.over_budget => Results::Hits(Vec::new()),
            Err(err @ (Error::Query { .. } | Error::QueryTooBroad { .. })) => {
                skipped += 1;
                stderr::say(&format!(
                    "{shown}:{} (qid {}): {err}; skipped",
                    query.line, query.qid
                ));
                continue;
            }
            Err(other) => return Err(other),
        };
        any |= !results.is_empty();
        let (format, palette) = (settled.format, &settled.palette);
        if format == OutputFormat::Text {
            let found = !results.is_empty();
            write_query_heading(out, queries == 1, &query.qid, &query.text, found, palette)
                .map_err(Error::Output)?;
        }
        results
            .write(out, format, palette, Some(&query.qid), args.run_tag())
            .map_err(Error::Output)?;
    }
    let total = count(queries, "query", "queries");
    if literal_fallbacks > 0 {
        let were = if literal_fallbacks == 1 {
            "was"
        } else {
            "were"
        };
        stderr::say(&format!(
            "{literal_fallbacks} of {total} did not parse and {were} read as plain words"
        ));
    }
    if body_scoped > 0 {
        stderr::say(&format!(
            "{body_scoped} of {total}: {}",
            body_scope_note(args.kind)
        ));
    }
    if skipped > 0 {
        stderr::say(&format!(
            "{skipped} of {} in {shown} {} skipped (named above); the results of the others are all written",
            count(lines, "query", "queries"),
            if skipped == 1 { "was" } else { "were" }
        ));
        return Ok(ExitStatus::Error);
    }
    Ok(found_status(any))
}

fn run_show(config: &Config, args: ShowArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let session = Session::open(&config.index_dir)?;
    let id = session.resolve(&args.id, &|path| config.keys_for(path), false)?;
    let found = session.find(&id)?;
    let mut brief = found.brief;
    brief.path = config.shown_path(&found.file);
    if args.output.json {
        write_json_lines(out, &[brief]).map_err(Error::Output)?;
    } else {
        write_brief(out, &brief, found.bullet, &output_palette(&args.output))
            .map_err(Error::Output)?;
    }
    Ok(ExitStatus::Success)
}

fn run_related(config: &Config, args: RelatedArgs, out: &mut impl Write) -> Result<ExitStatus> {
    check_related_limit(args.limit)?;
    let session = Session::open(&config.index_dir)?;
    let id = session.resolve(&args.id, &|path| config.keys_for(path), true)?;
    let mut hits = session.related(&id, args.limit)?;
    config.show_paths(&mut hits);
    if args.output.json {
        write_json_lines(out, &hits)
    } else {
        write_hits(out, &hits, &output_palette(&args.output))
    }
    .map_err(Error::Output)?;
    Ok(found_status(!hits.is_empty()))
}

fn run_parse(args: ParseArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let palette: Palette = output_palette(&args.output);
    // As for `index`: a path that is not there is a typo, not a problem
    // of the input; nothing is parsed.
    if let Some(missing) = args.files.iter().find(|path| is_missing(path)) {
        return Err(Error::NoSuchPath {
            path: missing.clone(),
            hint: "",
        });
    }
    let walk_options = WalkOptions {
        hidden: args.walk.hidden,
        no_ignore: args.walk.no_ignore,
        ..WalkOptions::default()
    };
    let found = walk(&args.files, &walk_options);
    let mut problems = found.problems.len();
    for problem in &found.problems {
        stderr::say(&problem.to_string());
    }
    for entry in &found.files {
        let contents = read_file(entry);
        for problem in &contents.problems {
            stderr::say(&problem.to_string());
        }
        problems += contents.problems.len();
        if args.output.json {
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

/// Whether nothing at all is at `path` (not even a dangling link); one that
/// is there but cannot be read is a problem the walk reports.
fn is_missing(path: &Path) -> bool {
    matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// `briefs watch`: runs until SIGINT or SIGTERM (`watch/`).
fn run_watch(config: &Config, args: WatchArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let roots = existing_roots(args.paths.clone(), "watch")?;
    let settings = watch_config(config, &args, roots)?;
    watch(&settings, out, &mut StderrReporter::new(false))
}

fn run_stats(config: &Config, args: StatsArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let stats = Session::open(&config.index_dir)?.stats()?;
    if args.json {
        write_json_lines(out, &[stats]).map_err(Error::Output)?;
    } else {
        write_stats(out, &stats).map_err(Error::Output)?;
    }
    Ok(ExitStatus::Success)
}

/// `search --engine`: the same search and output, the hits from the engine;
/// no local index is read.
fn run_engine_search(
    config: &Config,
    name: EngineName,
    args: SearchArgs,
    out: &mut impl Write,
) -> Result<ExitStatus> {
    if args.batch.is_some() {
        return Err(Error::EngineSettings {
            detail: "--batch runs on the local index only; run one search a query with --engine"
                .into(),
        });
    }
    if let Some(flag) = local_only_flag(&args) {
        return Err(Error::EngineSettings {
            detail: format!("{flag} runs on the local index only; search without --engine"),
        });
    }
    let mut engine = crate::engine::connect(&engine_settings(name, &args.connection))?;
    let settled = search_config(&args)?;
    let (options, format) = (settled.options, settled.format);
    // Paths shown and output written as a local search shows and writes them.
    let results = if args.group {
        let mut groups = engine.search_grouped(&options, args.per_brief())?;
        for group in &mut groups {
            group.path = config.shown_path(&group.path);
            config.show_paths(&mut group.hits);
        }
        Results::Groups(groups)
    } else {
        let mut hits = engine.search(&options)?;
        config.show_paths(&mut hits);
        Results::Hits(hits)
    };
    results
        .write(out, format, &settled.palette, None, args.run_tag())
        .map_err(Error::Output)?;
    let found_any = !results.is_empty();
    Ok(found_status(found_any))
}

/// A flag of `search` that only the local index can honour, when given.
fn local_only_flag(args: &SearchArgs) -> Option<&'static str> {
    if args.sort != SortOrder::Score {
        Some("--sort date")
    } else if args.recent.is_some() {
        Some("--recent")
    } else if args.explain {
        Some("--explain")
    } else {
        None
    }
}

fn run_sync(config: &Config, args: SyncArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let mut engine = crate::engine::connect(&engine_settings(args.engine, &args.connection))?;
    let snapshot = IndexSnapshot::new(BriefIndex::open(&config.index_dir)?)?;
    let options = crate::engine::SyncOptions {
        batch_docs: usize::try_from(args.batch_size).unwrap_or(usize::MAX),
    };
    let report = crate::engine::sync(
        &snapshot,
        engine.as_mut(),
        options,
        &mut StderrSyncProgress::new(),
    )?;
    if !args.quiet {
        write_sync_report(out, &report, &engine.describe()).map_err(Error::Output)?;
    }
    if report.engine_documents != report.index_documents {
        eprintln!(
            "briefs: {} holds {} documents but the index {}: run `briefs sync` again",
            engine.describe(),
            report.engine_documents,
            report.index_documents
        );
        return Ok(ExitStatus::Partial);
    }
    Ok(if report.refused > 0 {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    })
}

fn run_export(config: &Config, args: ExportArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let snapshot = IndexSnapshot::new(BriefIndex::open(&config.index_dir)?)?;
    let format = export_format(args.to);
    let report = crate::engine::export(&snapshot, format, &args.name, &args.folder)?;
    write_export_report(out, &report, format.name(), &args.folder.to_string_lossy())
        .map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
