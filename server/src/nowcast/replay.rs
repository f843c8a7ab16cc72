//! The model replayed vintage by vintage: at each vintage, from the
//! triangle as it stood then (the vintages up to it, nothing later), the
//! completion factors, the error books of the nowcasts and outlooks made
//! at earlier vintages whose weeks have matured since, and from them the
//! nowcast, the outlooks and the trends. The newest vintage's is what is
//! published; every vintage's is what the backtest scores.

use chrono::NaiveDate;

use super::{
    completion::Completion,
    errors::ErrorBook,
    estimate::{Estimate, nowcast},
    outlook::{Forecast, Method, outlook},
    trend::{Trend, trends},
    triangle::{SeriesKey, Triangle, delay},
};

/// Weeks that must pass after an estimate, and after the end of its week,
/// before it teaches an error: a month, when most of a week's events are
/// known; what is still missing is completed by the newer vintage's
/// factors.
pub const MATURITY: usize = 4;
/// How many earlier vintages' errors make the intervals (half a year).
pub const ERROR_ORIGINS: usize = 26;

/// What the model said at one vintage.
#[derive(Clone, Debug)]
pub struct Origin {
    pub vintage: NaiveDate,
    pub completion: Completion,
    /// Every series' ended weeks, in series order, weeks ascending.
    pub nowcast: Vec<Estimate>,
    /// Every method's outlook.
    pub outlooks: Vec<Forecast>,
}

/// The model at every vintage of a triangle, oldest first.
pub fn replay(triangle: &Triangle) -> Vec<Origin> {
    let mut origins: Vec<Origin> = Vec::with_capacity(triangle.vintages().len());
    for at in 0..triangle.vintages().len() {
        let then = triangle.until(at);
        let completion = Completion::learn(&then);
        // What a week turned out, once it has matured since an estimate
        // made `after` weeks after its end.
        let truth = |key: SeriesKey, week: NaiveDate, after: usize| {
            delay(week, then.newest())
                .filter(|&d| d >= after + MATURITY)
                .map(|d| completion.estimate(key, then.reported(key, week), d))
        };
        // The first vintage alone learns no factor: its nowcast is the
        // naive count, whose errors say nothing of this model's.
        let past = &origins[at.saturating_sub(ERROR_ORIGINS).max(1).min(at)..];
        let mut nowcast_errors = ErrorBook::default();
        for estimate in past.iter().flat_map(|o| &o.nowcast) {
            if let Some(truth) =
                truth(estimate.key, estimate.week, estimate.delay).filter(|_| !estimate.complete)
            {
                nowcast_errors.add(estimate.key.measure, estimate.delay, estimate.point, truth);
            }
        }
        let nowcast = nowcast(&then, &completion, &nowcast_errors);
        let outlooks = Method::ALL
            .iter()
            .flat_map(|&method| {
                let mut errors = ErrorBook::default();
                for forecast in past.iter().flat_map(|o| &o.outlooks) {
                    if forecast.method == method
                        && let Some(truth) = truth(forecast.key, forecast.week, 0)
                    {
                        errors.add(forecast.key.measure, forecast.ahead, forecast.point, truth);
                    }
                }
                outlook(&nowcast, method, &errors)
            })
            .collect();
        origins.push(Origin {
            vintage: then.newest(),
            completion,
            nowcast,
            outlooks,
        });
    }
    origins
}

impl Origin {
    /// The trends of this vintage's nowcast.
    pub fn trends(&self) -> Vec<Trend> {
        trends(&self.nowcast)
    }
}
