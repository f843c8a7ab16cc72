//! glibc's allocator, tuned for this process at start-up: few arenas, and
//! large blocks mapped on their own so that freeing them gives them back
//! to the system. Elsewhere (other C libraries, other systems) a no-op.

/// Blocks this large or larger are mapped on their own, and unmapped when
/// freed.
const MMAP_THRESHOLD: i32 = 16 * 1024 * 1024;

/// Bounds the allocator's arenas and fixes its mapping threshold. Call
/// before any other thread starts.
///
/// glibc gives threads arenas of their own (up to eight per core), each
/// keeping memory freed into it; the ingest's threads hand rows to one
/// another, and a 2M-row occupancy ingest peaked at 674 MB resident against
/// 374 MB with two arenas.
///
/// glibc also raises its mapping threshold to the size of the largest
/// mapped block freed so far (up to 32 MiB), then serves blocks that size
/// from its arenas, which keep them: each password check takes 19 MiB, and
/// a burst of 300 sign-ins, two checks at a time, left the process at
/// 660 MB resident where the checks never held more than 40 MB at once.
/// With the threshold fixed at 16 MiB they are mapped and unmapped each
/// time, and the burst peaks under 100 MB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    // SAFETY: mallopt only changes allocator settings; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
