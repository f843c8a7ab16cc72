//! The dashboard's view of the data: implements the `app` crate's
//! [`Backend`] over the store and the source configuration.

mod overview;
mod state;

use std::{collections::HashMap, sync::Arc};

use app::{
    backend::{Backend, BackendError},
    dashboard::{MapMetric, Overview},
    state_view::{Period, StateSeries},
    status::{DataStatus, SourceState, SourceStatus},
};
use async_trait::async_trait;

use crate::{
    sources::SourceConfig,
    store::{Store, StoreError},
};

/// Answers the server functions from the store.
pub struct DashboardBackend {
    store: Store,
    sources: Arc<[SourceConfig]>,
}

impl DashboardBackend {
    pub fn new(store: Store, sources: Arc<[SourceConfig]>) -> Self {
        DashboardBackend { store, sources }
    }
}

/// Logs a store failure once, here at the boundary, and gives users a
/// message without internals.
fn unavailable(error: impl std::fmt::Display) -> BackendError {
    tracing::error!(%error, "store read failed");
    BackendError("the data store is unavailable".into())
}

/// Every configured source with what the store remembers of it, in
/// configuration order.
pub async fn source_statuses(
    store: &Store,
    sources: &[SourceConfig],
) -> Result<Vec<SourceStatus>, StoreError> {
    let mut states: HashMap<_, _> = store
        .source_states()
        .await?
        .into_iter()
        .map(|row| (row.name.clone(), row))
        .collect();
    Ok(sources
        .iter()
        .map(|source| {
            let row = states.remove(&source.name).unwrap_or_default();
            let state = match (&row.last_attempt_at, &row.last_error) {
                (None, _) => SourceState::Pending,
                (Some(_), None) => SourceState::Ok,
                (Some(_), Some(_)) => SourceState::Failing,
            };
            SourceStatus {
                name: source.name.clone(),
                title: source.title.clone(),
                kind: source.kind.to_string(),
                state,
                last_attempt: row.last_attempt_at,
                last_success: row.last_success_at,
                newest_date: row.newest_date,
                last_error: row.last_error,
            }
        })
        .collect())
}

#[async_trait]
impl Backend for DashboardBackend {
    async fn data_status(&self) -> Result<DataStatus, BackendError> {
        let sources = source_statuses(&self.store, &self.sources)
            .await
            .map_err(unavailable)?;
        Ok(DataStatus { sources })
    }

    async fn overview(&self, metric: MapMetric) -> Result<Overview, BackendError> {
        overview::overview(&self.store, metric)
            .await
            .map_err(unavailable)
    }

    async fn state_series(&self, uf: &str, period: Period) -> Result<StateSeries, BackendError> {
        state::state_series(&self.store, uf, period)
            .await
            .map_err(unavailable)
    }
}
