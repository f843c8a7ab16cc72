//! Alert e-mails through a real SMTP server on loopback (aiosmtpd), on the
//! shared occupancy snapshots (Alagoas's ICU occupancy crosses 80 % with
//! the snapshots up to 2021-03-11, see `alerts.rs`): the e-mail arrives
//! once, in Portuguese, with the figure, the data date, a link to the state,
//! the chart of its 8 weeks inline and the one-click unsubscribe headers, and nothing more on a re-ingest;
//! with the mail server down the delivery is retried, its failure is listed,
//! and it arrives once the server is back; the unsubscribe link stops the
//! e-mail only when posted with its own token; the API takes an address
//! only where a mail server is set.

use std::time::Duration;

use app::{account::Role, catalog::alerts::DeliveryStatus};
use reqwest::StatusCode;
use sentinela::{
    access::issue_api_token,
    alerts::{
        email::{Letter, Mailer, SmtpSecurity, SmtpSettings, unsubscribe_token},
        worker::Worker,
    },
    config::Settings,
    store::{AlertRule, Store},
};
use serde_json::{Value, json};
use url::Url;

use crate::{
    alerts::{Editions, STATE, THRESHOLD, account, drain, new_rule_body, pending, rule, worker},
    support::{
        app::{TestApp, spawn_with},
        on_both_stores,
        smtp::SmtpSink,
    },
};

const PUBLIC_URL: &str = "https://sentinela.example.com";
pub(crate) const ADDRESS: &str = "gerente@example.com";

/// Settings that send the server's e-mail to the loopback SMTP server on
/// `port`.
pub(crate) fn mail_through(settings: &mut Settings, port: u16) {
    settings.smtp_host = Some("127.0.0.1".into());
    settings.smtp_port = port;
    settings.smtp_security = SmtpSecurity::None;
    settings.public_url = Some(PUBLIC_URL.into());
}

/// The server sending its e-mail (the page's tests) to `sink`, delivering
/// no alert itself.
pub(crate) async fn serving_with_mail_to(sink: &SmtpSink) -> TestApp {
    let port = sink.port;
    spawn_with(move |s| {
        mail_through(s, port);
        s.alerts_delivery = false;
    })
    .await
}

fn mailer(sink: &SmtpSink) -> Mailer {
    Mailer::new(&SmtpSettings {
        host: "127.0.0.1",
        port: sink.port,
        security: SmtpSecurity::None,
        user: None,
        password: None,
        from: "Sentinela <alertas@example.com>",
        public_url: PUBLIC_URL,
    })
    .unwrap()
}

pub(crate) fn mailing(store: &Store, sink: &SmtpSink) -> Worker {
    worker(store.clone()).with_mailer(Some(mailer(sink)))
}

/// An account and its rule "Alagoas's ICU occupancy at least 80 %", by
/// e-mail only.
async fn watched_by_email(store: &Store) -> AlertRule {
    account(store, "gerente", Role::Viewer).await;
    let mut rule = rule(
        "gerente",
        STATE,
        app::catalog::alerts::Condition::AtLeast(THRESHOLD),
        "",
    );
    rule.webhook_url = None;
    rule.email = Some(ADDRESS.into());
    store.create_alert_rule(&rule).await.unwrap();
    rule
}

async fn an_email_arrives_once_with_the_figure_and_its_links(store: Store) {
    let sink = SmtpSink::start().await;
    let rule = watched_by_email(&store).await;
    let worker = mailing(&store, &sink);
    let editions = Editions::new();
    editions.ingest(&store, "2021-03-08").await;
    drain(&worker, &store, 5).await;
    assert!(sink.messages().is_empty(), "0.765: below the line");

    editions.ingest(&store, "2021-03-11").await;
    drain(&worker, &store, 20).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let message = &messages[0];
    assert_eq!(message["to"], json!([ADDRESS]));
    assert_eq!(
        message["subject"],
        "Alerta Sentinela: Alagoas — ocupação de leitos de UTI — 80,4%"
    );
    let text = message["text"].as_str().unwrap();
    for expected in [
        "pelo menos 80,0%",
        "Dado mais recente: 11/03/2021.",
        "https://sentinela.example.com/uf/AL",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let html = message["html"].as_str().unwrap();
    assert!(html.contains("href=\"https://sentinela.example.com/uf/AL\""));
    // The 8 weeks' chart, inline: a PNG the HTML shows by its content id.
    assert!(html.contains("src=\"cid:grafico\""), "{html}");
    let images = message["images"].as_array().unwrap();
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0]["type"], "image/png");
    assert_eq!(images[0]["cid"], "<grafico>");
    assert_eq!(images[0]["png_size"], json!([460, 300]));
    assert!(images[0]["bytes"].as_u64().unwrap() > 5_000, "{images:?}");
    let firing = &store.alert_firings(&rule.id).await.unwrap()[0];
    let letter = Letter::new(&rule, firing, &Url::parse(PUBLIC_URL).unwrap());
    assert_eq!(
        message["list_unsubscribe"],
        format!("<{}>", letter.unsubscribe)
    );
    assert_eq!(
        message["list_unsubscribe_post"],
        "List-Unsubscribe=One-Click"
    );

    editions.ingest(&store, "2021-03-11").await;
    drain(&worker, &store, 5).await;
    assert_eq!(sink.messages().len(), 1, "nothing more on a re-ingest");
}

