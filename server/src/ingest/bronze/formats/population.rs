//! Estimated population per municipality (Brasil.IO
//! `populacao-por-municipio-YYYY.csv`, from IBGE's estimates): the
//! denominator of every per-100,000 figure.

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::{Bad, Sink, non_negative, read_csv, uf};

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
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<PopulationRow>,
) -> anyhow::Result<()> {
    let columns = ["state", "city_ibge_code", "city", "estimated_population"];
    read_csv(
        file,
        input,
        columns,
        |[state, code, city, population]| {
            let uf = uf(state).ok_or_else(|| Bad::new("state", state, "not a state code"))?;
            let ibge = code.trim();
            if ibge.len() != 7 || !ibge.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Bad::new("city_ibge_code", ibge, "not a 7-digit IBGE code"));
            }
            let population = match non_negative("estimated_population", population)? {
                0 => {
                    return Err(Bad::new(
                        "estimated_population",
                        population,
                        "zero population",
                    ));
                }
                people => people,
            };
            Ok(PopulationRow {
                uf,
                city_ibge: ibge.to_owned(),
                city: city.trim().to_owned(),
                population,
            })
        },
        sink,
    )
}
