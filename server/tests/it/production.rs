//! The production split, run as AWS runs it: PostgreSQL with the two login
//! roles `sentinela db-roles` makes, an S3 lake of one bucket per layer on
//! the test server, the real binary as the ingest job (`sentinela ingest
//! --due` under the ingest's role, the environment of the ECS task) and as
//! the web service (its role, `SENTINELA_DB_MIGRATE=false`, no scheduler,
//! login mode, ingests asked for on an EventBridge bus). The web service
//! serves every page and API and writes its own tables; its connection
//! cannot write gold, runs or the schema.

use std::process::{Command, Output};

use reqwest::{StatusCode, header};
use secrecy::ExposeSecret;
use serde_json::Value;
use sqlx::{Connection, Executor, PgConnection};

use crate::{
    access::{client, cookie_of},
    support::{
        binary::Server, eventbridge::EventBridge, files::FileServer, fresh_layer_buckets,
        fresh_postgres_url, shared_data, unique_name,
    },
};

/// The sources of the scene: enough for every page to have data.
fn sources_toml(files: &FileServer) -> String {
    [
        (
            "cases-states",
            "wcota-states",
            "cases/cases-brazil-states_2020-06-18.csv",
        ),
        (
            "cases-cities",
            "wcota-cities",
            "cases/cases-brazil-cities_2020-06-18.csv",
        ),
        (
            "population",
            "population",
            "reference/populacao-por-municipio-2020.csv",
        ),
        ("geo-states", "states-geojson", "geo/states.geojson"),
    ]
    .iter()
    .map(|(name, format, path)| {
        format!(
            "[[source]]\nname = \"{name}\"\ntitle = \"{name}\"\nkind = \"http\"\n\
             url = \"{}\"\nformat = \"{format}\"\nfile = \"*\"\nevery = \"1h\"\n\n",
            files.url(path)
        )
    })
    .collect()
}

/// A login role of the scene.
struct Role {
    name: String,
    password: String,
}

impl Role {
    fn new(duty: &str) -> Self {
        Role {
            name: unique_name(&format!("sentinela_test_{duty}")).replace('-', "_"),
            password: unique_name("pw").replace('-', ""),
        }
    }
}

/// The database, lake and sources the two processes share.
struct Scene {
    /// host:port and database name of the test database.
    server: String,
    database: String,
    ingest: Role,
    web: Role,
    buckets: String,
    dir: tempfile::TempDir,
    files: FileServer,
}

impl Scene {
    /// A fresh database with both roles made by `sentinela db-roles`, run
    /// as the test server's administrator, and fresh lake buckets.
    async fn new() -> Scene {
        let url = fresh_postgres_url().await;
        let (server, database) = url
            .expose_secret()
            .split_once('@')
            .unwrap()
            .1
            .rsplit_once('/')
            .unwrap();
        let admin = url::Url::parse(&std::env::var("SENTINELA_TEST_PG").unwrap()).unwrap();
        let scene = Scene {
            server: server.to_owned(),
            database: database.to_owned(),
            ingest: Role::new("ingest"),
            web: Role::new("web"),
            buckets: fresh_layer_buckets().await,
            dir: tempfile::tempdir().unwrap(),
            files: FileServer::start(shared_data()).await,
        };
        std::fs::write(
            scene.dir.path().join("sources.toml"),
            sources_toml(&scene.files),
        )
        .unwrap();
        let made = sentinela(
            &["db-roles"],
            &[
                ("PGHOST", admin.host_str().unwrap()),
                ("PGPORT", &admin.port().unwrap().to_string()),
                ("PGUSER", admin.username()),
                ("PGPASSWORD", admin.password().unwrap()),
                ("PGDATABASE", &scene.database),
                ("PGSSLMODE", "disable"),
                ("SENTINELA_INGEST_DB_USER", &scene.ingest.name),
                ("SENTINELA_INGEST_DB_PASSWORD", &scene.ingest.password),
                ("SENTINELA_WEB_DB_USER", &scene.web.name),
                ("SENTINELA_WEB_DB_PASSWORD", &scene.web.password),
            ],
        )
        .await;
        assert!(made.status.success(), "{}", stderr(&made));
        scene
    }

    fn url(&self, role: &Role) -> String {
        format!(
            "postgres://{}:{}@{}/{}",
            role.name, role.password, self.server, self.database
        )
    }

