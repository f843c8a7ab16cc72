//! The ingest pipeline on the real public files, served over real HTTP on
//! loopback, into a real store: gold must equal the reference values
//! computed independently from the raw files (`../shared/data/expected`).

use std::{sync::Arc, sync::atomic::Ordering, time::Duration};

use app::catalog::runs::RunReport;
use chrono::NaiveDate;
use sentinela::{
    ingest::{
        Pipeline,
        connect::{
            fetch::{Fetcher, Origin, RetryPolicy},
            secrets::Secrets,
        },
    },
    lake::LocalLake,
    sources,
    store::{StateTotals, Store},
};
use serde_json::Value;

use crate::support::{
    files::FileServer, local_lake, on_both_stores, postgres_store, shared_data, sqlite_store,
};

const STATES_FILE: &str = "cases/cases-brazil-states_2022-04-24.csv";

fn cases_source(url: &str) -> Arc<[sources::SourceConfig]> {
    let toml = format!(
        r#"
        [[source]]
        name = "cases-states"
        title = "Casos e óbitos por UF — covid19br (W. Cota), CC BY-SA 4.0"
        kind = "http"
        url = "{url}"
        format = "wcota-states"
        file = "cases-brazil-states*.csv"
        "#
    );
    sources::parse(&toml).unwrap().into()
}

pub fn pipeline(store: &Store, lake: LocalLake, sources: Arc<[sources::SourceConfig]>) -> Pipeline {
    pipeline_with_secrets(store, lake, sources, Secrets::default())
}

/// A pipeline whose sources find their credentials in `secrets`; failed
/// fetches are tried three times, 10 ms apart at first.
fn pipeline_with_secrets(
    store: &Store,
    lake: LocalLake,
    sources: Arc<[sources::SourceConfig]>,
    secrets: Secrets,
) -> Pipeline {
    let retry = RetryPolicy {
        attempts: 3,
        first_delay: Duration::from_millis(10),
        read_timeout: Duration::from_secs(10),
    };
    Pipeline::new(
        Arc::new(lake),
        store.clone(),
        sources,
        Fetcher::new(retry, secrets).unwrap(),
    )
}

/// The expected per-state totals on 2022-04-24, `TOTAL` as `BR`.
fn expected_totals() -> Vec<StateTotals> {
    let text = std::fs::read_to_string(shared_data().join("expected/cases-states_2022-04-24.json"))
        .unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut totals: Vec<StateTotals> = json["states"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["apart"].as_array().unwrap())
        .map(|row| StateTotals {
            uf: match row["uf"].as_str().unwrap() {
                "TOTAL" => "BR".to_owned(),
                uf => uf.to_owned(),
            },
            cases: row["total_cases"].as_i64().unwrap(),
            deaths: row["deaths"].as_i64().unwrap(),
            population: None,
        })
        .collect();
    totals.sort_by(|a, b| a.uf.cmp(&b.uf));
    totals
}

fn stage<'r>(report: &'r RunReport, name: &str) -> &'r app::catalog::runs::StageMetrics {
    report.sources[0]
        .stages
        .iter()
        .find(|s| s.stage == name)
        .unwrap()
}

async fn state_totals_equal_the_reference(store: Store) {
    let server = FileServer::start(shared_data()).await;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, cases_source(&server.url(STATES_FILE)))
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");

    // 21,658 data rows, none rejected: the file is clean.
    let bronze = stage(&report, "bronze");
    assert_eq!(
        (bronze.rows_in, bronze.rows_out, bronze.rejected),
        (21_658, 21_658, 0)
    );

    let day = NaiveDate::from_ymd_opt(2022, 4, 24).unwrap();
    let totals = store.state_totals(day).await.unwrap();
    assert_eq!(totals, expected_totals());
    let brazil = totals.iter().find(|t| t.uf == "BR").unwrap();
    assert_eq!((brazil.cases, brazil.deaths), (30_349_463, 662_891));
    let states = totals.iter().filter(|t| t.uf != "BR");
    assert_eq!(states.clone().count(), 27);
    assert_eq!(states.clone().map(|t| t.cases).sum::<i64>(), brazil.cases);
    assert_eq!(states.map(|t| t.deaths).sum::<i64>(), brazil.deaths);

    let status = store.source_states().await.unwrap();
    assert_eq!(status[0].newest_date, Some(day));
    assert!(status[0].last_error.is_none());
}

