//! The alerts page's forms: create a rule watched by e-mail, webhook or
//! both (`POST /alertas`; with a webhook the answer shows its signing key
//! once), edit, pause, resume, test or delete one (`POST
//! /alertas/{id}`),
//! and ask for or stop the weekly digest (`POST /alertas/resumo`).
//! Each needs a session and its anti-forgery token; an account acts on its
//! own rules only (an admin on any), another's is a 403. The rule is checked
//! as the API checks it, and the answer goes back to the page, naming what
//! happened or the field at fault (`?feito=`, `?erro=`), never echoing input.

use app::{
    account::{Account, Role},
    catalog::alerts::ConditionKind,
};
use axum::{
    Extension, Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use html_escape::encode_text;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    AppState,
    api::{alerts::Fields, error::ApiError},
};
use crate::{
    access::{csrf_matches, random_token},
    alerts::digest::week_of,
    store::AlertRule,
};

/// The new-rule form, as the page sends it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewRule {
    csrf: String,
    nome: String,
    /// A state (`uf:AL`) or a territory (`territorio:nordeste`).
    local: String,
    /// A city's IBGE code.
    municipio: String,
    cnes: String,
    indicador: String,
    condicao: String,
    valor: String,
    tendencia: String,
    email: String,
    /// A webhook's URL (`https://`), beside or instead of the e-mail.
    webhook: String,
}

/// The weekly digest's form: ask for it (`assinar`, with an address) or
/// stop it (`cancelar`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DigestForm {
    csrf: String,
    acao: String,
    email: String,
}

/// A button on a rule, or its edit form (`editar`: name, value or trend,
/// e-mail).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RuleAction {
    csrf: String,
    acao: String,
    nome: String,
    valor: String,
    tendencia: String,
    email: String,
}

/// A number typed on the page (a comma as the decimal mark; a rate typed
/// in percent, made a fraction): `None` when left empty, a text the API
/// refuses (naming `threshold`) when not a number.
fn typed_threshold(valor: &str, percent: bool) -> Option<Value> {
    match valor.trim().replace(',', ".").parse::<f64>() {
        Ok(value) if percent => Some(Value::from(value / 100.0)),
        Ok(value) => Some(Value::from(value)),
        Err(_) if valor.trim().is_empty() => None,
        Err(_) => Some(Value::from("not a number")),
    }
}

impl RuleAction {
    /// The edit form as the API's fields for `rule`: its name, its
    /// threshold (a rate's in percent) or trend class, and its e-mail
    /// (emptied: none).
    fn changes(&self, rule: &AlertRule) -> Fields {
        let mut map = Map::new();
        map.insert("name".into(), Value::from(self.nome.as_str()));
        let condition = rule.spec.condition;
        match condition.kind() {
            ConditionKind::Becomes => {
                map.insert("trend_class".into(), Value::from(self.tendencia.as_str()));
            }
            kind => {
                let percent = rule.spec.metric.is_rate()
                    && matches!(kind, ConditionKind::AtLeast | ConditionKind::AtMost);
                let threshold =
                    typed_threshold(&self.valor, percent).unwrap_or_else(|| Value::from("missing"));
                map.insert("threshold".into(), threshold);
            }
        }
        let email = self.email.trim();
        map.insert(
            "email".into(),
            match email.is_empty() {
                true => Value::Null,
                false => Value::from(email),
            },
        );
        Fields::new(map)
    }
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("/alertas?{query}")).into_response()
}

/// The session's account, if its token matches; else where to go.
fn signed_in(account: Option<Extension<Account>>, csrf: &str) -> Result<Account, Redirect> {
    match account {
        None => Err(Redirect::to("/entrar?destino=%2Falertas")),
        Some(Extension(account)) if csrf_matches(&account, Some(csrf)) => Ok(account),
        Some(_) => Err(Redirect::to("/alertas?erro=csrf")),
    }
}

