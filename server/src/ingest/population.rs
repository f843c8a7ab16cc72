//! The population reference: estimated population per municipality
//! (bronze) → `silver/population` (one row per municipality), the
//! denominator of every per-100,000 figure; a state's population is the sum
//! of its municipalities'.

use std::{collections::HashMap, time::Instant};

use arrow_schema::{DataType, FieldRef};

use super::{
    Refined, bronze,
    formats::population::{self, PopulationRow},
    manifest::Manifest,
    metrics::StageMetrics,
    parquet::{self, column},
};
use crate::lake::{Key, Lake, LakeError, Layer};

fn silver_key() -> Result<Key, LakeError> {
    Key::new(Layer::Silver, "population/data.parquet")
}

fn fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("population", DataType::Int64, false),
    ]
}

/// Parses the newest edition into bronze and rebuilds silver from it.
pub async fn refine(lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
    let (mut rows, bronze) =
        bronze::newest_edition(lake, manifest, &fields(), population::parse).await?;
    let started = Instant::now();
    rows.sort_by(|a, b| a.city_ibge.cmp(&b.city_ibge));
    // A repeated municipality keeps its last row.
    rows.reverse();
    rows.dedup_by(|a, b| a.city_ibge == b.city_ibge);
    rows.reverse();
    let bytes = parquet::write(lake, &silver_key()?, &fields(), &rows).await?;
    let silver = StageMetrics::since(
        "silver",
        started,
        bronze.rows_out,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok(Refined {
        stages: vec![bronze, silver],
        newest_date: None,
    })
}

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
        let key = silver_key()?;
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

/// `count` per 100,000 inhabitants, when the population is known.
pub fn per_100k(count: i64, population: Option<i64>) -> Option<f64> {
    population
        .filter(|p| *p > 0)
        .map(|p| count as f64 * 100_000.0 / p as f64)
}

/// Whether silver holds the population yet.
pub async fn has_silver(lake: &dyn Lake) -> anyhow::Result<bool> {
    Ok(lake.exists(&silver_key()?).await?)
}
