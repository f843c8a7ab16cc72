//! Indicator 5, the most and least affected states and cities:
//! `gold/ranking`, computed from the gold case series at their latest day.
//!
//! Metrics: `cases_per_100k` and `deaths_per_100k` (cumulative), and
//! `new_cases_week_per_100k` (new cases in the last 7 days, per 100k) with
//! the 7 days before as `previous_value` and the relative `change`. Rank 1 is
//! the most affected (highest value; for the weekly metric, the fastest
//! rise). Every place with a known population is ranked, cities without a
//! reported case included (zero): the population filter is the reader's.

use std::{cmp::Ordering, collections::HashMap, time::Instant};

use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    cases::CasesStateGold,
    cities::CasesCityGold,
    metrics::StageMetrics,
    parquet::{self, column},
    population::{Populations, per_100k},
};
use crate::lake::{Key, Lake, Layer};

const GOLD: &str = "ranking/data.parquet";

fn fields() -> Vec<FieldRef> {
    vec![
        column("scope", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, false),
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

/// One place's standing on one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingGold {
    /// `state` or `city`.
    pub scope: String,
    pub uf: String,
    /// Blank for states.
    pub city_ibge: String,
    pub name: String,
    pub metric: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub value: f64,
    pub previous_value: Option<f64>,
    /// `value / previous_value − 1`, when the previous week had cases.
    pub change: Option<f64>,
    pub population: i64,
    pub rank: i64,
}

/// A place's cases and deaths over a period and its last two weeks of new
/// cases.
pub(crate) struct Standing {
    pub uf: String,
    pub city_ibge: String,
    pub name: String,
    pub population: i64,
    pub cases: i64,
    pub deaths: i64,
    pub this_week: i64,
    pub last_week: i64,
}

/// A metric's value for a place, and its previous value when it has one.
type Measure = fn(&Standing) -> (f64, Option<f64>);

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

/// Ranks `standings` on every metric over `start..=end`.
pub(crate) fn rank(
    scope: &str,
    standings: &[Standing],
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<RankingGold> {
    let mut rows = Vec::new();
    let metrics: [(&str, Measure); 3] = [
        ("cases_per_100k", |s| {
            (per_100k(s.cases, Some(s.population)).unwrap_or(0.0), None)
        }),
        ("deaths_per_100k", |s| {
            (per_100k(s.deaths, Some(s.population)).unwrap_or(0.0), None)
        }),
        ("new_cases_week_per_100k", |s| {
            (
                per_100k(s.this_week, Some(s.population)).unwrap_or(0.0),
                per_100k(s.last_week, Some(s.population)),
            )
        }),
    ];
    for (metric, measure) in metrics {
        let mut scored: Vec<(&Standing, f64, Option<f64>, Option<f64>)> = standings
            .iter()
            .map(|s| {
                let (value, previous) = measure(s);
                let change = previous.filter(|p| *p > 0.0).map(|p| value / p - 1.0);
                (s, value, previous, change)
            })
            .collect();
        // The weekly metric ranks by rise, places without a previous week
        // after the others; the rest by value. Ties by code, for stability.
        let by_rise = metric == "new_cases_week_per_100k";
        scored.sort_by(|a, b| {
            let order = match (by_rise, a.3, b.3) {
                (true, Some(x), Some(y)) => y.total_cmp(&x),
                (true, Some(_), None) => Ordering::Less,
                (true, None, Some(_)) => Ordering::Greater,
                _ => b.1.total_cmp(&a.1),
            };
            order.then_with(|| (&a.0.uf, &a.0.city_ibge).cmp(&(&b.0.uf, &b.0.city_ibge)))
        });
        for (position, (standing, value, previous, change)) in scored.into_iter().enumerate() {
            rows.push(RankingGold {
                scope: scope.into(),
                uf: standing.uf.clone(),
                city_ibge: standing.city_ibge.clone(),
                name: standing.name.clone(),
                metric: metric.into(),
                period_start: start,
                period_end: end,
                value,
                previous_value: previous,
                change,
                population: standing.population,
                rank: position as i64 + 1,
            });
        }
    }
    rows
}

impl From<RankingGold> for app::indicators::RankingEntry {
    fn from(gold: RankingGold) -> Self {
        app::indicators::RankingEntry {
            rank: gold.rank,
            city_ibge: (!gold.city_ibge.is_empty()).then_some(gold.city_ibge),
            uf: gold.uf,
            name: gold.name,
            metric: gold.metric,
            period_start: gold.period_start,
            period_end: gold.period_end,
            value: gold.value,
            previous_value: gold.previous_value,
            change: gold.change,
            population: gold.population,
        }
    }
}

/// Ranks states and cities at the latest day of their series and writes
/// `gold/ranking`.
pub async fn gold(
    lake: &dyn Lake,
    states: &[CasesStateGold],
    cities: &[CasesCityGold],
    populations: &Populations,
) -> anyhow::Result<(Vec<RankingGold>, StageMetrics)> {
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
                    name: app::indicators::state_name(uf).unwrap_or(uf).to_owned(),
                    population,
                    cases,
                    deaths,
                    this_week,
                    last_week,
                })
            })
            .collect();
        rows.extend(rank("state", &standings, start, end));
    }

    let mut city_series: HashMap<&str, (&CasesCityGold, Series)> = HashMap::new();
    for r in cities {
        city_series
            .entry(&r.city_ibge)
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
                let population = *populations.cities.get(&first.city_ibge)?;
                let (cases, deaths, this_week, last_week) = standing_at(series, end);
                Some(Standing {
                    uf: first.uf.clone(),
                    city_ibge: first.city_ibge.clone(),
                    name: first.city.clone(),
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
        rows.extend(rank("city", &standings, start, end));
    }

    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &fields(), &rows).await?;
    let inputs = (states.len() + cities.len()) as u64;
    let metrics = StageMetrics::since("gold ranking", started, inputs, rows.len() as u64, 0, bytes);
    Ok((rows, metrics))
}
