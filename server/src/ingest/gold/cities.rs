//! Indicator 1 per city: wcota city rows (bronze; the daily series, or
//! the per-date totals files) →
//! `silver/cases_city_daily` (cities, plus the rows kept apart: unknown
//! places and country totals, with a blank `city_ibge`) → `gold/cases_city`
//! (cities only, with 7-day averages and per-100k figures).

use std::{collections::BTreeMap, time::Instant};

use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;

use app::{
    catalog::{domain::per_100k, runs::StageMetrics},
    indicators::CasesDay,
};

use crate::ingest::{
    bronze::formats::wcota_cities::{self, CasesCityRow},
    gold::cases::weekly_means,
    parquet::{self, column},
    silver::edition::{Conform, Edition, Files},
    silver::population::Populations,
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "cases_city_daily/data.parquet";
const GOLD: &str = "cases_city/data.parquet";

fn daily_fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("cases", DataType::Int64, false),
        column("deaths", DataType::Int64, false),
        column("new_cases", DataType::Int64, false),
        column("new_deaths", DataType::Int64, false),
    ]
}

fn gold_fields() -> Vec<FieldRef> {
    let mut fields = daily_fields();
    fields.extend([
        column("new_cases_7d", DataType::Float64, false),
        column("new_deaths_7d", DataType::Float64, false),
        column("population", DataType::Int64, true),
        column("cases_per_100k", DataType::Float64, true),
        column("deaths_per_100k", DataType::Float64, true),
    ]);
    fields
}

/// How this source is refined: its newest edition replaces silver.
pub const EDITION: Edition<CasesCityRow> = Edition {
    fields: daily_fields,
    parse: wcota_cities::parse,
    files: Files::Newest,
    conform: Conform::Whole(conform),
    silver: SILVER,
    date: |r| Some(r.date),
    place: |r| &r.city_ibge,
};

/// The per-date totals files (`cases-brazil-cities_<date>.csv`): every
/// file of a fetch, one date each, together replace silver.
pub const SNAPSHOTS: Edition<CasesCityRow> = Edition {
    files: Files::Every,
    ..EDITION
};

/// One row per place and day, sorted by place, then day; a repeated day
/// keeps its last row.
fn conform(rows: Vec<CasesCityRow>) -> Vec<CasesCityRow> {
    let by_key: BTreeMap<(String, String, String, NaiveDate), CasesCityRow> = rows
        .into_iter()
        .map(|r| {
            (
                (r.uf.clone(), r.city_ibge.clone(), r.city.clone(), r.date),
                r,
            )
        })
        .collect();
    by_key.into_values().collect()
}

/// Computes `gold/cases_city` from silver and writes it to the lake.
pub async fn gold(
    lake: &dyn Lake,
    populations: &Populations,
) -> anyhow::Result<(Vec<CasesDay>, StageMetrics)> {
    let started = Instant::now();
    let silver: Vec<CasesCityRow> = parquet::read(lake, &Key::new(Layer::Silver, SILVER)?).await?;
    let rows: Vec<CasesDay> = silver
        .iter()
        .filter(|r| !r.city_ibge.is_empty())
        .collect::<Vec<_>>()
        .chunk_by(|a, b| a.city_ibge == b.city_ibge)
        .flat_map(|series| {
            let points: Vec<_> = series
                .iter()
                .map(|r| (r.date, r.new_cases, r.new_deaths))
                .collect();
            let population = populations.cities.get(&series[0].city_ibge).copied();
            series
                .iter()
                .zip(weekly_means(&points))
                .map(move |(row, (cases_7d, deaths_7d))| CasesDay {
                    uf: row.uf.clone(),
                    city_ibge: Some(row.city_ibge.clone()),
                    city: Some(row.city.clone()),
                    date: row.date,
                    cases: row.cases,
                    deaths: row.deaths,
                    new_cases: row.new_cases,
                    new_deaths: row.new_deaths,
                    new_cases_7d: cases_7d,
                    new_deaths_7d: deaths_7d,
                    population,
                    cases_per_100k: per_100k(row.cases, population),
                    deaths_per_100k: per_100k(row.deaths, population),
                })
        })
        .collect();
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold cases_city",
        started,
        silver.len() as u64,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
}
