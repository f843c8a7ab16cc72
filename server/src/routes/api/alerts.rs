//! `/api/v1/alerts`: an account's alert rules (list, create, update, pause,
//! delete) and each rule's firings with their delivery status. The caller
//! is a session's account or, with an API token, the account that issued
//! the token; an account reaches only its own rules (another's is a 403), a
//! session of an admin reaches all of them. A change needs a token, or a
//! session with its `X-CSRF-Token` (the gate checks it). A rule's webhook
//! signing key is shown once, in the answer that creates it.

use app::{
    account::{Account, Role},
    alerts_view::place_name,
    catalog::{
        alerts::{Condition, ConditionKind, Metric, MetricKind, RuleSpec, Target, TargetKind},
        vocabulary::{BedClass, Scope, TrendClass, Word},
    },
};
use axum::{
    Extension, Json,
    extract::{Path, State, rejection::JsonRejection},
    http::StatusCode,
};
use chrono::{DateTime, NaiveDate, Utc};
use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{
    Api,
    error::{ApiError, Failures, ParamError},
};
use crate::{
    access::{TokenAccount, random_token},
    alerts::destination::Refused,
    ingest::bronze::formats::occupancy_snapshot::hospital_code,
    store::{AlertRule, Delivery, Filter, Firing, Page, StoreError},
};

/// Who calls: an account, and whether it reaches every account's rules.
#[derive(Debug)]
struct Caller {
    account: String,
    admin: bool,
}

impl Caller {
    /// The token's issuer, else the session's account.
    fn of(
        token: Option<Extension<TokenAccount>>,
        session: Option<Extension<Account>>,
    ) -> Result<Caller, ApiError> {
        match (token, session) {
            (Some(Extension(TokenAccount(account))), _) => Ok(Caller {
                account,
                admin: false,
            }),
            (None, Some(Extension(account))) => Ok(Caller {
                admin: account.role == Role::Admin,
                account: account.name,
            }),
            (None, None) => Err(ApiError::Unauthorized),
        }
    }

    /// `id`'s rule, if the caller may reach it.
    async fn rule(&self, api: &Api, id: &str) -> Result<AlertRule, ApiError> {
        let rule = api
            .store
            .alert_rule(id)
            .await?
            .ok_or(ApiError::Unknown("no alert rule has this id"))?;
        match self.admin || rule.account == self.account {
            true => Ok(rule),
            false => Err(ApiError::Forbidden("this rule belongs to another account")),
        }
    }
}

/// A rule as the API shows it (never its signing key).
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    id: String,
    account: String,
    name: String,
    /// The name of the place it watches (`São Paulo`, `Nordeste`).
    place: String,
    /// `state`, `city`, `territory` or `hospital`.
    target_kind: &'static str,
    /// A state's code (`SP`), a city's IBGE code (`3550308`), a
    /// territory's slug (`nordeste`) or a hospital's CNES (`2081288`).
    target: String,
    /// `occupancy`, `cases_per_100k_7d` (not for hospitals) or
    /// `srag_trend` (states and territories).
    metric: &'static str,
    /// For `occupancy`: `icu` or `clinical`.
    bed_class: Option<&'static str>,
    /// For `occupancy`: `all` or `covid`.
    scope: Option<&'static str>,
    /// `at_least`, `at_most` (a rate as a fraction, or cases per 100k),
    /// `rises_by`, `falls_by` (within 7 days: percentage points for a
    /// rate, percent for cases) or `becomes` (a trend class).
    condition: &'static str,
    threshold: Option<f64>,
    trend_class: Option<&'static str>,
    /// Where its webhook goes, if it has one.
    webhook_url: Option<String>,
    /// Where its e-mail goes, if it has one.
    email: Option<String>,
    paused: bool,
    created_at: DateTime<Utc>,
}

