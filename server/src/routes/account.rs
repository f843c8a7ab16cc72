//! Signing in and out. The sign-in page (`/entrar`) is a Leptos page whose
//! plain HTML form posts here; a good password starts a session (ending the
//! browser's earlier one), kept in an `HttpOnly`, `SameSite=Lax` cookie
//! (see SECURITY.md for why Lax), then goes back to the page asked for,
//! only ever a page of this site.

use std::sync::LazyLock;

use app::account::Account;
use axum::{
    Extension, Form,
    extract::{State, rejection::FormRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::{
    CookieJar,
    cookie::{Cookie, SameSite},
};
use chrono::Utc;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::access::{Access, csrf_matches, digest, password, random_token, valid_name};

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

/// Seconds a client is told to wait before trying again.
const RETRY_AFTER_SECONDS: u32 = 5;

/// Where to go after signing in: the path and query of `destination` when
/// it is a path of this site, else `/`. Browsers drop tabs and newlines
/// from URLs and read `\` as `/`, so `/\t/evil.example` would lead to
/// `//evil.example`: a destination with any control character, white space
/// or backslash is refused whole, and what is left must resolve, as a URL
/// reference, to a path of this origin that does not start with `//`.
fn local_destination(destination: &str) -> String {
    static HERE: LazyLock<Url> =
        LazyLock::new(|| Url::parse("http://sentinela.invalid/").expect("a valid base URL"));
    let plain = destination.starts_with('/')
        && !destination.starts_with("//")
        && !destination
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let resolved = plain
        .then(|| HERE.join(destination).ok())
        .flatten()
        .filter(|url| url.origin() == HERE.origin() && !url.path().starts_with("//"));
    match resolved {
        Some(url) => match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        },
        None => "/".to_owned(),
    }
}

/// A pt-BR plain-text answer with `status`; a 503 says when to retry.
fn plain(status: StatusCode, message: &'static str) -> Response {
    let mut response = (status, message).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    }
    response
}

fn store_down(error: impl std::fmt::Display) -> Response {
    tracing::warn!(error = %error, "sign-in cannot reach the store");
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        "O serviço está indisponível; tente de novo em instantes.",
    )
}

/// A form that cannot be read: a 400 that repeats none of it.
fn bad_form(rejection: FormRejection) -> Response {
    tracing::info!(status = %rejection.status(), "unreadable account form");
    plain(StatusCode::BAD_REQUEST, "Formulário inválido.")
}

/// Checks the password and, when it matches, starts a session.
pub async fn sign_in(
    State(access): State<Access>,
    jar: CookieJar,
    form: Result<Form<SignIn>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return bad_form(rejection),
    };
    let destination = local_destination(&form.destino);
    // A name no account can have (control characters, markup) is no
    // account: the store is not asked, the password is still checked.
    let name = form.usuario.trim();
    let found = match valid_name(name) {
        true => access.store.account(name).await,
        false => Ok(None),
    };
    let account = match found {
        Ok(account) => account,
        Err(error) => return store_down(error),
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let matches = match password::verify(form.senha, stored).await {
        Ok(matches) => matches,
        Err(busy) => {
            tracing::warn!(error = %busy, "sign-in refused: password checks busy");
            return plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "Muitas entradas ao mesmo tempo; tente de novo em instantes.",
            );
        }
    };
    let (Some(account), true) = (account, matches) else {
        tracing::info!("sign-in refused");
        let again = format!("/entrar?erro=1&destino={}", app::url::encode(&destination));
        return Redirect::to(&again).into_response();
    };
    // The browser's earlier session, if any, ends here: one browser, one session.
    if let Some(earlier) = jar.get(access.session_cookie())
        && let Err(error) = access.store.delete_session(&digest(earlier.value())).await
    {
        return store_down(error);
    }
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
    let cookie = Cookie::build((access.session_cookie(), token))
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
    form: Result<Form<SignOut>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return bad_form(rejection),
    };
    let Some(Extension(account)) = account else {
        return Redirect::to("/entrar").into_response();
    };
    if !csrf_matches(&account, Some(&form.csrf)) {
        return plain(
            StatusCode::FORBIDDEN,
            "Formulário expirado; recarregue a página.",
        );
    }
    let name = access.session_cookie();
    let token = jar
        .get(name)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if let Err(error) = access.store.delete_session(&digest(&token)).await {
        return store_down(error);
    }
    tracing::info!(account = %account.name, "signed out");
    let removal = Cookie::build((name, "")).path("/").secure(access.https);
    (jar.remove(removal), Redirect::to("/entrar?saiu=1")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_stay_on_this_site() {
        for (asked, kept) in [
            ("/uf/SP?period=30", "/uf/SP?period=30"),
            ("/dados", "/dados"),
            ("/uf/SP#mapa", "/uf/SP"),
            ("/uf/S%C3%A3o", "/uf/S%C3%A3o"),
            ("/uf/São", "/uf/S%C3%A3o"),
            ("/a/../dados", "/dados"),
        ] {
            assert_eq!(local_destination(asked), kept, "{asked:?}");
        }
        for foreign in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\x01/evil.example",
            "/\x0b/evil.example",
            "/\x7f/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/.//evil.example",
            "/./\t/evil.example",
            "",
            "uf",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_destination(foreign), "/", "{foreign:?}");
        }
    }
}
