//! Who is signed in, as the pages see it: the account's name, its role and
//! the session's CSRF token (which the sign-out form sends back). The
//! server's access gate puts the [`Account`] in the request's extensions,
//! and the account bar above the pages shows it.

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

/// The bar above every page: who is signed in and a sign-out button, or a
/// sign-in link. Rendered once, on the server, as HTML the browser keeps
/// (`inner_html` is not rewritten when hydrating, and the bar sits outside
/// the routes, so navigating does not rebuild it): it costs the WASM
/// nothing. Empty in embed mode and on the sign-in page.
#[component]
pub fn AccountBar() -> impl IntoView {
    view! { <div class="account-bar" inner_html=bar_html() /> }
}

#[cfg(not(feature = "ssr"))]
fn bar_html() -> String {
    String::new()
}

#[cfg(feature = "ssr")]
fn bar_html() -> String {
    use crate::{embed::is_embedded, i18n::Lang, url::encode};

    let Some(parts) = use_context::<http::request::Parts>() else {
        return String::new();
    };
    if is_embedded() || parts.uri.path() == "/entrar" {
        return String::new();
    }
    let lang = parts
        .uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("lang=")));
    let s = Lang::from_query(lang).strings();
    // Rendered by `view!`, which escapes every text and attribute value.
    match parts.extensions.get::<Account>().cloned() {
        Some(account) => view! {
            <form class="account" method="post" action="/conta/sair">
                <span>{s.signed_in_as} " " <strong>{account.name}</strong></span>
                <input type="hidden" name="csrf" value=account.csrf />
                <button type="submit">{s.sign_out}</button>
            </form>
        }
        .to_html(),
        None => {
            let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            // External: the sign-in page is not part of the browser's router.
            let href = format!("/entrar?destino={}", encode(here));
            view! { <a href=href rel="external">{s.sign_in}</a> }.to_html()
        }
    }
}
