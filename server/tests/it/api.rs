//! The indicator API over real HTTP, with the real files of
//! `../shared/data` ingested: figures equal the references computed
//! independently from the raw files, CSV equals JSON, bad parameters are
//! 400s naming them (also under random query strings), answers revalidate
//! with 304 and never outlive a refresh, and the OpenAPI document describes
//! what the endpoints really return.

use std::{
    collections::{BTreeSet, HashMap},
    time::{Duration, Instant},
};

use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::{Config, TestRunner},
};
use reqwest::{StatusCode, header};
use sentinela::{ingest::connect::fetch::Origin, sources};
use serde_json::Value;

use crate::{
    ingest::pipeline,
    support::{
        app::{TestApp, spawn_with},
        drop_postgres_database, local_lake, shared_data,
    },
};

/// Every format, as the benchmark ingests them: `ingest --from ../shared/data`.
pub(crate) fn bench_sources() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/sources.toml")
}

/// An app whose source configuration lists every format.
/// The app with the benchmark's sources and no API rate limit: these tests
/// fire hundreds of requests from one address (access.rs tests the limit).
async fn app() -> TestApp {
    spawn_with(|settings| {
        settings.sources = Some(bench_sources());
        settings.api_requests_per_second = 0;
    })
    .await
}

/// Ingests `names` (every source when empty) from `../shared/data` into the
/// app's database, as another process would.
pub(crate) async fn ingest(app: &TestApp, names: &[&str]) {
    let sources = sources::load(Some(&bench_sources())).unwrap();
    let (lake, _dir) = local_lake();
    let report = pipeline(&app.store, lake, sources.into())
        .run(&Origin::Dir(shared_data()), names)
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
}

