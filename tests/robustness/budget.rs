//! The query budget (issue 12, items 3, 4 and the search side of 9): each
//! reproduction of the issue, on a small index, as a bounded run. A query
//! too long, too deep or too wide is refused with exit 2 and a message
//! naming the bound (and the column), never a crash; a batch names its
//! bad lines with their qid and keeps every other result; `--limit` and
//! `--offset` are capped, naming the flag; repeated words and expansions
//! are merged, so they give the results of one; folding many hits gives
//! what folding gives. Nothing here is timed: each run only has a generous
//! time-out, so a regression to the old minutes-long runs fails it.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::{assert_no_panic, run_bounded, stderr_lossy};
use crate::common::{Run, TestEnv};

/// Time-out of one run: far above what any of them takes.
const LIMIT: Duration = Duration::from_secs(120);

/// Bytes of the longest query read (`MAX_QUERY_BYTES`).
const MAX_QUERY_BYTES: usize = 16 * 1024;

/// Runs `cmd` within [`LIMIT`]; panics if it runs longer or panics.
fn bounded(cmd: Command) -> Run {
    let shown = crate::common::describe(&cmd);
    let run =
        run_bounded(cmd, LIMIT).unwrap_or_else(|| panic!("still running after {LIMIT:?}: {shown}"));
    assert_no_panic(&run);
    run
}

fn search<S: AsRef<std::ffi::OsStr>>(env: &TestEnv, args: &[S]) -> Run {
    let mut cmd = env.command(&["search"]);
    cmd.args(args);
    bounded(cmd)
}

/// A word of three letters starting with `k` for each `i` below 676.
fn k_word(i: usize) -> String {
    let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
    format!("k{}{}", letter(i / 26), letter(i))
}

/// `n` briefs (`f000.txt`…): each a point, a summary restating it and a
/// summary of its own; every 50th also carries the same sentence about
/// harbour cranes, word for word.
fn ferry_index(n: usize) -> TestEnv {
    let env = TestEnv::new();
    for i in 0..n {
        let word = k_word(i);
        let riders = 100 + i;
        let mut text = format!(
            "Ferry Line {i} Report — Desk {}\n⛴ The {word} ferry carried {riders} riders on Monday.\n- The {word} ferry had {riders} riders on Monday.\n- Fares on the {word} route stay at {i} pence.\n",
            i % 7
        );
        if i % 50 == 0 {
            text.push_str("- Harbour cranes were repaired overnight.\n");
        }
        env.write(&format!("f{i:03}.txt"), text);
    }
    env.index();
    env
}

/// The ids of `--json` hits, in order.
fn ids(run: &Run) -> Vec<String> {
    run.json_lines()
        .iter()
        .map(|hit| hit["id"].as_str().expect("id").to_string())
        .collect()
}

fn scores(run: &Run) -> Vec<f64> {
    run.json_lines()
        .iter()
        .map(|hit| hit["score"].as_f64().expect("score"))
        .collect()
}

/// Asserts exit 2 and a stderr holding every one of `fragments`.
fn assert_refused(run: &Run, fragments: &[&str]) {
    run.assert_status(2);
    let stderr = stderr_lossy(run);
    for fragment in fragments {
        run.check(
            stderr.contains(fragment),
            &format!("stderr names `{fragment}`"),
        );
    }
    run.check(run.output.stdout.is_empty(), "nothing on stdout");
}

fn nested(depth: usize) -> String {
    format!("{}ferry{}", "(".repeat(depth), ")".repeat(depth))
}

/// Issue 12, item 3: 12,000 nested `(` (24 KB) overflowed the stack (exit
/// 134). Now too long to read; under the length bound, too deep.
#[test]
fn twelve_thousand_nested_parentheses_are_refused_not_a_stack_overflow() {
    let env = ferry_index(3);
    assert_refused(
        &search(&env, &[nested(12_000)]),
        &["query: the query is too long", "(column 16385)"],
    );
    assert_refused(
        &search(&env, &[nested(8_000)]),
        &["parentheses nest deeper than 32 levels (column 33)"],
    );
    search(&env, &[nested(32)]).assert_status(0);
}

