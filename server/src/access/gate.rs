//! The access gate, one middleware in front of every route. It names the
//! caller (session cookie, API token, embed link), refuses cross-site
//! changes, applies the rate limits, and lets through only what the caller
//! may do: in `login` mode pages, server functions and the API need an
//! account (or a token, or a signed embed link); admin routes always need
//! an admin and, with a cookie, the session's anti-forgery token; metrics
//! need an admin or an API token. It alone reads the `embed` parameter,
//! and marks an admitted embedded view for the pages ([`Embedded`]).
//! It also says who may keep an answer, and for how long: answers that carry
//! an account's data stay out of shared caches, pages are checked again on
//! every visit, and the build's files named by their content's hash are
//! kept for good.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    path::{Component, Path},
    time::Duration,
};

use app::{
    account::{Account, Role},
    embed::Embedded,
};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use chrono::Utc;

use super::{Access, EmbedError, secret_token::digest};
use crate::{
    alerts::email::UNSUBSCRIBE_PATH,
    config::AccessMode,
    json_error::{ErrorBody, error_response},
    site::Site,
    store::ApiTokenRow,
};

/// The header that carries the session's anti-forgery token on admin calls.
const CSRF_HEADER: &str = "x-csrf-token";

/// What a path is, for access purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Area {
    /// Probes, the site's files, the sign-in page, the sign-out form and
    /// the alert e-mails' unsubscribe link (its token is its authority).
    Open,
    /// One of the site's files whose name carries its content's hash.
    Asset,
    /// The sign-in form's POST: rate limited.
    SignIn,
    /// Ingest, accounts, tokens, embed links.
    Admin,
    /// Prometheus metrics: admins and API tokens.
    Metrics,
    Api,
    ServerFunction,
    Page,
}

impl Area {
    /// The area of `path`, but for the site's files, which
    /// [`Area::of_request`] tells from pages.
    fn of(path: &str) -> Area {
        match path {
            "/healthz"
            | "/readyz"
            | "/entrar"
            | "/conta/sair"
            | "/api/v1/openapi.json"
            | UNSUBSCRIBE_PATH => Area::Open,
            "/metrics" => Area::Metrics,
            "/conta/entrar" => Area::SignIn,
            _ if path == "/admin" || path.starts_with("/admin/") => Area::Admin,
            _ if path.starts_with("/api/") => Area::Api,
            _ if path.starts_with("/sf/") => Area::ServerFunction,
            _ => Area::Page,
        }
    }

    /// The area of `path`, a page path unless it names one of the site's
    /// files (the WASM bundle, CSS, favicon) that exists under its root: a
    /// page path shaped like a file (`/uf/SP.x`) stays a page.
    async fn of_request(path: &str, site: &Site) -> Area {
        match Area::of(path) {
            Area::Page if site_file(path, &site.root).await => match site.is_hashed(path) {
                true => Area::Asset,
                false => Area::Open,
            },
            area => area,
        }
    }
}

/// Whether `path` names a file under `site_root`: its last segment has an
/// extension, no segment climbs (`..`), and the file is there.
async fn site_file(path: &str, site_root: &Path) -> bool {
    let relative = Path::new(path.trim_start_matches('/'));
    let plain = relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    let named_like_a_file = relative.extension().is_some();
    plain
        && named_like_a_file
        && tokio::fs::metadata(site_root.join(relative))
            .await
            .is_ok_and(|file| file.is_file())
}

/// The query's parameters, decoded as the pages decode them.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// Why a request is turned away.
#[derive(Debug)]
enum Refusal {
    CrossSite,
    Unavailable,
    TooMany(Duration),
    Unauthorized(&'static str),
    Forbidden(&'static str),
    SignInFirst(String),
    Embed(EmbedError),
}

fn refused(status: StatusCode, error: &'static str, message: impl Into<String>) -> Response {
    error_response(status, ErrorBody::plain(error, message))
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::CrossSite => refused(
                StatusCode::FORBIDDEN,
                "cross_site",
                "changes are accepted only from this site's own pages",
            ),
            Refusal::Unavailable => refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the store is unavailable; try again shortly",
            ),
            Refusal::TooMany(wait) => {
                let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
                let mut response = refused(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    format!("too many requests; retry in {seconds} s"),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                response
            }
            Refusal::Unauthorized(message) => {
                let mut response = refused(StatusCode::UNAUTHORIZED, "unauthorized", message);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"sentinela\""),
                );
                response
            }
            Refusal::Forbidden(message) => refused(StatusCode::FORBIDDEN, "forbidden", message),
            Refusal::SignInFirst(destination) => Redirect::to(&format!(
                "/entrar?destino={}",
                app::url::encode(&destination)
            ))
            .into_response(),
            // The reason names at most a parameter, never its value, and
            // is escaped all the same.
            Refusal::Embed(reason) => (
                StatusCode::FORBIDDEN,
                Html(format!(
                    "<!DOCTYPE html><html lang=\"pt-BR\"><meta charset=\"utf-8\">\
                     <title>Sentinela</title><p>Este link de incorporação não é válido \
                     ({}). Peça um novo link ao administrador.</p></html>",
                    html_escape::encode_text(&reason.to_string())
                )),
            )
                .into_response(),
        }
    }
}

