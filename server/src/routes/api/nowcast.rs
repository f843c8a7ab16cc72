//! The nowcast of SIVEP-Gripe's newest weeks (docs/nowcast.md): per state
//! (and Brazil) and measure, the weeks of a vintage with the count
//! reported so far and the median and intervals of the eventual count,
//! the two weeks ahead, and the short and long trends. Every answer names
//! the vintage its estimates were made from and the method, with a link to
//! the method's description, served beside them.

use std::future::Future;

use app::{
    catalog::{GoldTable, vocabulary::SragMeasure},
    indicators::{NowcastWeek, OutlookWeek, SragTrend},
};
use axum::{
    extract::State,
    http::{HeaderMap, Uri, header},
    response::{IntoResponse, Response},
};
use chrono::{Days, NaiveDate};
use utoipa::ToSchema;

use super::{
    Api,
    answer::{Listing, MethodRef},
    error::{ApiError, Failures, ParamError},
    params::{self, Params, query_params},
};
use crate::{
    nowcast::{DOC_PATH, METHOD},
    store::{NowcastQuery, Paged, StoreError},
};

const DOC: &str = include_str!("../../../../docs/nowcast.md");

/// The method as answers name it.
pub fn method() -> MethodRef {
    MethodRef {
        name: METHOD.to_owned(),
        doc: DOC_PATH.to_owned(),
    }
}

query_params!(
    /// Parameters of `/api/v1/srag/nowcast` and `/api/v1/srag/outlook`.
    NowcastParams {
        /// States, comma-separated (`SP,RJ`), and `BR` for Brazil (the sum
        /// of the states). Default: all of them.
        uf,
        /// `srag` (hospitalisations by week of first symptoms), `covid`
        /// (the confirmed among them) or `deaths` (SRAG deaths by week of
        /// death). Default: all three.
        measure,
        /// The SIVEP-Gripe vintage (`YYYY-MM-DD`, the date of the database
        /// a weekly summary was made from) the estimates were made with.
        /// Default: the newest. Every vintage collected is kept.
        vintage,
    }
);

query_params!(
    /// Parameters of `/api/v1/trends`.
    TrendParams {
        /// `srag`, `covid` or `deaths`. Default: all three.
        measure,
        /// Places, comma-separated: state codes (`SP,RJ`) and `BR` for
        /// Brazil. Default: all. The sales organisation's territories
        /// (groups of states and cities) are not accepted yet; they will
        /// be, under this parameter.
        territory,
        /// The SIVEP-Gripe vintage, `YYYY-MM-DD`. Default: the newest.
        vintage,
    }
);

/// The vintage asked for, if the nowcast holds it (`None`: no nowcast
/// yet); the newest by default.
async fn vintage(api: &Api, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    let asked = params::date("vintage", value)?;
    let held = api.store.nowcast_vintages().await?;
    match asked {
        None => Ok(held.last().copied()),
        Some(vintage) if held.contains(&vintage) => Ok(Some(vintage)),
        Some(vintage) => {
            let allowed = match (held.first(), held.last()) {
                (Some(first), Some(last)) => format!(
                    "a vintage the nowcast holds ({} from {first} to {last}; default the newest)",
                    held.len()
                ),
                _ => "none yet: no nowcast has been computed".to_owned(),
            };
            Err(ApiError::Param(ParamError::new(
                "vintage",
                format!("no nowcast of vintage {vintage}"),
                allowed,
            )))
        }
    }
}

