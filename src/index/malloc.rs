//! How glibc's allocator is set up while an index is written, so the
//! memory an update holds stays close to what it uses. Tantivy's writer
//! threads allocate and free large buffers (1 MiB arena pages, the buffers
//! of segments being written and merged) many times over a long update;
//! by default glibc raises its mmap threshold each time such a buffer is
//! freed, so later ones come from the heap, whose freed pages are rarely
//! given back, and it keeps up to eight heaps per core. A fixed threshold
//! (buffers of 256 KiB and more are mapped and unmapped on their own) and
//! two heaps keep the resident anonymous memory from creeping up with the
//! length of the run (figures in tests/benchmarks/RESULTS.md). Elsewhere
//! than Linux with glibc this does nothing.

/// Buffers of at least this many bytes get their own mapping.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Heaps glibc may keep (its default is eight per core).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENA_MAX: libc::c_int = 2;

/// Sets the allocator up for a long update (see the module doc); for the
/// whole process, once is enough, and a setting glibc refuses (it returns
/// 0) leaves its default in place, which is only less frugal.
pub(crate) fn settle_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes two integers and only changes glibc's
    // allocation parameters; it is safe to call at any time from any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_ARENA_MAX, ARENA_MAX);
    }
}
