//! Indicator 1, cases and deaths per state: wcota rows (bronze) →
//! `silver/cases_state_daily` (one row per state and day, the country as
//! `BR`) → `gold/cases_state` (with 7-day averages of new cases and deaths).

use std::{
    collections::{BTreeMap, HashMap},
    time::Instant,
};

use arrow_schema::{DataType, FieldRef};
use chrono::{Duration, NaiveDate};

use app::{
    catalog::{domain::per_100k, runs::StageMetrics},
    indicators::CasesDay,
};

use crate::ingest::{
    bronze::formats::wcota_states::{self, CasesStateRow},
    parquet::{self, column},
    silver::edition::{Conform, Edition, Files},
    silver::population::Populations,
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
pub const EDITION: Edition<CasesStateRow> = Edition {
    fields: daily_fields,
    parse: wcota_states::parse,
    files: Files::Newest,
    conform: Conform::Whole(conform),
    silver: SILVER,
    date: |r| Some(r.date),
    place: |r| &r.uf,
};

/// One row per place and day, sorted; a repeated day keeps its last row.
fn conform(rows: Vec<CasesStateRow>) -> Vec<CasesStateRow> {
    let by_key: BTreeMap<(String, NaiveDate), CasesStateRow> = rows
        .into_iter()
        .map(|r| ((r.uf.clone(), r.date), r))
        .collect();
    by_key.into_values().collect()
}

/// Computes `gold/cases_state` from silver and writes it to the lake.
pub async fn gold(
    lake: &dyn Lake,
    populations: &Populations,
) -> anyhow::Result<(Vec<CasesDay>, StageMetrics)> {
    let started = Instant::now();
    let silver: Vec<CasesStateRow> = parquet::read(lake, &Key::new(Layer::Silver, SILVER)?).await?;
    let rows = with_weekly_averages(&silver, &populations.states);
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

/// The mean of `(new cases, new deaths)` over each day and the six before
/// it; days missing from the series count as zero. `series` is one place's,
/// sorted by day.
pub fn weekly_means(series: &[(NaiveDate, i64, i64)]) -> Vec<(f64, f64)> {
    series
        .iter()
        .enumerate()
        .map(|(i, (day, _, _))| {
            let window_start = *day - Duration::days(6);
            let week = series[..=i]
                .iter()
                .rev()
                .take_while(|(d, _, _)| *d >= window_start);
            let (cases, deaths) = week.fold((0, 0), |(c, d), (_, nc, nd)| (c + nc, d + nd));
            (cases as f64 / 7.0, deaths as f64 / 7.0)
        })
        .collect()
}

/// Adds 7-day averages and per-100k figures; `rows` is sorted by place,
/// then day.
fn with_weekly_averages(
    rows: &[CasesStateRow],
    populations: &HashMap<String, i64>,
) -> Vec<CasesDay> {
    rows.chunk_by(|a, b| a.uf == b.uf)
        .flat_map(|series| {
            let points: Vec<_> = series
                .iter()
                .map(|r| (r.date, r.new_cases, r.new_deaths))
                .collect();
            let population = populations.get(&series[0].uf).copied();
            series
                .iter()
                .zip(weekly_means(&points))
                .map(move |(row, (cases_7d, deaths_7d))| CasesDay {
                    uf: row.uf.clone(),
                    city_ibge: None,
                    city: None,
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
        let populations = HashMap::from([("AC".to_owned(), 200_000)]);
        let gold = with_weekly_averages(&rows, &populations);
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
        assert_eq!(gold[0].population, Some(200_000));
        assert_eq!(gold[0].cases_per_100k, Some(0.0));
        assert_eq!(gold[6].cases_per_100k, None, "no population for SP");
    }

    #[test]
    fn conform_keeps_the_last_row_of_a_repeated_day() {
        let rows = conform(vec![row("SP", 2, 1), row("AC", 2, 1), row("SP", 2, 5)]);
        let kept: Vec<_> = rows.iter().map(|r| (r.uf.as_str(), r.new_cases)).collect();
        assert_eq!(kept, vec![("AC", 1), ("SP", 5)]);
    }
}
