//! IBGE's municipality list through the real HTTP connector, as the CSV
//! file and as the localities API's JSON (built here from the same file's
//! rows), and SIVEP-Gripe's 6-digit codes completed to 7 digits from it:
//! figures checked against the files, read here independently.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    io::Read,
    path::{Path, PathBuf},
    sync::Arc,
};

use app::catalog::runs::{RunReport, StageMetrics};
use sentinela::{
    ingest::connect::fetch::Origin,
    lake::LocalLake,
    sources::{self, SourceConfig},
};
use serde::Deserialize;
use serde_json::json;
use tempfile::TempDir;

use crate::{
    ingest::{assert_srag_matches, pipeline, sivep_source},
    support::{files::FileServer, local_lake, postgres_store, shared_data, silver_rows},
};

const LIST: &str = "reference/municipios.csv";
const SIVEP: &str = "sivep/sum_dados_2020_06_23.csv.xz";

/// A source of the list at `url`.
fn list_source(url: &str) -> SourceConfig {
    let toml = format!(
        r#"
        [[source]]
        name = "municipalities"
        title = "Municípios — IBGE"
        kind = "http"
        url = "{url}"
        format = "ibge-municipalities"
        "#
    );
    sources::parse(&toml).unwrap().remove(0)
}

/// A stage's figures for a source of a run.
fn stage<'r>(report: &'r RunReport, source: &str, name: &str) -> &'r StageMetrics {
    report
        .sources
        .iter()
        .find(|s| s.name == source)
        .and_then(|s| s.stages.iter().find(|s| s.stage == name))
        .unwrap_or_else(|| panic!("no {name} stage for {source}: {report:?}"))
}

