//! Phase timings of one run, for finding where a command spends its time:
//! when the environment variable `BRIEFS_TRACE` is set (to anything but
//! `0` or nothing), each [`mark`] writes a line to stderr with the time
//! since the previous mark and since the first, in milliseconds:
//!
//! ```text
//! briefs: trace: open index        0.412 ms (at 0.705 ms)
//! ```
//!
//! The first mark is taken where `main` hands the command line over, so
//! what comes before it (starting the process, loading libraries) is the
//! whole process's time less the last mark's. When the variable is not
//! set a mark costs one load of an initialised flag: nothing is timed or
//! written. Flows in: phase names. Flows out: lines on stderr. Imports
//! nothing of the stages; every stage may call it.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The first mark and the previous one, when tracing is on.
struct Clock {
    first: Instant,
    previous: Instant,
}

/// `None` when tracing is off; read from the environment once.
static CLOCK: OnceLock<Option<Mutex<Clock>>> = OnceLock::new();

/// Whether `value` (of `BRIEFS_TRACE`) turns tracing on.
fn turns_on(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// The end of phase `phase`: when tracing is on, its time (since the
/// previous mark) written to stderr. A failed write is ignored, as every
/// stderr line of ours is.
pub(crate) fn mark(phase: &str) {
    let clock = CLOCK.get_or_init(|| {
        turns_on(std::env::var_os("BRIEFS_TRACE").as_deref()).then(|| {
            let now = Instant::now();
            Mutex::new(Clock {
                first: now,
                previous: now,
            })
        })
    });
    let Some(clock) = clock else {
        return;
    };
    let now = Instant::now();
    // A poisoned lock only means another thread panicked mid-mark: the
    // times in it are still times.
    let mut clock = clock.lock().unwrap_or_else(|e| e.into_inner());
    let delta = now.duration_since(clock.previous).as_secs_f64() * 1000.0;
    let total = now.duration_since(clock.first).as_secs_f64() * 1000.0;
    clock.previous = now;
    let _ = writeln!(
        std::io::stderr().lock(),
        "briefs: trace: {phase:<16} {delta:8.3} ms (at {total:.3} ms)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_set_non_zero_value_turns_tracing_on() {
        assert!(!turns_on(None));
        assert!(!turns_on(Some("".as_ref())));
        assert!(!turns_on(Some("0".as_ref())));
        assert!(turns_on(Some("1".as_ref())));
        assert!(turns_on(Some("yes".as_ref())));
    }
}
