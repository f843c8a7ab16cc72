//! covid19br (W. Cota) `cases-brazil-cities-time.csv(.gz)`: one row per
//! city and day since its first case. Rows with a 2-digit `ibgeID` are
//! "case without a defined place" in a state, and `TOTAL` rows the country;
//! both are kept apart from the cities (blank `city_ibge`, `uf` = the state
//! or `BR`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Header, Parsed, integer, uf, wcota_states::COUNTRY};
use crate::ingest::reject::Reject;

/// One city (or a place kept apart) on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesCityRow {
    pub uf: String,
    /// 7-digit IBGE code; blank for rows kept apart.
    pub city_ibge: String,
    pub city: String,
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
    pub new_cases: i64,
    pub new_deaths: i64,
}

/// Parses one file (already decompressed).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed<CasesCityRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = Header::new(
        reader
            .headers()
            .map_err(|e| format!("unreadable header: {e}"))?,
    );
    let [
        date,
        state,
        city,
        ibge,
        total_cases,
        deaths,
        new_cases,
        new_deaths,
    ] = header.require([
        "date",
        "state",
        "city",
        "ibgeID",
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
        let code = get(ibge).trim();
        let (place, city_ibge) = match (get(state).trim(), code.len()) {
            ("TOTAL", _) => (COUNTRY.to_owned(), String::new()),
            (other, 2 | 7) if code.bytes().all(|b| b.is_ascii_digit()) => match uf(other) {
                Some(place) => (
                    place,
                    if code.len() == 7 {
                        code.to_owned()
                    } else {
                        String::new()
                    },
                ),
                None => {
                    parsed
                        .rejects
                        .push(reject("state", other, "not a state code nor TOTAL"));
                    continue;
                }
            },
            _ => {
                parsed.rejects.push(reject(
                    "ibgeID",
                    code,
                    "not a 7-digit city or 2-digit state code",
                ));
                continue;
            }
        };
        let Ok(day) = NaiveDate::parse_from_str(get(date).trim(), "%Y-%m-%d") else {
            parsed
                .rejects
                .push(reject("date", get(date), "not a YYYY-MM-DD date"));
            continue;
        };
        let mut numbers = [0i64; 4];
        let mut bad = None;
        for (slot, (name, position)) in numbers.iter_mut().zip([
            ("totalCases", total_cases),
            ("deaths", deaths),
            ("newCases", new_cases),
            ("newDeaths", new_deaths),
        ]) {
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
        let name = get(city).trim();
        parsed.rows.push(CasesCityRow {
            uf: place,
            // "São Paulo/SP" → "São Paulo".
            city: name
                .rsplit_once('/')
                .map_or(name, |(name, _)| name)
                .to_owned(),
            city_ibge,
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

    // Hand-made rows following the file's documented header.
    const SAMPLE: &str = "date,country,state,city,ibgeID,newDeaths,deaths,newCases,totalCases\n\
        2020-03-06,Brazil,SP,São Paulo/SP,3550308,0,0,1,1\n\
        2020-03-06,Brazil,ES,CASO SEM LOCALIZAÇÃO DEFINIDA/ES,32,0,0,1,1\n\
        2020-03-06,Brazil,TOTAL,TOTAL,0,0,0,2,2\n\
        2020-03-06,Brazil,SP,Nowhere/SP,123,0,0,1,1\n";

    #[test]
    fn cities_unknown_places_and_totals() {
        let parsed = parse("cities.csv", SAMPLE.as_bytes()).unwrap();
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
