//! Indicators 3 and 4, suspected and confirmed hospitalisations and their
//! deaths: SIVEP summary (bronze) → `silver/srag_daily` (one row per state,
//! municipality, day and age class; the municipality's 6-digit code
//! completed to IBGE's 7 digits from `silver/municipalities`) →
//! `gold/srag_state` (per state and day;
//! blank `uf` gathers the rows with no known state, kept so totals add up).
//! Suspected = SRAG − confirmed COVID-19; death rates are deaths over
//! hospitalised in each group.

use std::{cmp::Ordering, time::Instant};

use anyhow::{Context, bail};
use app::{
    catalog::{domain::ratio, runs::StageMetrics},
    indicators::SragDay,
};
use arrow_array::{Date32Array, Int64Array, StringArray};
use arrow_schema::{DataType, FieldRef};
use chrono::{Datelike, NaiveDate};

use crate::ingest::{
    Refined,
    bronze::formats::sivep_summary::{self, SragRow},
    connect::manifest::Manifest,
    parquet::{self, column, column_of},
    refinery::Refine,
    silver::edition::{Conform, Edition, Files},
    silver::municipalities::Codes,
    silver::sort::{KeyBytes, Sorting},
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "srag_daily/data.parquet";
const GOLD: &str = "srag_state/data.parquet";

/// The columns of SIVEP rows, in bronze and silver.
pub(crate) fn daily_fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("city_ibge6", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("age_class", DataType::Utf8, false),
        column("srag", DataType::Int64, false),
        column("covid", DataType::Int64, false),
        column("deaths_srag", DataType::Int64, false),
        column("deaths_covid", DataType::Int64, false),
    ]
}

fn gold_fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("hospitalised", DataType::Int64, false),
        column("confirmed", DataType::Int64, false),
        column("suspected", DataType::Int64, false),
        column("deaths", DataType::Int64, false),
        column("deaths_confirmed", DataType::Int64, false),
        column("deaths_suspected", DataType::Int64, false),
        column("confirmed_share", DataType::Float64, true),
        column("death_rate_confirmed", DataType::Float64, true),
        column("death_rate_suspected", DataType::Float64, true),
    ]
}

/// How this source is refined: its newest edition replaces silver, one
/// row per state, day, municipality and age class (repeats summed), sorted
/// in that order out of memory (an edition may hold tens of millions of rows).
pub const EDITION: Edition<SragRow> = Edition {
    fields: daily_fields,
    parse: sivep_summary::parse,
    files: Files::Newest,
    conform: Conform::Sorted(Sorting {
        order: by_group,
        key: group_key,
        fold: add,
    }),
    silver: SILVER,
    date: |r| Some(r.date),
    place: |r| &r.uf,
};

/// SIVEP-Gripe's summary: an edition whose municipality codes are looked
/// up as its silver is written ([`refine`]).
pub struct Summary;

#[async_trait::async_trait]
impl Refine for Summary {
    async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        refine(lake, manifest).await
    }

    async fn has_silver(&self, lake: &dyn Lake, _: &str) -> anyhow::Result<bool> {
        EDITION.has_silver(lake).await
    }
}

/// Refines an edition ([`EDITION`]), completing each municipality's
/// 7-digit code from the municipality list in silver as silver is written.
/// A code the list lacks (SIVEP also codes the Federal District's
/// administrative regions), or every code when the list has not been
/// collected yet, is left blank, never guessed: such rows stay in silver
/// and are counted as the `silver city_ibge` stage's rejected rows.
async fn refine(lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
    let codes = Codes::load(lake).await?;
    if codes.is_none() {
        tracing::warn!("no municipality list in silver: SRAG city codes are left blank");
    }
    let (mut coded, mut mapped) = (0, 0);
    let mut refined = EDITION
        .refine_with(lake, manifest, &mut |row: &mut SragRow| {
            if row.city_ibge6.is_empty() {
                return;
            }
            coded += 1;
            if let Some(full) = codes.as_ref().and_then(|c| c.full(&row.city_ibge6)) {
                row.city_ibge = full.to_owned();
                mapped += 1;
            }
        })
        .await?;
    refined.stages.push(StageMetrics {
        stage: "silver city_ibge".into(),
        rows_in: coded,
        rows_out: mapped,
        rejected: coded - mapped,
        bytes: 0,
        // Done row by row within the silver stage, and timed with it.
        seconds: 0.0,
    });
    Ok(refined)
}

