//! Admin actions over JSON, behind the gate's admin check (an admin's
//! session and its `X-CSRF-Token`): trigger an ingest, list and accept the
//! editions held by their data contracts, manage accounts and API tokens,
//! issue embed links. Every failure is a JSON error body, the API's, a body
//! or path that cannot be read included.

use std::collections::BTreeMap;

use app::account::{Account, Role};
use axum::{
    Extension, Json, Router,
    extract::{
        FromRequest, FromRequestParts, Path, State,
        rejection::{JsonRejection, PathRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::{
    access::{self, Access, AccountError, EmbedGrant, IssuedToken, password::PasswordError},
    json_error::{ErrorBody, error_response},
    store::{Store, StoreError},
    trigger::{Job, StartError, Trigger},
};

/// The admin routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/ingest", post(trigger_ingest))
        .route("/admin/held", get(held_editions))
        .route("/admin/held/{source}/{run}/accept", post(accept_held))
        .route("/admin/accounts", get(accounts).post(add_account))
        .route("/admin/accounts/{name}", delete(remove_account))
        .route("/admin/tokens", get(tokens).post(issue_token))
        .route("/admin/tokens/{id}", delete(revoke_token))
        .route("/admin/embed-links", post(issue_embed_link))
}

/// An admin request that failed.
struct Failure(StatusCode, &'static str, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        error_response(self.0, ErrorBody::plain(self.1, self.2))
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        tracing::warn!(error = %error, "admin action cannot reach the store");
        Failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the store is unavailable; try again shortly".into(),
        )
    }
}

/// A request body or path parameter that cannot be read: the rejection's
/// status (400 for content that does not fit the call), its reason as JSON.
fn unreadable(status: StatusCode, reason: String) -> Failure {
    let status = match status {
        StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
        other => other,
    };
    Failure(status, "invalid_request", reason)
}

impl From<JsonRejection> for Failure {
    fn from(rejection: JsonRejection) -> Self {
        unreadable(rejection.status(), rejection.body_text())
    }
}

impl From<PathRejection> for Failure {
    fn from(rejection: PathRejection) -> Self {
        unreadable(rejection.status(), rejection.body_text())
    }
}

/// An admin call's JSON body.
#[derive(FromRequest)]
#[from_request(via(Json), rejection(Failure))]
struct Body<T>(T);

/// An admin call's path parameter.
#[derive(FromRequestParts)]
#[from_request(via(Path), rejection(Failure))]
struct Param<T>(T);

fn bad_request(message: impl Into<String>) -> Failure {
    Failure(StatusCode::BAD_REQUEST, "invalid_request", message.into())
}

fn not_found(what: &str) -> Failure {
    Failure(StatusCode::NOT_FOUND, "not_found", format!("no {what}"))
}

#[derive(Deserialize)]
struct IngestRequest {
    /// Only this source; all of them when absent.
    source: Option<String>,
}

/// Starts an ingest of the sources' URLs, unless one runs: in the
/// background here, or as the ingest job (`trigger`).
async fn trigger_ingest(
    State(store): State<Store>,
    State(trigger): State<Trigger>,
    Extension(admin): Extension<Account>,
    Body(request): Body<IngestRequest>,
) -> Result<Response, Failure> {
    tracing::info!(admin = %admin.name, source = ?request.source, "ingest requested");
    start(
        &trigger,
        &store,
        Job::Ingest {
            source: request.source,
        },
    )
    .await
}

/// Starts `job`: 202, or 409 when another ingest runs, 503 when the store
/// or the bus fails.
async fn start(trigger: &Trigger, store: &Store, job: Job) -> Result<Response, Failure> {
    match trigger.start(store, job).await {
        Ok(()) => Ok(started()),
        Err(StartError::Busy) => Err(Failure(
            StatusCode::CONFLICT,
            "busy",
            "an ingest is already running".into(),
        )),
        Err(StartError::Store(error)) => Err(error.into()),
        Err(error @ StartError::Bus(_)) => {
            tracing::error!(error = %error, "cannot start the ingest job");
            Err(Failure(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the ingest job could not be started; try again shortly".into(),
            ))
        }
    }
}

fn started() -> Response {
    (
        StatusCode::ACCEPTED,
        Json(serde_json::json!({"status": "started"})),
    )
        .into_response()
}

#[derive(Serialize)]
struct HeldView {
    source: String,
    run: String,
    reason: String,
    held_at: DateTime<Utc>,
}

/// The editions held by their data contracts, newest first.
async fn held_editions(State(store): State<Store>) -> Result<Json<Vec<HeldView>>, Failure> {
    let held = store.held_editions().await?;
    Ok(Json(
        held.into_iter()
            .map(|h| HeldView {
                source: h.source,
                run: h.run_id,
                reason: h.reason,
                held_at: h.held_at,
            })
            .collect(),
    ))
}

