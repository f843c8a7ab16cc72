//! Alert rules, their states, firings and the outbox of deliveries. An
//! evaluation's states, firings and deliveries are written in one
//! transaction ([`Store::record_evaluation`]); workers claim due
//! deliveries atomically ([`Store::claim_deliveries`]: `FOR UPDATE SKIP
//! LOCKED` on PostgreSQL, SQLite's single writer on the embedded store), so
//! two servers on one database never take the same row.

use app::catalog::{
    alerts::{
        Channel, Condition, ConditionKind, DeliveryStatus, Metric, MetricKind, Observation,
        RuleSpec, Target, TargetKind,
    },
    vocabulary::{BedClass, Scope, TrendClass},
};
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::{ExposeSecret, SecretString};
use sqlx::{AssertSqlSafe, Row, any::AnyRow};

use super::{Store, StoreBackend, StoreError, format_instant, parse_date, parse_instant};

/// A rule as stored.
#[derive(Clone, Debug)]
pub struct AlertRule {
    pub id: String,
    pub account: String,
    pub name: String,
    /// The name of the place it watches, as it was when the rule was made
    /// (told from the target for the rules made before it was kept).
    pub place: String,
    pub spec: RuleSpec,
    /// Where its webhook goes, if it has one.
    pub webhook_url: Option<String>,
    /// Where its e-mail goes, if it has one.
    pub email: Option<String>,
    /// The rule's key: its webhook's signatures and its unsubscribe links
    /// are made with it.
    pub webhook_secret: SecretString,
    pub paused: bool,
    pub created_at: DateTime<Utc>,
}

impl AlertRule {
    /// The channels a firing of this rule is delivered by.
    pub fn channels(&self) -> Vec<Channel> {
        [
            (self.webhook_url.is_some(), Channel::Webhook),
            (self.email.is_some(), Channel::Email),
        ]
        .into_iter()
        .filter_map(|(has, channel)| has.then_some(channel))
        .collect()
    }
}

/// Whether a rule's condition held as of a data date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleState {
    pub holds: bool,
    pub data_date: NaiveDate,
}

/// A rule's condition became true: what was seen, on which data date.
#[derive(Clone, Debug, PartialEq)]
pub struct Firing {
    pub id: String,
    pub rule_id: String,
    pub data_date: NaiveDate,
    pub seen: Observation,
    pub fired_at: DateTime<Utc>,
}

/// One firing's delivery by one channel, as the outbox holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub id: String,
    pub firing_id: String,
    pub rule_id: String,
    pub channel: Channel,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// What one evaluation writes: every evaluated rule's new state, and the
/// firings of those whose condition became true, each with the channels
/// its rule delivers by.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub states: Vec<(String, RuleState)>,
    pub firings: Vec<(Firing, Vec<Channel>)>,
}

const RULE_COLUMNS: &str = "id, account, name, place, target_kind, target_code, metric, \
     bed_class, scope, condition, threshold, trend_class, webhook_url, email, webhook_secret, \
     paused, created_at";

const FIRING_COLUMNS: &str = "id, rule_id, data_date, value, change_pp, change_pct, trend_class, \
     fired_at";

const DELIVERY_COLUMNS: &str = "id, firing_id, rule_id, channel, status, attempts, \
     next_attempt_at, last_error, created_at, delivered_at";

/// Statements that bind an `Option<f64>` are not kept prepared: sqlx's
/// `Any` declares a NULL double as PostgreSQL's `float4`, and a statement
/// prepared with that NULL would refuse the next execution's `float8`
/// value ("incorrect binary data format").
const KEEP_PREPARED: bool = false;

/// Firings or states per multi-row statement (4 to 7 values a row, and up
/// to one delivery row per channel for each firing: within both engines'
/// limits on bound values).
const BATCH: usize = 500;

