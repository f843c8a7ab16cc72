//! covid19br (W. Cota) `cases-brazil-states.csv`: one row per state and day,
//! plus `TOTAL` rows for the whole country, which become `uf = "BR"`.
//! Corrections make `newCases`/`newDeaths` negative now and then: kept.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Header, Parsed, integer, uf};
use crate::ingest::reject::Reject;

/// One state (or the country, `BR`) on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesStateRow {
    pub uf: String,
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
    pub new_cases: i64,
    pub new_deaths: i64,
}

/// The code the country's rows carry.
pub const COUNTRY: &str = "BR";

/// Parses a whole file; a file without the needed columns is an error.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed<CasesStateRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = Header::new(
        reader
            .headers()
            .map_err(|e| format!("unreadable header: {e}"))?,
    );
    let [date, state, total_cases, deaths, new_cases, new_deaths] = header.require([
        "date",
        "state",
        "totalCases",
        "deaths",
        "newCases",
        "newDeaths",
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
        let place = match get(state).trim() {
            "TOTAL" => COUNTRY.to_owned(),
            other => match uf(other) {
                Some(code) => code,
                None => {
                    parsed
                        .rejects
                        .push(reject("state", other, "not a state code nor TOTAL"));
                    continue;
                }
            },
        };
        let Ok(day) = NaiveDate::parse_from_str(get(date).trim(), "%Y-%m-%d") else {
            parsed
                .rejects
                .push(reject("date", get(date), "not a YYYY-MM-DD date"));
            continue;
        };
        let mut numbers = [0i64; 4];
        let columns = [
            ("totalCases", total_cases),
            ("deaths", deaths),
            ("newCases", new_cases),
            ("newDeaths", new_deaths),
        ];
        let mut bad = None;
        for (slot, (name, position)) in numbers.iter_mut().zip(columns) {
            match integer(get(position)) {
                Ok(Some(value)) if name.starts_with("new") || value >= 0 => *slot = value,
                Ok(Some(_)) => bad = Some(reject(name, get(position), "negative cumulative count")),
                Ok(None) => bad = Some(reject(name, "", "blank count")),
                Err(reason) => bad = Some(reject(name, get(position), reason)),
            }
            if bad.is_some() {
                break;
            }
        }
        if let Some(reject) = bad {
            parsed.rejects.push(reject);
            continue;
        }
        let [cases, deaths, new_cases, new_deaths] = numbers;
        parsed.rows.push(CasesStateRow {
            uf: place,
            date: day,
            cases,
            deaths,
            new_cases,
            new_deaths,
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A hand-made sample following the file's documented header, with its
    // columns reordered as happens between days.
    const SAMPLE: &str = "epi_week,date,country,city,state,newDeaths,deaths,newCases,totalCases\n\
        9,2020-02-25,Brazil,TOTAL,SP,0,0,1,1\n\
        9,2020-02-25,Brazil,TOTAL,TOTAL,0,0,1,1\n\
        9,2020-02-26,Brazil,TOTAL,sp,0,0,-1,0.0\n\
        9,2020-02-26,Brazil,TOTAL,XX,0,0,1,1\n\
        9,2020-02-3x,Brazil,TOTAL,RJ,0,0,1,1\n\
        9,2020-02-27,Brazil,TOTAL,RJ,0,-1,1,1\n\
        9,2020-02-27,Brazil,TOTAL,MG,0,0,1,1.5\n";

    #[test]
    fn parses_by_header_and_rejects_with_reasons() {
        let parsed = parse("sample.csv", SAMPLE.as_bytes()).unwrap();
        let places: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (r.uf.as_str(), r.new_cases, r.cases))
            .collect();
        assert_eq!(places, vec![("SP", 1, 1), ("BR", 1, 1), ("SP", -1, 0)]);
        let reasons: Vec<_> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (5, "state", "not a state code nor TOTAL"),
                (6, "date", "not a YYYY-MM-DD date"),
                (7, "deaths", "negative cumulative count"),
                (8, "totalCases", "not a whole number"),
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_is_refused() {
        let error = parse("x.csv", b"date,state\n2020-01-01,SP\n").unwrap_err();
        assert!(error.contains("totalCases"), "{error}");
    }
}
