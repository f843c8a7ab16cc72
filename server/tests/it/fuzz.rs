//! Every parser fuzzed (proptest) from samples of the real files: cells
//! replaced by hostile values, bytes flipped, inserted and cut, columns
//! reordered. No input panics; a file either fails whole with a reason (its
//! header is unusable) or yields rows and rejects, each reject with a
//! reason and a line inside the file; reordered columns give the same rows.

use std::{fmt::Debug, io::Read, path::Path};

use proptest::{
    prelude::*,
    test_runner::{Config, TestRunner},
};
use sentinela::ingest::bronze::formats::{
    Parsed, Parser, brasilio_caso, ibge_municipalities, municipalities_geojson, occupancy_api,
    occupancy_opendatasus, occupancy_snapshot, parse_all, population, sivep_summary,
    states_geojson, wcota_cities, wcota_states,
};

use crate::{municipalities, support::shared_data};

/// Inputs tried per parser and mutation.
const CASES: u32 = 400;

/// Values that break naive parsers.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "-1",
    "-0",
    "0.5",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "abc",
    "2020-13-45",
    "2020-02-30",
    "\u{feff}",
    "\"",
    ",",
    ";",
    "x\ny",
    "TOTAL",
    "sp",
    "ÇÃO",
    "0x1F",
    "1.234,5",
    "\0",
    "62.0",
];

/// The header and the first `lines` records of a file (decompressed).
/// The header and first `lines` lines of `path`, under `../shared/data`
/// or, for a hand-made file, `tests/fixtures/handmade`.
fn sample(path: &str, lines: usize) -> String {
    let handmade = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handmade");
    let file = [handmade.join(path), shared_data().join(path)]
        .into_iter()
        .find(|file| file.exists())
        .unwrap_or_else(|| panic!("no file {path}"));
    let bytes = std::fs::read(file).unwrap();
    let mut text = String::new();
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
    } else if path.ends_with(".xz") {
        liblzma::read::XzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
    } else {
        text = String::from_utf8(bytes).unwrap();
    }
    text.lines().take(lines + 1).collect::<Vec<_>>().join("\n") + "\n"
}

