//! Reading the hospitals' gold: the list of one day and bed type
//! (filtered, in the order asked, paged), one hospital's series, one
//! hospital's summary, and beds summed over hospitals (in all, or by day).

use app::{
    catalog::vocabulary::HospitalSort,
    indicators::{HospitalOccupancy, HospitalSummary},
};
use chrono::NaiveDate;
use sqlx::Row;

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    parse_date,
    tables::{Hospital, OccupancyHospital, Table},
};

/// The `ORDER BY` of a sort: most first, hospitals without the figure
/// (stale, rejected, no beds) last, then by code.
fn order(sort: HospitalSort) -> &'static str {
    match sort {
        HospitalSort::Pressure => "(rate IS NULL), rate DESC, offered DESC, cnes",
        HospitalSort::Change => "(change_7d IS NULL), change_7d DESC, cnes",
        HospitalSort::Size => "(offered IS NULL), offered DESC, cnes",
    }
}

impl Store {
    /// Hospital rows matching `filter` (one day and bed type, for a list),
    /// in the order of `sort`.
    pub async fn hospitals(
        &self,
        filter: &Filter,
        sort: HospitalSort,
        page: Page,
    ) -> Result<Paged<HospitalOccupancy>, StoreError> {
        self.hospital_rows(filter, order(sort), page).await
    }

    /// Hospital rows matching `filter` (one hospital, for its series), by
    /// day, bed class and scope.
    pub async fn hospital_series(
        &self,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<HospitalOccupancy>, StoreError> {
        self.hospital_rows(filter, "date, bed_class, scope", page)
            .await
    }

    async fn hospital_rows(
        &self,
        filter: &Filter,
        order: &str,
        page: Page,
    ) -> Result<Paged<HospitalOccupancy>, StoreError> {
        self.rows::<OccupancyHospital>(filter, order, page, "read hospitals")
            .await
    }

    /// The summaries of the hospitals `filter` matches, largest first.
    pub async fn hospital_summaries(
        &self,
        filter: &Filter,
    ) -> Result<Vec<HospitalSummary>, StoreError> {
        let rows = filter
            .query(
                &Hospital::select(),
                " ORDER BY (beds IS NULL), beds DESC, cnes",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read hospitals' summaries"))?;
        rows.iter()
            .map(Hospital::decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode hospitals' summaries"))
    }

    /// Beds offered and occupied (capped), summed over the hospital rows
    /// `filter` matches: only counted rows have figures. `None` without any.
    pub async fn hospital_totals(&self, filter: &Filter) -> Result<Option<(i64, i64)>, StoreError> {
        let row = filter
            .query(
                "SELECT CAST(SUM(offered) AS BIGINT) AS offered, \
                 CAST(SUM(occupied) AS BIGINT) AS occupied FROM gold_occupancy_hospital",
                "",
            )
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query("sum hospitals' beds"))?;
        let offered: Option<i64> = row
            .try_get("offered")
            .map_err(StoreError::query("decode hospitals' beds"))?;
        let occupied: Option<i64> = row
            .try_get("occupied")
            .map_err(StoreError::query("decode hospitals' beds"))?;
        Ok(offered.zip(occupied))
    }

    /// Beds offered and occupied (capped) per day, summed over the
    /// hospital rows `filter` matches, by day.
    pub async fn hospital_totals_by_day(
        &self,
        filter: &Filter,
    ) -> Result<Vec<(NaiveDate, i64, i64)>, StoreError> {
        let rows = filter
            .query(
                "SELECT date, CAST(SUM(offered) AS BIGINT) AS offered, \
                 CAST(SUM(occupied) AS BIGINT) AS occupied FROM gold_occupancy_hospital",
                " GROUP BY date ORDER BY date",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("sum hospitals' beds by day"))?;
        let mut days = Vec::with_capacity(rows.len());
        for row in rows {
            let day = (|| -> Result<_, sqlx::Error> {
                let date: String = row.try_get("date")?;
                Ok((
                    parse_date(date)?,
                    row.try_get::<Option<i64>, _>("offered")?,
                    row.try_get::<Option<i64>, _>("occupied")?,
                ))
            })()
            .map_err(StoreError::query("decode hospitals' beds by day"))?;
            if let (date, Some(offered), Some(occupied)) = day {
                days.push((date, offered, occupied));
            }
        }
        Ok(days)
    }

    /// One hospital's summary; `None` for a code the data does not hold.
    pub async fn hospital(&self, cnes: &str) -> Result<Option<HospitalSummary>, StoreError> {
        let row = Filter::default()
            .eq("cnes", cnes)
            .query(&Hospital::select(), "")
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a hospital"))?;
        row.as_ref()
            .map(Hospital::decode)
            .transpose()
            .map_err(StoreError::query("decode a hospital"))
    }
}
