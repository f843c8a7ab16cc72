//! Lineage: which silver each source has committed, which silver each
//! published gold unit was computed from, and the editions held back by
//! their data contracts. With these, whether gold is behind silver is a
//! comparison, whatever runs died or overlapped on the way.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, Row, any::AnyRow};

use super::{Store, StoreError, format_instant, parse_date, parse_instant};

/// A source's committed silver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SilverEdition {
    pub source: String,
    /// The digest of the raw fetch it was refined from.
    pub raw_digest: String,
    /// New on every refinement (the run's id).
    pub version: String,
    pub newest_date: Option<NaiveDate>,
    /// Its data contract's profile, as JSON.
    pub profile: String,
    /// The versions of other sources' silver it was refined with, as JSON.
    pub depends: String,
    pub committed_at: DateTime<Utc>,
}

/// An edition held back by its source's data contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldEdition {
    pub source: String,
    /// The run that fetched or refined it.
    pub run_id: String,
    pub raw_digest: String,
    /// Its raw folder, `<source>/<stamp>`.
    pub fetch_folder: String,
    pub reason: String,
    pub held_at: DateTime<Utc>,
}

fn silver_edition(row: &AnyRow) -> Result<SilverEdition, sqlx::Error> {
    Ok(SilverEdition {
        source: row.try_get("source")?,
        raw_digest: row.try_get("raw_digest")?,
        version: row.try_get("version")?,
        newest_date: row
            .try_get::<Option<String>, _>("newest_date")?
            .map(parse_date)
            .transpose()?,
        profile: row.try_get("profile")?,
        depends: row.try_get("depends")?,
        committed_at: parse_instant(row.try_get("committed_at")?)?,
    })
}

fn held_edition(row: &AnyRow) -> Result<HeldEdition, sqlx::Error> {
    Ok(HeldEdition {
        source: row.try_get("source")?,
        run_id: row.try_get("run_id")?,
        raw_digest: row.try_get("raw_digest")?,
        fetch_folder: row.try_get("fetch_folder")?,
        reason: row.try_get("reason")?,
        held_at: parse_instant(row.try_get("held_at")?)?,
    })
}

const HELD_COLUMNS: &str = "source, run_id, raw_digest, fetch_folder, reason, held_at";

impl Store {
    /// Every source's committed silver.
    pub async fn silver_editions(&self) -> Result<Vec<SilverEdition>, StoreError> {
        sqlx::query(
            "SELECT source, raw_digest, version, newest_date, profile, depends, committed_at \
             FROM lineage_silver ORDER BY source",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read silver editions"))?
        .iter()
        .map(silver_edition)
        .collect::<Result<_, _>>()
        .map_err(StoreError::query("decode silver editions"))
    }

    /// Records that `edition` is whole in the lake, at once (not with the
    /// run's publish): a run that dies later keeps what it refined. The
    /// source's state takes its digest, newest date and time of success.
    pub async fn commit_silver(&self, edition: &SilverEdition) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin silver commit"))?;
        let committed_at = format_instant(edition.committed_at);
        let newest_date = edition.newest_date.map(|d| d.to_string());
        sqlx::query(
            "INSERT INTO lineage_silver \
             (source, raw_digest, version, newest_date, profile, depends, committed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (source) DO UPDATE SET raw_digest = excluded.raw_digest, \
             version = excluded.version, newest_date = excluded.newest_date, \
             profile = excluded.profile, depends = excluded.depends, \
             committed_at = excluded.committed_at",
        )
        .bind(&edition.source)
        .bind(&edition.raw_digest)
        .bind(&edition.version)
        .bind(&newest_date)
        .bind(&edition.profile)
        .bind(&edition.depends)
        .bind(&committed_at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("commit silver"))?;
        sqlx::query(
            "INSERT INTO source_state (name, last_success_at, content_sha256, newest_date) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET last_success_at = excluded.last_success_at, \
             content_sha256 = excluded.content_sha256, \
             newest_date = COALESCE(excluded.newest_date, source_state.newest_date)",
        )
        .bind(&edition.source)
        .bind(&committed_at)
        .bind(&edition.raw_digest)
        .bind(&newest_date)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("record the committed source"))?;
        // A held edition that this one supersedes is moot.
        sqlx::query(
            "DELETE FROM held_edition WHERE source = $1 AND raw_digest <> $2 \
             AND accepted_at IS NULL",
        )
        .bind(&edition.source)
        .bind(&edition.raw_digest)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("drop superseded held editions"))?;
        tx.commit()
            .await
            .map_err(StoreError::query("commit silver"))?;
        self.generation.advance();
        Ok(())
    }

    /// The silver versions each published gold unit was computed from
    /// (JSON), by unit.
    pub async fn gold_inputs(&self) -> Result<BTreeMap<String, String>, StoreError> {
        sqlx::query("SELECT unit, inputs FROM lineage_gold")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read gold inputs"))?
            .iter()
            .map(|row| Ok((row.try_get("unit")?, row.try_get("inputs")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode gold inputs"))
    }

    /// Records an edition held back by its contract, in place of any
    /// earlier one of its source that waits for an admin.
    pub async fn hold_edition(&self, held: &HeldEdition) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin holding an edition"))?;
        sqlx::query("DELETE FROM held_edition WHERE source = $1 AND accepted_at IS NULL")
            .bind(&held.source)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("drop superseded held editions"))?;
        sqlx::query(
            "INSERT INTO held_edition \
             (source, run_id, raw_digest, fetch_folder, reason, held_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&held.source)
        .bind(&held.run_id)
        .bind(&held.raw_digest)
        .bind(&held.fetch_folder)
        .bind(&held.reason)
        .bind(format_instant(held.held_at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("hold an edition"))?;
        tx.commit()
            .await
            .map_err(StoreError::query("commit holding an edition"))?;
        self.generation.advance();
        Ok(())
    }

    /// The editions held and not accepted, newest first.
    pub async fn held_editions(&self) -> Result<Vec<HeldEdition>, StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {HELD_COLUMNS} FROM held_edition WHERE accepted_at IS NULL \
             ORDER BY held_at DESC, source"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read held editions"))?
        .iter()
        .map(held_edition)
        .collect::<Result<_, _>>()
        .map_err(StoreError::query("decode held editions"))
    }

    /// Marks a held edition accepted by `by`; `false` when no such edition
    /// is held.
    pub async fn accept_edition(
        &self,
        source: &str,
        run_id: &str,
        by: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE held_edition SET accepted_at = $1, accepted_by = $2 \
             WHERE source = $3 AND run_id = $4 AND accepted_at IS NULL",
        )
        .bind(format_instant(Utc::now()))
        .bind(by)
        .bind(source)
        .bind(run_id)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("accept a held edition"))?;
        self.generation.advance();
        Ok(done.rows_affected() > 0)
    }
}

/// Records, within a publish, the silver versions a gold unit was computed from.
pub(super) async fn record_gold_input(
    conn: &mut AnyConnection,
    unit: &str,
    inputs: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO lineage_gold (unit, inputs, published_at) VALUES ($1, $2, $3) \
         ON CONFLICT (unit) DO UPDATE SET inputs = excluded.inputs, \
         published_at = excluded.published_at",
    )
    .bind(unit)
    .bind(inputs)
    .bind(format_instant(Utc::now()))
    .execute(conn)
    .await
    .map_err(StoreError::query("record gold inputs"))?;
    Ok(())
}