fn records(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn write(records: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.into_inner().unwrap()
}

/// What every outcome must satisfy: rejects have reasons and real lines.
fn check<T>(outcome: anyhow::Result<Parsed<T>>, data_lines: usize) -> Result<(), TestCaseError> {
    match outcome {
        Err(reason) => prop_assert!(!reason.to_string().is_empty()),
        Ok(parsed) => {
            for reject in &parsed.rejects {
                prop_assert!(!reject.reason.is_empty(), "{reject:?}");
                prop_assert!(
                    (2..=data_lines as u64 + 1).contains(&reject.line),
                    "{reject:?}"
                );
            }
        }
    }
    Ok(())
}

fn runner_of(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn runner() -> TestRunner {
    runner_of(CASES)
}

/// Hostile cells, hostile bytes, and reordered columns, on a CSV format.
fn fuzz_csv<T: PartialEq + Debug>(path: &str, parse: Parser<T>) {
    let text = sample(path, 60);
    let table = records(&text);
    let (rows, width) = (table.len(), table[0].len());
    let data_lines = rows - 1;

    let cells = proptest::collection::vec(
        (1..rows, 0..width, proptest::sample::select(HOSTILE)),
        1..12,
    );
    runner()
        .run(&cells, |edits| {
            let mut edited = table.clone();
            for (row, column, value) in edits {
                if let Some(cell) = edited[row].get_mut(column) {
                    *cell = value.to_owned();
                }
            }
            let outcome = parse_all(parse, "fuzz.csv", &write(&edited));
            prop_assert!(outcome.is_ok(), "the header is intact: {:?}", outcome.err());
            check(outcome, data_lines)
        })
        .unwrap();

    runner()
        .run(&byte_edits(), |edits| {
            let mutated = mutate(text.as_bytes(), edits);
            // CSV ends records at `\n`, `\r` or both: at most this many lines.
            let lines = mutated
                .iter()
                .filter(|b| matches!(b, b'\n' | b'\r'))
                .count()
                + 1;
            check(parse_all(parse, "fuzz.csv", &mutated), lines)
        })
        .unwrap();

    let reversed: Vec<Vec<String>> = table
        .iter()
        .map(|r| r.iter().rev().cloned().collect())
        .collect();
    let original = parse_all(parse, "fuzz.csv", text.as_bytes()).unwrap();
    let reordered = parse_all(parse, "fuzz.csv", &write(&reversed)).unwrap();
    assert_eq!(
        original.rows, reordered.rows,
        "{path}: columns are read by name"
    );
    assert!(!original.rows.is_empty(), "{path}: the sample has rows");
}

/// Byte edits: where, which byte, and flip, insert or cut there.
type ByteEdit = (prop::sample::Index, u8, u8);

fn byte_edits() -> impl Strategy<Value = Vec<ByteEdit>> {
    proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..20)
}

fn mutate(bytes: &[u8], edits: Vec<ByteEdit>) -> Vec<u8> {
    let mut mutated = bytes.to_vec();
    for (at, byte, kind) in edits {
        let i = at.index(mutated.len().max(1));
        match kind {
            0 if !mutated.is_empty() => mutated[i] = byte,
            1 => mutated.insert(i.min(mutated.len()), byte),
            _ => mutated.truncate(i),
        }
    }
    mutated
}

/// Hostile bytes on a JSON format: no panic, reasons given.
fn fuzz_bytes<T>(bytes: Vec<u8>, parse: Parser<T>, cases: u32) {
    runner_of(cases)
        .run(&byte_edits(), |edits| {
            if let Ok(parsed) = parse_all(parse, "fuzz.json", &mutate(&bytes, edits)) {
                prop_assert!(parsed.rejects.iter().all(|r| !r.reason.is_empty()));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn brasilio_caso_survives_hostile_input() {
    fuzz_csv(
        "cases/brasilio-caso_BR_2020-03-31.csv",
        brasilio_caso::parse,
    );
}

#[test]
fn wcota_states_survives_hostile_input() {
    fuzz_csv(
        "cases/cases-brazil-states_2022-04-24.csv",
        wcota_states::parse,
    );
}

#[test]
fn wcota_cities_survives_hostile_input() {
    fuzz_csv(
        "cases/cases-brazil-cities-time_2020-05-06.csv",
        wcota_cities::parse,
    );
}

#[test]
fn population_survives_hostile_input() {
    fuzz_csv(
        "reference/populacao-por-municipio-2020.csv",
        population::parse,
    );
}

#[test]
fn sivep_summary_survives_hostile_input() {
    fuzz_csv("sivep/sum_dados_2020_06_23.csv.xz", sivep_summary::parse);
}

#[test]
fn occupancy_snapshot_survives_hostile_input() {
    fuzz_csv(
        "occupancy/data_2021-02-23.csv.gz",
        occupancy_snapshot::parse,
    );
}

#[test]
fn occupancy_register_survives_hostile_input() {
    fuzz_csv(
        "esus-vepi.LeitoOcupacao_2021.csv",
        occupancy_opendatasus::parse,
    );
}

#[test]
fn occupancy_api_survives_hostile_input() {
    let mut text = Vec::new();
    let file =
        std::fs::read(shared_data().join("occupancy/api-response_2021-03-03.json.gz")).unwrap();
    flate2::read::GzDecoder::new(&file[..])
        .read_to_end(&mut text)
        .unwrap();
    // The first hits only: the mutations reach every part of them.
    let mut response: serde_json::Value = serde_json::from_slice(&text).unwrap();
    response["hits"]["hits"]
        .as_array_mut()
        .unwrap()
        .truncate(20);
    fuzz_bytes(
        serde_json::to_vec(&response).unwrap(),
        occupancy_api::parse,
        CASES,
    );

    // Hostile values in the hits' fields: the page still parses, bad hits
    // become rejects with a reason.
    let fields: Vec<String> = response["hits"]["hits"][0]["_source"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let value = prop_oneof![
        proptest::sample::select(HOSTILE).prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([1, 2])),
        Just(serde_json::json!({"a": 1})),
    ];
    let edits =
        proptest::collection::vec((0..20usize, proptest::sample::select(fields), value), 1..10);
    runner()
        .run(&edits, |edits| {
            let mut edited = response.clone();
            for (hit, field, value) in edits {
                edited["hits"]["hits"][hit]["_source"][field] = value;
            }
            let parsed = parse_all(
                occupancy_api::parse,
                "fuzz.json",
                &serde_json::to_vec(&edited).unwrap(),
            );
            prop_assert!(parsed.is_ok(), "{:?}", parsed.err());
            let parsed = parsed.unwrap();
            prop_assert!(parsed.rows.len() + parsed.rejects.len() <= 20);
            prop_assert!(parsed.rejects.iter().all(|r| !r.reason.is_empty()));
            Ok(())
        })
        .unwrap();
}

#[test]
fn states_geojson_survives_hostile_input() {
    let geojson = std::fs::read(shared_data().join("geo/states.geojson")).unwrap();
    // The whole map is 2 MB: fewer cases, each still cut and flipped at random places.
    fuzz_bytes(geojson, states_geojson::parse, 60);
}

#[test]
fn municipalities_geojson_survives_hostile_input() {
    // Acre's 22 municipalities (196 KB).
    let geojson =
        std::fs::read(shared_data().join("geo/municipalities/geojs-12-mun.json")).unwrap();
    fuzz_bytes(geojson, municipalities_geojson::parse, 100);
}

#[test]
fn wcota_city_totals_survive_hostile_input() {
    // The later file, with the health-region columns.
    fuzz_csv(
        "cases/cases-brazil-cities_2020-07-13.csv",
        wcota_cities::parse,
    );
}

#[test]
fn ibge_municipalities_survive_hostile_input() {
    fuzz_csv("reference/municipios.csv", ibge_municipalities::parse);
    // The API's form, built from the list's first rows.
    let rows = municipalities::file_rows();
    let list = municipalities::api_list(&rows[..20]);
    fuzz_bytes(
        serde_json::to_vec(&list).unwrap(),
        ibge_municipalities::parse,
        CASES,
    );
}
