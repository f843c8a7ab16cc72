//! Where an admin's ingest or acceptance runs. By default in this process,
//! which serves and ingests (`./scripts/run`, a single-process install).
//! With `SENTINELA_INGEST_EVENT_BUS`, as the ingest job of its own: the web
//! service puts one event on that EventBridge bus, and the bus's rules start
//! the job's ECS task with the command the event names (`ingest`, `ingest
//! --source S`, `accept S RUN --by A`). So the web's AWS role may only put
//! those events: it holds neither `ecs:RunTask` nor `iam:PassRole` of the
//! ingest's role, whose task overrides (command, environment) would let it
//! run anything as the ingest.

use std::sync::Arc;

use anyhow::Context;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use serde::Serialize;

use crate::{
    ingest::{Pipeline, connect::fetch::Origin, off_workers},
    job::{self, Outcome},
    store::{Store, StoreError},
};

/// The events' `source`, which the bus's rules match.
pub const EVENT_SOURCE: &str = "sentinela.web";

/// An ingest an admin asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Job {
    /// Every source, or only `source`.
    Ingest {
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    /// A held edition accepted by `by`.
    Accept {
        source: String,
        run: String,
        by: String,
    },
}

impl Job {
    /// Its event's `detail-type`, and what the logs call it.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Ingest { .. } => "ingest",
            Job::Accept { .. } => "accept",
        }
    }
}

/// Why a job did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("an ingest is already running")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the ingest job could not be asked for: {0:#}")]
    Bus(anyhow::Error),
}

/// Runs the jobs admins ask for.
#[derive(Clone)]
pub enum Trigger {
    /// In this process, in the background.
    InProcess(Arc<Pipeline>),
    /// As the ingest job, through an EventBridge bus.
    EventBus {
        client: aws_sdk_eventbridge::Client,
        bus: String,
    },
}

impl Trigger {
    /// The event bus's trigger when `bus` is given (the AWS default chain's
    /// region and credentials), else the pipeline's.
    pub async fn new(bus: Option<&str>, pipeline: Arc<Pipeline>) -> Self {
        match bus {
            Some(bus) => Trigger::EventBus {
                client: aws_sdk_eventbridge::Client::new(&crate::aws::shared_config(None).await),
                bus: bus.to_owned(),
            },
            None => Trigger::InProcess(pipeline),
        }
    }

    /// Starts `job` unless another ingest runs: in the background here, or
    /// by putting its event on the bus (the job itself then takes the lock).
    pub async fn start(&self, store: &Store, job: Job) -> Result<(), StartError> {
        let lock = store.try_ingest_lock().await?.ok_or(StartError::Busy)?;
        match self {
            Trigger::InProcess(pipeline) => {
                let pipeline = pipeline.clone();
                tokio::spawn(off_workers(async move {
                    let _lock = lock;
                    let outcome = match &job {
                        Job::Ingest { source } => {
                            let only: Vec<&str> = source.as_deref().into_iter().collect();
                            pipeline.run(&Origin::Remote, &only).await
                        }
                        Job::Accept { source, run, by } => pipeline.accept(source, run, by).await,
                    };
                    job::log(
                        &format!("requested {}", job.kind()),
                        &outcome.map(Outcome::Ran),
                    );
                }));
                Ok(())
            }
            Trigger::EventBus { client, bus } => {
                drop(lock);
                put_event(client, bus, &job).await.map_err(StartError::Bus)
            }
        }
    }
}

/// Puts `job`'s event on `bus`.
async fn put_event(
    client: &aws_sdk_eventbridge::Client,
    bus: &str,
    job: &Job,
) -> anyhow::Result<()> {
    let entry = PutEventsRequestEntry::builder()
        .event_bus_name(bus)
        .source(EVENT_SOURCE)
        .detail_type(job.kind())
        .detail(serde_json::to_string(job)?)
        .build();
    let output = client
        .put_events()
        .entries(entry)
        .send()
        .await
        .map_err(aws_sdk_eventbridge::Error::from)
        .context("PutEvents")?;
    if let Some(failed) = output.entries().iter().find(|e| e.error_code().is_some()) {
        anyhow::bail!(
            "the bus refused the event: {} {}",
            failed.error_code().unwrap_or_default(),
            failed.error_message().unwrap_or_default()
        );
    }
    tracing::info!(bus, job = job.kind(), "ingest job asked for");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_events_detail_carries_only_what_the_rules_read() {
        let detail = |job: &Job| serde_json::to_value(job).unwrap();
        assert_eq!(detail(&Job::Ingest { source: None }), serde_json::json!({}));
        assert_eq!(
            detail(&Job::Ingest {
                source: Some("cases-states".into())
            }),
            serde_json::json!({"source": "cases-states"})
        );
        assert_eq!(
            detail(&Job::Accept {
                source: "occupancy".into(),
                run: "r1".into(),
                by: "ana".into()
            }),
            serde_json::json!({"source": "occupancy", "run": "r1", "by": "ana"})
        );
    }
}
