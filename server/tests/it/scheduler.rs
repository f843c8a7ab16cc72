//! The scheduler in the server: two real server processes share one
//! PostgreSQL database and one lake; the ingest lock lets exactly one of
//! them collect a due source, and both serve the result.

use std::{sync::atomic::Ordering, time::Duration};

use chrono::NaiveDate;
use secrecy::ExposeSecret;
use sentinela::store::Store;

use crate::support::{binary::Server, files::FileServer, fresh_postgres_url, shared_data};

#[tokio::test]
async fn two_servers_one_database_one_ingest() {
    let files = FileServer::start(shared_data()).await;
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(
        &sources,
        format!(
            r#"
            [[source]]
            name = "cases-states"
            title = "Casos e óbitos por UF — covid19br (W. Cota), CC BY-SA 4.0"
            kind = "http"
            url = "{}"
            format = "wcota-states"
            every = "1h"
            "#,
            files.url("cases/cases-brazil-states_2022-04-24.csv")
        ),
    )
    .unwrap();
    let url = fresh_postgres_url().await;
    let lake = dir.path().join("lake");
    let env = [
        ("DATABASE_URL", url.expose_secret()),
        ("SENTINELA_LAKE_DIR", lake.to_str().unwrap()),
        ("SENTINELA_DATA_DIR", dir.path().to_str().unwrap()),
        ("SENTINELA_SOURCES", sources.to_str().unwrap()),
        ("SENTINELA_SCHEDULER_TICK_SECONDS", "1"),
    ];
    let (first, second) = tokio::join!(Server::start(&env), Server::start(&env));

    let store = Store::connect(&url, 2).await.unwrap();
    let mut runs = Vec::new();
    for _ in 0..120 {
        runs = store.runs(10).await.unwrap();
        if !runs.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(runs.len(), 1, "a scheduled run happened");
    // Several more ticks of both servers: the source is no longer due.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        store.runs(10).await.unwrap().len(),
        1,
        "only one server ingested, once"
    );
    assert_eq!(
        files.counters.requests.load(Ordering::SeqCst),
        1,
        "the source was fetched once"
    );
    let totals = store
        .state_totals(NaiveDate::from_ymd_opt(2022, 4, 24).unwrap())
        .await
        .unwrap();
    assert_eq!(
        totals.iter().find(|t| t.uf == "BR").map(|t| t.cases),
        Some(30_349_463)
    );

    for server in [&first, &second] {
        let page = reqwest::get(format!("http://{}/", server.addr))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Em dia"),
            "both servers show the source as collected"
        );
    }
    assert!(first.terminate().await.success());
    assert!(second.terminate().await.success());
}
