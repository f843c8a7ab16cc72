//! The nowcast in gold: SIVEP's weekly vintages (`silver/sivep_vintages`)
//! → the reporting triangle → the phase-1 model ([`crate::nowcast`])
//! replayed at every vintage, each from the vintages up to it → three
//! tables: `gold/srag_nowcast` (per vintage, place, measure and the
//! [`WEEKS_KEPT`] newest ended weeks: reported, median, 50 % and 90 %
//! intervals, complete), `gold/srag_trend` (per vintage, place and
//! measure: short and long growth, probability of increase, class) and
//! `gold/srag_outlook` (per vintage, place, measure and the two weeks
//! ahead). Every vintage is kept, not only the newest: the replay computes
//! them all anyway (the intervals learn from the earlier vintages'
//! errors), and they let the API answer for a past vintage. The same
//! replay, scored against the newest vintage, is `gold/srag_backtest`: the
//! figures the data page gives beside the estimates.

use std::time::Instant;

use anyhow::Context;
use app::{
    catalog::{
        runs::StageMetrics,
        vocabulary::{BacktestKind, SragMeasure},
    },
    indicators::{BacktestScore, NowcastWeek, OutlookWeek, SragTrend},
};
use arrow_schema::{DataType, FieldRef};

use crate::{
    ingest::{
        parquet::{self, column},
        silver::vintages,
    },
    lake::{Key, Lake, Layer},
    nowcast::{
        backtest::{Backtest, Scores, WEEKS_BACK, score},
        completion::HORIZON,
        estimate::Estimate,
        outlook::{AHEAD, Forecast, Method},
        replay::Origin,
        trend::{self, Trend},
        triangle::{Cell, Triangle},
    },
};

/// The ended weeks of each vintage's nowcast kept in gold: the 12 still
/// completing (the horizon) and the 4 complete weeks before them, so a
/// chart of the estimates joins the weeks taken as final.
pub const WEEKS_KEPT: usize = HORIZON + 4;

const NOWCAST: &str = "srag_nowcast/data.parquet";
const TREND: &str = "srag_trend/data.parquet";
const OUTLOOK: &str = "srag_outlook/data.parquet";
const BACKTEST: &str = "srag_backtest/data.parquet";

/// The four tables of one computation.
pub struct NowcastGold {
    pub weeks: Vec<NowcastWeek>,
    pub trends: Vec<SragTrend>,
    pub outlook: Vec<OutlookWeek>,
    pub scores: Vec<BacktestScore>,
    /// Each table's figures, in that order.
    pub metrics: [StageMetrics; 4],
}

fn place_and_measure() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("measure", DataType::Utf8, false),
    ]
}

fn intervals() -> Vec<FieldRef> {
    ["median", "low_50", "high_50", "low_90", "high_90"]
        .into_iter()
        .map(|name| column(name, DataType::Float64, false))
        .collect()
}

fn nowcast_fields() -> Vec<FieldRef> {
    let mut fields = place_and_measure();
    fields.extend([
        column("week", DataType::Date32, false),
        column("vintage", DataType::Date32, false),
        column("weeks_back", DataType::Int64, false),
        column("reported", DataType::Int64, false),
    ]);
    fields.extend(intervals());
    fields.push(column("complete", DataType::Boolean, false));
    fields
}

fn trend_fields() -> Vec<FieldRef> {
    let mut fields = place_and_measure();
    fields.extend([
        column("vintage", DataType::Date32, false),
        column("week", DataType::Date32, false),
    ]);
    for term in ["short", "long"] {
        fields.extend([
            column(&format!("{term}_growth"), DataType::Float64, false),
            column(&format!("{term}_p_increase"), DataType::Float64, false),
            column(&format!("{term}_class"), DataType::Utf8, false),
        ]);
    }
    fields
}

fn backtest_fields() -> Vec<FieldRef> {
    let mut fields = vec![
        column("vintage", DataType::Date32, false),
        column("measure", DataType::Utf8, false),
        column("kind", DataType::Utf8, false),
        column("step", DataType::Int64, false),
        column("cases", DataType::Int64, false),
    ];
    fields.extend(
        ["error", "naive_error", "coverage_50", "coverage_90", "wis"]
            .into_iter()
            .map(|name| column(name, DataType::Float64, false)),
    );
    fields.push(column("naive_wis", DataType::Float64, true));
    fields
}

fn outlook_fields() -> Vec<FieldRef> {
    let mut fields = place_and_measure();
    fields.extend([
        column("vintage", DataType::Date32, false),
        column("week", DataType::Date32, false),
        column("weeks_ahead", DataType::Int64, false),
    ]);
    fields.extend(intervals());
    fields
}

/// One week of a nowcast as gold.
pub fn week_row(estimate: &Estimate) -> NowcastWeek {
    let q = estimate.eventual.values;
    NowcastWeek {
        uf: estimate.key.place.code().to_owned(),
        measure: estimate.key.measure,
        week: estimate.week,
        vintage: estimate.vintage,
        weeks_back: estimate.delay as i64,
        reported: estimate.reported,
        median: q[2],
        low_50: q[1],
        high_50: q[3],
        low_90: q[0],
        high_90: q[4],
        complete: estimate.complete,
    }
}

