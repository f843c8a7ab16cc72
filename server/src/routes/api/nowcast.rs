//! The nowcast of SIVEP-Gripe's newest weeks (docs/nowcast.md): per state
//! (and Brazil) and measure, the weeks of a vintage with the count
//! reported so far and the median and intervals of the eventual count,
//! the two weeks ahead, and the short and long trends. Every answer names
//! the vintage its estimates were made from and the method, with a link to
//! the method's description, served beside them.

use app::{
    catalog::{
        GoldTable,
        territory::Territory,
        vocabulary::{Place, SragMeasure},
    },
    indicators::{NowcastWeek, OutlookWeek, SragTrend},
};
use axum::{
    extract::State,
    http::{HeaderMap, Uri, header},
    response::{IntoResponse, Response},
};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    Api,
    answer::{Listing, MethodRef},
    error::{ApiError, Failures, ParamError},
    params::{self, OutputParams, Params, query_params},
};
use crate::{
    nowcast::{DOC_PATH, METHOD, territory},
    store::{Estimate, NowcastQuery, Paged},
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
        /// Places, comma-separated: state codes (`SP,RJ`), `BR` for
        /// Brazil and sales territories' slugs (`nordeste`): a
        /// territory's trend is that of its whole states' nowcasts summed
        /// (its row's `uf` is the slug). Default: every state and Brazil.
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

/// What a request of estimates asks for, as it came.
struct Ask<'a> {
    /// The CSV file's name.
    name: &'a str,
    table: GoldTable,
    /// The places' parameter and its value.
    places: (&'a str, Option<&'a str>),
    /// Whether the places may name sales territories.
    territories: bool,
    measure: Option<&'a str>,
    vintage: Option<&'a str>,
}

/// The rows sales territories add to a listing: a territory's trend, from
/// its states' nowcasts; nothing for the other tables.
trait OfTerritories: Sized {
    fn of_territories(
        _api: &Api,
        _territories: &[&Territory],
        _vintage: NaiveDate,
        _measure: Option<SragMeasure>,
    ) -> impl Future<Output = Result<Vec<Self>, ApiError>> + Send {
        async { Ok(Vec::new()) }
    }
}

impl OfTerritories for NowcastWeek {}
impl OfTerritories for OutlookWeek {}

impl OfTerritories for SragTrend {
    async fn of_territories(
        api: &Api,
        territories: &[&Territory],
        vintage: NaiveDate,
        measure: Option<SragMeasure>,
    ) -> Result<Vec<Self>, ApiError> {
        if territories.is_empty() {
            return Ok(Vec::new());
        }
        let mut states: Vec<Place> = Vec::new();
        for &uf in territories.iter().flat_map(|t| &t.states) {
            if !states.contains(&Place::State(uf)) {
                states.push(Place::State(uf));
            }
        }
        let query = NowcastQuery {
            vintage,
            places: &states,
            measure,
        };
        let weeks: Vec<NowcastWeek> = api.store.estimates(&query).await?;
        let measures = measure.map_or_else(|| SragMeasure::ALL.to_vec(), |m| vec![m]);
        Ok(measures
            .into_iter()
            .flat_map(|measure| {
                let of_measure: Vec<NowcastWeek> = weeks
                    .iter()
                    .filter(|week| week.measure == measure)
                    .cloned()
                    .collect();
                territories
                    .iter()
                    .filter_map(move |territory| territory::trend(territory, &of_measure))
                    .collect::<Vec<_>>()
            })
            .collect())
    }
}

/// Answers a listing of the estimates `T` a request asks for, at the
/// vintage it names (the newest by default); the listing covers its rows'
/// weeks (first Sunday to last Saturday).
async fn estimates<T>(
    api: &Api,
    request: (&Uri, &HeaderMap),
    params: &impl OutputParams,
    ask: Ask<'_>,
) -> Result<Response, ApiError>
where
    T: Estimate + OfTerritories + Serialize + ToSchema,
{
    api.answer(request, params, ask.name, || async {
        let (parameter, places) = ask.places;
        let (places, territories) = match ask.territories {
            true => params::places(parameter, places, &api.territories)?,
            false => (params::states(parameter, places, true)?, Vec::new()),
        };
        let measure = params::optional_word::<SragMeasure>("measure", ask.measure)?;
        let Some(vintage) = vintage(api, ask.vintage).await? else {
            return Ok(api.empty(ask.table).estimated(None, method()));
        };
        let query = NowcastQuery {
            vintage,
            places: &places,
            measure,
        };
        // Territories alone ask for no state.
        let mut rows: Vec<T> = match places.is_empty() && !territories.is_empty() {
            true => Vec::new(),
            false => api.store.estimates(&query).await?,
        };
        rows.extend(T::of_territories(api, &territories, vintage, measure).await?);
        let from = rows.iter().map(T::week).min();
        let to = rows
            .iter()
            .map(T::week)
            .max()
            .and_then(|last| last.checked_add_days(Days::new(6)));
        Ok(
            Listing::new(api.credits(ask.table), (from, to), Paged::all(rows))
                .estimated(Some(vintage), method()),
        )
    })
    .await
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
    let ask = Ask {
        name: "srag_nowcast",
        table: GoldTable::SragNowcast,
        places: ("uf", params.uf.as_deref()),
        territories: false,
        measure: params.measure.as_deref(),
        vintage: params.vintage.as_deref(),
    };
    estimates::<NowcastWeek>(&api, (&uri, &headers), &params, ask).await
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
    let ask = Ask {
        name: "srag_outlook",
        table: GoldTable::SragOutlook,
        places: ("uf", params.uf.as_deref()),
        territories: false,
        measure: params.measure.as_deref(),
        vintage: params.vintage.as_deref(),
    };
    estimates::<OutlookWeek>(&api, (&uri, &headers), &params, ask).await
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
    let ask = Ask {
        name: "trends",
        table: GoldTable::SragTrend,
        places: ("territory", params.territory.as_deref()),
        territories: true,
        measure: params.measure.as_deref(),
        vintage: params.vintage.as_deref(),
    };
    estimates::<SragTrend>(&api, (&uri, &headers), &params, ask).await
}

/// The method's description (docs/nowcast.md), as Markdown.
pub async fn doc() -> Response {
    (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        DOC,
    )
        .into_response()
}
