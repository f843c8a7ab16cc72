//! The reporting triangle as a typed structure: per place (a state, or
//! Brazil as the sum of the states), measure and epidemiological week, the
//! count each vintage held. A vintage that lists no events of a week holds
//! zero of them; a vintage holding fewer than an earlier one is a
//! correction, kept as it is (the count that vintage reported), and never
//! read as negative reporting ([`Triangle::increment`]).

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use app::catalog::vocabulary::{Place, SragMeasure, Uf};
use chrono::NaiveDate;

/// One series of the triangle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    pub place: Place,
    pub measure: SragMeasure,
}

impl SeriesKey {
    /// Every place × measure.
    pub fn all() -> impl Iterator<Item = SeriesKey> {
        Place::all().flat_map(|place| {
            SragMeasure::ALL
                .iter()
                .map(move |&measure| SeriesKey { place, measure })
        })
    }
}

/// How many whole weeks after the end of `week` (a Sunday) the `vintage`
/// was made: 0 for a vintage made in the days after the week's Saturday,
/// `None` while the week has not ended. Vintages are not evenly spaced
/// (2020-07-29 is followed by 2020-08-03), so a delay counts weeks of
/// days, whatever vintages fall between.
pub fn delay(week: NaiveDate, vintage: NaiveDate) -> Option<usize> {
    let days = (vintage - week).num_days() - 7;
    usize::try_from(days).ok().map(|days| days / 7)
}

/// Counts per place, measure, week and vintage.
#[derive(Clone, Debug)]
pub struct Triangle {
    vintages: Vec<NaiveDate>,
    /// Per series and week, the count of every vintage (by index).
    series: BTreeMap<SeriesKey, BTreeMap<NaiveDate, Vec<i64>>>,
    /// Cells of events of no known state (not in any state, nor in Brazil).
    pub unplaced: u64,
}

/// What one vintage held for one state and week: a cell of the triangle
/// (the vintages' silver holds one per row).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub vintage: NaiveDate,
    /// State code; blank for the events of no known state.
    pub uf: String,
    /// The Sunday that starts the events' epidemiological week.
    pub week: NaiveDate,
    /// SRAG hospitalisations with symptoms that week.
    pub hospitalised: i64,
    /// Of them, confirmed COVID-19.
    pub confirmed: i64,
    /// SRAG deaths that week.
    pub deaths: i64,
    pub deaths_confirmed: i64,
}

impl Triangle {
    /// The triangle of the cells of one or more vintages. Cells of events
    /// of no known state count apart; Brazil is the sum of the states.
    pub fn from_rows(rows: impl IntoIterator<Item = Cell>) -> anyhow::Result<Triangle> {
        let rows: Vec<Cell> = rows.into_iter().collect();
        let mut vintages: Vec<NaiveDate> = rows.iter().map(|row| row.vintage).collect();
        vintages.sort_unstable();
        vintages.dedup();
        if vintages.is_empty() {
            bail!("no vintage to build a reporting triangle from");
        }
        let mut triangle = Triangle {
            series: SeriesKey::all().map(|key| (key, BTreeMap::new())).collect(),
            vintages,
            unplaced: 0,
        };
        for row in rows {
            let Some(uf) = Uf::parse(&row.uf) else {
                triangle.unplaced += 1;
                continue;
            };
            let at = triangle
                .vintages
                .binary_search(&row.vintage)
                .ok()
                .context("a vintage outside its own list")?;
            for (measure, count) in [
                (SragMeasure::Srag, row.hospitalised),
                (SragMeasure::Covid, row.confirmed),
                (SragMeasure::Deaths, row.deaths),
            ] {
                for place in [Place::State(uf), Place::Brazil] {
                    triangle.cells_mut(SeriesKey { place, measure }, row.week)[at] += count;
                }
            }
        }
        Ok(triangle)
    }

    fn cells_mut(&mut self, key: SeriesKey, week: NaiveDate) -> &mut Vec<i64> {
        let width = self.vintages.len();
        self.series
            .entry(key)
            .or_default()
            .entry(week)
            .or_insert_with(|| vec![0; width])
    }

    /// The vintages, oldest first.
    pub fn vintages(&self) -> &[NaiveDate] {
        &self.vintages
    }

    /// The newest vintage.
    pub fn newest(&self) -> NaiveDate {
        *self.vintages.last().expect("a triangle has a vintage")
    }

