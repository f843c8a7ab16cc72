//! Brasil.IO's `caso` table as the source of cases and deaths, in place of
//! covid19br's files: bronze (`CasoRow`) → `silver/brasilio_caso` (one row
//! per place and day) → the silver tables the covid19br formats fill,
//! `cases_state_daily` (with the country, `BR`, as the sum of the states)
//! and `cases_city_daily`; new cases and deaths are the differences of the
//! cumulative figures from one row of a place to the next. Configure one
//! cases source: the last one refined replaces the other's silver.

use std::{collections::BTreeMap, time::Instant};

use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;

use app::catalog::runs::StageMetrics;

use crate::ingest::{
    Refined,
    bronze::formats::{
        brasilio_caso::{self, CasoRow},
        wcota_cities::CasesCityRow,
        wcota_states::{COUNTRY, CasesStateRow},
    },
    connect::manifest::Manifest,
    gold::cases,
    gold::cities,
    parquet::column,
    refinery::Refine,
    silver::edition::{Conform, Edition, Files},
};
use crate::lake::Lake;

const SILVER: &str = "brasilio_caso/data.parquet";

fn fields() -> Vec<FieldRef> {
    vec![
        column("place_type", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("cases", DataType::Int64, false),
        column("deaths", DataType::Int64, false),
    ]
}

/// How the table is refined: its newest edition replaces silver.
pub const EDITION: Edition<CasoRow> = Edition {
    fields,
    parse: brasilio_caso::parse,
    files: Files::Newest,
    conform: Conform::Whole(conform),
    silver: SILVER,
    date: |r| Some(r.date),
    place: |r| {
        if r.city_ibge.is_empty() {
            &r.uf
        } else {
            &r.city_ibge
        }
    },
};

/// The place a row is of.
type Place = (String, String, String, String);

fn place(row: &CasoRow) -> Place {
    (
        row.place_type.clone(),
        row.uf.clone(),
        row.city_ibge.clone(),
        row.city.clone(),
    )
}

/// One row per place and day, sorted by place, then day; a repeated day
/// keeps its last row.
fn conform(rows: Vec<CasoRow>) -> Vec<CasoRow> {
    let by_key: BTreeMap<(Place, NaiveDate), CasoRow> =
        rows.into_iter().map(|r| ((place(&r), r.date), r)).collect();
    by_key.into_values().collect()
}

/// Brasil.IO's `caso` table: its own edition, and the cases silver
/// tables that are to be replaced with it ([`refine`]).
pub struct Caso;

#[async_trait::async_trait]
impl Refine for Caso {
    async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        refine(lake, manifest).await
    }

    async fn has_silver(&self, lake: &dyn Lake, _: &str) -> anyhow::Result<bool> {
        EDITION.has_silver(lake).await
    }
}

/// Refines an edition, and the cases silver tables that are to be
/// replaced with it.
async fn refine(lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
    let mut refined = EDITION.refine(lake, manifest).await?;
    let started = Instant::now();
    let rows: Vec<CasoRow> = refined.silver[0].read()?;
    let read = rows.len() as u64;
    let (states, cities) = split(rows);
    let staged = [
        cases::EDITION.stage_silver(&states)?,
        cities::EDITION.stage_silver(&cities)?,
    ];
    refined.stages.push(StageMetrics::since(
        "silver cases",
        started,
        read,
        (states.len() + cities.len()) as u64,
        0,
        staged.iter().map(|s| s.bytes).sum(),
    ));
    refined.silver.extend(staged);
    Ok(refined)
}

/// Each row's new cases and deaths: the change since the place's previous
/// row (its first row's own figures). `series` is one place's, by day.
fn changes(series: &[(i64, i64)]) -> impl Iterator<Item = (i64, i64)> + '_ {
    let before = std::iter::once((0, 0)).chain(series.iter().copied());
    series
        .iter()
        .zip(before)
        .map(|((cases, deaths), (cases_before, deaths_before))| {
            (cases - cases_before, deaths - deaths_before)
        })
}

/// The states (and the country, their sum) and the cities, as the cases
/// silver tables hold them. `rows` are sorted by place, then day.
fn split(rows: Vec<CasoRow>) -> (Vec<CasesStateRow>, Vec<CasesCityRow>) {
    let mut states = Vec::new();
    let mut country: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut cities = Vec::new();
    for series in rows.chunk_by(|a, b| place(a) == place(b)) {
        let totals: Vec<(i64, i64)> = series.iter().map(|r| (r.cases, r.deaths)).collect();
        for (row, (new_cases, new_deaths)) in series.iter().zip(changes(&totals)) {
            if row.place_type == "state" {
                let sum = country.entry(row.date).or_default();
                *sum = (sum.0 + row.cases, sum.1 + row.deaths);
                states.push(CasesStateRow {
                    uf: row.uf.clone(),
                    date: row.date,
                    cases: row.cases,
                    deaths: row.deaths,
                    new_cases,
                    new_deaths,
                });
            } else {
                cities.push(CasesCityRow {
                    uf: row.uf.clone(),
                    city_ibge: row.city_ibge.clone(),
                    city: row.city.clone(),
                    date: row.date,
                    cases: row.cases,
                    deaths: row.deaths,
                    new_cases,
                    new_deaths,
                });
            }
        }
    }
    let totals: Vec<(i64, i64)> = country.values().copied().collect();
    for ((date, (cases, deaths)), (new_cases, new_deaths)) in country.iter().zip(changes(&totals)) {
        states.push(CasesStateRow {
            uf: COUNTRY.to_owned(),
            date: *date,
            cases: *cases,
            deaths: *deaths,
            new_cases,
            new_deaths,
        });
    }
    states.sort_by(|a, b| (&a.uf, a.date).cmp(&(&b.uf, b.date)));
    (states, cities)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(place_type: &str, uf: &str, code: &str, day: u32, cases: i64) -> CasoRow {
        CasoRow {
            place_type: place_type.into(),
            uf: uf.into(),
            city_ibge: code.into(),
            city: String::new(),
            date: NaiveDate::from_ymd_opt(2020, 3, day).unwrap(),
            cases,
            deaths: 0,
        }
    }

    #[test]
    fn new_cases_are_differences_and_the_country_sums_the_states() {
        let rows = conform(vec![
            row("state", "SP", "", 2, 5),
            row("state", "SP", "", 1, 2),
            row("state", "AC", "", 2, 1),
            row("city", "SP", "3550308", 1, 2),
            row("city", "SP", "3550308", 2, 4),
        ]);
        let (states, cities) = split(rows);
        let figures: Vec<_> = states
            .iter()
            .map(|s| {
                (
                    s.uf.as_str(),
                    s.date.format("%d").to_string(),
                    s.cases,
                    s.new_cases,
                )
            })
            .collect();
        assert_eq!(
            figures,
            [
                ("AC", "02".into(), 1, 1),
                ("BR", "01".into(), 2, 2),
                ("BR", "02".into(), 6, 4),
                ("SP", "01".into(), 2, 2),
                ("SP", "02".into(), 5, 3),
            ]
        );
        let city: Vec<_> = cities.iter().map(|c| (c.cases, c.new_cases)).collect();
        assert_eq!(city, [(2, 2), (4, 2)]);
    }
}