/// The file's rows by column name.
pub fn file_rows() -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(shared_data().join(LIST)).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// IBGE's check digit as its rule computes it: weights 1, 2, 1, 2, 1, 2
/// on the six digits, a product's digits summed, then up to a multiple of 10.
fn rule_check_digit(six: &str) -> u32 {
    let sum: u32 = six
        .chars()
        .zip([1, 2, 1, 2, 1, 2])
        .map(|(c, weight)| {
            let product = c.to_digit(10).unwrap() * weight;
            product / 10 + product % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

#[derive(Debug, Deserialize, PartialEq)]
struct Municipality {
    city_ibge: String,
    city_ibge6: String,
    name: String,
    uf: String,
    state_code: String,
    lat: Option<f64>,
    lon: Option<f64>,
    capital: Option<bool>,
}

const COLUMNS: [&str; 8] = [
    "city_ibge",
    "city_ibge6",
    "name",
    "uf",
    "state_code",
    "lat",
    "lon",
    "capital",
];

/// Silver's list by 7-digit code.
fn silver_list(lake: &Path) -> BTreeMap<String, Municipality> {
    silver_rows::<Municipality>(lake, "municipalities", &COLUMNS)
        .into_iter()
        .map(|m| (m.city_ibge.clone(), m))
        .collect()
}

/// Ingests the list `file` served from `root`; the run's report and the
/// lake's folder.
async fn ingest_list(root: PathBuf, file: &str) -> (RunReport, TempDir) {
    let store = postgres_store().await;
    let server = FileServer::start(root).await;
    let (lake, dir) = local_lake();
    let sources: Arc<[SourceConfig]> = vec![list_source(&server.url(file))].into();
    let report = pipeline(&store, lake, sources)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    (report, dir)
}

#[tokio::test]
async fn the_csv_list_becomes_5570_municipalities() {
    let (report, dir) = ingest_list(shared_data(), LIST).await;
    let bronze = stage(&report, "municipalities", "bronze");
    assert_eq!((bronze.rows_in, bronze.rejected), (5_570, 0));

    let silver = silver_list(dir.path());
    assert_eq!(silver.len(), 5_570);
    let sixes: BTreeSet<&str> = silver.values().map(|m| m.city_ibge6.as_str()).collect();
    assert_eq!(sixes.len(), 5_570, "6-digit codes are unique");

    let rows = file_rows();
    let sao_paulo = rows.iter().find(|r| r["nome"] == "São Paulo").unwrap();
    assert_eq!(
        silver["3550308"],
        Municipality {
            city_ibge: "3550308".into(),
            city_ibge6: "355030".into(),
            name: "São Paulo".into(),
            uf: "SP".into(),
            state_code: "35".into(),
            lat: Some(sao_paulo["latitude"].parse().unwrap()),
            lon: Some(sao_paulo["longitude"].parse().unwrap()),
            capital: Some(true),
        }
    );
    let capitals = rows.iter().filter(|r| r["capital"] == "1").count();
    assert_eq!(
        silver.values().filter(|m| m.capital == Some(true)).count(),
        capitals
    );
    assert_eq!(capitals, 27);

    // Codes whose check digit is not the one IBGE's rule gives: the list,
    // not the rule, completes them.
    let exceptions: Vec<&str> = rows
        .iter()
        .map(|r| r["codigo_ibge"].as_str())
        .filter(|code| rule_check_digit(&code[..6]) != code[6..].parse::<u32>().unwrap())
        .collect();
    assert!(!exceptions.is_empty());
    println!("codes off IBGE's check-digit rule: {exceptions:?}");
    for code in exceptions {
        let kept = &silver[code];
        assert_eq!(
            (kept.city_ibge6.as_str(), kept.state_code.as_str()),
            (&code[..6], &code[..2])
        );
    }
}

/// The localities API's JSON shape built from the file's `rows` (and the
/// states' file for the UF abbreviations).
pub fn api_list(rows: &[HashMap<String, String>]) -> Vec<serde_json::Value> {
    let mut reader = csv::Reader::from_path(shared_data().join("reference/estados.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (code, uf) = (at("codigo_uf"), at("uf"));
    let states: HashMap<String, String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[code].to_owned(), r[uf].to_owned())
        })
        .collect();
    rows.iter()
        .map(|r| {
            let state = &r["codigo_uf"];
            json!({
                "id": r["codigo_ibge"].parse::<u64>().unwrap(),
                "nome": r["nome"],
                "microrregiao": {"id": 1, "nome": "x", "mesorregiao": {"id": 1, "UF": {
                    "id": state.parse::<u64>().unwrap(), "sigla": states[state], "nome": "x"
                }}}
            })
        })
        .collect()
}

#[tokio::test]
async fn the_api_json_list_is_read_by_field_name() {
    // A few rows lack the state path, as some do in the real API; two are
    // bad.
    let rows = file_rows();
    let mut list = api_list(&rows);
    for object in list.iter_mut().step_by(1000) {
        object["microrregiao"] = serde_json::Value::Null;
    }
    let without_path: Vec<String> = list
        .iter()
        .filter(|o| o["microrregiao"].is_null())
        .map(|o| o["id"].to_string())
        .collect();
    list[1]["id"] = json!(355030);
    list[2]["microrregiao"]["mesorregiao"]["UF"]["sigla"] = json!("XX");
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("municipios"),
        serde_json::to_vec(&list).unwrap(),
    )
    .unwrap();

    let (report, dir) = ingest_list(folder.path().to_owned(), "municipios").await;
    let bronze = stage(&report, "municipalities", "bronze");
    assert_eq!((bronze.rows_in, bronze.rejected), (5_570, 2));

    let silver = silver_list(dir.path());
    assert_eq!(silver.len(), 5_568);
    let bad: Vec<&str> = [&rows[1], &rows[2]]
        .iter()
        .map(|r| r["codigo_ibge"].as_str())
        .collect();
    assert!(bad.iter().all(|code| !silver.contains_key(*code)));
    for row in rows
        .iter()
        .filter(|r| !bad.contains(&r["codigo_ibge"].as_str()))
    {
        let kept = &silver[&row["codigo_ibge"]];
        assert_eq!(kept.name, row["nome"]);
        assert_eq!(kept.state_code, row["codigo_uf"]);
        assert_eq!(
            (kept.lat, kept.capital),
            (None, None),
            "the API has neither"
        );
    }
    assert!(without_path.len() >= 5);
    for code in &without_path {
        assert_eq!(silver[code].state_code, code[..2]);
    }
}

/// `(state, day, 6-digit code, age class)` of each SIVEP row whose code the
/// list lacks: the silver groups left without a 7-digit code.
fn unlisted_groups(sixes: &BTreeSet<String>) -> (usize, BTreeSet<[String; 4]>) {
    let mut text = String::new();
    liblzma::read::XzDecoder::new(std::fs::File::open(shared_data().join(SIVEP)).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (uf, day, code, age) = (
        at("sg_uf"),
        at("dt_evento"),
        at("co_mun_res"),
        at("age_class"),
    );
    let mut rows = 0;
    let mut groups = BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap();
        // Unknown places are `NA` or blank.
        let known = !["NA", ""].contains(&record[code].trim());
        if known && !sixes.contains(&record[code]) {
            rows += 1;
            groups.insert(
                [&record[uf], &record[day], &record[code], &record[age]].map(str::to_owned),
            );
        }
    }
    (rows, groups)
}

#[derive(Deserialize)]
struct SragCodes {
    city_ibge6: String,
    city_ibge: String,
}

#[tokio::test]
async fn sivep_codes_are_completed_from_the_list() {
    let store = postgres_store().await;
    let server = FileServer::start(shared_data()).await;
    let (lake, dir) = local_lake();
    let mut sivep = sivep_source()[0].clone();
    sivep.url = server.url(SIVEP);
    // SIVEP alone first: no list, no 7-digit code.
    let sources: Arc<[SourceConfig]> = vec![list_source(&server.url(LIST)), sivep].into();
    let report = pipeline(&store, lake, sources.clone())
        .run(&Origin::Remote, &["sivep-summary"])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(
        stage(&report, "sivep-summary", "silver city_ibge").rows_out,
        0
    );
    // Then the list, before SIVEP in the configuration: the new list
    // refines SIVEP's unchanged content again.
    let report = pipeline(&store, LocalLake::new(dir.path().to_owned()), sources)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let outcomes: Vec<&str> = report.sources.iter().map(|s| s.outcome.code()).collect();
    assert_eq!(outcomes, ["new", "refined"]);

    let codes: BTreeSet<String> = file_rows()
        .iter()
        .map(|r| r["codigo_ibge"].clone())
        .collect();
    let sixes: BTreeSet<String> = codes.iter().map(|c| c[..6].to_owned()).collect();
    let silver: Vec<SragCodes> =
        silver_rows(dir.path(), "srag_daily", &["city_ibge6", "city_ibge"]);
    let mut unmapped = 0;
    for row in silver.iter().filter(|r| !r.city_ibge6.is_empty()) {
        if row.city_ibge.is_empty() {
            assert!(
                !sixes.contains(&row.city_ibge6),
                "{} is listed",
                row.city_ibge6
            );
            unmapped += 1;
        } else {
            assert!(
                codes.contains(&row.city_ibge),
                "{} is not listed",
                row.city_ibge
            );
            assert_eq!(row.city_ibge[..6], row.city_ibge6);
        }
    }
    let (unlisted_rows, unlisted) = unlisted_groups(&sixes);
    println!(
        "SIVEP rows with an unlisted code: {unlisted_rows}, in {} silver rows",
        unlisted.len()
    );
    assert!(
        unmapped > 0,
        "the Federal District's regions are not municipalities"
    );
    assert_eq!(unmapped, unlisted.len());
    let mapping = stage(&report, "sivep-summary", "silver city_ibge");
    assert_eq!(mapping.rejected, unmapped as u64);
    assert_eq!(
        mapping.rows_in,
        silver.iter().filter(|r| !r.city_ibge6.is_empty()).count() as u64
    );

    assert_srag_matches(&store).await;
}