#[tokio::test]
async fn a_second_run_asks_conditionally_and_adds_nothing() {
    let store = postgres_store().await;
    let server = FileServer::start(shared_data()).await;
    let (lake, dir) = local_lake();
    let sources = cases_source(&server.url(STATES_FILE));
    let first = pipeline(&store, lake, sources.clone())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(first.sources[0].outcome, "new");
    let day = NaiveDate::from_ymd_opt(2022, 4, 24).unwrap();
    let before = store.state_totals(day).await.unwrap();

    let lake = LocalLake::new(dir.path().to_owned());
    let second = pipeline(&store, lake, sources)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(second.sources[0].outcome, "unchanged");
    assert!(second.gold.is_empty(), "nothing downstream is recomputed");
    assert_eq!(
        server.counters.not_modified.load(Ordering::SeqCst),
        1,
        "the server answered 304"
    );
    assert_eq!(store.state_totals(day).await.unwrap(), before);
    assert_eq!(store.runs(10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_failing_source_is_retried_then_recorded_and_the_last_good_gold_keeps_serving() {
    let store = postgres_store().await;
    let server = FileServer::start(shared_data()).await;
    let (lake, dir) = local_lake();
    let sources = cases_source(&server.url(STATES_FILE));
    pipeline(&store, lake, sources.clone())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2022, 4, 24).unwrap();
    let good = store.state_totals(day).await.unwrap();

    server.fail_with(503);
    let requests_before = server.counters.requests.load(Ordering::SeqCst);
    let lake = LocalLake::new(dir.path().to_owned());
    let report = pipeline(&store, lake, sources)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "failed");
    assert_eq!(
        server.counters.requests.load(Ordering::SeqCst) - requests_before,
        3,
        "three attempts"
    );
    let error = report.sources[0].error.as_deref().unwrap();
    assert!(error.contains("503"), "{error}");

    assert_eq!(
        store.state_totals(day).await.unwrap(),
        good,
        "the last good gold still serves"
    );
    let state = &store.source_states().await.unwrap()[0];
    assert!(state.last_error.as_deref().unwrap().contains("503"));
    assert!(state.last_success_at.is_some());
    let runs = store.runs(10).await.unwrap();
    assert_eq!(runs[0].status, "failed");
}

#[tokio::test]
async fn ingest_from_a_folder_of_downloaded_files() {
    let store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let sources = cases_source("https://example.invalid/cases-brazil-states.csv");
    let report = pipeline(&store, lake, sources)
        .run(&Origin::Dir(shared_data().join("cases")), &["cases-states"])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let totals = store
        .state_totals(NaiveDate::from_ymd_opt(2022, 4, 24).unwrap())
        .await
        .unwrap();
    assert_eq!(totals, expected_totals());
}

fn occupancy_source() -> Arc<[sources::SourceConfig]> {
    let toml = r#"
        [[source]]
        name = "occupancy-snapshots"
        title = "Ocupação de leitos — Ministério da Saúde (e-SUS Notifica)"
        kind = "http"
        url = "https://example.invalid/leito_ocupacao.csv.gz"
        format = "occupancy-snapshot"
        file = "data_*.csv.gz"
        history = true
    "#;
    sources::parse(toml).unwrap().into()
}

/// Gold occupancy on `day` equals the reference: counts exactly, rates to 1e-9.
async fn assert_occupancy_matches(store: &Store, day: &str) {
    let text =
        std::fs::read_to_string(shared_data().join(format!("expected/occupancy_{day}.json")))
            .unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    let rows = store.occupancy_on(day.parse().unwrap()).await.unwrap();
    let wanted = expected["states"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        wanted.len(),
        "one row per state, bed class and scope on {day}"
    );
    for want in wanted {
        let key = (
            want["uf"].as_str().unwrap(),
            want["bed_class"].as_str().unwrap(),
            want["scope"].as_str().unwrap(),
        );
        let row = rows
            .iter()
            .find(|r| (r.uf.as_str(), r.bed_class.code(), r.scope.code()) == key)
            .unwrap_or_else(|| panic!("{key:?} missing on {day}"));
        let counts = (
            row.offered as f64,
            row.occupied as f64,
            row.occupied_raw as f64,
            row.hospitals,
            row.over_capacity,
        );
        let expected_counts = (
            want["offered"].as_f64().unwrap(),
            want["occupied"].as_f64().unwrap(),
            want["occupied_raw"].as_f64().unwrap(),
            want["hospitals"].as_i64().unwrap(),
            want["over_capacity"].as_i64().unwrap(),
        );
        assert_eq!(counts, expected_counts, "{key:?} on {day}");
        assert!(
            (row.rate - want["rate"].as_f64().unwrap()).abs() < 1e-9,
            "{key:?} rate on {day}"
        );
    }
    assert!(expected["apart"].as_array().unwrap().is_empty());
}

async fn occupancy_equals_the_reference(store: Store) {
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, occupancy_source())
        .run(&Origin::Dir(shared_data().join("occupancy")), &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let bronze = stage(&report, "bronze");
    assert_eq!(bronze.rows_in, bronze.rows_out + bronze.rejected);
    assert!(
        bronze.rows_in > 100_000,
        "all 28 snapshots were read: {bronze:?}"
    );
    assert_occupancy_matches(&store, "2021-03-08").await;
    assert_occupancy_matches(&store, "2021-03-22").await;
}

pub fn sivep_source() -> Arc<[sources::SourceConfig]> {
    let toml = r#"
        [[source]]
        name = "sivep-summary"
        title = "SRAG hospitalizados — SIVEP-Gripe (covid19br/sumario_SIVEP), MIT"
        kind = "http"
        url = "https://example.invalid/sum_dados.csv.xz"
        format = "sivep-summary"
        file = "sum_dados_*.csv.xz"
    "#;
    sources::parse(toml).unwrap().into()
}

async fn srag_equals_the_reference(store: Store) {
    let server = FileServer::start(shared_data()).await;
    let (lake, _dir) = local_lake();
    let sources: Arc<[sources::SourceConfig]> = sivep_source()
        .iter()
        .cloned()
        .map(|mut s| {
            s.url = server.url("sivep/sum_dados_2020_06_23.csv.xz");
            s
        })
        .collect();
    let report = pipeline(&store, lake, sources)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let bronze = stage(&report, "bronze");
    assert_eq!((bronze.rows_in, bronze.rejected), (170_137, 0));
    // Without the municipality list no 7-digit code is guessed.
    let codes = stage(&report, "silver city_ibge");
    assert!(codes.rows_in > 0);
    assert_eq!((codes.rows_out, codes.rejected), (0, codes.rows_in));

    assert_srag_matches(&store).await;
}

/// Gold SRAG over the reference period equals the reference: counts
/// exactly, rates to 1e-9.
pub async fn assert_srag_matches(store: &Store) {
    let text =
        std::fs::read_to_string(shared_data().join("expected/sivep_2020-03-01_2020-06-20.json"))
            .unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    let period: Vec<NaiveDate> = expected["period"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().parse().unwrap())
        .collect();
    let totals = store.srag_period(period[0], period[1]).await.unwrap();
    let wanted: Vec<&Value> = expected["states"]
        .as_array()
        .unwrap()
        .iter()
        .chain(expected["apart"].as_array().unwrap())
        .collect();
    assert_eq!(totals.len(), wanted.len());
    for want in wanted {
        let uf = want["uf"].as_str().unwrap();
        let got = totals
            .iter()
            .find(|t| t.uf == uf)
            .unwrap_or_else(|| panic!("{uf:?} missing"));
        let count = |name: &str| want[name].as_i64().unwrap();
        assert_eq!(
            (
                got.hospitalised,
                got.confirmed,
                got.suspected,
                got.deaths,
                got.deaths_confirmed,
                got.deaths_suspected
            ),
            (
                count("hospitalised"),
                count("confirmed"),
                count("suspected"),
                count("deaths"),
                count("deaths_confirmed"),
                count("deaths_suspected")
            ),
            "{uf}"
        );
        let close = |got: Option<f64>, name: &str| {
            let want = want[name].as_f64().unwrap();
            assert!(
                (got.unwrap() - want).abs() < 1e-9,
                "{uf} {name}: {got:?} vs {want}"
            );
        };
        close(
            app::catalog::domain::ratio(got.confirmed, got.hospitalised),
            "confirmed_share",
        );
        close(
            app::catalog::domain::ratio(got.deaths_confirmed, got.confirmed),
            "death_rate_confirmed",
        );
        close(
            app::catalog::domain::ratio(got.deaths_suspected, got.suspected),
            "death_rate_suspected",
        );
    }
}

/// The Elasticsearch connector against the real recorded API response,
/// served page by page with basic authentication: the gold it yields equals
/// the gold of the CSV snapshot the collector saved from the same response.
#[tokio::test]
async fn the_search_api_yields_the_same_occupancy_as_the_saved_snapshot() {
    use crate::support::elastic::{ElasticServer, PASSWORD, USER};

    let elastic = ElasticServer::start().await;
    let toml = format!(
        r#"
        [[source]]
        name = "occupancy-api"
        title = "Ocupação de leitos — Ministério da Saúde (e-SUS Notifica)"
        kind = "elasticsearch"
        url = "{}"
        format = "occupancy-api"
        history = true
        page_size = 1000
        user_env = "LEITOS_USER"
        password_env = "LEITOS_PASSWORD"
        "#,
        elastic.search_url()
    );
    let secrets = Secrets::Fixed(
        [("LEITOS_USER", USER), ("LEITOS_PASSWORD", PASSWORD)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    );
    let api_store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let report = pipeline_with_secrets(
        &api_store,
        lake,
        sources::parse(&toml).unwrap().into(),
        secrets,
    )
    .run(&Origin::Remote, &[])
    .await
    .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let api_bronze = stage(&report, "bronze").clone();
    assert_eq!(api_bronze.rows_in, 3_816, "every hit of the four pages");
    assert_eq!(elastic.counters.searches.load(Ordering::SeqCst), 1);
    assert_eq!(
        elastic.counters.scrolls.load(Ordering::SeqCst),
        4,
        "three more pages, then an empty one"
    );
    assert_eq!(
        elastic.counters.cleared.load(Ordering::SeqCst),
        1,
        "the scroll is cleared"
    );
    assert_eq!(elastic.counters.unauthorized.load(Ordering::SeqCst), 0);

    let csv_store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let snapshot: Arc<[sources::SourceConfig]> = occupancy_source()
        .iter()
        .cloned()
        .map(|mut s| {
            s.file = Some("data_2021-03-03.csv.gz".into());
            s
        })
        .collect();
    let csv_report = pipeline(&csv_store, lake, snapshot)
        .run(&Origin::Dir(shared_data().join("occupancy")), &[])
        .await
        .unwrap();
    let csv_bronze = stage(&csv_report, "bronze");
    assert_eq!(
        (api_bronze.rows_out, api_bronze.rejected),
        (csv_bronze.rows_out, csv_bronze.rejected),
        "the same reports parse, the same are rejected"
    );
    let day = NaiveDate::from_ymd_opt(2021, 3, 3).unwrap();
    let from_api = api_store.occupancy_on(day).await.unwrap();
    assert!(from_api.len() > 100, "{} rows", from_api.len());
    assert_eq!(from_api, csv_store.occupancy_on(day).await.unwrap());
}

#[tokio::test]
async fn the_search_api_without_credentials_is_a_clear_source_error() {
    use crate::support::elastic::ElasticServer;

    let elastic = ElasticServer::start().await;
    let toml = format!(
        r#"
        [[source]]
        name = "occupancy-api"
        title = "Ocupação de leitos"
        kind = "elasticsearch"
        url = "{}"
        format = "occupancy-api"
        user_env = "LEITOS_USER"
        password_env = "LEITOS_PASSWORD"
        "#,
        elastic.search_url()
    );
    let store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, sources::parse(&toml).unwrap().into())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "failed");
    let error = report.sources[0].error.as_deref().unwrap();
    assert!(error.contains("LEITOS_USER is not set"), "{error}");
}

