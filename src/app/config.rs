//! Settling the command line once, before anything runs: flags as parsed
//! (`cli`) become the settings the stages take, as ripgrep's low-level
//! arguments become its high-level ones. Colour is decided here (`auto`
//! becomes on or off by the terminal and `NO_COLOR`/`TERM`), dates and
//! `BRIEFS_WEIGHTS` are read and checked, `--limit` and `--offset` are
//! checked against the bounds of a search, and `--kind` is mapped to the
//! library's [`KindFilter`]. The one place that reads the environment
//! (clap itself reads `BRIEFS_INDEX`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use std::time::Duration;

use crate::cli::{ColorWhen, Kind, OutputArgs, OutputFormat, SearchArgs, SortOrder, WatchArgs};
use crate::error::{Error, Result};
use crate::output::Palette;
use crate::parse::parse_day;
use crate::query::{Tidy, Weights};
use crate::search::{
    Hit, KindFilter, MAX_RANKED, Recency, SearchOptions, SortBy, parse_half_life, relative_path,
};
use crate::watch::{AlertSettings, Timing, WatchSettings};

/// The index folder used when neither `--index` nor `BRIEFS_INDEX` names one.
pub(crate) const DEFAULT_INDEX: &str = "index";
/// The folder indexed when `briefs index` is given no path.
pub(crate) const DEFAULT_CORPUS: &str = "corpus";

/// Most hits (or briefs, grouped) `search` and `related` show at once.
pub(crate) const MAX_LIMIT: usize = 10_000;

/// Settings every command shares.
pub(crate) struct Config {
    /// The index folder.
    pub(crate) index_dir: PathBuf,
    /// Whether the user named it (`--index` or `BRIEFS_INDEX`).
    pub(crate) index_given: bool,
    /// Where paths are shown relative to; `None` when the current folder
    /// cannot be read (paths are then shown absolute).
    pub(crate) cwd: Option<PathBuf>,
}

impl Config {
    /// Settles the shared settings from `--index`.
    pub(crate) fn new(index: Option<PathBuf>) -> Config {
        Config {
            index_given: index.is_some(),
            index_dir: index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX)),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// `key` (an absolute path) as shown: relative to the current folder
    /// when inside it.
    pub(crate) fn shown_path(&self, key: &str) -> String {
        match &self.cwd {
            Some(cwd) => relative_path(key, cwd),
            None => key.to_string(),
        }
    }

    /// The file keys a path as shown (or typed) may stand for: absolute as
    /// it is; relative, joined to the current folder (the inverse of
    /// [`Config::shown_path`]), and canonical when the file is still there.
    pub(crate) fn keys_for(&self, shown: &str) -> Vec<String> {
        let path = Path::new(shown);
        let mut keys = Vec::new();
        match &self.cwd {
            Some(cwd) if path.is_relative() => keys.push(cwd.join(path)),
            _ => keys.push(path.to_path_buf()),
        }
        if let Ok(canonical) = path.canonicalize() {
            keys.push(canonical);
        }
        let mut keys: Vec<String> = keys
            .into_iter()
            .map(|k| k.to_string_lossy().into_owned())
            .collect();
        keys.dedup();
        keys
    }

    /// Every hit's path as shown.
    pub(crate) fn show_paths(&self, hits: &mut [Hit]) {
        for hit in hits {
            hit.path = self.shown_path(&hit.path);
        }
    }
}