/// A series' trends as gold.
pub fn trend_row(trend: &Trend) -> SragTrend {
    trend::row(
        trend.key.place.code().to_owned(),
        (trend.key.measure, trend.vintage, trend.week),
        trend.short,
        trend.long,
    )
}

/// A week ahead as gold.
pub fn outlook_row(forecast: &Forecast) -> OutlookWeek {
    let q = forecast.eventual.values;
    OutlookWeek {
        uf: forecast.key.place.code().to_owned(),
        measure: forecast.key.measure,
        vintage: forecast.vintage,
        week: forecast.week,
        weeks_ahead: forecast.ahead as i64,
        median: q[2],
        low_50: q[1],
        high_50: q[3],
        low_90: q[0],
        high_90: q[4],
    }
}

/// The backtest's lines of every measure: the nowcast 0 to 5 weeks back,
/// the outlook 1 and 2 weeks ahead against persistence; none where no
/// estimate could be scored yet (fewer vintages than the backtest needs).
pub fn backtest_rows(backtest: &Backtest, vintage: chrono::NaiveDate) -> Vec<BacktestScore> {
    let row = |measure, kind, step: usize, s: Scores, naive: Option<Scores>| {
        let naive_error = naive.map_or(s.naive_error, |n| n.error);
        let figures = [s.error, naive_error, s.coverage50, s.coverage90, s.wis];
        (s.cases > 0 && figures.iter().all(|f| f.is_finite())).then(|| BacktestScore {
            vintage,
            measure,
            kind,
            step: step as i64,
            cases: s.cases as i64,
            error: s.error,
            naive_error,
            coverage_50: s.coverage50,
            coverage_90: s.coverage90,
            wis: s.wis,
            naive_wis: naive.map(|n| n.wis),
        })
    };
    let mut rows = Vec::new();
    for measure in SragMeasure::ALL.iter().copied() {
        for d in 0..WEEKS_BACK {
            let scores = backtest.pooled(d, Some(measure));
            rows.extend(row(measure, BacktestKind::Nowcast, d, scores, None));
        }
        for ahead in 1..=AHEAD {
            let scores = backtest.outlook(Method::DampedTrend, Some(ahead), Some(measure));
            let persistence = backtest.outlook(Method::Persistence, Some(ahead), Some(measure));
            rows.extend(row(
                measure,
                BacktestKind::Outlook,
                ahead,
                scores,
                Some(persistence),
            ));
        }
    }
    rows
}

/// The three tables of the model replayed at every vintage.
pub fn tables(replay: &[Origin]) -> (Vec<NowcastWeek>, Vec<SragTrend>, Vec<OutlookWeek>) {
    let (mut weeks, mut trends, mut outlook) = (Vec::new(), Vec::new(), Vec::new());
    for origin in replay {
        weeks.extend(
            origin
                .nowcast
                .iter()
                .filter(|estimate| estimate.delay < WEEKS_KEPT)
                .map(week_row),
        );
        trends.extend(origin.trends().iter().map(trend_row));
        outlook.extend(
            origin
                .outlooks
                .iter()
                .filter(|forecast| forecast.method == Method::DampedTrend)
                .map(outlook_row),
        );
    }
    (weeks, trends, outlook)
}

/// Computes the three tables from the silver of `source` (the first
/// configured source of weekly vintages with silver) and writes them to
/// the lake.
pub async fn gold(lake: &dyn Lake, source: &str) -> anyhow::Result<NowcastGold> {
    let started = Instant::now();
    let cells = vintages::read(lake, source)
        .await?
        .with_context(|| format!("{source} has no silver"))?;
    let read = cells.len() as u64;
    let triangle = Triangle::from_rows(cells.into_iter().map(Cell::from))?;
    let backtest = score(&triangle);
    let (weeks, trends, outlook) = tables(&backtest.replay);
    let scores = backtest_rows(&backtest, triangle.newest());
    let mut metrics = Vec::with_capacity(4);
    for (name, key, staged, rows) in [
        (
            "gold srag_nowcast",
            NOWCAST,
            parquet::stage(Key::new(Layer::Gold, NOWCAST)?, &nowcast_fields(), &weeks)?,
            weeks.len(),
        ),
        (
            "gold srag_trend",
            TREND,
            parquet::stage(Key::new(Layer::Gold, TREND)?, &trend_fields(), &trends)?,
            trends.len(),
        ),
        (
            "gold srag_outlook",
            OUTLOOK,
            parquet::stage(Key::new(Layer::Gold, OUTLOOK)?, &outlook_fields(), &outlook)?,
            outlook.len(),
        ),
        (
            "gold srag_backtest",
            BACKTEST,
            parquet::stage(
                Key::new(Layer::Gold, BACKTEST)?,
                &backtest_fields(),
                &scores,
            )?,
            scores.len(),
        ),
    ] {
        let bytes = staged
            .upload(lake)
            .await
            .with_context(|| format!("writing gold/{key}"))?;
        metrics.push(StageMetrics::since(
            name,
            started,
            read,
            rows as u64,
            triangle.unplaced,
            bytes,
        ));
    }
    let metrics: [StageMetrics; 4] = metrics.try_into().expect("four tables");
    Ok(NowcastGold {
        weeks,
        trends,
        outlook,
        scores,
        metrics,
    })
}
