//! Municipality boundaries as GeoJSON (a `FeatureCollection` of `Polygon`
//! or `MultiPolygon` features): `../shared/data/geo/municipalities/
//! geojs-UU-mun.json` (one file per state, tbrugz/geodata-br) names each
//! municipality by its 7-digit IBGE `id` with its `name`; IBGE's mesh API
//! (`/api/v3/malhas/…?intrarregiao=municipio`) by `codarea`, without names.
//! The state is the code's 2-digit prefix. Bronze holds every vertex.

use std::io::Read;

use serde_json::Value;

use super::{
    Bad, Sink,
    geojson::{VertexRow, parse_features, vertices},
    states_geojson::{code_text, state_of_code},
};

/// The feature's 7-digit code, its state and its name.
fn municipality_of(properties: &Value) -> Result<(String, &'static str, String), Bad> {
    let (field, code) = ["id", "codarea"]
        .into_iter()
        .find_map(|field| code_text(&properties[field]).map(|code| (field, code)))
        .ok_or_else(|| Bad::new("properties", "", "no id or codarea"))?;
    if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Bad::new(field, &code, "not a 7-digit IBGE code"));
    }
    let uf = state_of_code(&code)
        .ok_or_else(|| Bad::new(field, &code, "no state has this code's prefix"))?;
    let name = properties["name"].as_str().unwrap_or_default().trim();
    Ok((code.clone(), uf, name.to_owned()))
}

/// Parses one file; a feature that cannot be used is a reject (its line is
/// its position in the collection, from 1).
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<VertexRow>,
) -> anyhow::Result<()> {
    parse_features(file, input, sink, |feature| {
        let (code, uf, name) = municipality_of(&feature["properties"])?;
        Ok(vertices(&feature["geometry"])?
            .into_iter()
            .map(|vertex| VertexRow::new(uf, &code, &name, vertex))
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    #[test]
    fn reads_municipalities_by_id_or_codarea_and_rejects_bad_codes() {
        // Hand-made features following the two sources' properties.
        let json = r#"{"type":"FeatureCollection","features":[
          {"properties":{"id":"3550308","name":"São Paulo"},"geometry":{"type":"Polygon","coordinates":[[[-46.8,-23.5],[-46.4,-23.5],[-46.6,-23.9],[-46.8,-23.5]]]}},
          {"properties":{"codarea":5300108},"geometry":{"type":"Polygon","coordinates":[[[-48,-15],[-47,-15],[-47,-16],[-48,-15]]]}},
          {"properties":{"id":"355030","name":"six digits"},"geometry":{"type":"Polygon","coordinates":[]}},
          {"properties":{"id":"9900001"},"geometry":{"type":"Polygon","coordinates":[]}}
        ]}"#;
        let parsed = parse_all(parse, "geojs-35-mun.json", json.as_bytes()).unwrap();
        let sp = &parsed.rows[0];
        assert_eq!(
            (sp.uf.as_str(), sp.code.as_str(), sp.name.as_str()),
            ("SP", "3550308", "São Paulo")
        );
        assert_eq!(parsed.rows.iter().filter(|v| v.uf == "DF").count(), 4);
        assert!(
            parsed
                .rows
                .iter()
                .filter(|v| v.uf == "DF")
                .all(|v| v.name.is_empty())
        );
        let reasons: Vec<_> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (3, "not a 7-digit IBGE code"),
                (4, "no state has this code's prefix")
            ]
        );
    }
}