/// Colour on or off, by the rule ripgrep and fd follow: `auto` colours only
/// a terminal, and only when NO_COLOR is unset or empty and TERM is not
/// dumb. JSON is never coloured.
pub(crate) fn palette(when: ColorWhen, json: bool) -> Palette {
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

/// Whether `briefs index` draws a progress bar on stderr: on a terminal
/// that can redraw a line (not `TERM=dumb`), unless `--quiet`.
pub(crate) fn progress_bar(quiet: bool) -> bool {
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !quiet && !dumb && std::io::stderr().is_terminal()
}

/// The palette for a command's `--json`/`--color` flags.
pub(crate) fn output_palette(output: &OutputArgs) -> Palette {
    palette(output.color, output.json)
}

impl From<Kind> for KindFilter {
    fn from(kind: Kind) -> KindFilter {
        match kind {
            Kind::Bullet => KindFilter::Bullet,
            Kind::Point => KindFilter::Point,
            Kind::Summary => KindFilter::Summary,
            Kind::Article => KindFilter::Article,
            Kind::All => KindFilter::All,
        }
    }
}

/// A search's settings: what to look for and how to print it.
pub(crate) struct SearchConfig {
    pub(crate) options: SearchOptions,
    pub(crate) format: OutputFormat,
    pub(crate) palette: Palette,
}

/// Settles `briefs search`'s flags.
pub(crate) fn search_config(args: &SearchArgs) -> Result<SearchConfig> {
    let format = match (args.output.json, args.format) {
        (true, Some(other @ (OutputFormat::Text | OutputFormat::Trec))) => {
            return Err(Error::IncompatibleFlags {
                first: "--json",
                second: format_flag(other),
                why: "--json is --format json; give one of them",
            });
        }
        (true, _) => OutputFormat::Json,
        (false, format) => format.unwrap_or(OutputFormat::Text),
    };
    if args.run_tag.is_some() && format != OutputFormat::Trec {
        return Err(Error::FlagNeeds {
            flag: "--run-tag",
            needs: "--format trec (the tag is TREC output's last column)",
        });
    }
    check_hits(args.limit, args.offset)?;
    if args.explain && format == OutputFormat::Trec {
        return Err(Error::IncompatibleFlags {
            first: "--explain",
            second: "--format trec",
            why: "a TREC run has six fixed columns; explain with text or --json",
        });
    }
    let (since, until) = date_range(args.since.as_deref(), args.until.as_deref())?;
    let options = SearchOptions {
        query: args.query.join(" "),
        limit: args.limit,
        offset: args.offset,
        kind: args.kind.into(),
        all_terms: args.all,
        since,
        until,
        dedup: !args.no_dedup,
        literal: args.literal,
        highlight: format != OutputFormat::Trec,
        weights: weights_from_env()?,
        tidy: Tidy::PASTED,
        sort: match args.sort {
            SortOrder::Score => SortBy::Score,
            SortOrder::Date => SortBy::Date,
        },
        recency: recency(args)?,
        explain: args.explain,
        // Text output names a lone folded bullet and counts more; JSON
        // lists them, and a TREC run none (reading them costs a stored
        // document each).
        folded_ids: format == OutputFormat::Json,
        threads: args.threads,
    };
    Ok(SearchConfig {
        options,
        format,
        palette: palette(args.output.color, format != OutputFormat::Text),
    })
}

/// `--recent`, `--recency-weight` and `--now`, settled: the half-life in
/// days, the weight checked to be in [0, 1], and the day ages count from
/// (today, UTC, unless `--now`). `--since`/`--until` take dates only (no
/// relative forms), so `--now` does not change them.
fn recency(args: &SearchArgs) -> Result<Option<Recency>> {
    let Some(text) = &args.recent else {
        return Ok(None);
    };
    let half_life_days = parse_half_life(text).map_err(|reason| Error::InvalidFlag {
        flag: "--recent",
        text: text.clone(),
        reason,
    })?;
    let weight = args.recency_weight;
    if !(0.0..=1.0).contains(&weight) {
        return Err(Error::InvalidFlag {
            flag: "--recency-weight",
            text: weight.to_string(),
            reason: "a weight from 0 to 1",
        });
    }
    let now = match &args.now {
        Some(date) => day_arg("--now", date)?,
        None => time::OffsetDateTime::now_utc()
            .unix_timestamp()
            .div_euclid(86_400),
    };
    Ok(Some(Recency {
        half_life_days,
        weight,
        now,
    }))
}

/// `--format F` as typed.
fn format_flag(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Text => "--format text",
        OutputFormat::Json => "--format json",
        OutputFormat::Trec => "--format trec",
    }
}

