//! The one integration-test crate (`autotests = false` in Cargo.toml):
//! each module is a file of tests that run the `briefs` binary, or use the
//! library's public API, on temporary folders.
//!
//! - `common/`: `TestEnv` (a temporary folder, the binary run there with a
//!   clean environment), `Run`, and the golden-file comparison;
//! - `cli/`: what each command does and prints (`index`, `parse`,
//!   `search`, `folding`, `output` with the golden files);
//! - `robustness/`: crashes, concurrent use, hostile input, indexes from
//!   another version, containment;
//! - `watch/`: `briefs watch` with real file events, standing queries and
//!   their alerts across crashes, stopping and the writer lock.
//!
//! Library checks (the parser, the text repair, the query parser, query
//! building, the index update, and the property tests that fuzz them and
//! search) are unit tests in `src/` (`cargo test --lib`).
//!
//! ```console
//! $ cargo test --test main                        # all of these
//! $ cargo test --test main cli::parse             # one module
//! $ cargo test --test main -- --ignored           # known bugs (one, in cli::search)
//! $ BRIEFS_LONG_TESTS=1 PROPTEST_CASES=20000 \
//!       cargo test --release -- robustness properties --nocapture   # long forms
//! ```
//!
//! Environment:
//!
//! - `BRIEFS_LONG_TESTS=1`: the long forms of the robustness tests (more
//!   kills, bigger corpora);
//! - `PROPTEST_CASES=N`: the number of cases of every property test (each
//!   prints how many it ran and how long they took; `--nocapture` shows it);
//! - `BRIEFS_TEST_SEED=N`: repeats a run of the randomised robustness tests
//!   (each prints its seed);
//! - `UPDATE_GOLDEN=1`: rewrites `tests/golden/*.txt` instead of comparing;
//! - `UPDATE_README=1`: rewrites the output of the README's examples
//!   (`cli::readme`) instead of comparing;
//! - `BRIEFS_SHARED_DIR=DIR`: where `seed/` is (default `../shared`), for
//!   `cli::parse::seed_parses_as_documented`, which skips when it is
//!   missing unless `BRIEFS_REQUIRE_SHARED=1`.
//!
//! Every command a test runs has `BRIEFS_*`, `NO_COLOR`, `TERM` and the
//! `CLICOLOR` variables removed from its environment.

mod cli;
mod common;
mod robustness;
mod watch;