/// The PostgreSQL query connector: a snapshot loaded into a table of another
/// database, collected by a query, yields the same occupancy as the file.
#[tokio::test]
async fn a_postgres_query_yields_the_same_occupancy_as_the_file() {
    use std::io::Read;

    use secrecy::ExposeSecret;
    use sqlx::{Connection, Executor, postgres::PgConnection};

    // The "seed RDS": a table holding one day's snapshot, as text columns.
    let seed_url = crate::support::fresh_postgres_url().await;
    let mut csv = Vec::new();
    let file = std::fs::File::open(shared_data().join("occupancy/data_2021-03-22.csv.gz")).unwrap();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut csv)
        .unwrap();
    let header =
        String::from_utf8_lossy(&csv[..csv.iter().position(|b| *b == b'\n').unwrap()]).into_owned();
    let columns: Vec<String> = header
        .split(',')
        .map(|c| format!("\"{}\" TEXT", c.trim()))
        .collect();
    let mut seed = PgConnection::connect(seed_url.expose_secret())
        .await
        .unwrap();
    seed.execute(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE leito_ocupacao ({})",
        columns.join(", ")
    )))
    .await
    .unwrap();
    let mut copy = seed
        .copy_in_raw("COPY leito_ocupacao FROM STDIN WITH (FORMAT csv, HEADER)")
        .await
        .unwrap();
    copy.send(csv).await.unwrap();
    copy.finish().await.unwrap();

    let toml = r#"
        [[source]]
        name = "seed-rds"
        title = "Ocupação de leitos — banco do projeto anterior"
        kind = "postgres"
        url = "postgres://seed-rds/leitos"
        url_env = "SEED_DATABASE_URL"
        query = "SELECT * FROM leito_ocupacao ORDER BY cnes;"
        format = "occupancy-snapshot"
        history = true
    "#;
    let secrets = Secrets::Fixed(
        [(
            "SEED_DATABASE_URL".to_owned(),
            seed_url.expose_secret().to_owned(),
        )]
        .into(),
    );
    let store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let report = pipeline_with_secrets(&store, lake, sources::parse(toml).unwrap().into(), secrets)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert!(
        !format!("{report:?}").contains(seed_url.expose_secret()),
        "the connection URL never reaches the report"
    );

    let csv_store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let snapshot: Arc<[sources::SourceConfig]> = occupancy_source()
        .iter()
        .cloned()
        .map(|mut s| {
            s.file = Some("data_2021-03-22.csv.gz".into());
            s
        })
        .collect();
    pipeline(&csv_store, lake, snapshot)
        .run(&Origin::Dir(shared_data().join("occupancy")), &[])
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2021, 3, 22).unwrap();
    let from_query = store.occupancy_on(day).await.unwrap();
    assert!(from_query.len() > 100, "{} rows", from_query.len());
    assert_eq!(from_query, csv_store.occupancy_on(day).await.unwrap());
}