/// An error unless `--limit` is at most [`MAX_LIMIT`] and `--offset` +
/// `--limit` at most [`MAX_RANKED`], the deepest a search ranks.
fn check_hits(limit: usize, offset: usize) -> Result<()> {
    if limit > MAX_LIMIT {
        return Err(Error::TooManyHits {
            flag: "--limit",
            value: limit,
            reason: format!("at most {MAX_LIMIT} hits are shown at once (page with --offset)"),
        });
    }
    if offset.saturating_add(limit) > MAX_RANKED {
        return Err(Error::TooManyHits {
            flag: "--offset",
            value: offset,
            reason: format!(
                "--offset + --limit may be at most {MAX_RANKED}: a search ranks no deeper"
            ),
        });
    }
    Ok(())
}

/// An error unless `related -n` is at most [`MAX_LIMIT`].
pub(crate) fn check_related_limit(limit: usize) -> Result<()> {
    if limit > MAX_LIMIT {
        return Err(Error::TooManyHits {
            flag: "--limit",
            value: limit,
            reason: format!("at most {MAX_LIMIT} bullets are shown at once"),
        });
    }
    Ok(())
}

/// Settles `briefs watch`'s flags, for `roots` (checked to exist).
pub(crate) fn watch_config(
    config: &Config,
    args: &WatchArgs,
    roots: Vec<PathBuf>,
) -> Result<WatchSettings> {
    let poll = match args.poll {
        Some(seconds) if seconds.is_finite() && seconds > 0.0 => {
            Some(Duration::from_secs_f64(seconds))
        }
        Some(seconds) => {
            return Err(Error::InvalidFlag {
                flag: "--poll",
                text: seconds.to_string(),
                reason: "a number of seconds above 0",
            });
        }
        None => None,
    };
    let alerts = match &args.alert {
        Some(file) => Some(AlertSettings {
            file: file.clone(),
            json: args.json,
            exec: args.exec.clone(),
            weights: weights_from_env()?,
        }),
        None => None,
    };
    Ok(WatchSettings {
        index_dir: config.index_dir.clone(),
        roots,
        follow_links: args.follow,
        poll,
        quiet: args.quiet,
        timing: Timing {
            quiet: Duration::from_millis(args.debounce),
            max_wait: Duration::from_millis(args.debounce.saturating_mul(20))
                .max(Duration::from_secs(5)),
            settle: Duration::from_secs(1),
            open_timeout: Duration::from_secs(60),
        },
        alerts,
        cwd: config.cwd.clone(),
        // The crash tests' hook: abort right after a commit, before its
        // alerts. Never set outside them.
        abort_after_commit: std::env::var_os("BRIEFS_WATCH_ABORT_AFTER_COMMIT")
            .is_some_and(|v| v == "1"),
    })
}

/// Field weights: the defaults, or `BRIEFS_WEIGHTS` (`context=0.5,body=1`)
/// for ranking experiments.
fn weights_from_env() -> Result<Weights> {
    match std::env::var("BRIEFS_WEIGHTS") {
        Ok(spec) => Weights::parse(&spec).map_err(|reason| Error::InvalidWeights { spec, reason }),
        Err(std::env::VarError::NotPresent) => Ok(Weights::default()),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::InvalidWeights {
            spec: String::new(),
            reason: "not valid UTF-8".into(),
        }),
    }
}

/// `--since` and `--until` as days (either may be absent).
pub(crate) fn date_range(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<i64>, Option<i64>)> {
    Ok((
        since.map(|d| day_arg("--since", d)).transpose()?,
        until.map(|d| day_arg("--until", d)).transpose()?,
    ))
}

/// A `--since`/`--until` date as a day number.
pub(crate) fn day_arg(flag: &'static str, text: &str) -> Result<i64> {
    parse_day(text).ok_or_else(|| Error::InvalidDate {
        flag,
        text: text.to_string(),
    })
}

/// The default corpus folder, when it exists.
pub(crate) fn default_corpus() -> Option<&'static Path> {
    let corpus = Path::new(DEFAULT_CORPUS);
    corpus.is_dir().then_some(corpus)
}