/// Lets the request through, or answers it with the reason it may not pass.
pub async fn gate(State(access): State<Access>, mut request: Request, next: Next) -> Response {
    let area = Area::of_request(request.uri().path(), &access.site).await;
    if let Err(refusal) = admit(&access, area, &mut request).await {
        return refusal.into_response();
    }
    let caching = cache_control(&access, area, request.extensions().get::<Account>());
    let mut response = next.run(request).await;
    if let Some(policy) = caching {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Who may keep the answer, and for how long, when the handler does not
/// say: a file named by its content's hash never changes (a new build names
/// a changed file anew), so anyone keeps it for a year; in `login` mode the
/// API's answers are for their reader only (who may revalidate them);
/// pages, server functions and admin answers, which may name the account
/// and carry its anti-forgery token, are kept by no one, and other pages are
/// checked again on every visit (they name the current build's files).
fn cache_control(access: &Access, area: Area, account: Option<&Account>) -> Option<&'static str> {
    let login = access.mode == AccessMode::Login;
    match area {
        Area::Asset => Some("public, max-age=31536000, immutable"),
        Area::Api if login => Some("private, no-cache"),
        Area::Page | Area::ServerFunction | Area::Admin if login || account.is_some() => {
            Some("private, no-store")
        }
        Area::Page => Some("no-cache"),
        _ => None,
    }
}

async fn admit(access: &Access, area: Area, request: &mut Request) -> Result<(), Refusal> {
    let path = request.uri().path().to_owned();
    let changes = !request.method().is_safe();
    if changes && !same_origin(request.headers()) {
        return Err(Refusal::CrossSite);
    }
    let account = session_account(access, request.headers()).await?;
    if let Some(account) = &account {
        request.extensions_mut().insert(account.clone());
    }
    let signed_in = account.is_some() || access.mode == AccessMode::Public;
    match area {
        Area::Open | Area::Asset => Ok(()),
        Area::SignIn => access
            .limits
            .sign_in(client_address(access, request))
            .map_err(Refusal::TooMany),
        Area::Admin => admin(account.as_ref(), request.headers(), changes),
        Area::Metrics => match account.as_ref().map(|a| a.role) {
            Some(Role::Admin) => Ok(()),
            _ => api_reader(access, request.headers(), false).await.map(drop),
        },
        Area::Api => {
            access
                .limits
                .api(client_address(access, request))
                .map_err(Refusal::TooMany)?;
            match api_reader(access, request.headers(), signed_in).await? {
                Some(token) => {
                    request
                        .extensions_mut()
                        .insert(TokenAccount(token.created_by));
                    Ok(())
                }
                // A change over a session needs its anti-forgery token.
                None if changes => {
                    let account = account.as_ref().ok_or(Refusal::Unauthorized(
                        "send an API token (Authorization: Bearer …) or sign in",
                    ))?;
                    let given = request
                        .headers()
                        .get(CSRF_HEADER)
                        .and_then(|v| v.to_str().ok());
                    match csrf_matches(account, given) {
                        true => Ok(()),
                        false => Err(Refusal::Forbidden("missing or wrong X-CSRF-Token")),
                    }
                }
                None => Ok(()),
            }
        }
        Area::ServerFunction => signed_in
            .then_some(())
            .ok_or(Refusal::Unauthorized("sign in first")),
        Area::Page => {
            let query = request.uri().query().unwrap_or_default().to_owned();
            let pairs = query_pairs(&query);
            // Any `embed` parameter, whatever its value, asks for an
            // embedded view: it needs a link, and the pages learn of it
            // only from the mark left here.
            if pairs.iter().any(|(k, _)| k == "embed") {
                embed(access, &path, &pairs).map_err(Refusal::Embed)?;
                request.extensions_mut().insert(Embedded);
                Ok(())
            } else if signed_in {
                Ok(())
            } else {
                let destination = match query.is_empty() {
                    true => path,
                    false => format!("{path}?{query}"),
                };
                Err(Refusal::SignInFirst(destination))
            }
        }
    }
}

/// A browser request that changes something must come from this site's
/// pages: `Sec-Fetch-Site`, else `Origin`, must say so. Requests without
/// either come from scripts, not from a browser tricked by another site.
fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority == host),
        (Some(_), None) => false,
    }
}

