//! Reading gold bed occupancy.

use app::{catalog::vocabulary::Word, indicators::OccupancyDay};
use chrono::NaiveDate;
use sqlx::{Row, any::AnyRow};

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    parse_date,
};

const SELECT: &str = "SELECT uf, date, bed_class, scope, offered, occupied, occupied_raw, rate, \
                      hospitals, stale, over_capacity, rejected FROM gold_occupancy_state";

fn decode(row: &AnyRow) -> Result<OccupancyDay, sqlx::Error> {
    Ok(OccupancyDay {
        uf: row.try_get("uf")?,
        date: parse_date(row.try_get("date")?)?,
        bed_class: word(row, "bed_class")?,
        scope: word(row, "scope")?,
        offered: row.try_get("offered")?,
        occupied: row.try_get("occupied")?,
        occupied_raw: row.try_get("occupied_raw")?,
        rate: row.try_get("rate")?,
        hospitals: row.try_get("hospitals")?,
        stale: row.try_get("stale")?,
        over_capacity: row.try_get("over_capacity")?,
        rejected: row.try_get("rejected")?,
    })
}

/// A column holding a word of the catalogue's vocabulary.
pub(super) fn word<W: Word>(row: &AnyRow, column: &str) -> Result<W, sqlx::Error> {
    let code: String = row.try_get(column)?;
    W::parse(&code).ok_or_else(|| sqlx::Error::Decode(format!("unknown {column} {code:?}").into()))
}

impl Store {
    /// Occupancy rows matching `filter`, by state, day, bed class and scope.
    pub async fn occupancy(
        &self,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<OccupancyDay>, StoreError> {
        let rows = filter
            .paged(SELECT, "uf, date, bed_class, scope", page)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read occupancy"))?;
        let rows = rows
            .iter()
            .map(decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode occupancy"))?;
        Ok(Paged::from_rows(rows, page))
    }

    /// Every state's occupancy on `date`, by state, bed class and scope.
    pub async fn occupancy_on(&self, date: NaiveDate) -> Result<Vec<OccupancyDay>, StoreError> {
        let filter = Filter::default().between("date", date, date);
        let page = Page {
            limit: u32::MAX,
            offset: 0,
        };
        Ok(self.occupancy(&filter, page).await?.rows)
    }
}
