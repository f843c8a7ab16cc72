//! Estimated population per municipality (Brasil.IO
//! `populacao-por-municipio-YYYY.csv`, from IBGE's estimates): the
//! denominator of every per-100,000 figure.

use serde::{Deserialize, Serialize};

use super::{Header, Parsed, integer, uf};
use crate::ingest::reject::Reject;

/// One municipality's estimated population.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationRow {
    pub uf: String,
    /// 7-digit IBGE code.
    pub city_ibge: String,
    pub city: String,
    pub population: i64,
}

/// Parses one file.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed<PopulationRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = Header::new(
        reader
            .headers()
            .map_err(|e| format!("unreadable header: {e}"))?,
    );
    let [state, code, city, population] =
        header.require(["state", "city_ibge_code", "city", "estimated_population"])?;
    let mut parsed = Parsed {
        rows: Vec::new(),
        rejects: Vec::new(),
    };
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let reject = |field: &str, value: &str, reason: &str| Reject {
            file: file.to_owned(),
            line,
            field: field.to_owned(),
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                parsed
                    .rejects
                    .push(reject("", "", &format!("unreadable row: {error}")));
                continue;
            }
        };
        let get = |i: usize| record.get(i).unwrap_or("");
        let Some(place) = uf(get(state)) else {
            parsed
                .rejects
                .push(reject("state", get(state), "not a state code"));
            continue;
        };
        let ibge = get(code).trim();
        if ibge.len() != 7 || !ibge.bytes().all(|b| b.is_ascii_digit()) {
            parsed
                .rejects
                .push(reject("city_ibge_code", ibge, "not a 7-digit IBGE code"));
            continue;
        }
        let people = match integer(get(population)) {
            Ok(Some(people)) if people > 0 => people,
            Ok(_) => {
                parsed.rejects.push(reject(
                    "estimated_population",
                    get(population),
                    "blank or not positive",
                ));
                continue;
            }
            Err(reason) => {
                parsed
                    .rejects
                    .push(reject("estimated_population", get(population), reason));
                continue;
            }
        };
        parsed.rows.push(PopulationRow {
            uf: place,
            city_ibge: ibge.to_owned(),
            city: get(city).trim().to_owned(),
            population: people,
        });
    }
    Ok(parsed)
}
