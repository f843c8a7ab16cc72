//! The two-week outlook: the nowcast series continued by a damped
//! log-linear trend (a line through the last 6 weeks' medians, each week
//! weighing by its precision, so the newest, least known weeks weigh
//! least; its weekly growth halving each week ahead), and, as the
//! reference it must beat, persistence (the last week's median carried
//! forward). Both get their intervals from their own past errors, as the
//! nowcast does.

use chrono::{Days, NaiveDate};

use super::{
    errors::{ErrorBook, Quantiles},
    estimate::Estimate,
    trend::{LONG, weighted_line},
    triangle::SeriesKey,
};

/// The inverse variance of an estimate's log: its 90 % interval's width
/// (3.29 standard deviations of a normal) and a count's own noise
/// (Poisson: 1 / count).
fn precision(estimate: &Estimate) -> f64 {
    let (low, high) = estimate.eventual.outer();
    let sd = (high.ln_1p() - low.ln_1p()) / 3.29;
    1.0 / (sd * sd + 1.0 / (1.0 + estimate.eventual.median()))
}

/// Weeks the trend is fitted on.
const WINDOW: usize = LONG;
/// Weeks ahead of the newest ended week.
pub const AHEAD: usize = 2;
/// How much of a week's growth carries to the next.
const DAMPING: f64 = 0.5;

/// A way of continuing a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    DampedTrend,
    Persistence,
}

impl Method {
    pub const ALL: [Method; 2] = [Method::DampedTrend, Method::Persistence];

    pub fn name(self) -> &'static str {
        match self {
            Method::DampedTrend => "damped log-linear trend",
            Method::Persistence => "persistence",
        }
    }

    /// The point `ahead` weeks after the last of a series' estimates.
    fn point(self, series: &[Estimate], ahead: usize) -> f64 {
        let last = series[series.len() - 1].eventual.median();
        match self {
            Method::Persistence => last,
            Method::DampedTrend => {
                let recent = &series[series.len() - WINDOW..];
                let logs: Vec<f64> = recent.iter().map(|e| e.eventual.median().ln_1p()).collect();
                let weights: Vec<f64> = recent.iter().map(precision).collect();
                let (slope, end) = weighted_line(&logs, &weights);
                let carried: f64 = (1..=ahead).map(|h| DAMPING.powi(h as i32)).sum();
                (end + slope * carried).exp_m1().max(0.0)
            }
        }
    }
}

/// One week ahead.
#[derive(Clone, Debug)]
pub struct Forecast {
    pub key: SeriesKey,
    pub method: Method,
    pub vintage: NaiveDate,
    /// The Sunday that starts the week forecast.
    pub week: NaiveDate,
    /// Weeks after the newest ended week (1, 2).
    pub ahead: usize,
    pub point: f64,
    pub eventual: Quantiles,
}

/// The outlook of every series of a nowcast (its estimates in series
/// order, weeks ascending) by `method`, with intervals from its `errors`.
pub fn outlook(nowcast: &[Estimate], method: Method, errors: &ErrorBook) -> Vec<Forecast> {
    let mut out = Vec::new();
    for series in nowcast.chunk_by(|a, b| a.key == b.key) {
        if series.len() < WINDOW {
            continue;
        }
        let newest = &series[series.len() - 1];
        for ahead in 1..=AHEAD {
            let point = method.point(series, ahead);
            out.push(Forecast {
                key: newest.key,
                method,
                vintage: newest.vintage,
                week: newest.week + Days::new(7 * ahead as u64),
                ahead,
                point,
                eventual: errors
                    .around(newest.key.measure, ahead, point, 0.0)
                    .unwrap_or_else(|| Quantiles::certain(point)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use app::catalog::vocabulary::SragMeasure;

    use super::*;
    use app::catalog::vocabulary::Place;

    #[test]
    fn the_trend_is_damped_and_persistence_carries_the_last() {
        // Doubling each week (in 1 + count), every week known.
        let week: NaiveDate = "2020-08-02".parse().unwrap();
        let series: Vec<Estimate> = (0..WINDOW)
            .map(|i| {
                let count = 100.0 * 2f64.powi(i as i32) - 1.0;
                Estimate {
                    key: SeriesKey {
                        place: Place::Brazil,
                        measure: SragMeasure::Srag,
                    },
                    week: week + Days::new(7 * i as u64),
                    vintage: week,
                    delay: WINDOW - i,
                    reported: count as i64,
                    point: count,
                    eventual: Quantiles::certain(count),
                    complete: true,
                }
            })
            .collect();
        let last = 100.0 * 2f64.powi(WINDOW as i32 - 1);
        assert_eq!(Method::Persistence.point(&series, 2), last - 1.0);
        let one = Method::DampedTrend.point(&series, 1);
        let two = Method::DampedTrend.point(&series, 2);
        assert!((one - (last * 2f64.sqrt() - 1.0)).abs() < 1e-6);
        assert!((two - (last * 2f64.powf(0.75) - 1.0)).abs() < 1e-6);
        let forecasts = outlook(&series, Method::DampedTrend, &ErrorBook::default());
        assert_eq!(forecasts.len(), AHEAD);
        assert_eq!(forecasts[1].week, week + Days::new(7 * (WINDOW as u64 + 1)));
    }
}
