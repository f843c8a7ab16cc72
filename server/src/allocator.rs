//! glibc's allocator, tuned for this process: few arenas, and freed memory
//! handed back to the system after a burst of password checks. Elsewhere
//! (other C libraries, other systems) both are no-ops.

/// glibc gives threads arenas of their own (up to eight per core), each
/// keeping memory freed into it; the ingest's threads hand rows to one
/// another, and a 2M-row occupancy ingest peaked at 674 MB resident against
/// 374 MB with two arenas. Call before any other thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn limit_arenas() {
    // SAFETY: mallopt only changes allocator settings; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns the free memory of every arena to the system. A password check
/// takes 19 MiB; once the first such block is freed glibc keeps later ones
/// in its arenas, so after a burst of sign-ins the process would hold them
/// until its end.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_free_memory() {
    // SAFETY: malloc_trim takes the arenas' locks itself and only releases
    // pages no allocation uses.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn limit_arenas() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_memory() {}
