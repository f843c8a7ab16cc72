//! SIVEP-Gripe summary (`sum_dados_*.csv.xz`, covid19br/sumario_SIVEP):
//! severe acute respiratory syndrome (SRAG) hospitalisations and deaths per
//! event day, age class, municipality of residence and state; `covid` are
//! the confirmed COVID-19 cases among them. Blank or `NA` state and
//! municipality are kept as blank: those rows count apart from the states.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Header, Parsed, integer};
use crate::ingest::reject::Reject;

/// One group of hospitalisations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SragRow {
    /// State code, or blank when unknown.
    pub uf: String,
    /// 6-digit IBGE code of the municipality of residence (no check digit),
    /// or blank when unknown.
    pub city_ibge6: String,
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
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed<SragRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = Header::new(
        reader
            .headers()
            .map_err(|e| format!("unreadable header: {e}"))?,
    );
    let [date, age, city, uf, srag, covid, deaths_srag, deaths_covid] = header.require([
        "dt_evento",
        "age_class",
        "co_mun_res",
        "sg_uf",
        "srag",
        "covid",
        "ob.srag",
        "ob.covid",
    ])?;
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
        let Ok(day) = NaiveDate::parse_from_str(get(date).trim(), "%Y-%m-%d") else {
            parsed
                .rejects
                .push(reject("dt_evento", get(date), "not a YYYY-MM-DD date"));
            continue;
        };
        let mut counts = [0i64; 4];
        let mut bad = None;
        for (slot, (name, position)) in counts.iter_mut().zip([
            ("srag", srag),
            ("covid", covid),
            ("ob.srag", deaths_srag),
            ("ob.covid", deaths_covid),
        ]) {
            match integer(get(position)) {
                Ok(Some(value)) if value >= 0 => *slot = value,
                Ok(Some(_)) => bad = Some(reject(name, get(position), "negative count")),
                Ok(None) => bad = Some(reject(name, "", "blank count")),
                Err(reason) => bad = Some(reject(name, get(position), reason)),
            }
            if bad.is_some() {
                break;
            }
        }
        let [all, confirmed, deaths_all, deaths_confirmed] = counts;
        if bad.is_none() && (confirmed > all || deaths_confirmed > deaths_all) {
            bad = Some(reject(
                "covid",
                get(covid),
                "more confirmed than hospitalised, or confirmed deaths than deaths",
            ));
        }
        if let Some(reject) = bad {
            parsed.rejects.push(reject);
            continue;
        }
        parsed.rows.push(SragRow {
            uf: known(get(uf)).to_ascii_uppercase(),
            city_ibge6: known(get(city)),
            date: day,
            age_class: get(age).trim().to_owned(),
            srag: all,
            covid: confirmed,
            deaths_srag: deaths_all,
            deaths_covid: deaths_confirmed,
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand-made rows following the summary's header.
    const SAMPLE: &str = "\"dt_evento\",\"age_class\",\"co_mun_res\",\"sg_uf\",\"srag\",\"covid\",\"ob.srag\",\"ob.covid\"\n\
        2020-03-01,\"age_1\",\"260720\",\"PE\",3,1,1,0\n\
        2020-03-01,\"age_1\",NA,NA,1,0,0,0\n\
        2020-03-02,\"age_2\",\"260720\",\"PE\",1,2,0,0\n\
        2020-03-0x,\"age_2\",\"260720\",\"PE\",1,0,0,0\n";

    #[test]
    fn keeps_unknown_places_blank_and_rejects_inconsistent_counts() {
        let parsed = parse("sum.csv", SAMPLE.as_bytes()).unwrap();
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
