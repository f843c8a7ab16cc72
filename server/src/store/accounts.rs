//! Accounts, their sessions and the API tokens of scripts. Only digests of
//! secrets are stored: argon2 PHC strings for passwords, SHA-256 for tokens.

use app::account::Role;
use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, Row, any::AnyRow};

use super::{Store, StoreError, format_instant, parse_instant};

/// One account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A live session: whose it is and its anti-forgery token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub account: String,
    pub role: Role,
    pub csrf_token: String,
}

/// One API token as stored (its digest, never the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub id: String,
    pub name: String,
    pub token_sha256: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn decode_role(text: String) -> Result<Role, sqlx::Error> {
    Role::parse(&text).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {text:?}").into()))
}

fn account_row(row: &AnyRow) -> Result<AccountRow, sqlx::Error> {
    Ok(AccountRow {
        name: row.try_get("name")?,
        role: decode_role(row.try_get("role")?)?,
        password_hash: row.try_get("password_hash")?,
        created_at: parse_instant(row.try_get("created_at")?)?,
    })
}

fn api_token_row(row: &AnyRow) -> Result<ApiTokenRow, sqlx::Error> {
    Ok(ApiTokenRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        token_sha256: row.try_get("token_sha256")?,
        created_by: row.try_get("created_by")?,
        created_at: parse_instant(row.try_get("created_at")?)?,
        revoked_at: row
            .try_get::<Option<String>, _>("revoked_at")?
            .map(parse_instant)
            .transpose()?,
    })
}

const API_TOKEN_COLUMNS: &str = "id, name, token_sha256, created_by, created_at, revoked_at";

impl Store {
    /// Adds an account; `false` when the name is taken.
    pub async fn create_account(&self, account: &AccountRow) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO account (name, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&account.name)
        .bind(&account.password_hash)
        .bind(account.role.code())
        .bind(format_instant(account.created_at))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("create account"))?;
        Ok(done.rows_affected() == 1)
    }

    /// The named account, if it exists.
    pub async fn account(&self, name: &str) -> Result<Option<AccountRow>, StoreError> {
        sqlx::query("SELECT name, role, password_hash, created_at FROM account WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read account"))?
            .map(|row| account_row(&row).map_err(StoreError::query("decode account")))
            .transpose()
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
        sqlx::query("SELECT name, role, password_hash, created_at FROM account ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list accounts"))?
            .iter()
            .map(|row| account_row(row).map_err(StoreError::query("decode account")))
            .collect()
    }

    /// Removes an account and its sessions; `false` when there was none.
    pub async fn delete_account(&self, name: &str) -> Result<bool, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin"))?;
        sqlx::query("DELETE FROM account_session WHERE account = $1")
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("delete sessions"))?;
        let done = sqlx::query("DELETE FROM account WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("delete account"))?;
        tx.commit().await.map_err(StoreError::query("commit"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a session of `account` until `expires_at`.
    pub async fn create_session(
        &self,
        token_sha256: &str,
        account: &str,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO account_session (token_sha256, account, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_sha256)
        .bind(account)
        .bind(csrf_token)
        .bind(format_instant(Utc::now()))
        .bind(format_instant(expires_at))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("create session"))?;
        Ok(())
    }

    /// The session with this token digest, if it has not expired.
    pub async fn session(&self, token_sha256: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT s.account, a.role, s.csrf_token FROM account_session s \
             JOIN account a ON a.name = s.account \
             WHERE s.token_sha256 = $1 AND s.expires_at > $2",
        )
        .bind(token_sha256)
        .bind(format_instant(Utc::now()))
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read session"))?;
        row.map(|row| -> Result<SessionRow, sqlx::Error> {
            Ok(SessionRow {
                account: row.try_get("account")?,
                role: decode_role(row.try_get("role")?)?,
                csrf_token: row.try_get("csrf_token")?,
            })
        })
        .transpose()
        .map_err(StoreError::query("decode session"))
    }

    /// Ends a session (sign-out), and forgets every expired one.
    pub async fn delete_session(&self, token_sha256: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM account_session WHERE token_sha256 = $1 OR expires_at <= $2")
            .bind(token_sha256)
            .bind(format_instant(Utc::now()))
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("delete session"))?;
        Ok(())
    }

    /// Records a new API token.
    pub async fn create_api_token(&self, token: &ApiTokenRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_token (id, name, token_sha256, created_by, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&token.id)
        .bind(&token.name)
        .bind(&token.token_sha256)
        .bind(&token.created_by)
        .bind(format_instant(token.created_at))
        .bind(token.revoked_at.map(format_instant))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("create API token"))?;
        Ok(())
    }

    /// The unrevoked API token with this digest, if any.
    pub async fn live_api_token(
        &self,
        token_sha256: &str,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        // Only constants go into the statement.
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {API_TOKEN_COLUMNS} FROM api_token \
             WHERE token_sha256 = $1 AND revoked_at IS NULL"
        )))
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read API token"))?
        .map(|row| api_token_row(&row).map_err(StoreError::query("decode API token")))
        .transpose()
    }

    /// Every API token, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiTokenRow>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {API_TOKEN_COLUMNS} FROM api_token ORDER BY created_at DESC"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list API tokens"))?
        .iter()
        .map(|row| api_token_row(row).map_err(StoreError::query("decode API token")))
        .collect()
    }

    /// Revokes an API token; `false` when there is no live token with that id.
    pub async fn revoke_api_token(&self, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(format_instant(Utc::now()))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("revoke API token"))?;
        Ok(done.rows_affected() == 1)
    }
}
