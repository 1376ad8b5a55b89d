//! Standing queries: the `--alert FILE` a watch matches new bullets
//! against. One query a line, `name<TAB>query` or a bare query (named by
//! its line number); blank lines and lines starting with `#` are skipped.
//! The query is in `search`'s language, and may start with `search`'s
//! flags, each one word: `--kind point|summary|bullet|article|all`,
//! `--all`, `--any`, `--literal`, `--since DATE`, `--until DATE`, and
//! `--min-score X` (hits scoring less are not alerted).

use std::path::Path;

use clap::Parser;

use crate::cli::Kind;
use crate::error::{Error, Result};
use crate::parse::parse_day;
use crate::query::{Weights, literal_query, parse_query, tidy};
use crate::search::{KindFilter, SearchOptions};

/// Most alerts one standing query raises for one commit.
pub(crate) const MAX_ALERTS_PER_QUERY: usize = 10_000;

/// One standing query, settled.
#[derive(Debug, Clone)]
pub(crate) struct StandingQuery {
    /// Its name: the text before the tab, or its line number.
    pub(crate) name: String,
    /// The search it runs.
    pub(crate) options: SearchOptions,
    /// Hits below this score are not alerted.
    pub(crate) min_score: Option<f32>,
}

/// The flags a standing query may start with.
#[derive(Debug, Parser)]
#[command(no_binary_name = true, disable_help_flag = true)]
struct LineFlags {
    #[arg(long, value_enum, default_value_t = Kind::Bullet)]
    kind: Kind,
    #[arg(long, conflicts_with = "any")]
    all: bool,
    #[arg(long)]
    any: bool,
    #[arg(long)]
    literal: bool,
    #[arg(long)]
    since: Option<String>,
    #[arg(long)]
    until: Option<String>,
    #[arg(long)]
    min_score: Option<f32>,
}

/// Flags that take a value.
const VALUED: [&str; 4] = ["--kind", "--since", "--until", "--min-score"];

/// Reads and checks the standing queries of `path`.
pub(crate) fn read_standing_queries(path: &Path, weights: Weights) -> Result<Vec<StandingQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_standing_queries(&text, weights).map_err(|(line, reason)| Error::AlertFile {
        path: path.to_path_buf(),
        line,
        reason,
    })
}

/// Parses standing queries; an error names the line.
pub(crate) fn parse_standing_queries(
    text: &str,
    weights: Weights,
) -> std::result::Result<Vec<StandingQuery>, (usize, String)> {
    let mut queries: Vec<StandingQuery> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (name, rest) = match line.split_once('\t') {
            Some((name, rest)) => (name.trim().to_string(), rest.trim()),
            None => (number.to_string(), trimmed),
        };
        if name.is_empty() {
            return Err((number, "the name before the tab is empty".into()));
        }
        if queries.iter().any(|q| q.name == name) {
            return Err((number, format!("the name `{name}` is used twice")));
        }
        let query = line_query(rest, weights).map_err(|reason| (number, reason))?;
        queries.push(StandingQuery { name, ..query });
    }
    Ok(queries)
}

fn line_query(text: &str, weights: Weights) -> std::result::Result<StandingQuery, String> {
    // Leading `--flag [value]` words are flags; the rest is the query.
    let mut flags: Vec<&str> = Vec::new();
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        let word = trimmed.split_whitespace().next().unwrap_or("");
        if !word.starts_with("--") {
            rest = trimmed;
            break;
        }
        flags.push(word);
        rest = &trimmed[word.len()..];
        if VALUED.contains(&word) {
            let trimmed = rest.trim_start();
            let value = trimmed.split_whitespace().next().unwrap_or("");
            flags.push(value);
            rest = &trimmed[value.len()..];
        }
    }
    let parsed = LineFlags::try_parse_from(&flags).map_err(|e| {
        let text = e.to_string();
        text.lines()
            .next()
            .unwrap_or("bad flags")
            .trim_start_matches("error: ")
            .to_string()
    })?;
    if rest.is_empty() {
        return Err("no query after the flags".into());
    }
    let day = |flag: &str, text: &Option<String>| -> std::result::Result<Option<i64>, String> {
        text.as_deref()
            .map(|d| parse_day(d).ok_or(format!("{flag} {d}: not a date (try 2026-11-28)")))
            .transpose()
    };
    let mut options = SearchOptions::new(rest);
    options.kind = KindFilter::from(parsed.kind);
    options.all_terms = parsed.all;
    options.literal = parsed.literal;
    options.since = day("--since", &parsed.since)?;
    options.until = day("--until", &parsed.until)?;
    options.dedup = false;
    options.limit = MAX_ALERTS_PER_QUERY;
    options.weights = weights;
    // Read now, so a query that cannot be read stops the watch at its start.
    let checked = if options.literal {
        literal_query(&tidy(&options.query, options.tidy), options.all_terms)
    } else {
        parse_query(&options.query, options.all_terms)
    };
    checked.map_err(|e| e.to_string())?;
    Ok(StandingQuery {
        name: String::new(),
        options,
        min_score: parsed.min_score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<Vec<StandingQuery>, (usize, String)> {
        parse_standing_queries(text, Weights::default())
    }

    #[test]
    fn named_bare_and_flagged_lines() {
        let queries = parse(
            "# mine\ntram\ttram riders\n\nport strike\nnorth\t--kind point --min-score 2.5 --all \"rate cut\" bank\n",
        )
        .unwrap();
        assert_eq!(queries.len(), 3);
        assert_eq!(
            (queries[0].name.as_str(), queries[0].options.query.as_str()),
            ("tram", "tram riders")
        );
        assert_eq!(queries[1].name, "4");
        let north = &queries[2];
        assert_eq!(north.options.kind, KindFilter::Point);
        assert!(north.options.all_terms);
        assert_eq!(north.min_score, Some(2.5));
        assert_eq!(north.options.query, "\"rate cut\" bank");
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("a\tok\nb\t(tram\n").unwrap_err().0, 2);
        assert_eq!(parse("x\t--kind nope tram\n").unwrap_err().0, 1);
        assert_eq!(parse("x\t--since someday tram\n").unwrap_err().0, 1);
        assert_eq!(parse("x\t--all\n").unwrap_err().0, 1);
        assert_eq!(parse("x\ta\nx\tb\n").unwrap_err().0, 2);
    }
}
