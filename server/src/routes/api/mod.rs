//! The indicator API, `/api/v1/`: every indicator of the gold layer as JSON
//! or CSV, for the dashboard's users and the data team's tools. Parameters
//! are validated (a bad one is a 400 naming it), answers are cached until
//! the next ingest commits and carry an `ETag`, and the OpenAPI document at
//! `/api/v1/openapi.json` is generated from these handlers.

pub(crate) mod alerts;
mod answer;
mod cases;
pub(crate) mod error;
mod hospitals;
mod nowcast;
mod occupancy;
mod params;
mod patients;
mod places;
mod rankings;
mod srag;
mod status;

use std::sync::Arc;

use axum::{
    Router,
    http::{HeaderMap, Uri, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use self::{
    answer::{Listing, Output, Rendered, ResponseCache, SourceRef},
    error::{ApiError, ParamError},
    params::OutputParams,
};
use super::AppState;
use app::catalog::{Format, GoldTable};

use crate::{
    alerts::Admission,
    sources::SourceConfig,
    store::{Filter, Paged, Store, StoreError},
    territories::Territories,
};

/// What the API handlers reach: the store, the source configuration (for
/// attributions) and the response cache.
#[derive(Clone)]
pub struct Api {
    store: Store,
    sources: Arc<[SourceConfig]>,
    territories: Territories,
    cache: ResponseCache,
    /// What alert rules may ask for.
    alerts: Admission,
}

impl Api {
    pub fn new(
        store: Store,
        sources: Arc<[SourceConfig]>,
        territories: Territories,
        alerts: Admission,
    ) -> Self {
        Api {
            store,
            sources,
            territories,
            cache: ResponseCache::default(),
            alerts,
        }
    }

    /// The configured sources of the given formats, credited beside the
    /// figures they gave.
    fn sources_of(&self, formats: &[Format]) -> Vec<SourceRef> {
        self.sources
            .iter()
            .filter(|s| formats.contains(&s.format))
            .map(|s| SourceRef {
                name: s.name.clone(),
                title: s.title.clone(),
            })
            .collect()
    }

    /// The configured sources of the formats that feed `table`.
    fn credits(&self, table: GoldTable) -> Vec<SourceRef> {
        self.sources_of(table.formats())
    }

    /// The states the `uf` parameter lists (all when absent; `BR` too
    /// where `with_brazil`), within the whole states of the territory the
    /// `territory` parameter names.
    fn state_filter(
        &self,
        uf: Option<&str>,
        territory: Option<&str>,
        with_brazil: bool,
    ) -> Result<Filter, ParamError> {
        let filter = Filter::default().places(&params::states("uf", uf, with_brazil)?);
        Ok(
            match params::territory("territory", territory, &self.territories)? {
                Some(territory) => filter.within_states(territory),
                None => filter,
            },
        )
    }

    /// The places of the `uf` and `city` parameters (all when absent),
    /// within the territory the `territory` parameter names (its states
    /// and cities), on a table with `uf` and `city_ibge`.
    fn city_filter(
        &self,
        uf: Option<&str>,
        city: Option<&str>,
        territory: Option<&str>,
    ) -> Result<Filter, ParamError> {
        let filter = Filter::default()
            .places(&params::states("uf", uf, false)?)
            .any_of("city_ibge", &params::cities("city", city)?);
        Ok(
            match params::territory("territory", territory, &self.territories)? {
                Some(territory) => filter.within(territory),
                None => filter,
            },
        )
    }

    /// A listing of `table` without rows: there is no data yet.
    fn empty<T: ToSchema>(&self, table: GoldTable) -> Listing<T> {
        Listing::new(self.credits(table), (None, None), Paged::all(Vec::new()))
    }

    /// A page of the daily rows of `table` matching `filter` over the period
    /// `(from, to)` asks for (by default the table's default days up to the
    /// newest day of the rows matching `filter`), read by `read` with the
    /// period added to the filter; credited to the sources that feed it.
    async fn days<T, Fut>(
        &self,
        table: GoldTable,
        filter: Filter,
        (from, to): (Option<&str>, Option<&str>),
        read: impl FnOnce(Filter) -> Fut,
    ) -> Result<Listing<T>, ApiError>
    where
        T: ToSchema,
        Fut: Future<Output = Result<Paged<T>, StoreError>>,
    {
        let newest = self.store.newest_date(table, &filter).await?;
        let Some((from, to)) = params::period(from, to, newest, table.default_days())? else {
            return Ok(self.empty(table));
        };
        let rows = read(filter.between("date", from, to)).await?;
        Ok(Listing::new(
            self.credits(table),
            (Some(from), Some(to)),
            rows,
        ))
    }

    /// Answers from the cache, or from `listing` (then cached until the
    /// store's next generation); `name` names a CSV download.
    async fn answer<T, F, Fut>(
        &self,
        (uri, headers): (&Uri, &HeaderMap),
        params: &impl OutputParams,
        name: &str,
        listing: F,
    ) -> Result<Response, ApiError>
    where
        T: Serialize + ToSchema,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Listing<T>, ApiError>>,
    {
        let output = Output::negotiate(params, headers)?;
        let generation = self.store.generation();
        let rendered = self
            .cache
            .get_or_render(generation, output, uri, || async {
                Rendered::new(&listing().await?, output, name)
            })
            .await?;
        Ok(rendered.response(headers))
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sentinela API",
        version = "1",
        description = "COVID-19 indicators of Brazil's public data, per state and city: \
            cases and deaths, bed occupancy (per state, and per hospital), suspected and confirmed hospitalisations, rankings, \
            the nowcast of SIVEP-Gripe's newest weeks with its trends and two-week outlook, \
            and the freshness of each source. Every list is JSON (default) or CSV \
            (`format=csv` or `Accept: text/csv`; `dialect=excel-br` for a Brazilian Excel), \
            says its sources and the period it covers, and is paged by `limit`/`offset`. \
            Dates are ISO `YYYY-MM-DD` with no time zone. A bad parameter is a 400 naming it."
    ),
    components(schemas(crate::json_error::ErrorBody)),
    tags(
        (name = "indicators", description = "The indicators of the gold layer"),
        (name = "reference", description = "States, cities and data freshness"),
        (name = "alerts", description = "An account's alert rules and their firings: \
            an API token acts for the account that issued it, on that account's rules only")
    )
)]
struct ApiDoc;

/// The API's routes and their OpenAPI document.
pub fn router() -> Router<AppState> {
    let (router, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(places::states))
        .routes(routes!(places::cities))
        .routes(routes!(cases::states))
        .routes(routes!(cases::cities))
        .routes(routes!(cases::cities_latest))
        .routes(routes!(occupancy::occupancy))
        .routes(routes!(hospitals::hospitals))
        .routes(routes!(hospitals::hospital))
        .routes(routes!(patients::patients))
        .routes(routes!(srag::srag))
        .routes(routes!(nowcast::nowcast))
        .routes(routes!(nowcast::outlook))
        .routes(routes!(nowcast::trends))
        .routes(routes!(rankings::rankings))
        .routes(routes!(status::freshness))
        .routes(routes!(status::runs))
        .routes(routes!(alerts::list, alerts::create))
        .routes(routes!(alerts::one, alerts::update, alerts::remove))
        .routes(routes!(alerts::firings))
        .split_for_parts();
    let document: Arc<str> = document
        .to_json()
        .expect("the OpenAPI document serialises")
        .into();
    router
        .route(
            "/api/v1/openapi.json",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    document.to_string(),
                )
            }),
        )
        .route(crate::nowcast::DOC_PATH, get(nowcast::doc))
        .route("/api/v1", get(not_found))
        .route("/api/v1/{*rest}", get(not_found))
}

async fn not_found() -> Response {
    ApiError::NotFound.into_response()
}
