//! The store's privileges in production, on PostgreSQL: two login roles.
//! The ingest's owns the tables: it migrates, stages and publishes gold,
//! records runs, source states and lineage. The web service's reads every
//! table and writes only its own, [`WEB_TABLES`] (accounts, sessions, API
//! tokens; alert rules, which it manages, and their states, firings and
//! outbox, which it drains; the weekly digests it sends), so a flaw in the web server cannot rewrite an
//! indicator.
//!
//! The grants follow the code: the ingest grants them again after every
//! migration ([`Store::grant_web_role`], `SENTINELA_WEB_DB_ROLE`), so a new
//! table is readable at once and writable only if listed here. The web
//! service does not migrate; it checks that the database has every
//! migration it was built with ([`Store::connect_migrated`]). The login
//! roles themselves are made by an administrator ([`create_login_roles`],
//! `sentinela db-roles`).

use secrecy::{ExposeSecret, SecretString};
use sqlx::{Connection, Executor, Row, postgres::PgConnection};

use super::{MIGRATOR, Store, StoreBackend, StoreError};

/// The tables the web service writes; it reads every table.
pub const WEB_TABLES: &[&str] = &[
    "account",
    "account_session",
    "api_token",
    "alert_rule",
    "alert_state",
    "alert_firing",
    "alert_delivery",
    "alert_digest",
];

/// A PostgreSQL role name: lower-case letters, digits and `_`, not starting
/// with a digit, at most 63 bytes, so it needs no quoting to mean itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleName(String);

impl RoleName {
    pub fn parse(name: &str) -> Result<Self, StoreError> {
        let plain = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let starts_well = name.bytes().next().is_some_and(|b| !b.is_ascii_digit());
        match plain && starts_well && name.len() <= 63 {
            true => Ok(RoleName(name.to_owned())),
            false => Err(StoreError::RoleName(name.to_owned())),
        }
    }

    /// The name as an SQL identifier.
    fn ident(&self) -> String {
        format!("\"{}\"", self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a login role may do in the database, beyond connecting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    /// Creates the tables (migrations) and writes them.
    Ingest,
    /// Uses the tables the ingest grants it.
    Web,
}

/// A login role to create or update, with its password.
pub struct LoginRole {
    pub name: RoleName,
    pub password: SecretString,
    pub duty: Duty,
}

impl Store {
    /// Connects to `url` without migrating: fails unless the database has
    /// every migration this binary holds (the web service's start, under a
    /// role that may not create tables).
    pub async fn connect_migrated(
        url: &SecretString,
        max_connections: u32,
    ) -> Result<Self, StoreError> {
        let store = Store::open(url, max_connections).await?;
        let applied: Vec<i64> =
            match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&store.pool)
                .await
            {
                Ok(applied) => applied,
                // No migrations table: never migrated.
                Err(sqlx::Error::Database(error))
                    if error.message().contains("_sqlx_migrations") =>
                {
                    Vec::new()
                }
                Err(error) => return Err(StoreError::query("read the applied migrations")(error)),
            };
        let missing: Vec<i64> = MIGRATOR
            .iter()
            .map(|migration| migration.version)
            .filter(|version| !applied.contains(version))
            .collect();
        match missing.is_empty() {
            true => Ok(store),
            false => Err(StoreError::Unmigrated(missing)),
        }
    }

    /// Grants `role` what the web service needs, in one transaction: every
    /// privilege on every table revoked, then reading granted on all of
    /// them and writing on [`WEB_TABLES`]. The caller owns the tables.
    pub async fn grant_web_role(&self, role: &RoleName) -> Result<(), StoreError> {
        if self.backend != StoreBackend::Postgres {
            return Err(StoreError::RolesNeedPostgres);
        }
        let role = role.ident();
        let statements = [
            format!("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"),
            format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"),
            format!(
                "GRANT INSERT, UPDATE, DELETE ON {} TO {role}",
                WEB_TABLES.join(", ")
            ),
        ];
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin the web role's grants"))?;
        for statement in statements {
            tx.execute(sqlx::AssertSqlSafe(statement))
                .await
                .map_err(StoreError::query("grant the web role"))?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("commit the web role's grants"))
    }
}

/// Creates each login role if missing and sets its password, then lets it
/// connect to the database of `admin` and use its `public` schema (the
/// ingest's also create tables there). Run by an administrator (on RDS the
/// master user, which can create roles); idempotent. Refuses a role that
/// someone made a superuser or allowed to create roles or databases.
pub async fn create_login_roles(
    admin: &mut PgConnection,
    roles: &[LoginRole],
) -> Result<(), StoreError> {
    let mut tx = admin
        .begin()
        .await
        .map_err(StoreError::query("begin creating the login roles"))?;
    for role in roles {
        let exists = sqlx::query("SELECT 1 FROM pg_roles WHERE rolname = $1")
            .bind(role.name.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("look the role up"))?
            .is_some();
        let ident = role.name.ident();
        if !exists {
            tx.execute(sqlx::AssertSqlSafe(format!(
                "CREATE ROLE {ident} LOGIN NOINHERIT"
            )))
            .await
            .map_err(StoreError::query("create the role"))?;
        }
        // The password travels as a bound parameter; the server quotes it.
        let alter: String = sqlx::query_scalar(
            "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', $1::text, $2::text)",
        )
        .bind(role.name.as_str())
        .bind(role.password.expose_secret())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("quote the role's password"))?;
        tx.execute(sqlx::AssertSqlSafe(alter))
            .await
            .map_err(StoreError::query("set the role's password"))?;
        let powerful: bool = sqlx::query(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = $1",
        )
        .bind(role.name.as_str())
        .fetch_one(&mut *tx)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(StoreError::query("read the role's attributes"))?;
        if powerful {
            return Err(StoreError::PowerfulRole(role.name.as_str().to_owned()));
        }
        let schema = match role.duty {
            Duty::Ingest => "USAGE, CREATE",
            Duty::Web => "USAGE",
        };
        let grants = [
            format!("REVOKE CREATE ON SCHEMA public FROM {ident}"),
            format!("GRANT {schema} ON SCHEMA public TO {ident}"),
        ];
        let database: String = sqlx::query_scalar(
            "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), $1::text)",
        )
        .bind(role.name.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("name the database"))?;
        for statement in grants.into_iter().chain([database]) {
            tx.execute(sqlx::AssertSqlSafe(statement))
                .await
                .map_err(StoreError::query("grant the role"))?;
        }
    }
    tx.commit()
        .await
        .map_err(StoreError::query("commit the login roles"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_need_no_quoting() {
        assert!(RoleName::parse("sentinela_web").is_ok());
        assert!(RoleName::parse("web2").is_ok());
        for bad in [
            "",
            "2web",
            "Web",
            "web-role",
            "web\"; DROP TABLE x; --",
            &"a".repeat(64),
        ] {
            assert!(RoleName::parse(bad).is_err(), "{bad:?}");
        }
    }
}
