//! The alert e-mails' unsubscribe link (`/alertas/cancelar?regra=…&t=…`),
//! open to anyone who holds it: the token is the rule's signature over its
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
use crate::{alerts::email::unsubscribe_token_holds, store::AlertRule};

/// The link's parameters.
#[derive(Debug, Default, Deserialize)]
pub struct Link {
    #[serde(default)]
    regra: String,
    #[serde(default)]
    t: String,
}

/// A small page in the site's language.
fn page(status: StatusCode, body: &str) -> Response {
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

/// The rule `link` names, if its token holds; else the answer to give.
async fn linked_rule(state: &AppState, link: &Link) -> Result<AlertRule, Response> {
    let rule = state.store.alert_rule(&link.regra).await.map_err(|error| {
        tracing::warn!(error = %error, "unsubscribe cannot reach the store");
        unavailable()
    })?;
    match rule {
        Some(rule) if unsubscribe_token_holds(&rule, &link.t) => Ok(rule),
        Some(rule) if rule.email.is_none() => Err(page(
            StatusCode::OK,
            "<h1>Já cancelado</h1><p>Esta regra já não envia e-mails.</p>",
        )),
        _ => Err(invalid()),
    }
}

/// The confirmation button.
pub async fn confirm(
    State(state): State<AppState>,
    link: Result<Query<Link>, QueryRejection>,
) -> Response {
    let link = link.map(|Query(link)| link).unwrap_or_default();
    match linked_rule(&state, &link).await {
        Ok(rule) => page(
            StatusCode::OK,
            &format!(
                "<h1>Cancelar e-mails</h1><p>Parar de receber os e-mails da regra \
                 \u{201c}{}\u{201d}?</p><form method=\"post\">\
                 <button type=\"submit\">Não receber mais</button></form>",
                encode_text(&rule.name)
            ),
        ),
        Err(answer) => answer,
    }
}

/// Stops the rule's e-mail.
pub async fn stop(
    State(state): State<AppState>,
    link: Result<Query<Link>, QueryRejection>,
) -> Response {
    let link = link.map(|Query(link)| link).unwrap_or_default();
    let rule = match linked_rule(&state, &link).await {
        Ok(rule) => rule,
        Err(answer) => return answer,
    };
    match state.store.stop_alert_email(&rule.id).await {
        Ok(_) => {
            tracing::info!(rule = %rule.id, "alert e-mail unsubscribed");
            page(
                StatusCode::OK,
                &format!(
                    "<h1>E-mails cancelados</h1><p>A regra \u{201c}{}\u{201d} não envia mais \
                     e-mails para este endereço.</p>",
                    encode_text(&rule.name)
                ),
            )
        }
        Err(error) => {
            tracing::warn!(error = %error, "unsubscribe cannot reach the store");
            unavailable()
        }
    }
}
