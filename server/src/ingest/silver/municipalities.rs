//! The municipality reference: IBGE's list (bronze) →
//! `silver/municipalities` (one row per 7-digit code, by code), the
//! conformed list other sources' municipality codes are checked and
//! completed against ([`Codes`]: SIVEP-Gripe's 6-digit codes), and their
//! city names matched against ([`Names`]: the hospitals' cities).

use std::collections::HashMap;

use app::catalog::vocabulary::CityMatch;

use arrow_schema::{DataType, FieldRef};

use crate::ingest::{
    bronze::formats::ibge_municipalities::{self, MunicipalityRow},
    parquet::{self, column},
    silver::edition::{Conform, Edition, Files, last_by_key},
};
use crate::{
    folding::folded,
    lake::{Key, Lake, Layer},
};

const SILVER: &str = "municipalities/data.parquet";

fn fields() -> Vec<FieldRef> {
    vec![
        column("city_ibge", DataType::Utf8, false),
        column("city_ibge6", DataType::Utf8, false),
        column("name", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("state_code", DataType::Utf8, false),
        column("lat", DataType::Float64, true),
        column("lon", DataType::Float64, true),
        column("capital", DataType::Boolean, true),
    ]
}

/// How the list is refined: its newest edition replaces silver.
pub const EDITION: Edition<MunicipalityRow> = Edition {
    fields,
    parse: ibge_municipalities::parse,
    files: Files::Newest,
    // One row per municipality, by code.
    conform: Conform::Whole(|rows| last_by_key(rows, |r| &r.city_ibge)),
    silver: SILVER,
    date: |_| None,
    place: |r| &r.city_ibge,
};

/// The 7-digit code of each 6-digit one (the code without its check
/// digit), from the list in silver. The check digit is looked up, never
/// computed: a few codes do not follow IBGE's check-digit rule.
#[derive(Debug)]
pub struct Codes(HashMap<String, String>);

/// The list from silver; `None` when it has not been collected.
async fn rows(lake: &dyn Lake) -> anyhow::Result<Option<Vec<MunicipalityRow>>> {
    let key = Key::new(Layer::Silver, SILVER)?;
    if !lake.exists(&key).await? {
        return Ok(None);
    }
    Ok(Some(parquet::read(lake, &key).await?))
}

impl Codes {
    /// Reads the list from silver; `None` when it has not been collected.
    pub async fn load(lake: &dyn Lake) -> anyhow::Result<Option<Self>> {
        Ok(rows(lake).await?.map(|rows| {
            Codes(
                rows.into_iter()
                    .map(|row| (row.city_ibge6, row.city_ibge))
                    .collect(),
            )
        }))
    }

    /// The 7-digit code of a 6-digit one, if the list has it.
    pub fn full(&self, six: &str) -> Option<&str> {
        self.0.get(six).map(String::as_str)
    }
}

/// The 7-digit codes of the municipalities of each state by name, the
/// name folded (accents, case and spacing aside).
#[derive(Debug, Default)]
pub struct Names(HashMap<(String, String), Vec<String>>);

impl Names {
    /// Reads the list from silver; empty when it has not been collected
    /// (every name is then unmatched).
    pub async fn load(lake: &dyn Lake) -> anyhow::Result<Self> {
        Ok(Names::of(rows(lake).await?.unwrap_or_default()))
    }

    fn of(rows: Vec<MunicipalityRow>) -> Self {
        let mut names: HashMap<(String, String), Vec<String>> = HashMap::new();
        for row in rows {
            names
                .entry((row.uf, folded(&row.name)))
                .or_default()
                .push(row.city_ibge);
        }
        Names(names)
    }

    /// The code of the one municipality of `uf` named `name`; no code when
    /// none or several are.
    pub fn find(&self, uf: &str, name: &str) -> (CityMatch, Option<&str>) {
        match self
            .0
            .get(&(uf.to_owned(), folded(name)))
            .map(Vec::as_slice)
        {
            Some([code]) => (CityMatch::Matched, Some(code.as_str())),
            Some([_, _, ..]) => (CityMatch::Ambiguous, None),
            _ => (CityMatch::Unmatched, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(code: &str, name: &str, uf: &str) -> MunicipalityRow {
        MunicipalityRow {
            city_ibge: code.into(),
            city_ibge6: code[..6].into(),
            name: name.into(),
            uf: uf.into(),
            state_code: code[..2].into(),
            lat: None,
            lon: None,
            capital: None,
        }
    }

    #[test]
    fn names_match_aside_accents_case_and_spacing_and_are_never_guessed() {
        let names = Names::of(vec![
            city("3550308", "São Paulo", "SP"),
            city("2900001", "Santa Rita", "BA"),
            city("2900002", "SANTA RITA", "BA"),
            city("2507507", "Santa Rita", "PB"),
        ]);
        assert_eq!(
            names.find("SP", "  sao   PAULO "),
            (CityMatch::Matched, Some("3550308"))
        );
        assert_eq!(
            names.find("PB", "Santa Rita"),
            (CityMatch::Matched, Some("2507507"))
        );
        assert_eq!(names.find("BA", "santa rita"), (CityMatch::Ambiguous, None));
        assert_eq!(names.find("RJ", "São Paulo"), (CityMatch::Unmatched, None));
        assert_eq!(names.find("SP", "Sao Paolo"), (CityMatch::Unmatched, None));
        assert_eq!(
            Names::default().find("SP", "São Paulo"),
            (CityMatch::Unmatched, None)
        );
    }
}
