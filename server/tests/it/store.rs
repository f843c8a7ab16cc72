//! The store contract, run unchanged against PostgreSQL and the embedded
//! SQLite store.

use chrono::{DateTime, NaiveDate, Utc};
use sentinela::store::{SourceStateRow, Store};

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn answers_pings(store: Store) {
    store.ping().await.expect("ping");
    assert!(store.source_states().await.unwrap().is_empty());
}

async fn source_state_round_trips_and_upserts(store: Store) {
    let failing = SourceStateRow {
        name: "cases-states".into(),
        last_attempt_at: Some(instant("2026-11-24T10:00:00Z")),
        last_success_at: Some(instant("2026-11-23T10:00:00Z")),
        last_error: Some("HTTP 500 from https://example.org/cases.csv".into()),
        content_sha256: Some("ab".repeat(32)),
        newest_date: NaiveDate::from_ymd_opt(2022, 4, 24),
    };
    let pending = SourceStateRow {
        name: "a-first".into(),
        ..SourceStateRow::default()
    };
    store.save_source_state(&failing).await.unwrap();
    store.save_source_state(&pending).await.unwrap();
    assert_eq!(
        store.source_states().await.unwrap(),
        vec![pending.clone(), failing.clone()]
    );

    let recovered = SourceStateRow {
        last_attempt_at: Some(instant("2026-11-24T11:00:00Z")),
        last_success_at: Some(instant("2026-11-24T11:00:00Z")),
        last_error: None,
        ..failing
    };
    store.save_source_state(&recovered).await.unwrap();
    assert_eq!(
        store.source_states().await.unwrap(),
        vec![pending, recovered]
    );
}

crate::support::on_both_stores!(answers_pings, source_state_round_trips_and_upserts);

#[tokio::test]
async fn migrations_are_idempotent_across_restarts() {
    let url = crate::support::fresh_postgres_url().await;
    let first = Store::connect(&url, 2).await.unwrap();
    first
        .save_source_state(&SourceStateRow {
            name: "kept".into(),
            ..SourceStateRow::default()
        })
        .await
        .unwrap();
    first.close().await;
    let second = Store::connect(&url, 2)
        .await
        .expect("reconnecting re-runs no migration");
    assert_eq!(second.source_states().await.unwrap().len(), 1);
    second.close().await;
    crate::support::drop_postgres_database(&url).await;
}

#[tokio::test]
async fn unsupported_urls_are_refused_without_echoing_them() {
    let url = secrecy::SecretString::from("mysql://user:hunter2@db/x");
    let error = Store::connect(&url, 1).await.unwrap_err();
    assert!(!error.to_string().contains("hunter2"), "{error}");
}
