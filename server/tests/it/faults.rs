//! Faults a source can throw at a run, each after a good run: it answers
//! 500, falls silent, cuts the file off, serves a corrupt gzip or changes
//! its header. Every time the run records a clear error for that source,
//! the other source still refreshes, the last good gold keeps serving, and
//! nothing in the lake that was good is overwritten. The database going
//! away while the dashboard is read: quick 503s, and service again, without
//! a restart, once it is back. S3 throttling: retried, then a clear failure
//! that leaves the old objects whole. (Runs killed mid-way are
//! `lineage.rs`'s.)

use std::{
    io::Write,
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};

use chrono::NaiveDate;
use flate2::{Compression, write::GzEncoder};
use sentinela::{
    ingest::{
        Pipeline,
        connect::{
            fetch::{Fetcher, Origin, RetryPolicy},
            secrets::Secrets,
        },
    },
    lake::{Lake, LocalLake},
    sources,
    store::Store,
};

use reqwest::StatusCode;

use crate::support::{
    app::spawn_with,
    files::{Delivery, FileServer},
    local_lake, postgres_store,
    proxy::Proxy,
    shared_data,
    throttle::ThrottlingProxy,
};

const CASES: &str = "cases/cases-brazil-states_2022-04-24.csv";
/// The victim's URL path on its server: a gzip file.
const SERVED: &str = "cases-brazil-states.csv.gz";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The victim (cases per state, gzip) and the bystander (population), each
/// on its own server.
struct Scene {
    store: Store,
    lake: Arc<LocalLake>,
    _lake_dir: tempfile::TempDir,
    victim_dir: tempfile::TempDir,
    victim: FileServer,
    bystander_dir: tempfile::TempDir,
    pipeline: Pipeline,
}

impl Scene {
    async fn after_a_good_run() -> Scene {
        let victim_dir = tempfile::tempdir().unwrap();
        let bystander_dir = tempfile::tempdir().unwrap();
        let (victim, bystander) = (
            FileServer::start(victim_dir.path().to_owned()).await,
            FileServer::start(bystander_dir.path().to_owned()).await,
        );
        let toml = format!(
            "[[source]]\nname = \"cases-states\"\ntitle = \"Casos\"\nkind = \"http\"\n\
             url = \"{}\"\nformat = \"wcota-states\"\n\n\
             [[source]]\nname = \"population\"\ntitle = \"População\"\nkind = \"http\"\n\
             url = \"{}\"\nformat = \"population\"\n",
            victim.url(SERVED),
            bystander.url("populacao.csv"),
        );
        let (lake, lake_dir) = local_lake();
        let lake = Arc::new(lake);
        let store = postgres_store().await;
        let retry = RetryPolicy {
            attempts: 2,
            first_delay: Duration::from_millis(10),
            read_timeout: Duration::from_secs(1),
        };
        let pipeline = Pipeline::new(
            lake.clone(),
            store.clone(),
            sources::parse(&toml).unwrap().into(),
            Fetcher::new(retry, Secrets::default()).unwrap(),
        );
        let scene = Scene {
            store,
            lake,
            _lake_dir: lake_dir,
            victim_dir,
            victim,
            bystander_dir,
            pipeline,
        };
        scene.serve_victim(&gzip(&std::fs::read(shared_data().join(CASES)).unwrap()));
        scene.serve_population("reference/populacao-por-municipio-2019.csv");
        let report = scene.pipeline.run(&Origin::Remote, &[]).await.unwrap();
        assert_eq!(report.status, "ok", "{report:?}");
        // The bystander has new data for the next run.
        scene.serve_population("reference/populacao-por-municipio-2020.csv");
        scene
    }

    fn serve_victim(&self, bytes: &[u8]) {
        std::fs::write(self.victim_dir.path().join(SERVED), bytes).unwrap();
    }

    fn serve_population(&self, file: &str) {
        std::fs::copy(
            shared_data().join(file),
            self.bystander_dir.path().join("populacao.csv"),
        )
        .unwrap();
    }

    /// Every object in the lake with its bytes.
    async fn lake_objects(&self) -> Vec<(String, bytes::Bytes)> {
        let mut objects = Vec::new();
        for layer in ["raw", "bronze", "silver", "gold"] {
            for info in self.lake.list(layer).await.unwrap() {
                let bytes = self.lake.get(&info.key).await.unwrap();
                objects.push((info.key.to_string(), bytes));
            }
        }
        objects
    }

