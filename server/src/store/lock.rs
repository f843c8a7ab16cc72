//! The ingest lock: one ingest at a time on every store. On PostgreSQL a
//! session-level advisory lock held on a dedicated connection, so several
//! server replicas and CLI runs share it; on the embedded store an
//! exclusive `flock` of a file beside the database, so a CLI ingest and
//! the server's scheduler on the same data folder exclude each other. Both
//! are released by the operating system when the process dies.

use std::{
    fs::{File, OpenOptions},
    io::{Read, Seek, SeekFrom, Write},
    path::Path,
};

use sqlx::{Row, postgres::PgConnection};

use super::{Store, StoreBackend, StoreError};

/// The advisory lock key: "SENTINEL" in ASCII.
const LOCK_KEY: i64 = 0x5345_4E54_494E_454C;

/// Held while ingesting; dropping it releases the lock.
pub struct IngestLock {
    _connection: Option<PgConnection>,
    _file: Option<File>,
}

/// The lock file of an embedded store: `<database>.ingest-lock`.
pub(super) fn lock_file_of(database: &Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".ingest-lock");
    name.into()
}

impl Store {
    /// Takes the ingest lock if no one holds it; `None` when someone does.
    pub async fn try_ingest_lock(&self) -> Result<Option<IngestLock>, StoreError> {
        match self.backend {
            StoreBackend::Sqlite => {
                let path = self
                    .lock_file
                    .clone()
                    .expect("an embedded store has a lock file");
                tokio::task::spawn_blocking(move || lock_file(&path))
                    .await
                    .expect("taking a file lock does not panic")
                    .map_err(StoreError::LockFile)
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
                    _file: None,
                }))
            }
        }
    }

    /// Who holds the ingest lock, as far as the store can tell: the
    /// process id and start of an embedded store's holder.
    pub fn ingest_lock_holder(&self) -> Option<String> {
        let mut text = String::new();
        File::open(self.lock_file.as_ref()?)
            .and_then(|mut file| file.read_to_string(&mut text))
            .ok()?;
        Some(text.trim().to_owned()).filter(|t| !t.is_empty())
    }
}

/// Locks `path` exclusively without waiting, and writes who holds it.
fn lock_file(path: &Path) -> std::io::Result<Option<IngestLock>> {
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
        Err(std::fs::TryLockError::Error(error)) => return Err(error),
    }
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(
        file,
        "process {} since {}",
        std::process::id(),
        chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    )?;
    Ok(Some(IngestLock {
        _connection: None,
        _file: Some(file),
    }))
}
