//! Reading the hospitals' gold: the list of one day and bed type
//! (filtered, in the order asked, paged), one hospital's series, and one
//! hospital's summary.

use app::{
    catalog::vocabulary::HospitalSort,
    indicators::{HospitalOccupancy, HospitalSummary},
};
use sqlx::{Row, any::AnyRow};

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    occupancy::word,
    parse_date,
};

const SELECT_DAYS: &str = "SELECT cnes, name, uf, city, city_ibge, date, bed_class, scope, status, \
                           offered, occupied, occupied_raw, rate, over_capacity, change_7d, \
                           respirators, last_report, days_since_report \
                           FROM gold_occupancy_hospital";

const SELECT_SUMMARY: &str = "SELECT cnes, name, uf, city, city_ibge, city_match, date, \
                              last_report, days_since_report, beds, icu_offered, icu_rate, \
                              icu_change_7d, clinical_offered, clinical_rate, \
                              clinical_change_7d, respirators, over_capacity \
                              FROM gold_hospital";

fn decode_day(row: &AnyRow) -> Result<HospitalOccupancy, sqlx::Error> {
    Ok(HospitalOccupancy {
        cnes: row.try_get("cnes")?,
        name: row.try_get("name")?,
        uf: row.try_get("uf")?,
        city: row.try_get("city")?,
        city_ibge: row.try_get("city_ibge")?,
        date: parse_date(row.try_get("date")?)?,
        bed_class: word(row, "bed_class")?,
        scope: word(row, "scope")?,
        status: word(row, "status")?,
        offered: row.try_get("offered")?,
        occupied: row.try_get("occupied")?,
        occupied_raw: row.try_get("occupied_raw")?,
        rate: row.try_get("rate")?,
        over_capacity: row.try_get::<i64, _>("over_capacity")? != 0,
        change_7d: row.try_get("change_7d")?,
        respirators: row.try_get("respirators")?,
        last_report: parse_date(row.try_get("last_report")?)?,
        days_since_report: row.try_get("days_since_report")?,
    })
}

fn decode_summary(row: &AnyRow) -> Result<HospitalSummary, sqlx::Error> {
    Ok(HospitalSummary {
        cnes: row.try_get("cnes")?,
        name: row.try_get("name")?,
        uf: row.try_get("uf")?,
        city: row.try_get("city")?,
        city_ibge: row.try_get("city_ibge")?,
        city_match: word(row, "city_match")?,
        date: parse_date(row.try_get("date")?)?,
        last_report: parse_date(row.try_get("last_report")?)?,
        days_since_report: row.try_get("days_since_report")?,
        beds: row.try_get("beds")?,
        icu_offered: row.try_get("icu_offered")?,
        icu_rate: row.try_get("icu_rate")?,
        icu_change_7d: row.try_get("icu_change_7d")?,
        clinical_offered: row.try_get("clinical_offered")?,
        clinical_rate: row.try_get("clinical_rate")?,
        clinical_change_7d: row.try_get("clinical_change_7d")?,
        respirators: row.try_get("respirators")?,
        over_capacity: row.try_get("over_capacity")?,
    })
}

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
        let rows = filter
            .paged(SELECT_DAYS, order, page)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read hospitals"))?;
        let rows = rows
            .iter()
            .map(decode_day)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode hospitals"))?;
        Ok(Paged::from_rows(rows, page))
    }

    /// The summaries of the hospitals `filter` matches, largest first.
    pub async fn hospital_summaries(
        &self,
        filter: &Filter,
    ) -> Result<Vec<HospitalSummary>, StoreError> {
        let rows = filter
            .query(SELECT_SUMMARY, " ORDER BY (beds IS NULL), beds DESC, cnes")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read hospitals' summaries"))?;
        rows.iter()
            .map(decode_summary)
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

    /// One hospital's summary; `None` for a code the data does not hold.
    pub async fn hospital(&self, cnes: &str) -> Result<Option<HospitalSummary>, StoreError> {
        let row = Filter::default()
            .eq("cnes", cnes)
            .query(SELECT_SUMMARY, "")
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a hospital"))?;
        row.as_ref()
            .map(decode_summary)
            .transpose()
            .map_err(StoreError::query("decode a hospital"))
    }
}
