//! Gold follows silver, whatever happens to the runs. The real binary is
//! killed (SIGKILL) at crash points spread over a whole run, once and two
//! or three times in a row, and at timed instants; two ingests start
//! together; a CLI ingest meets the server's scheduler; the scheduler's
//! server dies mid-run and comes back; the store is cut mid-run and the S3
//! lake throttled mid-run. After each, one full run leaves every gold table
//! equal, row for row, to a clean run's, and nothing says gold is behind.
//! On both stores. Then the data contracts: a cut file, dates that go
//! back, a state removed and a column blanked are each held, with gold
//! unchanged byte for byte, until an admin accepts the edition.

use std::{
    io::{BufRead, BufReader, Write},
    os::unix::process::ExitStatusExt,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use app::{
    backend::Backend as _,
    catalog::runs::{RunReport, SourceReport, StageMetrics},
};
use secrecy::{ExposeSecret, SecretString};
use sentinela::{
    backend::DashboardBackend,
    ingest::{
        Observer, Pipeline,
        connect::{
            fetch::{Fetcher, Origin, RetryPolicy},
            secrets::Secrets,
        },
    },
    lake::{LocalLake, S3Config, S3Lake},
    lineage,
    sources::{self, SourceConfig},
    store::Store,
};
use tempfile::TempDir;

use crate::support::{
    binary::Server, files::FileServer, fresh_bucket, fresh_postgres_url, gold::fingerprint,
    proxy::Proxy, s3_config, shared_data, throttle::ThrottlingProxy,
};

/// The shared files of a run small enough for a debug build to make in a
/// few seconds, with every kind of source: daily series, per-date
/// snapshots, a reference that another source is refined with, hospital
/// reports and map outlines.
const FILES: [&str; 7] = [
    "cases/cases-brazil-states_2020-06-18.csv",
    "cases/cases-brazil-cities_2020-06-18.csv",
    "reference/municipios.csv",
    "reference/populacao-por-municipio-2020.csv",
    "occupancy/data_2021-03-07.csv.gz",
    "geo/states.geojson",
    "occupancy/data_2021-03-08.csv.gz",
];

/// SIVEP's summary, cut to its first rows and kept uncompressed.
const SIVEP: &str = "sum_dados_2020_06_23.csv";
const SIVEP_ROWS: usize = 20_000;

/// The sources of [`FILES`]; each URL is the first file of its source,
/// served by a [`FileServer`] of the input folder where a test collects
/// over HTTP (a source with several files then gets the first one only).
fn sources_toml(base: &str) -> String {
    let source = |name: &str, format: &str, first: &str, pattern: &str, history: bool| {
        format!(
            "[[source]]\nname = \"{name}\"\ntitle = \"{name}\"\nkind = \"http\"\n\
             url = \"{base}/{first}\"\nformat = \"{format}\"\nfile = \"{pattern}\"\n\
             history = {history}\nevery = \"1h\"\n\n"
        )
    };
    let states = "cases-brazil-states_2020-06-18.csv";
    let cities = "cases-brazil-cities_2020-06-18.csv";
    let municipalities = "municipios.csv";
    let population = "populacao-por-municipio-2020.csv";
    let occupancy = "data_2021-03-07.csv.gz";
    [
        source(
            "cases-states",
            "wcota-states",
            states,
            "cases-brazil-states_*.csv",
            false,
        ),
        source(
            "cases-cities",
            "wcota-cities",
            cities,
            "cases-brazil-cities_*.csv",
            true,
        ),
        source(
            "municipalities",
            "ibge-municipalities",
            municipalities,
            municipalities,
            false,
        ),
        source(
            "sivep-summary",
            "sivep-summary",
            SIVEP,
            "sum_dados_*.csv",
            false,
        ),
        source("population", "population", population, population, false),
        source(
            "occupancy",
            "occupancy-snapshot",
            occupancy,
            "data_*.csv.gz",
            true,
        ),
        source(
            "geo-states",
            "states-geojson",
            "states.geojson",
            "states.geojson",
            false,
        ),
    ]
    .concat()
}

/// A folder with the first `files` of [`FILES`] and the cut SIVEP summary.
fn input(files: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in &FILES[..files] {
        let name = Path::new(file).file_name().unwrap();
        std::fs::copy(shared_data().join(file), dir.path().join(name)).unwrap();
    }
    let xz = std::fs::File::open(shared_data().join("sivep/sum_dados_2020_06_23.csv.xz")).unwrap();
    let lines = BufReader::new(liblzma::read::XzDecoder::new(xz)).lines();
    let mut out = std::fs::File::create(dir.path().join(SIVEP)).unwrap();
    for line in lines.take(SIVEP_ROWS + 1) {
        writeln!(out, "{}", line.unwrap()).unwrap();
    }
    dir
}

/// Every file: a source (occupancy) with two.
fn whole_input() -> TempDir {
    input(FILES.len())
}

/// One file per source, so that collecting over HTTP and from the folder
/// give the same fetches.
fn single_file_input() -> TempDir {
    input(FILES.len() - 1)
}

#[derive(Clone, Copy, Debug)]
enum StoreKind {
    Postgres,
    Sqlite,
}

/// One data folder (the local lake, and the embedded store) and its store.
struct Scene {
    dir: TempDir,
    url: SecretString,
    sources: PathBuf,
}

impl Scene {
    async fn new(backend: StoreKind, sources_toml: &str) -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let url = match backend {
            StoreKind::Postgres => fresh_postgres_url().await,
            StoreKind::Sqlite => SecretString::from(format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("sentinela.db").display()
            )),
        };
        let sources = dir.path().join("sources.toml");
        std::fs::write(&sources, sources_toml).unwrap();
        Scene { dir, url, sources }
    }

    /// The environment of a `sentinela` process on this scene.
    fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("SENTINELA_DATA_DIR", self.dir.path().display().to_string()),
            ("SENTINELA_SOURCES", self.sources.display().to_string()),
            ("SENTINELA_LOG_FORMAT", "json".into()),
        ];
        if !self.url.expose_secret().starts_with("sqlite:") {
            env.push(("DATABASE_URL", self.url.expose_secret().to_owned()));
        }
        env
    }

    /// `sentinela ingest --from input`, killing itself at `crash_at`.
    fn ingest(&self, input: &Path, crash_at: Option<&str>) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sentinela"));
        command.arg("ingest").arg("--from").arg(input);
        command.envs(self.env());
        if let Some(point) = crash_at {
            command.env("SENTINELA_CRASH_AT", point);
        }
        command
    }

    async fn store(&self) -> Store {
        Store::connect(&self.url, 2).await.unwrap()
    }

    async fn behind(&self) -> Vec<&'static str> {
        let sources = sources::load(Some(&self.sources)).unwrap();
        lineage::lagging(&self.store().await, &sources)
            .await
            .unwrap()
            .into_iter()
            .map(|unit| unit.name())
            .collect()
    }
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run sentinela")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A full run that ended `ok`.
fn assert_ok(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("status ok"),
        "{:?}\n{stdout}\n{}",
        output.status,
        stderr(output)
    );
}

