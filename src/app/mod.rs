//! The glue between the command line and the stages: [`run`] settles the
//! flags once (`config`), runs one command (`run_*`, one per subcommand),
//! reports problems on stderr (`progress`) and picks the exit status. Holds
//! no Tantivy type: searches go through a [`Session`].

mod config;
mod engine;
mod progress;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{
    Cli, Command, EngineName, ExportArgs, IndexArgs, OutputFormat, ParseArgs, RelatedArgs,
    SearchArgs, ShowArgs, StatsArgs, SyncArgs,
};
use crate::error::{Error, ExitStatus, Result};
use crate::index::{BriefIndex, IndexOptions, IndexSnapshot, exists, update_index};
use crate::output::{
    Palette, write_batch_json, write_brief, write_export_report, write_groups, write_hits,
    write_index_report, write_json_lines, write_stats, write_sync_report, write_trec,
};
use crate::read::{WalkOptions, read_file, walk};
use crate::search::{SearchOptions, Session, read_queries};
use config::{Config, DEFAULT_CORPUS, default_corpus, output_palette, search_config};
use engine::{StderrSyncProgress, engine_settings, export_format};
use progress::StderrReporter;

/// Runs the command, writing results to `out` and diagnostics to stderr.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<ExitStatus> {
    let config = Config::new(cli.index);
    match cli.command {
        Command::Index(args) => run_index(&config, args, out),
        Command::Search(args) => run_search(&config, args, out),
        Command::Parse(args) => run_parse(args, out),
        Command::Stats(args) => run_stats(&config, args, out),
        Command::Show(args) => run_show(&config, args, out),
        Command::Related(args) => run_related(&config, args, out),
        Command::Sync(args) => run_sync(&config, args, out),
        Command::Export(args) => run_export(&config, args, out),
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

fn run_index(config: &Config, args: IndexArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let index_dir = &config.index_dir;
    let (roots, hint) = if args.paths.is_empty() {
        let hint = " (`briefs index` with no PATH reads corpus/; name the folders to index)";
        (vec![PathBuf::from(DEFAULT_CORPUS)], hint)
    } else {
        (args.paths, "")
    };
    // A root that is not there is a typo or the wrong folder, not an empty
    // corpus: stop before anything is created or removed. (One that is
    // there but cannot be read is a problem reported by the walk.)
    if let Some(missing) = roots.iter().find(|root| {
        matches!(std::fs::symlink_metadata(root), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
    }) {
        return Err(Error::NoSuchPath {
            path: missing.clone(),
            hint,
        });
    }
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
    let report = update_index(&index, &options, &mut StderrReporter::new())?;
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
        eprintln!(
            "briefs: no index yet in {}/; building it from {DEFAULT_CORPUS}/ first",
            index_dir.display()
        );
        let index = BriefIndex::open_or_create(index_dir)?;
        let options = IndexOptions::new(vec![corpus.to_path_buf()]);
        update_index(&index, &options, &mut StderrReporter::new())?;
    }
    Session::open(index_dir)
}

fn run_search(config: &Config, args: SearchArgs, out: &mut impl Write) -> Result<ExitStatus> {
    if let Some(engine) = args.engine {
        return run_engine_search(config, engine, args, out);
    }
    let session = open_session(config)?;
    let settled = search_config(&args)?;
    let (options, format) = (settled.options, settled.format);
    if let Some(file) = &args.batch {
        return run_batch(&session, file, options, format, &args.run_tag, out);
    }
    let found_any = if args.group {
        let mut groups = session.search_grouped(&options, args.per_brief)?;
        for group in &mut groups {
            group.path = config.shown_path(&group.path);
            config.show_paths(&mut group.hits);
        }
        match format {
            OutputFormat::Text => write_groups(out, &groups, &settled.palette),
            _ => write_json_lines(out, &groups),
        }
        .map_err(Error::Output)?;
        !groups.is_empty()
    } else {
        let mut hits = session.search(&options)?;
        config.show_paths(&mut hits);
        match format {
            OutputFormat::Text => write_hits(out, &hits, &settled.palette),
            OutputFormat::Json => write_json_lines(out, &hits),
            OutputFormat::Trec => write_trec(out, "1", &hits, &args.run_tag),
        }
        .map_err(Error::Output)?;
        !hits.is_empty()
    };
    Ok(found_status(found_any))
}

/// Runs every query of `file`; a query that does not parse is read as plain
/// words (said once on stderr).
fn run_batch(
    session: &Session,
    file: &Path,
    template: SearchOptions,
    format: OutputFormat,
    tag: &str,
    out: &mut impl Write,
) -> Result<ExitStatus> {
    let queries = read_queries(file)?;
    let mut any = false;
    let mut literal_fallbacks = 0;
    for query in &queries {
        let mut options = template.clone();
        options.query = query.text.clone();
        let hits = match session.search(&options) {
            Err(Error::Query { .. }) if !options.literal => {
                literal_fallbacks += 1;
                options.literal = true;
                session.search(&options).or_else(|e| match e {
                    Error::Query { .. } => Ok(Vec::new()),
                    other => Err(other),
                })?
            }
            other => other?,
        };
        any |= !hits.is_empty();
        match format {
            OutputFormat::Trec => write_trec(out, &query.qid, &hits, tag),
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
    Ok(found_status(any))
}

fn run_show(config: &Config, args: ShowArgs, out: &mut impl Write) -> Result<ExitStatus> {
    let session = Session::open(&config.index_dir)?;
    let found = session.find(&args.id)?;
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
    let session = Session::open(&config.index_dir)?;
    let mut hits = session.related(&args.id, args.limit)?;
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
    let mut engine = crate::engine::connect(&engine_settings(name, &args.connection))?;
    let settled = search_config(&args)?;
    let (options, format) = (settled.options, settled.format);
    let found_any = if args.group {
        let mut groups = engine.search_grouped(&options, args.per_brief)?;
        for group in &mut groups {
            group.path = config.shown_path(&group.path);
            config.show_paths(&mut group.hits);
        }
        match format {
            OutputFormat::Text => write_groups(out, &groups, &settled.palette),
            _ => write_json_lines(out, &groups),
        }
        .map_err(Error::Output)?;
        !groups.is_empty()
    } else {
        let mut hits = engine.search(&options)?;
        config.show_paths(&mut hits);
        match format {
            OutputFormat::Text => write_hits(out, &hits, &settled.palette),
            OutputFormat::Json => write_json_lines(out, &hits),
            OutputFormat::Trec => write_trec(out, "1", &hits, &args.run_tag),
        }
        .map_err(Error::Output)?;
        !hits.is_empty()
    };
    Ok(found_status(found_any))
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
    let report = crate::engine::export(&snapshot, format, &args.name, &args.dir)?;
    write_export_report(out, &report, format.name(), &args.dir.to_string_lossy())
        .map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
