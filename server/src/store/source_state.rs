//! Reading and writing the collection state of each source.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, Row};

use super::{Store, StoreError, format_instant, parse_date, parse_instant};

/// What the store remembers of one source's collections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceStateRow {
    pub name: String,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last attempt's error; `None` when it succeeded.
    pub last_error: Option<String>,
    /// Digest of the last collected content, to skip unchanged sources.
    pub content_sha256: Option<String>,
    /// The newest date the collected data refers to.
    pub newest_date: Option<NaiveDate>,
}

impl Store {
    /// Every source the store has a state for, by name.
    pub async fn source_states(&self) -> Result<Vec<SourceStateRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, last_attempt_at, last_success_at, last_error, content_sha256, newest_date \
             FROM source_state ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read source states"))?;
        rows.iter()
            .map(|row| {
                let text = |column: &str| row.try_get::<Option<String>, _>(column);
                let read = || -> Result<SourceStateRow, sqlx::Error> {
                    Ok(SourceStateRow {
                        name: row.try_get("name")?,
                        last_attempt_at: text("last_attempt_at")?.map(parse_instant).transpose()?,
                        last_success_at: text("last_success_at")?.map(parse_instant).transpose()?,
                        last_error: text("last_error")?,
                        content_sha256: text("content_sha256")?,
                        newest_date: text("newest_date")?.map(parse_date).transpose()?,
                    })
                };
                read().map_err(StoreError::query("decode source state"))
            })
            .collect()
    }

    /// Inserts or replaces the state of one source.
    pub async fn save_source_state(&self, state: &SourceStateRow) -> Result<(), StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::query("acquire"))?;
        upsert(&mut conn, state).await?;
        self.generation.advance();
        Ok(())
    }
}

pub(super) async fn upsert(
    conn: &mut AnyConnection,
    state: &SourceStateRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO source_state \
         (name, last_attempt_at, last_success_at, last_error, content_sha256, newest_date) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (name) DO UPDATE SET \
         last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at, \
         last_error = excluded.last_error, content_sha256 = excluded.content_sha256, \
         newest_date = excluded.newest_date",
    )
    .bind(&state.name)
    .bind(state.last_attempt_at.map(format_instant))
    .bind(state.last_success_at.map(format_instant))
    .bind(&state.last_error)
    .bind(&state.content_sha256)
    .bind(state.newest_date.map(|d| d.to_string()))
    .execute(conn)
    .await
    .map_err(StoreError::query("save source state"))?;
    Ok(())
}
