//! Reading gold bed occupancy.

use chrono::NaiveDate;
use sqlx::Row;

use super::{Store, StoreError};

/// Occupancy of one state, bed class and scope on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct OccupancyRow {
    pub uf: String,
    pub bed_class: String,
    pub scope: String,
    pub offered: i64,
    pub occupied: i64,
    pub occupied_raw: i64,
    pub rate: f64,
    pub hospitals: i64,
    pub stale: i64,
    pub over_capacity: i64,
    pub rejected: i64,
}

impl Store {
    /// Every state's occupancy on `date`, by state, bed class and scope.
    pub async fn occupancy_on(&self, date: NaiveDate) -> Result<Vec<OccupancyRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT uf, bed_class, scope, offered, occupied, occupied_raw, rate, hospitals, stale, \
             over_capacity, rejected FROM gold_occupancy_state WHERE date = $1 ORDER BY uf, bed_class, scope",
        )
        .bind(date.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read occupancy"))?;
        rows.iter()
            .map(|row| {
                Ok(OccupancyRow {
                    uf: row.try_get("uf")?,
                    bed_class: row.try_get("bed_class")?,
                    scope: row.try_get("scope")?,
                    offered: row.try_get("offered")?,
                    occupied: row.try_get("occupied")?,
                    occupied_raw: row.try_get("occupied_raw")?,
                    rate: row.try_get("rate")?,
                    hospitals: row.try_get("hospitals")?,
                    stale: row.try_get("stale")?,
                    over_capacity: row.try_get("over_capacity")?,
                    rejected: row.try_get("rejected")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode occupancy"))
    }
}