/// The account whose session cookie the request carries, if it is live.
async fn session_account(access: &Access, headers: &HeaderMap) -> Result<Option<Account>, Refusal> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(access.session_cookie()) else {
        return Ok(None);
    };
    let session = access
        .store
        .session(&digest(cookie.value()))
        .await
        .map_err(|error| {
            tracing::warn!(error = %error, "cannot read the session");
            Refusal::Unavailable
        })?;
    Ok(session.map(|s| Account {
        name: s.account,
        role: s.role,
        csrf: s.csrf_token,
    }))
}

/// Whether `given` is the session's anti-forgery token (compared through
/// digests, so the time taken says nothing about the token).
pub(crate) fn csrf_matches(account: &Account, given: Option<&str>) -> bool {
    given.is_some_and(|given| digest(given) == digest(&account.csrf))
}

fn admin(account: Option<&Account>, headers: &HeaderMap, changes: bool) -> Result<(), Refusal> {
    let account = account.ok_or(Refusal::Unauthorized("sign in as an admin"))?;
    if account.role != Role::Admin {
        return Err(Refusal::Forbidden("this needs an admin account"));
    }
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if changes && !csrf_matches(account, token) {
        return Err(Refusal::Forbidden("missing or wrong X-CSRF-Token"));
    }
    Ok(())
}

/// The account an API token acts for, on its alert rules only: the one
/// that issued it. The gate leaves it in the request of a live token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenAccount(pub String);

/// The API reads with a live bearer token, a session, or, in `public` mode,
/// anonymously. A token that is presented must be live; it is returned.
async fn api_reader(
    access: &Access,
    headers: &HeaderMap,
    signed_in: bool,
) -> Result<Option<ApiTokenRow>, Refusal> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = bearer else {
        return signed_in.then_some(None).ok_or(Refusal::Unauthorized(
            "send an API token (Authorization: Bearer …)",
        ));
    };
    let live = access
        .store
        .live_api_token(&digest(token.trim()))
        .await
        .map_err(|error| {
            tracing::warn!(error = %error, "cannot read API tokens");
            Refusal::Unavailable
        })?;
    live.map(Some)
        .ok_or(Refusal::Unauthorized("the API token is invalid or revoked"))
}

/// An embedded view renders only with a valid, unexpired link that admits
/// this path and every filter in the query.
fn embed(access: &Access, path: &str, pairs: &[(String, String)]) -> Result<(), EmbedError> {
    let signer = access.signer.as_ref().ok_or(EmbedError::Disabled)?;
    let token = pairs
        .iter()
        .find_map(|(k, v)| (k == "t").then_some(v.as_str()))
        .ok_or(EmbedError::BadSignature)?;
    signer
        .verify(token, Utc::now())?
        .admits(path, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The client's address: the peer's, or behind a trusted proxy the one the
/// proxy appended last to `X-Forwarded-For`.
fn client_address(access: &Access, request: &Request) -> IpAddr {
    let forwarded = access
        .trust_forwarded_for
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok());
    forwarded
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        })
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_in_their_areas() {
        for (path, area) in [
            ("/healthz", Area::Open),
            ("/entrar", Area::Open),
            ("/alertas/cancelar", Area::Open),
            ("/metrics", Area::Metrics),
            ("/conta/entrar", Area::SignIn),
            ("/admin/accounts", Area::Admin),
            ("/api/v1/cases/states", Area::Api),
            ("/sf/overview", Area::ServerFunction),
            ("/", Area::Page),
            ("/uf/SP", Area::Page),
        ] {
            assert_eq!(Area::of(path), area, "{path}");
        }
    }

    #[tokio::test]
    async fn only_files_that_exist_are_the_sites_files() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("pkg")).unwrap();
        for file in ["pkg/sentinela.css", "pkg/sentinela.c55.css", "favicon.ico"] {
            std::fs::write(root.path().join(file), "").unwrap();
        }
        let site = Site {
            root: root.path().to_owned(),
            hashed: ["/pkg/sentinela.c55.css", "/pkg/sentinela.j5.js"]
                .map(str::to_owned)
                .into(),
            stylesheet: "".into(),
        };
        for (path, area) in [
            ("/pkg/sentinela.c55.css", Area::Asset),
            ("/pkg/sentinela.css", Area::Open),
            ("/favicon.ico", Area::Open),
            ("/pkg/sentinela.j5.js", Area::Page),
            ("/pkg/missing.js", Area::Page),
            ("/uf/SP.x", Area::Page),
            ("/municipio/3550308.0", Area::Page),
            ("/pkg/../pkg/sentinela.c55.css", Area::Page),
            ("/pkg", Area::Page),
        ] {
            assert_eq!(Area::of_request(path, &site).await, area, "{path}");
        }
    }

    #[test]
    fn changes_must_come_from_this_site() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.parse().unwrap(), HeaderValue::from_static(v)))
                .collect::<HeaderMap>()
        };
        assert!(same_origin(&headers(&[])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&headers(&[
            ("origin", "http://a:1"),
            ("host", "a:1")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "http://evil"),
            ("host", "a:1")
        ])));
    }
}