/// The Google Drive connector, through the confirmation page of large
/// files, on the real SIVEP summary.
#[tokio::test]
async fn a_drive_shared_file_is_downloaded_through_the_confirmation_page() {
    use crate::support::drive::DriveServer;

    let drive = DriveServer::start(shared_data().join("sivep/sum_dados_2020_06_23.csv.xz")).await;
    let toml = format!(
        r#"
        [[source]]
        name = "sivep-drive"
        title = "SRAG hospitalizados — cópia no Google Drive"
        kind = "gdrive"
        url = "{}"
        format = "sivep-summary"
        "#,
        drive.share_url()
    );
    let store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, sources::parse(&toml).unwrap().into())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(stage(&report, "bronze").rows_in, 170_137);
    assert_srag_matches(&store).await;
}

/// Records what the pipeline reports as it goes.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl sentinela::ingest::Observer for Recorder {
    fn source_started(&self, source: &str) {
        self.0.lock().unwrap().push(format!("started {source}"));
    }

    fn source_finished(&self, report: &app::catalog::runs::SourceReport) {
        let stages: Vec<_> = report.stages.iter().map(|s| s.stage.as_str()).collect();
        self.0.lock().unwrap().push(format!(
            "finished {} {} {}",
            report.name,
            report.outcome,
            stages.join("+")
        ));
    }

    fn gold_finished(&self, metrics: &app::catalog::runs::StageMetrics) {
        self.0.lock().unwrap().push(metrics.stage.clone());
    }
}