    /// The triangle as it stood at the vintage of index `at`: that vintage
    /// and the older ones only.
    pub fn until(&self, at: usize) -> Triangle {
        let width = at + 1;
        Triangle {
            vintages: self.vintages[..width].to_vec(),
            series: self
                .series
                .iter()
                .map(|(key, weeks)| {
                    let weeks = weeks
                        .iter()
                        .map(|(week, counts)| (*week, counts[..width].to_vec()))
                        .filter(|(_, counts)| counts.iter().any(|&count| count != 0))
                        .collect();
                    (*key, weeks)
                })
                .collect(),
            unplaced: self.unplaced,
        }
    }

    /// Every week that has ended by the newest vintage, from the oldest
    /// with events in any series.
    pub fn ended_weeks(&self) -> Vec<NaiveDate> {
        let first = self
            .series
            .values()
            .filter_map(|weeks| weeks.keys().next())
            .min();
        let newest = self.newest();
        let mut weeks = Vec::new();
        let mut week = first.copied();
        while let Some(w) = week.filter(|w| delay(*w, newest).is_some()) {
            weeks.push(w);
            week = w.checked_add_days(chrono::Days::new(7));
        }
        weeks
    }

    /// The count of a week held by the vintage of index `at` (zero when
    /// that vintage lists none).
    pub fn count(&self, key: SeriesKey, week: NaiveDate, at: usize) -> i64 {
        self.series
            .get(&key)
            .and_then(|weeks| weeks.get(&week))
            .map_or(0, |counts| counts[at])
    }

    /// The count of a week in the newest vintage.
    pub fn reported(&self, key: SeriesKey, week: NaiveDate) -> i64 {
        self.count(key, week, self.vintages.len() - 1)
    }

    /// The index of the newest vintage made `delay` weeks after the week's
    /// end, if any.
    pub fn at_delay(&self, week: NaiveDate, weeks_after: usize) -> Option<usize> {
        self.vintages
            .iter()
            .rposition(|&vintage| delay(week, vintage) == Some(weeks_after))
    }

    /// What became known of a week between its vintages of index `from`
    /// and `to`: the growth of its count, or zero where the later vintage
    /// holds fewer (a correction, not negative reporting).
    pub fn increment(&self, key: SeriesKey, week: NaiveDate, from: usize, to: usize) -> i64 {
        (self.count(key, week, to) - self.count(key, week, from)).max(0)
    }

    /// The weeks of a series that hold events in some vintage.
    pub fn weeks(&self, key: SeriesKey) -> impl Iterator<Item = NaiveDate> + '_ {
        self.series
            .get(&key)
            .into_iter()
            .flat_map(|weeks| weeks.keys().copied())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    pub fn cell(vintage: &str, uf: &str, week: &str, hospitalised: i64) -> Cell {
        Cell {
            vintage: day(vintage),
            uf: uf.into(),
            week: day(week),
            hospitalised,
            confirmed: hospitalised / 2,
            deaths: hospitalised / 10,
            deaths_confirmed: 0,
        }
    }

    #[test]
    fn delays_count_whole_weeks_after_the_week_ended() {
        // The week of Sunday 2020-07-19 ends on Saturday the 25th.
        let week = day("2020-07-19");
        assert_eq!(delay(week, day("2020-07-25")), None);
        assert_eq!(delay(week, day("2020-07-26")), Some(0));
        assert_eq!(delay(week, day("2020-07-29")), Some(0));
        assert_eq!(delay(week, day("2020-08-01")), Some(0));
        assert_eq!(delay(week, day("2020-08-03")), Some(1));
    }

    #[test]
    fn brazil_is_the_sum_of_the_states_and_unknown_states_count_apart() {
        let triangle = Triangle::from_rows([
            cell("2020-07-21", "SP", "2020-07-05", 100),
            cell("2020-07-21", "AC", "2020-07-05", 3),
            cell("2020-07-21", "", "2020-07-05", 50),
            cell("2020-07-29", "SP", "2020-07-05", 140),
        ])
        .unwrap();
        let br = SeriesKey {
            place: Place::Brazil,
            measure: SragMeasure::Srag,
        };
        let week = day("2020-07-05");
        assert_eq!(triangle.count(br, week, 0), 103);
        // AC lists nothing in the second vintage: zero, a correction.
        assert_eq!(triangle.count(br, week, 1), 140);
        assert_eq!(triangle.unplaced, 1);
        let ac = SeriesKey {
            place: Place::State(Uf::parse("AC").unwrap()),
            measure: SragMeasure::Srag,
        };
        assert_eq!(triangle.increment(ac, week, 0, 1), 0);
        assert_eq!(triangle.increment(br, week, 0, 1), 37);
        assert_eq!(triangle.until(0).reported(br, week), 103);
        assert_eq!(triangle.at_delay(week, 1), Some(0));
        assert_eq!(triangle.at_delay(week, 2), Some(1));
        assert_eq!(triangle.ended_weeks().len(), 3);
    }
}
