//! Starting and stopping: a watch holds the index's writer for its whole
//! run (a second watch or `briefs index` is refused at once), and SIGINT or
//! SIGTERM end it cleanly, lock released, nothing half committed.

use super::{Watching, brief, search_ids};
use crate::common::TestEnv;

#[test]
fn a_second_writer_is_refused_while_a_watch_runs() {
    let env = TestEnv::new();
    env.write("a.txt", brief("Locked brief", "lockword"));
    let watch = Watching::start(&env, "watch", &["briefs"]);
    let index = env.run(&["index", "briefs"]);
    index.assert_status(2);
    index.check(
        index.stderr_str().contains("is writing to"),
        "the lock message names the index",
    );
    let second = env.run(&["watch", "briefs"]);
    second.assert_status(2);
    second.check(
        second.stderr_str().contains("is writing to"),
        "a second watch is refused",
    );
    // Searches keep working meanwhile.
    assert_eq!(search_ids(&env, "lockword").len(), 2, "{watch}");
}

#[test]
fn sigterm_and_sigint_stop_it_cleanly_and_release_the_lock() {
    for signal in ["TERM", "INT"] {
        let env = TestEnv::new();
        env.write("a.txt", brief("Stopped brief", "stopword"));
        let mut watch = Watching::start(&env, "watch", &["briefs"]);
        env.write("b.txt", brief("Last brief", "lastword"));
        watch.wait_for("the last file", || search_ids(&env, "lastword").len() == 2);
        watch.signal(signal);
        let status = watch.wait_exit();
        assert_eq!(status.code(), Some(0), "SIG{signal}\n{watch}");
        assert!(watch.stderr().contains("stopped (SIG"), "{watch}");
        // The lock is released: an index run goes through, finding nothing
        // left to do.
        let index = env.run(&["index", "briefs"]);
        index.assert_status(0);
        index.check(
            index.stdout_str().contains("up to date"),
            "nothing half done",
        );
    }
}

#[test]
fn quiet_prints_no_lines_of_its_own() {
    let env = TestEnv::new();
    env.write("a.txt", brief("Quiet brief", "quietword"));
    let cmd = env.command(&["watch", "-q", "briefs"]);
    let mut watch = Watching::spawn(&env, "watch", cmd, false);
    // No start-up line to wait for: wait for the index, then the catch-up.
    watch.wait_for("the index", || env.index_dir().join("meta.json").exists());
    watch.wait_for("the catch-up", || search_ids(&env, "quietword").len() == 2);
    env.write("b.txt", brief("Quiet two", "quiettwo"));
    watch.wait_for("a commit", || search_ids(&env, "quiettwo").len() == 2);
    watch.signal("TERM");
    assert_eq!(watch.wait_exit().code(), Some(0));
    assert_eq!(watch.stderr(), "", "{watch}");
}
