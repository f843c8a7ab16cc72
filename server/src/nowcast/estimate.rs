//! The nowcast at one vintage: per place, measure and ended week, the
//! count reported so far, the chain-ladder point, and the median and
//! intervals of the eventual count read from the past errors of points
//! made as many weeks after their week. Weeks past the completion horizon
//! are complete: their estimate is their count.

use chrono::NaiveDate;

use super::{
    completion::{Completion, HORIZON},
    errors::{ErrorBook, Quantiles},
    triangle::{SeriesKey, Triangle, delay},
};

/// One week's nowcast.
#[derive(Clone, Debug)]
pub struct Estimate {
    pub key: SeriesKey,
    /// The Sunday that starts the week.
    pub week: NaiveDate,
    /// The vintage the nowcast was made with (the newest it knew).
    pub vintage: NaiveDate,
    /// Whole weeks from the week's end to the vintage (0: just ended).
    pub delay: usize,
    /// The count that vintage held.
    pub reported: i64,
    /// The chain-ladder completion of that count, before its errors.
    pub point: f64,
    /// The eventual count: median, 50 % and 90 % intervals; never below
    /// `reported`.
    pub eventual: Quantiles,
    /// Past the completion horizon: the count is taken as final.
    pub complete: bool,
}

/// The nowcast of every ended week of every series at the triangle's
/// newest vintage, from its completion and the errors of past nowcasts.
pub fn nowcast(triangle: &Triangle, completion: &Completion, errors: &ErrorBook) -> Vec<Estimate> {
    let vintage = triangle.newest();
    let weeks = triangle.ended_weeks();
    let mut out = Vec::new();
    for key in SeriesKey::all() {
        for &week in &weeks {
            let delay = delay(week, vintage).expect("an ended week");
            let reported = triangle.reported(key, week);
            let point = completion.estimate(key, reported, delay);
            let complete = delay >= HORIZON;
            let floor = reported as f64;
            let eventual = if complete {
                Quantiles::certain(floor)
            } else {
                errors
                    .around(key.measure, delay, point, floor)
                    .unwrap_or_else(|| Quantiles::certain(point))
            };
            out.push(Estimate {
                key,
                week,
                vintage,
                delay,
                reported,
                point,
                eventual,
                complete,
            });
        }
    }
    out
}
