//! The ingest lock: with several server processes on one database, only
//! one ingests at a time. On PostgreSQL a session-level advisory lock held
//! on a dedicated connection (released when the connection closes, even if
//! the process dies); on the embedded store, which serves one process, an
//! in-process mutex.

use std::sync::Arc;

use sqlx::{Row, postgres::PgConnection};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{Store, StoreBackend, StoreError};

/// The advisory lock key: "SENTINEL" in ASCII.
const LOCK_KEY: i64 = 0x5345_4E54_494E_454C;

/// Held while ingesting; dropping it releases the lock (closing the
/// connection that holds the advisory lock, or the mutex guard).
pub struct IngestLock {
    _connection: Option<PgConnection>,
    _guard: Option<OwnedMutexGuard<()>>,
}

fn local_mutex() -> Arc<Mutex<()>> {
    static LOCAL: std::sync::OnceLock<Arc<Mutex<()>>> = std::sync::OnceLock::new();
    LOCAL.get_or_init(|| Arc::new(Mutex::new(()))).clone()
}

impl Store {
    /// Takes the ingest lock if no one holds it; `None` when someone does.
    pub async fn try_ingest_lock(&self) -> Result<Option<IngestLock>, StoreError> {
        match self.backend {
            StoreBackend::Sqlite => {
                Ok(local_mutex().try_lock_owned().ok().map(|guard| IngestLock {
                    _connection: None,
                    _guard: Some(guard),
                }))
            }
            StoreBackend::Postgres => {
                let mut conn = self.native_postgres().await?;
                let taken: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
                    .bind(LOCK_KEY)
                    .fetch_one(&mut conn)
                    .await
                    .and_then(|row| row.try_get(0))
                    .map_err(StoreError::query("take the ingest lock"))?;
                Ok(taken.then_some(IngestLock {
                    _connection: Some(conn),
                    _guard: None,
                }))
            }
        }
    }
}
