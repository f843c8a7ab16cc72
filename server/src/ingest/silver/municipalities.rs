//! The municipality reference: IBGE's list (bronze) →
//! `silver/municipalities` (one row per 7-digit code, by code), the
//! conformed list other sources' municipality codes are checked and
//! completed against ([`Codes`]: SIVEP-Gripe's 6-digit codes).

use std::collections::HashMap;

use arrow_schema::{DataType, FieldRef};

use crate::ingest::{
    bronze::formats::ibge_municipalities::{self, MunicipalityRow},
    parquet::{self, column},
    silver::edition::{Conform, Edition, Files, last_by_key},
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "municipalities/data.parquet";

fn fields() -> Vec<FieldRef> {
    vec![
        column("city_ibge", DataType::Utf8, false),
        column("city_ibge6", DataType::Utf8, false),
        column("name", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("state_code", DataType::Utf8, false),
        column("lat", DataType::Float64, true),
        column("lon", DataType::Float64, true),
        column("capital", DataType::Boolean, true),
    ]
}

/// How the list is refined: its newest edition replaces silver.
pub const EDITION: Edition<MunicipalityRow> = Edition {
    fields,
    parse: ibge_municipalities::parse,
    files: Files::Newest,
    // One row per municipality, by code.
    conform: Conform::Whole(|rows| last_by_key(rows, |r| &r.city_ibge)),
    silver: SILVER,
    date: |_| None,
    place: |r| &r.city_ibge,
};

/// The 7-digit code of each 6-digit one (the code without its check
/// digit), from the list in silver. The check digit is looked up, never
/// computed: a few codes do not follow IBGE's check-digit rule.
#[derive(Debug)]
pub struct Codes(HashMap<String, String>);

impl Codes {
    /// Reads the list from silver; `None` when it has not been collected.
    pub async fn load(lake: &dyn Lake) -> anyhow::Result<Option<Self>> {
        let key = Key::new(Layer::Silver, SILVER)?;
        if !lake.exists(&key).await? {
            return Ok(None);
        }
        let rows: Vec<MunicipalityRow> = parquet::read(lake, &key).await?;
        let mut codes = HashMap::with_capacity(rows.len());
        for row in rows {
            codes.insert(row.city_ibge6, row.city_ibge);
        }
        Ok(Some(Codes(codes)))
    }

    /// The 7-digit code of a 6-digit one, if the list has it.
    pub fn full(&self, six: &str) -> Option<&str> {
        self.0.get(six).map(String::as_str)
    }
}