/// Issue 12, items 3 and 4: in `--batch`, a line of 12,000 nested `(` killed
/// the run and lost the results of the queries before it; a 280 KB line
/// took 28.7 s and 1 GB. Each bad line is named with its qid and skipped;
/// every other query's results are written; the status is 2.
#[test]
fn a_batch_line_that_cannot_be_run_is_named_and_the_others_keep_their_results() {
    let env = ferry_index(3);
    let many_words = vec!["ferry"; 1100].join(" ");
    let mut file = Vec::new();
    file.extend(b"q1\tferry riders\n");
    file.extend(format!("q2\t{}\n", nested(12_000)).as_bytes());
    file.extend(b"q3\tfares\n");
    file.extend(format!("q4\t{}\n", nested(8_000)).as_bytes());
    file.extend(b"q5\tferry \xff\xfe\n");
    file.extend(format!("q6\t{many_words}\n").as_bytes());
    file.extend(format!("q7\t{}\n", "oil ".repeat(70_000)).as_bytes());
    file.extend(b"q8\tmonday");
    let batch = env.write_at("queries.tsv", &file);
    let run = search(
        &env,
        &[
            "--batch".as_ref(),
            batch.as_os_str(),
            "--format".as_ref(),
            "trec".as_ref(),
        ],
    );
    run.assert_status(2);
    let qids: BTreeSet<String> = run
        .stdout_str()
        .lines()
        .map(|line| line.split(' ').next().unwrap_or("").to_string())
        .collect();
    // q4 is too deep to parse, so it is read as plain words, as any query
    // that does not parse.
    let expected: BTreeSet<String> = ["q1", "q3", "q4", "q8"].map(String::from).into();
    assert_eq!(qids, expected, "{run}");
    let stderr = stderr_lossy(&run);
    for (line, qid, why) in [
        (
            2,
            "q2",
            "the line is 24008 bytes long; at most 16384 are read",
        ),
        (5, "q5", "not UTF-8"),
        (6, "q6", "more than 1024 words and phrases"),
        (7, "q7", "the line is 280003 bytes long"),
    ] {
        let named = stderr
            .lines()
            .any(|l| l.contains(&format!("queries.tsv:{line} (qid {qid}): ")) && l.contains(why));
        run.check(named, &format!("stderr names line {line} ({qid}): {why}"));
    }
    run.check(
        stderr.contains("4 of 8 queries in") && stderr.contains("the results of the others"),
        "stderr counts the skipped lines",
    );
    // The same queries alone give the same results.
    let alone = env.write_at("alone.tsv", "q1\tferry riders\nq3\tfares\nq8\tmonday\n");
    let expected_run = search(
        &env,
        &[
            "--batch".as_ref(),
            alone.as_os_str(),
            "--format".as_ref(),
            "trec".as_ref(),
        ],
    );
    expected_run.assert_status(0);
    let without = |text: String| {
        text.lines()
            .filter(|l| !l.starts_with("q4 "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        without(run.stdout_str()),
        without(expected_run.stdout_str())
    );
}

/// Issue 12, item 4: `-n 1000000000` ran 223 s and `--offset
/// 18446744073709551615` 234 s to print nothing. Both are refused, naming
/// the flag; the bounds themselves are accepted.
#[test]
fn huge_limit_and_offset_are_refused_naming_the_flag() {
    let env = ferry_index(3);
    assert_refused(
        &search(&env, &["ferry", "-n", "1000000000"]),
        &["--limit 1000000000: at most 10000 hits"],
    );
    assert_refused(
        &search(&env, &["ferry", "--offset", "18446744073709551615"]),
        &["--offset 18446744073709551615: --offset + --limit may be at most 100000"],
    );
    assert_refused(
        &search(&env, &["ferry", "--offset", "90001", "-n", "10000"]),
        &["--offset 90001"],
    );
    assert_refused(
        &search(&env, &["ferry", "--group", "-n", "10001"]),
        &["--limit 10001"],
    );
    search(&env, &["ferry", "-n", "10000"]).assert_status(0);
    search(&env, &["ferry", "--offset", "90000", "-n", "10000"]).assert_status(1);
    let related = bounded(env.command(&["related", "briefs/f000.txt#p1", "-n", "1000000000"]));
    assert_refused(&related, &["--limit 1000000000: at most 10000 bullets"]);
}

/// Issue 12, item 4: folding compared every hit with every kept hit
/// (`-n 8000`: 21.6 s). Many hits still fold as they did: each restated
/// point into one bullet of its brief, each copied sentence into its
/// first copy, and paging gives the same hits.
#[test]
fn folding_many_hits_folds_every_restatement_and_copy() {
    let n = 300;
    let env = ferry_index(n);
    let query = "ferry riders fares cranes";
    let run = search(&env, &[query, "-n", "4000", "--json"]);
    run.assert_status(0);
    let hits = run.json_lines();
    assert_eq!(hits.len(), 2 * n + 1, "{run}");
    let mut seen = BTreeSet::new();
    let (mut pairs, mut cranes) = (0, 0);
    for hit in &hits {
        let id = hit["id"].as_str().expect("id");
        let folded: Vec<&str> = hit["folded"]
            .as_array()
            .expect("folded")
            .iter()
            .map(|f| f.as_str().expect("folded id"))
            .collect();
        for one in std::iter::once(id).chain(folded.iter().copied()) {
            assert!(seen.insert(one.to_string()), "{one} twice\n{run}");
        }
        let text = hit["text"].as_str().expect("text");
        if text.contains("riders") {
            pairs += 1;
            let brief = hit["brief_id"].as_str().expect("brief_id");
            let twin = if id.ends_with("#p1") { "#s1" } else { "#p1" };
            assert_eq!(folded, [format!("{brief}{twin}")], "{hit}");
        } else if text.contains("cranes") {
            cranes += 1;
            assert_eq!(folded.len(), n / 50 - 1, "{hit}");
        } else {
            assert!(folded.is_empty(), "{hit}");
        }
    }
    assert_eq!((pairs, cranes), (n, 1));
    assert_eq!(seen.len(), 3 * n + n / 50);
    let all = search(&env, &[query, "-n", "4000", "--json", "--no-dedup"]);
    assert_eq!(all.json_lines().len(), 3 * n + n / 50);
    // A page is the same hits as the whole list at that rank.
    let page = search(&env, &[query, "-n", "20", "--offset", "400", "--json"]);
    assert_eq!(ids(&page), ids(&run)[400..420]);
}

/// Issue 12, item 4: 20 × `j*` was expanded 20 times and `oil~2` written
/// 3,000 times took 24–43 s. Identical clauses are one clause, their
/// weights added: the same hits in the same order, scores times the copies.
#[test]
fn repeated_prefixes_and_typos_are_expanded_once_with_the_same_results() {
    let env = ferry_index(120);
    for (one, copies) in [("k*", 20), ("ferry~2", 20), ("kab~1", 1000)] {
        let alone = search(&env, &[one, "-n", "50", "--json"]);
        alone.assert_status(0);
        let repeated = vec![one; copies].join(" ");
        let run = search(&env, &[repeated.as_str(), "-n", "50", "--json"]);
        run.assert_status(0);
        assert_eq!(ids(&run), ids(&alone), "{one} × {copies}");
        for (got, single) in scores(&run).iter().zip(scores(&alone)) {
            let expected = single * copies as f64;
            assert!(
                (got - expected).abs() <= 1e-4 * expected,
                "{one} × {copies}: {got} vs {expected}"
            );
        }
    }
    // 3,000 copies (18 KB) are over the length bound.
    let run = search(&env, &[vec!["oil~2"; 3000].join(" ")]);
    assert_refused(
        &run,
        &["the query is too long: 17999 bytes", "(column 16385)"],
    );
}

/// Issue 12, item 4: a 100 KB query of repeated words took 12.9 s. Too long
/// to read, plain or `--literal`; too many words is refused too.
#[test]
fn long_queries_and_too_many_words_are_refused_with_a_column() {
    let env = ferry_index(3);
    let long = "ferry riders monday fares ".repeat(4000);
    assert_eq!(long.len(), 104_000);
    for literal in [false, true] {
        let mut args = vec![long.as_str()];
        if literal {
            args.push("--literal");
        }
        assert_refused(
            &search(&env, &args),
            &["the query is too long: 104000 bytes", "(column 16385)"],
        );
    }
    let words: Vec<String> = (0..1025).map(k_word).collect();
    assert_refused(
        &search(&env, &[words.join(" ")]),
        &["more than 1024 words and phrases (column 4097)"],
    );
    search(&env, &[words[..1024].join(" ")]).assert_status(0);
    // Exactly at the bound: read, not refused (a query of only a word over
    // 40 bytes would be refused as having no word to search for).
    let exact = format!("ferry {}", "a".repeat(MAX_QUERY_BYTES - 6));
    search(&env, &[exact]).assert_status(0);
}

/// The expansion bounds: more than 64 different `word*` and `word~N`, or
/// expansions adding more than 4,096 index words, are refused.
#[test]
fn expansions_over_the_budget_are_refused() {
    let env = ferry_index(120);
    let prefixes: Vec<String> = (0..65).map(|i| format!("{}*", k_word(i))).collect();
    assert_refused(
        &search(&env, &[prefixes.join(" ")]),
        &["more than 64 different `word*` and `word~N` (column 321)"],
    );
    search(&env, &[prefixes[..64].join(" ")]).assert_status(0);
    // `k*` is 64 words in the bullets' text: 65 groups need 4,160.
    let groups: Vec<String> = (0..65).map(|i| format!("(k* x{i})")).collect();
    assert_refused(
        &search(&env, &[groups.join(" ")]),
        &["expand to more than 4096 index words"],
    );
    search(&env, &[groups[..64].join(" ")]).assert_status(0);
}

/// Issue 12, item 9: a search opening an index as its folder is deleted was
/// told another `briefs index` was writing, or that the folder could not be
/// written. The lock file of a folder that is gone cannot be created (a
/// dangling link stands in for the deleted folder); the message says the
/// index went away.
#[test]
fn a_search_on_an_index_that_goes_away_says_so() {
    let env = ferry_index(3);
    let lock = env.index_dir().join(".tantivy-meta.lock");
    let _ = std::fs::remove_file(&lock);
    std::os::unix::fs::symlink(env.root().join("gone/lock"), &lock).expect("symlink");
    let run = search(&env, &["ferry"]);
    run.assert_status(2);
    let stderr = stderr_lossy(&run);
    run.check(
        stderr.contains("went away while it was being opened")
            && stderr.contains("being deleted or replaced"),
        "the message names the cause",
    );
    run.check(
        !stderr.contains("another `briefs index`") && !stderr.contains("cannot write"),
        "the message does not blame a writer or permissions",
    );
    assert!(!env.root().join("gone").exists());
}

/// The same, for real: searches while the index folder is deleted and
/// copied back, again and again. Each search finds hits, finds no index, or
/// says the index went away; none blames a writer or permissions.
#[test]
fn searches_while_the_index_is_deleted_never_blame_a_writer() {
    let env = ferry_index(20);
    let master = env.root().join("master");
    copy_folder(&env.index_dir(), &master);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (stop, index, master) = (stop.clone(), env.index_dir(), master.clone());
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::remove_dir_all(&index);
                copy_folder(&master, &index);
            }
        })
    };
    let mut outcomes = BTreeSet::new();
    for _ in 0..150 {
        let run = search(&env, &["ferry"]);
        let stderr = stderr_lossy(&run);
        let blames = stderr.contains("another `briefs index`") || stderr.contains("cannot write");
        if blames {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        run.check(!blames, "a search on a vanishing index blames no writer");
        outcomes.insert(match run.code() {
            Some(0) => "hits",
            _ if stderr.contains("no index at") => "no index",
            _ if stderr.contains("went away") => "went away",
            _ => "other",
        });
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("churn thread");
    eprintln!("searches during deletion: {outcomes:?}");
}

/// Copies the files of `from` into a new folder `to`, ignoring files that
/// vanish.
fn copy_folder(from: &Path, to: &Path) {
    let _ = std::fs::create_dir_all(to);
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let _ = std::fs::copy(entry.path(), to.join(entry.file_name()));
    }
}
