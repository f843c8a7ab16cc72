//! Data freshness: each source's last collection and newest data date, and
//! the latest ingest runs, so a reader knows how current a figure is.

use app::{indicators::RunSummary, status::SourceStatus};
use axum::{
    extract::State,
    http::{HeaderMap, Uri},
    response::Response,
};

use super::{
    Api,
    answer::Listing,
    error::{ApiError, Failures},
    params::{self, Params, query_params},
};
use crate::{backend::source_statuses, store::Paged};

query_params!(
    /// Parameters of `/api/v1/freshness`.
    FreshnessParams {}
);

query_params!(
    /// Parameters of `/api/v1/runs`.
    RunsParams {
        /// Runs listed, newest first: 1 to 100 (default 20).
        limit,
    }
);

/// Every configured source: state, last attempt and success, newest data date, last error.
#[utoipa::path(
    get,
    path = "/api/v1/freshness",
    params(FreshnessParams),
    responses(
        (status = 200, description = "One row per source", content((Listing<SourceStatus> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "reference"
)]
pub async fn freshness(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<FreshnessParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "freshness", || async {
        let rows = source_statuses(&api.store, &api.sources).await?;
        let newest = rows.iter().filter_map(|s| s.newest_date).max();
        Ok(Listing::new(Vec::new(), (None, newest), Paged::all(rows)))
    })
    .await
}

/// The latest ingest runs, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/runs",
    params(RunsParams),
    responses(
        (status = 200, description = "One row per run", content((Listing<RunSummary> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "reference"
)]
pub async fn runs(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<RunsParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "runs", || async {
        let limit = params::number("limit", params.limit.as_deref(), 1, 100, 20)?;
        let rows = api
            .store
            .runs(u32::try_from(limit).expect("bounded above"))
            .await?
            .into_iter()
            .map(|run| RunSummary {
                id: run.id,
                started_at: run.started_at,
                finished_at: run.finished_at,
                status: run.status,
                error: run.error,
            })
            .collect();
        Ok(Listing::new(Vec::new(), (None, None), Paged::all(rows)))
    })
    .await
}
