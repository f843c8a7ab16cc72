//! covid19br (W. Cota) `cases-brazil-cities-time.csv(.gz)`: one row per
//! city and day since its first case; and `cases-brazil-cities.csv`, each
//! city's totals on one date, with the same columns (plus the health
//! region in later files, in another order). Rows with a 2-digit `ibgeID` are
//! "case without a defined place" in a state, and `TOTAL` rows the country;
//! both are kept apart from the cities (blank `city_ibge`, `uf` = the state
//! or `BR`).

use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Bad, Sink, count, date, non_negative, read_csv, wcota_states::place};

/// One city (or a place kept apart) on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesCityRow {
    pub uf: String,
    /// 7-digit IBGE code; blank for rows kept apart.
    pub city_ibge: String,
    pub city: String,
    #[serde(with = "super::arrow_time::date")]
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
    pub new_cases: i64,
    pub new_deaths: i64,
}

/// Parses one file (already decompressed).
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<CasesCityRow>,
) -> anyhow::Result<()> {
    let columns = [
        "date",
        "state",
        "city",
        "ibgeID",
        "totalCases",
        "deaths",
        "newCases",
        "newDeaths",
    ];
    read_csv(
        file,
        input,
        columns,
        |[day, state, city, ibge, total, deaths, new_cases, new_deaths]| {
            let code = ibge.trim();
            let city_ibge = match (state.trim(), code.len()) {
                ("TOTAL", _) | (_, 2) if code.bytes().all(|b| b.is_ascii_digit()) => String::new(),
                (_, 7) if code.bytes().all(|b| b.is_ascii_digit()) => code.to_owned(),
                _ => {
                    return Err(Bad::new(
                        "ibgeID",
                        code,
                        "not a 7-digit city or 2-digit state code",
                    ));
                }
            };
            let name = city.trim();
            Ok(CasesCityRow {
                uf: place(state)?,
                city_ibge,
                // "São Paulo/SP" → "São Paulo".
                city: name
                    .rsplit_once('/')
                    .map_or(name, |(name, _)| name)
                    .to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    // Hand-made rows following the file's documented header.
    const SAMPLE: &str = "date,country,state,city,ibgeID,newDeaths,deaths,newCases,totalCases\n\
        2020-03-06,Brazil,SP,São Paulo/SP,3550308,0,0,1,1\n\
        2020-03-06,Brazil,ES,CASO SEM LOCALIZAÇÃO DEFINIDA/ES,32,0,0,1,1\n\
        2020-03-06,Brazil,TOTAL,TOTAL,0,0,0,2,2\n\
        2020-03-06,Brazil,SP,Nowhere/SP,123,0,0,1,1\n";

    #[test]
    fn cities_unknown_places_and_totals() {
        let parsed = parse_all(parse, "cities.csv", SAMPLE.as_bytes()).unwrap();
        let rows: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (r.uf.as_str(), r.city_ibge.as_str(), r.city.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("SP", "3550308", "São Paulo"),
                ("ES", "", "CASO SEM LOCALIZAÇÃO DEFINIDA"),
                ("BR", "", "TOTAL"),
            ]
        );
        assert_eq!(parsed.rejects.len(), 1);
        assert_eq!(parsed.rejects[0].field, "ibgeID");
    }
}
