//! SIVEP-Gripe summary (`sum_dados_*.csv.xz`, covid19br/sumario_SIVEP):
//! severe acute respiratory syndrome (SRAG) hospitalisations and deaths per
//! event day, age class, municipality of residence and state; `covid` are
//! the confirmed COVID-19 cases among them. Blank or `NA` state and
//! municipality are kept as blank: those rows count apart from the states.

use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Bad, Sink, date, non_negative, read_csv};

/// One group of hospitalisations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SragRow {
    /// State code, or blank when unknown.
    pub uf: String,
    /// 6-digit IBGE code of the municipality of residence (no check digit),
    /// or blank when unknown.
    pub city_ibge6: String,
    /// Its 7-digit code, looked up in the municipality list as silver is
    /// written; blank in bronze, and blank in silver when the code is not in
    /// the list (or the list has not been collected).
    pub city_ibge: String,
    #[serde(with = "super::arrow_time::date")]
    pub date: NaiveDate,
    pub age_class: String,
    /// All SRAG hospitalisations (suspected and confirmed).
    pub srag: i64,
    /// Confirmed COVID-19 among them.
    pub covid: i64,
    pub deaths_srag: i64,
    pub deaths_covid: i64,
}

fn known(text: &str) -> String {
    match text.trim() {
        "NA" => String::new(),
        other => other.to_owned(),
    }
}

/// Parses one file (already decompressed).
pub fn parse(file: &str, input: &mut dyn Read, sink: &mut dyn Sink<SragRow>) -> anyhow::Result<()> {
    let columns = [
        "dt_evento",
        "age_class",
        "co_mun_res",
        "sg_uf",
        "srag",
        "covid",
        "ob.srag",
        "ob.covid",
    ];
    read_csv(
        file,
        input,
        columns,
        |[day, age, city, uf, srag, covid, deaths_srag, deaths_covid]| {
            let row = SragRow {
                date: date("dt_evento", day)?,
                srag: non_negative("srag", srag)?,
                covid: non_negative("covid", covid)?,
                deaths_srag: non_negative("ob.srag", deaths_srag)?,
                deaths_covid: non_negative("ob.covid", deaths_covid)?,
                uf: known(uf).to_ascii_uppercase(),
                city_ibge6: known(city),
                city_ibge: String::new(),
                age_class: age.trim().to_owned(),
            };
            if row.covid > row.srag || row.deaths_covid > row.deaths_srag {
                return Err(Bad::new(
                    "covid",
                    covid,
                    "more confirmed than hospitalised, or confirmed deaths than deaths",
                ));
            }
            Ok(row)
        },
        sink,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    // Hand-made rows following the summary's header.
    const SAMPLE: &str = "\"dt_evento\",\"age_class\",\"co_mun_res\",\"sg_uf\",\"srag\",\"covid\",\"ob.srag\",\"ob.covid\"\n\
        2020-03-01,\"age_1\",\"260720\",\"PE\",3,1,1,0\n\
        2020-03-01,\"age_1\",NA,NA,1,0,0,0\n\
        2020-03-02,\"age_2\",\"260720\",\"PE\",1,2,0,0\n\
        2020-03-0x,\"age_2\",\"260720\",\"PE\",1,0,0,0\n";

    #[test]
    fn keeps_unknown_places_blank_and_rejects_inconsistent_counts() {
        let parsed = parse_all(parse, "sum.csv", SAMPLE.as_bytes()).unwrap();
        let rows: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (r.uf.as_str(), r.city_ibge6.as_str(), r.srag))
            .collect();
        assert_eq!(rows, vec![("PE", "260720", 3), ("", "", 1)]);
        let rejects: Vec<_> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(rejects, vec![(4, "covid"), (5, "dt_evento")]);
    }
}
