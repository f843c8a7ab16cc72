//! The map's geometry through the real HTTP connector: the states' GeoJSON
//! served on loopback becomes one simplified SVG path per state, small
//! enough for the overview's weight budget.

use std::sync::Arc;

use sentinela::{ingest::fetch::Origin, sources, store::Store};

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
    let expected: Vec<&str> = app::indicators::STATES.iter().map(|(uf, _)| *uf).collect();
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
        let first: Vec<f64> = path[1..]
            .split(['l', 'z'])
            .next()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
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

on_both_stores!(every_state_gets_a_small_simplified_outline);
