//! The map's geometry, an ingested reference: state and municipality
//! boundaries (bronze: every vertex) → `silver/geometry_states` and
//! `silver/geometry_cities` (each ring simplified with Ramer–Douglas–Peucker
//! at [`STATE_TOLERANCE`] or [`CITY_TOLERANCE`] degrees; rings that vanish
//! at that tolerance, tiny islets, are left out) → `gold/geometry`: one SVG
//! path per place in a fixed plane projection, ready for the dashboard's
//! maps, with the box it spans (a state's box frames its city map).
//!
//! Projection: equirectangular around Brazil's middle latitude (15° S),
//! 10 units per degree of latitude; the country map's view box is
//! [`app::catalog::domain::MAP_VIEW_BOX`], x growing east and y south, coordinates rounded to 0.1 unit.

use std::{collections::BTreeMap, time::Instant};

use arrow_schema::{DataType, FieldRef};
use geo::{LineString, Simplify};

use app::{
    catalog::{runs::StageMetrics, vocabulary::PlaceKind},
    indicators::Outline,
};

use crate::ingest::{
    bronze::formats::{geojson::VertexRow, municipalities_geojson, states_geojson},
    parquet::{self, column},
    silver::edition::{Conform, Edition, Files},
};
use crate::lake::{Key, Lake, Layer};

const GOLD: &str = "geometry/data.parquet";
/// What simplification may move a state boundary by, in degrees (about 4 km).
pub const STATE_TOLERANCE: f64 = 0.04;
/// What it may move a municipality boundary by (about 1 km: the city map
/// shows one state).
pub const CITY_TOLERANCE: f64 = 0.01;
const WEST: f64 = -74.5;
const NORTH: f64 = 5.5;
const UNITS_PER_DEGREE: f64 = 10.0;

fn fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("code", DataType::Utf8, false),
        column("name", DataType::Utf8, false),
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
        column("view_box", DataType::Utf8, false),
    ]
}

/// State boundaries: the newest file replaces silver.
pub const STATES: Edition<VertexRow> = Edition {
    fields,
    parse: states_geojson::parse,
    files: Files::Newest,
    conform: Conform::Whole(|rows| simplify(rows, STATE_TOLERANCE)),
    silver: "geometry_states/data.parquet",
    date: |_| None,
    place: |r| &r.code,
};

/// Municipality boundaries: every file of a fetch together (one per state,
/// or one for the country) replaces silver.
pub const CITIES: Edition<VertexRow> = Edition {
    fields,
    parse: municipalities_geojson::parse,
    files: Files::Every,
    conform: Conform::Whole(|rows| simplify(rows, CITY_TOLERANCE)),
    silver: "geometry_cities/data.parquet",
    date: |_| None,
    place: |r| &r.code,
};

/// The vertices by place, polygon and ring, in order.
fn rings(rows: Vec<VertexRow>) -> BTreeMap<(String, i64, i64), Vec<VertexRow>> {
    let mut rings: BTreeMap<(String, i64, i64), Vec<VertexRow>> = BTreeMap::new();
    for row in rows {
        rings
            .entry((row.code.clone(), row.polygon, row.ring))
            .or_default()
            .push(row);
    }
    for ring in rings.values_mut() {
        ring.sort_by_key(|v| v.seq);
    }
    rings
}

/// Simplifies every ring at `tolerance` degrees, renumbering the vertices
/// it keeps.
fn simplify(rows: Vec<VertexRow>, tolerance: f64) -> Vec<VertexRow> {
    let mut kept = Vec::new();
    for (_, vertices) in rings(rows) {
        let line: LineString<f64> = vertices.iter().map(|v| (v.lon, v.lat)).collect();
        let simple = line.simplify(tolerance);
        // A closed ring needs three distinct corners.
        if simple.0.len() < 4 {
            continue;
        }
        let first = &vertices[0];
        kept.extend(simple.0.iter().enumerate().map(|(seq, c)| VertexRow {
            seq: seq as i64,
            lon: c.x,
            lat: c.y,
            ..first.clone()
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

/// SVG path data of rings (absolute first point, then relative steps) and
/// the view box they span.
fn path<'a>(rings: impl Iterator<Item = &'a Vec<VertexRow>>) -> (String, String) {
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
    let (mut min, mut max) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
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
            min = (min.0.min(x), min.1.min(y));
            max = (max.0.max(x), max.1.max(y));
        }
        d.push('z');
    }
    let view_box = match span(min, max) {
        Some((x, y, w, h)) => format!("{} {} {} {}", tenth(x), tenth(y), tenth(w), tenth(h)),
        None => String::new(),
    };
    (d, view_box)
}

/// The box from `min` to `max`, if any point was seen.
fn span(min: (i64, i64), max: (i64, i64)) -> Option<(i64, i64, i64, i64)> {
    (min.0 <= max.0).then(|| (min.0, min.1, max.0 - min.0, max.1 - min.1))
}

/// One gold row per place of a silver table, at `level`.
async fn places(
    lake: &dyn Lake,
    edition: &Edition<VertexRow>,
    level: PlaceKind,
) -> anyhow::Result<(u64, Vec<Outline>)> {
    if !edition.has_silver(lake).await? {
        return Ok((0, Vec::new()));
    }
    let vertices: Vec<VertexRow> =
        parquet::read(lake, &Key::new(Layer::Silver, edition.silver)?).await?;
    let inputs = vertices.len() as u64;
    let mut by_place: BTreeMap<String, Vec<Vec<VertexRow>>> = BTreeMap::new();
    for ((code, _, _), ring) in rings(vertices) {
        by_place.entry(code).or_default().push(ring);
    }
    let rows = by_place
        .into_iter()
        .map(|(code, rings)| {
            let (path, view_box) = path(rings.iter());
            let first = &rings[0][0];
            Outline {
                level,
                uf: first.uf.clone(),
                name: first.name.clone(),
                code,
                path,
                view_box,
            }
        })
        .collect();
    Ok((inputs, rows))
}

/// Builds each state's and municipality's path from silver and writes
/// `gold/geometry`.
pub async fn gold(lake: &dyn Lake) -> anyhow::Result<(Vec<Outline>, StageMetrics)> {
    let started = Instant::now();
    let (state_vertices, mut rows) = places(lake, &STATES, PlaceKind::State).await?;
    let (city_vertices, cities) = places(lake, &CITIES, PlaceKind::City).await?;
    rows.extend(cities);
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold geometry",
        started,
        state_vertices + city_vertices,
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
            code: "DF".into(),
            name: "Distrito Federal".into(),
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
        let kept = simplify([square, islet].concat(), STATE_TOLERANCE);
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
        let (d, view_box) = path([ring].iter());
        assert!(d.starts_with("M256 205l"), "{d}");
        assert_eq!(view_box, "256 205 9.6 10");
        assert!(d.ends_with('z'));
        assert!(d.contains("l9.6 0"), "{d}");
        assert!(d.contains("l0 10"), "{d}");
    }
}
