//! Chain-ladder completion: how much the count of a week will still grow,
//! by its delay, learnt from the reports the last [`WINDOW`] vintages
//! brought. The factor from delay `d` to `d + 1` is the growth of every
//! week observed at both delays, summed; a state's factors are pooled
//! toward Brazil's by shrinkage, the state's own events weighing against
//! [`PRIOR_EVENTS`] events at Brazil's factor, so a state with a handful
//! of events a week (AC, AP, RR) borrows the country's delay while São
//! Paulo keeps its own. Corrections count as no growth (never negative),
//! so a factor is never below 1 and an estimate never below the count.

use std::collections::BTreeMap;

use app::catalog::vocabulary::Place;

use super::triangle::{SeriesKey, Triangle, delay};

/// Vintages whose new reports teach the factors: about two months, so the
/// factors follow the reporting system as it changes.
pub const WINDOW: usize = 8;
/// Weeks after which a week counts as complete: its estimate is its count.
pub const HORIZON: usize = 12;
/// How many events of a state's own weigh as much as Brazil's factor.
pub const PRIOR_EVENTS: f64 = 100.0;

/// The multipliers of every series at one vintage: estimate = count ×
/// multiplier of its delay.
#[derive(Clone, Debug)]
pub struct Completion {
    multipliers: BTreeMap<SeriesKey, [f64; HORIZON]>,
}

/// Per delay, the counts of the weeks seen at that delay and the next, and
/// what they had grown to.
type Links = [(f64, f64); HORIZON];

fn links(triangle: &Triangle, key: SeriesKey) -> Links {
    let mut links = [(0.0, 0.0); HORIZON];
    let vintages = triangle.vintages();
    let first = vintages.len().saturating_sub(WINDOW);
    for week in triangle.weeks(key) {
        for (to, &vintage) in vintages.iter().enumerate().skip(first) {
            let Some(later) = delay(week, vintage).filter(|d| (1..=HORIZON).contains(d)) else {
                continue;
            };
            // Once per delay: the newest vintage at it, after the newest
            // vintage at the delay before.
            if triangle.at_delay(week, later) != Some(to) {
                continue;
            }
            let Some(from) = triangle.at_delay(week, later - 1) else {
                continue;
            };
            let base = triangle.count(key, week, from);
            let (sum, grown) = &mut links[later - 1];
            *sum += base as f64;
            *grown += (base + triangle.increment(key, week, from, to)) as f64;
        }
    }
    links
}

/// Cumulative products from each delay to the horizon.
fn multipliers(factors: [f64; HORIZON]) -> [f64; HORIZON] {
    let mut out = [1.0; HORIZON];
    let mut product = 1.0;
    for d in (0..HORIZON).rev() {
        product *= factors[d];
        out[d] = product;
    }
    out
}

impl Completion {
    /// The factors at the triangle's newest vintage, from its vintages only.
    pub fn learn(triangle: &Triangle) -> Completion {
        let mut multipliers = BTreeMap::new();
        let mut national: BTreeMap<_, [f64; HORIZON]> = BTreeMap::new();
        // Brazil first (`Place::all` order): the states shrink toward it.
        for key in SeriesKey::all() {
            let links = links(triangle, key);
            let factors: [f64; HORIZON] = std::array::from_fn(|d| {
                let (base, grown) = links[d];
                match key.place {
                    Place::Brazil if base > 0.0 => grown / base,
                    Place::Brazil => 1.0,
                    Place::State(_) => {
                        let prior = national.get(&key.measure).map_or(1.0, |f| f[d]);
                        (grown + PRIOR_EVENTS * prior) / (base + PRIOR_EVENTS)
                    }
                }
            });
            if key.place == Place::Brazil {
                national.insert(key.measure, factors);
            }
            multipliers.insert(key, self::multipliers(factors));
        }
        Completion { multipliers }
    }

    /// The multiplier of a week `delay` weeks after its end: 1 from the
    /// horizon on.
    pub fn multiplier(&self, key: SeriesKey, delay: usize) -> f64 {
        self.multipliers
            .get(&key)
            .and_then(|m| m.get(delay))
            .copied()
            .unwrap_or(1.0)
    }

    /// The point estimate of a week's eventual count from its count at a
    /// vintage made `delay` weeks after the week's end.
    pub fn estimate(&self, key: SeriesKey, count: i64, delay: usize) -> f64 {
        count as f64 * self.multiplier(key, delay)
    }
}

#[cfg(test)]
mod tests {
    use app::catalog::vocabulary::{SragMeasure, Uf};

    use super::*;
    use crate::nowcast::triangle::tests::cell;

    fn key(uf: &str) -> SeriesKey {
        SeriesKey {
            place: Uf::parse(uf).map_or(Place::Brazil, Place::State),
            measure: SragMeasure::Srag,
        }
    }

    #[test]
    fn factors_are_the_growth_seen_and_corrections_grow_nothing() {
        // Weekly vintages on Mondays: SP's week of 07-26 doubles from
        // delay 0 to 1; its week of 07-19 stays from delay 1 to 2.
        let mut rows = Vec::new();
        for (vintage, counts) in [
            ("2020-08-03", [("2020-07-19", 2000), ("2020-07-26", 1000)]),
            ("2020-08-10", [("2020-07-19", 2000), ("2020-07-26", 2000)]),
        ] {
            for (week, count) in counts {
                rows.push(cell(vintage, "SP", week, count));
            }
        }
        // AC's week shrinks from 10 to 6: a correction, no growth.
        rows.push(cell("2020-08-03", "AC", "2020-07-26", 10));
        rows.push(cell("2020-08-10", "AC", "2020-07-26", 6));
        let triangle = Triangle::from_rows(rows).unwrap();
        let completion = Completion::learn(&triangle);
        // Brazil: 1010 → 2006 (the states' sum, AC's 10 → 6 inside it).
        let brazil = completion.multiplier(key(""), 0);
        assert!((brazil - 2006.0 / 1010.0).abs() < 1e-9);
        // SP: its 1000 → 2000, with 100 events at Brazil's factor.
        let sp = (2000.0 + 100.0 * brazil) / 1100.0;
        assert!((completion.multiplier(key("SP"), 0) - sp).abs() < 1e-9);
        assert!((completion.multiplier(key("SP"), 1) - 1.0).abs() < 1e-9);
        // AC: its own 10 → 10 (the correction is no growth), pooled
        // toward Brazil likewise: never below 1.
        let ac = completion.multiplier(key("AC"), 0);
        assert!((ac - (10.0 + 100.0 * brazil) / 110.0).abs() < 1e-9);
        assert!(ac >= 1.0);
        // A state with no events has Brazil's factors.
        assert!((completion.multiplier(key("RR"), 0) - brazil).abs() < 1e-9);
        assert_eq!(completion.multiplier(key("SP"), HORIZON), 1.0);
        assert_eq!(completion.estimate(key("SP"), 50, HORIZON), 50.0);
    }
}