impl From<&AlertRule> for RuleView {
    fn from(rule: &AlertRule) -> Self {
        let (bed_class, scope) = match rule.spec.metric {
            Metric::Occupancy { bed_class, scope } => (Some(bed_class.code()), Some(scope.code())),
            Metric::CasesPer100k7d | Metric::SragTrend => (None, None),
        };
        RuleView {
            id: rule.id.clone(),
            account: rule.account.clone(),
            name: rule.name.clone(),
            place: rule.place.clone(),
            target_kind: rule.spec.target.kind().code(),
            target: rule.spec.target.code().to_owned(),
            metric: rule.spec.metric.kind().code(),
            bed_class,
            scope,
            condition: rule.spec.condition.kind().code(),
            threshold: rule.spec.condition.threshold(),
            trend_class: rule.spec.condition.class().map(TrendClass::code),
            webhook_url: rule.webhook_url.clone(),
            email: rule.email.clone(),
            paused: rule.paused,
            created_at: rule.created_at,
        }
    }
}

/// A new rule, with its webhook's signing key: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedRule {
    rule: RuleView,
    /// The key of the webhook's `X-Sentinela-Signature` HMAC-SHA256; keep
    /// it secret.
    webhook_secret: String,
}

/// A firing, with the delivery of each channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiringView {
    id: String,
    data_date: NaiveDate,
    /// The value seen: a rate (a fraction) or cases per 100k.
    value: Option<f64>,
    /// A rate's 7-day change, in percentage points.
    change_pp: Option<f64>,
    /// Cases' change on the 7 days before, in percent.
    change_pct: Option<f64>,
    trend_class: Option<&'static str>,
    fired_at: DateTime<Utc>,
    deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// `webhook` or `email`.
    channel: &'static str,
    /// `pending`, `delivered` or `dead`.
    status: &'static str,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    delivered_at: Option<DateTime<Utc>>,
}

impl FiringView {
    fn new(firing: Firing, deliveries: Vec<Delivery>) -> Self {
        FiringView {
            id: firing.id,
            data_date: firing.data_date,
            value: firing.seen.value,
            change_pp: firing.seen.change_pp,
            change_pct: firing.seen.change_pct,
            trend_class: firing.seen.class.map(TrendClass::code),
            fired_at: firing.fired_at,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryView {
                    channel: d.channel.code(),
                    status: d.status.code(),
                    attempts: d.attempts,
                    next_attempt_at: d.next_attempt_at,
                    last_error: d.last_error,
                    delivered_at: d.delivered_at,
                })
                .collect(),
        }
    }
}

/// A JSON object body's fields, read one by one so that a bad one is a 400
/// naming it.
pub(crate) struct Fields(Map<String, Value>);

impl Fields {
    /// The fields of a form, as the API's body would carry them.
    pub(crate) fn new(map: Map<String, Value>) -> Fields {
        Fields(map)
    }

    fn of(body: Result<Json<Value>, JsonRejection>) -> Result<Fields, ParamError> {
        match body {
            Ok(Json(Value::Object(map))) => Ok(Fields(map)),
            _ => Err(ParamError::new(
                "body",
                "not a JSON object",
                "a JSON object of the rule's fields",
            )),
        }
    }

    fn text(&self, name: &str) -> Result<Option<&str>, ParamError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_str())),
            Some(_) => Err(ParamError::new(name, "not a string", "a string")),
        }
    }

    /// A field given as a string, or as `null` to clear it: `None` when
    /// absent.
    fn change(&self, name: &str) -> Result<Option<Option<&str>>, ParamError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(text)) => Ok(Some(Some(text.as_str()))),
            Some(_) => Err(ParamError::new(name, "not a string", "a string or null")),
        }
    }

    fn required(&self, name: &str) -> Result<&str, ParamError> {
        self.text(name)?
            .ok_or_else(|| ParamError::new(name, "missing", "a string"))
    }

    fn word<W: Word>(&self, name: &str) -> Result<Option<W>, ParamError> {
        self.text(name)?
            .map(|code| {
                W::parse(code)
                    .ok_or_else(|| ParamError::new(name, "unknown value", W::CODES.join(", ")))
            })
            .transpose()
    }

    fn number(&self, name: &str) -> Result<Option<f64>, ParamError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(_) => Err(ParamError::new(name, "not a number", "a number")),
        }
    }

    fn flag(&self, name: &str) -> Result<Option<bool>, ParamError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ParamError::new(name, "not a boolean", "true or false")),
        }
    }

    /// A rule's name: 1 to 100 characters.
    fn name(&self) -> Result<Option<String>, ParamError> {
        self.text("name")?
            .map(|name| match name.trim() {
                n if !n.is_empty() && n.chars().count() <= 100 => Ok(n.to_owned()),
                _ => Err(ParamError::new(
                    "name",
                    "empty or too long",
                    "1 to 100 characters",
                )),
            })
            .transpose()
    }

    /// The condition of `kind` with the `threshold` or `trend_class` field.
    fn condition(&self, kind: ConditionKind) -> Result<Condition, ParamError> {
        let threshold = || {
            self.number("threshold")?
                .ok_or_else(|| ParamError::new("threshold", "missing", "a number"))
        };
        Ok(match kind {
            ConditionKind::AtLeast => Condition::AtLeast(threshold()?),
            ConditionKind::AtMost => Condition::AtMost(threshold()?),
            ConditionKind::RisesBy => Condition::RisesBy(threshold()?),
            ConditionKind::FallsBy => Condition::FallsBy(threshold()?),
            ConditionKind::Becomes => {
                Condition::Becomes(self.word("trend_class")?.ok_or_else(|| {
                    ParamError::new("trend_class", "missing", TrendClass::CODES.join(", "))
                })?)
            }
        })
    }
}

