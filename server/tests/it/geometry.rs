//! The maps' geometry: the states' GeoJSON served on loopback through the
//! real HTTP connector becomes one simplified SVG path per state, small
//! enough for the overview's weight budget; the 27 municipality files of a
//! folder become one path per municipality, framed by its state's box.

use std::{path::Path, sync::Arc};

use sentinela::{ingest::connect::fetch::Origin, sources, store::Store};

use crate::{
    ingest::pipeline,
    support::{files::FileServer, local_lake, on_both_stores, shared_data},
};

const STATES_FILE: &str = "geo/states.geojson";

fn source(server: &FileServer) -> Arc<[sources::SourceConfig]> {
    let toml = format!(
        r#"
        [[source]]
        name = "geo-states"
        title = "Limites das UFs"
        kind = "http"
        url = "{}"
        format = "states-geojson"
        "#,
        server.url(STATES_FILE)
    );
    sources::parse(&toml).unwrap().into()
}

/// The absolute first point of an SVG path (`M x y…`).
fn first_point(path: &str) -> Vec<f64> {
    path[1..]
        .split(['l', 'z'])
        .next()
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect()
}

async fn every_state_gets_a_small_simplified_outline(store: Store) {
    let server = FileServer::start(shared_data()).await;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, source(&server))
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");

    let shapes = store.state_shapes().await.unwrap();
    let ufs: Vec<&str> = shapes.iter().map(|(uf, _)| uf.as_str()).collect();
    let expected: Vec<&str> = app::catalog::vocabulary::Uf::all()
        .map(|uf| uf.code())
        .collect();
    assert_eq!(ufs, expected, "the 27 states, each once");
    let bytes: usize = shapes.iter().map(|(_, path)| path.len()).sum();
    assert!(bytes < 40_000, "the whole map weighs {bytes} bytes");
    let raw = std::fs::metadata(shared_data().join(STATES_FILE))
        .unwrap()
        .len();
    println!("map paths: {bytes} bytes for a {raw}-byte GeoJSON");

    // Every path stays inside the view box: 0..387 × 0..395.
    for (uf, path) in &shapes {
        assert!(path.starts_with('M') && path.ends_with('z'), "{uf}");
        let first = first_point(path);
        assert!(
            (0.0..387.0).contains(&first[0]) && (0.0..395.0).contains(&first[1]),
            "{uf}: {first:?}"
        );
    }
    // Bronze kept every vertex of the file, silver fewer.
    let bronze = report.sources[0]
        .stages
        .iter()
        .find(|s| s.stage == "bronze")
        .unwrap();
    let silver = report.sources[0]
        .stages
        .iter()
        .find(|s| s.stage == "silver")
        .unwrap();
    assert_eq!(
        bronze.rows_out, 85_585,
        "vertices in the file (python: sum of ring lengths)"
    );
    assert!(silver.rows_out < bronze.rows_out / 10, "{silver:?}");
}

/// The features of one of the municipality files, read independently.
fn features_in(path: &Path) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    json["features"].as_array().unwrap().clone()
}

async fn every_municipality_gets_an_outline_framed_by_its_state(store: Store) {
    let geo = shared_data().join("geo");
    let toml = r#"
        [[source]]
        name = "geo-states"
        title = "Limites das UFs"
        kind = "http"
        url = "https://example.invalid/states.geojson"
        format = "states-geojson"
        file = "states.geojson"

        [[source]]
        name = "geo-cities"
        title = "Limites dos municípios"
        kind = "http"
        url = "https://example.invalid/municipios.json"
        format = "municipalities-geojson"
        file = "geojs-*-mun.json"
        history = true
    "#;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, sources::parse(toml).unwrap().into())
        .run(&Origin::Dir(geo.clone()), &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");

    let files: Vec<_> = std::fs::read_dir(geo.join("municipalities"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 27, "one file per state");
    let cities = report
        .sources
        .iter()
        .find(|s| s.name == "geo-cities")
        .unwrap();
    let bronze = cities.stages.iter().find(|s| s.stage == "bronze").unwrap();
    assert_eq!(bronze.rejected, 0, "{bronze:?}");

    let sp_file = geo.join("municipalities/geojs-35-mun.json");
    let expected: Vec<(String, String)> = features_in(&sp_file)
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["id"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (view_box, shapes) = store
        .city_shapes(app::catalog::vocabulary::Uf::parse("SP").unwrap())
        .await
        .unwrap()
        .expect("SP's cities");
    let mut got: Vec<(String, String)> = shapes
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    got.sort();
    assert_eq!(
        got, expected_sorted,
        "every municipality of the file, once, named"
    );

    // The state's own box frames its cities: every city starts inside it.
    let bounds: Vec<f64> = view_box.split(' ').map(|n| n.parse().unwrap()).collect();
    let (x0, y0, x1, y1) = (
        bounds[0],
        bounds[1],
        bounds[0] + bounds[2],
        bounds[1] + bounds[3],
    );
    for shape in &shapes {
        let first = first_point(&shape.path);
        assert!(
            (x0 - 1.0..=x1 + 1.0).contains(&first[0]) && (y0 - 1.0..=y1 + 1.0).contains(&first[1]),
            "{} at {first:?} outside {view_box}",
            shape.code
        );
    }
    let bytes: usize = shapes.iter().map(|s| s.path.len()).sum();
    let raw = std::fs::metadata(&sp_file).unwrap().len();
    println!(
        "SP city map: {} paths, {bytes} bytes for a {raw}-byte GeoJSON",
        shapes.len()
    );
    assert!(bytes < 250_000, "SP's city map weighs {bytes} bytes");
}

on_both_stores!(
    every_state_gets_a_small_simplified_outline,
    every_municipality_gets_an_outline_framed_by_its_state,
);
