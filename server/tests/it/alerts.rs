//! Alerts on the real occupancy snapshots, ingested edition by edition (the
//! snapshots up to a day). Alagoas's ICU occupancy (all beds) on the newest
//! day is 0.765 with the snapshots up to 2021-03-08, 0.804 up to 03-11,
//! 0.784 up to 03-17 and 0.815 up to 03-18 (as `hospitals_reference.py`
//! computes them straight from the raw files): a rule "at least 0.80" fires
//! once at 03-11, not again when the same data is ingested again nor when
//! it clears, and once more when it crosses again. Its webhook arrives
//! once, signed, after a receiver's three 500s; two workers on one
//! PostgreSQL database, and two server processes, deliver each firing
//! once; a process killed between
//! the evaluation and the delivery delivers once after a restart, and its
//! log holds neither the webhook's key nor its URL; the API keeps each
//! account to its own rules.

use std::{path::Path, sync::Arc, time::Duration};

use app::{
    account::Role,
    catalog::{
        alerts::{Condition, DeliveryStatus, Metric, RuleSpec, Target},
        vocabulary::{BedClass, Scope, TrendClass, Uf},
    },
};
use chrono::{NaiveDate, Utc};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use sentinela::{
    access::{self, issue_api_token},
    alerts::{
        destination::Policy,
        worker::{Backoff, Worker},
    },
    ingest::connect::fetch::Origin,
    lake::LocalLake,
    sources::{self, SourceConfig},
    store::{AccountRow, AlertRule, Store},
};
use serde_json::{Value, json};
use sha2::Sha256;
use tempfile::TempDir;

use crate::{
    ingest::pipeline,
    support::{
        app::spawn_with, binary::Server, fresh_postgres_url, on_both_stores, postgres_store,
        receiver::Receiver, shared_data, smtp::SmtpSink,
    },
};

/// The watched state and the line it crosses.
pub(crate) const STATE: &str = "AL";
pub(crate) const THRESHOLD: f64 = 0.80;

pub(crate) fn occupancy_toml() -> &'static str {
    r#"
        [[source]]
        name = "occupancy-snapshots"
        title = "Ocupação de leitos — Ministério da Saúde (e-SUS Notifica)"
        kind = "http"
        url = "https://example.invalid/leito_ocupacao.csv.gz"
        format = "occupancy-snapshot"
        file = "data_*.csv.gz"
        history = true
    "#
}

pub(crate) fn occupancy_source() -> Arc<[SourceConfig]> {
    sources::parse(occupancy_toml()).unwrap().into()
}

/// A lake and an input folder that grows edition by edition.
pub(crate) struct Editions {
    lake: TempDir,
    input: TempDir,
}

impl Editions {
    pub(crate) fn new() -> Self {
        Editions {
            lake: tempfile::tempdir().unwrap(),
            input: tempfile::tempdir().unwrap(),
        }
    }

    /// Puts every snapshot up to `day` in the input folder.
    pub(crate) fn up_to(&self, day: &str) -> &Path {
        for entry in std::fs::read_dir(shared_data().join("occupancy")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let dated = name.strip_prefix("data_").and_then(|n| n.get(..10));
            let target = self.input.path().join(&name);
            if dated.is_some_and(|d| d <= day) && !target.exists() {
                std::os::unix::fs::symlink(&path, target).unwrap();
            }
        }
        self.input.path()
    }

    /// Ingests the snapshots up to `day` (the run evaluates the rules).
    pub(crate) async fn ingest(&self, store: &Store, day: &str) {
        let input = self.up_to(day).to_owned();
        let lake = LocalLake::new(self.lake.path().to_owned());
        let report = pipeline(store, lake, occupancy_source())
            .run(&Origin::Dir(input), &[])
            .await
            .unwrap();
        assert_eq!(report.status, "ok", "{report:?}");
    }
}

pub(crate) async fn account(store: &Store, name: &str, role: Role) {
    let created = store
        .create_account(&AccountRow {
            name: name.into(),
            role,
            password_hash: "not used".into(),
            created_at: Utc::now(),
        })
        .await
        .unwrap();
    assert!(created);
}

