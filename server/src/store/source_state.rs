//! Reading and writing the collection state of each source.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{Store, StoreError};

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
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("save source state"))?;
        Ok(())
    }
}

/// Instants are stored as RFC 3339 UTC text with second precision.
fn format_instant(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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
