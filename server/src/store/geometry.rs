//! Reading the map's outlines.

use sqlx::Row;

use super::{Store, StoreError};

impl Store {
    /// Each state's SVG path, by state code; empty until the geometry is
    /// collected.
    pub async fn state_shapes(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows =
            sqlx::query("SELECT uf, path FROM gold_geometry WHERE level = 'state' ORDER BY uf")
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("read state shapes"))?;
        rows.iter()
            .map(|row| Ok((row.try_get("uf")?, row.try_get("path")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode state shapes"))
    }
}
