//! The nowcast through the ingest, the store and the API, on the real
//! weekly vintages (`../shared/history/sivep` and the 2020-06-23 summary
//! of `../shared/data/sivep`, 28 vintages) read by `ingest --from` a
//! folder of links to them: the answers equal the phase-1 model run on
//! the same files apart from the ingest, estimates never fall below the
//! count reported, CSV holds the JSON's rows, bad parameters are 400s,
//! ingesting the same vintages again (or into a fresh lake) gives the
//! same gold, and a corrupt vintage leaves the last good nowcast serving.
//! The pages' backend reads the same rows; new vintages are found by their
//! dated URLs on a loopback server.

use std::{collections::HashMap, sync::Arc};

use app::{
    backend::Backend,
    catalog::vocabulary::{BacktestKind, Place, SragMeasure, TrendClass, Uf},
};
use chrono::NaiveDate;
use reqwest::{StatusCode, header};
use sentinela::{
    ingest::{connect::fetch::Origin, silver::vintage_folder as folder},
    lake::LocalLake,
    nowcast::{
        METHOD, backtest,
        outlook::Method,
        replay::{Origin as ModelAt, replay},
        trend,
        triangle::SeriesKey,
    },
    sources::{self, SourceConfig},
};
use serde_json::Value;

use crate::{
    ingest::pipeline,
    support::{
        app::{TestApp, spawn_with},
        files::FileServer,
        gold::fingerprint,
        local_lake, postgres_store, shared_data,
    },
};

const SOURCES: &str = "[[source]]\nname = \"sivep-vintages\"\n\
    title = \"SIVEP-Gripe, edições semanais\"\nkind = \"http\"\n\
    url = \"https://example.invalid/sum_dados_{date:%Y_%m_%d}.csv.xz\"\n\
    format = \"sivep-vintages\"\nfile = \"sum_dados_*.csv.xz\"\nhistory = true\n";

/// A folder of links to every real vintage.
fn vintages() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let history = shared_data().join("../history/sivep");
    let mut files: Vec<_> = std::fs::read_dir(&history)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.push(shared_data().join("sivep/sum_dados_2020_06_23.csv.xz"));
    for file in files {
        let name = file.file_name().unwrap().to_owned();
        std::os::unix::fs::symlink(&file, dir.path().join(name)).unwrap();
    }
    dir
}

/// The app, its source configuration the one source of vintages, and
/// that configuration.
async fn app() -> (TestApp, Arc<[SourceConfig]>) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sources.toml");
    std::fs::write(&config, SOURCES).unwrap();
    let app = spawn_with(|settings| {
        settings.sources = Some(config.clone());
        settings.api_requests_per_second = 0;
    })
    .await;
    // Read at start-up: the folder may go.
    (app, sources::parse(SOURCES).unwrap().into())
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response
}

async fn json(app: &TestApp, path: &str) -> Value {
    get(app, path).await.json().await.unwrap()
}

fn rows(body: &Value) -> &Vec<Value> {
    body["rows"].as_array().unwrap()
}

fn close(got: &Value, want: f64, what: &str) {
    let got = got.as_f64().unwrap_or_else(|| panic!("{what}: {got}"));
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {got} vs the model's {want}"
    );
}

fn key(place: &str, measure: SragMeasure) -> SeriesKey {
    SeriesKey {
        place: Uf::parse(place).map_or(Place::Brazil, Place::State),
        measure,
    }
}

/// Each row of a nowcast answer equals the model's estimate of its cell.
fn equal_to_the_model(body: &Value, model: &ModelAt) {
    assert_eq!(body["vintage"], model.vintage.to_string());
    let estimates: HashMap<(SeriesKey, NaiveDate), _> =
        model.nowcast.iter().map(|e| ((e.key, e.week), e)).collect();
    assert!(!rows(body).is_empty());
    for row in rows(body) {
        let measure = SragMeasure::parse(row["measure"].as_str().unwrap()).unwrap();
        let week = day(row["week"].as_str().unwrap());
        let estimate = estimates[&(key(row["uf"].as_str().unwrap(), measure), week)];
        let what = format!("{row}");
        assert_eq!(row["vintage"], model.vintage.to_string());
        assert_eq!(row["reported"].as_i64(), Some(estimate.reported), "{what}");
        assert_eq!(row["weeks_back"].as_u64(), Some(estimate.delay as u64));
        assert_eq!(row["complete"].as_bool(), Some(estimate.complete));
        let q = estimate.eventual.values;
        for (column, value) in [
            ("low_90", q[0]),
            ("low_50", q[1]),
            ("median", q[2]),
            ("high_50", q[3]),
            ("high_90", q[4]),
        ] {
            close(&row[column], value, &format!("{column} of {what}"));
        }
        // Never below the count reported; the intervals around the median.
        let reported = estimate.reported as f64;
        let values: Vec<f64> = ["low_90", "low_50", "median", "high_50", "high_90"]
            .iter()
            .map(|c| row[c].as_f64().unwrap())
            .collect();
        assert!(values[0] >= reported, "{what}");
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "{what}");
    }
}