    /// Runs again with the fault in place and checks what must hold; returns
    /// the victim's recorded error.
    async fn run_with_fault(&self) -> String {
        let day = NaiveDate::from_ymd_opt(2022, 4, 24).unwrap();
        // Cases and deaths: the population (per-100k) is the other source's.
        let totals = || async {
            let totals = self.store.state_totals(day).await.unwrap();
            totals
                .into_iter()
                .map(|t| (t.uf, t.cases, t.deaths))
                .collect::<Vec<_>>()
        };
        let good_totals = totals().await;
        let before = self.lake_objects().await;
        let population_before = self.population_digest().await;

        let report = self.pipeline.run(&Origin::Remote, &[]).await.unwrap();
        assert_eq!(report.status, "partial", "{report:?}");
        let outcome = |name: &str| report.sources.iter().find(|s| s.name == name).unwrap();
        let victim = outcome("cases-states");
        assert_eq!(victim.outcome, "failed", "{report:?}");
        assert_ne!(outcome("population").outcome, "failed", "{report:?}");
        assert_ne!(
            self.population_digest().await,
            population_before,
            "the other source refreshed"
        );

        assert_eq!(
            totals().await,
            good_totals,
            "the last good gold keeps serving"
        );
        let after = self.lake_objects().await;
        for (key, bytes) in &before {
            let kept = after.iter().find(|(k, _)| k == key);
            let unchanged = kept.is_some_and(|(_, b)| b == bytes);
            let refreshed = key.contains("population") || key.starts_with("gold/");
            assert!(unchanged || refreshed, "{key} was overwritten");
        }
        let state = self
            .store
            .source_states()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.name == "cases-states")
            .unwrap();
        assert!(state.last_success_at.is_some());
        let error = victim.error.clone().unwrap();
        assert_eq!(state.last_error.as_deref(), Some(error.as_str()));
        error
    }

    async fn population_digest(&self) -> Option<String> {
        let states = self.store.source_states().await.unwrap();
        states
            .into_iter()
            .find(|s| s.name == "population")
            .and_then(|s| s.content_sha256)
    }

    /// Raw objects of the victim.
    async fn victim_raw(&self) -> usize {
        self.lake.list("raw/cases-states").await.unwrap().len()
    }
}

#[tokio::test]
async fn a_source_answering_500_is_recorded_and_harms_nothing() {
    let scene = Scene::after_a_good_run().await;
    let raw = scene.victim_raw().await;
    scene.victim.fail_with(500);
    let error = scene.run_with_fault().await;
    assert!(error.contains("HTTP 500"), "{error}");
    assert_eq!(
        scene.victim_raw().await,
        raw,
        "nothing fetched, nothing stored"
    );
}

#[tokio::test]
async fn a_silent_source_times_out() {
    let scene = Scene::after_a_good_run().await;
    let raw = scene.victim_raw().await;
    scene.victim.deliver(Delivery::Stalled);
    scene.serve_victim(&gzip(b"state,totalCases\nSP,1\n"));
    let error = scene.run_with_fault().await;
    assert!(
        error.to_lowercase().contains("timed out") || error.contains("timeout"),
        "{error}"
    );
    assert_eq!(scene.victim_raw().await, raw, "no partial file in raw");
}

#[tokio::test]
async fn a_file_cut_off_mid_way_is_not_kept() {
    let scene = Scene::after_a_good_run().await;
    let raw = scene.victim_raw().await;
    scene.victim.deliver(Delivery::CutOff);
    scene.serve_victim(&gzip(
        &std::fs::read(shared_data().join(CASES)).unwrap()[..1000],
    ));
    let error = scene.run_with_fault().await;
    assert!(
        error.contains("body") || error.contains("connection"),
        "{error}"
    );
    assert_eq!(scene.victim_raw().await, raw, "no partial file in raw");
    assert!(
        scene.victim.counters.requests.load(Ordering::SeqCst) >= 3,
        "retried"
    );
}

#[tokio::test]
async fn a_corrupt_gzip_is_a_clear_error() {
    let scene = Scene::after_a_good_run().await;
    let mut corrupt = gzip(&std::fs::read(shared_data().join(CASES)).unwrap());
    let middle = corrupt.len() / 2;
    corrupt[middle..middle + 64].fill(0xA5);
    scene.serve_victim(&corrupt);
    let error = scene.run_with_fault().await;
    assert!(error.contains(SERVED), "names the file: {error}");
    assert!(
        error.contains("gzip") || error.contains("deflate") || error.contains("corrupt"),
        "{error}"
    );
}