/// A rule of `owner` on `uf`'s ICU occupancy (all beds), to `url`.
pub(crate) fn rule(owner: &str, uf: &str, condition: Condition, url: &str) -> AlertRule {
    AlertRule {
        id: access::random_token("alr_")[..16].to_owned(),
        account: owner.into(),
        name: format!("UTI {uf}"),
        place: Uf::parse(uf).unwrap().name().into(),
        spec: RuleSpec {
            target: Target::State(Uf::parse(uf).unwrap()),
            metric: Metric::Occupancy {
                bed_class: BedClass::Icu,
                scope: Scope::All,
            },
            condition,
        },
        webhook_url: Some(url.into()),
        email: None,
        webhook_secret: SecretString::from(access::random_token("whsec_")),
        paused: false,
        created_at: Utc::now(),
    }
}

/// A store with one account and its rule on Alagoas, to `url`.
pub(crate) async fn watched(store: &Store, url: &str) -> AlertRule {
    account(store, "gerente", Role::Viewer).await;
    let rule = rule("gerente", STATE, Condition::AtLeast(THRESHOLD), url);
    store.create_alert_rule(&rule).await.unwrap();
    rule
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn a_rule_fires_when_crossed_and_again_only_after_clearing(store: Store) {
    let rule = watched(&store, "https://hooks.example.com/sentinela").await;
    let editions = Editions::new();
    let firings = |store: &Store| {
        let store = store.clone();
        let id = rule.id.clone();
        async move { store.alert_firings(&id).await.unwrap() }
    };

    editions.ingest(&store, "2021-03-08").await;
    assert!(firings(&store).await.is_empty(), "0.765 is below the line");

    editions.ingest(&store, "2021-03-11").await;
    let fired = firings(&store).await;
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0].data_date, day("2021-03-11"));
    let value = fired[0].seen.value.unwrap();
    assert!((value - 0.804).abs() < 0.0005, "{value}");
    let change = fired[0].seen.change_pp.unwrap();
    assert!(change.abs() < 100.0, "a change in points: {change}");
    let deliveries = store.alert_deliveries(&fired[0].id).await.unwrap();
    assert_eq!(deliveries.len(), 1, "its outbox row, written with it");
    assert_eq!(deliveries[0].status, DeliveryStatus::Pending);

    editions.ingest(&store, "2021-03-11").await;
    assert_eq!(
        firings(&store).await.len(),
        1,
        "the same data: no new firing"
    );

    editions.ingest(&store, "2021-03-17").await;
    assert_eq!(firings(&store).await.len(), 1, "0.784: cleared, silent");

    editions.ingest(&store, "2021-03-18").await;
    let fired = firings(&store).await;
    assert_eq!(fired.len(), 2, "crossed again: {fired:?}");
    assert_eq!(fired[0].data_date, day("2021-03-18"), "newest first");
    assert!((fired[0].seen.value.unwrap() - 0.815).abs() < 0.0005);

    // The alerts page's read: each rule's latest firings with their
    // deliveries, in two reads.
    let latest = store.latest_firings(Some("gerente"), 1).await.unwrap();
    let shown = &latest[&rule.id];
    assert_eq!(shown.len(), 1, "one per rule asked");
    assert_eq!(shown[0].0, fired[0]);
    assert_eq!(
        shown[0].1,
        [(
            app::catalog::alerts::Channel::Webhook,
            DeliveryStatus::Pending
        )]
    );
    let all = store.latest_firings(None, 5).await.unwrap();
    let dates: Vec<NaiveDate> = all[&rule.id].iter().map(|(f, _)| f.data_date).collect();
    assert_eq!(dates, [day("2021-03-18"), day("2021-03-11")]);
    assert!(
        store
            .latest_firings(Some("outro"), 5)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_paused_rule_and_a_rule_below_its_line_stay_silent(store: Store) {
    account(&store, "gerente", Role::Viewer).await;
    let below = rule(
        "gerente",
        STATE,
        Condition::AtLeast(0.99),
        "https://h.example.com/a",
    );
    let mut paused = rule(
        "gerente",
        STATE,
        Condition::AtLeast(0.5),
        "https://h.example.com/b",
    );
    paused.paused = true;
    let above = rule(
        "gerente",
        STATE,
        Condition::AtMost(0.99),
        "https://h.example.com/c",
    );
    for rule in [&below, &paused, &above] {
        store.create_alert_rule(rule).await.unwrap();
    }
    Editions::new().ingest(&store, "2021-03-11").await;
    assert!(store.alert_firings(&below.id).await.unwrap().is_empty());
    assert!(store.alert_firings(&paused.id).await.unwrap().is_empty());
    assert_eq!(store.alert_firings(&above.id).await.unwrap().len(), 1);
}

on_both_stores!(
    a_rule_fires_when_crossed_and_again_only_after_clearing,
    a_paused_rule_and_a_rule_below_its_line_stay_silent
);

/// A rule without a number (a trend class) and one with a threshold, written
/// one after the other on a single PostgreSQL connection: a statement kept
/// prepared with the first's NULL would refuse the second's double.
#[tokio::test]
async fn rules_with_and_without_a_number_share_one_connection() {
    let store = Store::connect(&fresh_postgres_url().await, 1)
        .await
        .unwrap();
    account(&store, "gerente", Role::Viewer).await;
    let url = "https://hooks.example.com/sentinela";
    let mut trend = rule("gerente", STATE, Condition::AtLeast(THRESHOLD), url);
    trend.spec.metric = Metric::SragTrend;
    trend.spec.condition = Condition::Becomes(TrendClass::LikelyIncrease);
    let line = rule("gerente", "SE", Condition::AtLeast(THRESHOLD), url);
    for written in [&trend, &line] {
        store.create_alert_rule(written).await.unwrap();
    }
    let mut calmer = trend.clone();
    calmer.spec.condition = Condition::Becomes(TrendClass::Stable);
    let mut steeper = line.clone();
    steeper.spec.condition = Condition::RisesBy(15.0);
    for written in [&calmer, &steeper] {
        store.update_alert_rule(written, true).await.unwrap();
    }
    for written in [&calmer, &steeper] {
        let stored = store.alert_rule(&written.id).await.unwrap().unwrap();
        assert_eq!(stored.spec, written.spec, "rule {}", written.id);
    }
}

/// A worker that admits loopback receivers and retries after 20 ms.
pub(crate) fn worker(store: Store) -> Worker {
    let policy = Policy {
        http_loopback: true,
        private: false,
    };
    let backoff = Backoff {
        first: Duration::from_millis(20),
        window: Duration::from_secs(24 * 3600),
    };
    Worker::new(store, policy, backoff, Duration::from_millis(20))
}

/// Drains until nothing is pending (at most `rounds` rounds).
pub(crate) async fn drain(worker: &Worker, store: &Store, rounds: usize) {
    for _ in 0..rounds {
        worker.drain().await.unwrap();
        if pending(store).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("deliveries still pending");
}

pub(crate) async fn pending(store: &Store) -> usize {
    let mut pending = 0;
    for rule in store.alert_rules(None).await.unwrap() {
        for firing in store.alert_firings(&rule.id).await.unwrap() {
            pending += store
                .alert_deliveries(&firing.id)
                .await
                .unwrap()
                .iter()
                .filter(|d| d.status == DeliveryStatus::Pending)
                .count();
        }
    }
    pending
}

fn verify(key: &SecretString, body: &[u8], signature: &str) {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.expose_secret().as_bytes()).unwrap();
    mac.update(body);
    mac.verify_slice(&hex::decode(signature).unwrap())
        .expect("the signature verifies with the rule's key");
}

#[tokio::test]
async fn a_webhook_answering_500_three_times_arrives_once_signed() {
    let store = postgres_store().await;
    let receiver = Receiver::start(&[500, 500, 500]).await;
    let rule = watched(&store, &receiver.url).await;
    let editions = Editions::new();
    editions.ingest(&store, "2021-03-08").await;
    editions.ingest(&store, "2021-03-11").await;
    drain(&worker(store.clone()), &store, 200).await;

    let received = receiver.received();
    assert_eq!(received.len(), 4, "three failures, then the delivery");
    let accepted = receiver.accepted();
    assert_eq!(accepted.len(), 1);
    let body = &accepted[0].body;
    verify(
        &rule.webhook_secret,
        body,
        accepted[0].signature.as_deref().unwrap(),
    );
    let json: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(json["rule"], rule.id.as_str());
    assert_eq!(json["target"], STATE);
    assert_eq!(json["condition"], "at_least");
    assert_eq!(json["data_date"], "2021-03-11");
    let sent_at = chrono::DateTime::parse_from_rfc3339(json["sent_at"].as_str().unwrap()).unwrap();
    assert!(
        (Utc::now() - sent_at.to_utc()).num_seconds().abs() < 60,
        "{sent_at}"
    );
    let ids: Vec<Value> = received
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["delivery"].clone())
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one delivery, retried: {ids:?}"
    );

    let firing = &store.alert_firings(&rule.id).await.unwrap()[0];
    let delivery = &store.alert_deliveries(&firing.id).await.unwrap()[0];
    assert_eq!(delivery.status, DeliveryStatus::Delivered);
    assert_eq!(delivery.attempts, 4);
    assert!(delivery.last_error.as_deref().unwrap().contains("500"));

    editions.ingest(&store, "2021-03-11").await;
    drain(&worker(store.clone()), &store, 5).await;
    assert_eq!(
        receiver.accepted().len(),
        1,
        "no change, nothing more arrives"
    );
}

