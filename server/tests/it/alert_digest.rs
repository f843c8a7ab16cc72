//! The weekly digest through a real SMTP server on loopback (aiosmtpd), on
//! the shared occupancy snapshots (Alagoas's ICU occupancy at 80.4 % with
//! the snapshots up to 2021-03-11): asked for during a week, nothing comes
//! before the next Monday 08:00 Brasília time; then one e-mail sums up the
//! account's active rules (place, figure, the line crossed, the week's
//! firings; not a paused rule), once however many workers on one database
//! ask at once, and nothing more that week; with the mail server down it
//! is retried, its failure kept, and it arrives once back.

use app::{account::Role, catalog::alerts::Condition};
use chrono::{DateTime, Days, NaiveTime, Utc};
use secrecy::SecretString;
use sentinela::{
    alerts::digest::{unsubscribe_token, unsubscribe_token_holds, week_of},
    store::Store,
};

use crate::{
    alert_email::{ADDRESS, mailing},
    alerts::{Editions, STATE, THRESHOLD, account, rule},
    support::{on_both_stores, smtp::SmtpSink},
};

/// 08:00 in Brasília (11:00 UTC) on the Monday `week`.
fn monday_at_eight(week: chrono::NaiveDate) -> DateTime<Utc> {
    week.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap())
        .and_utc()
}

async fn the_digest_comes_on_monday_once_and_again_after_a_failure(store: Store) {
    let mut sink = SmtpSink::start().await;
    account(&store, "gerente", Role::Viewer).await;
    let watched = rule(
        "gerente",
        STATE,
        Condition::AtLeast(THRESHOLD),
        "https://hooks.example.com/a",
    );
    let mut paused = rule(
        "gerente",
        "SP",
        Condition::AtLeast(0.5),
        "https://hooks.example.com/b",
    );
    paused.paused = true;
    for rule in [&watched, &paused] {
        store.create_alert_rule(rule).await.unwrap();
    }
    Editions::new().ingest(&store, "2021-03-11").await;
    assert_eq!(store.alert_firings(&watched.id).await.unwrap().len(), 1);

    let now = Utc::now();
    let secret = SecretString::from("dgs_test_key");
    store
        .subscribe_digest("gerente", ADDRESS, &secret, week_of(now), now)
        .await
        .unwrap();
    let (a, b) = (mailing(&store, &sink), mailing(&store, &sink));
    let next = week_of(now) + Days::new(7);
    let monday = monday_at_eight(next);
    assert_eq!(a.send_digests(now).await.unwrap(), 0, "asked for this week");
    assert_eq!(
        a.send_digests(monday - chrono::Duration::minutes(1))
            .await
            .unwrap(),
        0,
        "07:59 on Monday"
    );
    let (sent_a, sent_b) = tokio::join!(a.send_digests(monday), b.send_digests(monday));
    assert_eq!(sent_a.unwrap() + sent_b.unwrap(), 1, "one worker takes it");
    assert_eq!(
        a.send_digests(monday + chrono::Duration::hours(30))
            .await
            .unwrap(),
        0,
        "sent for this week"
    );
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let message = &messages[0];
    assert_eq!(message["to"], serde_json::json!([ADDRESS]));
    assert_eq!(
        message["subject"],
        format!("Sentinela: resumo da semana de {}", next.format("%d/%m/%Y"))
    );
    let text = message["text"].as_str().unwrap();
    for expected in [
        "1 alerta acompanhado, 1 com a linha cruzada",
        "Alagoas — ocupação de leitos de UTI: 80,4% (dado de 11/03/2021; linha cruzada)",
        "1 disparo em 7 dias",
        "https://sentinela.example.com/alertas",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(!text.contains("São Paulo"), "a paused rule is left out");
    let html = message["html"].as_str().unwrap();
    assert!(
        html.contains("href=\"https://sentinela.example.com/uf/AL\""),
        "{html}"
    );
    let digest = store.digest("gerente").await.unwrap().unwrap();
    assert_eq!(digest.last_week, next);
    let token = unsubscribe_token(&digest);
    assert!(
        text.contains(&format!("resumo=gerente&t={token}")),
        "{text}"
    );
    assert!(unsubscribe_token_holds(&digest, &token));
    let mut moved = digest.clone();
    moved.email = "outro@example.com".into();
    assert!(!unsubscribe_token_holds(&moved, &token), "another address");

    // The week after, the mail server is down: kept, then sent once back.
    sink.stop();
    let later = monday + chrono::Duration::days(7);
    assert_eq!(a.send_digests(later).await.unwrap(), 1);
    let failed = store.digest("gerente").await.unwrap().unwrap();
    assert_eq!(failed.last_week, next, "not sent");
    assert!(failed.last_error.is_some());
    sink.up().await;
    assert_eq!(
        a.send_digests(later + chrono::Duration::minutes(5))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        a.send_digests(later + chrono::Duration::minutes(10))
            .await
            .unwrap(),
        0
    );
    assert_eq!(sink.messages().len(), 2);
    let sent = store.digest("gerente").await.unwrap().unwrap();
    assert_eq!(
        (sent.last_week, sent.last_error),
        (next + Days::new(7), None)
    );
}

on_both_stores!(the_digest_comes_on_monday_once_and_again_after_a_failure);