/// GETs `path` until `done` accepts its JSON (the app sees another
/// process's refresh within its one-second poll), for up to 10 s.
async fn json_once(app: &TestApp, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.unwrap();
        if done(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} never showed the refresh: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn reference(name: &str) -> Value {
    let text = std::fs::read_to_string(shared_data().join("expected").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn rows(body: &Value) -> &Vec<Value> {
    body["rows"].as_array().unwrap()
}

fn close(got: &Value, want: &Value, what: &str) {
    let (got, want) = (got.as_f64().unwrap(), want.as_f64().unwrap());
    assert!((got - want).abs() < 1e-9, "{what}: {got} vs {want}");
}

#[tokio::test]
async fn every_indicator_equals_the_references_computed_from_the_raw_files() {
    let app = app().await;
    ingest(&app, &[]).await;

    // Cases: Brazil and every state on 2022-04-24.
    let cases = json_once(
        &app,
        "/api/v1/cases/states?from=2022-04-24&to=2022-04-24",
        |b| !rows(b).is_empty(),
    )
    .await;
    assert_eq!(
        (cases["from"].as_str(), cases["to"].as_str()),
        (Some("2022-04-24"), Some("2022-04-24"))
    );
    assert!(
        cases["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "cases-states")
    );
    let by_uf: HashMap<&str, &Value> = rows(&cases)
        .iter()
        .map(|r| (r["uf"].as_str().unwrap(), r))
        .collect();
    assert_eq!(by_uf["BR"]["cases"], 30_349_463);
    assert_eq!(by_uf["BR"]["deaths"], 662_891);
    for want in reference("cases-states_2022-04-24.json")["states"]
        .as_array()
        .unwrap()
    {
        let got = by_uf[want["uf"].as_str().unwrap()];
        assert_eq!(
            (&got["cases"], &got["deaths"]),
            (&want["total_cases"], &want["deaths"])
        );
    }

    // Occupancy on 2021-03-22, every state × bed class × scope.
    let occupancy = json(&app, "/api/v1/occupancy?from=2021-03-22&to=2021-03-22").await;
    let expected = reference("occupancy_2021-03-22.json");
    let wanted = expected["states"].as_array().unwrap();
    assert_eq!(rows(&occupancy).len(), wanted.len());
    for want in wanted {
        let got = rows(&occupancy)
            .iter()
            .find(|r| ["uf", "bed_class", "scope"].iter().all(|k| r[k] == want[k]))
            .unwrap_or_else(|| panic!("{want} missing"));
        for count in ["offered", "occupied", "occupied_raw"] {
            close(&got[count], &want[count], count);
        }
        assert_eq!(
            (&got["hospitals"], &got["over_capacity"]),
            (&want["hospitals"], &want["over_capacity"])
        );
        close(&got["rate"], &want["rate"], "rate");
    }
    // Filters narrow it; the default period ends at the newest day.
    let icu = json(&app, "/api/v1/occupancy?uf=sp,RJ&bed_class=icu&scope=covid").await;
    assert_eq!(icu["to"], "2021-03-22");
    assert_eq!(
        icu["from"], "2020-12-23",
        "90 days ending at the newest day"
    );
    assert!(
        rows(&icu)
            .iter()
            .all(|r| r["bed_class"] == "icu" && r["scope"] == "covid")
    );
    let ufs: BTreeSet<&str> = rows(&icu)
        .iter()
        .map(|r| r["uf"].as_str().unwrap())
        .collect();
    assert_eq!(ufs, BTreeSet::from(["RJ", "SP"]));

    // SRAG, 2020-03-01..2020-06-20.
    let srag = json(&app, "/api/v1/srag?from=2020-03-01&to=2020-06-20").await;
    let expected = reference("sivep_2020-03-01_2020-06-20.json");
    for want in expected["states"].as_array().unwrap() {
        let got = rows(&srag).iter().find(|r| r["uf"] == want["uf"]).unwrap();
        for count in [
            "hospitalised",
            "confirmed",
            "suspected",
            "deaths",
            "deaths_confirmed",
            "deaths_suspected",
        ] {
            assert_eq!(got[count], want[count], "{} {count}", want["uf"]);
        }
        for rate in [
            "confirmed_share",
            "death_rate_confirmed",
            "death_rate_suspected",
        ] {
            close(&got[rate], &want[rate], rate);
        }
    }

    // Rankings: the whole series, then a chosen week computed here from the raw CSV.
    let top = json(&app, "/api/v1/rankings?scope=city&uf=SP&limit=3").await;
    assert_eq!(rows(&top)[0]["name"], "São Paulo");
    assert!(
        rows(&top)
            .iter()
            .all(|r| r["population"].as_i64().unwrap() >= 50_000)
    );
    let week = json(
        &app,
        "/api/v1/rankings?from=2022-04-18&to=2022-04-24&limit=27",
    )
    .await;
    let expected = state_cases_per_100k("2022-04-17", "2022-04-24");
    let got: Vec<(&str, f64)> = rows(&week)
        .iter()
        .map(|r| (r["uf"].as_str().unwrap(), r["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(got.len(), 27);
    for ((uf, value), (want_uf, want_value)) in got.iter().zip(&expected) {
        assert_eq!(uf, want_uf);
        assert!(
            (value - want_value).abs() < 1e-9,
            "{uf}: {value} vs {want_value}"
        );
    }
    let least = json(
        &app,
        "/api/v1/rankings?from=2022-04-18&to=2022-04-24&direction=least&limit=1",
    )
    .await;
    assert_eq!(rows(&least)[0]["uf"], expected.last().unwrap().0);
    // A period without data (after the sources stopped) ranks no one.
    for scope in ["state", "city"] {
        let none = json(
            &app,
            &format!("/api/v1/rankings?scope={scope}&from=2025-01-01&to=2025-12-31"),
        )
        .await;
        assert!(rows(&none).is_empty(), "{none}");
    }

    // Places and freshness.
    let states = json(&app, "/api/v1/states").await;
    assert_eq!(rows(&states).len(), 27);
    assert!(
        rows(&states)
            .iter()
            .all(|s| s["population"].as_i64().unwrap() > 0)
    );
    let cities = json(&app, "/api/v1/cities?uf=SP").await;
    assert_eq!(rows(&cities).len(), 645, "São Paulo's municipalities");
    // Every source collected; those whose data has dates are no longer
    // updated by their publishers (the files end in 2020 to 2022).
    let freshness = json(&app, "/api/v1/freshness").await;
    for source in rows(&freshness) {
        let want = match source["newest_date"].is_null() {
            true => "ok",
            false => "stale",
        };
        assert_eq!(source["state"], want, "{source}");
    }
    let runs = json(&app, "/api/v1/runs").await;
    assert_eq!(rows(&runs)[0]["status"], "ok");

    // Pages follow one another.
    let first = json(
        &app,
        "/api/v1/cases/states?uf=SP&from=2022-04-01&to=2022-04-24&limit=10",
    )
    .await;
    assert_eq!(first["next_offset"], 10);
    let second = json(
        &app,
        "/api/v1/cases/states?uf=SP&from=2022-04-01&to=2022-04-24&limit=10&offset=10",
    )
    .await;
    assert_eq!(rows(&second)[0]["date"], "2022-04-11");
    let last = json(
        &app,
        "/api/v1/cases/states?uf=SP&from=2022-04-01&to=2022-04-24&limit=10&offset=20",
    )
    .await;
    assert_eq!((rows(&last).len(), &last["next_offset"]), (4, &Value::Null));
}

/// `(state, new cases per 100k)` between the two days, from the raw CSV and
/// the population file, most affected first.
fn state_cases_per_100k(before: &str, end: &str) -> Vec<(String, f64)> {
    let cumulative = |day: &str| -> HashMap<String, f64> {
        let mut reader =
            csv::Reader::from_path(shared_data().join("cases/cases-brazil-states_2022-04-24.csv"))
                .unwrap();
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (date, state, total) = (column("date"), column("state"), column("totalCases"));
        reader
            .records()
            .map(Result::unwrap)
            .filter(|r| &r[date] == day && &r[state] != "TOTAL")
            .map(|r| (r[state].to_owned(), r[total].parse().unwrap()))
            .collect()
    };
    let mut population: HashMap<String, f64> = HashMap::new();
    let mut reader =
        csv::Reader::from_path(shared_data().join("reference/populacao-por-municipio-2020.csv"))
            .unwrap();
    let headers = reader.headers().unwrap().clone();
    let (state, people) = (
        headers.iter().position(|h| h == "state").unwrap(),
        headers
            .iter()
            .position(|h| h == "estimated_population")
            .unwrap(),
    );
    for record in reader.records().map(Result::unwrap) {
        *population.entry(record[state].to_owned()).or_default() +=
            record[people].parse::<f64>().unwrap();
    }
    let (start, finish) = (cumulative(before), cumulative(end));
    let mut ranking: Vec<(String, f64)> = finish
        .iter()
        .map(|(uf, total)| (uf.clone(), (total - start[uf]) * 100_000.0 / population[uf]))
        .collect();
    ranking.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranking
}

/// Every listing credits exactly the sources whose silver its gold was
/// computed from in the run, as the run's lineage records them: the
/// catalogue says which formats feed which table, for the pipeline and the
/// API alike. Among them covid19br's per-date city totals, which the API's
/// own lists once left out of the cities' credits; and SIVEP's weekly
/// vintages behind the nowcast.
#[tokio::test]
async fn every_listing_credits_the_sources_that_fed_its_gold() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sources.toml");
    let totals = "\n[[source]]\nname = \"cases-cities-totals\"\ntitle = \"Totais do dia\"\n\
        kind = \"http\"\nurl = \"https://example.invalid/cases-brazil-cities.csv\"\n\
        format = \"wcota-cities\"\nfile = \"cases-brazil-cities_*.csv\"\nhistory = true\n\n\
        [[source]]\nname = \"sivep-vintages\"\ntitle = \"SIVEP, edições semanais\"\n\
        kind = \"http\"\nurl = \"https://example.invalid/sum_dados_{date:%Y_%m_%d}.csv.xz\"\n\
        format = \"sivep-vintages\"\nfile = \"sum_dados_*.csv.xz\"\nhistory = true\n";
    let text = std::fs::read_to_string(bench_sources()).unwrap() + totals;
    std::fs::write(&config, &text).unwrap();
    let app = spawn_with(|settings| {
        settings.sources = Some(config.clone());
        settings.api_requests_per_second = 0;
    })
    .await;
    let (lake, _lake_dir) = local_lake();
    let report = pipeline(&app.store, lake, sources::parse(&text).unwrap().into())
        .run(&Origin::Dir(shared_data()), &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let recorded = app.store.gold_inputs().await.unwrap();
    let fed = |unit: &str| -> BTreeSet<String> {
        let inputs: HashMap<String, String> = recorded
            .get(unit)
            .map(|json| serde_json::from_str(json).unwrap())
            .unwrap_or_default();
        // The sources; the unit's tables are recorded beside them.
        inputs
            .into_keys()
            .filter(|key| key != sentinela::lineage::TABLES)
            .collect()
    };
    for (path, unit) in [
        ("/api/v1/cases/states?uf=SP", "cases"),
        ("/api/v1/cases/cities?uf=AC", "cases"),
        ("/api/v1/cases/cities/latest?uf=AC", "cases"),
        ("/api/v1/rankings", "cases"),
        ("/api/v1/occupancy?uf=SP", "occupancy"),
        ("/api/v1/srag?uf=SP", "srag"),
        ("/api/v1/patients?uf=SP", "patients"),
        ("/api/v1/srag/nowcast?uf=SP", "nowcast"),
        ("/api/v1/srag/outlook?uf=SP", "nowcast"),
        ("/api/v1/trends?territory=SP", "nowcast"),
    ] {
        let body = json(&app, path).await;
        let credited: BTreeSet<String> = body["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(credited, fed(unit), "{path}");
    }
    assert!(fed("cases").contains("cases-cities-totals"), "{recorded:?}");
    assert!(fed("nowcast").contains("sivep-vintages"), "{recorded:?}");
    assert!(
        fed("patients").is_empty(),
        "no register file in the shared data"
    );
    app.stop().await.unwrap();
}

#[tokio::test]
async fn csv_holds_the_same_rows_as_json_and_answers_revalidate() {
    let app = app().await;
    ingest(&app, &["cases-states", "population"]).await;
    let path = "/api/v1/cases/states?uf=SP&from=2022-04-20&to=2022-04-24";
    let body = json_once(&app, path, |b| !rows(b).is_empty()).await;

    let response = app.get(&format!("{path}&format=csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("sentinela_cases_states_2022-04-20_2022-04-24.csv"),
        "{disposition}"
    );
    assert_eq!(
        response.headers()["x-sentinela-period"],
        "2022-04-20/2022-04-24"
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.get(0), Some("uf"));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows(&body).len());
    for (record, row) in records.iter().zip(rows(&body)) {
        for (name, cell) in headers.iter().zip(record.iter()) {
            match &row[name] {
                Value::Null => assert_eq!(cell, "", "{name}"),
                Value::String(s) => assert_eq!(cell, s, "{name}"),
                // Compared as numbers: JSON parsing may round the last digit.
                number => {
                    let (got, want) = (cell.parse::<f64>().unwrap(), number.as_f64().unwrap());
                    assert!(
                        (got - want).abs() <= want.abs() * 1e-15,
                        "{name}: {got} vs {want}"
                    );
                }
            }
        }
    }
    assert_eq!(
        &records[0][1], "2022-04-20",
        "ISO dates, no time-zone shift"
    );

    // The Accept header selects CSV too; the Excel dialect.
    let accepted = app
        .client
        .get(app.url(path))
        .header(header::ACCEPT, "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.text().await.unwrap(), text);
    let excel = app
        .get(&format!("{path}&format=csv&dialect=excel-br"))
        .await
        .text()
        .await
        .unwrap();
    assert!(excel.starts_with("\u{feff}uf;date;"), "{excel}");
    assert!(
        excel.lines().nth(1).unwrap().contains(','),
        "decimal comma: {excel}"
    );

    // Revalidation: the same ETag gives a 304 without a body.
    let response = app.get(path).await;
    let etag = response.headers()[header::ETAG].clone();
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, no-cache"
    );
    let again = app
        .client
        .get(app.url(path))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_refresh_is_served_at_once_never_the_cached_answer_before_it() {
    let app = app().await;
    let path = "/api/v1/cases/states?uf=BR";
    let before = app.get(path).await;
    let etag = before.headers()[header::ETAG].clone();
    let before: Value = before.json().await.unwrap();
    assert!(rows(&before).is_empty(), "no data yet: {before}");
    assert_eq!(json(&app, path).await, before, "cached");

    ingest(&app, &["cases-states"]).await;
    let after = json_once(&app, path, |b| !rows(b).is_empty()).await;
    assert_eq!(after["to"], "2022-04-24");
    let revalidated = app
        .client
        .get(app.url(path))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        revalidated.status(),
        StatusCode::OK,
        "the old ETag no longer matches"
    );
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_the_parameter() {
    let app = app().await;
    let cases = [
        ("/api/v1/occupancy?uf=XX", "uf"),
        ("/api/v1/occupancy?from=2021-13-01", "from"),
        ("/api/v1/occupancy?from=22/03/2021", "from"),
        ("/api/v1/occupancy?from=2021-03-22&to=2021-03-01", "from"),
        ("/api/v1/occupancy?bed_class=sofa", "bed_class"),
        ("/api/v1/occupancy?scope=everything", "scope"),
        ("/api/v1/occupancy?limit=1000000", "limit"),
        ("/api/v1/occupancy?limit=-1", "limit"),
        ("/api/v1/occupancy?offset=x", "offset"),
        ("/api/v1/occupancy?format=xml", "format"),
        ("/api/v1/occupancy?format=csv&dialect=tsv", "dialect"),
        ("/api/v1/occupancy?ufs=SP", "ufs"),
        ("/api/v1/occupancy?uf=SP&uf=RJ", "uf"),
        ("/api/v1/cases/states?uf=SP,ZZ", "uf"),
        ("/api/v1/cases/cities?city=355030", "city"),
        ("/api/v1/cases/cities/latest?date=yesterday", "date"),
        ("/api/v1/rankings?metric=vibes", "metric"),
        ("/api/v1/rankings?scope=country", "scope"),
        ("/api/v1/rankings?direction=up", "direction"),
        ("/api/v1/rankings?min_population=lots", "min_population"),
        ("/api/v1/rankings?uf=SP,RJ", "uf"),
        ("/api/v1/rankings?limit=5000", "limit"),
        ("/api/v1/srag?to=2020-02-30", "to"),
        ("/api/v1/patients?uf=Atlantis", "uf"),
        ("/api/v1/patients?limit=0", "limit"),
        ("/api/v1/runs?limit=0", "limit"),
        ("/api/v1/cities?uf=BR", "uf"),
    ];
    for (path, parameter) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_parameter", "{path}");
        assert_eq!(body["parameter"], parameter, "{path}: {body}");
        assert!(!body["allowed"].as_str().unwrap().is_empty(), "{path}");
    }
    let unknown = app.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"], "not_found");
}

/// Query strings of known names, unknown names and garbage values.
fn query_strings() -> impl Strategy<Value = String> {
    let name = proptest::sample::select(vec![
        "uf",
        "city",
        "from",
        "to",
        "date",
        "bed_class",
        "scope",
        "metric",
        "direction",
        "limit",
        "offset",
        "min_population",
        "min_beds",
        "sort",
        "page",
        "page_size",
        "format",
        "dialect",
        "x",
        "",
    ]);
    let value = proptest::prop_oneof![
        proptest::sample::select(vec![
            "SP",
            "sp,rj",
            "BR",
            "2021-03-22",
            "2020-02-30",
            "2099-12-31",
            "0",
            "1",
            "10000",
            "10001",
            "-5",
            "icu",
            "covid",
            "city",
            "state",
            "least",
            "csv",
            "excel-br",
            "3550308",
            "%FF",
            "%00",
            "new_cases_week_per_100k",
            "18446744073709551616",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,12}",
    ];
    proptest::collection::vec((name, value), 0..5).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

#[tokio::test]
async fn random_query_strings_never_give_a_server_error() {
    let app = app().await;
    ingest(&app, &["cases-states", "population"]).await;
    let endpoints = [
        "/api/v1/states",
        "/api/v1/cities",
        "/api/v1/cases/states",
        "/api/v1/cases/cities",
        "/api/v1/cases/cities/latest",
        "/api/v1/occupancy",
        "/api/v1/hospitals",
        "/api/v1/patients",
        "/api/v1/srag",
        "/api/v1/srag/nowcast",
        "/api/v1/srag/outlook",
        "/api/v1/trends",
        "/api/v1/rankings",
        "/api/v1/freshness",
        "/api/v1/runs",
    ];
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    let strategy = query_strings();
    let mut tried = 0;
    for endpoint in endpoints {
        for _ in 0..64 {
            let query = strategy.new_tree(&mut runner).unwrap().current();
            let url = format!("{}{endpoint}?{query}", app.url(""));
            let response = app.client.get(&url).send().await.unwrap();
            let status = response.status();
            assert!(
                status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
                "{url} gave {status}"
            );
            let csv = response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv");
            let text = response.text().await.unwrap();
            if csv {
                assert_eq!(status, StatusCode::OK, "{url}");
            } else {
                let body: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}"));
                if status == StatusCode::BAD_REQUEST {
                    assert!(body["parameter"].is_string(), "{url}: {body}");
                }
            }
            tried += 1;
        }
    }
    assert_eq!(tried, endpoints.len() * 64);
}

#[tokio::test]
async fn the_openapi_document_describes_what_the_endpoints_return() {
    let app = app().await;
    ingest(&app, &["cases-states", "population"]).await;
    let document = json(&app, "/api/v1/openapi.json").await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let schemas = &document["components"]["schemas"];
    let paths = document["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 19, "{:?}", paths.keys());
    for (path, item) in paths {
        if path.starts_with("/api/v1/alerts") {
            // An account's rules, not a listing of the data: alerts.rs
            // checks them.
            continue;
        }
        if path.contains('{') {
            // A path naming a place of the data (a hospital): its own test
            // checks it with that data (hospitals.rs).
            continue;
        }
        let operation = &item["get"];
        // Every documented parameter is accepted, an undocumented one is not.
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            let response = app.get(&format!("{path}?{name}=")).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} {name}");
        }
        assert_eq!(
            app.get(&format!("{path}?undocumented=1")).await.status(),
            StatusCode::BAD_REQUEST
        );

        // The rows returned have exactly the documented fields.
        let content = &operation["responses"]["200"]["content"];
        let listing = resolve(schemas, &content["application/json"]["schema"]);
        let row = resolve(schemas, &listing["properties"]["rows"]["items"]);
        let documented: BTreeSet<&str> = row["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let required: BTreeSet<&str> = row["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let body = json(&app, path).await;
        assert!(
            !rows(&body).is_empty()
                || path.contains("cities")
                || path == "/api/v1/srag"
                || path == "/api/v1/occupancy"
                || path == "/api/v1/hospitals"
                || path == "/api/v1/patients"
                // No SIVEP vintages here: nowcast_api.rs checks their rows.
                || path.starts_with("/api/v1/srag/")
                || path == "/api/v1/trends",
            "{path}"
        );
        for row in rows(&body) {
            let fields: BTreeSet<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert!(
                fields.is_subset(&documented),
                "{path}: {fields:?} vs {documented:?}"
            );
            assert!(
                required.is_subset(&fields),
                "{path}: {required:?} vs {fields:?}"
            );
        }
    }
}

/// Follows a `$ref` into the components, or returns an inline schema.
pub(crate) fn resolve<'a>(schemas: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => &schemas[reference.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

#[tokio::test]
async fn a_lost_store_is_a_quick_503_while_cached_answers_keep_serving() {
    let app = app().await;
    ingest(&app, &["cases-states"]).await;
    // The server notices the other process's write within its 1 s poll and
    // then drops older answers; cache one after that.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let cached = "/api/v1/cases/states?uf=BR";
    json_once(&app, cached, |b| !rows(b).is_empty()).await;

    drop_postgres_database(&app.database_url).await;
    let started = Instant::now();
    let response = app.get("/api/v1/occupancy").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_secs(10), "fails fast");
    assert_eq!(response.headers()[header::RETRY_AFTER], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unavailable");
    assert!(
        !body.to_string().contains("sentinela_test"),
        "no internals leak: {body}"
    );
    // The last good answers keep serving.
    assert_eq!(app.get(cached).await.status(), StatusCode::OK);
}
