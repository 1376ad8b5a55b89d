//! Standing queries: each bullet new in a commit that matches one is
//! alerted, once, also across a SIGKILL and a crash between a commit and its
//! alerts; unchanged bullets of an edited file do not alert again.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Watching, brief};
use crate::common::TestEnv;

/// Writes the standing queries' file and returns its name.
fn standing(env: &TestEnv) -> &'static str {
    env.write_at(
        "alerts.tsv",
        "# name<TAB>query\ntram\ttramword\nferry\t--kind point ferryword\n",
    );
    "alerts.tsv"
}

/// (query, bullet id) of every alert, counted.
fn counted(alerts: &[Value]) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for alert in alerts {
        let key = (
            alert["query"].as_str().unwrap_or_default().to_string(),
            alert["hit"]["id"].as_str().unwrap_or_default().to_string(),
        );
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

fn key(query: &str, id: &str) -> (String, String) {
    (query.to_string(), id.to_string())
}

#[test]
fn new_bullets_alert_once_and_unchanged_ones_not_again() {
    let env = TestEnv::new();
    env.write("old.txt", brief("Old tram brief", "tramword"));
    let file = standing(&env);
    let watch = Watching::start(&env, "watch", &["--alert", file, "--json", "briefs"]);
    // What the index held before alerting began does not alert.
    assert!(watch.stdout().is_empty(), "{watch}");

    env.write("ferry.txt", brief("Ferry brief", "ferryword"));
    watch.wait_for("the ferry alert", || !watch.stdout().is_empty());
    let alerts = watch.json_alerts();
    assert_eq!(
        alerts.len(),
        1,
        "--kind point: the summary does not alert\n{watch}"
    );
    let alert = &alerts[0];
    assert_eq!(alert["query"], "ferry");
    assert_eq!(alert["hit"]["id"], "briefs/ferry.txt#p1");
    assert_eq!(alert["hit"]["kind"], "point");
    assert!(
        alert["hit"]["score"].as_f64().is_some_and(|s| s > 0.0),
        "{alert}"
    );
    assert!(
        alert["committed_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{alert}"
    );
    assert!(
        alert["alert_id"].as_str().is_some_and(|id| id.len() == 16),
        "{alert}"
    );

    // An edit that adds one bullet alerts for that bullet only.
    env.write(
        "old.txt",
        brief("Old tram brief", "tramword") + "- A second tramword summary, added.\n",
    );
    watch.wait_for("the new bullet's alert", || watch.json_alerts().len() == 2);
    let after = counted(&watch.json_alerts());
    assert_eq!(
        after.get(&key("tram", "briefs/old.txt#s2")),
        Some(&1),
        "{watch}"
    );
    assert_eq!(after.values().sum::<usize>(), 2, "{watch}");
}

#[test]
fn alerts_are_raised_exactly_once_across_sigkill_and_restart() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    let file = standing(&env);
    let args = ["--alert", file, "--json", "briefs"];
    let mut first = Watching::start(&env, "first", &args);
    env.write("a.txt", brief("Tram A", "tramword"));
    first.wait_for("the first alerts", || first.json_alerts().len() == 2);
    first.signal("KILL");
    first.wait_exit();

    // While no watch runs: a new file, an edit, a deletion.
    env.write("b.txt", brief("Tram B", "tramword"));
    env.write(
        "a.txt",
        brief("Tram A", "tramword") + "- Another tramword summary.\n",
    );
    env.write("c.txt", brief("Ferry C", "ferryword"));
    let second = Watching::start(&env, "second", &args);
    second.wait_for("the catch-up's alerts", || second.json_alerts().len() == 4);
    let mut all = first.json_alerts();
    all.extend(second.json_alerts());
    let counts = counted(&all);
    let expected = [
        key("tram", "briefs/a.txt#p1"),
        key("tram", "briefs/a.txt#s1"),
        key("tram", "briefs/a.txt#s2"),
        key("tram", "briefs/b.txt#p1"),
        key("tram", "briefs/b.txt#s1"),
        key("ferry", "briefs/c.txt#p1"),
    ];
    assert_eq!(counts.keys().cloned().collect::<Vec<_>>(), {
        let mut sorted = expected.to_vec();
        sorted.sort();
        sorted
    });
    assert!(counts.values().all(|n| *n == 1), "{counts:?}\n{second}");
}

#[test]
fn a_crash_between_a_commit_and_its_alerts_neither_loses_nor_repeats_them() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    let file = standing(&env);
    let args = ["--alert", file, "--json", "briefs"];
    // Start once so alerting has begun, then stop cleanly.
    let mut setup = Watching::start(&env, "setup", &args);
    setup.signal("TERM");
    setup.wait_exit();

    let mut cmd = env.command(&["watch"]);
    cmd.args(args).env("BRIEFS_WATCH_ABORT_AFTER_COMMIT", "1");
    let mut crashing = Watching::spawn(&env, "crashing", cmd, true);
    env.write("crash.txt", brief("Tram crash", "tramword"));
    let status = crashing.wait_exit();
    assert!(
        status.code().is_none(),
        "it died right after the commit: {status}\n{crashing}"
    );
    assert!(crashing.stdout().is_empty(), "{crashing}");
    assert_eq!(env.stats()["briefs"], 1, "the commit landed\n{crashing}");

    let mut after = Watching::start(&env, "after", &args);
    after.wait_for("the alerts of the crashed commit", || {
        after.json_alerts().len() == 2
    });
    after.signal("TERM");
    after.wait_exit();
    let again = Watching::start(&env, "again", &args);
    assert!(again.stdout().is_empty(), "alerted twice\n{again}");
    assert_eq!(counted(&after.json_alerts()).len(), 2, "{after}");
}

#[test]
fn exec_runs_a_command_per_alert_with_the_json_on_stdin() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    let file = standing(&env);
    let log = env.root().join("exec.log");
    let watch = Watching::start(
        &env,
        "watch",
        &[
            "--alert",
            file,
            "--exec",
            "cat >> exec.log && echo \"$BRIEFS_ALERT_QUERY\" >> exec.log",
            "briefs",
        ],
    );
    env.write("ferry.txt", brief("Ferry brief", "ferryword"));
    watch.wait_for("the command's output", || {
        std::fs::read_to_string(&log).is_ok_and(|t| t.lines().count() == 2)
    });
    let text = std::fs::read_to_string(&log).expect("exec.log");
    let mut lines = text.lines();
    let alert: Value = serde_json::from_str(lines.next().unwrap_or("")).expect("JSON on stdin");
    assert_eq!(alert["hit"]["id"], "briefs/ferry.txt#p1");
    assert_eq!(lines.next(), Some("ferry"));
    // Without --json, stdout holds the human form.
    assert!(watch.stdout().starts_with("alert [ferry] "), "{watch}");
}

#[test]
fn a_bad_standing_query_stops_the_watch_at_once_naming_its_line() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.briefs_dir()).expect("mkdir");
    env.write_at("bad.tsv", "ok\ttram\nbroken\t(tram\n");
    let run = env.run(&["watch", "--alert", "bad.tsv", "briefs"]);
    run.assert_status(2);
    run.check(
        run.stderr_str().contains("--alert bad.tsv:2: "),
        "the message names the file and line",
    );
}
