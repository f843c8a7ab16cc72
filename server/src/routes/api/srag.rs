//! Indicators 3 and 4: SRAG hospitalisations split into confirmed COVID-19
//! and suspected, their deaths and death rates, per state over a period.

use app::{catalog::GoldTable, indicators::SragTotals};
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
use crate::store::Paged;

query_params!(
    /// Parameters of `/api/v1/srag`.
    SragParams {
        /// States, comma-separated (`SP,RJ`). Default: all, and the
        /// notifications without a known state (`uf` blank).
        uf,
        /// A sales territory's slug (`sudeste`): its whole states.
        territory,
        /// First day (event date), `YYYY-MM-DD`. Default: 28 days before `to`.
        from,
        /// Last day, `YYYY-MM-DD`. Default: the newest day of the data.
        to,
    }
);

/// Hospitalised, confirmed and suspected, deaths and death rates per state
/// over a period.
#[utoipa::path(
    get,
    path = "/api/v1/srag",
    params(SragParams),
    responses(
        (status = 200, description = "One row per state: totals over the period",
         content((Listing<SragTotals> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn srag(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<SragParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "srag", || async {
        let filter = api.state_filter(params.uf.as_deref(), params.territory.as_deref(), false)?;
        let table = GoldTable::SragState;
        let newest = api.store.newest_date(table, &filter).await?;
        let Some((from, to)) = params::period(
            params.from.as_deref(),
            params.to.as_deref(),
            newest,
            table.default_days(),
        )?
        else {
            return Ok(api.empty(table));
        };
        let rows = Paged::all(api.store.srag(filter, from, to).await?);
        Ok(Listing::new(
            api.credits(table),
            (Some(from), Some(to)),
            rows,
        ))
    })
    .await
}
