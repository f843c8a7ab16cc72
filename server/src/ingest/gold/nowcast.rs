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
//! errors), and they let the API answer for a past vintage.

use std::time::Instant;

use anyhow::Context;
use app::{
    catalog::runs::StageMetrics,
    indicators::{NowcastWeek, OutlookWeek, SragTrend},
};
use arrow_schema::{DataType, FieldRef};

use crate::{
    ingest::{
        parquet::{self, column},
        silver::vintages,
    },
    lake::{Key, Lake, Layer},
    nowcast::{
        completion::HORIZON,
        estimate::Estimate,
        outlook::{Forecast, Method},
        replay::replay,
        trend::Trend,
        triangle::Triangle,
    },
};

/// The ended weeks of each vintage's nowcast kept in gold: the 12 still
/// completing (the horizon) and the 4 complete weeks before them, so a
/// chart of the estimates joins the weeks taken as final.
pub const WEEKS_KEPT: usize = HORIZON + 4;

const NOWCAST: &str = "srag_nowcast/data.parquet";
const TREND: &str = "srag_trend/data.parquet";
const OUTLOOK: &str = "srag_outlook/data.parquet";

/// The three tables of one computation.
pub struct NowcastGold {
    pub weeks: Vec<NowcastWeek>,
    pub trends: Vec<SragTrend>,
    pub outlook: Vec<OutlookWeek>,
    /// Each table's figures, in that order.
    pub metrics: [StageMetrics; 3],
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
    SragTrend {
        uf: trend.key.place.code().to_owned(),
        measure: trend.key.measure,
        vintage: trend.vintage,
        week: trend.week,
        short_growth: trend.short.rate,
        short_p_increase: trend.short.p_increase,
        short_class: trend.short.class,
        long_growth: trend.long.rate,
        long_p_increase: trend.long.p_increase,
        long_class: trend.long.class,
    }
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

/// The three tables of a triangle: the model replayed at every vintage.
pub fn compute(triangle: &Triangle) -> (Vec<NowcastWeek>, Vec<SragTrend>, Vec<OutlookWeek>) {
    let (mut weeks, mut trends, mut outlook) = (Vec::new(), Vec::new(), Vec::new());
    for origin in replay(triangle) {
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
    let triangle = Triangle::from_rows(cells)?;
    let (weeks, trends, outlook) = compute(&triangle);
    let mut metrics = Vec::with_capacity(3);
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
    let metrics: [StageMetrics; 3] = metrics.try_into().expect("three tables");
    Ok(NowcastGold {
        weeks,
        trends,
        outlook,
        metrics,
    })
}
