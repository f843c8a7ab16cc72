//! The hospitals of the occupancy reports: `silver/hospitals`, one row per
//! hospital (normalised CNES) with its latest name, city and state, and
//! its city's IBGE code when the municipality list has exactly one
//! municipality of that name in that state ([`Names`]); the cities kept
//! apart, no municipality or several by that name, go to
//! `silver/hospital_rejects` with their reason and are counted. A code is
//! never guessed. Derived from the occupancy silver and the list whenever
//! the hospitals' gold is computed.

use std::time::Instant;

use arrow_schema::{DataType, FieldRef};
use serde::{Deserialize, Serialize};

use app::catalog::{runs::StageMetrics, vocabulary::CityMatch};

use crate::ingest::{
    bronze::{formats::occupancy_snapshot::Notification, reject::Reject, reject_fields},
    parquet::{self, column},
    silver::municipalities::Names,
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "hospitals/data.parquet";
const REJECTS: &str = "hospital_rejects/data.parquet";

/// Who and where a hospital is: the columns every hospital table starts
/// with.
pub fn place_fields() -> Vec<FieldRef> {
    vec![
        column("cnes", DataType::Utf8, false),
        column("name", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("city_ibge", DataType::Utf8, true),
    ]
}

/// Silver's columns: the place, and how its city matched.
pub fn fields() -> Vec<FieldRef> {
    let mut fields = place_fields();
    fields.push(column("city_match", DataType::Utf8, false));
    fields
}

/// One hospital, as its reports name and place it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hospital {
    pub cnes: String,
    /// The latest non-blank `nomeCnes`.
    pub name: String,
    /// The state of the latest report.
    pub uf: String,
    /// The latest non-blank `municipio`.
    pub city: String,
    /// When `city_match` is `matched`.
    pub city_ibge: Option<String>,
    pub city_match: CityMatch,
}

/// The hospitals met so far, and the cities kept apart.
pub struct Directory {
    names: Names,
    started: Instant,
    hospitals: Vec<Hospital>,
    apart: Vec<Reject>,
    unmatched: u64,
    ambiguous: u64,
}

/// The latest non-blank value of a field of reports sorted by time.
fn latest(reports: &[Notification], field: fn(&Notification) -> &str) -> &str {
    reports
        .iter()
        .rev()
        .map(field)
        .find(|value| !value.is_empty())
        .unwrap_or("")
}

impl Directory {
    pub fn new(names: Names) -> Self {
        Directory {
            names,
            started: Instant::now(),
            hospitals: Vec::new(),
            apart: Vec::new(),
            unmatched: 0,
            ambiguous: 0,
        }
    }

    /// Adds one hospital from its reports (sorted by report time, at
    /// least one) and returns it.
    pub fn add(&mut self, reports: &[Notification]) -> &Hospital {
        let newest = reports.last().expect("a hospital has a report");
        let (name, city) = (latest(reports, |r| &r.name), latest(reports, |r| &r.city));
        let (city_match, code) = self.names.find(&newest.uf, city);
        let reason = match city_match {
            CityMatch::Matched => None,
            CityMatch::Unmatched => {
                self.unmatched += 1;
                Some("no municipality of the state has this name")
            }
            CityMatch::Ambiguous => {
                self.ambiguous += 1;
                Some("several municipalities of the state have this name")
            }
        };
        if let Some(reason) = reason {
            self.apart.push(Reject {
                file: "silver".into(),
                line: 0,
                field: "municipio".into(),
                value: format!("{city} ({})", newest.uf),
                reason: format!("{reason}: hospital {}", newest.cnes),
            });
        }
        self.hospitals.push(Hospital {
            cnes: newest.cnes.clone(),
            name: name.to_owned(),
            uf: newest.uf.clone(),
            city: city.to_owned(),
            city_ibge: code.map(str::to_owned),
            city_match,
        });
        self.hospitals.last().expect("just added")
    }

    /// Writes the hospitals and the cities kept apart to silver; returns
    /// the figures of the city match: one stage per reason a city is kept
    /// apart (hospitals in, matched out, kept apart for that reason).
    pub async fn write(self, lake: &dyn Lake) -> anyhow::Result<[StageMetrics; 2]> {
        let key = Key::new(Layer::Silver, SILVER)?;
        let bytes = parquet::write(lake, &key, &fields(), &self.hospitals).await?;
        let rejects = Key::new(Layer::Silver, REJECTS)?;
        let bytes = bytes + parquet::write(lake, &rejects, &reject_fields(), &self.apart).await?;
        let hospitals = self.hospitals.len() as u64;
        let matched = hospitals - self.unmatched - self.ambiguous;
        let stage = |reason: CityMatch, apart: u64| {
            StageMetrics::since(
                &format!("silver hospital city {reason}"),
                self.started,
                hospitals,
                matched,
                apart,
                bytes,
            )
        };
        Ok([
            stage(CityMatch::Unmatched, self.unmatched),
            stage(CityMatch::Ambiguous, self.ambiguous),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str, city: &str, uf: &str) -> Notification {
        let at = "2021-03-05T03:00:00Z".parse().unwrap();
        Notification {
            cnes: "0009768".into(),
            uf: uf.into(),
            city: city.into(),
            name: name.into(),
            notified_at: at,
            snapshot_at: at,
            offered_hosp_cli: 0,
            offered_hosp_uti: 0,
            offered_srag_cli: 0,
            offered_srag_uti: 0,
            occupied_hosp_cli: 0,
            occupied_hosp_uti: 0,
            occupied_srag_cli: 0,
            occupied_srag_uti: 0,
            respirators: None,
        }
    }

    #[test]
    fn a_hospital_keeps_its_latest_name_and_city_and_an_unknown_city_is_kept_apart() {
        let mut directory = Directory::new(Names::default());
        let hospital = directory
            .add(&[
                report("Hospital A", "Campinas", "SP"),
                report("Hospital B", "CAMPINAS", "SP"),
                report("", "", "SP"),
            ])
            .clone();
        assert_eq!(
            (hospital.name.as_str(), hospital.city.as_str()),
            ("Hospital B", "CAMPINAS")
        );
        assert_eq!(
            (hospital.city_match, hospital.city_ibge),
            (CityMatch::Unmatched, None)
        );
        assert_eq!(directory.unmatched, 1);
        assert_eq!(directory.apart[0].value, "CAMPINAS (SP)");
    }
}