#[tokio::test]
async fn a_run_reports_its_progress_as_it_goes() {
    let server = FileServer::start(shared_data()).await;
    let (store, _db) = sqlite_store().await;
    let (lake, _dir) = local_lake();
    let recorder = Arc::new(Recorder::default());
    pipeline(&store, lake, cases_source(&server.url(STATES_FILE)))
        .observed_by(recorder.clone())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(
        *recorder.0.lock().unwrap(),
        vec![
            "started cases-states",
            "finished cases-states new bronze+silver",
            "gold cases_state",
            "gold ranking",
        ]
    );
}

on_both_stores!(
    state_totals_equal_the_reference,
    occupancy_equals_the_reference,
    srag_equals_the_reference,
);

/// A user who downloaded the public files runs `ingest --from` that folder
/// with the built-in configuration: every file a default source reads is
/// read (the saved API answer and the daily snapshots included), and the
/// sources with no file there are absent, not failed.
#[tokio::test]
async fn the_default_sources_read_every_shared_file_they_can() {
    let store = postgres_store().await;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, sources::load(None).unwrap().into())
        .run(&Origin::Dir(shared_data()), &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let outcome = |name: &str| {
        report
            .sources
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.outcome.code())
            .unwrap()
    };
    for name in [
        "cases-states",
        "cases-cities",
        "municipalities",
        "sivep-summary",
        "sivep-vintages",
        "population",
        "occupancy-api",
        "occupancy-snapshots",
        "geo-states",
        "geo-cities",
    ] {
        assert_eq!(outcome(name), "new", "{name}");
    }
    assert_eq!(outcome("occupancy-register-2021"), "absent");
    let snapshots = report
        .sources
        .iter()
        .find(|s| s.name == "occupancy-snapshots")
        .unwrap();
    // The data rows of the 28 daily files, counted with Python's csv.
    assert_eq!(snapshots.stages[0].rows_in, 107_279, "all 28 days");
}

