//! The map's geometry, an ingested reference: state boundaries (bronze:
//! every vertex) → `silver/geometry_states` (each ring simplified with
//! Ramer–Douglas–Peucker, [`TOLERANCE_DEGREES`]; rings that vanish at that
//! tolerance, tiny islets, are left out) → `gold/geometry`: one SVG path per
//! state in a fixed plane projection, ready for the dashboard's map.
//!
//! Projection: equirectangular around Brazil's middle latitude (15° S),
//! 10 units per degree of latitude; the map's view box is [`VIEW_BOX`],
//! x growing east and y south, coordinates rounded to 0.1 unit.

use std::{collections::BTreeMap, time::Instant};

use arrow_schema::{DataType, FieldRef};
use geo::{LineString, Simplify};
use serde::{Deserialize, Serialize};

use super::{
    bronze::{Conform, Edition},
    formats::states_geojson::{self, VertexRow},
    metrics::StageMetrics,
    parquet::{self, column},
};
use crate::lake::{Key, Lake, Layer};

const SILVER: &str = "geometry_states/data.parquet";
const GOLD: &str = "geometry/data.parquet";
/// What simplification may move a boundary by, in degrees (about 4 km).
pub const TOLERANCE_DEGREES: f64 = 0.04;
/// The map's SVG view box: `minX minY width height`.
pub const VIEW_BOX: &str = "0 0 387 395";
const WEST: f64 = -74.5;
const NORTH: f64 = 5.5;
const UNITS_PER_DEGREE: f64 = 10.0;

fn fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("polygon", DataType::Int64, false),
        column("ring", DataType::Int64, false),
        column("seq", DataType::Int64, false),
        column("lon", DataType::Float64, false),
        column("lat", DataType::Float64, false),
    ]
}

fn gold_fields() -> Vec<FieldRef> {
    vec![
        column("level", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("code", DataType::Utf8, false),
        column("name", DataType::Utf8, false),
        column("path", DataType::Utf8, false),
    ]
}

/// How this source is refined: its newest edition replaces silver.
pub const EDITION: Edition<VertexRow> = Edition {
    fields,
    parse: states_geojson::parse,
    conform: Conform::Whole(simplify),
    silver: SILVER,
    date: |_| None,
};

/// One place's outline on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeometryGold {
    /// `state`.
    pub level: String,
    pub uf: String,
    /// The state code for states.
    pub code: String,
    pub name: String,
    /// SVG path data in [`VIEW_BOX`].
    pub path: String,
}

/// The vertices by ring, in order.
fn rings(rows: Vec<VertexRow>) -> BTreeMap<(String, i64, i64), Vec<VertexRow>> {
    let mut rings: BTreeMap<(String, i64, i64), Vec<VertexRow>> = BTreeMap::new();
    for row in rows {
        rings
            .entry((row.uf.clone(), row.polygon, row.ring))
            .or_default()
            .push(row);
    }
    for ring in rings.values_mut() {
        ring.sort_by_key(|v| v.seq);
    }
    rings
}

/// Simplifies every ring, renumbering the vertices it keeps.
fn simplify(rows: Vec<VertexRow>) -> Vec<VertexRow> {
    let mut kept = Vec::new();
    for ((uf, polygon, ring), vertices) in rings(rows) {
        let line: LineString<f64> = vertices.iter().map(|v| (v.lon, v.lat)).collect();
        let simple = line.simplify(TOLERANCE_DEGREES);
        // A closed ring needs three distinct corners.
        if simple.0.len() < 4 {
            continue;
        }
        kept.extend(simple.0.iter().enumerate().map(|(seq, c)| VertexRow {
            uf: uf.clone(),
            polygon,
            ring,
            seq: seq as i64,
            lon: c.x,
            lat: c.y,
        }));
    }
    kept
}

