//! The places the indicators cover: the 27 states and the cities with a
//! known population.

use app::{
    catalog::{Format, vocabulary::Uf},
    indicators::{CityInfo, StateInfo},
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
use crate::store::{Filter, Page, Paged, Places};

query_params!(
    /// Parameters of `/api/v1/states`.
    StatesParams {}
);

query_params!(
    /// Parameters of `/api/v1/cities`.
    CitiesParams {
        /// Only cities of these states, comma-separated: `SP,RJ`.
        uf,
        /// A sales territory's slug (`sudeste`): its states' cities and
        /// the cities it lists.
        territory,
        /// Rows per page, 1 to 10000 (default 10000).
        limit,
        /// Rows to skip: the previous page's `next_offset`.
        offset,
    }
);

/// The 27 states, with the population their per-100k figures use.
#[utoipa::path(
    get,
    path = "/api/v1/states",
    params(StatesParams),
    responses(
        (status = 200, description = "The states", content((Listing<StateInfo> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "reference"
)]
pub async fn states(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<StatesParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "states", || async {
        let everything = Page::ALL;
        let latest = api
            .store
            .cases_latest(Places::States, Filter::default(), None, everything)
            .await?
            .rows;
        let rows = Uf::all()
            .map(|uf| StateInfo {
                uf: uf.code().to_owned(),
                name: uf.name().to_owned(),
                population: latest
                    .iter()
                    .find(|day| day.uf == uf.code())
                    .and_then(|day| day.population),
            })
            .collect();
        Ok(Listing::new(
            api.sources_of(&[Format::Population]),
            (None, None),
            Paged::all(rows),
        ))
    })
    .await
}

/// The cities with a known population, by state and name.
#[utoipa::path(
    get,
    path = "/api/v1/cities",
    params(CitiesParams),
    responses(
        (status = 200, description = "The cities", content((Listing<CityInfo> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "reference"
)]
pub async fn cities(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<CitiesParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "cities", || async {
        let page = params::page(
            params.limit.as_deref(),
            params.offset.as_deref(),
            params::MAX_LIMIT,
        )?;
        let places = api.city_filter(params.uf.as_deref(), None, params.territory.as_deref())?;
        let cities = api.store.cities(places, page).await?;
        Ok(Listing::new(
            api.sources_of(&[Format::Population]),
            (None, None),
            cities,
        ))
    })
    .await
}
