//! Indicator 2, bed occupancy: per state, day, bed class and scope, with
//! the coverage figures (hospitals counted, stale, over capacity, rejected).

use app::{
    catalog::{
        GoldTable,
        vocabulary::{BedClass, Scope},
    },
    indicators::OccupancyDay,
};
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
    /// Parameters of `/api/v1/occupancy`.
    OccupancyParams {
        /// States, comma-separated (`SP,RJ`). Default: all.
        uf,
        /// A sales territory's slug (`sudeste`): its whole states.
        territory,
        /// First day, `YYYY-MM-DD`. Default: 90 days before `to`.
        from,
        /// Last day, `YYYY-MM-DD`. Default: the newest day of the data.
        to,
        /// `clinical` or `icu`. Default: both.
        bed_class,
        /// `all` (general + SRAG beds) or `covid` (SRAG beds). Default: both.
        scope,
        /// Rows per page, 1 to 10000 (default 10000).
        limit,
        /// Rows to skip: the previous page's `next_offset`.
        offset,
    }
);

/// Bed occupancy rate per state, day, bed class and scope, with coverage.
#[utoipa::path(
    get,
    path = "/api/v1/occupancy",
    params(OccupancyParams),
    responses(
        (status = 200, description = "One row per state, day, bed class and scope",
         content((Listing<OccupancyDay> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn occupancy(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<OccupancyParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "occupancy", || async {
        let page = params::page(
            params.limit.as_deref(),
            params.offset.as_deref(),
            params::MAX_LIMIT,
        )?;
        let mut filter =
            api.state_filter(params.uf.as_deref(), params.territory.as_deref(), false)?;
        if let Some(class) =
            params::optional_word::<BedClass>("bed_class", params.bed_class.as_deref())?
        {
            filter = filter.eq("bed_class", class.code());
        }
        if let Some(scope) = params::optional_word::<Scope>("scope", params.scope.as_deref())? {
            filter = filter.eq("scope", scope.code());
        }
        let store = &api.store;
        api.days(
            GoldTable::OccupancyState,
            filter,
            (params.from.as_deref(), params.to.as_deref()),
            |filter| async move { store.occupancy(&filter, page).await },
        )
        .await
    })
    .await
}
