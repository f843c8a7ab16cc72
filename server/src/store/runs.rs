//! Ingest run records: one row per run, newest first when listed.

use app::catalog::runs::RunStatus;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::{Store, StoreError, format_instant, parse_instant, tables::Column};

/// One ingest run as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRow {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub status: RunStatus,
    /// `remote`, or the folder given to `--from`.
    pub origin: String,
    /// Per-source and per-stage figures, as JSON.
    pub report: String,
    pub error: Option<String>,
}

pub(super) async fn insert(conn: &mut AnyConnection, run: &RunRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ingest_run (id, started_at, finished_at, status, origin, report, error) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&run.id)
    .bind(format_instant(run.started_at))
    .bind(format_instant(run.finished_at))
    .bind(run.status.code())
    .bind(&run.origin)
    .bind(&run.report)
    .bind(&run.error)
    .execute(conn)
    .await
    .map_err(StoreError::query("record run"))?;
    Ok(())
}

impl Store {
    /// Records a run that published nothing (every source unchanged or failed).
    pub async fn record_run(&self, run: &RunRow) -> Result<(), StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::query("acquire"))?;
        insert(&mut conn, run).await?;
        self.generation.advance();
        Ok(())
    }

    /// The newest runs, newest first.
    pub async fn runs(&self, limit: u32) -> Result<Vec<RunRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, started_at, finished_at, status, origin, report, error FROM ingest_run \
             ORDER BY started_at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list runs"))?;
        rows.iter()
            .map(|row| {
                Ok(RunRow {
                    id: row.try_get("id")?,
                    started_at: parse_instant(row.try_get("started_at")?)?,
                    finished_at: parse_instant(row.try_get("finished_at")?)?,
                    status: Column::read(row, "status")?,
                    origin: row.try_get("origin")?,
                    report: row.try_get("report")?,
                    error: row.try_get("error")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode runs"))
    }
}
