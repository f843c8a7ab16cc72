//! The domain's pure functions, shared by the pipeline that writes gold and
//! the pages and API that read it: ratios, per-100k figures, Brasília days
//! and the ranking of places.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use super::vocabulary::{Metric, PlaceKind};
use crate::indicators::RankingEntry;

/// The country map's SVG view box (`minX minY width height`) in the
/// projection the geometry gold is drawn in.
pub const MAP_VIEW_BOX: &str = "0 0 387 395";

/// `part / whole`, or `None` when `whole` is zero.
pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

/// `count` per 100,000 inhabitants, when the population is known.
pub fn per_100k(count: i64, population: Option<i64>) -> Option<f64> {
    population
        .filter(|p| *p > 0)
        .map(|p| count as f64 * 100_000.0 / p as f64)
}

/// Brasília's offset from UTC: −3 hours, with no daylight saving since 2019
/// (every figure here is from 2020 on).
pub fn brasilia() -> FixedOffset {
    FixedOffset::west_opt(3 * 3600).expect("UTC-3 is a valid offset")
}

/// The Brasília day of an instant: the day a notification counts on.
pub fn brasilia_day(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&brasilia()).date_naive()
}

/// The Sunday that starts `day`'s epidemiological week (Sunday to
/// Saturday, as Brazil's surveillance counts weeks).
pub fn epi_week_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_sunday()))
}

/// How long SIVEP-Gripe's weeks keep filling in: hospitalisations are
/// entered days to weeks after symptoms began, and in the 2020 vintages a
/// week held 92 % or more of its eventual count only once it was a month
/// or two old. A week that ended this long before the newest data counts as
/// complete.
pub const SIVEP_SETTLING: chrono::Duration = chrono::Duration::weeks(8);

/// The `weeks` newest complete epidemiological weeks of SIVEP-Gripe data
/// whose newest date is `newest`, as the first and last day: what headline
/// rates are computed on, never the weeks still filling in.
pub fn complete_weeks(newest: NaiveDate, weeks: i64) -> (NaiveDate, NaiveDate) {
    let settled = newest - SIVEP_SETTLING;
    // The Saturday that ends the newest week wholly before `settled`.
    let last = epi_week_start(settled + chrono::Duration::days(1)) - chrono::Duration::days(1);
    (
        last - chrono::Duration::weeks(weeks) + chrono::Duration::days(1),
        last,
    )
}

/// A place's cases and deaths over a period and its last two weeks of new
/// cases: what it is ranked on.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    pub uf: String,
    /// Blank for a state.
    pub city_ibge: String,
    pub name: String,
    pub population: i64,
    pub cases: i64,
    pub deaths: i64,
    pub this_week: i64,
    pub last_week: i64,
}

/// A place's place on one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked<'a> {
    pub standing: &'a Standing,
    pub metric: Metric,
    pub value: f64,
    /// The week before, for the weekly metric.
    pub previous_value: Option<f64>,
    /// `value / previous_value − 1`, when the week before had cases.
    pub change: Option<f64>,
    /// 1 is the most affected (for the weekly metric, the fastest rise).
    pub rank: i64,
}

impl Ranked<'_> {
    /// Its row of a ranking of `scope` over `start..=end`.
    pub fn entry(&self, scope: PlaceKind, start: NaiveDate, end: NaiveDate) -> RankingEntry {
        RankingEntry {
            scope,
            rank: self.rank,
            uf: self.standing.uf.clone(),
            city_ibge: Some(self.standing.city_ibge.clone()).filter(|code| !code.is_empty()),
            name: self.standing.name.clone(),
            metric: self.metric,
            period_start: start,
            period_end: end,
            value: self.value,
            previous_value: self.previous_value,
            change: self.change,
            population: self.standing.population,
        }
    }
}

impl Metric {
    /// A place's value on this metric, and its previous value when it has one.
    pub fn measure(self, s: &Standing) -> (f64, Option<f64>) {
        let population = Some(s.population);
        match self {
            Metric::CasesPer100k => (per_100k(s.cases, population).unwrap_or(0.0), None),
            Metric::DeathsPer100k => (per_100k(s.deaths, population).unwrap_or(0.0), None),
            Metric::NewCasesWeekPer100k => (
                per_100k(s.this_week, population).unwrap_or(0.0),
                per_100k(s.last_week, population),
            ),
        }
    }
}