/// SIVEP's weekly vintages as a history source: every vintage kept in
/// bronze, and silver the reporting triangle, which a later fetch extends
/// with its vintage. The counts were computed independently with Python's
/// csv from the raw files (epidemiological weeks, Sunday to Saturday): São
/// Paulo's week of 2020-07-12 held 4,287 hospitalisations nine days later
/// and 8,348 seventeen days later (10,535 by 2020-12-28).
#[tokio::test]
async fn sivep_vintages_make_the_reporting_triangle() {
    #[derive(serde::Deserialize)]
    struct Cell {
        vintage: NaiveDate,
        uf: String,
        week: NaiveDate,
        hospitalised: i64,
    }
    let history = shared_data().join("../history/sivep");
    let folder = tempfile::tempdir().unwrap();
    let copy = |vintage: &str| {
        let name = format!("sum_dados_{vintage}.csv.xz");
        std::fs::copy(history.join(&name), folder.path().join(&name)).unwrap();
    };
    copy("2020_07_21");
    copy("2020_07_29");
    let toml = "[[source]]\nname = \"sivep-vintages\"\ntitle = \"SIVEP\"\nkind = \"http\"\n\
        url = \"https://example.invalid/sum_dados.csv.xz\"\nformat = \"sivep-vintages\"\n\
        file = \"sum_dados_*.csv.xz\"\nhistory = true\n";
    let store = postgres_store().await;
    let (lake, lake_dir) = local_lake();
    let pipeline = pipeline(&store, lake, sources::parse(toml).unwrap().into());
    let origin = Origin::Dir(folder.path().to_owned());
    let triangle = || {
        let file = std::fs::File::open(
            lake_dir
                .path()
                .join("silver/sivep_vintages/sivep-vintages.parquet"),
        )
        .unwrap();
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap()
            .flat_map(|batch| serde_arrow::from_record_batch::<Vec<Cell>>(&batch.unwrap()).unwrap())
            .collect::<Vec<Cell>>()
    };
    let week = NaiveDate::from_ymd_opt(2020, 7, 12).unwrap();
    let sao_paulo = |cells: &[Cell], vintage: NaiveDate| {
        cells
            .iter()
            .find(|c| c.vintage == vintage && c.uf == "SP" && c.week == week)
            .map(|c| c.hospitalised)
    };
    let (week_after, two_weeks_after) = (
        NaiveDate::from_ymd_opt(2020, 7, 21).unwrap(),
        NaiveDate::from_ymd_opt(2020, 7, 29).unwrap(),
    );

    let report = pipeline.run(&origin, &[]).await.unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let bronze = std::fs::read_dir(lake_dir.path().join("bronze/sivep-vintages"))
        .unwrap()
        .flat_map(|fetch| std::fs::read_dir(fetch.unwrap().path()).unwrap())
        .filter(|f| {
            !f.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("rejects")
        })
        .count();
    assert_eq!(bronze, 2, "one bronze table per vintage");
    let cells = triangle();
    assert_eq!(sao_paulo(&cells, week_after), Some(4_287));
    assert_eq!(sao_paulo(&cells, two_weeks_after), Some(8_348));

    // A later fetch brings one more vintage: the triangle gains its column.
    copy("2020_07_14");
    let report = pipeline.run(&origin, &[]).await.unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let cells = triangle();
    let vintages: std::collections::BTreeSet<NaiveDate> = cells.iter().map(|c| c.vintage).collect();
    assert_eq!(vintages.len(), 3);
    assert_eq!(sao_paulo(&cells, week_after), Some(4_287));
    assert_eq!(sao_paulo(&cells, two_weeks_after), Some(8_348));
}
