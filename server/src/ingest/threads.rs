//! Where an ingest's work runs: the run on a thread of its own at a lower
//! priority than the requests the server answers (nice +10 and, on Linux,
//! the `SCHED_IDLE` policy), and its CPU-heavy helpers (a parser) on
//! threads that inherit both, unlike the runtime's blocking pool, whose
//! threads serve requests too.

use std::future::Future;

/// How much less of the processor an ingest driven by the server asks for
/// than the requests it serves: a nice value, which the threads it starts
/// (parsers, writers) inherit. Idle cores are still all the ingest's.
const INGEST_NICENESS: i32 = 10;

/// Drives `work` (an ingest) on a thread of its own at a lower priority,
/// so that its CPU-heavy steps (parsing, sorting, computing gold), which
/// run inside its futures and on the threads they start, neither hold the
/// async workers that serve requests nor take the cores from them; its I/O
/// still goes through the runtime. Without a thread (the system refuses
/// one), it runs in place.
pub async fn off_workers<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> T {
    let runtime = tokio::runtime::Handle::current();
    let (give, take) = std::sync::mpsc::channel();
    let (done, output) = tokio::sync::oneshot::channel();
    let thread = std::thread::Builder::new()
        .name("ingest".into())
        .spawn(move || {
            yield_to_requests();
            if let Ok(work) = take.recv() {
                let output = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    runtime.block_on(work)
                }));
                // Nobody waits any more only if the caller was dropped.
                let _ = done.send(output);
            }
        });
    let refused = match thread {
        Ok(_) => give.send(work).err().map(|unsent| unsent.0),
        Err(error) => {
            tracing::warn!(%error, "no thread for the ingest: it runs on the async workers");
            Some(work)
        }
    };
    if let Some(work) = refused {
        return work.await;
    }
    match output.await {
        Ok(Ok(output)) => output,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("the ingest thread ended without an answer"),
    }
}

/// Lowers this thread's priority by [`INGEST_NICENESS`] and gives it the
/// `SCHED_IDLE` policy (on Linux both belong to the thread, and threads it
/// starts inherit them).
fn yield_to_requests() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority only read and set this thread's
        // scheduling attributes.
        let failed = unsafe {
            let thread = libc::gettid() as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, thread, INGEST_NICENESS) != 0
        };
        if failed {
            let error = std::io::Error::last_os_error();
            tracing::debug!(%error, "the ingest keeps the requests' priority");
        }
        // SCHED_IDLE: a request's thread that wakes takes the core at once
        // (a lower nice only shrinks the ingest's share; the scheduler
        // still lets it finish its slice first).
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: sets this thread's (tid 0: the caller's) policy only.
        if unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) } != 0 {
            let error = std::io::Error::last_os_error();
            tracing::debug!(%error, "the ingest keeps the normal scheduling policy");
        }
    }
}

/// Starts `work` on a new thread named `name`, which inherits the
/// caller's priority (an ingest's, under [`off_workers`]): at once, not
/// when the answer is first awaited. Its panic is the awaiter's.
pub fn on_a_thread<T: Send + 'static>(
    name: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<impl Future<Output = T>> {
    let (done, output) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let output = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            // Nobody waits any more only if the awaiter was dropped.
            let _ = done.send(output);
        })?;
    Ok(async move {
        match output.await {
            Ok(Ok(output)) => output,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => panic!("the {name} thread ended without an answer"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This thread's nice value.
    fn niceness() -> i32 {
        // SAFETY: reads this thread's priority only.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    /// This thread's scheduling policy.
    fn policy() -> i32 {
        // SAFETY: reads this thread's policy only.
        unsafe { libc::sched_getscheduler(0) }
    }

    #[tokio::test]
    async fn an_ingest_and_the_threads_it_starts_yield_to_requests() {
        let serving = (niceness(), policy());
        let (driving, started) = off_workers(async {
            let started = on_a_thread("parser", || (niceness(), policy()))
                .unwrap()
                .await;
            ((niceness(), policy()), started)
        })
        .await;
        let expected = ((serving.0 + INGEST_NICENESS).min(19), libc::SCHED_IDLE);
        assert_eq!((driving, started), (expected, expected));
        assert_eq!(
            (niceness(), policy()),
            serving,
            "the serving thread keeps its priority and policy"
        );
    }

    #[tokio::test]
    async fn a_panicking_ingest_panics_its_caller() {
        let caught = tokio::spawn(off_workers(async { panic!("boom") })).await;
        assert!(caught.unwrap_err().is_panic());
    }
}
