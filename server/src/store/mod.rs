//! The store: the database the dashboard reads. PostgreSQL in production
//! (RDS); an embedded SQLite file when no `DATABASE_URL` is given, so a new
//! user needs no database server. Every read and write goes over
//! `sqlx::Any` with the same migrations on both, except PostgreSQL's `COPY`
//! and advisory lock on a native connection; see ARCHITECTURE.md for the
//! limits of that choice.

mod accounts;
mod alerts;
mod cases;
mod deferred_index;
mod digest;
mod filter;
mod generation;
mod geometry;
mod gold;
mod hospitals;
mod lineage;
mod lock;
mod nowcast;
mod occupancy;
mod patients;
mod ranking;
mod roles;
mod row_batch;
mod runs;
mod source_state;
mod srag;
pub mod tables;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::{ExposeSecret, SecretString};
use sqlx::{
    AnyPool,
    any::{AnyPoolOptions, install_default_drivers},
};

pub use accounts::{AccountRow, ApiTokenRow, SessionRow};
pub use alerts::{AlertRule, Delivery, Evaluation, Firing, RuleState};
pub use cases::{Places, StateTotals};
pub use digest::DigestRow;
pub use filter::{Filter, Page, Paged};
pub use geometry::CityShape;
pub use gold::{GoldInput, SqlValue};
pub use lineage::{HeldEdition, SilverEdition};
pub use lock::IngestLock;
pub use nowcast::{Estimate, NowcastQuery};
pub use ranking::{Direction, RankingQuery, keep_within};
pub use roles::{Duty, LoginRole, RoleName, WEB_TABLES, create_login_roles};
pub use row_batch::{ArrowRows, RowBatch};
pub use runs::RunRow;
pub use source_state::SourceStateRow;

/// The migrations, compiled in and applied at start-up.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database engine holds the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreBackend {
    Postgres,
    Sqlite,
}

/// A store operation that failed. Never carries the database URL.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL scheme (use postgres:// or sqlite://)")]
    UnsupportedUrl,
    #[error("cannot create the folder of the embedded database: {0}")]
    CreateDir(#[source] std::io::Error),
    #[error("cannot connect to the {backend:?} store: {source}")]
    Connect {
        backend: StoreBackend,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot take the embedded store's ingest lock file: {0}")]
    LockFile(#[source] std::io::Error),
    #[error("cannot apply the store migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the database lacks migrations {0:?} of this binary: run `sentinela migrate` \
         with the role that owns the tables (the ingest's)"
    )]
    Unmigrated(Vec<i64>),
    #[error("{0:?} is not a plain PostgreSQL role name (lower-case letters, digits, _)")]
    RoleName(String),
    #[error("database roles are PostgreSQL's; the embedded store has none")]
    RolesNeedPostgres,
    #[error(
        "role {0:?} may create roles or databases, bypass row security or is a superuser: \
         a login role of Sentinela must not"
    )]
    PowerfulRole(String),
    #[error("store query failed ({what}): {source}")]
    Query {
        what: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot read the rows to stage: {0}")]
    Rows(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    fn query(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Query { what, source }
    }
}

/// A connection pool to the store.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: StoreBackend,
    /// Kept for the native PostgreSQL connection that `COPY` needs.
    url: SecretString,
    generation: generation::Generation,
    /// The embedded store's ingest lock file.
    lock_file: Option<PathBuf>,
}

impl Store {
    /// Connects to `url` and applies pending migrations.
    pub async fn connect(
        secret_url: &SecretString,
        max_connections: u32,
    ) -> Result<Self, StoreError> {
        let store = Store::open(secret_url, max_connections).await?;
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }

    /// Connects to `url`, leaving its schema as it is.
    async fn open(secret_url: &SecretString, max_connections: u32) -> Result<Self, StoreError> {
        install_default_drivers();
        let url = secret_url.expose_secret();
        let mut lock_file = None;
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            StoreBackend::Postgres
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            let file = Path::new(path.split('?').next().unwrap_or(path));
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(StoreError::CreateDir)?;
            }
            lock_file = Some(lock::lock_file_of(file));
            StoreBackend::Sqlite
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|source| StoreError::Connect { backend, source })?;
        Ok(Store {
            pool,
            backend,
            url: secret_url.clone(),
            generation: Default::default(),
            lock_file,
        })
    }

    pub fn backend(&self) -> StoreBackend {
        self.backend
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("ping"))?;
        Ok(())
    }

    /// A dedicated native PostgreSQL connection, for what `sqlx::Any`
    /// cannot do (`COPY`, session-level locks).
    async fn native_postgres(&self) -> Result<sqlx::postgres::PgConnection, StoreError> {
        use sqlx::Connection;
        let connect = |source| StoreError::Connect {
            backend: self.backend,
            source,
        };
        let options: sqlx::postgres::PgConnectOptions =
            self.url.expose_secret().parse().map_err(connect)?;
        sqlx::postgres::PgConnection::connect_with(&options)
            .await
            .map_err(connect)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Instants are stored as RFC 3339 UTC text with microsecond precision.
fn format_instant(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn parse_instant(text: String) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn parse_date(text: String) -> Result<NaiveDate, sqlx::Error> {
    text.parse()
        .map_err(|e: chrono::ParseError| sqlx::Error::Decode(Box::new(e)))
}
