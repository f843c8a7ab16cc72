//! Trends of the nowcast series: per place and measure, the weekly growth
//! of the last 3 (short) and 6 (long) ended weeks, the slope of a
//! least-squares line through log(1 + count), and the probability that it
//! is an increase, from draws of the weeks' eventual counts out of their
//! nowcast distributions (independent from week to week; a seeded
//! generator, so the same nowcast gives the same probabilities).

use app::{
    catalog::vocabulary::{SragMeasure, TrendClass},
    indicators::SragTrend,
};
use chrono::NaiveDate;
use rand::{Rng, SeedableRng, rngs::StdRng};

use super::{errors::Quantiles, estimate::Estimate, triangle::SeriesKey};

/// Weeks of the short and of the long trend.
pub const SHORT: usize = 3;
pub const LONG: usize = 6;
/// Draws per series.
const DRAWS: usize = 4000;
const SEED: u64 = 17;

/// The slope of the least-squares line through `values` at 0, 1, 2, …,
/// and its value at the last.
pub fn line(values: &[f64]) -> (f64, f64) {
    weighted_line(values, &vec![1.0; values.len()])
}

/// The same, each value weighing as its weight.
pub fn weighted_line(values: &[f64], weights: &[f64]) -> (f64, f64) {
    let total: f64 = weights.iter().sum();
    let mean_x = weights
        .iter()
        .enumerate()
        .map(|(x, w)| x as f64 * w)
        .sum::<f64>()
        / total;
    let mean_y = values.iter().zip(weights).map(|(y, w)| y * w).sum::<f64>() / total;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, (y, w)) in values.iter().zip(weights).enumerate() {
        let dx = x as f64 - mean_x;
        sxy += w * dx * (y - mean_y);
        sxx += w * dx * dx;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (slope, mean_y + slope * ((values.len() - 1) as f64 - mean_x))
}

/// The growth over some weeks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Growth {
    pub weeks: usize,
    /// Weekly growth of the nowcast medians (0.1: +10 % a week).
    pub rate: f64,
    /// The probability that the eventual counts grow.
    pub p_increase: f64,
    pub class: TrendClass,
}

/// A series' trends at a vintage.
#[derive(Clone, Debug)]
pub struct Trend {
    pub key: SeriesKey,
    pub vintage: NaiveDate,
    /// The last week of the series (its newest ended week).
    pub week: NaiveDate,
    pub short: Growth,
    pub long: Growth,
}

/// The trends of every series of a nowcast (its estimates in series
/// order, weeks ascending). Series with fewer than [`LONG`] weeks have
/// none.
pub fn trends(nowcast: &[Estimate]) -> Vec<Trend> {
    nowcast
        .chunk_by(|a, b| a.key == b.key)
        .enumerate()
        .filter(|(_, series)| series.len() >= LONG)
        .map(|(index, series)| {
            let last = &series[series.len() - LONG..];
            let weeks: Vec<[Quantiles; 1]> = last.iter().map(|e| [e.eventual]).collect();
            let (short, long) = growths(&weeks, SEED ^ index as u64);
            let newest = &last[LONG - 1];
            Trend {
                key: newest.key,
                vintage: newest.vintage,
                week: newest.week,
                short,
                long,
            }
        })
        .collect()
}

/// The short and long growth of a sum of series from their last [`LONG`]
/// weeks: `weeks[w]` holds every member's eventual count of week `w`
/// (oldest first). A draw takes each member's week independently, as
/// weeks are taken independently of each other, and sums them; the
/// growth itself follows the sum of the medians. One member is one
/// series' own trend.
pub fn growths(weeks: &[impl AsRef<[Quantiles]>], seed: u64) -> (Growth, Growth) {
    assert_eq!(weeks.len(), LONG, "a trend needs its last {LONG} weeks");
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut short_up, mut long_up) = (0.0, 0.0);
    let mut draw = [0.0; LONG];
    for _ in 0..DRAWS {
        for (value, members) in draw.iter_mut().zip(weeks) {
            *value = members
                .as_ref()
                .iter()
                .map(|eventual| eventual.sample(rng.random::<f64>()))
                .sum::<f64>()
                .ln_1p();
        }
        short_up += increase(line(&draw[LONG - SHORT..]).0);
        long_up += increase(line(&draw).0);
    }
    let medians: Vec<f64> = weeks
        .iter()
        .map(|members| {
            members
                .as_ref()
                .iter()
                .map(Quantiles::median)
                .sum::<f64>()
                .ln_1p()
        })
        .collect();
    let growth = |weeks: usize, up: f64| {
        let p_increase = up / DRAWS as f64;
        Growth {
            weeks,
            rate: line(&medians[LONG - weeks..]).0.exp_m1(),
            p_increase,
            class: TrendClass::of(p_increase),
        }
    };
    (growth(SHORT, short_up), growth(LONG, long_up))
}

/// A trend as the API and gold give it: `place` a state code, `BR` or a
/// sales territory's slug.
pub fn row(
    place: String,
    (measure, vintage, week): (SragMeasure, NaiveDate, NaiveDate),
    short: Growth,
    long: Growth,
) -> SragTrend {
    SragTrend {
        uf: place,
        measure,
        vintage,
        week,
        short_growth: short.rate,
        short_p_increase: short.p_increase,
        short_class: short.class,
        long_growth: long.rate,
        long_p_increase: long.p_increase,
        long_class: long.class,
    }
}

/// A draw's vote for an increase: a flat line is half a vote.
fn increase(slope: f64) -> f64 {
    if slope > 0.0 {
        1.0
    } else if slope == 0.0 {
        0.5
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_through_logs() {
        let (slope, end) = line(&[1.0, 2.0, 3.0]);
        assert!((slope - 1.0).abs() < 1e-12 && (end - 3.0).abs() < 1e-12);
        assert_eq!(line(&[5.0, 5.0, 5.0]), (0.0, 5.0));
        assert_eq!(increase(0.0), 0.5);
    }
}
