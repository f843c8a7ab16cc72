//! Reading gold bed occupancy.

use app::indicators::OccupancyDay;
use chrono::NaiveDate;

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    tables::OccupancyState,
};

impl Store {
    /// Occupancy rows matching `filter`, by state, day, bed class and scope.
    pub async fn occupancy(
        &self,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<OccupancyDay>, StoreError> {
        self.rows::<OccupancyState>(filter, "uf, date, bed_class, scope", page, "read occupancy")
            .await
    }

    /// Every state's occupancy on `date`, by state, bed class and scope.
    pub async fn occupancy_on(&self, date: NaiveDate) -> Result<Vec<OccupancyDay>, StoreError> {
        let filter = Filter::default().between("date", date, date);
        Ok(self.occupancy(&filter, Page::ALL).await?.rows)
    }
}