/// A point of the map, in view-box units.
fn project(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon - WEST) * (-15.0_f64).to_radians().cos() * UNITS_PER_DEGREE;
    let y = (NORTH - lat) * UNITS_PER_DEGREE;
    (x, y)
}

/// SVG path data of rings: absolute first point, then relative steps.
fn path<'a>(rings: impl Iterator<Item = &'a Vec<VertexRow>>) -> String {
    let round = |v: f64| (v * 10.0).round() as i64;
    let tenth = |v: i64| match v % 10 {
        0 => (v / 10).to_string(),
        _ => format!(
            "{}{}.{}",
            if v < 0 { "-" } else { "" },
            v.abs() / 10,
            v.abs() % 10
        ),
    };
    let mut d = String::new();
    for ring in rings {
        let mut previous: Option<(i64, i64)> = None;
        for vertex in ring {
            let (x, y) = project(vertex.lon, vertex.lat);
            let (x, y) = (round(x), round(y));
            match previous {
                None => d.push_str(&format!("M{} {}", tenth(x), tenth(y))),
                Some((px, py)) if (px, py) == (x, y) => continue,
                Some((px, py)) => d.push_str(&format!("l{} {}", tenth(x - px), tenth(y - py))),
            }
            previous = Some((x, y));
        }
        d.push('z');
    }
    d
}

/// Builds each state's path from silver and writes `gold/geometry`.
pub async fn gold(lake: &dyn Lake) -> anyhow::Result<(Vec<GeometryGold>, StageMetrics)> {
    let started = Instant::now();
    let vertices: Vec<VertexRow> = parquet::read(lake, &Key::new(Layer::Silver, SILVER)?).await?;
    let inputs = vertices.len() as u64;
    let mut by_state: BTreeMap<String, Vec<Vec<VertexRow>>> = BTreeMap::new();
    for ((uf, _, _), ring) in rings(vertices) {
        by_state.entry(uf).or_default().push(ring);
    }
    let rows: Vec<GeometryGold> = by_state
        .into_iter()
        .map(|(uf, rings)| GeometryGold {
            level: "state".into(),
            code: uf.clone(),
            name: app::indicators::state_name(&uf)
                .unwrap_or_default()
                .to_owned(),
            path: path(rings.iter()),
            uf,
        })
        .collect();
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold geometry",
        started,
        inputs,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vertex(seq: i64, lon: f64, lat: f64) -> VertexRow {
        VertexRow {
            uf: "DF".into(),
            polygon: 0,
            ring: 0,
            seq,
            lon,
            lat,
        }
    }

    #[test]
    fn simplification_drops_needless_vertices_and_vanishing_rings() {
        let square = vec![
            vertex(0, -48.0, -15.0),
            vertex(1, -47.5, -15.001),
            vertex(2, -47.0, -15.0),
            vertex(3, -47.0, -16.0),
            vertex(4, -48.0, -16.0),
            vertex(5, -48.0, -15.0),
        ];
        let mut islet = vec![
            vertex(0, -40.0, -20.0),
            vertex(1, -40.001, -20.0),
            vertex(2, -40.0, -20.001),
            vertex(3, -40.0, -20.0),
        ];
        for v in &mut islet {
            v.ring = 1;
        }
        let kept = simplify([square, islet].concat());
        assert_eq!(kept.len(), 5, "the near-collinear vertex and the islet go");
        assert!(kept.iter().all(|v| v.ring == 0));
    }

    #[test]
    fn paths_are_relative_after_the_first_point_in_tenths() {
        let ring = vec![
            vertex(0, -48.0, -15.0),
            vertex(1, -47.0, -15.0),
            vertex(2, -47.0, -16.0),
            vertex(3, -48.0, -15.0),
        ];
        let d = path([ring].iter());
        assert!(d.starts_with("M256 205l"), "{d}");
        assert!(d.ends_with('z'));
        assert!(d.contains("l9.6 0"), "{d}");
        assert!(d.contains("l0 10"), "{d}");
    }
}