/// The rule's own check, as a 400 naming the field.
fn checked(spec: &RuleSpec) -> Result<(), ParamError> {
    spec.check()
        .map_err(|e| ParamError::new(e.field, e.reason, e.reason))
}

fn required_word<W: Word>(fields: &Fields, name: &str) -> Result<W, ParamError> {
    fields
        .word(name)?
        .ok_or_else(|| ParamError::new(name, "missing", W::CODES.join(", ")))
}

/// Every rule the caller reaches: its own, or an admin's session all.
#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    responses((status = 200, body = Vec<RuleView>), (status = 401, body = crate::json_error::ErrorBody), Failures),
    tag = "alerts"
)]
pub async fn list(
    State(api): State<Api>,
    token: Option<Extension<TokenAccount>>,
    session: Option<Extension<Account>>,
) -> Result<Json<Vec<RuleView>>, ApiError> {
    let caller = Caller::of(token, session)?;
    let account = (!caller.admin).then_some(caller.account.as_str());
    let rules = api.store.alert_rules(account).await?;
    Ok(Json(rules.iter().map(RuleView::from).collect()))
}

/// Creates a rule of the caller's account. Body: `name`, `target_kind`,
/// `target`, `metric` (with `bed_class` and `scope` for `occupancy`),
/// `condition` with `threshold` or `trend_class`, and `webhook_url`
/// (`https://`, to a public address), `email`, or both. Answers the rule
/// and its webhook's signing key, shown this once.
#[utoipa::path(
    post,
    path = "/api/v1/alerts",
    request_body(content = Object, description = "The rule's fields"),
    responses((status = 201, body = CreatedRule), (status = 401, body = crate::json_error::ErrorBody), Failures),
    tag = "alerts"
)]
pub async fn create(
    State(api): State<Api>,
    token: Option<Extension<TokenAccount>>,
    session: Option<Extension<Account>>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedRule>), ApiError> {
    let caller = Caller::of(token, session)?;
    let (rule, secret) = api.new_rule(caller.account, &Fields::of(body)?).await?;
    api.store.create_alert_rule(&rule).await?;
    tracing::info!(rule = %rule.id, account = %rule.account, "alert rule created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedRule {
            rule: RuleView::from(&rule),
            webhook_secret: secret,
        }),
    ))
}

/// One rule.
#[utoipa::path(
    get,
    path = "/api/v1/alerts/{id}",
    params(("id" = String, Path, description = "The rule's id")),
    responses((status = 200, body = RuleView), (status = 403, body = crate::json_error::ErrorBody),
              (status = 404, body = crate::json_error::ErrorBody), Failures),
    tag = "alerts"
)]
pub async fn one(
    State(api): State<Api>,
    token: Option<Extension<TokenAccount>>,
    session: Option<Extension<Account>>,
    Path(id): Path<String>,
) -> Result<Json<RuleView>, ApiError> {
    let rule = Caller::of(token, session)?.rule(&api, &id).await?;
    Ok(Json(RuleView::from(&rule)))
}

