//! Signing in and out. The sign-in page (`/entrar`) is a Leptos page whose
//! plain HTML form posts here; a good password starts a session, kept in an
//! `HttpOnly`, `SameSite=Lax` cookie (see SECURITY.md for why Lax).

use app::account::Account;
use axum::{
    Extension, Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::{
    CookieJar,
    cookie::{Cookie, SameSite},
};
use chrono::Utc;
use secrecy::SecretString;
use serde::Deserialize;

use crate::access::{Access, SESSION_COOKIE, csrf_matches, digest, password, random_token};

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignIn {
    usuario: String,
    senha: SecretString,
    /// Where to go once signed in (a path of this site).
    #[serde(default)]
    destino: String,
}

/// The sign-out form.
#[derive(Deserialize)]
pub struct SignOut {
    #[serde(default)]
    csrf: String,
}

/// Only a path of this site: never `//other.example` or a full URL.
fn local_destination(destination: &str) -> &str {
    let local = destination.starts_with('/')
        && !destination.starts_with("//")
        && !destination.contains(['\\', '\r', '\n']);
    if local { destination } else { "/" }
}

fn store_down(error: impl std::fmt::Display) -> Response {
    tracing::warn!(error = %error, "sign-in cannot reach the store");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "O serviço está indisponível; tente de novo em instantes.",
    )
        .into_response()
}

/// Checks the password and, when it matches, starts a session.
pub async fn sign_in(
    State(access): State<Access>,
    jar: CookieJar,
    Form(form): Form<SignIn>,
) -> Response {
    let destination = local_destination(&form.destino).to_owned();
    let account = match access.store.account(form.usuario.trim()).await {
        Ok(account) => account,
        Err(error) => return store_down(error),
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let (Some(account), true) = (account, password::verify(form.senha, stored).await) else {
        tracing::info!("sign-in refused");
        let again = format!("/entrar?erro=1&destino={}", app::url::encode(&destination));
        return Redirect::to(&again).into_response();
    };
    let token = random_token("");
    let expires = Utc::now() + access.session_length;
    if let Err(error) = access
        .store
        .create_session(&digest(&token), &account.name, &random_token(""), expires)
        .await
    {
        return store_down(error);
    }
    tracing::info!(account = %account.name, "signed in");
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .secure(access.https)
        .same_site(SameSite::Lax)
        .max_age(time_from(access.session_length));
    (jar.add(cookie), Redirect::to(&destination)).into_response()
}

fn time_from(length: std::time::Duration) -> cookie::time::Duration {
    cookie::time::Duration::seconds(length.as_secs() as i64)
}

/// Ends the session, if the form carries its anti-forgery token.
pub async fn sign_out(
    State(access): State<Access>,
    account: Option<Extension<Account>>,
    jar: CookieJar,
    Form(form): Form<SignOut>,
) -> Response {
    let Some(Extension(account)) = account else {
        return Redirect::to("/entrar").into_response();
    };
    if !csrf_matches(&account, Some(&form.csrf)) {
        return (
            StatusCode::FORBIDDEN,
            "Formulário expirado; recarregue a página.",
        )
            .into_response();
    }
    let token = jar
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if let Err(error) = access.store.delete_session(&digest(&token)).await {
        return store_down(error);
    }
    tracing::info!(account = %account.name, "signed out");
    let removal = Cookie::build((SESSION_COOKIE, "")).path("/");
    (jar.remove(removal), Redirect::to("/entrar?saiu=1")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_stay_on_this_site() {
        assert_eq!(local_destination("/uf/SP?period=30"), "/uf/SP?period=30");
        for foreign in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "",
            "uf",
        ] {
            assert_eq!(local_destination(foreign), "/", "{foreign}");
        }
    }
}
