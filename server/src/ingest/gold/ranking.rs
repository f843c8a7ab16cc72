//! Indicator 5, the most and least affected states and cities:
//! `gold/ranking`, computed from the gold case series at their latest day.
//!
//! Metrics: `cases_per_100k` and `deaths_per_100k` (cumulative), and
//! `new_cases_week_per_100k` (new cases in the last 7 days, per 100k) with
//! the 7 days before as `previous_value` and the relative `change`. Rank 1 is
//! the most affected (highest value; for the weekly metric, the fastest
//! rise). Every place with a known population is ranked, cities without a
//! reported case included (zero): the population filter is the reader's.

use std::{collections::HashMap, time::Instant};

use app::catalog::{
    domain::{self, Standing},
    vocabulary::{PlaceKind, Uf},
};
use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;

use app::{
    catalog::runs::StageMetrics,
    indicators::{CasesDay, RankingEntry},
};

use crate::ingest::{
    parquet::{self, column},
    silver::population::Populations,
};
use crate::lake::{Key, Lake, Layer};

const GOLD: &str = "ranking/data.parquet";

fn fields() -> Vec<FieldRef> {
    vec![
        column("scope", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        // Null for states.
        column("city_ibge", DataType::Utf8, true),
        column("name", DataType::Utf8, false),
        column("metric", DataType::Utf8, false),
        column("period_start", DataType::Date32, false),
        column("period_end", DataType::Date32, false),
        column("value", DataType::Float64, false),
        column("previous_value", DataType::Float64, true),
        column("change", DataType::Float64, true),
        column("population", DataType::Int64, false),
        column("rank", DataType::Int64, false),
    ]
}

/// A place's daily series: `(day, cases, deaths, new cases)`.
type Series = Vec<(NaiveDate, i64, i64, i64)>;

/// Totals at `end` and the new cases of the two weeks ending there.
fn standing_at(series: &Series, end: NaiveDate) -> (i64, i64, i64, i64) {
    let (mut cases, mut deaths, mut this_week, mut last_week) = (0, 0, 0, 0);
    for (day, c, d, new) in series.iter().filter(|(day, ..)| *day <= end) {
        (cases, deaths) = (*c, *d);
        let age = (end - *day).num_days();
        if age < 7 {
            this_week += new;
        } else if age < 14 {
            last_week += new;
        }
    }
    (cases, deaths, this_week, last_week)
}

/// The gold rows of `standings` ranked on every metric over `start..=end`.
fn rank(
    scope: PlaceKind,
    standings: &[Standing],
    start: NaiveDate,
    end: NaiveDate,
) -> impl Iterator<Item = RankingEntry> + '_ {
    domain::rank(standings)
        .into_iter()
        .map(move |ranked| ranked.entry(scope, start, end))
}

/// Ranks states and cities at the latest day of their series and writes
/// `gold/ranking`.
pub async fn gold(
    lake: &dyn Lake,
    states: &[CasesDay],
    cities: &[CasesDay],
    populations: &Populations,
) -> anyhow::Result<(Vec<RankingEntry>, StageMetrics)> {
    let started = Instant::now();
    let mut rows = Vec::new();

    let mut state_series: HashMap<&str, Series> = HashMap::new();
    for r in states.iter().filter(|r| r.uf != "BR") {
        state_series
            .entry(&r.uf)
            .or_default()
            .push((r.date, r.cases, r.deaths, r.new_cases));
    }
    if let (Some(start), Some(end)) = (
        states.iter().map(|r| r.date).min(),
        states.iter().map(|r| r.date).max(),
    ) {
        let standings: Vec<Standing> = state_series
            .iter()
            .filter_map(|(uf, series)| {
                let population = *populations.states.get(*uf)?;
                let (cases, deaths, this_week, last_week) = standing_at(series, end);
                Some(Standing {
                    uf: (*uf).to_owned(),
                    city_ibge: String::new(),
                    name: Uf::parse(uf).map_or_else(|| (*uf).to_owned(), |uf| uf.name().to_owned()),
                    population,
                    cases,
                    deaths,
                    this_week,
                    last_week,
                })
            })
            .collect();
        rows.extend(rank(PlaceKind::State, &standings, start, end));
    }

    let mut city_series: HashMap<&str, (&CasesDay, Series)> = HashMap::new();
    for r in cities {
        city_series
            .entry(r.place_code())
            .or_insert_with(|| (r, Vec::new()))
            .1
            .push((r.date, r.cases, r.deaths, r.new_cases));
    }
    if let (Some(start), Some(end)) = (
        cities.iter().map(|r| r.date).min(),
        cities.iter().map(|r| r.date).max(),
    ) {
        let mut standings: Vec<Standing> = city_series
            .values()
            .filter_map(|(first, series)| {
                let population = *populations.cities.get(first.place_code())?;
                let (cases, deaths, this_week, last_week) = standing_at(series, end);
                Some(Standing {
                    uf: first.uf.clone(),
                    city_ibge: first.place_code().to_owned(),
                    name: first.city.clone().unwrap_or_default(),
                    population,
                    cases,
                    deaths,
                    this_week,
                    last_week,
                })
            })
            .collect();
        // Cities without a reported case: zero, not absent.
        for (code, population) in &populations.cities {
            if !city_series.contains_key(code.as_str()) {
                standings.push(Standing {
                    uf: populations
                        .city_states
                        .get(code)
                        .cloned()
                        .unwrap_or_default(),
                    city_ibge: code.clone(),
                    name: populations
                        .city_names
                        .get(code)
                        .cloned()
                        .unwrap_or_default(),
                    population: *population,
                    cases: 0,
                    deaths: 0,
                    this_week: 0,
                    last_week: 0,
                });
            }
        }
        rows.extend(rank(PlaceKind::City, &standings, start, end));
    }

    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &fields(), &rows).await?;
    let inputs = (states.len() + cities.len()) as u64;
    let metrics = StageMetrics::since("gold ranking", started, inputs, rows.len() as u64, 0, bytes);
    Ok((rows, metrics))
}
