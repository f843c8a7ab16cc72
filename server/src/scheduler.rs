//! The ingest scheduler: a background task of the server that, every tick,
//! takes the ingest lock (so one process ingests while the others serve),
//! collects the sources that are due and refreshes gold. A source is due
//! when it was never attempted, when its interval (`every`) has passed, or,
//! after a failure, when [`RETRY_AFTER`] has passed. With nothing due, a
//! tick still repairs: on the first tick after start-up (a run that died
//! may have left a fetch unrefined) and whenever gold is behind the
//! committed silver (another process died between the two).

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::{
    ingest::{Pipeline, connect::fetch::Origin, off_workers},
    job::{self, Outcome},
    sources::SourceConfig,
    store::{SourceStateRow, Store},
};

/// How soon a failed source is tried again.
pub const RETRY_AFTER: Duration = Duration::from_secs(15 * 60);

/// Runs due sources on a timer.
pub struct Scheduler {
    pub pipeline: Arc<Pipeline>,
    pub store: Store,
    pub sources: Arc<[SourceConfig]>,
    pub tick: Duration,
}

/// Whether `source` should be collected now.
fn is_due(source: &SourceConfig, state: Option<&SourceStateRow>) -> bool {
    let Some(attempted) = state.and_then(|s| s.last_attempt_at) else {
        return true;
    };
    let failed = state.is_some_and(|s| s.last_error.is_some());
    let wait = if failed {
        RETRY_AFTER.min(source.every)
    } else {
        source.every
    };
    let elapsed = (Utc::now() - attempted).to_std().unwrap_or_default();
    elapsed >= wait
}

impl Scheduler {
    /// Ticks until `stop` is cancelled; a run in progress is abandoned then,
    /// which is safe: the next run takes up what it left. Each tick runs off
    /// the async workers ([`off_workers`]), so pages stay fast meanwhile.
    pub fn spawn(self, stop: CancellationToken) -> tokio::task::JoinHandle<()> {
        let scheduler = Arc::new(self);
        tokio::spawn(async move {
            let mut timer = tokio::time::interval(scheduler.tick);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut repaired = false;
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    _ = timer.tick() => {}
                }
                let (this, cancelled) = (scheduler.clone(), stop.clone());
                let tick = off_workers(async move {
                    tokio::select! {
                        () = cancelled.cancelled() => None,
                        outcome = this.run_tick(!repaired) => Some(outcome),
                    }
                });
                match tick.await {
                    None => break,
                    Some(ran) => repaired |= ran,
                }
            }
        })
    }

    /// One tick, repairing when `repair` says so; returns whether this
    /// process got the lock and ran it to its end.
    async fn run_tick(&self, repair: bool) -> bool {
        let tick = tick(&self.pipeline, &self.store, &self.sources, repair).await;
        match &tick {
            Ok(Outcome::Busy) => tracing::debug!("another process is ingesting"),
            Ok(Outcome::Idle) => {}
            _ => job::log("scheduled ingest", &tick),
        }
        matches!(tick, Ok(Outcome::Idle | Outcome::Ran(_)))
    }
}

/// One tick, the server's and the ingest job's (`sentinela ingest --due`):
/// if this process gets the lock, ingests the due sources, or with none due
/// repairs when `repair` says so or gold is behind.
pub async fn tick(
    pipeline: &Pipeline,
    store: &Store,
    sources: &[SourceConfig],
    repair: bool,
) -> anyhow::Result<Outcome> {
    let Some(_lock) = store.try_ingest_lock().await? else {
        return Ok(Outcome::Busy);
    };
    // Read under the lock: another process may have just ingested.
    let states = store.source_states().await?;
    let due: Vec<&str> = sources
        .iter()
        .filter(|source| is_due(source, states.iter().find(|s| s.name == source.name)))
        .map(|source| source.name.as_str())
        .collect();
    let report = if !due.is_empty() {
        pipeline
            .run(&Origin::Remote, &due)
            .instrument(tracing::info_span!("scheduled_ingest", sources = ?due))
            .await?
    } else if repair || !pipeline.gold_behind().await?.is_empty() {
        pipeline
            .repair()
            .instrument(tracing::info_span!("scheduled_repair"))
            .await?
    } else {
        return Ok(Outcome::Idle);
    };
    Ok(Outcome::Ran(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(every_hours: u64) -> SourceConfig {
        let mut source = crate::sources::load(None).unwrap().remove(0);
        source.every = Duration::from_secs(every_hours * 3600);
        source
    }

    fn attempted(hours_ago: i64, error: Option<&str>) -> SourceStateRow {
        SourceStateRow {
            name: "x".into(),
            last_attempt_at: Some(Utc::now() - chrono::Duration::hours(hours_ago)),
            last_error: error.map(str::to_owned),
            ..SourceStateRow::default()
        }
    }

    #[test]
    fn due_when_never_tried_when_the_interval_passed_or_soon_after_a_failure() {
        assert!(is_due(&source(6), None));
        assert!(!is_due(&source(6), Some(&attempted(1, None))));
        assert!(is_due(&source(6), Some(&attempted(7, None))));
        assert!(is_due(&source(6), Some(&attempted(1, Some("HTTP 500")))));
        let just_failed = SourceStateRow {
            last_attempt_at: Some(Utc::now()),
            last_error: Some("HTTP 500".into()),
            ..SourceStateRow::default()
        };
        assert!(!is_due(&source(6), Some(&just_failed)));
    }
}
