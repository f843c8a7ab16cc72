//! Indicator 1, cases and deaths per state: wcota rows (bronze) →
//! `silver/cases_state_daily` (one row per state and day, the country as
//! `BR`) → `gold/cases_state` (with 7-day averages of new cases and deaths).

use std::{collections::BTreeMap, time::Instant};

use anyhow::Context;
use arrow_schema::{DataType, FieldRef};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{
    Refined,
    formats::wcota_states::{self, CasesStateRow},
    manifest::Manifest,
    metrics::StageMetrics,
    parquet::{self, column},
    reject::Reject,
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "cases_state_daily/data.parquet";
const GOLD: &str = "cases_state/data.parquet";

fn daily_fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("cases", DataType::Int64, false),
        column("deaths", DataType::Int64, false),
        column("new_cases", DataType::Int64, false),
        column("new_deaths", DataType::Int64, false),
    ]
}

fn gold_fields() -> Vec<FieldRef> {
    let mut fields = daily_fields();
    fields.push(column("new_cases_7d", DataType::Float64, false));
    fields.push(column("new_deaths_7d", DataType::Float64, false));
    fields
}

pub fn reject_fields() -> Vec<FieldRef> {
    vec![
        column("file", DataType::Utf8, false),
        column("line", DataType::UInt64, false),
        column("field", DataType::Utf8, false),
        column("value", DataType::Utf8, false),
        column("reason", DataType::Utf8, false),
    ]
}

/// One state (or `BR`) on one day, with 7-day averages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasesStateGold {
    pub uf: String,
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
    pub new_cases: i64,
    pub new_deaths: i64,
    pub new_cases_7d: f64,
    pub new_deaths_7d: f64,
}

/// Parses the fetched file into bronze (rows and rejects), then rebuilds
/// silver from it.
pub async fn refine(lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
    let file = manifest
        .files
        .first()
        .context("the manifest lists no file")?;
    let started = Instant::now();
    let raw = lake.get(&file.key.parse()?).await?;
    let parsed =
        wcota_states::parse(&file.name, &raw).map_err(|e| anyhow::anyhow!("{}: {e}", file.name))?;
    let folder = Manifest::folder(&manifest.source, manifest.fetched_at);
    let rows_key = Key::new(Layer::Bronze, &format!("{folder}/{}.parquet", file.name))?;
    let rejects_key = Key::new(
        Layer::Bronze,
        &format!("{folder}/{}.rejects.parquet", file.name),
    )?;
    let mut bytes = parquet::write(lake, &rows_key, &daily_fields(), &parsed.rows).await?;
    bytes +=
        parquet::write::<Reject>(lake, &rejects_key, &reject_fields(), &parsed.rejects).await?;
    let total = (parsed.rows.len() + parsed.rejects.len()) as u64;
    let bronze = StageMetrics::since(
        "bronze",
        started,
        total,
        parsed.rows.len() as u64,
        parsed.rejects.len() as u64,
        bytes,
    );

    let started = Instant::now();
    let silver_rows = conform(parsed.rows);
    let newest_date = silver_rows.iter().map(|r| r.date).max();
    let bytes = parquet::write(
        lake,
        &Key::new(Layer::Silver, SILVER)?,
        &daily_fields(),
        &silver_rows,
    )
    .await?;
    let silver = StageMetrics::since(
        "silver",
        started,
        bronze.rows_out,
        silver_rows.len() as u64,
        0,
        bytes,
    );
    Ok(Refined {
        stages: vec![bronze, silver],
        newest_date,
    })
}

/// One row per place and day, sorted; a repeated day keeps its last row.
fn conform(rows: Vec<CasesStateRow>) -> Vec<CasesStateRow> {
    let by_key: BTreeMap<(String, NaiveDate), CasesStateRow> = rows
        .into_iter()
        .map(|r| ((r.uf.clone(), r.date), r))
        .collect();
    by_key.into_values().collect()
}

/// Whether silver holds this table yet (no fetch has succeeded otherwise).
pub async fn has_silver(lake: &dyn Lake) -> anyhow::Result<bool> {
    Ok(lake.exists(&Key::new(Layer::Silver, SILVER)?).await?)
}

/// Computes `gold/cases_state` from silver and writes it to the lake.
pub async fn gold(lake: &dyn Lake) -> anyhow::Result<(Vec<CasesStateGold>, StageMetrics)> {
    let started = Instant::now();
    let silver: Vec<CasesStateRow> = parquet::read(lake, &Key::new(Layer::Silver, SILVER)?).await?;
    let rows = with_weekly_averages(&silver);
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold cases_state",
        started,
        silver.len() as u64,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
}

/// Adds the mean of new cases and deaths over each day and the six before
/// it (days missing from the series count as zero). `rows` is sorted by
/// place, then day.
fn with_weekly_averages(rows: &[CasesStateRow]) -> Vec<CasesStateGold> {
    rows.chunk_by(|a, b| a.uf == b.uf)
        .flat_map(|series| {
            series.iter().enumerate().map(move |(i, row)| {
                let window_start = row.date - Duration::days(6);
                let week = series[..=i]
                    .iter()
                    .rev()
                    .take_while(|r| r.date >= window_start);
                let (cases, deaths) = week.fold((0i64, 0i64), |(c, d), r| {
                    (c + r.new_cases, d + r.new_deaths)
                });
                CasesStateGold {
                    uf: row.uf.clone(),
                    date: row.date,
                    cases: row.cases,
                    deaths: row.deaths,
                    new_cases: row.new_cases,
                    new_deaths: row.new_deaths,
                    new_cases_7d: cases as f64 / 7.0,
                    new_deaths_7d: deaths as f64 / 7.0,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(uf: &str, day: u32, new_cases: i64) -> CasesStateRow {
        CasesStateRow {
            uf: uf.into(),
            date: NaiveDate::from_ymd_opt(2021, 3, day).unwrap(),
            cases: 0,
            deaths: 0,
            new_cases,
            new_deaths: 0,
        }
    }

    #[test]
    fn weekly_averages_span_seven_calendar_days_per_place() {
        // Day 5 is missing: it counts as zero, and the window of day 9
        // (3..=9) excludes days 1 and 2.
        let rows = vec![
            row("AC", 1, 7),
            row("AC", 2, 7),
            row("AC", 3, 14),
            row("AC", 4, 0),
            row("AC", 6, 7),
            row("AC", 9, 7),
            row("SP", 1, 70),
        ];
        let gold = with_weekly_averages(&rows);
        let averages: Vec<_> = gold
            .iter()
            .map(|g| (g.uf.as_str(), g.new_cases_7d))
            .collect();
        assert_eq!(
            averages,
            vec![
                ("AC", 1.0),
                ("AC", 2.0),
                ("AC", 4.0),
                ("AC", 4.0),
                ("AC", 5.0),
                ("AC", 4.0),
                ("SP", 10.0),
            ]
        );
    }

    #[test]
    fn conform_keeps_the_last_row_of_a_repeated_day() {
        let rows = conform(vec![row("SP", 2, 1), row("AC", 2, 1), row("SP", 2, 5)]);
        let kept: Vec<_> = rows.iter().map(|r| (r.uf.as_str(), r.new_cases)).collect();
        assert_eq!(kept, vec![("AC", 1), ("SP", 5)]);
    }
}