    /// What both processes' task definitions set: the store, the lake, the
    /// sources, JSON logs.
    fn env(&self, role: &Role) -> Vec<(&'static str, String)> {
        vec![
            ("DATABASE_URL", self.url(role)),
            ("SENTINELA_S3_BUCKET", self.buckets.clone()),
            ("SENTINELA_S3_REGION", "us-east-1".into()),
            (
                "SENTINELA_S3_ENDPOINT",
                std::env::var("SENTINELA_TEST_S3_ENDPOINT").unwrap(),
            ),
            ("SENTINELA_S3_FORCE_PATH_STYLE", "true".into()),
            (
                "SENTINELA_SOURCES",
                self.dir.path().join("sources.toml").display().to_string(),
            ),
            ("SENTINELA_DATA_DIR", self.dir.path().display().to_string()),
            ("SENTINELA_LOG_FORMAT", "json".into()),
        ]
    }

    /// The ingest job: `sentinela ARGS` under the ingest's role, which
    /// grants the web's role its share after migrating.
    async fn ingest(&self, args: &[&str]) -> Output {
        let mut env = self.env(&self.ingest);
        env.push(("SENTINELA_WEB_DB_ROLE", self.web.name.clone()));
        run(args, &env).await
    }

    /// The web service's environment (its role, no migrations, no
    /// scheduler, accounts only, ingests asked for on `bus`).
    fn web_env(&self, bus: &EventBridge) -> Vec<(&'static str, String)> {
        let mut env = self.env(&self.web);
        env.extend([
            ("SENTINELA_DB_MIGRATE", "false".into()),
            ("SENTINELA_SCHEDULER", "false".into()),
            ("SENTINELA_ACCESS", "login".into()),
            ("SENTINELA_INGEST_EVENT_BUS", "prod-sentinela-ingest".into()),
            ("AWS_ENDPOINT_URL_EVENTBRIDGE", bus.url.clone()),
        ]);
        env
    }
}

async fn run(args: &[&str], env: &[(&str, String)]) -> Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    sentinela(args, &env).await
}

