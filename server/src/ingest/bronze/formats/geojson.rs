//! What the GeoJSON formats share: the features of a collection, the
//! vertices of a feature's `Polygon` or `MultiPolygon` geometry (checked to
//! be longitudes and latitudes), and the vertex rows they become.

use std::io::Read;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Bad, Sink};

/// One vertex of a place's boundary, as bronze and silver hold it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VertexRow {
    /// The state the place is in.
    pub uf: String,
    /// The place: the UF for a state, the 7-digit IBGE code for a
    /// municipality.
    pub code: String,
    /// The place's name; empty when the source does not give it.
    pub name: String,
    pub polygon: i64,
    pub ring: i64,
    pub seq: i64,
    pub lon: f64,
    pub lat: f64,
}

impl VertexRow {
    pub fn new(uf: &str, code: &str, name: &str, vertex: Vertex) -> Self {
        VertexRow {
            uf: uf.to_owned(),
            code: code.to_owned(),
            name: name.to_owned(),
            polygon: vertex.polygon,
            ring: vertex.ring,
            seq: vertex.seq,
            lon: vertex.lon,
            lat: vertex.lat,
        }
    }
}

/// One vertex of a boundary: its polygon (of a multipolygon, from 0), its
/// ring (0 is the outer boundary, others are holes), its position in the
/// ring, and its longitude and latitude in degrees (WGS 84).
pub struct Vertex {
    pub polygon: i64,
    pub ring: i64,
    pub seq: i64,
    pub lon: f64,
    pub lat: f64,
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

/// Every vertex of a geometry, in order.
pub fn vertices(geometry: &Value) -> Result<Vec<Vertex>, Bad> {
    let mut vertices = Vec::new();
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
                vertices.push(Vertex {
                    polygon: p as i64,
                    ring: r as i64,
                    seq: seq as i64,
                    lon,
                    lat,
                });
            }
        }
    }
    Ok(vertices)
}

/// Parses a `FeatureCollection` read whole from `input`: each feature
/// becomes its vertex rows by `rows`, or a reject at its position in the
/// collection (from 1).
pub fn parse_features(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<VertexRow>,
    rows: impl Fn(&Value) -> Result<Vec<VertexRow>, Bad>,
) -> anyhow::Result<()> {
    for (index, feature) in features(input)?.iter().enumerate() {
        match rows(feature) {
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

/// The features of a `FeatureCollection` read whole from `input`.
fn features(input: &mut dyn Read) -> anyhow::Result<Vec<Value>> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).context("reading the file")?;
    let collection: Value = serde_json::from_slice(&bytes).context("not JSON")?;
    match collection {
        Value::Object(mut members) => match members.remove("features") {
            Some(Value::Array(features)) => Ok(features),
            _ => bail!("not a GeoJSON FeatureCollection"),
        },
        _ => bail!("not a GeoJSON FeatureCollection"),
    }
}
