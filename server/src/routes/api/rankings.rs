//! Indicator 5: the most and least affected states and cities, by cases or
//! deaths per 100k or by the week-on-week rise of new cases; for the whole
//! series (the precomputed gold ranking) or for a chosen period.

use app::{
    catalog::{
        GoldTable,
        vocabulary::{Metric, Place, PlaceKind},
    },
    indicators::RankingEntry,
};
use axum::{
    extract::State,
    http::{HeaderMap, Uri},
    response::Response,
};

use super::{
    Api,
    answer::Listing,
    error::{ApiError, Failures, ParamError},
    params::{self, Params, query_params},
};
use crate::store::{Direction, Paged, RankingQuery, keep_within};

query_params!(
    /// Parameters of `/api/v1/rankings`.
    RankingParams {
        /// `state` (default) or `city`.
        scope,
        /// `cases_per_100k` (default), `deaths_per_100k`, or
        /// `new_cases_week_per_100k` (ranked by the rise against the week before).
        metric,
        /// Only places of this state (one code). Ranks stay national.
        uf,
        /// Only places of this sales territory (`sudeste`): its whole
        /// states, and for cities also the cities it lists. Ranks stay
        /// national.
        territory,
        /// Only places with at least this population. Default: 50000 for
        /// cities, 0 for states.
        min_population,
        /// `most` (default: the most affected first) or `least`.
        direction,
        /// Places listed, 1 to 1000 (default 10).
        limit,
        /// Count cases and deaths from this day. Default: the start of the data.
        from,
        /// Count up to this day; the week metric takes the 7 days ending
        /// here. Default: the newest day of the data.
        to,
    }
);

/// The most or least affected states or cities.
#[utoipa::path(
    get,
    path = "/api/v1/rankings",
    params(RankingParams),
    responses(
        (status = 200, description = "Places by rank", content((Listing<RankingEntry> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn rankings(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<RankingParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "ranking", || async {
        let scope = params::word::<PlaceKind>("scope", params.scope.as_deref(), PlaceKind::State)?;
        let metric =
            params::word::<Metric>("metric", params.metric.as_deref(), Metric::CasesPer100k)?;
        let uf = match params::states("uf", params.uf.as_deref(), false)?.as_slice() {
            [] => None,
            [Place::State(uf)] => Some(*uf),
            _ => {
                return Err(
                    ParamError::new("uf", "one state only", "a state code such as SP").into(),
                );
            }
        };
        let territory =
            params::territory("territory", params.territory.as_deref(), &api.territories)?;
        let default_min = match scope {
            PlaceKind::City => 50_000,
            PlaceKind::State => 0,
        };
        let min_population = params::number(
            "min_population",
            params.min_population.as_deref(),
            0,
            1_000_000_000,
            default_min,
        )?;
        let direction = match params::choice(
            "direction",
            params.direction.as_deref(),
            &["most", "least"],
            "most",
        )? {
            "least" => Direction::LeastAffected,
            _ => Direction::MostAffected,
        };
        let limit = params::number("limit", params.limit.as_deref(), 1, 1000, 10)?;
        let query = RankingQuery {
            scope,
            metric,
            uf,
            min_population: i64::try_from(min_population).expect("bounded above"),
            direction,
            limit: u32::try_from(limit).expect("bounded above"),
        };
        let (from, to) = (
            params::date("from", params.from.as_deref())?,
            params::date("to", params.to.as_deref())?,
        );
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            let message = format!("from ({from}) is after to ({to})");
            return Err(ParamError::new("from", message, "a date on or before to").into());
        }
        let read = query.read_for(territory);
        let mut rows = match (from, to) {
            (None, None) => api.store.ranking(read).await?,
            _ => api.store.ranking_over(read, from, to).await?,
        };
        keep_within(&mut rows, territory, query.limit);
        let period = (
            rows.first().map(|r| r.period_start),
            rows.first().map(|r| r.period_end),
        );
        Ok(Listing::new(
            api.credits(GoldTable::Ranking),
            period,
            Paged::all(rows),
        ))
    })
    .await
}
