//! Indicator 1, cases and deaths: daily series per state and per city, and
//! each city's latest totals.

use app::{catalog::GoldTable, indicators::CasesDay};
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
use crate::store::{Filter, Places};

query_params!(
    /// Parameters of `/api/v1/cases/states`.
    StateSeriesParams {
        /// States, comma-separated (`SP,RJ`); `BR` is the whole country. Default: all.
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

query_params!(
    /// Parameters of `/api/v1/cases/cities`.
    CitySeriesParams {
        /// Only cities of these states, comma-separated.
        uf,
        /// A sales territory's slug (`sudeste`): its states' cities and
        /// the cities it lists.
        territory,
        /// 7-digit IBGE city codes, comma-separated (up to 100).
        city,
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

query_params!(
    /// Parameters of `/api/v1/cases/cities/latest`.
    CityLatestParams {
        /// Only cities of these states, comma-separated.
        uf,
        /// A sales territory's slug (`sudeste`): its states' cities and
        /// the cities it lists.
        territory,
        /// 7-digit IBGE city codes, comma-separated (up to 100).
        city,
        /// Each city's latest day on or before this one. Default: the newest.
        date,
        /// Rows per page, 1 to 10000 (default 10000).
        limit,
        /// Rows to skip: the previous page's `next_offset`.
        offset,
    }
);

/// Daily cases and deaths per state (and `BR`): cumulative, new, 7-day mean, per 100k.
#[utoipa::path(
    get,
    path = "/api/v1/cases/states",
    params(StateSeriesParams),
    responses(
        (status = 200, description = "One row per state and day", content((Listing<CasesDay> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn states(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<StateSeriesParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "cases_states", || async {
        let page = params::page(
            params.limit.as_deref(),
            params.offset.as_deref(),
            params::MAX_LIMIT,
        )?;
        let filter = api.state_filter(params.uf.as_deref(), params.territory.as_deref(), true)?;
        api.series(
            Places::States,
            filter,
            (params.from.as_deref(), params.to.as_deref()),
            page,
        )
        .await
    })
    .await
}

/// Daily cases and deaths per city, where the source has a city series.
#[utoipa::path(
    get,
    path = "/api/v1/cases/cities",
    params(CitySeriesParams),
    responses(
        (status = 200, description = "One row per city and day", content((Listing<CasesDay> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn cities(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<CitySeriesParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "cases_cities", || async {
        let filter = api.city_filter(
            params.uf.as_deref(),
            params.city.as_deref(),
            params.territory.as_deref(),
        )?;
        let page = params::page(
            params.limit.as_deref(),
            params.offset.as_deref(),
            params::MAX_LIMIT,
        )?;
        api.series(
            Places::Cities,
            filter,
            (params.from.as_deref(), params.to.as_deref()),
            page,
        )
        .await
    })
    .await
}

/// Each city's latest cumulative cases and deaths on or before a day.
#[utoipa::path(
    get,
    path = "/api/v1/cases/cities/latest",
    params(CityLatestParams),
    responses(
        (status = 200, description = "One row per city", content((Listing<CasesDay> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn cities_latest(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<CityLatestParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "cases_cities_latest", || async {
        let filter = api.city_filter(
            params.uf.as_deref(),
            params.city.as_deref(),
            params.territory.as_deref(),
        )?;
        let date = params::date("date", params.date.as_deref())?;
        let page = params::page(
            params.limit.as_deref(),
            params.offset.as_deref(),
            params::MAX_LIMIT,
        )?;
        let latest = api
            .store
            .cases_latest(Places::Cities, filter, date, page)
            .await?;
        let from = latest.rows.iter().map(|r| r.date).min();
        let to = latest.rows.iter().map(|r| r.date).max();
        Ok(Listing::new(
            api.credits(GoldTable::CasesCity),
            (from, to),
            latest,
        ))
    })
    .await
}

impl Api {
    /// A page of the daily series of `places` matching `filter` over the
    /// period `(from, to)` asks for.
    async fn series(
        &self,
        places: Places,
        filter: Filter,
        (from, to): (Option<&str>, Option<&str>),
        page: crate::store::Page,
    ) -> Result<Listing<CasesDay>, ApiError> {
        self.days(places.table(), filter, (from, to), |filter| async move {
            self.store.cases(places, &filter, page).await
        })
        .await
    }
}