#[tokio::test]
async fn a_changed_header_is_a_clear_error() {
    let scene = Scene::after_a_good_run().await;
    let text = std::fs::read_to_string(shared_data().join(CASES)).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let renamed = header.replace("totalCases", "casosAcumulados");
    assert_ne!(renamed, header);
    scene.serve_victim(&gzip(format!("{renamed}\n{rows}").as_bytes()));
    let error = scene.run_with_fault().await;
    assert!(
        error.contains("totalCases"),
        "names the missing column: {error}"
    );
}

#[tokio::test]
async fn the_database_going_away_fails_fast_and_comes_back_without_a_restart() {
    use secrecy::{ExposeSecret, SecretString};
    let direct = crate::support::fresh_postgres_url().await;
    let (credentials, rest) = direct.expose_secret().split_once('@').unwrap();
    let (server, database) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(server.parse().unwrap()).await;
    let via_proxy = SecretString::from(format!("{credentials}@{}/{database}", proxy.addr));
    let app = spawn_with(|settings| settings.database_url = Some(via_proxy)).await;
    let app = &app;
    let get = |path: &'static str| async move {
        let started = Instant::now();
        let response = app.get(path).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        (status, body, started.elapsed())
    };
    assert_eq!(get("/readyz").await.0, StatusCode::OK);
    assert_eq!(get("/api/v1/cases/states?uf=AC").await.0, StatusCode::OK);

    proxy.cut();
    for path in ["/readyz", "/api/v1/cases/states?uf=RR", "/api/v1/runs"] {
        let (status, body, took) = get(path).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {body}");
        assert!(
            took < Duration::from_secs(8),
            "{path} failed fast: {took:?}"
        );
        assert!(body.contains("unavailable"), "{path}: {body}");
    }
    let (status, page, took) = get("/").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "the page is a 503");
    assert!(
        took < Duration::from_secs(8),
        "the page failed fast: {took:?}"
    );
    assert!(
        page.contains("Não foi possível"),
        "the page says so: {page}"
    );

    proxy.restore();
    let mut back = false;
    for _ in 0..60 {
        if get("/readyz").await.0 == StatusCode::OK {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(back, "the store is ready again without a restart");
    assert_eq!(get("/api/v1/cases/states?uf=RR").await.0, StatusCode::OK);
    assert_eq!(get("/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn s3_throttling_is_retried_then_a_clear_failure_that_loses_nothing() {
    use sentinela::lake::{Key, S3Config, S3Lake};

    let bucket = crate::support::fresh_bucket().await;
    let proxy = ThrottlingProxy::start(&std::env::var("SENTINELA_TEST_S3_ENDPOINT").unwrap()).await;
    let lake = S3Lake::new(S3Config {
        endpoint: Some(proxy.url()),
        ..crate::support::s3_config(&bucket)
    })
    .await;
    let kept: Key = "raw/cases/kept.csv".parse().unwrap();
    let big: Key = "raw/cases/big.csv".parse().unwrap();
    let original = bytes::Bytes::from(std::fs::read(shared_data().join(CASES)).unwrap());

    // A short burst of throttling: the writes retry and succeed.
    proxy.throttle(2);
    lake.put(&kept, original.clone()).await.unwrap();
    assert_eq!(proxy.counters.throttled.load(Ordering::SeqCst), 2);
    assert_eq!(lake.get(&kept).await.unwrap(), original);

    // Lasting throttling that starts in the middle of a multipart upload
    // (created, first part sent): a clear failure, nothing half-written.
    proxy.throttle_after(2, u64::MAX);
    let large = bytes::Bytes::from(original.repeat(4));
    assert!(large.len() > 8 * 1024 * 1024, "over one 8 MiB part");
    let error = lake.put(&big, large).await.unwrap_err().to_string();
    assert!(error.contains("big.csv"), "names the object: {error}");
    assert!(
        error.contains("SlowDown") || error.contains("throttl") || error.contains("503"),
        "{error}"
    );
    assert!(proxy.counters.forwarded.load(Ordering::SeqCst) >= 2);
    let error = lake
        .put(&kept, bytes::Bytes::from_static(b"partial"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("kept.csv"), "{error}");

    proxy.throttle(0);
    assert_eq!(
        lake.get(&kept).await.unwrap(),
        original,
        "the old object is intact"
    );
    assert!(!lake.exists(&big).await.unwrap(), "no half-written object");
}
