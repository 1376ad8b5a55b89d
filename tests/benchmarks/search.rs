//! In-process search latency: open an index once, keep one warm reader, and
//! run each query of a query file over and over through the library
//! (`briefs::Session::search`, the same call `briefs search` makes, with
//! highlights and near-duplicate folding), reporting p50 and p99 per query:
//! with the options of the default text output (copies folded into a hit
//! counted, one alone named), and beside them (`json_p50_us`,
//! `json_p99_us`) with those of `--json`, which reads every folded copy's
//! id from the store.
//!
//! ```console
//! $ cargo bench --bench search -- --index DIR --queries FILE [--iters N] [--warmup N]
//!       [--max-seconds S] [--threads N] [--out FILE]
//! ```
//!
//! FILE holds one query a line, `label<TAB>query` (or a bare query). Results
//! go to stdout (and to FILE with `--out`) as JSON Lines, one object a query:
//! `label`, `query`, `hits`, `runs`, `p50_us`, `p99_us`, `mean_us`, `min_us`,
//! `max_us`, `json_p50_us`, `json_p99_us`; a first line with `open_us`
//! (opening the index and its reader).
//! `run.py` drives it; see tests/benchmarks/README.md.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use briefs::{SearchOptions, Session};

struct Args {
    index: PathBuf,
    queries: PathBuf,
    iters: usize,
    warmup: usize,
    max_seconds: f64,
    out: Option<PathBuf>,
    /// `--threads` of every search (0: briefs' default, one a core).
    threads: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: search --index DIR --queries FILE [--iters N] [--warmup N] [--max-seconds S] [--threads N] [--out FILE]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut index = None;
    let mut queries = None;
    let mut iters = 200;
    let mut warmup = 5;
    let mut max_seconds = 10.0;
    let mut out = None;
    let mut threads = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--index" => index = Some(PathBuf::from(value())),
            "--queries" => queries = Some(PathBuf::from(value())),
            "--iters" => iters = value().parse().unwrap_or_else(|_| usage()),
            "--warmup" => warmup = value().parse().unwrap_or_else(|_| usage()),
            "--max-seconds" => max_seconds = value().parse().unwrap_or_else(|_| usage()),
            "--out" => out = Some(PathBuf::from(value())),
            "--threads" => threads = value().parse().unwrap_or_else(|_| usage()),
            // `cargo bench` passes `--bench`; libtest-style filters are ignored too.
            _ => {}
        }
    }
    match (index, queries) {
        (Some(index), Some(queries)) => Args {
            index,
            queries,
            iters: iters.max(1),
            warmup,
            max_seconds,
            out,
            threads,
        },
        _ => {
            // Run with no arguments (e.g. a plain `cargo bench`): nothing to do.
            eprintln!("search bench: no --index/--queries given; see tests/benchmarks/README.md");
            std::process::exit(0);
        }
    }
}

/// The value at quantile `q` (0..=1) of sorted `samples`, nearest rank.
fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

fn micros(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e7).round() / 10.0
}

/// Runs `options` `--warmup` times, then up to `--iters` times within
/// `budget` (at least once): the hits of the last run and the sorted times.
fn measure(
    session: &Session,
    options: &SearchOptions,
    args: &Args,
    budget: Duration,
) -> (usize, Vec<Duration>) {
    let mut hits = 0;
    for _ in 0..args.warmup {
        hits = session.search(options).map_or(0, |h| h.len());
    }
    let started = Instant::now();
    let mut samples = Vec::with_capacity(args.iters);
    while samples.len() < args.iters && (samples.is_empty() || started.elapsed() < budget) {
        let t = Instant::now();
        let found = session.search(options);
        samples.push(t.elapsed());
        hits = found.map_or(0, |h| h.len());
    }
    samples.sort();
    (hits, samples)
}

fn main() {
    let args = parse_args();
    let text = std::fs::read_to_string(&args.queries).unwrap_or_else(|e| {
        eprintln!("search bench: {}: {e}", args.queries.display());
        std::process::exit(2);
    });
    let queries: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('\t') {
            Some((label, query)) => (label.trim().to_string(), query.trim().to_string()),
            None => (l.trim().to_string(), l.trim().to_string()),
        })
        .collect();

    let opened = Instant::now();
    let session = Session::open(&args.index).unwrap_or_else(|e| {
        eprintln!("search bench: {e}");
        std::process::exit(2);
    });
    let open_us = micros(opened.elapsed());

    let mut lines = vec![serde_json::json!({ "open_us": open_us }).to_string()];
    let budget = Duration::from_secs_f64(args.max_seconds);
    for (label, query) in &queries {
        // What `briefs search` does by default (text): a hit names the
        // copies folded into it by count, and one alone by id.
        let mut text = SearchOptions::new(query.clone());
        text.folded_ids = false;
        text.threads = args.threads;
        // What `--json` does: every copy folded into a hit by id.
        let mut json = SearchOptions::new(query.clone());
        json.threads = args.threads;
        let (hits, samples) = measure(&session, &text, &args, budget);
        let (_, json_samples) = measure(&session, &json, &args, budget);
        let total: Duration = samples.iter().sum();
        let line = serde_json::json!({
            "label": label,
            "query": query,
            "hits": hits,
            "runs": samples.len(),
            "p50_us": micros(quantile(&samples, 0.50)),
            "p99_us": micros(quantile(&samples, 0.99)),
            "mean_us": micros(total / samples.len() as u32),
            "min_us": micros(samples[0]),
            "max_us": micros(samples[samples.len() - 1]),
            "json_p50_us": micros(quantile(&json_samples, 0.50)),
            "json_p99_us": micros(quantile(&json_samples, 0.99)),
        })
        .to_string();
        eprintln!("{line}");
        lines.push(line);
    }
    let mut all = lines.join("\n");
    all.push('\n');
    print!("{all}");
    if let Some(out) = &args.out {
        let written = std::fs::File::create(out).and_then(|mut f| f.write_all(all.as_bytes()));
        if let Err(e) = written {
            eprintln!("search bench: {}: {e}", out.display());
            std::process::exit(2);
        }
    }
}
