//! covid19br (W. Cota) `cases-brazil-states.csv`: one row per state and day,
//! plus `TOTAL` rows for the whole country, which become `uf = "BR"`.
//! Corrections make `newCases`/`newDeaths` negative now and then: kept.

use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Bad, Sink, count, date, non_negative, read_csv, uf};

/// One state (or the country, `BR`) on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesStateRow {
    pub uf: String,
    #[serde(with = "super::arrow_time::date")]
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
    pub new_cases: i64,
    pub new_deaths: i64,
}

/// The code the country's rows carry.
pub const COUNTRY: &str = "BR";

/// Parses a whole file; a file without the needed columns is an error.
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<CasesStateRow>,
) -> anyhow::Result<()> {
    let columns = [
        "date",
        "state",
        "totalCases",
        "deaths",
        "newCases",
        "newDeaths",
    ];
    read_csv(
        file,
        input,
        columns,
        |[day, state, total, deaths, new_cases, new_deaths]| {
            Ok(CasesStateRow {
                uf: place(state)?,
                date: date("date", day)?,
                cases: non_negative("totalCases", total)?,
                deaths: non_negative("deaths", deaths)?,
                new_cases: count("newCases", new_cases)?,
                new_deaths: count("newDeaths", new_deaths)?,
            })
        },
        sink,
    )
}

/// A state code, or [`COUNTRY`] for `TOTAL`.
pub fn place(state: &str) -> Result<String, Bad> {
    match state.trim() {
        "TOTAL" => Ok(COUNTRY.to_owned()),
        other => uf(other).ok_or_else(|| Bad::new("state", other, "not a state code nor TOTAL")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

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
        let parsed = parse_all(parse, "sample.csv", SAMPLE.as_bytes()).unwrap();
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
                (7, "deaths", "negative count"),
                (8, "totalCases", "not a whole number"),
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_is_refused() {
        let error = parse_all(parse, "x.csv", b"date,state\n2020-01-01,SP\n").unwrap_err();
        assert!(error.to_string().contains("totalCases"), "{error}");
    }
}