#[tokio::test]
async fn two_workers_on_one_database_deliver_each_firing_once() {
    let url = fresh_postgres_url().await;
    let store = Store::connect(&url, 4).await.unwrap();
    let receiver = Receiver::start(&[]).await;
    account(&store, "gerente", Role::Viewer).await;
    // Every state, every rule holding on the first data it sees.
    let mut rules = Vec::new();
    for uf in Uf::all() {
        for _ in 0..4 {
            let rule = rule("gerente", uf.code(), Condition::AtLeast(0.0), &receiver.url);
            store.create_alert_rule(&rule).await.unwrap();
            rules.push(rule);
        }
    }
    Editions::new().ingest(&store, "2021-03-11").await;
    assert_eq!(store.alert_rules(None).await.unwrap().len(), 27 * 4);

    let (a, b) = (
        worker(Store::connect(&url, 2).await.unwrap()),
        worker(Store::connect(&url, 2).await.unwrap()),
    );
    let drain_all = |worker: Worker| {
        let store = store.clone();
        async move {
            let mut delivered = 0;
            for _ in 0..400 {
                delivered += worker.drain().await.unwrap();
                if pending(&store).await == 0 {
                    break;
                }
            }
            delivered
        }
    };
    let (by_a, by_b) = tokio::join!(drain_all(a), drain_all(b));
    assert_eq!(pending(&store).await, 0);
    let (accepted, ids) = deliveries(&receiver);
    assert_eq!(accepted, ids, "no delivery twice");
    assert_eq!(by_a + by_b, accepted, "every attempt arrived");
    let fired = firings(&store, &rules).await;
    assert_eq!(ids, fired, "each firing delivered once");
    assert!(fired >= 26, "nearly every state has ICU data: {fired}");
}

