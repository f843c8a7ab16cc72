//! Every gold table: its name in the store and the lake, the formats whose
//! silver it is computed from (so the sources credited beside its figures
//! are exactly those that fed it), and the period a series of it covers
//! when a request names none.

use super::Format;

/// A gold table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GoldTable {
    /// Cases and deaths per state (and the country) and day.
    CasesState,
    /// Cases and deaths per city and day.
    CasesCity,
    /// The most and least affected states and cities.
    Ranking,
    /// Bed occupancy per state, day, bed class and scope.
    OccupancyState,
    /// The occupancy register's suspected and confirmed patients per state
    /// and day.
    OccupancyPatients,
    /// SRAG hospitalisations and deaths per state and day.
    SragState,
    /// The states' and cities' outlines as SVG paths.
    Geometry,
    /// SRAG hospitalisations, confirmed and deaths of the newest weeks per
    /// state (and Brazil) and epidemiological week, corrected for
    /// reporting delay: the count so far, the median and intervals of the
    /// eventual count, at every vintage (docs/nowcast.md).
    SragNowcast,
    /// The short (3-week) and long (6-week) trend of each state's nowcast
    /// series, with its probability of increase, at every vintage.
    SragTrend,
    /// The two weeks after the newest ended week, per state and measure,
    /// at every vintage.
    SragOutlook,
    /// The nowcast's and the outlook's backtest at the newest vintage, per
    /// measure and week back or ahead.
    SragBacktest,
    /// Bed occupancy per hospital, day, bed class and scope, with its
    /// respirators, the age of its report and the 7-day change.
    OccupancyHospital,
    /// Every hospital of the occupancy data: its name, city (with its IBGE
    /// code when the match is sure), size, latest rates and last report.
    Hospital,
}

/// The formats of the daily case series, and the population they are
/// divided by.
const CASES: &[Format] = &[
    Format::WcotaStates,
    Format::WcotaCitiesTime,
    Format::WcotaCities,
    Format::BrasilioCaso,
    Format::Population,
];

/// The occupancy reports, and the municipality list their cities are
/// matched against.
const HOSPITALS: &[Format] = &[
    Format::OccupancySnapshot,
    Format::OccupancyApi,
    Format::IbgeMunicipalities,
];

impl GoldTable {
    pub const ALL: [GoldTable; 13] = [
        GoldTable::CasesState,
        GoldTable::CasesCity,
        GoldTable::Ranking,
        GoldTable::OccupancyState,
        GoldTable::OccupancyPatients,
        GoldTable::SragState,
        GoldTable::Geometry,
        GoldTable::SragNowcast,
        GoldTable::SragTrend,
        GoldTable::SragOutlook,
        GoldTable::SragBacktest,
        GoldTable::OccupancyHospital,
        GoldTable::Hospital,
    ];

    /// Its table in the store; its staging twin adds `_next`.
    pub fn name(self) -> &'static str {
        match self {
            GoldTable::CasesState => "gold_cases_state",
            GoldTable::CasesCity => "gold_cases_city",
            GoldTable::Ranking => "gold_ranking",
            GoldTable::OccupancyState => "gold_occupancy_state",
            GoldTable::OccupancyPatients => "gold_occupancy_patients",
            GoldTable::SragState => "gold_srag_state",
            GoldTable::Geometry => "gold_geometry",
            GoldTable::SragNowcast => "gold_srag_nowcast",
            GoldTable::SragTrend => "gold_srag_trend",
            GoldTable::SragOutlook => "gold_srag_outlook",
            GoldTable::SragBacktest => "gold_srag_backtest",
            GoldTable::OccupancyHospital => "gold_occupancy_hospital",
            GoldTable::Hospital => "gold_hospital",
        }
    }

    /// The formats whose silver it is computed from.
    pub fn formats(self) -> &'static [Format] {
        match self {
            GoldTable::CasesState | GoldTable::CasesCity | GoldTable::Ranking => CASES,
            GoldTable::OccupancyState => &[Format::OccupancySnapshot, Format::OccupancyApi],
            GoldTable::OccupancyPatients => &[Format::OccupancyOpendatasus],
            GoldTable::SragState => &[Format::SivepSummary],
            GoldTable::Geometry => &[Format::StatesGeojson, Format::MunicipalitiesGeojson],
            GoldTable::SragNowcast
            | GoldTable::SragTrend
            | GoldTable::SragOutlook
            | GoldTable::SragBacktest => &[Format::SivepVintages],
            GoldTable::OccupancyHospital | GoldTable::Hospital => HOSPITALS,
        }
    }

    /// The days a series of it covers, up to its newest, when a request
    /// names no period.
    pub fn default_days(self) -> i64 {
        match self {
            // SIVEP's weeks: a month is what a sales manager compares.
            GoldTable::SragState => 28,
            // The nowcast's weeks: the 8 newest ended weeks of a vintage.
            GoldTable::SragNowcast => 56,
            _ => 90,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_feeds_a_table() {
        let fed: Vec<Format> = GoldTable::ALL
            .iter()
            .flat_map(|t| t.formats().iter().copied())
            .collect();
        assert!(
            fed.contains(&Format::WcotaCities),
            "the per-date city totals"
        );
        assert!(
            fed.contains(&Format::IbgeMunicipalities),
            "the hospitals' cities"
        );
        let names: std::collections::HashSet<_> = GoldTable::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names.len(), GoldTable::ALL.len());
    }
}