/// How a run in a kill sequence ends.
#[derive(Clone, Copy, Debug)]
enum Kill {
    /// At the N-th crash point it passes.
    At(usize),
    /// After this many milliseconds, wherever it is.
    After(u64),
}

/// A clean run's gold, and how many crash points a whole run passes.
async fn clean_run(
    kind: StoreKind,
    input: &Path,
    toml: &str,
) -> (Vec<(String, usize, String)>, usize) {
    let scene = Scene::new(kind, toml).await;
    let output = run(&mut scene.ingest(input, Some("0")));
    assert_ok(&output);
    let points = stderr(&output).matches("\"crash point\"").count();
    (fingerprint(&scene.url).await, points)
}

async fn killed_runs_then_one_run_equal_a_clean_run(kind: StoreKind) {
    let input = whole_input();
    let toml = sources_toml("http://127.0.0.1:9");
    let (expected, points) = clean_run(kind, input.path(), &toml).await;
    assert!(points >= 40, "a run passes {points} crash points");
    let empty: Vec<&str> = expected
        .iter()
        .filter(|(_, rows, _)| *rows == 0)
        .map(|(table, ..)| table.as_str())
        .collect();
    // No register file and no weekly SIVEP vintages in the input.
    assert_eq!(
        empty,
        [
            "gold_occupancy_patients",
            "gold_srag_backtest",
            "gold_srag_nowcast",
            "gold_srag_outlook",
            "gold_srag_trend"
        ],
        "{expected:?}"
    );

    // Twelve single kills spread over the whole run, two and three kills
    // in a row, and timed kills as a deploy would land them.
    let mut sequences: Vec<Vec<Kill>> = (1..=12).map(|i| vec![Kill::At(i * points / 13)]).collect();
    sequences.extend([
        vec![Kill::At(points / 3), Kill::At(points / 3)],
        vec![Kill::At(points * 2 / 3), Kill::At(2)],
        vec![
            Kill::At(points / 4),
            Kill::At(points / 4),
            Kill::At(points / 4),
        ],
        vec![Kill::After(300), Kill::After(1200), Kill::After(2500)],
    ]);
    for sequence in sequences {
        let scene = Scene::new(kind, &toml).await;
        for (i, kill) in sequence.iter().enumerate() {
            let status = match kill {
                Kill::At(n) => run(&mut scene.ingest(input.path(), Some(&n.to_string()))).status,
                Kill::After(ms) => {
                    let mut child = scene.ingest(input.path(), None).spawn().unwrap();
                    tokio::time::sleep(Duration::from_millis(*ms)).await;
                    let _ = child.kill(); // SIGKILL
                    child.wait().unwrap()
                }
            };
            if i == 0 {
                assert_eq!(
                    status.signal(),
                    Some(9),
                    "{sequence:?}: the first run was killed"
                );
            }
        }
        assert_ok(&run(&mut scene.ingest(input.path(), None)));
        assert_eq!(fingerprint(&scene.url).await, expected, "{sequence:?}");
        assert_eq!(scene.behind().await, Vec::<&str>::new(), "{sequence:?}");
    }
}

