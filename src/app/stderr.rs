//! Every line briefs writes to stderr goes through [`say`]: it is escaped
//! (control characters and bidi overrides from paths, headlines or query
//! text are shown, never sent to the terminal), prefixed `briefs: `, and a
//! failed write (stderr closed, as in `briefs index … 2>&1 | head -1`) is
//! ignored, where `eprintln!` would panic and lose the run's commit.

use std::error::Error as _;
use std::io::Write;

use crate::error::Error;
use crate::output::escaped;

/// Writes `briefs: <text>` on stderr, escaped; never fails.
pub(crate) fn say(text: &str) {
    let line = format!("briefs: {}\n", escaped(text));
    // Nothing better can be done with a diagnostic that cannot be written:
    // the run goes on and commits.
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Prints `err` on stderr once, as `briefs: <message>: <cause>…` (each cause
/// that the message does not already say), escaped, never failing on a
/// closed stderr.
pub fn report_error(err: &Error) {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    say(&message);
}