/// A listing of estimates of `table` at the vintage `value` asks for, read
/// by `read`; it covers the weeks `weeks` gives of its rows (first Sunday
/// to last Saturday).
async fn estimates<T, Fut>(
    api: &Api,
    table: GoldTable,
    value: Option<&str>,
    read: impl FnOnce(NaiveDate) -> Fut,
    week: impl Fn(&T) -> NaiveDate,
) -> Result<Listing<T>, ApiError>
where
    T: ToSchema,
    Fut: Future<Output = Result<Vec<T>, StoreError>>,
{
    let Some(vintage) = vintage(api, value).await? else {
        return Ok(api.empty(table).estimated(None, method()));
    };
    let rows = read(vintage).await?;
    let from = rows.iter().map(&week).min();
    let to = rows
        .iter()
        .map(&week)
        .max()
        .and_then(|last| last.checked_add_days(Days::new(6)));
    Ok(
        Listing::new(api.credits(table), (from, to), Paged::all(rows))
            .estimated(Some(vintage), method()),
    )
}

/// The nowcast: per place, measure and week of a vintage, the count
/// reported so far and the eventual count's median and intervals.
#[utoipa::path(
    get,
    path = "/api/v1/srag/nowcast",
    params(NowcastParams),
    responses(
        (status = 200, description = "One row per place, measure and epidemiological week: the \
          16 newest ended weeks of the vintage (the 12 still completing, `complete` false, and \
          4 taken as final). The envelope (JSON) or the `X-Sentinela-Vintage` and \
          `X-Sentinela-Method` headers (CSV) name the vintage and the method",
         content((Listing<NowcastWeek> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn nowcast(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<NowcastParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "srag_nowcast", || async {
        let ufs = params::states("uf", params.uf.as_deref(), true)?;
        let measure = params::optional_word::<SragMeasure>("measure", params.measure.as_deref())?;
        let store = &api.store;
        estimates(
            &api,
            GoldTable::SragNowcast,
            params.vintage.as_deref(),
            |vintage| async move {
                let query = NowcastQuery {
                    vintage,
                    ufs: &ufs,
                    measure,
                };
                store.nowcast_weeks(&query).await
            },
            |row: &NowcastWeek| row.week,
        )
        .await
    })
    .await
}

/// The two-week outlook: per place and measure, the two weeks after the
/// vintage's newest ended week.
#[utoipa::path(
    get,
    path = "/api/v1/srag/outlook",
    params(NowcastParams),
    responses(
        (status = 200, description = "One row per place, measure and week ahead (1, 2), with \
          the vintage and the method named as in `/srag/nowcast`",
         content((Listing<OutlookWeek> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn outlook(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<NowcastParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "srag_outlook", || async {
        let ufs = params::states("uf", params.uf.as_deref(), true)?;
        let measure = params::optional_word::<SragMeasure>("measure", params.measure.as_deref())?;
        let store = &api.store;
        estimates(
            &api,
            GoldTable::SragOutlook,
            params.vintage.as_deref(),
            |vintage| async move {
                let query = NowcastQuery {
                    vintage,
                    ufs: &ufs,
                    measure,
                };
                store.srag_outlook(&query).await
            },
            |row: &OutlookWeek| row.week,
        )
        .await
    })
    .await
}

/// The trends: per place and measure, the weekly growth of the nowcast's
/// last 3 and 6 ended weeks, the probability that each is an increase and
/// its class.
#[utoipa::path(
    get,
    path = "/api/v1/trends",
    params(TrendParams),
    responses(
        (status = 200, description = "One row per place and measure, with the vintage and the \
          method named as in `/srag/nowcast`",
         content((Listing<SragTrend> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn trends(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<TrendParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "trends", || async {
        let ufs = params::states("territory", params.territory.as_deref(), true)?;
        let measure = params::optional_word::<SragMeasure>("measure", params.measure.as_deref())?;
        let store = &api.store;
        estimates(
            &api,
            GoldTable::SragTrend,
            params.vintage.as_deref(),
            |vintage| async move {
                let query = NowcastQuery {
                    vintage,
                    ufs: &ufs,
                    measure,
                };
                store.srag_trends(&query).await
            },
            |row: &SragTrend| row.week,
        )
        .await
    })
    .await
}

/// The method's description (docs/nowcast.md), as Markdown.
pub async fn doc() -> Response {
    (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        DOC,
    )
        .into_response()
}
