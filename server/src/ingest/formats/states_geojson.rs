//! State boundaries as GeoJSON (a `FeatureCollection` of `Polygon` or
//! `MultiPolygon` features): `../shared/data/geo/states.geojson` names each
//! state by `sigla`, IBGE's mesh API (`/api/v3/malhas/…?formato=
//! application/vnd.geo+json&intrarregiao=UF`) by its 2-digit `codarea`.
//! Bronze holds every vertex: one row per state, polygon, ring and position.

use std::io::Read;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Bad, Sink, uf};

/// One vertex of a state's boundary, in degrees (WGS 84).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VertexRow {
    pub uf: String,
    /// The polygon of a multipolygon, from 0.
    pub polygon: i64,
    /// The ring of the polygon: 0 is the outer boundary, others are holes.
    pub ring: i64,
    /// The vertex's position in its ring.
    pub seq: i64,
    pub lon: f64,
    pub lat: f64,
}

/// IBGE's 2-digit state codes.
const STATE_CODES: [(&str, &str); 27] = [
    ("11", "RO"),
    ("12", "AC"),
    ("13", "AM"),
    ("14", "RR"),
    ("15", "PA"),
    ("16", "AP"),
    ("17", "TO"),
    ("21", "MA"),
    ("22", "PI"),
    ("23", "CE"),
    ("24", "RN"),
    ("25", "PB"),
    ("26", "PE"),
    ("27", "AL"),
    ("28", "SE"),
    ("29", "BA"),
    ("31", "MG"),
    ("32", "ES"),
    ("33", "RJ"),
    ("35", "SP"),
    ("41", "PR"),
    ("42", "SC"),
    ("43", "RS"),
    ("50", "MS"),
    ("51", "MT"),
    ("52", "GO"),
    ("53", "DF"),
];

/// The feature's state: `sigla`, or the IBGE code in `codarea`/`codigo_ibg`.
fn state_of(properties: &Value) -> Result<String, Bad> {
    if let Some(sigla) = properties["sigla"].as_str() {
        return uf(sigla).ok_or_else(|| Bad::new("sigla", sigla, "not a state code"));
    }
    for field in ["codarea", "codigo_ibg"] {
        let code = match &properties[field] {
            Value::String(text) => text.trim().to_owned(),
            Value::Number(number) => number.to_string(),
            _ => continue,
        };
        return STATE_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, uf)| (*uf).to_owned())
            .ok_or_else(|| Bad::new(field, &code, "not an IBGE state code"));
    }
    Err(Bad::new(
        "properties",
        "",
        "no sigla, codarea or codigo_ibg",
    ))
}

/// The polygons of a geometry: rings of `[lon, lat]` positions.
fn polygons(geometry: &Value) -> Result<Vec<&Value>, Bad> {
    let coordinates = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Polygon") => Ok(vec![coordinates]),
        Some("MultiPolygon") => coordinates
            .as_array()
            .map(|list| list.iter().collect())
            .ok_or_else(|| Bad::new("coordinates", "", "not a list of polygons")),
        other => Err(Bad::new(
            "type",
            other.unwrap_or(""),
            "not a Polygon or MultiPolygon",
        )),
    }
}

fn vertices(uf: &str, geometry: &Value) -> Result<Vec<VertexRow>, Bad> {
    let mut rows = Vec::new();
    for (p, polygon) in polygons(geometry)?.into_iter().enumerate() {
        let rings = polygon
            .as_array()
            .ok_or_else(|| Bad::new("coordinates", "", "not a polygon"))?;
        for (r, ring) in rings.iter().enumerate() {
            let positions = ring
                .as_array()
                .ok_or_else(|| Bad::new("coordinates", "", "not a ring"))?;
            for (seq, position) in positions.iter().enumerate() {
                let (lon, lat) = match (position[0].as_f64(), position[1].as_f64()) {
                    (Some(lon), Some(lat))
                        if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) =>
                    {
                        (lon, lat)
                    }
                    _ => {
                        return Err(Bad::new(
                            "coordinates",
                            &position.to_string(),
                            "not a longitude and latitude",
                        ));
                    }
                };
                rows.push(VertexRow {
                    uf: uf.to_owned(),
                    polygon: p as i64,
                    ring: r as i64,
                    seq: seq as i64,
                    lon,
                    lat,
                });
            }
        }
    }
    Ok(rows)
}

/// Parses one file; a feature that cannot be used is a reject (its line is
/// its position in the collection, from 1).
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<VertexRow>,
) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).context("reading the file")?;
    let collection: Value = serde_json::from_slice(&bytes).context("not JSON")?;
    let features = collection["features"]
        .as_array()
        .context("not a GeoJSON FeatureCollection")?;
    for (index, feature) in features.iter().enumerate() {
        match state_of(&feature["properties"]).and_then(|uf| vertices(&uf, &feature["geometry"])) {
            Ok(rows) => {
                for row in rows {
                    sink.row(row)?;
                }
            }
            Err(bad) => sink.reject(bad.at(file, index as u64 + 1)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::formats::parse_all;

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
