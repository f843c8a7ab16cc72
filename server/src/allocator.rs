//! The process's memory allocator: mimalloc in place of glibc's, for
//! every allocation made from Rust (the binary's and the tests').
//!
//! The ingest allocates and frees a value or more per field of tens of
//! millions of rows, often on another thread than the one that made it
//! (rows handed from the parser to the sort, from a computation to the
//! store's COPY). glibc's allocator spent 29 % of the occupancy silver
//! step in `malloc`, `free` and the consolidation of its free lists;
//! mimalloc's thread-local free lists do the same work in a fraction of
//! that (BENCHMARKS.md: the 5M + 5M ingest in 111–121 s instead of
//! 142–147 s). It also gives freed memory back to the system
//! on its own, where glibc needed its arenas bounded and its mapping
//! threshold fixed: a password check's 19 MiB is returned after the
//! check (`exhaustion.rs` asserts it after a burst of sign-ins). The C
//! libraries linked in (SQLite, zstd, xz) keep glibc's.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
