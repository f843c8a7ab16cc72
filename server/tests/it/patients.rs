//! The OpenDataSUS occupancy register (indicators 3 and 4) through the real
//! HTTP connector, from a hand-made file (`tests/fixtures/handmade`) whose
//! figures are worked out by hand below: revised reports count in their
//! newest version, withdrawn ones not at all, days are Brasília days,
//! patients are a stock with the 14-day window, exits count on their day.

use std::path::PathBuf;

use app::indicators::PatientsDay;
use chrono::NaiveDate;
use sentinela::{
    ingest::connect::fetch::Origin,
    sources,
    store::{Filter, Page, Store},
};
use serde_json::Value;

use crate::{
    ingest::pipeline,
    support::{app::spawn_with, files::FileServer, local_lake, on_both_stores},
};

const FILE: &str = "esus-vepi.LeitoOcupacao_2021.csv";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handmade")
}

fn sources_toml(server: &FileServer) -> String {
    format!(
        r#"
        [[source]]
        name = "occupancy-opendatasus"
        title = "Registro de ocupação hospitalar — OpenDataSUS"
        kind = "http"
        url = "{}"
        format = "occupancy-opendatasus"
        "#,
        server.url(FILE)
    )
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, month, day).unwrap()
}

/// `(hospitals, stale, rejected, [suspected cli, icu, confirmed cli, icu],
/// [deaths, discharges of suspected, of confirmed])` of a state's day.
type Figures = (i64, i64, i64, [i64; 4], [i64; 4]);

fn figures(row: &PatientsDay) -> Figures {
    (
        row.hospitals,
        row.stale,
        row.rejected,
        [
            row.suspected_clinical,
            row.suspected_icu,
            row.confirmed_clinical,
            row.confirmed_icu,
        ],
        [
            row.deaths_suspected,
            row.discharges_suspected,
            row.deaths_confirmed,
            row.discharges_confirmed,
        ],
    )
}

async fn read(store: &Store, uf: &str) -> Vec<PatientsDay> {
    store
        .patients(
            &Filter::default().eq("uf", uf),
            Page {
                limit: 1000,
                offset: 0,
            },
        )
        .await
        .unwrap()
        .rows
}

async fn patients_follow_the_register(store: Store) {
    let server = FileServer::start(fixtures()).await;
    let (lake, _dir) = local_lake();
    let pipeline = pipeline(
        &store,
        lake,
        sources::parse(&sources_toml(&server)).unwrap().into(),
    );
    let report = pipeline.run(&Origin::Remote, &[]).await.unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let stages = &report.sources[0].stages;
    // Bronze: "ontem" is no notification time. Silver: 10 rows in, the
    // revision folded into one report, Atlântida and the withdrawn report out.
    assert_eq!((stages[0].rows_in, stages[0].rejected), (10, 1));
    assert_eq!(
        (stages[1].rows_in, stages[1].rows_out, stages[1].rejected),
        (9, 6, 2)
    );

    let sp = read(&store, "SP").await;
    let on = |rows: &[PatientsDay], date: NaiveDate| {
        figures(rows.iter().find(|r| r.date == date).unwrap())
    };
    // 1 March: hospital 2077485's revised report (2, 1, 6, 3) and 0009768's,
    // sent at 22:30 in Brasília (01:30 UTC on the 2nd): (1, 0, 2, 2).
    assert_eq!(on(&sp, day(3, 1)), (2, 0, 0, [3, 1, 8, 5], [1, 3, 2, 4]));
    // 2 March: both still current; no exits reported that day.
    assert_eq!(on(&sp, day(3, 2)), (2, 0, 0, [3, 1, 8, 5], [0, 0, 0, 0]));
    // 3 March: 2077485 reports (0, 0, 4, 2); 0009768's report of that day
    // was withdrawn, so its 1 March report stays current.
    assert_eq!(on(&sp, day(3, 3)), (2, 0, 0, [1, 0, 6, 4], [0, 0, 1, 1]));
    let first = sp.iter().find(|r| r.date == day(3, 1)).unwrap();
    assert_eq!(first.confirmed_share, Some(13.0 / 17.0));
    assert_eq!(first.death_rate_suspected, Some(1.0 / 4.0));
    assert_eq!(first.death_rate_confirmed, Some(2.0 / 6.0));
    assert_eq!(
        sp.last().unwrap().date,
        day(3, 4),
        "days run to the newest report"
    );

    let rj = read(&store, "RJ").await;
    // 2000001's only report (15 February, 7 confirmed) is fresh for 14 days.
    assert_eq!(on(&rj, day(2, 28)), (1, 0, 0, [0, 0, 7, 0], [0; 4]));
    // 2 March: it is stale; 2269783's report has a negative count, so only
    // its exits count.
    assert_eq!(on(&rj, day(3, 2)), (0, 1, 1, [0; 4], [0, 0, 2, 2]));
    assert_eq!(on(&rj, day(3, 4)), (1, 1, 0, [0, 0, 3, 1], [0, 0, 0, 1]));
    assert!(read(&store, "BA").await.is_empty());

    // The same file again changes nothing.
    let again = pipeline.run(&Origin::Remote, &[]).await.unwrap();
    assert_eq!(again.sources[0].outcome, "unchanged");
    assert_eq!(read(&store, "SP").await, sp);
}

on_both_stores!(patients_follow_the_register);

/// `/api/v1/patients` serves the days of a period with their death rates;
/// a bad parameter is a 400 naming it.
#[tokio::test]
async fn the_api_serves_patients_per_state_and_day() {
    let server = FileServer::start(fixtures()).await;
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), sources_toml(&server)).unwrap();
    let path = config.path().to_owned();
    let app = spawn_with(|settings| settings.sources = Some(path.clone())).await;
    let (lake, _dir) = local_lake();
    let sources = sources::load(Some(&path)).unwrap();
    pipeline(&app.store, lake, sources.into())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();

    let mut body = Value::Null;
    for _ in 0..50 {
        let response = app
            .get("/api/v1/patients?uf=SP&from=2021-03-01&to=2021-03-03")
            .await;
        assert_eq!(response.status(), 200);
        body = response.json().await.unwrap();
        if body["rows"].as_array().is_some_and(|rows| !rows.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{body}");
    assert_eq!(rows[0]["date"], "2021-03-01");
    assert_eq!(rows[0]["confirmed_clinical"], 8);
    assert_eq!(rows[0]["death_rate_confirmed"], 2.0 / 6.0);
    assert_eq!(
        rows[2]["death_rate_suspected"],
        Value::Null,
        "no exits, no rate"
    );
    assert_eq!(body["sources"][0]["name"], "occupancy-opendatasus");

    let bad = app.get("/api/v1/patients?uf=SP&from=yesterday").await;
    assert_eq!(bad.status(), 400);
    let message: Value = bad.json().await.unwrap();
    assert!(message.to_string().contains("from"), "{message}");
    app.stop().await.unwrap();
}
