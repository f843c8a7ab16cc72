//! Indicator 5: the most and least affected states and cities, by cases or
//! deaths per 100k or by the week-on-week rise of new cases; for the whole
//! series (the precomputed gold ranking) or for a chosen period.

use std::collections::HashMap;

use app::indicators::RankingEntry;
use axum::{
    extract::State,
    http::{HeaderMap, Uri},
    response::Response,
};
use chrono::{Duration, NaiveDate};

use super::{
    Api,
    answer::Listing,
    error::{ApiError, Failures, ParamError},
    params::{self, Params, query_params},
};
use crate::{
    ingest::ranking::{Standing, rank},
    sources::Format,
    store::{Direction, Filter, Paged, Places, RankingQuery},
};

const METRICS: [&str; 3] = [
    "cases_per_100k",
    "deaths_per_100k",
    "new_cases_week_per_100k",
];
const FORMATS: [Format; 4] = [
    Format::WcotaStates,
    Format::WcotaCitiesTime,
    Format::BrasilioCaso,
    Format::Population,
];

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
        let scope = params::choice(
            "scope",
            params.scope.as_deref(),
            &["state", "city"],
            "state",
        )?;
        let metric = params::choice("metric", params.metric.as_deref(), &METRICS, METRICS[0])?;
        let uf = match params::states("uf", params.uf.as_deref(), false)?.as_slice() {
            [] => None,
            [uf] => Some(uf.clone()),
            _ => {
                return Err(
                    ParamError::new("uf", "one state only", "a state code such as SP").into(),
                );
            }
        };
        let default_min = if scope == "city" { 50_000 } else { 0 };
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
            uf: uf.as_deref(),
            min_population: i64::try_from(min_population).expect("bounded above"),
            direction,
            limit: u32::try_from(limit).expect("bounded above"),
        };
        let (from, to) = (
            params::date("from", params.from.as_deref())?,
            params::date("to", params.to.as_deref())?,
        );
        let rows = match (from, to) {
            (None, None) => api.store.ranking(query).await?,
            _ => api.rank_period(query, from, to).await?,
        };
        let period = (
            rows.first().map(|r| r.period_start),
            rows.first().map(|r| r.period_end),
        );
        Ok(Listing::new(
            api.sources_of(&FORMATS),
            period,
            Paged::all(rows),
        ))
    })
    .await
}

impl Api {
    /// Ranks over `from..=to` from the cumulative series: the cases and
    /// deaths of the period are the totals at its end minus those the day
    /// before it starts.
    async fn rank_period(
        &self,
        query: RankingQuery<'_>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<RankingEntry>, ApiError> {
        let places = if query.scope == "city" {
            Places::Cities
        } else {
            Places::States
        };
        let Some(to) = to.or(self
            .store
            .newest_date(places.table(), &Filter::default())
            .await?)
        else {
            return Ok(Vec::new());
        };
        let from = from.unwrap_or(NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date"));
        if from > to {
            let message = format!("from ({from}) is after to ({to})");
            return Err(ParamError::new("from", message, "a date on or before to").into());
        }
        let day = Duration::days(1);
        let at_end = self.store.cumulative_at(places, to).await?;
        let before = self.store.cumulative_at(places, from - day).await?;
        let week_ago = self.store.cumulative_at(places, to - day * 7).await?;
        let two_weeks_ago = self.store.cumulative_at(places, to - day * 14).await?;
        let everyone = RankingQuery {
            metric: METRICS[0],
            uf: None,
            min_population: 0,
            direction: Direction::MostAffected,
            limit: u32::MAX,
            ..query
        };
        let cumulative = |totals: &HashMap<String, (i64, i64)>, key: &str| {
            totals.get(key).copied().unwrap_or((0, 0))
        };
        let standings: Vec<Standing> = self
            .store
            .ranking(everyone)
            .await?
            .into_iter()
            .map(|place| {
                let key = place.city_ibge.clone().unwrap_or_else(|| place.uf.clone());
                let end = cumulative(&at_end, &key);
                let start = cumulative(&before, &key);
                let week = cumulative(&week_ago, &key).0;
                Standing {
                    uf: place.uf,
                    city_ibge: place.city_ibge.unwrap_or_default(),
                    name: place.name,
                    population: place.population,
                    cases: end.0 - start.0,
                    deaths: end.1 - start.1,
                    this_week: end.0 - week,
                    last_week: week - cumulative(&two_weeks_ago, &key).0,
                }
            })
            .collect();
        let mut ranked: Vec<RankingEntry> = rank(query.scope, &standings, from, to)
            .into_iter()
            .filter(|r| r.metric == query.metric && r.population >= query.min_population)
            .filter(|r| query.uf.is_none_or(|uf| r.uf == uf))
            .map(RankingEntry::from)
            .collect();
        if query.direction == Direction::LeastAffected {
            ranked.reverse();
        }
        ranked.truncate(query.limit as usize);
        Ok(ranked)
    }
}
