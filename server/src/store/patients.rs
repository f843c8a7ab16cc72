//! Reading gold patients and exits of the occupancy register.

use app::indicators::PatientsDay;

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    tables::OccupancyPatients,
};

impl Store {
    /// Patients and exits matching `filter`, by state and day.
    pub async fn patients(
        &self,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<PatientsDay>, StoreError> {
        self.rows::<OccupancyPatients>(filter, "uf, date", page, "read patients")
            .await
    }
}