async fn two_ingests_at_once_one_runs_the_other_says_why(kind: StoreKind) {
    let input = whole_input();
    let toml = sources_toml("http://127.0.0.1:9");
    let (expected, _) = clean_run(kind, input.path(), &toml).await;
    let scene = Scene::new(kind, &toml).await;
    let first = scene
        .ingest(input.path(), None)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = scene.ingest(input.path(), None).output().unwrap();
    let first = first.wait_with_output().unwrap();
    let (ran, refused) = match second.status.code() {
        Some(4) => (first, second),
        _ => (second, first),
    };
    assert_ok(&ran);
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("another ingest is running")
            && message.contains("stopped without changing anything"),
        "{message}"
    );
    if matches!(kind, StoreKind::Sqlite) {
        assert!(message.contains("(process "), "names the holder: {message}");
    }
    assert_eq!(fingerprint(&scene.url).await, expected);
}

/// Waits until the store records a run that ended `status`.
async fn run_ended(store: &Store, status: &str) -> bool {
    for _ in 0..240 {
        if store
            .runs(20)
            .await
            .unwrap()
            .iter()
            .any(|r| r.status == status)
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

/// A scene whose sources a loopback server serves, with a clean run's gold.
struct Served {
    input: TempDir,
    _files: FileServer,
    scene: Scene,
    expected: Vec<(String, usize, String)>,
}

impl Served {
    async fn new(kind: StoreKind) -> Served {
        let input = single_file_input();
        let files = FileServer::start(input.path().to_owned()).await;
        let toml = sources_toml(files.url("").trim_end_matches('/'));
        let (expected, _) = clean_run(kind, input.path(), &toml).await;
        let scene = Scene::new(kind, &toml).await;
        Served {
            input,
            _files: files,
            scene,
            expected,
        }
    }

    /// A server on the scene whose scheduler ticks every second, with
    /// `extra` variables.
    async fn server(&self, extra: &[(&str, &str)]) -> Server {
        let env = self.scene.env();
        let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.push(("SENTINELA_SCHEDULER_TICK_SECONDS", "1"));
        env.extend_from_slice(extra);
        Server::start(&env).await
    }
}

async fn a_cli_ingest_beside_the_scheduler(kind: StoreKind) {
    let served = Served::new(kind).await;
    let (input, scene) = (&served.input, &served.scene);
    let server = served.server(&[]).await;
    let cli = run(&mut scene.ingest(input.path(), None));
    match cli.status.code() {
        Some(0) => assert_ok(&cli),
        Some(4) => assert!(stderr(&cli).contains("another ingest is running")),
        other => panic!("{other:?}: {}", stderr(&cli)),
    }
    let store = scene.store().await;
    assert!(run_ended(&store, "ok").await, "the scheduler ran");
    server.stop().await;
    assert_eq!(fingerprint(&scene.url).await, served.expected);
    assert_eq!(scene.behind().await, Vec::<&str>::new());
}

async fn the_scheduler_killed_mid_run_repairs_when_restarted(kind: StoreKind) {
    let served = Served::new(kind).await;
    let scene = &served.scene;
    // Killed once SIVEP's new silver is in the lake, before it is committed.
    let dying = served
        .server(&[("SENTINELA_CRASH_AT", "silver:sivep-summary")])
        .await;
    let died = tokio::time::timeout(Duration::from_secs(120), dying.wait())
        .await
        .expect("the server killed itself at the crash point");
    assert_eq!(died.status.signal(), Some(9), "{}", died.log);
    let store = scene.store().await;
    assert!(
        store.runs(5).await.unwrap().is_empty(),
        "the killed run published nothing"
    );

    let server = served.server(&[]).await;
    assert!(run_ended(&store, "ok").await, "the restarted scheduler ran");
    let stopped = server.stop().await;
    assert_eq!(
        fingerprint(&scene.url).await,
        served.expected,
        "{}",
        stopped.log
    );
    assert_eq!(scene.behind().await, Vec::<&str>::new());
    let report: RunReport = serde_json::from_str(&store.runs(1).await.unwrap()[0].report).unwrap();
    let sivep = report
        .sources
        .iter()
        .find(|s| s.name == "sivep-summary")
        .unwrap();
    assert_eq!(
        sivep.outcome, "refined",
        "the unchanged fetch is refined again"
    );
}

macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::StoreKind::Postgres).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::StoreKind::Sqlite).await;
                }
            )*
        }
    };
}

