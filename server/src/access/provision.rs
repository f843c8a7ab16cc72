//! Creating accounts and API tokens: the same rules whether the CLI or an
//! admin on the web asks.

use app::account::Role;
use chrono::Utc;
use secrecy::SecretString;

use super::{
    password::{self, PasswordError},
    secret_token::{digest, random_token},
};
use crate::store::{AccountRow, ApiTokenRow, Store, StoreError};

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account name has 1 to 64 ASCII letters, digits, '.', '_', '-' or '@'")]
    BadName,
    #[error("the account {0:?} already exists")]
    Exists(String),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// ASCII only: a name must not pass for another (Cyrillic `а` in `аdmin`),
/// and it shows on every page as it is.
pub(crate) fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
}

/// Adds an account with `role`, its password hashed with argon2.
pub async fn add_account(
    store: &Store,
    name: &str,
    role: Role,
    password: SecretString,
) -> Result<(), AccountError> {
    if !valid_name(name) {
        return Err(AccountError::BadName);
    }
    let password_hash = password::hash(password).await?;
    let created = store
        .create_account(&AccountRow {
            name: name.to_owned(),
            role,
            password_hash,
            created_at: Utc::now(),
        })
        .await?;
    created
        .then_some(())
        .ok_or_else(|| AccountError::Exists(name.to_owned()))
}

/// A new API token: shown once, stored only as its digest.
#[derive(Debug, serde::Serialize)]
pub struct IssuedToken {
    pub id: String,
    pub name: String,
    pub token: String,
}

/// Issues a read-only API token named `name`, on behalf of `by`.
pub async fn issue_api_token(
    store: &Store,
    name: &str,
    by: &str,
) -> Result<IssuedToken, StoreError> {
    let token = random_token("snt_");
    let id = random_token("")[..12].to_owned();
    store
        .create_api_token(&ApiTokenRow {
            id: id.clone(),
            name: name.to_owned(),
            token_sha256: digest(&token),
            created_by: by.to_owned(),
            created_at: Utc::now(),
            revoked_at: None,
        })
        .await?;
    Ok(IssuedToken {
        id,
        name: name.to_owned(),
        token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_ascii() {
        for good in ["ana", "ana.silva@empresa.com.br", "root_2", "a-b"] {
            assert!(valid_name(good), "{good}");
        }
        let long = "a".repeat(65);
        for bad in [
            "",
            "\u{430}dmin",
            "jos\u{e9}",
            "ana silva",
            "<script>",
            "a/b",
            &long,
        ] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
