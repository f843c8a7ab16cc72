//! The server-side data behind the server functions. The `server` crate
//! implements [`Backend`] over its store and provides it as Leptos context;
//! this crate never touches the database itself.

use std::sync::Arc;

use async_trait::async_trait;
use leptos::prelude::*;

use crate::{
    alerts_view::AlertLine,
    catalog::{
        territory::Territory,
        vocabulary::{SragMeasure, Uf},
    },
    city_view::CitySeries,
    dashboard::{MapMetric, Overview},
    hospital_view::{HospitalAsk, HospitalDetail, HospitalList},
    indicators::{NowcastSeries, SragTrend},
    page_error::PageError,
    quality::Quality,
    search::Found,
    state_view::{Period, StateSeries},
    status::DataStatus,
    territory_view::TerritoryHeadline,
};

/// Everything the pages read from the server.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// The status of every configured source.
    async fn data_status(&self) -> Result<DataStatus, BackendError>;

    /// The overview's figures, its map coloured by `metric`, its city
    /// rankings of places of `min_population` inhabitants or more; with
    /// `territory`, its map, states and rankings keep to its places.
    async fn overview(
        &self,
        metric: MapMetric,
        min_population: i64,
        territory: Option<&Territory>,
    ) -> Result<Overview, BackendError>;

    /// The sources' states and the latest ingest runs.
    async fn quality(&self) -> Result<Quality, BackendError>;

    /// A city's series over `period`, and its state's cities ranked.
    async fn city_series(&self, code: &str, period: Period) -> Result<CitySeries, BackendError>;

    /// A state's series over `period`, and its cities ranked.
    async fn state_series(&self, uf: Uf, period: Period) -> Result<StateSeries, BackendError>;

    /// The states and cities whose names match `query`, best first.
    async fn search(&self, query: &str) -> Result<Vec<Found>, BackendError>;

    /// One place's (a state, or `BR`) nowcast of `measure` at the newest
    /// vintage: its weeks, outlook and trend.
    async fn nowcast(&self, uf: Uf, measure: SragMeasure) -> Result<NowcastSeries, BackendError>;

    /// Every state's (and Brazil's) trend of `measure` at the newest
    /// vintage, by place; empty before the first nowcast.
    async fn trends(&self, measure: SragMeasure) -> Result<Vec<SragTrend>, BackendError>;

    /// One page of the hospitals' list on the newest day of the data.
    async fn hospitals(&self, ask: &HospitalAsk) -> Result<HospitalList, BackendError>;

    /// One hospital's page; `None` for a code the data does not hold.
    async fn hospital(&self, cnes: &str) -> Result<Option<HospitalDetail>, BackendError>;

    /// The alert rules of `account` (every account's with `None`), each
    /// with its latest firings.
    async fn alert_lines(&self, account: Option<&str>) -> Result<Vec<AlertLine>, BackendError>;

    /// The address `account`'s weekly digest goes to, if it asked for one.
    async fn digest_address(&self, account: &str) -> Result<Option<String>, BackendError>;

    /// The generation of the data: it moves whenever what the pages read
    /// changes. Read it before reading the data a page is rendered from.
    fn generation(&self) -> u64;

    /// A data page's content kept under `key` for `generation` (and not for
    /// long: some sentences are relative to the present).
    fn cached_page(&self, generation: u64, key: &str) -> Option<Arc<str>>;

    /// Keeps a data page's content, rendered from the data of
    /// `generation`, under `key` for [`Backend::cached_page`].
    fn keep_page(&self, generation: u64, key: String, html: Arc<str>);

    /// The configured sales territories, in their file's order.
    fn territories(&self) -> &[Territory];

    /// Each territory's headline figures on the newest day of the data.
    async fn territory_headlines(&self) -> Result<Vec<TerritoryHeadline>, BackendError>;
}

/// A failure reading the backend; its message is safe to show to users
/// (the implementation logs the details).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BackendError(pub String);

/// The backend as it travels in Leptos context.
pub type SharedBackend = Arc<dyn Backend>;

/// The backend of the current request.
pub fn current() -> Result<SharedBackend, PageError> {
    use_context::<SharedBackend>().ok_or_else(|| PageError::Unavailable.answered())
}

/// A backend failure (logged by the backend) as a page's error. The page
/// being rendered (or the server function being called) answers 503, so
/// browsers, probes and proxies see the outage, not a page that looks fine.
pub fn unavailable(_: BackendError) -> PageError {
    PageError::Unavailable.answered()
}