on_both_backends!(
    killed_runs_then_one_run_equal_a_clean_run,
    two_ingests_at_once_one_runs_the_other_says_why,
    a_cli_ingest_beside_the_scheduler,
    the_scheduler_killed_mid_run_repairs_when_restarted,
    broken_editions_are_held_until_accepted,
);

/// Calls `at` when the run reaches the `n`-th gold table or source.
struct Trigger<F> {
    count: AtomicUsize,
    n: usize,
    on_gold: bool,
    at: F,
}

impl<F: Fn() + Send + Sync> Observer for Trigger<F> {
    fn source_started(&self, _: &str) {}

    fn source_finished(&self, _: &SourceReport) {
        if !self.on_gold && self.count.fetch_add(1, Ordering::SeqCst) + 1 == self.n {
            (self.at)();
        }
    }

    fn gold_finished(&self, _: &StageMetrics) {
        if self.on_gold && self.count.fetch_add(1, Ordering::SeqCst) + 1 == self.n {
            (self.at)();
        }
    }
}

fn pipeline(lake: Arc<dyn sentinela::lake::Lake>, store: Store, toml: &str) -> Pipeline {
    let retry = RetryPolicy {
        attempts: 2,
        first_delay: Duration::from_millis(10),
        read_timeout: Duration::from_secs(5),
    };
    let sources: Arc<[SourceConfig]> = sources::parse(toml).unwrap().into();
    Pipeline::new(
        lake,
        store,
        sources,
        Fetcher::new(retry, Secrets::default()).unwrap(),
    )
}

