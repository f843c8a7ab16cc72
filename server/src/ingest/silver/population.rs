//! The population reference: estimated population per municipality
//! (bronze) → `silver/population` (one row per municipality), the
//! denominator of every per-100,000 figure; a state's population is the sum
//! of its municipalities'.

use std::collections::HashMap;

use arrow_schema::{DataType, FieldRef};

use crate::ingest::{
    bronze::formats::population::{self, PopulationRow},
    parquet::{self, column},
    silver::edition::{Conform, Edition, Files, last_by_key},
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "population/data.parquet";

fn fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("population", DataType::Int64, false),
    ]
}

/// How this source is refined: its newest edition replaces silver.
pub const EDITION: Edition<PopulationRow> = Edition {
    fields,
    parse: population::parse,
    files: Files::Newest,
    // One row per municipality, by code.
    conform: Conform::Whole(|rows| last_by_key(rows, |r| &r.city_ibge)),
    silver: SILVER,
    date: |_| None,
    place: |r| &r.city_ibge,
};

/// Populations by municipality and by state (`BR` for the country).
#[derive(Debug, Default)]
pub struct Populations {
    pub cities: HashMap<String, i64>,
    pub states: HashMap<String, i64>,
    /// Each municipality's state and name.
    pub city_states: HashMap<String, String>,
    pub city_names: HashMap<String, String>,
}

impl Populations {
    /// Reads silver; empty when the reference has not been collected yet.
    pub async fn load(lake: &dyn Lake) -> anyhow::Result<Self> {
        let key = Key::new(Layer::Silver, SILVER)?;
        if !lake.exists(&key).await? {
            return Ok(Populations::default());
        }
        let rows: Vec<PopulationRow> = parquet::read(lake, &key).await?;
        let mut populations = Populations::default();
        for row in rows {
            *populations.states.entry(row.uf.clone()).or_default() += row.population;
            *populations.states.entry("BR".into()).or_default() += row.population;
            populations
                .city_states
                .insert(row.city_ibge.clone(), row.uf);
            populations
                .city_names
                .insert(row.city_ibge.clone(), row.city);
            populations.cities.insert(row.city_ibge, row.population);
        }
        Ok(populations)
    }
}
