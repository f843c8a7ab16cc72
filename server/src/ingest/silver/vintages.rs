//! SIVEP-Gripe's summary as published week after week: every vintage kept
//! in raw and in bronze as parsed, and `silver/sivep_vintages/<source>`,
//! the reporting triangle a nowcast learns from: per vintage (the date of
//! the database a summary was made from, in its file name), state and
//! epidemiological week of the events, the counts that vintage held.
//! Each refinement rebuilds silver from every vintage the source ever
//! delivered (each from its newest bronze), so a weekly fetch of one file
//! adds its column.

use std::{collections::BTreeMap, time::Instant};

use anyhow::Context;
use app::catalog::{domain::epi_week_start, runs::StageMetrics};
use arrow_schema::{DataType, FieldRef};
use async_trait::async_trait;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ingest::{
    Refined, bronze,
    bronze::formats::sivep_summary,
    connect::manifest::Manifest,
    contract::Profile,
    gold::srag,
    parquet::{self, column},
    refinery::Refine,
};
use crate::lake::{Key, Lake, LakeError, Layer};
use crate::nowcast::triangle::Cell;

/// What one vintage held for one state and week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VintageRow {
    #[serde(with = "crate::ingest::bronze::formats::arrow_time::date")]
    pub vintage: NaiveDate,
    /// State code; blank for the events of no known state.
    pub uf: String,
    /// The Sunday that starts the events' epidemiological week.
    #[serde(with = "crate::ingest::bronze::formats::arrow_time::date")]
    pub week: NaiveDate,
    /// SRAG hospitalisations with symptoms that week.
    pub hospitalised: i64,
    /// Of them, confirmed COVID-19.
    pub confirmed: i64,
    /// SRAG deaths that week.
    pub deaths: i64,
    pub deaths_confirmed: i64,
}

impl From<VintageRow> for Cell {
    fn from(row: VintageRow) -> Cell {
        Cell {
            vintage: row.vintage,
            uf: row.uf,
            week: row.week,
            hospitalised: row.hospitalised,
            confirmed: row.confirmed,
            deaths: row.deaths,
            deaths_confirmed: row.deaths_confirmed,
        }
    }
}

fn fields() -> Vec<FieldRef> {
    vec![
        column("vintage", DataType::Date32, false),
        column("uf", DataType::Utf8, false),
        column("week", DataType::Date32, false),
        column("hospitalised", DataType::Int64, false),
        column("confirmed", DataType::Int64, false),
        column("deaths", DataType::Int64, false),
        column("deaths_confirmed", DataType::Int64, false),
    ]
}

fn silver_key(source: &str) -> Result<Key, LakeError> {
    Key::new(Layer::Silver, &format!("sivep_vintages/{source}.parquet"))
}

/// The silver cells of a source's vintages (`None` before its first
/// refinement).
pub async fn read(lake: &dyn Lake, source: &str) -> anyhow::Result<Option<Vec<VintageRow>>> {
    let key = silver_key(source)?;
    if !lake.exists(&key).await? {
        return Ok(None);
    }
    let mut rows = Vec::new();
    for batch in parquet::batches::<VintageRow>(lake, &key).await? {
        rows.extend(batch.with_context(|| format!("reading {key}"))?);
    }
    Ok(Some(rows))
}

/// The vintage of a summary file, from its name (`sum_dados_2020_07_21…`).
pub fn vintage_of(file: &str) -> anyhow::Result<NaiveDate> {
    let date = file
        .strip_prefix("sum_dados_")
        .and_then(|rest| rest.get(..10))
        .with_context(|| format!("{file}: not named sum_dados_YYYY_MM_DD"))?;
    NaiveDate::parse_from_str(date, "%Y_%m_%d")
        .with_context(|| format!("{file}: no vintage date in its name"))
}

/// The sums of summary rows per vintage, state and week, as they are read:
/// the triangle's cells.
#[derive(Default)]
pub struct Tally {
    counts: BTreeMap<(NaiveDate, String, NaiveDate), [i64; 4]>,
    /// Summary rows added.
    pub read: u64,
}

impl Tally {
    /// Adds one row of the summary of `vintage`.
    pub fn add(&mut self, vintage: NaiveDate, row: &sivep_summary::SragRow) {
        self.read += 1;
        let sums = self
            .counts
            .entry((vintage, row.uf.clone(), epi_week_start(row.date)))
            .or_default();
        for (sum, count) in
            sums.iter_mut()
                .zip([row.srag, row.covid, row.deaths_srag, row.deaths_covid])
        {
            *sum += count;
        }
    }

    /// Adds the cells of other vintages, summed by another tally.
    pub fn merge(&mut self, other: Tally) {
        self.read += other.read;
        for (cell, sums) in other.counts {
            let mine = self.counts.entry(cell).or_default();
            for (sum, count) in mine.iter_mut().zip(sums) {
                *sum += count;
            }
        }
    }

    /// The cells, by vintage, state and week.
    pub fn into_rows(self) -> impl Iterator<Item = VintageRow> {
        self.counts.into_iter().map(
            |((vintage, uf, week), [hospitalised, confirmed, deaths, deaths_confirmed])| {
                VintageRow {
                    vintage,
                    uf,
                    week,
                    hospitalised,
                    confirmed,
                    deaths,
                    deaths_confirmed,
                }
            },
        )
    }
}

/// Every vintage of a source: its reporting triangle.
pub struct Vintages;

#[async_trait]
impl Refine for Vintages {
    async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        for file in &manifest.files {
            vintage_of(&file.name)?;
        }
        let bronze =
            bronze::every_file(lake, manifest, &srag::daily_fields(), sivep_summary::parse).await?;
        let started = Instant::now();
        // Each vintage in its newest bronze (a folder re-fetched whole
        // parses its vintages again).
        let mut newest: BTreeMap<NaiveDate, Key> = BTreeMap::new();
        let mut objects = lake.list(&format!("bronze/{}/", manifest.source)).await?;
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        for object in objects {
            let name = object.key.path().rsplit('/').next().unwrap_or_default();
            if let Some(raw) = name.strip_suffix(".parquet")
                && !raw.ends_with(".rejects")
            {
                newest.insert(vintage_of(raw)?, object.key);
            }
        }
        let mut tally = Tally::default();
        for (vintage, key) in newest {
            for batch in parquet::batches::<sivep_summary::SragRow>(lake, &key).await? {
                for row in batch? {
                    tally.add(vintage, &row);
                }
            }
        }
        let read = tally.read;
        let mut profile = Profile::default();
        let rows: Vec<VintageRow> = tally
            .into_rows()
            .inspect(|row| profile.observe(Some(row.vintage), &row.uf))
            .collect();
        let staged = parquet::stage(silver_key(&manifest.source)?, &fields(), &rows)?;
        profile.filled = staged.filled.clone();
        let silver =
            StageMetrics::since("silver", started, read, rows.len() as u64, 0, staged.bytes);
        Ok(Refined {
            stages: vec![bronze, silver],
            silver: vec![staged],
            profile,
        })
    }

    async fn has_silver(&self, lake: &dyn Lake, source: &str) -> anyhow::Result<bool> {
        Ok(lake.exists(&silver_key(source)?).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vintage_is_the_date_in_its_file_name() {
        assert_eq!(
            vintage_of("sum_dados_2020_07_21.csv.xz").unwrap(),
            NaiveDate::from_ymd_opt(2020, 7, 21).unwrap()
        );
        assert!(vintage_of("dados.csv.xz").is_err());
        assert!(vintage_of("sum_dados_2020_13_01.csv.xz").is_err());
    }
}
