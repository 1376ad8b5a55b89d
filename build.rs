//! Links the `briefs` binary as a position-dependent executable (`-no-pie`):
//! a PIE has tens of thousands of relative relocations that the dynamic
//! loader applies at every start, writing to (and so copying) each page
//! they fall on, before `main` runs; a search is a short process, and that
//! start-up was a visible part of it (tests/benchmarks/RESULTS.md, "Start-up
//! and opening"). The cost: the binary itself is loaded at a fixed address
//! (its libraries, stack and heap are still randomised). Only the binary:
//! the library, tests and benches link as before.

fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