fn by_group(a: &SragRow, b: &SragRow) -> Ordering {
    (&a.uf, a.date, &a.city_ibge6, &a.age_class).cmp(&(&b.uf, b.date, &b.city_ibge6, &b.age_class))
}

/// [`by_group`] as a number: the state, the day, the 6-digit code, the
/// age class's first 4 bytes.
fn group_key(row: &SragRow) -> u128 {
    KeyBytes::default()
        .text(&row.uf, 2)
        .signed(row.date.num_days_from_ce().into(), 4)
        .text(&row.city_ibge6, 6)
        .text(&row.age_class, 4)
        .key()
}

fn add(kept: &mut SragRow, row: SragRow) {
    kept.srag += row.srag;
    kept.covid += row.covid;
    kept.deaths_srag += row.deaths_srag;
    kept.deaths_covid += row.deaths_covid;
}

/// The columns gold sums, after the state and the day.
const COUNTS: [&str; 4] = ["srag", "covid", "deaths_srag", "deaths_covid"];

/// Computes `gold/srag_state` from silver and writes it to the lake.
/// Silver is sorted by state, then day, so each state's day is one run of
/// rows; only the state, the day and the counts are read.
pub async fn gold(lake: &dyn Lake) -> anyhow::Result<(Vec<SragDay>, StageMetrics)> {
    let started = Instant::now();
    let key = Key::new(Layer::Silver, SILVER)?;
    let names = [["uf", "date"].as_slice(), &COUNTS].concat();
    let mut rows = Vec::new();
    let mut current: Option<(String, NaiveDate, [i64; 4])> = None;
    let mut read = 0;
    for batch in parquet::columns(lake, &key, &names).await? {
        let batch = batch.context("reading SRAG silver")?;
        let uf = column_of::<StringArray>(&batch, "uf")?;
        let date = column_of::<Date32Array>(&batch, "date")?;
        let counts = COUNTS
            .iter()
            .map(|name| column_of::<Int64Array>(&batch, name))
            .collect::<anyhow::Result<Vec<_>>>()?;
        for i in 0..batch.num_rows() {
            let (state, day) = (
                uf.value(i),
                date.value_as_date(i).context("a date out of range")?,
            );
            match &mut current {
                Some((u, d, sums)) if u == state && *d == day => {
                    for (sum, column) in sums.iter_mut().zip(&counts) {
                        *sum += column.value(i);
                    }
                    continue;
                }
                Some((u, d, _)) if (u.as_str(), *d) > (state, day) => {
                    bail!("SRAG silver is not sorted by state and day")
                }
                _ => {}
            }
            let sums = [0, 1, 2, 3].map(|c| counts[c].value(i));
            if let Some(done) = current.replace((state.to_owned(), day, sums)) {
                rows.push(state_day(done));
            }
        }
        read += batch.num_rows() as u64;
    }
    rows.extend(current.map(state_day));
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold srag_state",
        started,
        read,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
}

/// A state's day from its hospitalised, confirmed, deaths and confirmed
/// deaths.
fn state_day(
    (uf, date, [all, confirmed, deaths, deaths_confirmed]): (String, NaiveDate, [i64; 4]),
) -> SragDay {
    let (suspected, deaths_suspected) = (all - confirmed, deaths - deaths_confirmed);
    SragDay {
        uf,
        date,
        hospitalised: all,
        confirmed,
        suspected,
        deaths,
        deaths_confirmed,
        deaths_suspected,
        confirmed_share: ratio(confirmed, all),
        death_rate_confirmed: ratio(deaths_confirmed, confirmed),
        death_rate_suspected: ratio(deaths_suspected, suspected),
    }
}
