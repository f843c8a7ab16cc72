//! The lake's Parquet tables are what `terraform/lake_tables.json` tells
//! Glue and Athena they are: after a full ingest of the public files, every
//! catalogued table has objects, each object's columns have the catalogued
//! names, order and types, and every silver or gold table is catalogued.

use std::{collections::BTreeSet, path::Path, sync::Arc};

use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sentinela::{
    ingest::connect::fetch::Origin,
    lake::{Lake, LocalLake},
    sources,
};
use serde_json::Value;

use crate::{
    ingest::pipeline,
    support::{local_lake, shared_data, sqlite_store},
};

const REGISTER: &str = "esus-vepi.LeitoOcupacao_2021.csv";

/// A one-source configuration reading `file` in `format`.
fn alternative(name: &str, file: &str, format: &str) -> String {
    format!(
        r#"
        [[source]]
        name = "{name}"
        title = "{name}"
        kind = "http"
        url = "https://example.invalid/{file}"
        format = "{format}"
        "#
    )
}

/// The Glue type of an Arrow column, as the catalog declares it.
fn glue_type(data_type: &DataType) -> String {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 => "string".into(),
        DataType::Int64 | DataType::UInt64 => "bigint".into(),
        DataType::Float64 => "double".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Date32 => "date".into(),
        DataType::Timestamp(..) => "timestamp".into(),
        other => format!("unmapped {other}"),
    }
}

#[tokio::test]
async fn parquet_schemas_match_the_glue_catalog() {
    let catalog: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../terraform/lake_tables.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let bench_sources = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../bench/sources.toml"
    ))
    .unwrap();
    let (store, _db) = sqlite_store().await;
    let (_, dir) = local_lake();
    // Every format the benchmark reads; then the alternatives it cannot
    // hold beside them (one cases source at a time), the occupancy
    // register, which has no public file at hand: its hand-made one, and
    // SIVEP's first weekly vintage.
    let handmade = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handmade");
    let alternatives = [
        (bench_sources, shared_data()),
        (
            alternative(
                "cases-brasilio",
                "cases/brasilio-caso_BR_2020-03-31.csv",
                "brasilio-caso",
            ),
            shared_data(),
        ),
        (
            alternative("occupancy-register", REGISTER, "occupancy-opendatasus"),
            handmade,
        ),
        (
            alternative(
                "sivep-vintages",
                "sum_dados_2020_06_30.csv.xz",
                "sivep-vintages",
            ),
            shared_data().join("../history/sivep"),
        ),
    ];
    for (toml, folder) in alternatives {
        let sources: Arc<[sources::SourceConfig]> = sources::parse(&toml).unwrap().into();
        let report = pipeline(&store, LocalLake::new(dir.path().to_owned()), sources)
            .run(&Origin::Dir(folder), &[])
            .await
            .unwrap();
        assert_eq!(report.status, "ok", "{report:?}");
    }
    let lake = LocalLake::new(dir.path().to_owned());

    let mut catalogued = BTreeSet::new();
    for table in catalog["tables"].as_array().unwrap() {
        let (layer, prefix) = (
            table["layer"].as_str().unwrap(),
            table["prefix"].as_str().unwrap(),
        );
        catalogued.insert(format!("{layer}/{prefix}"));
        assert!(
            table["partition_keys"].as_array().unwrap().is_empty(),
            "the ingest writes no partitions yet"
        );
        let expected: Vec<(String, String)> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_owned(),
                    c["type"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let objects = lake.list(&format!("{layer}/{prefix}")).await.unwrap();
        assert!(!objects.is_empty(), "{layer}/{prefix} holds no object");
        for object in objects {
            let bytes = lake.get(&object.key).await.unwrap();
            let schema = ParquetRecordBatchReaderBuilder::try_new(bytes)
                .unwrap()
                .schema()
                .clone();
            let actual: Vec<(String, String)> = schema
                .fields()
                .iter()
                .map(|f| (f.name().clone(), glue_type(f.data_type())))
                .collect();
            assert_eq!(actual, expected, "columns of {}", object.key);
        }
    }

    for layer in ["silver", "gold"] {
        for object in lake.list(&format!("{layer}/")).await.unwrap() {
            let path = object.key.path();
            let folder = format!("{layer}/{}/", path.split('/').next().unwrap());
            let rejects = folder.ends_with("_rejects/");
            assert!(
                rejects || catalogued.contains(&folder),
                "{} is in no catalogued table",
                object.key
            );
        }
    }
}
