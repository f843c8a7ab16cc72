//! The alert e-mails' unsubscribe link (`/alertas/cancelar?regra=…&t=…`,
//! or `?resumo=<account>&t=…` for the weekly digest), open to anyone who
//! holds it: the token is the rule's (or the digest's) signature over its
//! id and address. Opening it shows a button; posting to it (the button,
//! or a mail client's one-click `List-Unsubscribe=One-Click` POST, RFC 8058)
//! stops the rule's e-mail, so a link scanner that only opens it changes
//! nothing. A wrong or stale link says so and changes nothing.

use axum::{
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use html_escape::encode_text;
use serde::Deserialize;

use super::AppState;
use crate::{
    alerts::{digest, email::unsubscribe_token_holds},
    store::{AlertRule, DigestRow},
};

/// The link's parameters.
#[derive(Debug, Default, Deserialize)]
pub struct Link {
    #[serde(default)]
    regra: String,
    /// The account whose weekly digest the link stops.
    #[serde(default)]
    resumo: String,
    #[serde(default)]
    t: String,
}

/// A small page in the site's language.
pub(super) fn page(status: StatusCode, body: &str) -> Response {
    (
        status,
        Html(format!(
            "<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Sentinela — alertas por e-mail</title></head><body><main>{body}\
             <p><a href=\"/\">Sentinela</a></p></main></body></html>"
        )),
    )
        .into_response()
}

fn invalid() -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "<h1>Link inválido</h1><p>Este link de cancelamento não é válido ou já foi usado \
         depois de uma mudança de endereço. Nada foi alterado.</p>",
    )
}

fn unavailable() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "<h1>Indisponível</h1><p>Tente de novo em instantes. Nada foi alterado.</p>",
    )
}

/// What an unsubscribe link stops: a rule's e-mails, or an account's
/// weekly digest.
enum Subscription {
    Rule(AlertRule),
    Digest(DigestRow),
}

impl Subscription {
    /// What it is, in words (HTML).
    fn words(&self) -> String {
        match self {
            Subscription::Rule(rule) => format!(
                "os e-mails da regra \u{201c}{}\u{201d}",
                encode_text(&rule.name)
            ),
            Subscription::Digest(digest) => {
                format!("o resumo semanal da conta {}", encode_text(&digest.account))
            }
        }
    }
}

fn store_down(error: crate::store::StoreError) -> Response {
    tracing::warn!(error = %error, "unsubscribe cannot reach the store");
    unavailable()
}

/// What `link` names, if its token holds; else the answer to give.
async fn linked(state: &AppState, link: &Link) -> Result<Subscription, Response> {
    let already = |what: &str| {
        page(
            StatusCode::OK,
            &format!("<h1>Já cancelado</h1><p>{what}</p>"),
        )
    };
    if !link.resumo.is_empty() {
        return match state.store.digest(&link.resumo).await.map_err(store_down)? {
            Some(digest) if digest::unsubscribe_token_holds(&digest, &link.t) => {
                Ok(Subscription::Digest(digest))
            }
            Some(_) => Err(invalid()),
            None => Err(already("Esta conta já não recebe o resumo semanal.")),
        };
    }
    match state
        .store
        .alert_rule(&link.regra)
        .await
        .map_err(store_down)?
    {
        Some(rule) if unsubscribe_token_holds(&rule, &link.t) => Ok(Subscription::Rule(rule)),
        Some(rule) if rule.email.is_none() => Err(already("Esta regra já não envia e-mails.")),
        _ => Err(invalid()),
    }
}

/// The confirmation button.
pub async fn confirm(
    State(state): State<AppState>,
    link: Result<Query<Link>, QueryRejection>,
) -> Response {
    let link = link.map(|Query(link)| link).unwrap_or_default();
    match linked(&state, &link).await {
        Ok(subscription) => page(
            StatusCode::OK,
            &format!(
                "<h1>Cancelar e-mails</h1><p>Parar de receber {}?</p><form method=\"post\">\
                 <button type=\"submit\">Não receber mais</button></form>",
                subscription.words()
            ),
        ),
        Err(answer) => answer,
    }
}

/// Stops the rule's e-mail, or the digest.
pub async fn stop(
    State(state): State<AppState>,
    link: Result<Query<Link>, QueryRejection>,
) -> Response {
    let link = link.map(|Query(link)| link).unwrap_or_default();
    let subscription = match linked(&state, &link).await {
        Ok(subscription) => subscription,
        Err(answer) => return answer,
    };
    let stopped = match &subscription {
        Subscription::Rule(rule) => state.store.stop_alert_email(&rule.id).await,
        Subscription::Digest(digest) => state.store.unsubscribe_digest(&digest.account).await,
    };
    match stopped {
        Ok(_) => {
            match &subscription {
                Subscription::Rule(rule) => {
                    tracing::info!(rule = %rule.id, "alert e-mail unsubscribed")
                }
                Subscription::Digest(digest) => {
                    tracing::info!(account = %digest.account, "alert digest unsubscribed")
                }
            }
            page(
                StatusCode::OK,
                &format!(
                    "<h1>E-mails cancelados</h1><p>Você não recebe mais {} neste endereço.</p>",
                    subscription.words()
                ),
            )
        }
        Err(error) => store_down(error),
    }
}