fn decode_error(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

fn word<W: app::catalog::vocabulary::Word>(text: String) -> Result<W, sqlx::Error> {
    W::parse(&text).ok_or_else(|| decode_error(format!("unknown code {text:?}")))
}

fn rule_row(row: &AnyRow) -> Result<AlertRule, sqlx::Error> {
    let kind: TargetKind = word(row.try_get("target_kind")?)?;
    let code: String = row.try_get("target_code")?;
    let target =
        Target::parse(kind, &code).ok_or_else(|| decode_error(format!("bad target {code:?}")))?;
    let metric = match word::<MetricKind>(row.try_get("metric")?)? {
        MetricKind::Occupancy => Metric::Occupancy {
            bed_class: word::<BedClass>(row.try_get("bed_class")?)?,
            scope: word::<Scope>(row.try_get("scope")?)?,
        },
        MetricKind::CasesPer100k7d => Metric::CasesPer100k7d,
        MetricKind::SragTrend => Metric::SragTrend,
    };
    let threshold = || {
        row.try_get::<Option<f64>, _>("threshold")?
            .ok_or_else(|| decode_error("a condition without its threshold".into()))
    };
    let condition = match word::<ConditionKind>(row.try_get("condition")?)? {
        ConditionKind::AtLeast => Condition::AtLeast(threshold()?),
        ConditionKind::AtMost => Condition::AtMost(threshold()?),
        ConditionKind::RisesBy => Condition::RisesBy(threshold()?),
        ConditionKind::FallsBy => Condition::FallsBy(threshold()?),
        ConditionKind::Becomes => {
            Condition::Becomes(word::<TrendClass>(row.try_get("trend_class")?)?)
        }
    };
    let place: String = row.try_get("place")?;
    Ok(AlertRule {
        id: row.try_get("id")?,
        account: row.try_get("account")?,
        name: row.try_get("name")?,
        place: match place.is_empty() {
            true => app::alerts_view::place_name(&target),
            false => place,
        },
        spec: RuleSpec {
            target,
            metric,
            condition,
        },
        webhook_url: Some(row.try_get::<String, _>("webhook_url")?).filter(|u| !u.is_empty()),
        email: row.try_get("email")?,
        webhook_secret: SecretString::from(row.try_get::<String, _>("webhook_secret")?),
        paused: row.try_get::<i64, _>("paused")? != 0,
        created_at: parse_instant(row.try_get("created_at")?)?,
    })
}

fn delivery_row(row: &AnyRow) -> Result<Delivery, sqlx::Error> {
    Ok(Delivery {
        id: row.try_get("id")?,
        firing_id: row.try_get("firing_id")?,
        rule_id: row.try_get("rule_id")?,
        channel: word(row.try_get("channel")?)?,
        status: word(row.try_get("status")?)?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: parse_instant(row.try_get("next_attempt_at")?)?,
        last_error: row.try_get("last_error")?,
        created_at: parse_instant(row.try_get("created_at")?)?,
        delivered_at: row
            .try_get::<Option<String>, _>("delivered_at")?
            .map(parse_instant)
            .transpose()?,
    })
}

fn firing_row(row: &AnyRow) -> Result<Firing, sqlx::Error> {
    Ok(Firing {
        id: row.try_get("id")?,
        rule_id: row.try_get("rule_id")?,
        data_date: parse_date(row.try_get("data_date")?)?,
        seen: Observation {
            value: row.try_get("value")?,
            change_pp: row.try_get("change_pp")?,
            change_pct: row.try_get("change_pct")?,
            class: row
                .try_get::<Option<String>, _>("trend_class")?
                .map(word)
                .transpose()?,
        },
        fired_at: parse_instant(row.try_get("fired_at")?)?,
    })
}

/// `($1, $2, …), (…)` for `rows` rows of `width` values.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Adds a rule.
    pub async fn create_alert_rule(&self, rule: &AlertRule) -> Result<(), StoreError> {
        let spec = &rule.spec;
        let (bed_class, scope) = match spec.metric {
            Metric::Occupancy { bed_class, scope } => (Some(bed_class.code()), Some(scope.code())),
            Metric::CasesPer100k7d | Metric::SragTrend => (None, None),
        };
        let created = format_instant(rule.created_at);
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO alert_rule ({RULE_COLUMNS}, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $17)"
        )))
        .persistent(KEEP_PREPARED)
        .bind(&rule.id)
        .bind(&rule.account)
        .bind(&rule.name)
        .bind(&rule.place)
        .bind(spec.target.kind().code())
        .bind(spec.target.code())
        .bind(spec.metric.kind().code())
        .bind(bed_class)
        .bind(scope)
        .bind(spec.condition.kind().code())
        .bind(spec.condition.threshold())
        .bind(spec.condition.class().map(TrendClass::code))
        .bind(rule.webhook_url.as_deref().unwrap_or_default())
        .bind(rule.email.as_deref())
        .bind(rule.webhook_secret.expose_secret())
        .bind(i64::from(rule.paused))
        .bind(created)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("create alert rule"))?;
        Ok(())
    }

    /// One rule, if it exists.
    pub async fn alert_rule(&self, id: &str) -> Result<Option<AlertRule>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM alert_rule WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read alert rule"))?
        .map(|row| rule_row(&row).map_err(StoreError::query("decode alert rule")))
        .transpose()
    }

    /// `account`'s rules, or every rule, by account and creation.
    pub async fn alert_rules(&self, account: Option<&str>) -> Result<Vec<AlertRule>, StoreError> {
        let filter = match account {
            Some(_) => "WHERE account = $1",
            None => "",
        };
        let sql = format!(
            "SELECT {RULE_COLUMNS} FROM alert_rule {filter} ORDER BY account, created_at, id"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let Some(account) = account {
            query = query.bind(account);
        }
        query
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list alert rules"))?
            .iter()
            .map(|row| rule_row(row).map_err(StoreError::query("decode alert rule")))
            .collect()
    }

    /// Saves a rule's name, condition, webhook URL, e-mail and pause; with `reset`
    /// (its condition changed) forgets its state, so the next evaluation
    /// judges it afresh.
    pub async fn update_alert_rule(&self, rule: &AlertRule, reset: bool) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin"))?;
        sqlx::query(
            "UPDATE alert_rule SET name = $1, condition = $2, threshold = $3, trend_class = $4, \
             webhook_url = $5, email = $6, paused = $7, updated_at = $8 WHERE id = $9",
        )
        .persistent(KEEP_PREPARED)
        .bind(&rule.name)
        .bind(rule.spec.condition.kind().code())
        .bind(rule.spec.condition.threshold())
        .bind(rule.spec.condition.class().map(TrendClass::code))
        .bind(rule.webhook_url.as_deref().unwrap_or_default())
        .bind(rule.email.as_deref())
        .bind(i64::from(rule.paused))
        .bind(format_instant(Utc::now()))
        .bind(&rule.id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("update alert rule"))?;
        if reset {
            sqlx::query("DELETE FROM alert_state WHERE rule_id = $1")
                .bind(&rule.id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("reset alert state"))?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("commit alert rule"))?;
        Ok(())
    }

    /// Stops a rule's e-mail (its unsubscribe link): clears its address and
    /// pauses it when it has no webhook either. `false` when it had none.
    pub async fn stop_alert_email(&self, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE alert_rule SET email = NULL, \
             paused = CASE WHEN webhook_url = '' THEN 1 ELSE paused END, updated_at = $1 \
             WHERE id = $2 AND email IS NOT NULL",
        )
        .bind(format_instant(Utc::now()))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("stop alert e-mail"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Deliveries that failed at least once and are not delivered (still
    /// retried, or dead), newest first.
    pub async fn failing_deliveries(&self, limit: u32) -> Result<Vec<Delivery>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM alert_delivery \
             WHERE status <> $1 AND last_error IS NOT NULL \
             ORDER BY created_at DESC, id LIMIT $2"
        )))
        .bind(DeliveryStatus::Delivered.code())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read failing alert deliveries"))?
        .iter()
        .map(|row| delivery_row(row).map_err(StoreError::query("decode alert delivery")))
        .collect()
    }

    /// Removes a rule with its state, firings and deliveries; `false` when
    /// there was none.
    pub async fn delete_alert_rule(&self, id: &str) -> Result<bool, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin"))?;
        let mut deleted = 0;
        for table in [
            "alert_delivery",
            "alert_firing",
            "alert_state",
            "alert_rule",
        ] {
            let column = match table {
                "alert_rule" => "id",
                _ => "rule_id",
            };
            deleted = sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE {column} = $1"
            )))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("delete alert rule"))?
            .rows_affected();
        }
        tx.commit()
            .await
            .map_err(StoreError::query("commit alert rule"))?;
        Ok(deleted == 1)
    }

    /// The rules that are not paused, with their states.
    pub async fn active_alert_rules(
        &self,
    ) -> Result<Vec<(AlertRule, Option<RuleState>)>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {}, s.holds AS state_holds, s.data_date AS state_date \
             FROM alert_rule r LEFT JOIN alert_state s ON s.rule_id = r.id \
             WHERE r.paused = 0 ORDER BY r.id",
            RULE_COLUMNS
                .split(", ")
                .map(|c| format!("r.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read active alert rules"))?;
        rows.iter()
            .map(|row| {
                let state = match row.try_get::<Option<String>, _>("state_date")? {
                    Some(date) => Some(RuleState {
                        holds: row.try_get::<i64, _>("state_holds")? != 0,
                        data_date: parse_date(date)?,
                    }),
                    None => None,
                };
                Ok((rule_row(row)?, state))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::query("decode active alert rules"))
    }

    /// In one transaction: every rule's new state, the firings and, for
    /// each firing, a pending delivery per channel, due at once.
    pub async fn record_evaluation(
        &self,
        evaluation: &Evaluation,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = format_instant(now);
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin alert evaluation"))?;
        for chunk in evaluation.states.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO alert_state (rule_id, holds, data_date, evaluated_at) VALUES {} \
                 ON CONFLICT (rule_id) DO UPDATE SET holds = excluded.holds, \
                 data_date = excluded.data_date, evaluated_at = excluded.evaluated_at",
                placeholders(chunk.len(), 4)
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (rule_id, state) in chunk {
                query = query
                    .bind(rule_id)
                    .bind(i64::from(state.holds))
                    .bind(state.data_date.to_string())
                    .bind(&now);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("record alert states"))?;
        }
        for chunk in evaluation.firings.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO alert_firing ({FIRING_COLUMNS}) VALUES {}",
                placeholders(chunk.len(), 8)
            );
            let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(KEEP_PREPARED);
            for (firing, _) in chunk {
                query = query
                    .bind(&firing.id)
                    .bind(&firing.rule_id)
                    .bind(firing.data_date.to_string())
                    .bind(firing.seen.value)
                    .bind(firing.seen.change_pp)
                    .bind(firing.seen.change_pct)
                    .bind(firing.seen.class.map(TrendClass::code))
                    .bind(format_instant(firing.fired_at));
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("record alert firings"))?;
            let deliveries: Vec<(&Firing, Channel)> = chunk
                .iter()
                .flat_map(|(firing, channels)| channels.iter().map(move |c| (firing, *c)))
                .collect();
            if deliveries.is_empty() {
                continue;
            }
            let sql = format!(
                "INSERT INTO alert_delivery (id, firing_id, rule_id, channel, status, \
                 next_attempt_at, created_at) VALUES {}",
                placeholders(deliveries.len(), 7)
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (firing, channel) in deliveries {
                query = query
                    .bind(crate::access::random_token("dlv_"))
                    .bind(&firing.id)
                    .bind(&firing.rule_id)
                    .bind(channel.code())
                    .bind(DeliveryStatus::Pending.code())
                    .bind(&now)
                    .bind(&now);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("queue alert deliveries"))?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("commit alert evaluation"))?;
        crate::crash::point("alerts", "recorded");
        Ok(())
    }

    /// A rule's firings, newest first.
    pub async fn alert_firings(&self, rule_id: &str) -> Result<Vec<Firing>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {FIRING_COLUMNS} FROM alert_firing WHERE rule_id = $1 \
             ORDER BY fired_at DESC, id"
        )))
        .bind(rule_id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read alert firings"))?
        .iter()
        .map(|row| firing_row(row).map_err(StoreError::query("decode alert firing")))
        .collect()
    }

    /// The latest `per_rule` firings of each of `account`'s rules (of every
    /// rule with `None`), newest first, each with its deliveries' channel
    /// and status, by rule id: two reads however many rules.
    pub async fn latest_firings(
        &self,
        account: Option<&str>,
        per_rule: usize,
    ) -> Result<HashMap<String, Vec<(Firing, Vec<(Channel, DeliveryStatus)>)>>, StoreError> {
        let filter = match account {
            Some(_) => "WHERE r.account = $2",
            None => "",
        };
        let latest = format!(
            "SELECT * FROM (SELECT f.*, ROW_NUMBER() OVER (PARTITION BY f.rule_id \
             ORDER BY f.fired_at DESC, f.id) AS n FROM alert_firing f \
             JOIN alert_rule r ON r.id = f.rule_id {filter}) latest WHERE n <= $1"
        );
        let bind = |sql: String| {
            let query = sqlx::query(AssertSqlSafe(sql)).bind(per_rule as i64);
            match account {
                Some(account) => query.bind(account.to_owned()),
                None => query,
            }
        };
        let mut deliveries: HashMap<String, Vec<(Channel, DeliveryStatus)>> = HashMap::new();
        let rows = bind(format!(
            "SELECT d.firing_id, d.channel, d.status FROM alert_delivery d \
             JOIN ({latest}) f ON f.id = d.firing_id ORDER BY d.firing_id, d.id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read alert deliveries"))?;
        for row in &rows {
            let delivery = (|| -> Result<_, sqlx::Error> {
                Ok((
                    row.try_get::<String, _>("firing_id")?,
                    (
                        word(row.try_get("channel")?)?,
                        word(row.try_get("status")?)?,
                    ),
                ))
            })()
            .map_err(StoreError::query("decode alert delivery"))?;
            deliveries.entry(delivery.0).or_default().push(delivery.1);
        }
        let mut by_rule: HashMap<String, Vec<_>> = HashMap::new();
        let rows = bind(format!("{latest} ORDER BY rule_id, fired_at DESC, id"))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read alert firings"))?;
        for row in &rows {
            let firing = firing_row(row).map_err(StoreError::query("decode alert firing"))?;
            let sent = deliveries.remove(&firing.id).unwrap_or_default();
            by_rule
                .entry(firing.rule_id.clone())
                .or_default()
                .push((firing, sent));
        }
        Ok(by_rule)
    }

    /// One firing, if it exists.
    pub async fn alert_firing(&self, id: &str) -> Result<Option<Firing>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {FIRING_COLUMNS} FROM alert_firing WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read alert firing"))?
        .map(|row| firing_row(&row).map_err(StoreError::query("decode alert firing")))
        .transpose()
    }

    /// A firing's deliveries.
    pub async fn alert_deliveries(&self, firing_id: &str) -> Result<Vec<Delivery>, StoreError> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM alert_delivery WHERE firing_id = $1 ORDER BY id"
        )))
        .bind(firing_id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read alert deliveries"))?
        .iter()
        .map(|row| delivery_row(row).map_err(StoreError::query("decode alert delivery")))
        .collect()
    }

    /// Takes up to `limit` pending deliveries due at `now` that no live
    /// claim holds, for `worker` until `lease_until`, counting an attempt
    /// for each. Two workers never take the same row: PostgreSQL locks the
    /// chosen rows and skips those another transaction holds; SQLite has
    /// one writer.
    pub async fn claim_deliveries(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let lock = match self.backend {
            StoreBackend::Postgres => " FOR UPDATE SKIP LOCKED",
            StoreBackend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE alert_delivery SET claimed_by = $1, claimed_until = $2, \
             attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM alert_delivery WHERE status = $3 \
             AND next_attempt_at <= $4 AND (claimed_until IS NULL OR claimed_until < $4) \
             ORDER BY next_attempt_at LIMIT $5{lock}) \
             RETURNING {DELIVERY_COLUMNS}"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(worker)
            .bind(format_instant(lease_until))
            .bind(DeliveryStatus::Pending.code())
            .bind(format_instant(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("claim alert deliveries"))?
            .iter()
            .map(|row| delivery_row(row).map_err(StoreError::query("decode alert delivery")))
            .collect()
    }

    /// Records the outcome of `worker`'s attempt at a delivery it claimed:
    /// delivered (keeping the last failure's error, if any), to be tried
    /// again at `retry_at`, or, without one, dead.
    /// `false` if the claim was no longer its own.
    pub async fn finish_delivery(
        &self,
        worker: &str,
        id: &str,
        outcome: Result<DateTime<Utc>, (&str, Option<DateTime<Utc>>)>,
    ) -> Result<bool, StoreError> {
        let (status, delivered_at, next, error) = match outcome {
            Ok(at) => (
                DeliveryStatus::Delivered,
                Some(format_instant(at)),
                None,
                None,
            ),
            Err((error, Some(retry_at))) => (
                DeliveryStatus::Pending,
                None,
                Some(format_instant(retry_at)),
                Some(error),
            ),
            Err((error, None)) => (DeliveryStatus::Dead, None, None, Some(error)),
        };
        let done = sqlx::query(
            "UPDATE alert_delivery SET status = $1, delivered_at = $2, \
             next_attempt_at = COALESCE($3, next_attempt_at), last_error = COALESCE($4, last_error), \
             claimed_by = NULL, claimed_until = NULL \
             WHERE id = $5 AND claimed_by = $6 RETURNING last_error",
        )
        .bind(status.code())
        .bind(delivered_at)
        .bind(next)
        .bind(error)
        .bind(id)
        .bind(worker)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("record alert delivery"))?;
        let Some(row) = done else {
            return Ok(false);
        };
        // A delivery that ever failed is listed on the data page: a change
        // to one is a change readers see.
        let failed = row
            .try_get::<Option<String>, _>("last_error")
            .map_err(StoreError::query("decode alert delivery"))?
            .is_some();
        if failed {
            self.generation.advance();
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_value() {
        assert_eq!(super::placeholders(2, 2), "($1, $2), ($3, $4)");
    }
}