/// CSV rows as JSON rows would print them.
fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split(','))
                .map(|(h, v)| ((*h).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// A CSV cell holds what the JSON cell holds (numbers to 1e-12: the test's
/// JSON parser may round the last digit).
fn same_cell(cell: &str, value: &Value) -> bool {
    match value {
        Value::String(text) => cell == text,
        Value::Number(number) => cell
            .parse::<f64>()
            .is_ok_and(|c| (c - number.as_f64().unwrap()).abs() <= 1e-12 * c.abs().max(1.0)),
        Value::Bool(flag) => cell == flag.to_string(),
        Value::Null => cell.is_empty(),
        other => panic!("a CSV row holds no {other}"),
    }
}

#[tokio::test]
async fn the_nowcast_through_ingest_store_and_api() {
    let folder = vintages();
    let (app, sources) = app().await;
    let (lake, lake_dir) = local_lake();
    let origin = Origin::Dir(folder.path().to_owned());
    let started = std::time::Instant::now();
    let report = pipeline(&app.store, lake, sources.clone())
        .run(&origin, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    eprintln!("ingest of 28 vintages: {:.1?}", started.elapsed());

    // The phase-1 model on the same files, read apart from the ingest.
    let started = std::time::Instant::now();
    let triangle = folder::read(folder.path()).unwrap().triangle;
    eprintln!("the folder read apart: {:.1?}", started.elapsed());
    assert_eq!(triangle.vintages().len(), 28);
    let started = std::time::Instant::now();
    let model = replay(&triangle);
    eprintln!("the model replayed: {:.1?}", started.elapsed());
    let newest = model.last().unwrap();
    assert_eq!(newest.vintage, day("2020-12-28"));

    // The newest vintage by default: 16 weeks per place and measure.
    let body = json(&app, "/api/v1/srag/nowcast?uf=SP,BR,AC&measure=srag").await;
    assert_eq!(rows(&body).len(), 3 * 16);
    assert_eq!(body["method"]["name"], METHOD);
    assert_eq!(body["method"]["doc"], "/api/v1/docs/nowcast.md");
    let names: Vec<&str> = body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sivep-vintages"]);
    equal_to_the_model(&body, newest);
    // São Paulo's newest week: still completing, estimated above its count.
    let sp_newest = rows(&body)
        .iter()
        .filter(|r| r["uf"] == "SP")
        .max_by_key(|r| r["week"].as_str().unwrap().to_owned())
        .unwrap();
    assert_eq!(sp_newest["weeks_back"], 0);
    assert_eq!(sp_newest["complete"], false);
    assert!(sp_newest["median"].as_f64().unwrap() > sp_newest["reported"].as_f64().unwrap());
    // Every place and measure: 28 × 3 × 16.
    let all = json(&app, "/api/v1/srag/nowcast").await;
    assert_eq!(rows(&all).len(), 28 * 3 * 16);
    equal_to_the_model(&all, newest);
    // An earlier vintage, as the model said then (no look-ahead).
    let earlier = json(
        &app,
        "/api/v1/srag/nowcast?uf=RJ&measure=deaths&vintage=2020-08-03",
    )
    .await;
    let at = model
        .iter()
        .find(|o| o.vintage == day("2020-08-03"))
        .unwrap();
    equal_to_the_model(&earlier, at);

    // Trends and outlook equal the model's.
    let trends = json(&app, "/api/v1/trends?measure=covid&territory=sp,BR").await;
    assert_eq!(trends["vintage"], "2020-12-28");
    assert_eq!(rows(&trends).len(), 2);
    for row in rows(&trends) {
        let want = newest
            .trends()
            .into_iter()
            .find(|t| t.key == key(row["uf"].as_str().unwrap(), SragMeasure::Covid))
            .unwrap();
        assert_eq!(row["week"], want.week.to_string());
        close(&row["short_growth"], want.short.rate, "short growth");
        close(&row["short_p_increase"], want.short.p_increase, "short p");
        assert_eq!(row["short_class"], want.short.class.code());
        close(&row["long_p_increase"], want.long.p_increase, "long p");
        assert_eq!(row["long_class"], want.long.class.code());
    }
    let every_trend = json(&app, "/api/v1/trends").await;
    assert_eq!(rows(&every_trend).len(), 28 * 3);

    // A sales territory's trend: its whole states' nowcasts summed, its
    // growth that of the summed medians /srag/nowcast gives; the overview's
    // figure is the same row.
    let region = json(&app, "/api/v1/trends?measure=srag&territory=sudeste,SP").await;
    let [sp, southeast] = &rows(&region)[..] else {
        panic!("{region}")
    };
    assert_eq!(
        (&sp["uf"], &southeast["uf"]),
        (&"SP".into(), &"sudeste".into())
    );
    assert_eq!(southeast["week"], sp["week"]);
    assert_eq!(southeast["vintage"], sp["vintage"]);
    let weeks = json(&app, "/api/v1/srag/nowcast?uf=ES,MG,RJ,SP&measure=srag").await;
    let mut sums = std::collections::BTreeMap::<String, f64>::new();
    for row in rows(&weeks) {
        *sums
            .entry(row["week"].as_str().unwrap().to_owned())
            .or_default() += row["median"].as_f64().unwrap();
    }
    assert_eq!(sums.len() * 4, rows(&weeks).len());
    let logs: Vec<f64> = sums.values().map(|sum| sum.ln_1p()).collect();
    let (slope, _) = trend::line(&logs[logs.len() - trend::SHORT..]);
    close(
        &southeast["short_growth"],
        slope.exp_m1(),
        "the territory's growth",
    );
    let p = southeast["short_p_increase"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert_eq!(southeast["short_class"], TrendClass::of(p).code());
    let backend = sentinela::backend::DashboardBackend::new(
        app.store.clone(),
        sources.clone(),
        sentinela::territories::Territories::load(None).unwrap(),
    );
    let headlines = backend.territory_headlines().await.unwrap();
    let headline = headlines
        .iter()
        .find(|h| h.territory.slug == "sudeste")
        .unwrap();
    let shown = headline.srag_trend.as_ref().unwrap();
    assert_eq!(shown.short_p_increase, p);
    assert_eq!(shown.short_class.code(), southeast["short_class"]);
    let alone = json(&app, "/api/v1/trends?territory=nordeste").await;
    assert_eq!(rows(&alone).len(), 3, "a row per measure, no state's");
    assert!(rows(&alone).iter().all(|row| row["uf"] == "nordeste"));
    let outlook = json(&app, "/api/v1/srag/outlook?uf=MG&measure=srag").await;
    assert_eq!(rows(&outlook).len(), 2);
    for row in rows(&outlook) {
        let want = newest
            .outlooks
            .iter()
            .find(|f| {
                f.method == sentinela::nowcast::outlook::Method::DampedTrend
                    && f.key == key("MG", SragMeasure::Srag)
                    && f.week.to_string() == row["week"].as_str().unwrap()
            })
            .unwrap();
        assert_eq!(row["weeks_ahead"].as_u64(), Some(want.ahead as u64));
        close(&row["median"], want.eventual.median(), "outlook median");
    }

    // CSV: the same rows, the vintage and method in headers.
    let response = get(
        &app,
        "/api/v1/srag/nowcast?uf=SP,BR,AC&measure=srag&format=csv",
    )
    .await;
    assert_eq!(response.headers()["x-sentinela-vintage"], "2020-12-28");
    assert!(
        response.headers()["x-sentinela-method"]
            .to_str()
            .unwrap()
            .starts_with(METHOD)
    );
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv_rows(&response.text().await.unwrap());
    assert_eq!(csv.len(), rows(&body).len());
    for (line, row) in csv.iter().zip(rows(&body)) {
        for (column, value) in row.as_object().unwrap() {
            assert!(
                same_cell(&line[column], value),
                "{column} of {row}: {line:?}"
            );
        }
    }
    let doc = get(&app, "/api/v1/docs/nowcast.md")
        .await
        .text()
        .await
        .unwrap();
    assert!(doc.starts_with("# Nowcast"));

    // Bad parameters.
    for (path, parameter) in [
        ("/api/v1/srag/nowcast?measure=cases", "measure"),
        ("/api/v1/srag/nowcast?uf=XX", "uf"),
        ("/api/v1/srag/nowcast?vintage=2020-12-27", "vintage"),
        ("/api/v1/srag/nowcast?vintage=28/12/2020", "vintage"),
        ("/api/v1/srag/nowcast?week=2020-12-20", "week"),
        ("/api/v1/trends?territory=Sudeste", "territory"),
        ("/api/v1/trends?measure=", "format"),
        ("/api/v1/srag/outlook?uf=SP&format=xml", "format"),
    ] {
        let response = app.get(path).await;
        if parameter == "format" && path.contains("measure=") {
            // A blank measure is the default, not a mistake.
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            continue;
        }
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["parameter"], parameter, "{path}: {body}");
        if parameter == "territory" {
            assert!(
                body["allowed"].as_str().unwrap().contains("nordeste"),
                "{body}"
            );
        }
    }

    // The backtest in gold: the replay scored against the newest vintage,
    // per measure, 0 to 5 weeks back and 1 to 2 ahead; the estimate of the
    // week just ended beats the count so far.
    let scored = backtest::scored(&triangle, model);
    let stored = app.store.backtest().await.unwrap();
    assert_eq!(stored.len(), 3 * (6 + 2));
    for row in &stored {
        let step = row.step as usize;
        let (want, naive) = match row.kind {
            BacktestKind::Nowcast => {
                let s = scored.pooled(step, Some(row.measure));
                (s, s.naive_error)
            }
            BacktestKind::Outlook => (
                scored.outlook(Method::DampedTrend, Some(step), Some(row.measure)),
                scored
                    .outlook(Method::Persistence, Some(step), Some(row.measure))
                    .error,
            ),
        };
        assert_eq!(row.vintage, day("2020-12-28"));
        assert_eq!(row.cases, want.cases as i64, "{row:?}");
        for (got, want) in [
            (row.error, want.error),
            (row.naive_error, naive),
            (row.coverage_50, want.coverage50),
            (row.coverage_90, want.coverage90),
            (row.wis, want.wis),
        ] {
            assert!((got - want).abs() < 1e-9, "{row:?}: {got} against {want}");
        }
    }
    let just_ended = stored
        .iter()
        .find(|r| r.measure == SragMeasure::Srag && r.kind == BacktestKind::Nowcast && r.step == 0)
        .unwrap();
    assert!(
        just_ended.error < just_ended.naive_error / 2.0,
        "{just_ended:?}"
    );

    // The same vintages again: nothing changes.
    let before = fingerprint(&app.database_url).await;
    let report = pipeline(
        &app.store,
        LocalLake::new(lake_dir.path().to_owned()),
        sources,
    )
    .run(&origin, &[])
    .await
    .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert!(report.gold.is_empty(), "{report:?}");
    assert_eq!(fingerprint(&app.database_url).await, before);
    app.stop().await.unwrap();
}

/// Three vintages: computed again into a fresh lake, the same gold; then
/// a corrupt fourth vintage fails the run and the last good nowcast keeps
/// serving.
#[tokio::test]
async fn a_corrupt_vintage_leaves_the_last_good_nowcast_serving() {
    let history = shared_data().join("../history/sivep");
    let folder = tempfile::tempdir().unwrap();
    for vintage in ["2020_07_14", "2020_07_21", "2020_07_29"] {
        let name = format!("sum_dados_{vintage}.csv.xz");
        std::os::unix::fs::symlink(history.join(&name), folder.path().join(&name)).unwrap();
    }
    let (app, sources) = app().await;
    let origin = Origin::Dir(folder.path().to_owned());
    let (lake, _lake_dir) = local_lake();
    let report = pipeline(&app.store, lake, sources.clone())
        .run(&origin, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    let path = "/api/v1/srag/nowcast?uf=SP&measure=srag";
    let served = json(&app, path).await;
    assert_eq!(served["vintage"], "2020-07-29");
    // The pages' reads: the same rows.
    let backend = sentinela::backend::DashboardBackend::new(
        app.store.clone(),
        sources.clone(),
        sentinela::territories::Territories::load(None).unwrap(),
    );
    let series = backend
        .nowcast(Uf::parse("SP").unwrap(), SragMeasure::Srag)
        .await
        .unwrap();
    assert_eq!(series.vintage, Some(day("2020-07-29")));
    assert_eq!(series.method, METHOD);
    assert_eq!(series.weeks.len(), rows(&served).len());
    for (week, row) in series.weeks.iter().zip(rows(&served)) {
        assert_eq!(row["week"], week.week.to_string());
        assert_eq!(row["reported"], week.reported);
        close(&row["median"], week.median, "the page's median");
        close(&row["high_90"], week.high_90, "the page's 90 % bound");
    }
    assert_eq!(series.outlook.len(), 2);
    assert_eq!(series.trend.as_ref().unwrap().uf, "SP");
    let trends = backend.trends(SragMeasure::Deaths).await.unwrap();
    assert_eq!(trends.len(), 28);
    assert!(trends.iter().all(|t| t.measure == SragMeasure::Deaths));
    let before = fingerprint(&app.database_url).await;

    // The same vintages into a fresh lake: refined and computed again, the
    // same gold.
    let (fresh, _fresh_dir) = local_lake();
    let report = pipeline(&app.store, fresh, sources.clone())
        .run(&origin, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert!(
        report.gold.iter().any(|g| g.stage == "gold srag_nowcast"),
        "{report:?}"
    );
    assert_eq!(fingerprint(&app.database_url).await, before);

    std::fs::write(folder.path().join("sum_dados_2020_08_03.csv.xz"), b"not xz").unwrap();
    let (lake, _dir) = local_lake();
    let report = pipeline(&app.store, lake, sources)
        .run(&origin, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "failed", "{report:?}");
    assert_eq!(fingerprint(&app.database_url).await, before);
    assert_eq!(json(&app, path).await["rows"], served["rows"]);
    app.stop().await.unwrap();
}

/// In production new vintages are found by their dated URLs, tried day by
/// day after the newest held, within 21 days of the last one found and
/// the 21 days before today; on a loopback server holding two vintages
/// newer than those ingested from a folder.
#[tokio::test]
async fn new_vintages_are_found_by_their_dated_urls() {
    use std::sync::atomic::Ordering;

    let history = shared_data().join("../history/sivep");
    let link = |dir: &std::path::Path, vintage: &str| {
        let name = format!("sum_dados_{vintage}.csv.xz");
        std::os::unix::fs::symlink(history.join(&name), dir.join(&name)).unwrap();
    };
    let held = tempfile::tempdir().unwrap();
    link(held.path(), "2020_07_14");
    link(held.path(), "2020_07_21");
    let served = tempfile::tempdir().unwrap();
    std::fs::create_dir(served.path().join("sivep")).unwrap();
    for vintage in ["2020_07_21", "2020_07_29", "2020_08_03"] {
        link(&served.path().join("sivep"), vintage);
    }
    let server = FileServer::start(served.path().to_owned()).await;
    let toml = SOURCES.replace("https://example.invalid/", &server.url("sivep/"));
    let sources: Arc<[SourceConfig]> = sources::parse(&toml).unwrap().into();
    let store = postgres_store().await;
    let (_, lake_dir) = local_lake();
    let lake = || LocalLake::new(lake_dir.path().to_owned());
    let report = pipeline(&store, lake(), sources.clone())
        .run(&Origin::Dir(held.path().to_owned()), &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(
        store.nowcast_vintages().await.unwrap(),
        [day("2020-07-14"), day("2020-07-21")]
    );

    let requests = || server.counters.requests.load(Ordering::SeqCst);
    let report = pipeline(&store, lake(), sources.clone())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(report.sources[0].outcome.code(), "new");
    // 07-22 … 08-03, then 21 days after 08-03, then the 21 days to today.
    assert_eq!(requests(), 13 + 21 + 21);
    assert_eq!(
        store.nowcast_vintages().await.unwrap(),
        [
            day("2020-07-14"),
            day("2020-07-21"),
            day("2020-07-29"),
            day("2020-08-03")
        ]
    );

    // Nothing new: a bounded number of requests, nothing recomputed.
    let report = pipeline(&store, lake(), sources.clone())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(report.sources[0].outcome.code(), "unchanged");
    assert!(report.gold.is_empty());
    assert_eq!(requests(), 55 + 21 + 21);

    // A failing server fails the fetch; the nowcast stays.
    server.fail_with(503);
    let report = pipeline(&store, lake(), sources)
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "failed", "{report:?}");
    assert_eq!(store.nowcast_vintages().await.unwrap().len(), 4);
}