async fn with_the_mail_server_down_it_is_retried_listed_and_arrives_once_back(store: Store) {
    let mut sink = SmtpSink::down();
    let rule = watched_by_email(&store).await;
    let worker = mailing(&store, &sink);
    let editions = Editions::new();
    editions.ingest(&store, "2021-03-11").await;
    for _ in 0..3 {
        worker.drain().await.unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert_eq!(pending(&store).await, 1, "still to be delivered");
    let failing = store.failing_deliveries(10).await.unwrap();
    assert_eq!(failing.len(), 1);
    let delivery = &failing[0];
    assert_eq!(delivery.rule_id, rule.id);
    assert!(delivery.attempts >= 2, "{delivery:?}");
    let error = delivery.last_error.as_deref().unwrap();
    assert_eq!(error, "cannot reach the mail server");
    assert!(!error.contains(ADDRESS));

    sink.up().await;
    drain(&worker, &store, 40).await;
    assert_eq!(sink.messages().len(), 1, "arrives once the server is back");
    let firing = &store.alert_firings(&rule.id).await.unwrap()[0];
    let deliveries = store.alert_deliveries(&firing.id).await.unwrap();
    assert_eq!(deliveries[0].status, DeliveryStatus::Delivered);
    assert!(store.failing_deliveries(10).await.unwrap().is_empty());
}

on_both_stores!(
    an_email_arrives_once_with_the_figure_and_its_links,
    with_the_mail_server_down_it_is_retried_listed_and_arrives_once_back
);

#[tokio::test]
async fn the_unsubscribe_link_stops_the_email_only_with_its_own_token() {
    let sink = SmtpSink::start().await;
    let app = serving_with_mail_to(&sink).await;
    let rule = watched_by_email(&app.store).await;
    let token = unsubscribe_token(&rule).unwrap();
    let link = |token: &str| app.url(&format!("/alertas/cancelar?regra={}&t={token}", rule.id));
    let email = |store: Store, id: String| async move {
        let rule = store.alert_rule(&id).await.unwrap().unwrap();
        (rule.email, rule.paused)
    };

    let opened = app.client.get(link(&token)).send().await.unwrap();
    assert_eq!(opened.status(), StatusCode::OK);
    assert!(
        opened
            .text()
            .await
            .unwrap()
            .contains("<form method=\"post\">")
    );
    assert_eq!(
        email(app.store.clone(), rule.id.clone()).await,
        (Some(ADDRESS.into()), false),
        "opening the link changes nothing"
    );

    let forged = hex::encode([7u8; 32]);
    for bad in [forged.as_str(), "", "not-hex"] {
        let answer = app.client.post(link(bad)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "token {bad:?}");
    }
    assert_eq!(
        email(app.store.clone(), rule.id.clone()).await.0.as_deref(),
        Some(ADDRESS)
    );

    // A mail client's one-click POST (RFC 8058): no cookie, no origin.
    let stopped = app
        .client
        .post(link(&token))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.status(), StatusCode::OK);
    assert_eq!(
        email(app.store.clone(), rule.id.clone()).await,
        (None, true),
        "no address left, and no webhook: paused"
    );
    let again = app.client.post(link(&token)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert!(again.text().await.unwrap().contains("Já cancelado"));
    app.stop().await.unwrap();
}

#[tokio::test]
async fn the_api_takes_an_address_only_where_a_mail_server_is_set() {
    let create = |app_url: String, token: String, body: Value| async move {
        reqwest::Client::new()
            .post(app_url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let mut body = new_rule_body();
    body["email"] = json!(ADDRESS);
    for mail_server in [false, true] {
        let app = spawn_with(move |s| {
            s.alerts_delivery = false;
            if mail_server {
                mail_through(s, 25);
            }
        })
        .await;
        account(&app.store, "gerente", Role::Viewer).await;
        let token = issue_api_token(&app.store, "script", "gerente")
            .await
            .unwrap()
            .token;
        let answer = create(app.url("/api/v1/alerts"), token.clone(), body.clone()).await;
        match mail_server {
            false => {
                assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
                let error: Value = answer.json().await.unwrap();
                assert_eq!(error["parameter"], "email", "{error}");
            }
            true => {
                assert_eq!(answer.status(), StatusCode::CREATED);
                let created: Value = answer.json().await.unwrap();
                assert_eq!(created["rule"]["email"], ADDRESS);
                assert_eq!(created["rule"]["webhook_url"], Value::Null);
                for (field, bad) in [("email", json!("not an address")), ("email", json!(null))] {
                    let mut body = body.clone();
                    body[field] = bad.clone();
                    let answer = create(app.url("/api/v1/alerts"), token.clone(), body).await;
                    assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
                    let error: Value = answer.json().await.unwrap();
                    let named = error["parameter"].as_str().unwrap();
                    assert!(["email", "webhook_url"].contains(&named), "{error}");
                }
            }
        }
        app.stop().await.unwrap();
    }
}

#[tokio::test]
async fn an_undelivered_alert_is_listed_on_the_data_page_without_its_address() {
    let sink = SmtpSink::down();
    let port = sink.port;
    let app = spawn_with(move |s| {
        mail_through(s, port);
        s.alerts_poll_millis = 50;
        s.alerts_retry_first_millis = 60_000;
    })
    .await;
    let rule = watched_by_email(&app.store).await;
    Editions::new().ingest(&app.store, "2021-03-11").await;
    for _ in 0..200 {
        if !app.store.failing_deliveries(1).await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let page = app.get("/dados").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    for expected in [
        "Alertas não entregues",
        "data-undelivered=\"email\"",
        "cannot reach the mail server",
        "tentando",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    assert!(!page.contains(ADDRESS));
    assert!(!page.contains(&rule.id), "nor which rule");
    app.stop().await.unwrap();
}
