//! The overview's data: headline figures with their change against the
//! week before, the state map's values, and the rankings, read in one
//! backend call so the page renders (and re-renders on a filter change)
//! from one round trip.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{indicators::RankingEntry, state_board::StateStanding};

/// What the state map colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapMetric {
    /// Cumulative cases per 100k inhabitants.
    #[default]
    CasesPer100k,
    /// Cumulative deaths per 100k.
    DeathsPer100k,
    /// New cases in the last 7 days per 100k.
    WeekPer100k,
    /// ICU occupancy of COVID/SRAG beds.
    IcuCovidRate,
    /// Clinical occupancy of COVID/SRAG beds.
    ClinicalCovidRate,
    /// The nowcast's short-term trend of SRAG hospitalisations: the
    /// probability that they are rising.
    SragTrend,
}

impl MapMetric {
    pub const ALL: [MapMetric; 6] = [
        MapMetric::CasesPer100k,
        MapMetric::DeathsPer100k,
        MapMetric::WeekPer100k,
        MapMetric::IcuCovidRate,
        MapMetric::ClinicalCovidRate,
        MapMetric::SragTrend,
    ];

    /// The value of the `metric` query parameter.
    pub fn code(self) -> &'static str {
        match self {
            MapMetric::CasesPer100k => "cases_per_100k",
            MapMetric::DeathsPer100k => "deaths_per_100k",
            MapMetric::WeekPer100k => "new_cases_week_per_100k",
            MapMetric::IcuCovidRate => "icu_covid",
            MapMetric::ClinicalCovidRate => "clinical_covid",
            MapMetric::SragTrend => "srag_trend",
        }
    }

    /// Reads the `metric` query parameter; anything unknown is the default.
    pub fn from_code(code: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|m| Some(m.code()) == code)
            .unwrap_or_default()
    }

    /// True for the occupancy rates (shown as percentages).
    pub fn is_rate(self) -> bool {
        matches!(self, MapMetric::IcuCovidRate | MapMetric::ClinicalCovidRate)
    }
}

/// One state on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapArea {
    pub uf: String,
    pub name: String,
    /// SVG path data in the map's view box.
    pub path: String,
    pub value: Option<f64>,
    /// Outside the sales territory the page is filtered by: drawn for
    /// context, without a value.
    pub outside: bool,
}

/// A figure and the same figure a week earlier.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub value: f64,
    pub previous: Option<f64>,
}

impl Change {
    /// Relative change against the week before, when there was one.
    pub fn relative(self) -> Option<f64> {
        self.previous
            .filter(|p| *p != 0.0)
            .map(|p| self.value / p - 1.0)
    }

    /// The change of a rate against the week before, in percentage points
    /// (78,4 % → 82,9 % is +4,5 p.p.), when there was one.
    pub fn points(self) -> Option<f64> {
        self.previous.map(|p| (self.value - p) * 100.0)
    }
}

/// The headline figures of the country.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// New cases in the 7 days ending on the newest case date.
    pub cases_week: Option<Change>,
    pub deaths_week: Option<Change>,
    /// Occupancy of COVID/SRAG beds on the newest occupancy date.
    pub icu_rate: Option<Change>,
    pub clinical_rate: Option<Change>,
    /// Hospitals counted and stale in that occupancy.
    pub hospitals: i64,
    pub stale: i64,
    /// SRAG over the four newest complete epidemiological weeks of SIVEP.
    pub confirmed_share: Option<f64>,
    pub death_rate_confirmed: Option<f64>,
    pub death_rate_suspected: Option<f64>,
}

/// The city rankings' minimum populations offered, and the default.
pub const MIN_POPULATIONS: [i64; 4] = [10_000, 50_000, 100_000, 500_000];
pub const DEFAULT_MIN_POPULATION: i64 = 50_000;

/// The minimum population of the URL's `min_pop`, if it is one offered.
pub fn min_population(text: Option<&str>) -> i64 {
    text.and_then(|t| t.parse().ok())
        .filter(|n| MIN_POPULATIONS.contains(n))
        .unwrap_or(DEFAULT_MIN_POPULATION)
}

/// Everything the overview shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub cases_as_of: Option<NaiveDate>,
    pub occupancy_as_of: Option<NaiveDate>,
    pub srag_period: Option<(NaiveDate, NaiveDate)>,
    pub headline: Headline,
    pub metric: MapMetric,
    /// `minX minY width height` of the map's paths.
    pub map_view_box: String,
    /// Empty until the geometry is collected.
    pub map: Vec<MapArea>,
    /// Cities of at least 50,000 inhabitants by cases per 100k.
    /// The most affected cities of at least `min_population` inhabitants.
    pub cities: Vec<RankingEntry>,
    /// The least affected cities of at least `min_population` inhabitants.
    pub cities_least: Vec<RankingEntry>,
    pub min_population: i64,
    /// Every state's occupancy and cases, for the table of every state.
    pub states: Vec<StateStanding>,
}
