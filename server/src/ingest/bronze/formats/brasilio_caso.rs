//! Brasil.IO's `caso` table (`caso.csv.gz` / `caso_full.csv.gz`): cumulative
//! confirmed cases and deaths per state (`place_type` `state`) and per city
//! (`city`) and day. Quirks handled: "Importados/Indefinidos" city rows
//! without a code are kept apart from the cities (blank `city_ibge`); early
//! rows leave `deaths` blank for none (zero); there is no country row (the
//! country is the sum of the states, in silver).

use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Bad, Sink, date, non_negative, read_csv, uf};

/// One state or city on one day, as the table gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasoRow {
    /// `state` or `city`.
    pub place_type: String,
    pub uf: String,
    /// 7-digit IBGE code of a city; blank for states and for cities kept
    /// apart.
    pub city_ibge: String,
    pub city: String,
    #[serde(with = "super::arrow_time::date")]
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
}

/// Parses one file (decompressed).
pub fn parse(file: &str, input: &mut dyn Read, sink: &mut dyn Sink<CasoRow>) -> anyhow::Result<()> {
    let columns = [
        "date",
        "state",
        "city",
        "place_type",
        "confirmed",
        "deaths",
        "city_ibge_code",
    ];
    read_csv(
        file,
        input,
        columns,
        |[day, state, city, place_type, confirmed, deaths, code]| {
            let code = code.trim();
            let city_ibge = match place_type.trim() {
                "state" => String::new(),
                "city" if code.is_empty() => String::new(),
                "city" if code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit()) => {
                    code.to_owned()
                }
                "city" => return Err(Bad::new("city_ibge_code", code, "not a 7-digit city code")),
                other => return Err(Bad::new("place_type", other, "neither state nor city")),
            };
            Ok(CasoRow {
                place_type: place_type.trim().to_owned(),
                uf: uf(state).ok_or_else(|| Bad::new("state", state, "not a state code"))?,
                city_ibge,
                city: city.trim().to_owned(),
                date: date("date", day)?,
                cases: non_negative("confirmed", confirmed)?,
                deaths: match deaths.trim() {
                    "" => 0,
                    _ => non_negative("deaths", deaths)?,
                },
            })
        },
        sink,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    // Hand-made rows following the table's documented header.
    const SAMPLE: &str = "date,state,city,place_type,confirmed,deaths,order_for_place,is_last,estimated_population_2019,city_ibge_code,confirmed_per_100k_inhabitants,death_rate\n\
        2020-03-30,sp,,state,1451,98,34,True,45919049,35,3.16,0.0675\n\
        2020-03-30,SP,São Paulo,city,1233,86,34,True,12252023,3550308,10.06,0.0697\n\
        2020-03-30,SC,Importados/Indefinidos,city,8,,6,True,,,,\n\
        2020-03-30,SP,Nowhere,city,1,0,1,True,,355030,,\n\
        2020-03-30,SP,,country,1,0,1,True,,,,\n\
        2020-03-30,SP,Santos,city,-1,0,1,True,,3548500,,\n";

    #[test]
    fn states_cities_places_kept_apart_and_rejects() {
        let parsed = parse_all(parse, "caso.csv", SAMPLE.as_bytes()).unwrap();
        let rows: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| {
                (
                    r.place_type.as_str(),
                    r.uf.as_str(),
                    r.city_ibge.as_str(),
                    r.cases,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("state", "SP", "", 1451),
                ("city", "SP", "3550308", 1233),
                ("city", "SC", "", 8),
            ]
        );
        assert_eq!(parsed.rows[2].deaths, 0, "a blank death count is none");
        let rejects: Vec<_> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(
            rejects,
            [(5, "city_ibge_code"), (6, "place_type"), (7, "confirmed")]
        );
    }
}