/// Accepts a held edition: refines it into silver, contract aside, and
/// brings gold up to it (in the background here, or as the ingest job).
async fn accept_held(
    State(store): State<Store>,
    State(trigger): State<Trigger>,
    Extension(admin): Extension<Account>,
    Path((source, run)): Path<(String, String)>,
) -> Result<Response, Failure> {
    let held = store.held_editions().await?;
    if !held.iter().any(|h| h.source == source && h.run_id == run) {
        return Err(not_found("such held edition"));
    }
    tracing::info!(admin = %admin.name, %source, %run, "held edition accepted");
    let by = admin.name;
    start(&trigger, &store, Job::Accept { source, run, by }).await
}

#[derive(Serialize)]
struct AccountView {
    name: String,
    role: Role,
    created_at: DateTime<Utc>,
}

async fn accounts(State(store): State<Store>) -> Result<Json<Vec<AccountView>>, Failure> {
    let rows = store.accounts().await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| AccountView {
                name: a.name,
                role: a.role,
                created_at: a.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
struct NewAccount {
    name: String,
    role: Role,
    password: SecretString,
}

async fn add_account(
    State(store): State<Store>,
    Extension(admin): Extension<Account>,
    Body(new): Body<NewAccount>,
) -> Result<StatusCode, Failure> {
    match access::add_account(&store, &new.name, new.role, new.password).await {
        Ok(()) => {
            tracing::info!(admin = %admin.name, account = %new.name, role = new.role.code(), "account added");
            Ok(StatusCode::CREATED)
        }
        Err(AccountError::Store(error)) => Err(error.into()),
        Err(error @ AccountError::Password(PasswordError::Busy(_))) => Err(Failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            error.to_string(),
        )),
        Err(error @ AccountError::Exists(_)) => {
            Err(Failure(StatusCode::CONFLICT, "exists", error.to_string()))
        }
        Err(error) => Err(bad_request(error.to_string())),
    }
}

async fn remove_account(
    State(store): State<Store>,
    Extension(admin): Extension<Account>,
    Param(name): Param<String>,
) -> Result<StatusCode, Failure> {
    if name == admin.name {
        return Err(bad_request("an admin cannot remove their own account"));
    }
    match store.delete_account(&name).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found("such account")),
    }
}

#[derive(Serialize)]
struct TokenView {
    id: String,
    name: String,
    created_by: String,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

async fn tokens(State(store): State<Store>) -> Result<Json<Vec<TokenView>>, Failure> {
    let rows = store.api_tokens().await?;
    Ok(Json(
        rows.into_iter()
            .map(|t| TokenView {
                id: t.id,
                name: t.name,
                created_by: t.created_by,
                created_at: t.created_at,
                revoked_at: t.revoked_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
struct NewToken {
    name: String,
}

async fn issue_token(
    State(store): State<Store>,
    Extension(admin): Extension<Account>,
    Body(new): Body<NewToken>,
) -> Result<(StatusCode, Json<IssuedToken>), Failure> {
    if new.name.trim().is_empty() || new.name.len() > 100 {
        return Err(bad_request("a token's name has 1 to 100 characters"));
    }
    let issued = access::issue_api_token(&store, new.name.trim(), &admin.name).await?;
    tracing::info!(admin = %admin.name, token = %issued.id, "API token issued");
    Ok((StatusCode::CREATED, Json(issued)))
}

async fn revoke_token(
    State(store): State<Store>,
    Param(id): Param<String>,
) -> Result<StatusCode, Failure> {
    match store.revoke_api_token(&id).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found("live token with that id")),
    }
}

#[derive(Deserialize)]
struct NewEmbedLink {
    /// The page path, e.g. `/uf/SP`.
    view: String,
    #[serde(default)]
    filters: BTreeMap<String, Vec<String>>,
    /// Days until the link expires (1 to 366).
    days: u32,
}

#[derive(Serialize)]
struct EmbedLink {
    link: String,
    expires_at: DateTime<Utc>,
}

async fn issue_embed_link(
    State(access): State<Access>,
    Body(new): Body<NewEmbedLink>,
) -> Result<(StatusCode, Json<EmbedLink>), Failure> {
    let signer = access.signer.as_ref().ok_or_else(|| {
        Failure(
            StatusCode::CONFLICT,
            "disabled",
            "embed links need SENTINELA_SIGNING_KEY".into(),
        )
    })?;
    let grant = EmbedGrant::new(&new.view, new.filters, Duration::days(i64::from(new.days)))
        .map_err(bad_request)?;
    Ok((
        StatusCode::CREATED,
        Json(EmbedLink {
            link: signer.link(&grant),
            expires_at: grant.expires_at,
        }),
    ))
}
