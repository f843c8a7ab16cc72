//! Indicators 3 and 4, suspected and confirmed hospitalisations and their
//! deaths: SIVEP summary (bronze) → `silver/srag_daily` (one row per state,
//! municipality, day and age class) → `gold/srag_state` (per state and day;
//! blank `uf` gathers the rows with no known state, kept so totals add up).
//! Suspected = SRAG − confirmed COVID-19; death rates are deaths over
//! hospitalised in each group.

use std::{collections::BTreeMap, time::Instant};

use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    bronze::Edition,
    formats::sivep_summary::{self, SragRow},
    metrics::StageMetrics,
    parquet::{self, column},
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "srag_daily/data.parquet";
const GOLD: &str = "srag_state/data.parquet";

fn daily_fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("city_ibge6", DataType::Utf8, false),
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

/// Hospitalisations and deaths of one state on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SragGold {
    pub uf: String,
    pub date: NaiveDate,
    pub hospitalised: i64,
    pub confirmed: i64,
    pub suspected: i64,
    pub deaths: i64,
    pub deaths_confirmed: i64,
    pub deaths_suspected: i64,
    /// Confirmed over hospitalised; `None` without hospitalisations.
    pub confirmed_share: Option<f64>,
    pub death_rate_confirmed: Option<f64>,
    pub death_rate_suspected: Option<f64>,
}

/// `part / whole`, or `None` when `whole` is zero.
pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

/// How this source is refined: its newest edition replaces silver.
pub const EDITION: Edition<SragRow> = Edition {
    fields: daily_fields,
    parse: sivep_summary::parse,
    conform,
    silver: SILVER,
    date: |r| Some(r.date),
};

/// One row per state, municipality, day and age class (repeats summed),
/// sorted by state, then day.
fn conform(rows: Vec<SragRow>) -> Vec<SragRow> {
    let mut groups: BTreeMap<(String, NaiveDate, String, String), SragRow> = BTreeMap::new();
    for row in rows {
        let key = (
            row.uf.clone(),
            row.date,
            row.city_ibge6.clone(),
            row.age_class.clone(),
        );
        groups
            .entry(key)
            .and_modify(|kept| {
                kept.srag += row.srag;
                kept.covid += row.covid;
                kept.deaths_srag += row.deaths_srag;
                kept.deaths_covid += row.deaths_covid;
            })
            .or_insert(row);
    }
    groups.into_values().collect()
}

/// Computes `gold/srag_state` from silver and writes it to the lake.
pub async fn gold(lake: &dyn Lake) -> anyhow::Result<(Vec<SragGold>, StageMetrics)> {
    let started = Instant::now();
    let silver: Vec<SragRow> = parquet::read(lake, &Key::new(Layer::Silver, SILVER)?).await?;
    let rows = per_state_and_day(&silver);
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold srag_state",
        started,
        silver.len() as u64,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
}

fn per_state_and_day(rows: &[SragRow]) -> Vec<SragGold> {
    let mut sums: BTreeMap<(&str, NaiveDate), [i64; 4]> = BTreeMap::new();
    for row in rows {
        let sum = sums.entry((row.uf.as_str(), row.date)).or_default();
        sum[0] += row.srag;
        sum[1] += row.covid;
        sum[2] += row.deaths_srag;
        sum[3] += row.deaths_covid;
    }
    sums.into_iter()
        .map(|((uf, date), [all, confirmed, deaths, deaths_confirmed])| {
            let (suspected, deaths_suspected) = (all - confirmed, deaths - deaths_confirmed);
            SragGold {
                uf: uf.to_owned(),
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
        })
        .collect()
}
