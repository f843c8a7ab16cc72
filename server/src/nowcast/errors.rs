//! Intervals from past errors: every past estimate whose truth has since
//! matured leaves its error, the log ratio of eventual to estimate, in an
//! [`ErrorBook`] under its measure, its step (weeks back, or weeks ahead)
//! and the decade of the estimate (a handful of events errs more, in
//! ratio, than thousands); the quantiles of those errors around a new
//! estimate are its median and its 50 % and 90 % intervals. Calibrated by
//! construction on past data: nothing assumes a distribution.

use std::collections::BTreeMap;

use app::catalog::vocabulary::SragMeasure;

/// The levels of the quantiles kept: the 90 % and 50 % intervals and the
/// median.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
/// The fewest errors quantiles are read from; fewer, and the errors of
/// every measure, then of every size, are pooled.
pub const MIN_SAMPLES: usize = 20;

/// A predictive distribution by its quantiles at [`LEVELS`], none below
/// its floor (the count already reported, for a nowcast).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantiles {
    pub values: [f64; 5],
    pub floor: f64,
}

impl Quantiles {
    /// A value known for certain.
    pub fn certain(value: f64) -> Quantiles {
        Quantiles {
            values: [value; 5],
            floor: value,
        }
    }

    pub fn median(&self) -> f64 {
        self.values[2]
    }

    /// The 50 % interval.
    pub fn inner(&self) -> (f64, f64) {
        (self.values[1], self.values[3])
    }

    /// The 90 % interval.
    pub fn outer(&self) -> (f64, f64) {
        (self.values[0], self.values[4])
    }

    /// The weighted interval score of `truth` (Bracher et al. 2021): the
    /// median's absolute error and the two intervals' scores, weighted.
    pub fn wis(&self, truth: f64) -> f64 {
        let interval = |(low, high): (f64, f64), alpha: f64| {
            (high - low)
                + 2.0 / alpha * (low - truth).max(0.0)
                + 2.0 / alpha * (truth - high).max(0.0)
        };
        let sum = 0.5 * (truth - self.median()).abs()
            + 0.5 / 2.0 * interval(self.inner(), 0.5)
            + 0.1 / 2.0 * interval(self.outer(), 0.1);
        sum / 2.5
    }

    /// The value at probability `u` in (0, 1): linear in log(1 + value)
    /// between the quantiles, the outer segments extended to the tails,
    /// never below the floor.
    pub fn sample(&self, u: f64) -> f64 {
        let z = self.values.map(|v| v.ln_1p());
        let segment = LEVELS
            .windows(2)
            .position(|pair| u <= pair[1])
            .unwrap_or(LEVELS.len() - 2);
        let (p0, p1) = (LEVELS[segment], LEVELS[segment + 1]);
        let slope = (z[segment + 1] - z[segment]) / (p1 - p0);
        (z[segment] + slope * (u - p0)).exp_m1().max(self.floor)
    }
}

/// The decade of an estimate: under 10, 100, 1000, or more.
fn size_class(estimate: f64) -> u8 {
    (estimate.max(0.0).ln_1p() / std::f64::consts::LN_10).clamp(0.0, 3.0) as u8
}

/// The quantile at `level` of sorted values, interpolated linearly.
fn quantile(sorted: &[f64], level: f64) -> f64 {
    let position = level * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}

type Cell = (SragMeasure, usize, u8);

/// Past errors by measure, step and size.
#[derive(Clone, Debug, Default)]
pub struct ErrorBook {
    errors: BTreeMap<Cell, Vec<f64>>,
}

impl ErrorBook {
    /// Records the error of a past `estimate` against what it turned out.
    pub fn add(&mut self, measure: SragMeasure, step: usize, estimate: f64, truth: f64) {
        self.errors
            .entry((measure, step, size_class(estimate)))
            .or_default()
            .push((truth.max(0.0).ln_1p()) - estimate.max(0.0).ln_1p());
    }

    /// The distribution of what an `estimate` will turn out, from the
    /// errors of its measure, step and size; of every measure when those
    /// are too few; of every size then. `None` when the step has too few.
    pub fn around(
        &self,
        measure: SragMeasure,
        step: usize,
        estimate: f64,
        floor: f64,
    ) -> Option<Quantiles> {
        let class = size_class(estimate);
        let tiers: [&dyn Fn(&Cell) -> bool; 3] = [
            &|cell| *cell == (measure, step, class),
            &|cell| cell.1 == step && cell.2 == class,
            &|cell| cell.1 == step,
        ];
        tiers.iter().find_map(|tier| {
            let mut errors: Vec<f64> = self
                .errors
                .iter()
                .filter(|(cell, _)| tier(cell))
                .flat_map(|(_, errors)| errors.iter().copied())
                .collect();
            (errors.len() >= MIN_SAMPLES).then(|| {
                errors.sort_unstable_by(f64::total_cmp);
                Quantiles {
                    values: LEVELS.map(|level| {
                        (estimate.max(0.0).ln_1p() + quantile(&errors, level))
                            .exp_m1()
                            .max(floor)
                    }),
                    floor,
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_the_quantiles_of_past_errors() {
        let mut book = ErrorBook::default();
        // Truths of 0.5 to 2 times (1 + estimate) − 1, evenly.
        for i in 0..=100 {
            let ratio = 2f64.powf(i as f64 / 50.0 - 1.0);
            book.add(SragMeasure::Srag, 0, 99.0, 100.0 * ratio - 1.0);
        }
        let q = book.around(SragMeasure::Srag, 0, 199.0, 0.0).unwrap();
        let expected = LEVELS.map(|level| 200.0 * 2f64.powf(2.0 * level - 1.0) - 1.0);
        for (got, want) in q.values.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{got} {want}");
        }
        // Pooled across measures when a measure has too few.
        assert!(book.around(SragMeasure::Deaths, 0, 150.0, 0.0).is_some());
        assert!(book.around(SragMeasure::Srag, 1, 150.0, 0.0).is_none());
        // Never below the floor.
        let floored = book.around(SragMeasure::Srag, 0, 199.0, 180.0).unwrap();
        assert_eq!(floored.values[0], 180.0);
        assert!(floored.values.windows(2).all(|w| w[0] <= w[1]));
        // Sampling gives back the quantiles at their levels.
        for (level, value) in LEVELS.iter().zip(q.values) {
            assert!((q.sample(*level) - value).abs() < 1e-6);
        }
        assert!(q.sample(0.001) < q.values[0] && q.sample(0.999) > q.values[4]);
    }

    #[test]
    fn the_interval_score_rewards_sharp_and_right() {
        let sharp = Quantiles {
            values: [90.0, 95.0, 100.0, 105.0, 110.0],
            floor: 0.0,
        };
        let wide = Quantiles {
            values: [50.0, 75.0, 100.0, 125.0, 150.0],
            floor: 0.0,
        };
        assert!(sharp.wis(100.0) < wide.wis(100.0));
        assert!(sharp.wis(200.0) > sharp.wis(100.0));
        assert_eq!(Quantiles::certain(7.0).wis(7.0), 0.0);
        // A point's score is its absolute error.
        assert!((Quantiles::certain(7.0).wis(12.0) - 5.0).abs() < 1e-12);
    }
}