impl NewRule {
    /// The form as the API's fields: one place (a state or territory, a
    /// city or a hospital; none or several is a bad `target_kind`), the
    /// indicator as metric, bed class and scope, a rate typed in percent
    /// as a fraction.
    fn fields(&self) -> Fields {
        let mut map = Map::new();
        let mut put = |name: &str, value: Value| {
            map.insert(name.to_owned(), value);
        };
        put("name", Value::from(self.nome.as_str()));
        let chosen = match self.local.split_once(':') {
            Some(("uf", code)) => Some(("state", code)),
            Some(("territorio", slug)) => Some(("territory", slug)),
            Some(_) => Some(("unknown", "")),
            None => None,
        };
        let typed = [("city", &self.municipio), ("hospital", &self.cnes)]
            .into_iter()
            .filter(|(_, code)| !code.trim().is_empty())
            .map(|(kind, code)| (kind, code.trim()));
        let places: Vec<(&str, &str)> = chosen.into_iter().chain(typed).collect();
        if let [(kind, target)] = places[..] {
            put("target_kind", Value::from(kind));
            put("target", Value::from(target));
        } else if places.len() > 1 {
            put("target_kind", Value::from("several"));
        }
        let rate = self.indicador != "cases-7d";
        match self.indicador.split_once('-') {
            Some(("srag", "trend")) => put("metric", Value::from("srag_trend")),
            Some(("cases", "7d")) => put("metric", Value::from("cases_per_100k_7d")),
            Some((bed_class, scope)) => {
                put("metric", Value::from("occupancy"));
                put("bed_class", Value::from(bed_class));
                put("scope", Value::from(scope));
            }
            None => put("metric", Value::from(self.indicador.as_str())),
        }
        put("condition", Value::from(self.condicao.as_str()));
        let percent = rate
            && matches!(
                ConditionKind::parse(&self.condicao),
                Some(ConditionKind::AtLeast | ConditionKind::AtMost)
            );
        if let Some(threshold) = typed_threshold(&self.valor, percent) {
            put("threshold", threshold);
        }
        put("trend_class", Value::from(self.tendencia.as_str()));
        for (name, value) in [("email", &self.email), ("webhook_url", &self.webhook)] {
            if !value.trim().is_empty() {
                put(name, Value::from(value.trim()));
            }
        }
        Fields::new(map)
    }
}

/// Creates a rule of the session's account.
pub async fn create(
    State(state): State<AppState>,
    account: Option<Extension<Account>>,
    Form(form): Form<NewRule>,
) -> Response {
    let account = match signed_in(account, &form.csrf) {
        Ok(account) => account,
        Err(answer) => return answer.into_response(),
    };
    let (rule, key) = match state.api.new_rule(account.name, &form.fields()).await {
        Ok(made) => made,
        Err(ApiError::Param(error)) => return back(&format!("erro={}", error.parameter)),
        Err(ApiError::Unavailable(error)) => return unavailable(error),
        Err(_) => return back("erro=rule"),
    };
    match state.store.create_alert_rule(&rule).await {
        Ok(()) => {
            tracing::info!(rule = %rule.id, account = %rule.account, "alert rule created");
            match rule.webhook_url {
                Some(_) => webhook_key(&rule.name, &key),
                None => back("feito=criada"),
            }
        }
        Err(error) => unavailable(error),
    }
}