/// Changes a rule: any of `name`, `threshold`, `trend_class` (within its
/// condition), `webhook_url` and `email` (`null` removes one; a rule keeps
/// at least one), `paused` (`true` pauses it). A new threshold or class
/// forgets its state: the next evaluation judges it afresh.
#[utoipa::path(
    patch,
    path = "/api/v1/alerts/{id}",
    params(("id" = String, Path, description = "The rule's id")),
    request_body(content = Object, description = "The fields to change"),
    responses((status = 200, body = RuleView), (status = 403, body = crate::json_error::ErrorBody),
              (status = 404, body = crate::json_error::ErrorBody), Failures),
    tag = "alerts"
)]
pub async fn update(
    State(api): State<Api>,
    token: Option<Extension<TokenAccount>>,
    session: Option<Extension<Account>>,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<RuleView>, ApiError> {
    let rule = Caller::of(token, session)?.rule(&api, &id).await?;
    let rule = api.changed_rule(rule, &Fields::of(body)?).await?;
    Ok(Json(RuleView::from(&rule)))
}

/// Deletes a rule with its history.
#[utoipa::path(
    delete,
    path = "/api/v1/alerts/{id}",
    params(("id" = String, Path, description = "The rule's id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = crate::json_error::ErrorBody),
              (status = 404, body = crate::json_error::ErrorBody), Failures),
    tag = "alerts"
)]
pub async fn remove(
    State(api): State<Api>,
    token: Option<Extension<TokenAccount>>,
    session: Option<Extension<Account>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let rule = Caller::of(token, session)?.rule(&api, &id).await?;
    api.store.delete_alert_rule(&rule.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A rule's firings, newest first, each with what was seen and its
/// deliveries' status.
#[utoipa::path(
    get,
    path = "/api/v1/alerts/{id}/firings",
    params(("id" = String, Path, description = "The rule's id")),
    responses((status = 200, body = Vec<FiringView>), (status = 403, body = crate::json_error::ErrorBody),
              (status = 404, body = crate::json_error::ErrorBody), Failures),
    tag = "alerts"
)]
pub async fn firings(
    State(api): State<Api>,
    token: Option<Extension<TokenAccount>>,
    session: Option<Extension<Account>>,
    Path(id): Path<String>,
) -> Result<Json<Vec<FiringView>>, ApiError> {
    let rule = Caller::of(token, session)?.rule(&api, &id).await?;
    let mut views = Vec::new();
    for firing in api.store.alert_firings(&rule.id).await? {
        let deliveries = api.store.alert_deliveries(&firing.id).await?;
        views.push(FiringView::new(firing, deliveries));
    }
    Ok(Json(views))
}

/// A rule needs a webhook or an e-mail.
fn reaches_someone(rule: &AlertRule) -> Result<(), ParamError> {
    match rule.channels().is_empty() {
        true => Err(ParamError::new(
            "webhook_url",
            "the rule would reach no one",
            "a webhook_url, an email, or both",
        )),
        false => Ok(()),
    }
}

impl Api {
    /// A new rule of `account` from `fields` (the API's body, or the
    /// alerts page's form), with its key; a 400 naming the field at fault.
    pub(crate) async fn new_rule(
        &self,
        account: String,
        fields: &Fields,
    ) -> Result<(AlertRule, String), ApiError> {
        let name = fields
            .name()?
            .ok_or_else(|| ParamError::new("name", "missing", "1 to 100 characters"))?;
        let kind: TargetKind = required_word(fields, "target_kind")?;
        let code = match kind {
            TargetKind::Hospital => hospital_code(fields.required("target")?),
            _ => fields.required("target")?.trim().to_owned(),
        };
        let unknown = || {
            ParamError::new(
                "target",
                "unknown target",
                "a state's code (SP), a city's IBGE code (3550308), a territory's slug \
                 (nordeste) or a hospital's CNES (2081288)",
            )
        };
        let target = Target::parse(kind, &code).ok_or_else(unknown)?;
        let place = self.place_name(&target).await?.ok_or_else(unknown)?;
        let metric = match required_word::<MetricKind>(fields, "metric")? {
            MetricKind::Occupancy => Metric::Occupancy {
                bed_class: required_word::<BedClass>(fields, "bed_class")?,
                scope: required_word::<Scope>(fields, "scope")?,
            },
            MetricKind::CasesPer100k7d => Metric::CasesPer100k7d,
            MetricKind::SragTrend => Metric::SragTrend,
        };
        let condition = fields.condition(required_word(fields, "condition")?)?;
        let spec = RuleSpec {
            target,
            metric,
            condition,
        };
        checked(&spec)?;
        let webhook_url = match fields.text("webhook_url")? {
            Some(url) => Some(self.checked_url(url).await?),
            None => None,
        };
        let email = fields
            .text("email")?
            .map(|e| self.checked_email(e))
            .transpose()?;
        let secret = random_token("whsec_");
        let rule = AlertRule {
            id: random_token("alr_")[..16].to_owned(),
            account,
            name,
            place,
            spec,
            webhook_url,
            email,
            webhook_secret: SecretString::from(secret.clone()),
            paused: false,
            created_at: Utc::now(),
        };
        reaches_someone(&rule)?;
        Ok((rule, secret))
    }