/// Ranks `standings` on every metric. The weekly metric ranks by rise,
/// places without a previous week after the others; the rest by value.
/// Ties by code, for stability.
pub fn rank(standings: &[Standing]) -> Vec<Ranked<'_>> {
    let mut ranked = Vec::with_capacity(standings.len() * Metric::ALL.len());
    for &metric in Metric::ALL {
        let mut scored: Vec<Ranked<'_>> = standings
            .iter()
            .map(|standing| {
                let (value, previous_value) = metric.measure(standing);
                let change = previous_value.filter(|p| *p > 0.0).map(|p| value / p - 1.0);
                Ranked {
                    standing,
                    metric,
                    value,
                    previous_value,
                    change,
                    rank: 0,
                }
            })
            .collect();
        let by_rise = metric == Metric::NewCasesWeekPer100k;
        scored.sort_by(|a, b| {
            let order = match (by_rise, a.change, b.change) {
                (true, Some(x), Some(y)) => y.total_cmp(&x),
                (true, Some(_), None) => Ordering::Less,
                (true, None, Some(_)) => Ordering::Greater,
                _ => b.value.total_cmp(&a.value),
            };
            let (x, y) = (a.standing, b.standing);
            order.then_with(|| (&x.uf, &x.city_ibge).cmp(&(&y.uf, &y.city_ibge)))
        });
        for (position, mut entry) in scored.into_iter().enumerate() {
            entry.rank = position as i64 + 1;
            ranked.push(entry);
        }
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_weeks_are_whole_epidemiological_weeks_eight_weeks_back() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        // Newest data on Wednesday 2020-12-23: eight weeks earlier is
        // Wednesday 2020-10-28, in a week not yet over; the newest complete
        // week ends on Saturday 2020-10-24.
        assert_eq!(
            complete_weeks(day("2020-12-23"), 4),
            (day("2020-09-27"), day("2020-10-24"))
        );
        // Eight weeks before a Saturday is a Saturday: that week counts.
        assert_eq!(
            complete_weeks(day("2020-12-26"), 1),
            (day("2020-10-25"), day("2020-10-31"))
        );
        let (first, last) = complete_weeks(day("2021-03-03"), 4);
        assert_eq!(first.weekday(), chrono::Weekday::Sun);
        assert_eq!(last.weekday(), chrono::Weekday::Sat);
        assert_eq!((last - first).num_days(), 27);
    }

    fn standing(uf: &str, cases: i64, this_week: i64, last_week: i64) -> Standing {
        Standing {
            uf: uf.into(),
            city_ibge: String::new(),
            name: uf.into(),
            population: 100_000,
            cases,
            deaths: 0,
            this_week,
            last_week,
        }
    }

    #[test]
    fn places_rank_by_value_and_the_week_by_its_rise() {
        let places = [
            standing("AC", 10, 5, 5),
            standing("BA", 30, 4, 1),
            standing("CE", 20, 9, 0),
        ];
        let ranked = rank(&places);
        let order = |metric| {
            ranked
                .iter()
                .filter(|r| r.metric == metric)
                .map(|r| (r.standing.uf.as_str(), r.rank))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            order(Metric::CasesPer100k),
            [("BA", 1), ("CE", 2), ("AC", 3)]
        );
        // BA rose 300 %, AC 0 %; CE had no week before: last.
        assert_eq!(
            order(Metric::NewCasesWeekPer100k),
            [("BA", 1), ("AC", 2), ("CE", 3)]
        );
        let ba = ranked
            .iter()
            .find(|r| r.metric == Metric::NewCasesWeekPer100k && r.standing.uf == "BA")
            .unwrap();
        assert_eq!(ba.change, Some(3.0));
    }

    #[test]
    fn ratios_and_days() {
        assert_eq!(ratio(1, 4), Some(0.25));
        assert_eq!(ratio(1, 0), None);
        assert_eq!(per_100k(5, Some(1_000_000)), Some(0.5));
        assert_eq!(per_100k(5, Some(0)), None);
        let late_evening = "2021-03-09T01:30:00Z".parse().unwrap();
        assert_eq!(brasilia_day(late_evening), "2021-03-08".parse().unwrap());
        let sunday: NaiveDate = "2020-07-12".parse().unwrap();
        for day in 12..=18 {
            let day = NaiveDate::from_ymd_opt(2020, 7, day).unwrap();
            assert_eq!(epi_week_start(day), sunday, "{day}");
        }
    }
}