#[tokio::test]
async fn the_store_cut_mid_run_then_one_run_equal_a_clean_run() {
    let input = whole_input();
    let toml = sources_toml("http://127.0.0.1:9");
    let (expected, _) = clean_run(StoreKind::Postgres, input.path(), &toml).await;
    let direct = fresh_postgres_url().await;
    let (credentials, rest) = direct.expose_secret().split_once('@').unwrap();
    let (server, database) = rest.split_once('/').unwrap();
    let proxy = Arc::new(Proxy::start(server.parse().unwrap()).await);
    let via_proxy = SecretString::from(format!("{credentials}@{}/{database}", proxy.addr));
    let lake_dir = tempfile::tempdir().unwrap();
    let lake = Arc::new(LocalLake::new(lake_dir.path().to_owned()));
    let store = Store::connect(&via_proxy, 2).await.unwrap();
    let cut = proxy.clone();
    // The store goes away once the fourth gold table is staged.
    let observer = Trigger {
        count: AtomicUsize::new(0),
        n: 4,
        on_gold: true,
        at: move || cut.cut(),
    };
    let origin = Origin::Dir(input.path().to_owned());
    let failed = pipeline(lake.clone(), store.clone(), &toml)
        .observed_by(Arc::new(observer))
        .run(&origin, &[])
        .await;
    assert!(failed.is_err(), "{failed:?}");
    proxy.restore();
    let report = pipeline(lake, Store::connect(&via_proxy, 2).await.unwrap(), &toml)
        .run(&origin, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert!(!report.gold.is_empty(), "the next run computes gold");
    assert_eq!(fingerprint(&direct).await, expected);
}

#[tokio::test]
async fn the_lake_throttled_mid_run_then_one_run_equal_a_clean_run() {
    let input = whole_input();
    let toml = sources_toml("http://127.0.0.1:9");
    let (expected, _) = clean_run(StoreKind::Postgres, input.path(), &toml).await;
    let bucket = fresh_bucket().await;
    let endpoint = std::env::var("SENTINELA_TEST_S3_ENDPOINT").unwrap();
    let throttling = Arc::new(ThrottlingProxy::start(&endpoint).await);
    let lake: Arc<dyn sentinela::lake::Lake> = Arc::new(
        S3Lake::new(S3Config {
            endpoint: Some(throttling.url()),
            ..s3_config(&bucket)
        })
        .await,
    );
    let url = fresh_postgres_url().await;
    let store = Store::connect(&url, 2).await.unwrap();
    let throttle = throttling.clone();
    // S3 answers SlowDown to everything once SIVEP's silver is being
    // written (the third source done).
    let observer = Trigger {
        count: AtomicUsize::new(0),
        n: 3,
        on_gold: false,
        at: move || throttle.throttle(u64::MAX),
    };
    let origin = Origin::Dir(input.path().to_owned());
    let report = pipeline(lake.clone(), store.clone(), &toml)
        .observed_by(Arc::new(observer))
        .run(&origin, &[])
        .await;
    if let Ok(report) = &report {
        assert_ne!(report.status, "ok", "{report:?}");
    }
    throttling.throttle(0);
    let report = pipeline(lake, store, &toml)
        .run(&origin, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(fingerprint(&url).await, expected);
}

/// Cases per state and population, for the contract tests.
const CONTRACTED: &str = "[[source]]\nname = \"cases-states\"\ntitle = \"Casos\"\nkind = \"http\"\n\
    url = \"http://127.0.0.1:9/cases.csv\"\nformat = \"wcota-states\"\n\
    file = \"cases-brazil-states_*.csv\"\n\n\
    [[source]]\nname = \"population\"\ntitle = \"População\"\nkind = \"http\"\n\
    url = \"http://127.0.0.1:9/populacao-por-municipio-2020.csv\"\nformat = \"population\"\n";

const CASES: &str = "cases/cases-brazil-states_2020-06-18.csv";
/// A newer edition's name: the newest file of a folder makes the edition.
const NEWER: &str = "cases-brazil-states_2020-06-19.csv";
const POPULATION: &str = "populacao-por-municipio-2020.csv";

/// The CSV's header and the rows `keep` keeps, with `change` applied.
fn edited_csv(
    file: &str,
    keep: impl Fn(usize, &csv::StringRecord, &csv::StringRecord) -> bool,
    change: impl Fn(&csv::StringRecord, &mut Vec<String>),
) -> Vec<u8> {
    let mut reader = csv::Reader::from_path(shared_data().join(file)).unwrap();
    let header = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for (i, record) in records.iter().enumerate() {
        if keep(i, &header, record) {
            let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
            change(&header, &mut fields);
            writer.write_record(&fields).unwrap();
        }
    }
    writer.into_inner().unwrap()
}

fn column(header: &csv::StringRecord, name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

async fn broken_editions_are_held_until_accepted(kind: StoreKind) {
    let scene = Scene::new(kind, CONTRACTED).await;
    let store = scene.store().await;
    let input = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared_data().join(CASES),
        input.path().join("cases-brazil-states_2020-06-18.csv"),
    )
    .unwrap();
    std::fs::copy(
        shared_data().join("reference").join(POPULATION),
        input.path().join(POPULATION),
    )
    .unwrap();
    let lake_dir = tempfile::tempdir().unwrap();
    let lake = Arc::new(LocalLake::new(lake_dir.path().to_owned()));
    let pipeline = pipeline(lake, store.clone(), CONTRACTED);
    let origin = Origin::Dir(input.path().to_owned());
    let report = pipeline.run(&origin, &[]).await.unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let url = &scene.url;
    let good = fingerprint(url).await;

    let rows = csv::Reader::from_path(shared_data().join(CASES))
        .unwrap()
        .records()
        .count();
    let last_day =
        |h: &csv::StringRecord, r: &csv::StringRecord| r[column(h, "date")] == *"2020-06-18";
    let broken: [(&str, &str, Vec<u8>, &str); 4] = [
        (
            "a cut file",
            NEWER,
            edited_csv(CASES, |i, _, _| i < rows / 2, |_, _| {}),
            "the rows fell from",
        ),
        (
            "dates that go back",
            NEWER,
            edited_csv(CASES, |_, h, r| !last_day(h, r), |_, _| {}),
            "the newest date went back from 2020-06-18 to 2020-06-17",
        ),
        (
            "a state removed",
            NEWER,
            edited_csv(CASES, |_, h, r| &r[column(h, "state")] != "SP", |_, _| {}),
            "1 place(s) disappeared (SP)",
        ),
        (
            "a column blanked",
            POPULATION,
            edited_csv(
                &format!("reference/{POPULATION}"),
                |_, _, _| true,
                |h, fields| fields[column(h, "city")].clear(),
            ),
            "column(s) city became all blank",
        ),
    ];
    for (what, name, bytes, reason) in broken {
        std::fs::write(input.path().join(name), bytes).unwrap();
        let report = pipeline.run(&origin, &[]).await.unwrap();
        assert_eq!(report.status, "held", "{what}: {report:?}");
        let held = store.held_editions().await.unwrap();
        assert_eq!(held.len(), 1, "{what}: one edition per source is held");
        assert!(
            held[0].reason.contains(reason),
            "{what}: {}",
            held[0].reason
        );
        assert_eq!(fingerprint(url).await, good, "{what}: gold is unchanged");
        let quality = DashboardBackend::new(
            store.clone(),
            sources::parse(CONTRACTED).unwrap().into(),
            sentinela::territories::Territories::load(None).unwrap(),
        )
        .quality()
        .await
        .unwrap();
        assert_eq!(quality.held.len(), 1, "{what}: /dados shows it");
        assert!(quality.gold_behind.is_empty(), "{what}");
        // Held, it stays held: the next run does not refine it again.
        let again = pipeline.run(&origin, &[]).await.unwrap();
        assert_eq!(again.status, "held", "{what}");
        assert!(
            again.sources.iter().all(|s| s.stages.is_empty()),
            "{what}: {again:?}"
        );
        // The good edition back: it replaces the held one, and gold is as it was.
        match name {
            POPULATION => std::fs::copy(
                shared_data().join("reference").join(POPULATION),
                input.path().join(POPULATION),
            )
            .map(drop),
            _ => std::fs::remove_file(input.path().join(name)),
        }
        .unwrap();
        let back = pipeline.run(&origin, &[]).await.unwrap();
        assert_eq!(back.status, "ok", "{what}: {back:?}");
        assert!(store.held_editions().await.unwrap().is_empty(), "{what}");
        assert_eq!(fingerprint(url).await, good, "{what}: gold is as it was");
    }

    // The state removed is a real change, say: an admin accepts it.
    let removed = edited_csv(CASES, |_, h, r| &r[column(h, "state")] != "SP", |_, _| {});
    std::fs::write(input.path().join(NEWER), removed).unwrap();
    let report = pipeline.run(&origin, &[]).await.unwrap();
    assert_eq!(report.status, "held", "{report:?}");
    let held = store.held_editions().await.unwrap().remove(0);
    let accepted = pipeline
        .accept("cases-states", &held.run_id, "ana")
        .await
        .unwrap();
    assert_eq!(accepted.status, "ok", "{accepted:?}");
    assert!(store.held_editions().await.unwrap().is_empty());
    let now = fingerprint(url).await;
    let rows_of =
        |f: &[(String, usize, String)], table: &str| f.iter().find(|(t, ..)| t == table).unwrap().1;
    let sp_days = rows_of(&good, "gold_cases_state") - rows_of(&now, "gold_cases_state");
    assert!(sp_days > 90, "São Paulo's days left gold: {sp_days}");
    assert!(pipeline.gold_behind().await.unwrap().is_empty());
}
