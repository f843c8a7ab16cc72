//! The store's generation: a counter that moves whenever what readers see
//! may have changed (a publish, a run record, a source state), so caches
//! of gold reads know when to let go. Writes through this process move it at
//! once; [`Store::watch_generation`] moves it for writes by other processes
//! sharing the database, within one poll interval.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use sqlx::Row;
use tokio_util::sync::CancellationToken;

use super::{Store, StoreError};

/// A shared counter; clones of a store share one.
#[derive(Clone, Debug, Default)]
pub(super) struct Generation(Arc<AtomicU64>);

impl Generation {
    pub(super) fn advance(&self) {
        self.0.fetch_add(1, Ordering::Release);
    }
}

impl Store {
    /// The current generation: equal values mean nothing was written.
    pub fn generation(&self) -> u64 {
        self.generation.0.load(Ordering::Acquire)
    }

    /// What another process's write would change: run count, last run end,
    /// last source attempt.
    async fn write_marker(&self) -> Result<(i64, Option<String>, Option<String>), StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM ingest_run) AS runs, \
             (SELECT MAX(finished_at) FROM ingest_run) AS last_run, \
             (SELECT MAX(last_attempt_at) FROM source_state) AS last_attempt",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("read write marker"))?;
        let read = || -> Result<_, sqlx::Error> {
            Ok((
                row.try_get("runs")?,
                row.try_get("last_run")?,
                row.try_get("last_attempt")?,
            ))
        };
        read().map_err(StoreError::query("decode write marker"))
    }

    /// Polls the database every `every` until `stop`, advancing the
    /// generation when another process wrote.
    pub async fn watch_generation(self, every: Duration, stop: CancellationToken) {
        let mut last = None;
        loop {
            match self.write_marker().await {
                Ok(marker) => {
                    if last.as_ref().is_some_and(|seen| *seen != marker) {
                        self.generation.advance();
                    }
                    last = Some(marker);
                }
                Err(error) => tracing::warn!(%error, "cannot poll the store for new data"),
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(every) => {}
            }
        }
    }
}
