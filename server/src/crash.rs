//! Crash points, for the tests that kill an ingest where a deploy or an
//! out-of-memory kill would: with `SENTINELA_CRASH_AT=N` the process kills
//! itself with SIGKILL at the N-th point it reaches, or, with a point's
//! name (`silver:cases-states`), at that point. Without the variable a
//! point costs one relaxed atomic read. Each point is logged (message
//! `crash point`) when the variable is set, so a test can count them.

use std::sync::{
    OnceLock,
    atomic::{AtomicU64, Ordering},
};

/// Where the process is to die.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Nth(u64),
    Named(String),
}

fn target() -> Option<&'static Target> {
    static TARGET: OnceLock<Option<Target>> = OnceLock::new();
    TARGET
        .get_or_init(|| {
            let text = std::env::var("SENTINELA_CRASH_AT").ok()?;
            Some(match text.trim().parse() {
                Ok(n) => Target::Nth(n),
                Err(_) => Target::Named(text.trim().to_owned()),
            })
        })
        .as_ref()
}

/// Passes a crash point named `stage:what`; dies there if told to.
pub fn point(stage: &str, what: &str) {
    static REACHED: AtomicU64 = AtomicU64::new(0);
    let Some(target) = target() else {
        return;
    };
    let n = REACHED.fetch_add(1, Ordering::Relaxed) + 1;
    let name = format!("{stage}:{what}");
    tracing::info!(n, point = %name, "crash point");
    let here = match target {
        Target::Nth(at) => *at == n,
        Target::Named(at) => *at == name,
    };
    if here {
        // SAFETY: kill(2) on our own process id has no memory effects; the
        // signal cannot be caught, so nothing runs after it.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}
