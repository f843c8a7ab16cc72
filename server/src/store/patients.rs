//! Reading gold patients and exits of the occupancy register.

use app::indicators::PatientsDay;
use sqlx::{Row, any::AnyRow};

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    parse_date,
};
use app::catalog::domain::ratio;

const SELECT: &str = "SELECT uf, date, hospitals, stale, rejected, suspected_clinical, \
                      suspected_icu, confirmed_clinical, confirmed_icu, confirmed_share, \
                      deaths_suspected, discharges_suspected, deaths_confirmed, \
                      discharges_confirmed, rejected_exits FROM gold_occupancy_patients";

fn decode(row: &AnyRow) -> Result<PatientsDay, sqlx::Error> {
    let deaths_suspected: i64 = row.try_get("deaths_suspected")?;
    let discharges_suspected: i64 = row.try_get("discharges_suspected")?;
    let deaths_confirmed: i64 = row.try_get("deaths_confirmed")?;
    let discharges_confirmed: i64 = row.try_get("discharges_confirmed")?;
    Ok(PatientsDay {
        uf: row.try_get("uf")?,
        date: parse_date(row.try_get("date")?)?,
        hospitals: row.try_get("hospitals")?,
        stale: row.try_get("stale")?,
        rejected: row.try_get("rejected")?,
        suspected_clinical: row.try_get("suspected_clinical")?,
        suspected_icu: row.try_get("suspected_icu")?,
        confirmed_clinical: row.try_get("confirmed_clinical")?,
        confirmed_icu: row.try_get("confirmed_icu")?,
        confirmed_share: row.try_get("confirmed_share")?,
        deaths_suspected,
        discharges_suspected,
        deaths_confirmed,
        discharges_confirmed,
        death_rate_suspected: ratio(deaths_suspected, deaths_suspected + discharges_suspected),
        death_rate_confirmed: ratio(deaths_confirmed, deaths_confirmed + discharges_confirmed),
        rejected_exits: row.try_get("rejected_exits")?,
    })
}

impl Store {
    /// Patients and exits matching `filter`, by state and day.
    pub async fn patients(
        &self,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<PatientsDay>, StoreError> {
        let rows = filter
            .paged(SELECT, "uf, date", page)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read patients"))?;
        let rows = rows
            .iter()
            .map(decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode patients"))?;
        Ok(Paged::from_rows(rows, page))
    }
}
