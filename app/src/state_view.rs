//! A state's page data: its daily series over the chosen period (cases and
//! deaths, bed occupancy, SRAG hospitalisations), drawn as SVG charts on the
//! server with the table behind each, and the state's cities ranked.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::vocabulary::{BedClass, Scope};

use crate::indicators::{CasesDay, OccupancyDay, PatientsDay, RankingEntry, SragTotals};

/// The period a page shows: the last `days` of each source's data, or fixed dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Last(u32),
    Between(NaiveDate, NaiveDate),
}

impl Period {
    /// The presets offered, in days.
    pub const PRESETS: [u32; 4] = [30, 90, 180, 365];
    pub const DEFAULT: Period = Period::Last(90);

    /// Reads `period` (a preset) or `from` and `to` from the URL; anything
    /// invalid is the default.
    pub fn from_query(period: Option<&str>, from: Option<&str>, to: Option<&str>) -> Self {
        let date = |text: Option<&str>| text.and_then(|t| t.parse::<NaiveDate>().ok());
        match (date(from), date(to)) {
            (Some(from), Some(to)) if from <= to => Period::Between(from, to),
            _ => period
                .and_then(|p| p.parse().ok())
                .filter(|days| Self::PRESETS.contains(days))
                .map_or(Self::DEFAULT, Period::Last),
        }
    }

    /// Whether the URL asked for a period that [`Period::from_query`] could
    /// not read (a period that is no preset, a date that is none, half a
    /// range, a range that ends before it starts), so the page shows the
    /// default instead and says so.
    pub fn refused(period: Option<&str>, from: Option<&str>, to: Option<&str>) -> bool {
        match Self::from_query(period, from, to) {
            Period::Between(..) => false,
            Period::Last(days) => {
                from.is_some() || to.is_some() || period.is_some_and(|p| p != days.to_string())
            }
        }
    }

    /// The dates covered by data whose newest day is `newest`.
    pub fn range(self, newest: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Last(days) => (newest - chrono::Duration::days(i64::from(days) - 1), newest),
            Period::Between(from, to) => (from, to),
        }
    }
}

/// The bed types the occupancy chart shows: one class, one scope, or
/// both (`None`: every one), read from the URL's `bed_class` and `scope`
/// (any other value: every one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BedFilter {
    pub class: Option<BedClass>,
    pub scope: Option<Scope>,
}

impl BedFilter {
    pub fn from_query(class: Option<&str>, scope: Option<&str>) -> Self {
        BedFilter {
            class: class.and_then(BedClass::parse),
            scope: scope.and_then(Scope::parse),
        }
    }

    /// Whether the bed type `class`/`scope` is shown.
    pub fn shows(self, class: BedClass, scope: Scope) -> bool {
        self.class.is_none_or(|c| c == class) && self.scope.is_none_or(|s| s == scope)
    }
}

/// The raw series of one state, as the backend reads them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StateSeries {
    pub cases: Vec<CasesDay>,
    pub occupancy: Vec<OccupancyDay>,
    /// One row per day.
    pub srag: Vec<SragTotals>,
    /// The newest day of the state's SRAG data, whatever the period: the
    /// weeks near it are still filling in.
    pub srag_newest: Option<NaiveDate>,
    /// Patients and exits of the occupancy register, one row per day.
    pub patients: Vec<PatientsDay>,
    /// Every city of the state by cases per 100,000 inhabitants, most
    /// affected first: the map's values, and the list above a population.
    pub every_city: Vec<RankingEntry>,
    /// The state's municipality outlines, when the geometry is collected.
    pub outlines: Option<CityOutlines>,
}

/// A state's municipality outlines and the view box that frames them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CityOutlines {
    pub view_box: String,
    pub cities: Vec<CityOutline>,
}

/// One municipality's outline: 7-digit IBGE code, name, SVG path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityOutline {
    pub code: String,
    pub name: String,
    pub path: String,
}

/// A chart: its SVG and the table of the values it draws (the same table
/// is its CSV download).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// Empty when there is nothing to draw.
    pub svg: String,
    /// The values are rates (shown as percentages).
    pub percent: bool,
    pub columns: Vec<String>,
    pub rows: Vec<(NaiveDate, Vec<Option<f64>>)>,
    /// What else to know to read it (e.g. the hospitals behind the last day).
    pub note: Option<String>,
    /// Where the method behind it is described (a path of the site).
    pub doc: Option<String>,
    /// The first row that is forecast, not data: the period covered ends
    /// before it.
    pub forecast_from: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bed_filters_come_from_the_url_or_show_everything() {
        use BedClass::{Clinical, Icu};
        use Scope::{All, Covid};
        let icu = BedFilter::from_query(Some("icu"), None);
        assert!(icu.shows(Icu, All) && icu.shows(Icu, Covid));
        assert!(!icu.shows(Clinical, Covid));
        let odd = BedFilter::from_query(Some("sofa"), Some("covid"));
        assert_eq!(
            odd,
            BedFilter {
                class: None,
                scope: Some(Covid)
            }
        );
        assert!(odd.shows(Clinical, Covid) && !odd.shows(Clinical, All));
    }

    #[test]
    fn periods_come_from_presets_or_dates() {
        assert_eq!(Period::from_query(Some("30"), None, None), Period::Last(30));
        assert_eq!(Period::from_query(Some("31"), None, None), Period::DEFAULT);
        let (from, to) = (
            NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2021, 2, 1).unwrap(),
        );
        assert_eq!(
            Period::from_query(Some("30"), Some("2021-01-01"), Some("2021-02-01")),
            Period::Between(from, to)
        );
        assert_eq!(
            Period::from_query(None, Some("2021-02-01"), Some("2021-01-01")),
            Period::DEFAULT
        );
        assert_eq!(
            Period::Last(7).range(to),
            (NaiveDate::from_ymd_opt(2021, 1, 26).unwrap(), to)
        );
    }

    #[test]
    fn a_period_the_page_cannot_show_is_refused_not_dropped() {
        for (period, from, to) in [
            (Some("abc"), None, None),
            (Some("31"), None, None),
            (None, Some("2021-02-01"), Some("2021-01-01")),
            (None, Some("2021-02-30"), Some("2021-03-01")),
            (None, Some("2021-02-01"), None),
        ] {
            assert!(
                Period::refused(period, from, to),
                "{period:?} {from:?} {to:?}"
            );
        }
        for (period, from, to) in [
            (None, None, None),
            (Some("30"), None, None),
            (Some("90"), None, None),
            (None, Some("2021-01-01"), Some("2021-01-01")),
        ] {
            assert!(
                !Period::refused(period, from, to),
                "{period:?} {from:?} {to:?}"
            );
        }
    }
}
