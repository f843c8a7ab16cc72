//! Reading gold cases and deaths per state.

use chrono::NaiveDate;
use sqlx::Row;

use super::{Store, StoreError};

/// Cumulative cases and deaths of one state (or `BR`) on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateTotals {
    pub uf: String,
    pub cases: i64,
    pub deaths: i64,
    /// `None` until the population reference is collected.
    pub population: Option<i64>,
}

impl Store {
    /// Every place's cumulative totals on `date`, by state code.
    pub async fn state_totals(&self, date: NaiveDate) -> Result<Vec<StateTotals>, StoreError> {
        let rows = sqlx::query(
            "SELECT uf, cases, deaths, population FROM gold_cases_state WHERE date = $1 ORDER BY uf",
        )
        .bind(date.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read state totals"))?;
        rows.iter()
            .map(|row| {
                Ok(StateTotals {
                    uf: row.try_get("uf")?,
                    cases: row.try_get("cases")?,
                    deaths: row.try_get("deaths")?,
                    population: row.try_get("population")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode state totals"))
    }
}
