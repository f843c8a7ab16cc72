//! State boundaries as GeoJSON (a `FeatureCollection` of `Polygon` or
//! `MultiPolygon` features): `../shared/data/geo/states.geojson` names each
//! state by `sigla`, IBGE's mesh API (`/api/v3/malhas/…?formato=
//! application/vnd.geo+json&intrarregiao=UF`) by its 2-digit `codarea`.
//! Bronze holds every vertex: one row per state, polygon, ring and position
//! (the state's code is its UF).

use std::io::Read;

use app::catalog::vocabulary::Uf;
use serde_json::Value;

use super::{
    Bad, Sink,
    geojson::{VertexRow, parse_features, vertices},
    uf,
};

/// The state of an IBGE code: its first two digits (a state's own code, or
/// a municipality's prefix).
pub fn state_of_code(code: &str) -> Option<&'static str> {
    Uf::of_ibge(code).map(Uf::code)
}

/// A code property written as text or as a number.
pub fn code_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The feature's state: `sigla`, or the IBGE code in `codarea`/`codigo_ibg`.
fn state_of(properties: &Value) -> Result<String, Bad> {
    if let Some(sigla) = properties["sigla"].as_str() {
        return uf(sigla).ok_or_else(|| Bad::new("sigla", sigla, "not a state code"));
    }
    for field in ["codarea", "codigo_ibg"] {
        let Some(code) = code_text(&properties[field]) else {
            continue;
        };
        return state_of_code(&code)
            .map(str::to_owned)
            .ok_or_else(|| Bad::new(field, &code, "not an IBGE state code"));
    }
    Err(Bad::new(
        "properties",
        "",
        "no sigla, codarea or codigo_ibg",
    ))
}

/// A state's boundary as vertex rows.
fn state_vertices(uf: String, geometry: &Value) -> Result<Vec<VertexRow>, Bad> {
    let name = Uf::parse(&uf).map(Uf::name).unwrap_or_default();
    Ok(vertices(geometry)?
        .into_iter()
        .map(|vertex| VertexRow::new(&uf, &uf, name, vertex))
        .collect())
}

/// Parses one file; a feature that cannot be used is a reject (its line is
/// its position in the collection, from 1).
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<VertexRow>,
) -> anyhow::Result<()> {
    parse_features(file, input, sink, |feature| {
        state_vertices(state_of(&feature["properties"])?, &feature["geometry"])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    #[test]
    fn reads_polygons_and_multipolygons_by_sigla_or_ibge_code() {
        let json = br#"{"type":"FeatureCollection","features":[
          {"properties":{"sigla":"df"},"geometry":{"type":"Polygon","coordinates":[[[-48,-15],[-47,-15],[-47,-16],[-48,-15]]]}},
          {"properties":{"codarea":"35"},"geometry":{"type":"MultiPolygon","coordinates":[[[[-50,-22],[-49,-22],[-50,-23],[-50,-22]]],[[[-45,-24],[-44,-24],[-45,-25],[-45,-24]]]]}},
          {"properties":{"sigla":"XX"},"geometry":{"type":"Polygon","coordinates":[]}},
          {"properties":{"sigla":"RJ"},"geometry":{"type":"Point","coordinates":[-43,-22]}}
        ]}"#;
        let parsed = parse_all(parse, "states.geojson", json).unwrap();
        assert_eq!(parsed.rows.iter().filter(|v| v.uf == "DF").count(), 4);
        let sp: Vec<_> = parsed.rows.iter().filter(|v| v.uf == "SP").collect();
        assert_eq!((sp.len(), sp[4].polygon, sp[4].lon), (8, 1, -45.0));
        let reasons: Vec<_> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (3, "not a state code"),
                (4, "not a Polygon or MultiPolygon")
            ]
        );
        assert!(parse_all(parse, "x", b"[1, 2]").is_err());
    }
}