/// The webhooks `receiver` accepted, and how many distinct deliveries they
/// were.
fn deliveries(receiver: &Receiver) -> (usize, usize) {
    let accepted = receiver.accepted();
    let mut ids: Vec<String> = accepted
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["delivery"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    ids.sort();
    ids.dedup();
    (accepted.len(), ids.len())
}

/// How many times `rules` fired.
async fn firings(store: &Store, rules: &[AlertRule]) -> usize {
    let mut fired = 0;
    for rule in rules {
        fired += store.alert_firings(&rule.id).await.unwrap().len();
    }
    fired
}

/// The binary's settings for the occupancy snapshots on `url`, a loopback
/// webhook receiver and a 50 ms outbox poll, without a scheduler.
fn binary_env(url: &SecretString, data: &Path) -> Vec<(&'static str, String)> {
    let sources = data.join("sources.toml");
    std::fs::write(&sources, occupancy_toml()).unwrap();
    vec![
        ("DATABASE_URL", url.expose_secret().to_owned()),
        ("SENTINELA_DATA_DIR", data.display().to_string()),
        ("SENTINELA_SOURCES", sources.display().to_string()),
        ("SENTINELA_LOG_FORMAT", "json".to_owned()),
        ("SENTINELA_ALERTS_HTTP_LOOPBACK", "true".to_owned()),
        ("SENTINELA_ALERTS_POLL_MILLIS", "50".to_owned()),
        ("SENTINELA_SCHEDULER", "false".to_owned()),
    ]
}

/// `sentinela ingest --from input` with `env`, killed at `crash` if set.
fn cli_ingest(env: &[(&str, String)], input: &Path, crash: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sentinela"));
    command.arg("ingest").arg("--from").arg(input);
    command.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    if let Some(point) = crash {
        command.env("SENTINELA_CRASH_AT", point);
    }
    command.output().unwrap()
}

/// Waits (up to 10 s) until the outbox holds nothing pending, then a few
/// polls more, in which nothing else may arrive.
async fn drained(store: &Store) {
    for _ in 0..200 {
        if pending(store).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(pending(store).await, 0, "the outbox is drained");
}

/// Two server processes on one PostgreSQL database, both draining the
/// outbox every 50 ms, after an ingest by a third: each firing's webhook
/// arrives exactly once, sent by one of them.
#[tokio::test]
async fn two_server_processes_deliver_each_firing_once() {
    let url = fresh_postgres_url().await;
    let data = tempfile::tempdir().unwrap();
    let store = Store::connect(&url, 2).await.unwrap();
    let receiver = Receiver::start(&[]).await;
    account(&store, "gerente", Role::Viewer).await;
    let mut rules = Vec::new();
    for uf in Uf::all() {
        for _ in 0..2 {
            let rule = rule("gerente", uf.code(), Condition::AtLeast(0.0), &receiver.url);
            store.create_alert_rule(&rule).await.unwrap();
            rules.push(rule);
        }
    }
    let env = binary_env(&url, data.path());
    let servers: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (a, b) = (Server::start(&servers).await, Server::start(&servers).await);
    let ingested = cli_ingest(&env, Editions::new().up_to("2021-03-11"), None);
    assert!(
        ingested.status.success(),
        "{}",
        String::from_utf8_lossy(&ingested.stderr)
    );
    drained(&store).await;
    let (a, b) = (a.stop().await, b.stop().await);
    let fired = firings(&store, &rules).await;
    assert!(fired >= 50, "nearly every state has ICU data: {fired}");
    assert_eq!(deliveries(&receiver), (fired, fired), "each once");
    let sent = |log: &str| log.matches("alert delivered").count();
    assert_eq!(sent(&a.log) + sent(&b.log), fired, "one server sent each");
}

#[tokio::test]
async fn killed_between_evaluation_and_delivery_it_delivers_once_after_restart() {
    let url = fresh_postgres_url().await;
    let data = tempfile::tempdir().unwrap();
    let store = Store::connect(&url, 2).await.unwrap();
    let receiver = Receiver::start(&[]).await;
    let sink = SmtpSink::start().await;
    let mut rule = watched(&store, &receiver.url).await;
    rule.email = Some("gerente@example.com".into());
    store.update_alert_rule(&rule, false).await.unwrap();
    let editions = Editions::new();
    let mut env = binary_env(&url, data.path());
    env.extend([
        ("SENTINELA_SMTP_HOST", "127.0.0.1".to_owned()),
        ("SENTINELA_SMTP_PORT", sink.port.to_string()),
        ("SENTINELA_SMTP_SECURITY", "none".to_owned()),
        (
            "SENTINELA_PUBLIC_URL",
            "https://sentinela.example.com".to_owned(),
        ),
    ]);
    let ingest = |day: &str, crash: Option<&str>| cli_ingest(&env, editions.up_to(day), crash);
    let first = ingest("2021-03-08", None);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let killed = ingest("2021-03-11", Some("alerts:recorded"));
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        killed.status.signal(),
        Some(9),
        "killed itself after recording"
    );
    assert_eq!(
        pending(&store).await,
        2,
        "the firing's webhook and e-mail wait in the outbox"
    );
    assert!(receiver.received().is_empty());
    assert!(sink.messages().is_empty());

    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(&env).await;
    drained(&store).await;
    let stopped = server.stop().await;
    assert_eq!(
        (receiver.accepted().len(), sink.messages().len()),
        (1, 1),
        "the webhook and the e-mail delivered once after the restart"
    );
    let log = stopped.log + &String::from_utf8_lossy(&killed.stderr);
    assert!(log.contains("alert delivered"), "{log}");
    assert!(
        !log.contains(rule.webhook_secret.expose_secret()),
        "the key is never logged"
    );
    assert!(!log.contains(&receiver.url), "nor the webhook's URL");
    assert!(
        !log.contains("gerente@example.com"),
        "nor the e-mail address"
    );
}

/// A new rule's API body, "Alagoas's ICU occupancy at least 80 %", without
/// its channel.
pub(crate) fn new_rule_body() -> Value {
    json!({
        "name": "UTI de Alagoas",
        "target_kind": "state",
        "target": "AL",
        "metric": "occupancy",
        "bed_class": "icu",
        "scope": "all",
        "condition": "at_least",
        "threshold": 0.8,
    })
}

#[tokio::test]
async fn an_account_reaches_only_its_own_rules_and_bad_input_names_the_field() {
    let app = spawn_with(|s| s.alerts_delivery = false).await;
    account(&app.store, "alice", Role::Viewer).await;
    account(&app.store, "bob", Role::Viewer).await;
    let alice = issue_api_token(&app.store, "script", "alice")
        .await
        .unwrap()
        .token;
    let bob = issue_api_token(&app.store, "script", "bob")
        .await
        .unwrap()
        .token;
    let call = |method: reqwest::Method, path: &str, token: &str, body: Option<Value>| {
        let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    let mut new = new_rule_body();
    new["webhook_url"] = json!("https://hooks.example.com/x");
    let created = call(
        reqwest::Method::POST,
        "/api/v1/alerts",
        &alice,
        Some(new.clone()),
    )
    .await
    .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let id = created["rule"]["id"].as_str().unwrap().to_owned();
    assert!(
        created["webhook_secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    assert_eq!(created["rule"]["account"], "alice");
    let path = format!("/api/v1/alerts/{id}");

    for (method, body) in [
        (reqwest::Method::GET, None),
        (reqwest::Method::PATCH, Some(json!({"paused": true}))),
        (reqwest::Method::DELETE, None),
    ] {
        let answer = call(method.clone(), &path, &bob, body).await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{method}");
    }
    let firings = call(reqwest::Method::GET, &format!("{path}/firings"), &bob, None)
        .await
        .unwrap();
    assert_eq!(firings.status(), StatusCode::FORBIDDEN);
    let bobs: Value = call(reqwest::Method::GET, "/api/v1/alerts", &bob, None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bobs, json!([]));
    let alices: Value = call(reqwest::Method::GET, "/api/v1/alerts", &alice, None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(alices.as_array().unwrap().len(), 1);
    assert!(
        alices[0].get("webhook_secret").is_none(),
        "the key is shown once"
    );

    for (field, value) in [
        ("threshold", json!("oitenta")),
        ("threshold", json!(80)),
        ("target", json!("XX")),
        ("condition", json!("above")),
        ("webhook_url", json!("http://hooks.example.com/x")),
        (
            "webhook_url",
            json!("https://169.254.169.254/latest/meta-data"),
        ),
        ("webhook_url", json!("https://10.0.0.7/hook")),
    ] {
        let mut bad = new.clone();
        bad[field] = value.clone();
        let answer = call(reqwest::Method::POST, "/api/v1/alerts", &alice, Some(bad))
            .await
            .unwrap();
        assert_eq!(
            answer.status(),
            StatusCode::BAD_REQUEST,
            "{field} = {value}"
        );
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["parameter"], field, "{body}");
    }
    let anonymous = app
        .client
        .get(app.url("/api/v1/alerts"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let paused = call(
        reqwest::Method::PATCH,
        &path,
        &alice,
        Some(json!({"paused": true, "threshold": 0.9})),
    )
    .await
    .unwrap();
    assert_eq!(paused.status(), StatusCode::OK);
    let paused: Value = paused.json().await.unwrap();
    assert_eq!(
        (paused["paused"].clone(), paused["threshold"].clone()),
        (json!(true), json!(0.9))
    );
    let history = call(
        reqwest::Method::GET,
        &format!("{path}/firings"),
        &alice,
        None,
    )
    .await
    .unwrap();
    assert_eq!(history.status(), StatusCode::OK);
    assert_eq!(history.json::<Value>().await.unwrap(), json!([]));
    let deleted = call(reqwest::Method::DELETE, &path, &alice, None)
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = call(reqwest::Method::GET, &path, &alice, None)
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);

    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/alerts",
        "/api/v1/alerts/{id}",
        "/api/v1/alerts/{id}/firings",
    ] {
        assert!(
            document["paths"].get(path).is_some(),
            "{path} in the OpenAPI document"
        );
    }
    app.stop().await.unwrap();
}
