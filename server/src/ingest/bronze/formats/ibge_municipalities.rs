//! IBGE's list of municipalities, in either of its two public forms, told
//! apart by content (JSON starts with `[`, or `{` for an API error): the CSV
//! `municipios.csv` (kelvins/Municipios-Brasileiros: `codigo_ibge, nome,
//! latitude, longitude, capital, codigo_uf`, UTF-8 with a byte-order mark)
//! and the JSON of IBGE's localities API (`/api/v1/localidades/municipios`:
//! `id`, `nome`, `microrregiao.mesorregiao.UF.{id, sigla}`; where that path
//! is null the state comes from the code's first two digits). A code must
//! have 7 digits and agree with the state given beside it.

use std::io::{BufRead, BufReader, Read};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Bad, Sink, read_csv,
    states_geojson::{code_text, state_of_code},
};

/// One municipality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityRow {
    /// 7-digit IBGE code (the last digit is a check digit).
    pub city_ibge: String,
    /// The code without its check digit, as SIVEP-Gripe writes it.
    pub city_ibge6: String,
    pub name: String,
    pub uf: String,
    /// 2-digit IBGE state code.
    pub state_code: String,
    /// Latitude and longitude of the seat, when the source gives them.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Whether it is its state's capital, when the source says.
    pub capital: Option<bool>,
}

/// A municipality from its code, the states written beside it (field and
/// value: a 2-digit code or a UF) and its name; each must be the code's.
fn municipality(
    code_field: &str,
    code: &str,
    states: &[(&str, &str)],
    name: &str,
) -> Result<MunicipalityRow, Bad> {
    let code = code.trim();
    if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Bad::new(code_field, code, "not a 7-digit IBGE code"));
    }
    let uf = state_of_code(code)
        .ok_or_else(|| Bad::new(code_field, code, "no state has this code's prefix"))?;
    if let Some((field, given)) = states
        .iter()
        .find(|(_, given)| ![&code[..2], uf].contains(&given.trim()))
    {
        return Err(Bad::new(
            field,
            given,
            format!("the code {code} is of state {} ({uf})", &code[..2]),
        ));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(Bad::new("nome", name, "blank name"));
    }
    Ok(MunicipalityRow {
        city_ibge: code.to_owned(),
        city_ibge6: code[..6].to_owned(),
        name: name.to_owned(),
        uf: uf.to_owned(),
        state_code: code[..2].to_owned(),
        lat: None,
        lon: None,
        capital: None,
    })
}

/// A coordinate within `limit` degrees; blank is `None`.
fn degrees(field: &str, text: &str, limit: f64) -> Result<Option<f64>, Bad> {
    match text.trim() {
        "" => Ok(None),
        text => match text.parse::<f64>() {
            Ok(value) if value.abs() <= limit => Ok(Some(value)),
            _ => Err(Bad::new(
                field,
                text,
                format!("not a coordinate within ±{limit}°"),
            )),
        },
    }
}

/// Parses one file, CSV or JSON.
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<MunicipalityRow>,
) -> anyhow::Result<()> {
    let mut input = BufReader::new(input);
    let first = input
        .fill_buf()
        .context("reading the list")?
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && ![0xEF, 0xBB, 0xBF].contains(b));
    match first {
        Some(b'[' | b'{') => parse_json(file, &mut input, sink),
        _ => parse_csv(file, &mut input, sink),
    }
}

fn parse_csv(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<MunicipalityRow>,
) -> anyhow::Result<()> {
    let columns = [
        "codigo_ibge",
        "nome",
        "latitude",
        "longitude",
        "capital",
        "codigo_uf",
    ];
    read_csv(
        file,
        input,
        columns,
        |[code, name, lat, lon, capital, state]| {
            let capital = match capital.trim() {
                "1" => true,
                "0" => false,
                other => return Err(Bad::new("capital", other, "not 0 or 1")),
            };
            Ok(MunicipalityRow {
                lat: degrees("latitude", lat, 90.0)?,
                lon: degrees("longitude", lon, 180.0)?,
                capital: Some(capital),
                ..municipality("codigo_ibge", code, &[("codigo_uf", state)], name)?
            })
        },
        sink,
    )
}

/// The API's array; a reject's line is the object's position, from 1.
fn parse_json(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<MunicipalityRow>,
) -> anyhow::Result<()> {
    let list: Vec<Value> =
        serde_json::from_reader(input).context("not a JSON array of municipalities")?;
    for (index, object) in list.iter().enumerate() {
        // Null or missing where IBGE has not placed the municipality yet.
        let state = &object["microrregiao"]["mesorregiao"]["UF"];
        let state_id = code_text(&state["id"]);
        let states: Vec<(&str, &str)> = [
            state_id.as_deref().map(|id| ("UF.id", id)),
            state["sigla"].as_str().map(|sigla| ("UF.sigla", sigla)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let name = object["nome"].as_str().unwrap_or_default();
        let outcome = code_text(&object["id"])
            .ok_or_else(|| Bad::new("id", "", "no code"))
            .and_then(|code| municipality("id", &code, &states, name));
        match outcome {
            Ok(row) => sink.row(row)?,
            Err(bad) => sink.reject(bad.at(file, index as u64 + 1)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::{Parsed, parse_all};

    fn lines_and_fields(parsed: &Parsed<MunicipalityRow>) -> Vec<(u64, &str)> {
        parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect()
    }

    // Hand-made rows following each form's documented fields.
    const CSV: &str = "\u{feff}codigo_ibge,nome,latitude,longitude,capital,codigo_uf\n\
        3550308,São Paulo,-23.5329,-46.6395,1,35\n\
        355030,Six digits,-23.5,-46.6,0,35\n\
        3304557,Rio de Janeiro,-22.9129,-43.2003,1,35\n\
        5300108,Brasília,,,1,53\n";

    #[test]
    fn reads_the_csv_and_rejects_bad_codes() {
        let parsed = parse_all(parse, "municipios.csv", CSV.as_bytes()).unwrap();
        let rows: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (r.city_ibge6.as_str(), r.uf.as_str(), r.capital, r.lat))
            .collect();
        assert_eq!(
            rows,
            [
                ("355030", "SP", Some(true), Some(-23.5329)),
                ("530010", "DF", Some(true), None)
            ]
        );
        assert_eq!(
            lines_and_fields(&parsed),
            [(3, "codigo_ibge"), (4, "codigo_uf")]
        );
    }

    #[test]
    fn reads_the_api_with_or_without_the_state_path() {
        let json = r#" [
          {"id": 3550308, "nome": "São Paulo", "microrregiao": {"mesorregiao": {"UF": {"id": 35, "sigla": "SP"}}}},
          {"id": 5101837, "nome": "Boa Esperança do Norte", "microrregiao": null},
          {"id": 3304557, "nome": "Rio de Janeiro", "microrregiao": {"mesorregiao": {"UF": {"id": 33, "sigla": "SP"}}}},
          {"id": "12", "nome": "Acre"}
        ]"#;
        let parsed = parse_all(parse, "municipios", json.as_bytes()).unwrap();
        let rows: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (r.city_ibge.as_str(), r.uf.as_str(), r.capital))
            .collect();
        assert_eq!(rows, [("3550308", "SP", None), ("5101837", "MT", None)]);
        assert_eq!(lines_and_fields(&parsed), [(3, "UF.sigla"), (4, "id")]);

        let error = parse_all(parse, "municipios", br#"{"message": "Not Found"}"#).unwrap_err();
        assert!(
            format!("{error:#}").contains("not a JSON array"),
            "{error:#}"
        );
    }
}
