//! The glue between the command line and the stages: [`run`] settles the
//! flags once (`config`), runs one command (`run_*`, one per subcommand),
//! reports problems on stderr (`progress`) and picks the exit status. Holds
//! no Tantivy type: searches go through a [`Session`].

mod config;
mod progress;
mod stories;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{
    Cli, Command, IndexArgs, OutputFormat, ParseArgs, RelatedArgs, SearchArgs, ShowArgs, StatsArgs,
};
use crate::error::{Error, ExitStatus, Result};
use crate::index::{BriefIndex, IndexOptions, exists, update_index};
use crate::output::{
    Palette, write_batch_json, write_brief, write_groups, write_hits, write_index_report,
    write_json_lines, write_stats, write_trec,
};
use crate::read::{WalkOptions, read_file, walk};
use crate::search::{SearchOptions, Session, read_queries};
use config::{Config, DEFAULT_CORPUS, default_corpus, output_palette, search_config};
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
    let session = open_session(config)?;
    let settled = search_config(&args)?;
    let (options, format) = (settled.options, settled.format);
    if let Some(file) = &args.batch {
        return run_batch(&session, file, options, format, &args.run_tag, out);
    }
    let found_any = if args.group_stories {
        let how = (&options, format, &settled.palette);
        stories::run_search_by_story(config, &session, how, args.per_brief, out)?
    } else if args.group {
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
