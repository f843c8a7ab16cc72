//! The weekly digests accounts ask for: one row per account (its address,
//! the key of its unsubscribe link, the week last sent). Workers claim due
//! digests as they claim deliveries ([`Store::claim_digests`]: a lease,
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL), so two servers on one database
//! never send one week's digest twice.

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::{ExposeSecret, SecretString};
use sqlx::{AssertSqlSafe, Row, any::AnyRow};

use super::{Store, StoreBackend, StoreError, format_instant, parse_date};

/// An account's weekly digest, as stored.
#[derive(Clone, Debug)]
pub struct DigestRow {
    pub account: String,
    pub email: String,
    /// The key of its unsubscribe link.
    pub secret: SecretString,
    /// The Monday of the last week sent (or asked for).
    pub last_week: NaiveDate,
    /// Attempts at the week being sent.
    pub attempts: i64,
    pub last_error: Option<String>,
}

const COLUMNS: &str = "account, email, secret, last_week, attempts, last_error";

fn digest_row(row: &AnyRow) -> Result<DigestRow, sqlx::Error> {
    Ok(DigestRow {
        account: row.try_get("account")?,
        email: row.try_get("email")?,
        secret: SecretString::from(row.try_get::<String, _>("secret")?),
        last_week: parse_date(row.try_get("last_week")?)?,
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
    })
}

impl Store {
    /// Sends `account`'s digest to `email` from the week after `week` on;
    /// an account that had one keeps its key only if the address is the
    /// same (a new address makes the old unsubscribe links stale).
    pub async fn subscribe_digest(
        &self,
        account: &str,
        email: &str,
        secret: &SecretString,
        week: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO alert_digest (account, email, secret, last_week, next_attempt_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (account) DO UPDATE SET \
             secret = CASE WHEN alert_digest.email = excluded.email THEN alert_digest.secret \
             ELSE excluded.secret END, email = excluded.email",
        )
        .bind(account)
        .bind(email)
        .bind(secret.expose_secret())
        .bind(week.to_string())
        .bind(format_instant(now))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("subscribe to the digest"))?;
        Ok(())
    }

    /// `account`'s digest, if it asked for one.
    pub async fn digest(&self, account: &str) -> Result<Option<DigestRow>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alert_digest WHERE account = $1"
        )))
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read the digest"))?
        .map(|row| digest_row(&row).map_err(StoreError::query("decode the digest")))
        .transpose()
    }

    /// Stops `account`'s digest; `false` when it had none.
    pub async fn unsubscribe_digest(&self, account: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM alert_digest WHERE account = $1")
            .bind(account)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("stop the digest"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes up to `limit` digests not yet sent for `week`, due at `now`
    /// and held by no live claim, for `worker` until `lease_until`,
    /// counting an attempt for each.
    pub async fn claim_digests(
        &self,
        worker: &str,
        week: NaiveDate,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DigestRow>, StoreError> {
        let lock = match self.backend {
            StoreBackend::Postgres => " FOR UPDATE SKIP LOCKED",
            StoreBackend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE alert_digest SET claimed_by = $1, claimed_until = $2, \
             attempts = attempts + 1 \
             WHERE account IN (SELECT account FROM alert_digest WHERE last_week < $3 \
             AND next_attempt_at <= $4 AND (claimed_until IS NULL OR claimed_until < $4) \
             ORDER BY account LIMIT $5{lock}) \
             RETURNING {COLUMNS}"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(worker)
            .bind(format_instant(lease_until))
            .bind(week.to_string())
            .bind(format_instant(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("claim digests"))?
            .iter()
            .map(|row| digest_row(row).map_err(StoreError::query("decode the digest")))
            .collect()
    }

    /// Records `worker`'s attempt at `account`'s digest of `week`: sent,
    /// or to be tried again at the failure's instant. `false` if the claim
    /// was no longer its own.
    pub async fn finish_digest(
        &self,
        worker: &str,
        account: &str,
        week: NaiveDate,
        outcome: Result<(), (&str, DateTime<Utc>)>,
    ) -> Result<bool, StoreError> {
        let query = match outcome {
            Ok(()) => sqlx::query(
                "UPDATE alert_digest SET last_week = $1, attempts = 0, last_error = NULL, \
                 claimed_by = NULL, claimed_until = NULL WHERE account = $2 AND claimed_by = $3",
            )
            .bind(week.to_string()),
            Err((error, retry_at)) => sqlx::query(
                "UPDATE alert_digest SET next_attempt_at = $1, last_error = $2, \
                 claimed_by = NULL, claimed_until = NULL WHERE account = $3 AND claimed_by = $4",
            )
            .bind(format_instant(retry_at))
            .bind(error.to_owned()),
        };
        let done = query
            .bind(account)
            .bind(worker)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("record the digest"))?;
        Ok(done.rows_affected() == 1)
    }
}
