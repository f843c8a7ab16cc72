//! A sales territory's headline figures, as the overview shows them: its
//! population, cases per 100k over the last 7 days, ICU occupancy and its
//! 7-day change, and how many of its states' SRAG trends rise. Each figure
//! carries its own date; a territory's sums run over its states and its
//! other cities, so a city beside its own state counts once.

use chrono::NaiveDate;

use crate::catalog::territory::Territory;

/// One territory's headline.
#[derive(Clone, Debug, PartialEq)]
pub struct TerritoryHeadline {
    pub territory: Territory,
    /// The day of the case figures (the newest of the states' series).
    pub cases_date: Option<NaiveDate>,
    /// Its inhabitants; `None` until every member's population is known.
    pub population: Option<i64>,
    /// New cases over the 7 days ending on `cases_date`, per 100,000
    /// inhabitants; `None` when a member has no figure on that day.
    pub cases_per_100k_7d: Option<f64>,
    /// The day of the occupancy figures (the hospitals' newest).
    pub occupancy_date: Option<NaiveDate>,
    /// ICU beds offered (all beds) by its counted hospitals.
    pub icu_beds: Option<i64>,
    /// ICU occupancy (all beds) over its counted hospitals.
    pub icu_rate: Option<f64>,
    /// Change of `icu_rate` over 7 days, in percentage points.
    pub icu_change_7d: Option<f64>,
    /// Of the states it touches, how many have a rising SRAG trend
    /// (probable or certain) at the newest nowcast, and how many have a
    /// trend at all.
    pub srag_rising: Option<(usize, usize)>,
    /// The SIVEP edition of those trends.
    pub srag_vintage: Option<NaiveDate>,
}
