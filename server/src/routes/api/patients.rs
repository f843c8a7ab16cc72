//! Indicators 3 and 4 from the occupancy register: COVID-19 patients in
//! clinical and ICU beds, suspected and confirmed, and their deaths and
//! discharges, per state and day, with the hospitals counted.

use app::{catalog::GoldTable, indicators::PatientsDay};
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

query_params!(
    /// Parameters of `/api/v1/patients`.
    PatientsParams {
        /// States, comma-separated (`SP,RJ`). Default: all.
        uf,
        /// A sales territory's slug (`sudeste`): its whole states.
        territory,
        /// First day, `YYYY-MM-DD`. Default: 90 days before `to`.
        from,
        /// Last day, `YYYY-MM-DD`. Default: the newest day of the data.
        to,
        /// Rows per page, 1 to 10000 (default 10000).
        limit,
        /// Rows to skip: the previous page's `next_offset`.
        offset,
    }
);

/// Suspected and confirmed patients, their deaths, discharges and death
/// rates, per state and day.
#[utoipa::path(
    get,
    path = "/api/v1/patients",
    params(PatientsParams),
    responses(
        (status = 200, description = "One row per state and day",
         content((Listing<PatientsDay> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn patients(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<PatientsParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "patients", || async {
        let page = params::page(
            params.limit.as_deref(),
            params.offset.as_deref(),
            params::MAX_LIMIT,
        )?;
        let filter = api.state_filter(params.uf.as_deref(), params.territory.as_deref(), false)?;
        let store = &api.store;
        api.days(
            GoldTable::OccupancyPatients,
            filter,
            (params.from.as_deref(), params.to.as_deref()),
            |filter| async move { store.patients(&filter, page).await },
        )
        .await
    })
    .await
}
