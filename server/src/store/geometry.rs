//! Reading the map's outlines, and the municipalities the data knows.

use std::collections::HashSet;

use app::catalog::vocabulary::Uf;
use sqlx::Row;

use super::{Store, StoreError};

/// One municipality's outline.
#[derive(Clone, Debug, PartialEq)]
pub struct CityShape {
    /// 7-digit IBGE code.
    pub code: String,
    pub name: String,
    pub path: String,
}

impl Store {
    /// The 7-digit IBGE codes of every municipality the data holds (its
    /// outlines and its case series); empty before either is collected.
    pub async fn city_codes(&self) -> Result<HashSet<String>, StoreError> {
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT code FROM gold_geometry WHERE level = 'city' \
             UNION SELECT city_ibge FROM gold_cases_city",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read the municipalities' codes"))?;
        Ok(codes.into_iter().collect())
    }

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

    /// A state's municipalities by code and the view box that frames them
    /// (the state's own); `None` until both geometries are collected.
    pub async fn city_shapes(
        &self,
        uf: Uf,
    ) -> Result<Option<(String, Vec<CityShape>)>, StoreError> {
        let view_box: Option<String> = sqlx::query_scalar(
            "SELECT view_box FROM gold_geometry WHERE level = 'state' AND code = $1",
        )
        .bind(uf.code())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read a state's view box"))?;
        let Some(view_box) = view_box.filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT code, name, path FROM gold_geometry WHERE level = 'city' AND uf = $1 \
             ORDER BY code",
        )
        .bind(uf.code())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read city shapes"))?;
        let cities = rows
            .iter()
            .map(|row| {
                Ok(CityShape {
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    path: row.try_get("path")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::query("decode city shapes"))?;
        Ok((!cities.is_empty()).then_some((view_box, cities)))
    }
}
