//! A sales territory's headline figures, as the overview shows them: its
//! population, cases per 100k over the last 7 days, ICU occupancy and its
//! 7-day change, and the SRAG hospitalisations trend of its whole states
//! summed (the nowcast's, over 3 weeks). Each figure
//! carries its own date; a territory's sums run over its states and its
//! other cities, so a city beside its own state counts once.

use chrono::NaiveDate;

use crate::{catalog::territory::Territory, indicators::SragTrend};

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
    /// The SRAG hospitalisations trend of its whole states summed, at the
    /// newest nowcast (its `uf` is the territory's slug); `None` without
    /// whole states or a nowcast.
    pub srag_trend: Option<SragTrend>,
    /// The SIVEP edition of the nowcast.
    pub srag_vintage: Option<NaiveDate>,
}
