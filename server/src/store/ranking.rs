//! Reading the rankings of states and cities: the gold ranking (the whole
//! series), or places ranked over a chosen period from their cumulative
//! series.

use std::collections::HashMap;

use app::{
    catalog::{
        domain::{self, Standing},
        territory::Territory,
        vocabulary::{Metric, PlaceKind, Uf},
    },
    indicators::{CityInfo, RankingEntry},
};
use chrono::{Duration, NaiveDate};
use sqlx::{AssertSqlSafe, Row};

use super::{
    Places, Store, StoreError,
    filter::{Filter, Page, Paged},
    tables::{Ranking, Table},
};

/// Which end of a ranking to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    MostAffected,
    LeastAffected,
}

/// What to rank.
#[derive(Clone, Copy, Debug)]
pub struct RankingQuery {
    pub scope: PlaceKind,
    pub metric: Metric,
    /// Only places of this state.
    pub uf: Option<Uf>,
    pub min_population: i64,
    pub direction: Direction,
    pub limit: u32,
}

impl RankingQuery {
    /// The query to read for `territory`: the whole ranking, since its
    /// places are kept after ranking ([`keep_within`]).
    pub fn read_for(self, territory: Option<&Territory>) -> Self {
        match territory {
            Some(_) => RankingQuery {
                limit: u32::MAX,
                ..self
            },
            None => self,
        }
    }
}

/// `rows`, ranked over every place, kept to `territory`'s places (its
/// states whole and its own cities), then to `limit`.
pub fn keep_within(rows: &mut Vec<RankingEntry>, territory: Option<&Territory>, limit: u32) {
    if let Some(territory) = territory {
        rows.retain(|row| {
            Uf::parse(&row.uf).is_some_and(|uf| territory.covers(uf, row.city_ibge.as_deref()))
        });
    }
    rows.truncate(limit as usize);
}

impl Store {
    /// The top (or bottom) of a ranking.
    pub async fn ranking(&self, query: RankingQuery) -> Result<Vec<RankingEntry>, StoreError> {
        let order = match query.direction {
            Direction::MostAffected => "ASC",
            Direction::LeastAffected => "DESC",
        };
        let sql = format!(
            "{} WHERE scope = $1 AND metric = $2 AND ($3 = '' OR uf = $3) AND population >= $4 \
             ORDER BY rank {order} LIMIT $5",
            Ranking::select()
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(query.scope.code())
            .bind(query.metric.code())
            .bind(query.uf.map_or("", Uf::code))
            .bind(query.min_population)
            .bind(i64::from(query.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read ranking"))?;
        rows.iter()
            .map(Ranking::decode)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode ranking"))
    }

    /// The cities `places` matches with a known population: those the
    /// ranking holds, by state and name.
    pub async fn cities(&self, places: Filter, page: Page) -> Result<Paged<CityInfo>, StoreError> {
        let rows = places
            .eq("scope", PlaceKind::City.code())
            .eq("metric", Metric::CasesPer100k.code())
            .paged(
                &format!(
                    "SELECT city_ibge, name, uf, population FROM {}",
                    Ranking::TABLE.name()
                ),
                "uf, name, city_ibge",
                page,
            )
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read cities"))?;
        let rows = rows
            .iter()
            .map(|row| {
                Ok(CityInfo {
                    city_ibge: row.try_get("city_ibge")?,
                    name: row.try_get("name")?,
                    uf: row.try_get("uf")?,
                    population: row.try_get("population")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode cities"))?;
        Ok(Paged::from_rows(rows, page))
    }

    /// Ranks over `from..=to` (by default from the start of the data to
    /// its newest day) from the cumulative series: the cases and deaths of
    /// the period are the totals at its end minus those the day before it
    /// starts; the weekly metric takes the 7 days ending at `to`.
    pub async fn ranking_over(
        &self,
        query: RankingQuery,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<RankingEntry>, StoreError> {
        let places = match query.scope {
            PlaceKind::City => Places::Cities,
            PlaceKind::State => Places::States,
        };
        let Some(to) = to.or(self.newest_date(places.table(), &Filter::default()).await?) else {
            return Ok(Vec::new());
        };
        let from = from.unwrap_or(NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date"));
        // A period without a day of data ranks no one (not everyone at 0).
        let in_period = Filter::default().between("date", from, to);
        if self
            .newest_date(places.table(), &in_period)
            .await?
            .is_none()
        {
            return Ok(Vec::new());
        }
        let day = Duration::days(1);
        let at_end = self.cumulative_at(places, to).await?;
        let before = self.cumulative_at(places, from - day).await?;
        let week_ago = self.cumulative_at(places, to - day * 7).await?;
        let two_weeks_ago = self.cumulative_at(places, to - day * 14).await?;
        let everyone = RankingQuery {
            metric: Metric::CasesPer100k,
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
        let mut ranked: Vec<RankingEntry> = domain::rank(&standings)
            .into_iter()
            .filter(|r| r.metric == query.metric && r.standing.population >= query.min_population)
            .filter(|r| query.uf.is_none_or(|uf| r.standing.uf == uf.code()))
            .map(|r| r.entry(query.scope, from, to))
            .collect();
        if query.direction == Direction::LeastAffected {
            ranked.reverse();
        }
        ranked.truncate(query.limit as usize);
        Ok(ranked)
    }
}
