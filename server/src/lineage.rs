//! Lineage of gold: the units (groups of gold tables computed together),
//! each from the silver of the formats that feed its tables. A unit's inputs are the committed
//! silver versions of the configured sources of those formats; a unit
//! whose recorded inputs differ from them is behind and is computed again
//! by the next run, whatever that run collected itself.

use std::collections::{BTreeMap, HashMap};

use app::catalog::{Format, GoldTable};

use crate::{
    sources::SourceConfig,
    store::{SilverEdition, Store},
};

/// A group of gold tables computed together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Cases and deaths per state and city, and the rankings.
    Cases,
    /// The map outlines.
    Geometry,
    /// SRAG hospitalisations per state.
    Srag,
    /// The occupancy register's patients per state.
    Patients,
    /// Bed occupancy per state.
    Occupancy,
    /// The hospitals: their occupancy per day and their summary.
    Hospitals,
    /// The nowcast of SIVEP's newest weeks, its trends and outlook, from
    /// the weekly vintages.
    Nowcast,
}

impl Unit {
    pub const ALL: [Unit; 7] = [
        Unit::Cases,
        Unit::Geometry,
        Unit::Srag,
        Unit::Patients,
        Unit::Occupancy,
        Unit::Hospitals,
        Unit::Nowcast,
    ];

    /// Its name in the store's lineage and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Cases => "cases",
            Unit::Geometry => "geometry",
            Unit::Srag => "srag",
            Unit::Patients => "patients",
            Unit::Occupancy => "occupancy",
            Unit::Hospitals => "hospitals",
            Unit::Nowcast => "nowcast",
        }
    }

    /// The gold tables it computes.
    pub fn tables(self) -> &'static [GoldTable] {
        match self {
            Unit::Cases => &[
                GoldTable::CasesState,
                GoldTable::CasesCity,
                GoldTable::Ranking,
            ],
            Unit::Geometry => &[GoldTable::Geometry],
            Unit::Srag => &[GoldTable::SragState],
            Unit::Patients => &[GoldTable::OccupancyPatients],
            Unit::Occupancy => &[GoldTable::OccupancyState],
            Unit::Hospitals => &[GoldTable::OccupancyHospital, GoldTable::Hospital],
            Unit::Nowcast => &[
                GoldTable::SragNowcast,
                GoldTable::SragTrend,
                GoldTable::SragOutlook,
                GoldTable::SragBacktest,
            ],
        }
    }

    /// The formats whose silver it reads: those that feed its tables.
    pub fn formats(self) -> Vec<Format> {
        let mut formats: Vec<Format> = Vec::new();
        for format in self.tables().iter().flat_map(|t| t.formats()) {
            if !formats.contains(format) {
                formats.push(*format);
            }
        }
        formats
    }

    /// Its inputs: each configured source of its formats that has committed
    /// silver, with that silver's version; and, once there is one, the
    /// tables it computes ([`TABLES`]), so a release that adds a table to
    /// a unit computes it on its first run, not on the next new data.
    pub fn inputs(
        self,
        sources: &[SourceConfig],
        committed: &HashMap<String, SilverEdition>,
    ) -> BTreeMap<String, String> {
        let mut inputs = versions_of(sources, &self.formats(), committed);
        if !inputs.is_empty() {
            let tables: Vec<&str> = self.tables().iter().map(|t| t.name()).collect();
            inputs.insert(TABLES.to_owned(), tables.join(","));
        }
        inputs
    }
}

/// The key of a unit's tables among its inputs (no source name starts
/// with `~`).
pub const TABLES: &str = "~tables";

/// The committed silver versions of the configured sources of `formats`.
pub fn versions_of(
    sources: &[SourceConfig],
    formats: &[Format],
    committed: &HashMap<String, SilverEdition>,
) -> BTreeMap<String, String> {
    sources
        .iter()
        .filter(|source| formats.contains(&source.format))
        .filter_map(|source| {
            committed
                .get(&source.name)
                .map(|edition| (source.name.clone(), edition.version.clone()))
        })
        .collect()
}

/// The units whose published gold was not computed from the committed
/// silver (`recorded`: each unit's inputs as published, JSON).
pub fn behind(
    sources: &[SourceConfig],
    committed: &HashMap<String, SilverEdition>,
    recorded: &BTreeMap<String, String>,
) -> Vec<Unit> {
    Unit::ALL
        .into_iter()
        .filter(|unit| {
            let inputs = unit.inputs(sources, committed);
            !inputs.is_empty() && recorded.get(unit.name()) != Some(&encode(&inputs))
        })
        .collect()
}

/// The units whose published gold is behind the silver committed in `store`.
pub async fn lagging(store: &Store, sources: &[SourceConfig]) -> anyhow::Result<Vec<Unit>> {
    let committed = store
        .silver_editions()
        .await?
        .into_iter()
        .map(|edition| (edition.source.clone(), edition))
        .collect();
    let recorded = store.gold_inputs().await?;
    Ok(behind(sources, &committed, &recorded))
}

/// Inputs as the store records them.
pub fn encode(inputs: &BTreeMap<String, String>) -> String {
    serde_json::to_string(inputs).expect("a map of strings serialises")
}

/// The formats whose committed silver a format's silver is refined with:
/// SIVEP's city codes come from the municipality list.
pub fn refined_with(format: Format) -> &'static [Format] {
    match format {
        Format::SivepSummary => &[Format::IbgeMunicipalities],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(source: &str, version: &str) -> (String, SilverEdition) {
        let edition = SilverEdition {
            source: source.into(),
            raw_digest: "d".into(),
            version: version.into(),
            newest_date: None,
            profile: "{}".into(),
            depends: "{}".into(),
            committed_at: chrono::Utc::now(),
        };
        (source.into(), edition)
    }

    #[test]
    fn a_unit_is_behind_until_its_inputs_are_recorded() {
        let sources = crate::sources::load(None).unwrap();
        let committed: HashMap<_, _> = [edition("cases-states", "r1"), edition("population", "r2")]
            .into_iter()
            .collect();
        let mut recorded = BTreeMap::new();
        assert_eq!(behind(&sources, &committed, &recorded), vec![Unit::Cases]);
        let inputs = Unit::Cases.inputs(&sources, &committed);
        assert_eq!(inputs.len(), 3, "two sources and the tables: {inputs:?}");
        recorded.insert("cases".to_owned(), encode(&inputs));
        assert_eq!(behind(&sources, &committed, &recorded), vec![]);
        // The same silver, recorded when the unit computed fewer tables.
        let mut fewer = inputs.clone();
        fewer.insert(TABLES.to_owned(), "gold_cases_state".to_owned());
        recorded.insert("cases".to_owned(), encode(&fewer));
        assert_eq!(behind(&sources, &committed, &recorded), vec![Unit::Cases]);
        recorded.insert("cases".to_owned(), encode(&inputs));
        let newer: HashMap<_, _> = [edition("cases-states", "r3"), edition("population", "r2")]
            .into_iter()
            .collect();
        assert_eq!(behind(&sources, &newer, &recorded), vec![Unit::Cases]);
    }
}
