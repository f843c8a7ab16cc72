//! Reading the rankings of states and cities.

use app::indicators::{CityInfo, RankingEntry};
use sqlx::{AssertSqlSafe, Row};

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    parse_date,
};

/// Which end of a ranking to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    MostAffected,
    LeastAffected,
}

/// What to rank.
#[derive(Clone, Copy, Debug)]
pub struct RankingQuery<'a> {
    /// `state` or `city`.
    pub scope: &'a str,
    pub metric: &'a str,
    /// Only places of this state.
    pub uf: Option<&'a str>,
    pub min_population: i64,
    pub direction: Direction,
    pub limit: u32,
}

impl Store {
    /// The top (or bottom) of a ranking.
    pub async fn ranking(&self, query: RankingQuery<'_>) -> Result<Vec<RankingEntry>, StoreError> {
        let order = match query.direction {
            Direction::MostAffected => "ASC",
            Direction::LeastAffected => "DESC",
        };
        let sql = format!(
            "SELECT uf, city_ibge, name, metric, value, previous_value, change, population, rank, period_start, period_end \
             FROM gold_ranking WHERE scope = $1 AND metric = $2 AND ($3 = '' OR uf = $3) AND population >= $4 \
             ORDER BY rank {order} LIMIT $5"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(query.scope)
            .bind(query.metric)
            .bind(query.uf.unwrap_or(""))
            .bind(query.min_population)
            .bind(i64::from(query.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read ranking"))?;
        rows.iter()
            .map(|row| {
                let city_ibge: String = row.try_get("city_ibge")?;
                Ok(RankingEntry {
                    uf: row.try_get("uf")?,
                    city_ibge: (!city_ibge.is_empty()).then_some(city_ibge),
                    name: row.try_get("name")?,
                    metric: row.try_get("metric")?,
                    value: row.try_get("value")?,
                    previous_value: row.try_get("previous_value")?,
                    change: row.try_get("change")?,
                    population: row.try_get("population")?,
                    rank: row.try_get("rank")?,
                    period_start: parse_date(row.try_get("period_start")?)?,
                    period_end: parse_date(row.try_get("period_end")?)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode ranking"))
    }

    /// The cities of the states `ufs` (all when empty) with a known
    /// population: those the ranking holds, by state and name.
    pub async fn cities(&self, ufs: &[String], page: Page) -> Result<Paged<CityInfo>, StoreError> {
        let rows = Filter::default()
            .eq("scope", "city")
            .eq("metric", "cases_per_100k")
            .any_of("uf", ufs)
            .paged(
                "SELECT city_ibge, name, uf, population FROM gold_ranking",
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
}