/// Runs the binary to its end on a blocking thread: the loopback servers
/// on this test's runtime keep answering it meanwhile.
async fn sentinela(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sentinela"));
    command.args(args).envs(env.iter().copied());
    tokio::task::spawn_blocking(move || command.output().expect("run sentinela"))
        .await
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The `ingest_run_status` of the one log event that carries it.
fn run_status(output: &Output) -> String {
    let statuses: Vec<String> = stderr(output)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|event| event["ingest_run_status"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        statuses.len(),
        1,
        "one completion event: {}",
        stderr(output)
    );
    statuses[0].clone()
}

/// Every page and API the web service answers, for a signed-in account.
const PATHS: &[&str] = &[
    "/",
    "/dados",
    "/uf/SP",
    "/municipio/3550308",
    "/readyz",
    "/api/v1/openapi.json",
    "/api/v1/states",
    "/api/v1/cities?uf=SP",
    "/api/v1/cases/states?uf=SP",
    "/api/v1/cases/cities?uf=SP",
    "/api/v1/cases/cities/latest",
    "/api/v1/occupancy",
    "/api/v1/patients",
    "/api/v1/srag",
    "/api/v1/rankings",
    "/api/v1/freshness",
    "/api/v1/runs",
    "/hospitais",
    "/api/v1/hospitals",
    "/api/v1/srag/nowcast",
    "/api/v1/srag/outlook",
    "/api/v1/trends",
];

#[tokio::test]
async fn the_ingest_job_writes_and_the_web_role_serves_but_cannot_write_gold() {
    let scene = Scene::new().await;

    // The scheduled job, twice: everything is due, then nothing is.
    let first = scene.ingest(&["ingest", "--due"]).await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(run_status(&first), "ok");
    let second = scene.ingest(&["ingest", "--due"]).await;
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(run_status(&second), "idle");

    // The web's role writes accounts (the CLI under the web's settings).
    let bus = EventBridge::start().await;
    let web_env = scene.web_env(&bus);
    let mut add = web_env.clone();
    add.push(("SENTINELA_PASSWORD", "correct horse battery".into()));
    let added = run(&["account", "add", "root", "--role", "admin"], &add).await;
    assert!(added.status.success(), "{}", stderr(&added));

    let env: Vec<(&str, &str)> = web_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let web = Server::start(&env).await;
    let url = |path: &str| format!("http://{}{path}", web.addr);
    let signed_in = client()
        .post(url("/conta/entrar"))
        .form(&[
            ("usuario", "root"),
            ("senha", "correct horse battery"),
            ("destino", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        signed_in.status(),
        StatusCode::SEE_OTHER,
        "a session was written"
    );
    let cookie = cookie_of(&signed_in);
    let get = |path: &str| {
        client()
            .get(url(path))
            .header(header::COOKIE, &cookie)
            .send()
    };
    for path in PATHS {
        let response = get(path).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let cases: Value = get("/api/v1/cases/states?uf=SP")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !cases["rows"].as_array().unwrap().is_empty(),
        "the job's gold is served: {cases}"
    );
    let page = get("/").await.unwrap().text().await.unwrap();
    let csrf = crate::support::app::csrf_token(&page);
    let admin = |path: &str| {
        client()
            .post(url(path))
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &csrf)
    };

    // Its own tables: an API token issued and used.
    let issued: Value = admin("/admin/tokens")
        .json(&serde_json::json!({"name": "planilha"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = issued["token"].as_str().expect("a token");
    let by_token = client()
        .get(url("/api/v1/states"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), StatusCode::OK);

    // "Ingest now" asks the bus; nothing runs in the web process.
    let asked = admin("/admin/ingest")
        .json(&serde_json::json!({"source": "cases-states"}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let calls = bus.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let (target, body) = &calls[0];
    assert_eq!(target, "AWSEvents.PutEvents");
    let entry = &body["Entries"][0];
    assert_eq!(entry["EventBusName"], "prod-sentinela-ingest");
    assert_eq!(entry["Source"], sentinela::trigger::EVENT_SOURCE);
    assert_eq!(entry["DetailType"], "ingest");
    let detail: Value = serde_json::from_str(entry["Detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail, serde_json::json!({"source": "cases-states"}));
    let stopped = web.stop().await;
    assert!(
        !stopped.log.contains("ingest_run_status"),
        "the web process ran no ingest: {}",
        stopped.log
    );

    // Through the web's own connection, gold, runs and the schema refuse.
    let mut connection = PgConnection::connect(&scene.url(&scene.web)).await.unwrap();
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM gold_cases_state")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert!(before > 0);
    for statement in [
        "DELETE FROM gold_cases_state",
        "UPDATE gold_cases_state SET uf = 'XX'",
        "INSERT INTO gold_ranking SELECT * FROM gold_ranking",
        "TRUNCATE gold_occupancy_state",
        "DELETE FROM gold_cases_state_next",
        "UPDATE ingest_run SET status = 'ok'",
        "DELETE FROM lineage_gold",
        "UPDATE source_state SET last_error = NULL",
        "DROP TABLE gold_cases_state",
        "CREATE TABLE intruder (x BIGINT)",
    ] {
        let error = connection
            .execute(statement)
            .await
            .expect_err(statement)
            .into_database_error()
            .expect("a database error");
        assert_eq!(
            error.code().as_deref(),
            Some("42501"),
            "{statement}: {}",
            error.message()
        );
    }
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM gold_cases_state")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_failed_job_says_so_in_its_completion_event() {
    let scene = Scene::new().await;
    scene.files.fail_with(500);
    let failed = scene
        .ingest(&["ingest", "--source", "cases-states", "--json"])
        .await;
    let report: Value = serde_json::from_slice(&failed.stdout).expect("the run's report");
    assert_ne!(report["status"], "ok", "{report}");
    assert_eq!(run_status(&failed), report["status"].as_str().unwrap());
    assert!(!failed.status.success());
}

#[tokio::test]
async fn the_web_service_refuses_to_start_on_an_unmigrated_database() {
    let scene = Scene::new().await;
    let bus = EventBridge::start().await;
    let site = tempfile::tempdir().unwrap();
    let mut env = scene.web_env(&bus);
    env.extend(crate::support::site::env(&crate::support::site::write(
        site.path(),
    )));
    let refused = run(&["serve"], &env).await;
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("sentinela migrate"),
        "{}",
        stderr(&refused)
    );
    let migrated = scene.ingest(&["migrate"]).await;
    assert!(migrated.status.success(), "{}", stderr(&migrated));
}
