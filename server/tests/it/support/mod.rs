//! What the integration tests stand on: fresh PostgreSQL databases, fresh
//! S3 buckets and local lakes, and the application spawned on port 0.
//!
//! The services come from the environment that `scripts/test` prepares:
//! `SENTINELA_TEST_PG` (an admin URL), `SENTINELA_TEST_S3_ENDPOINT` and the
//! `AWS_*` credentials of the S3-compatible server, and
//! `SENTINELA_TEST_SMTP_SINK` (the loopback SMTP server). A missing service fails
//! the test with a message; nothing is skipped.

pub mod app;
pub mod binary;
pub mod drive;
pub mod elastic;
pub mod eventbridge;
pub mod files;
pub mod gold;
pub mod proxy;
pub mod receiver;
pub mod site;
pub mod smtp;
pub mod throttle;

use std::{
    sync::atomic::{AtomicU32, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

use secrecy::SecretString;
use sentinela::{
    lake::{Layer, S3Config, S3Lake, sdk_config},
    store::Store,
};
use sqlx::{Connection, Executor, PgConnection};

/// The real public data files beside the checkout (`../shared/data`).
pub fn shared_data() -> std::path::PathBuf {
    std::env::var_os("SENTINELA_SHARED_DATA").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
        Into::into,
    )
}

/// A name no other test (or test process) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests through scripts/test, which starts the services they need")
    })
}

/// A new, empty PostgreSQL database owned by a new role with a random
/// password; returns its URL.
pub async fn fresh_postgres_url() -> SecretString {
    let admin = required_env("SENTINELA_TEST_PG");
    let name = unique_name("sentinela_test").replace('-', "_");
    let password = format!("pw{:x}", rand_u64());
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("connect to the test PostgreSQL server");
    conn.execute(sqlx::AssertSqlSafe(format!(
        "CREATE ROLE {name} LOGIN PASSWORD '{password}'"
    )))
    .await
    .expect("create a test role");
    conn.execute(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name} OWNER {name}"
    )))
    .await
    .expect("create a test database");
    let server = admin
        .split_once('@')
        .expect("admin URL has user@host")
        .1
        .rsplit_once('/')
        .expect("admin URL ends in /database")
        .0;
    SecretString::from(format!("postgres://{name}:{password}@{server}/{name}"))
}

/// Random bits from the standard library's seeded hasher.
fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// Drops a test database, closing its connections first.
pub async fn drop_postgres_database(url: &SecretString) {
    use secrecy::ExposeSecret;
    let name = url.expose_secret().rsplit_once('/').unwrap().1.to_owned();
    let mut conn = PgConnection::connect(&required_env("SENTINELA_TEST_PG"))
        .await
        .unwrap();
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .await
    .expect("drop the test database");
}

/// A migrated store on a fresh PostgreSQL database.
pub async fn postgres_store() -> Store {
    Store::connect(&fresh_postgres_url().await, 4)
        .await
        .expect("connect to PostgreSQL")
}

/// A migrated embedded store in a temporary folder (kept alive by the guard).
pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = SecretString::from(format!(
        "sqlite://{}/store.db?mode=rwc",
        dir.path().display()
    ));
    (Store::connect(&url, 4).await.expect("open SQLite"), dir)
}

/// An S3 client on the test server, to create buckets.
async fn s3_admin() -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(sdk_config(&s3_config("admin")).await)
}

/// The S3 settings of the test server for a bucket (or bucket template).
pub fn s3_config(bucket: &str) -> S3Config {
    S3Config {
        bucket: bucket.to_owned(),
        endpoint: Some(required_env("SENTINELA_TEST_S3_ENDPOINT")),
        region: Some("us-east-1".into()),
        force_path_style: true,
    }
}

/// A new, empty bucket on the test server; returns its name.
pub async fn fresh_bucket() -> String {
    let name = unique_name("bucket");
    s3_admin()
        .await
        .create_bucket()
        .bucket(&name)
        .send()
        .await
        .expect("create a test bucket");
    name
}

/// An S3 lake in a fresh bucket, or in fresh per-layer buckets when
/// `per_layer` is set.
pub async fn s3_lake(per_layer: bool) -> S3Lake {
    let template = match per_layer {
        true => fresh_layer_buckets().await,
        false => fresh_bucket().await,
    };
    S3Lake::new(s3_config(&template)).await
}

/// A fresh bucket per layer, as the Terraform creates them; returns the
/// bucket name template (`SENTINELA_S3_BUCKET`, with `{layer}`).
pub async fn fresh_layer_buckets() -> String {
    let admin = s3_admin().await;
    let template = format!("{}-{{layer}}", unique_name("lake"));
    for layer in Layer::ALL {
        admin
            .create_bucket()
            .bucket(template.replace("{layer}", layer.as_str()))
            .send()
            .await
            .expect("create a test bucket");
    }
    template
}

/// The rows of a silver table of a local lake in `dir`, as `T`: only the
/// `columns` are read (those `T` holds).
pub fn silver_rows<T: serde::de::DeserializeOwned>(
    dir: &std::path::Path,
    table: &str,
    columns: &[&str],
) -> Vec<T> {
    use parquet::arrow::{ProjectionMask, arrow_reader::ParquetRecordBatchReaderBuilder};
    let file = std::fs::File::open(dir.join(format!("silver/{table}/data.parquet"))).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
    builder
        .with_projection(mask)
        .build()
        .unwrap()
        .flat_map(|batch| serde_arrow::from_record_batch::<Vec<T>>(&batch.unwrap()).unwrap())
        .collect()
}

/// A local lake in a temporary folder (kept alive by the guard).
pub fn local_lake() -> (sentinela::lake::LocalLake, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (sentinela::lake::LocalLake::new(dir.path().to_owned()), dir)
}

/// Runs each named `async fn(Store)` twice: on a fresh PostgreSQL database
/// (module `postgres`) and on a fresh embedded SQLite store (module `sqlite`).
macro_rules! on_both_stores {
    ($($test:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(crate::support::postgres_store().await).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let (store, _dir) = crate::support::sqlite_store().await;
                    super::$test(store).await;
                }
            )*
        }
    };
}
pub(crate) use on_both_stores;
