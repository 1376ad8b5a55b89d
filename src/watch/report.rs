//! The watch's own lines on stderr, worded in one place.

use std::time::Duration;

use crate::index::ApplyReport;
use crate::watch::events::WatchFailure;

/// The line printed for each commit.
pub(crate) fn commit_line(
    report: &ApplyReport,
    generation: u64,
    alerts: Option<usize>,
    alerting: Duration,
) -> String {
    let mut line = format!(
        "briefs: watch: commit {generation}: files {} added, {} updated, {} appended, {} removed; {} briefs, {} bullets ({} new)",
        report.added,
        report.updated,
        report.appended,
        report.removed,
        report.briefs,
        report.bullets,
        report.new_bullets
    );
    if let Some(alerts) = alerts {
        line.push_str(&format!(
            "; {alerts} alerts ({:.3} s)",
            alerting.as_secs_f64()
        ));
    }
    line.push_str(&format!("; {:.3} s", report.seconds));
    line
}

pub(crate) fn describe(failure: &WatchFailure) -> String {
    match failure {
        WatchFailure::LimitReached(why) | WatchFailure::Other(why) => why.clone(),
        WatchFailure::NotFound => "nothing to watch".into(),
    }
}
