//! Reading the rankings of states and cities.

use sqlx::{AssertSqlSafe, Row};

use super::{Store, StoreError, parse_date};

/// One place's standing on one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct RankingRow {
    pub uf: String,
    /// Blank for states.
    pub city_ibge: String,
    pub name: String,
    pub value: f64,
    pub previous_value: Option<f64>,
    pub change: Option<f64>,
    pub population: i64,
    /// National rank; 1 is the most affected.
    pub rank: i64,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
}

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
    pub async fn ranking(&self, query: RankingQuery<'_>) -> Result<Vec<RankingRow>, StoreError> {
        let order = match query.direction {
            Direction::MostAffected => "ASC",
            Direction::LeastAffected => "DESC",
        };
        let sql = format!(
            "SELECT uf, city_ibge, name, value, previous_value, change, population, rank, period_start, period_end \
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
                Ok(RankingRow {
                    uf: row.try_get("uf")?,
                    city_ibge: row.try_get("city_ibge")?,
                    name: row.try_get("name")?,
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
}
