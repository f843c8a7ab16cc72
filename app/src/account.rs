//! Who is signed in, as the pages see it: the account's name, its role and
//! the session's CSRF token (which the sign-out form sends back). The
//! server's access gate puts the [`Account`] in the request's extensions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the dashboard and the API.
    Viewer,
    /// Also triggers ingests, manages accounts, API tokens and embed links.
    Admin,
}

impl Role {
    /// The role's name as stored and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }

    /// The role named `code`, if any.
    pub fn parse(code: &str) -> Option<Role> {
        match code {
            "viewer" => Some(Role::Viewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// The signed-in account of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub role: Role,
    /// The session's anti-forgery token, required by every change it asks for.
    pub csrf: String,
}

/// The account signed in on this request, if any.
#[server(prefix = "/sf", endpoint = "account")]
pub async fn get_account() -> Result<Option<Account>, ServerFnError> {
    Ok(use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Account>().cloned()))
}