/// Pauses, resumes, tests or deletes one rule.
pub async fn act(
    State(state): State<AppState>,
    account: Option<Extension<Account>>,
    Path(id): Path<String>,
    Form(form): Form<RuleAction>,
) -> Response {
    let account = match signed_in(account, &form.csrf) {
        Ok(account) => account,
        Err(answer) => return answer.into_response(),
    };
    let mut rule = match state.store.alert_rule(&id).await {
        Ok(Some(rule)) => rule,
        Ok(None) => return (StatusCode::NOT_FOUND, "no alert rule has this id").into_response(),
        Err(error) => return unavailable(error),
    };
    if rule.account != account.name && account.role != Role::Admin {
        return (
            StatusCode::FORBIDDEN,
            "this rule belongs to another account",
        )
            .into_response();
    }
    let done = match form.acao.as_str() {
        "pausar" | "retomar" => {
            rule.paused = form.acao == "pausar";
            state
                .store
                .update_alert_rule(&rule, false)
                .await
                .map(|()| match rule.paused {
                    true => "pausada",
                    false => "retomada",
                })
        }
        "excluir" => state
            .store
            .delete_alert_rule(&rule.id)
            .await
            .map(|_| "excluida"),
        "editar" => {
            let changes = form.changes(&rule);
            return match state.api.changed_rule(rule, &changes).await {
                Ok(_) => back("feito=editada"),
                Err(ApiError::Param(error)) => back(&format!("erro={}", error.parameter)),
                Err(ApiError::Unavailable(error)) => unavailable(error),
                Err(_) => back("erro=rule"),
            };
        }
        "testar" => {
            let sent = match (&state.mailer, rule.email.is_some()) {
                (Some(mailer), true) => {
                    let latest = match state.store.alert_firings(&rule.id).await {
                        Ok(firings) => firings.into_iter().next(),
                        Err(error) => return unavailable(error),
                    };
                    mailer.send_test(&rule, latest).await.is_ok()
                }
                _ => false,
            };
            return match sent {
                true => back("feito=enviado"),
                false => back("erro=test"),
            };
        }
        _ => return (StatusCode::BAD_REQUEST, "unknown action").into_response(),
    };
    match done {
        Ok(done) => back(&format!("feito={done}")),
        Err(error) => unavailable(error),
    }
}

/// The answer to a rule made with a webhook: its signing key, shown this
/// once (never in a URL; a signed-in answer is `no-store` like all).
fn webhook_key(name: &str, key: &str) -> Response {
    super::unsubscribe::page(
        StatusCode::OK,
        &format!(
            "<h1>Alerta criado</h1><p>O webhook do alerta \u{201c}{}\u{201d} assina cada envio \
             com esta chave (HMAC-SHA256 do corpo, no cabeçalho <code>X-Sentinela-Signature</code>). \
             Guarde-a agora: ela não é mostrada de novo.</p><p><code data-webhook-key>{}</code></p>\
             <p><a href=\"/alertas?feito=criada\">Voltar aos alertas</a></p>",
            encode_text(name),
            encode_text(key)
        ),
    )
}

/// Asks for or stops the session account's weekly digest; asked for, the
/// first comes the Monday after.
pub async fn digest(
    State(state): State<AppState>,
    account: Option<Extension<Account>>,
    Form(form): Form<DigestForm>,
) -> Response {
    let account = match signed_in(account, &form.csrf) {
        Ok(account) => account,
        Err(answer) => return answer.into_response(),
    };
    let done = match form.acao.as_str() {
        "assinar" => {
            let email = match state.api.checked_email(&form.email) {
                Ok(email) => email,
                Err(_) => return back("erro=email"),
            };
            let now = Utc::now();
            let secret = SecretString::from(random_token("dgs_"));
            state
                .store
                .subscribe_digest(&account.name, &email, &secret, week_of(now), now)
                .await
                .map(|()| "resumo")
        }
        "cancelar" => state
            .store
            .unsubscribe_digest(&account.name)
            .await
            .map(|_| "resumo_cancelado"),
        _ => return (StatusCode::BAD_REQUEST, "unknown action").into_response(),
    };
    match done {
        Ok(done) => {
            tracing::info!(account = %account.name, action = %form.acao, "alert digest changed");
            back(&format!("feito={done}"))
        }
        Err(error) => unavailable(error),
    }
}

fn unavailable(error: crate::store::StoreError) -> Response {
    tracing::warn!(error = %error, "alerts page cannot reach the store");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "the store is unavailable; try again shortly",
    )
        .into_response()
}
