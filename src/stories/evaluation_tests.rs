//! The clustering measured on the judged set (`tests/fixtures/stories/`:
//! 14 events told by 2–4 sources each in their own words, and 17
//! look-alikes), by B-cubed precision, recall and F1 over briefs, for the
//! method chosen and the alternatives it was chosen against. Prints a
//! table:
//!
//! ```console
//! $ cargo test --lib stories::evaluation -- --nocapture
//! ```
//!
//! The briefs are parsed straight from the files (no index); the
//! integration test `cli::stories` measures the same through the binary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::brief::Brief;
use crate::parse::{Format, parse_day, parse_document};
use crate::stories::cluster::{Item, Params, Similarity, Weights, cluster};
use crate::stories::{Collection, PARAMS};
use crate::text::{analyse, news_analyzer};

/// The F1 the chosen method measured on the set (tests/benchmarks/RESULTS.md);
/// the test fails if it falls more than 0.05 below.
const MEASURED_F1: f64 = 0.963;

fn set_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stories")
}

/// The judged briefs, in file-name order, and each one's event.
fn judged_set() -> (Vec<Brief>, Vec<String>) {
    let judgments = std::fs::read_to_string(set_dir().join("judgments.tsv")).unwrap();
    let mut events: HashMap<String, String> = HashMap::new();
    for line in judgments
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (file, event) = line.split_once('\t').unwrap();
        events.insert(file.to_string(), event.to_string());
    }
    let mut names: Vec<String> = std::fs::read_dir(set_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "judgments.tsv")
        .collect();
    names.sort();
    let (mut briefs, mut gold) = (Vec::new(), Vec::new());
    for name in names {
        let path = set_dir().join(&name);
        let format = Format::from_path(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for brief in parse_document(&bytes, format, &name) {
            briefs.push(brief.unwrap());
            gold.push(
                events
                    .get(&name)
                    .unwrap_or_else(|| panic!("{name} is not judged"))
                    .clone(),
            );
        }
    }
    assert_eq!(briefs.len(), events.len(), "every judged file is one brief");
    (briefs, gold)
}