    /// Saves `rule` changed as `fields` say (the API's body, or the alerts
    /// page's edit form): its name, threshold or trend class (its state is
    /// then forgotten, so the next evaluation judges it afresh), webhook,
    /// e-mail and pause; a 400 naming the field at fault.
    pub(crate) async fn changed_rule(
        &self,
        mut rule: AlertRule,
        fields: &Fields,
    ) -> Result<AlertRule, ApiError> {
        if let Some(name) = fields.name()? {
            rule.name = name;
        }
        let changes_condition =
            fields.0.contains_key("threshold") || fields.0.contains_key("trend_class");
        if changes_condition {
            rule.spec.condition = fields.condition(rule.spec.condition.kind())?;
            checked(&rule.spec)?;
        }
        if let Some(url) = fields.change("webhook_url")? {
            rule.webhook_url = match url {
                Some(url) => Some(self.checked_url(url).await?),
                None => None,
            };
        }
        if let Some(email) = fields.change("email")? {
            rule.email = email.map(|e| self.checked_email(e)).transpose()?;
        }
        reaches_someone(&rule)?;
        if let Some(paused) = fields.flag("paused")? {
            rule.paused = paused;
        }
        self.store
            .update_alert_rule(&rule, changes_condition)
            .await?;
        Ok(rule)
    }

    /// The name of the place `target` names, as the data or the territories
    /// have it; `None` for a city the data does not hold or a territory
    /// not configured. A hospital the data does not hold yet keeps its code.
    async fn place_name(&self, target: &Target) -> Result<Option<String>, StoreError> {
        Ok(match target {
            Target::State(uf) => Some(uf.name().to_owned()),
            Target::Territory(slug) => self.territories.find(slug).map(|t| t.name.clone()),
            Target::City(code) => {
                let filter = Filter::default().eq("city_ibge", code.as_str());
                let cities = self.store.cities(filter, Page::ALL).await?.rows;
                cities
                    .into_iter()
                    .next()
                    .map(|city| format!("{} ({})", city.name, city.uf))
            }
            Target::Hospital(cnes) => Some(match self.store.hospital(cnes).await? {
                Some(hospital) if !hospital.name.trim().is_empty() => hospital.name,
                _ => place_name(target),
            }),
        })
    }

    /// An e-mail address, when this deployment sends e-mail, as a 400
    /// naming `email` otherwise.
    pub(crate) fn checked_email(&self, text: &str) -> Result<String, ParamError> {
        let expected = "an e-mail address (name@example.com)";
        if !self.alerts.email {
            return Err(ParamError::new(
                "email",
                "this server has no mail server set",
                "a webhook_url instead",
            ));
        }
        match text.trim().parse::<lettre::Address>() {
            Ok(address) if text.len() <= 254 => Ok(address.to_string()),
            _ => Err(ParamError::new("email", "not an e-mail address", expected)),
        }
    }

    /// A webhook URL the deployment's policy admits, as a 400 naming
    /// `webhook_url` otherwise. A name that does not resolve yet is
    /// admitted: every delivery resolves and checks it again.
    async fn checked_url(&self, text: &str) -> Result<String, ParamError> {
        match self.alerts.webhooks.resolve(text).await {
            Ok(_) | Err(Refused::Unresolved) => Ok(text.to_owned()),
            Err(refused) => Err(ParamError::new(
                "webhook_url",
                refused.to_string(),
                "an https:// URL to a public address",
            )),
        }
    }
}
