//! Reading gold SRAG hospitalisations and deaths over a period.

use chrono::NaiveDate;
use sqlx::Row;

use super::{Store, StoreError};

/// Hospitalisations and deaths of one state over a period; `uf` is blank
/// for the rows without a known state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SragTotals {
    pub uf: String,
    pub hospitalised: i64,
    pub confirmed: i64,
    pub suspected: i64,
    pub deaths: i64,
    pub deaths_confirmed: i64,
    pub deaths_suspected: i64,
}

impl Store {
    /// Every state's totals from `start` to `end`, both included.
    pub async fn srag_period(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<SragTotals>, StoreError> {
        let rows = sqlx::query(
            "SELECT uf, CAST(SUM(hospitalised) AS BIGINT) AS hospitalised, \
             CAST(SUM(confirmed) AS BIGINT) AS confirmed, CAST(SUM(suspected) AS BIGINT) AS suspected, \
             CAST(SUM(deaths) AS BIGINT) AS deaths, CAST(SUM(deaths_confirmed) AS BIGINT) AS deaths_confirmed, \
             CAST(SUM(deaths_suspected) AS BIGINT) AS deaths_suspected \
             FROM gold_srag_state WHERE date >= $1 AND date <= $2 GROUP BY uf ORDER BY uf",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read SRAG totals"))?;
        rows.iter()
            .map(|row| {
                Ok(SragTotals {
                    uf: row.try_get("uf")?,
                    hospitalised: row.try_get("hospitalised")?,
                    confirmed: row.try_get("confirmed")?,
                    suspected: row.try_get("suspected")?,
                    deaths: row.try_get("deaths")?,
                    deaths_confirmed: row.try_get("deaths_confirmed")?,
                    deaths_suspected: row.try_get("deaths_suspected")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode SRAG totals"))
    }
}
