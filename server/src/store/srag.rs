//! Reading gold SRAG hospitalisations and deaths, summed over a period.

use app::{catalog::vocabulary::Uf, indicators::SragTotals};
use chrono::NaiveDate;
use sqlx::{Row, any::AnyRow};

use super::{Store, StoreError, filter::Filter, parse_date};
use app::catalog::domain::ratio as share;

fn decode(row: &AnyRow, from: NaiveDate, to: NaiveDate) -> Result<SragTotals, sqlx::Error> {
    let hospitalised: i64 = row.try_get("hospitalised")?;
    let confirmed: i64 = row.try_get("confirmed")?;
    let suspected: i64 = row.try_get("suspected")?;
    let deaths_confirmed: i64 = row.try_get("deaths_confirmed")?;
    let deaths_suspected: i64 = row.try_get("deaths_suspected")?;
    Ok(SragTotals {
        uf: row.try_get("uf")?,
        from,
        to,
        hospitalised,
        confirmed,
        suspected,
        deaths: row.try_get("deaths")?,
        deaths_confirmed,
        deaths_suspected,
        confirmed_share: share(confirmed, hospitalised),
        death_rate_confirmed: share(deaths_confirmed, confirmed),
        death_rate_suspected: share(deaths_suspected, suspected),
    })
}

impl Store {
    /// Each state's totals from `from` to `to`, both included, among the
    /// states `places` matches, by state.
    pub async fn srag(
        &self,
        places: Filter,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SragTotals>, StoreError> {
        let rows = places
            .between("date", from, to)
            .query(
                "SELECT uf, CAST(SUM(hospitalised) AS BIGINT) AS hospitalised, \
                 CAST(SUM(confirmed) AS BIGINT) AS confirmed, CAST(SUM(suspected) AS BIGINT) AS suspected, \
                 CAST(SUM(deaths) AS BIGINT) AS deaths, \
                 CAST(SUM(deaths_confirmed) AS BIGINT) AS deaths_confirmed, \
                 CAST(SUM(deaths_suspected) AS BIGINT) AS deaths_suspected FROM gold_srag_state",
                " GROUP BY uf ORDER BY uf",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read SRAG totals"))?;
        rows.iter()
            .map(|row| decode(row, from, to))
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode SRAG totals"))
    }

    /// One state's figures day by day from `from` to `to` (each row's
    /// `from` and `to` are its day), by day.
    pub async fn srag_days(
        &self,
        uf: Uf,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SragTotals>, StoreError> {
        let rows = Filter::default()
            .state(uf)
            .between("date", from, to)
            .query(
                "SELECT uf, date, hospitalised, confirmed, suspected, deaths, deaths_confirmed, \
                 deaths_suspected FROM gold_srag_state",
                " ORDER BY date",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read SRAG days"))?;
        rows.iter()
            .map(|row| {
                let day = parse_date(row.try_get("date")?)?;
                decode(row, day, day)
            })
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode SRAG days"))
    }

    /// Every state's totals from `start` to `end`, both included.
    pub async fn srag_period(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<SragTotals>, StoreError> {
        self.srag(Filter::default(), start, end).await
    }
}