/// B-cubed precision, recall and F1 of `clusters` (items not in one are
/// alone) against `gold`.
pub(crate) fn b_cubed(clusters: &[Vec<usize>], gold: &[String]) -> (f64, f64, f64) {
    let n = gold.len();
    let mut found: Vec<usize> = (0..n).collect();
    for (c, members) in clusters.iter().enumerate() {
        for &i in members {
            found[i] = n + c;
        }
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let same_found: Vec<usize> = (0..n).filter(|&j| found[j] == found[i]).collect();
        let same_gold = (0..n).filter(|&j| gold[j] == gold[i]).count();
        let both = same_found.iter().filter(|&&j| gold[j] == gold[i]).count() as f64;
        p += both / same_found.len() as f64;
        r += both / same_gold as f64;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (p, r, 2.0 * p * r / (p + r))
}

fn days(briefs: &[Brief]) -> Vec<Option<i64>> {
    briefs
        .iter()
        .map(|b| b.date.as_deref().and_then(parse_day))
        .collect()
}

/// The clusters the production path finds with `params`.
fn run(briefs: &[Brief], params: &Params) -> Vec<Vec<usize>> {
    let mut collection = Collection::default();
    for (brief, day) in briefs.iter().zip(days(briefs)) {
        collection.add(brief, day);
    }
    collection.stories(params, 1)
}

/// Word 3-shingles of each brief compared by Jaccard (what MinHash
/// estimates), every pair, single link at `threshold`.
fn shingles(briefs: &[Brief], threshold: f64) -> Vec<Vec<usize>> {
    let mut analyzer = news_analyzer();
    let sets: Vec<std::collections::HashSet<String>> = briefs
        .iter()
        .map(|b| {
            let mut set = std::collections::HashSet::new();
            for (_, text) in crate::stories::features::units(b) {
                let words: Vec<String> = analyse(&mut analyzer, text)
                    .into_iter()
                    .map(|t| t.1)
                    .collect();
                for w in words.windows(3) {
                    set.insert(w.join(" "));
                }
            }
            set
        })
        .collect();
    let n = briefs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        if p[x] == x {
            x
        } else {
            let r = find(p, p[x]);
            p[x] = r;
            r
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            let shared = sets[i].intersection(&sets[j]).count() as f64;
            let union = (sets[i].len() + sets[j].len()) as f64 - shared;
            if union > 0.0 && shared / union >= threshold {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().filter(|g| g.len() >= 2).collect()
}

/// The thresholds swept for each method.
fn thresholds() -> impl Iterator<Item = f32> {
    (1..=24).map(|i| i as f32 * 0.025)
}

/// Best F1 over the link thresholds, the link it was found at, and the F1
/// at `params`' own link.
fn sweep(briefs: &[Brief], gold: &[String], params: Params) -> ((f64, f64, f64), f32, f64) {
    let mut best = ((0.0, 0.0, 0.0), 0.0, 0.0);
    for link in thresholds() {
        let score = b_cubed(&run(briefs, &Params { link, ..params }), gold);
        if score.2 > best.0.2 {
            best = (score, link, 0.0);
        }
    }
    best.2 = b_cubed(&run(briefs, &params), gold).2;
    best
}

/// The events split and the clusters mixed by `clusters`.
fn print_mistakes(briefs: &[Brief], gold: &[String], clusters: &[Vec<usize>]) {
    let mut found: Vec<Option<usize>> = vec![None; gold.len()];
    for (c, members) in clusters.iter().enumerate() {
        for &i in members {
            found[i] = Some(c);
        }
    }
    for (c, members) in clusters.iter().enumerate() {
        let events: std::collections::BTreeSet<&String> =
            members.iter().map(|&i| &gold[i]).collect();
        if events.len() > 1 {
            println!("  mixed: cluster {c} holds {events:?}");
        }
    }
    let mut events: Vec<&String> = gold.iter().collect();
    events.sort();
    events.dedup();
    for event in events {
        let members: Vec<usize> = (0..gold.len()).filter(|&i| &gold[i] == event).collect();
        let places: std::collections::BTreeSet<Option<usize>> =
            members.iter().map(|&i| found[i]).collect();
        if members.len() > 1 && (places.len() > 1 || places.contains(&None)) {
            let names: Vec<String> = members
                .iter()
                .map(|&i| format!("{} in {:?}", briefs[i].id, found[i]))
                .collect();
            println!("  split: {event}: {}", names.join(", "));
        }
    }
}

#[test]
fn evaluation_on_the_judged_set() {
    let (briefs, gold) = judged_set();
    let events = gold.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "judged set: {} briefs, {} events and look-alikes ({} told by 2 or more sources)",
        briefs.len(),
        events,
        gold.iter()
            .filter(|g| g.starts_with('E'))
            .collect::<std::collections::HashSet<_>>()
            .len()
    );
    println!(
        "{:<58} {:>6} {:>6} {:>6}  {:>9}  {:>9}",
        "method", "P", "R", "F1", "best at", "F1 at link"
    );
    let mut best_shingle = ((0.0, 0.0, 0.0), 0.0);
    for t in thresholds() {
        let score = b_cubed(&shingles(&briefs, f64::from(t)), &gold);
        if score.2 > best_shingle.0.2 {
            best_shingle = (score, t);
        }
    }
    let ((p, r, f), t) = best_shingle;
    println!(
        "{:<58} {p:>6.3} {r:>6.3} {f:>6.3}  {t:>9.3}  {:>9}",
        "word 3-shingles, Jaccard (MinHash's measure), single link", "-"
    );
    let no_window = Params {
        window: None,
        ..PARAMS
    };
    let plain = Params {
        entity_boost: 0.0,
        average: None,
        headline: 0.0,
        undated: 1.0,
        ..no_window
    };
    let named = Params {
        entity_boost: PARAMS.entity_boost,
        ..plain
    };
    let windowed = Params {
        window: PARAMS.window,
        ..named
    };
    let averaged = Params {
        average: PARAMS.average,
        ..windowed
    };
    let headlined = Params {
        headline: PARAMS.headline,
        ..averaged
    };
    let variants: Vec<(&str, Params)> = vec![
        ("words, idf cosine, single link, no window", plain),
        ("+ names and figures weigh 2.5x (boost 1.5)", named),
        ("+ 72 h window", windowed),
        ("+ greedy average link 0.2", averaged),
        ("+ headline terms weigh 2x", headlined),
        ("+ undated pairs x0.75 (the method chosen)", PARAMS),
        (
            "  same, boost 1",
            Params {
                entity_boost: 1.0,
                ..PARAMS
            },
        ),
        (
            "  same, boost 3",
            Params {
                entity_boost: 3.0,
                ..PARAMS
            },
        ),
        (
            "  same, average link 0.15",
            Params {
                average: Some(0.15),
                ..PARAMS
            },
        ),
        (
            "  same, undated pairs x0.5",
            Params {
                undated: 0.5,
                ..PARAMS
            },
        ),
        (
            "  same, weighted overlap instead of cosine",
            Params {
                similarity: Similarity::Overlap,
                ..PARAMS
            },
        ),
        (
            "  same, no blocking (every pair in the window)",
            Params {
                keys: usize::MAX,
                min_shared_keys: 1,
                max_slice: usize::MAX,
                ..PARAMS
            },
        ),
    ];
    let mut chosen = 0.0;
    for (name, params) in variants {
        let ((p, r, f), link, at_chosen) = sweep(&briefs, &gold, params);
        println!("{name:<58} {p:>6.3} {r:>6.3} {f:>6.3}  {link:>9.3}  {at_chosen:>9.3}");
        if name.contains("chosen") {
            chosen = at_chosen;
        }
    }
    println!(
        "F1 of the chosen method by link (rows) and average link (columns; - is single link):"
    );
    let averages = [
        None,
        Some(0.05f32),
        Some(0.1),
        Some(0.15),
        Some(0.2),
        Some(0.25),
    ];
    println!(
        "{:>6} {}",
        "link",
        averages
            .map(|a| format!("{:>6}", a.map_or("-".to_string(), |a| format!("{a:.2}"))))
            .join("")
    );
    for link in [0.075f32, 0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25] {
        let row: String = averages
            .map(|average| {
                let f = b_cubed(
                    &run(
                        &briefs,
                        &Params {
                            link,
                            average,
                            ..PARAMS
                        },
                    ),
                    &gold,
                )
                .2;
                format!("{f:>6.3}")
            })
            .join("");
        println!("{link:>6.3} {row}");
    }
    let chosen_clusters = run(&briefs, &PARAMS);
    print_mistakes(&briefs, &gold, &chosen_clusters);
    let (p, r, f) = b_cubed(&chosen_clusters, &gold);
    println!(
        "chosen method at its defaults (link {}, average {:?}): P {p:.3} R {r:.3} F1 {f:.3}",
        PARAMS.link, PARAMS.average
    );
    assert!((chosen - f).abs() < 1e-9);
    assert!(
        f >= MEASURED_F1 - 0.05,
        "F1 {f:.3} fell below {MEASURED_F1} - 0.05"
    );
}

#[test]
fn b_cubed_of_perfect_and_lumped_clusterings() {
    let gold: Vec<String> = ["a", "a", "b", "c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(b_cubed(&[vec![0, 1]], &gold), (1.0, 1.0, 1.0));
    let (p, r, _) = b_cubed(&[vec![0, 1, 2, 3]], &gold);
    assert!((p - (0.5 + 0.5 + 0.25 + 0.25) / 4.0).abs() < 1e-9);
    assert_eq!(r, 1.0);
    let (p, r, _) = b_cubed(&[], &gold);
    assert_eq!((p, r), (1.0, 0.75));
}

/// Pairs compared for `n` briefs, ten a day, each sharing three words with
/// every brief and two rare ones with one other brief.
fn compared(n: u32) -> usize {
    let items: Vec<Item> = (0..n)
        .map(|i| Item {
            day: Some(i64::from(i / 10)),
            terms: vec![0, 1, 2, 10 + i / 2, 100_000 + i / 2, 200_000 + i],
            headline: Vec::new(),
        })
        .collect();
    let weights = Weights::new(&items, 300_000, 0.0, |_| 0.0);
    let found = cluster(&items, &weights, &PARAMS);
    assert_eq!(found.clusters.len(), n as usize / 2, "the pairs are found");
    found.compared
}

#[test]
fn pairs_compared_grow_linearly_with_briefs() {
    let (small, large) = (compared(1000), compared(4000));
    assert!(
        large < 5 * small,
        "1,000 briefs: {small} pairs compared; 4,000: {large}"
    );
}
