//! Cases per city, per-100k figures and the rankings, from the real files
//! over loopback HTTP, checked against figures computed here directly from
//! the raw CSVs (independently of the pipeline's code).

use std::{collections::HashMap, sync::Arc};

use app::catalog::vocabulary::{Metric, PlaceKind, Uf};
use chrono::NaiveDate;
use sentinela::{
    ingest::connect::fetch::Origin,
    sources,
    store::{Direction, RankingQuery, Store},
};

use crate::{
    ingest::pipeline,
    support::{files::FileServer, local_lake, on_both_stores, shared_data},
};

const CITIES_FILE: &str = "cases/cases-brazil-cities-time_2020-05-06.csv";
const POPULATION_FILE: &str = "reference/populacao-por-municipio-2020.csv";
const STATES_FILE: &str = "cases/cases-brazil-states_2022-04-24.csv";

fn sources(server: &FileServer) -> Arc<[sources::SourceConfig]> {
    let toml = format!(
        r#"
        [[source]]
        name = "cases-states"
        title = "Casos e óbitos por UF"
        kind = "http"
        url = "{}"
        format = "wcota-states"
        [[source]]
        name = "cases-cities"
        title = "Casos e óbitos por município"
        kind = "http"
        url = "{}"
        format = "wcota-cities-time"
        [[source]]
        name = "population"
        title = "População estimada por município"
        kind = "http"
        url = "{}"
        format = "population"
        "#,
        server.url(STATES_FILE),
        server.url(CITIES_FILE),
        server.url(POPULATION_FILE)
    );
    sources::parse(&toml).unwrap().into()
}

fn read_csv(path: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(shared_data().join(path)).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(str::to_owned)
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// `(city code, cases per 100k)` of the cities of `uf` with at least
/// `min_population` inhabitants on the file's last day, cities without a
/// case at zero, sorted most affected first.
fn expected_city_ranking(uf: &str, min_population: i64) -> Vec<(String, f64)> {
    let population: HashMap<String, (String, i64)> = read_csv(POPULATION_FILE)
        .into_iter()
        .map(|r| {
            (
                r["city_ibge_code"].clone(),
                (
                    r["state"].clone(),
                    r["estimated_population"].parse().unwrap(),
                ),
            )
        })
        .collect();
    let rows = read_csv(CITIES_FILE);
    let last = rows.iter().map(|r| r["date"].clone()).max().unwrap();
    let cases: HashMap<String, i64> = rows
        .iter()
        .filter(|r| r["date"] == last)
        .map(|r| (r["ibgeID"].clone(), r["totalCases"].parse().unwrap()))
        .collect();
    let mut ranking: Vec<(String, f64)> = population
        .iter()
        .filter(|(_, (state, people))| state == uf && *people >= min_population)
        .map(|(code, (_, people))| {
            (
                code.clone(),
                *cases.get(code).unwrap_or(&0) as f64 * 100_000.0 / *people as f64,
            )
        })
        .collect();
    ranking.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranking
}

async fn cities_rank_as_computed_from_the_raw_files(store: Store) {
    let server = FileServer::start(shared_data()).await;
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, sources(&server))
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");

    let expected = expected_city_ranking("SP", 50_000);
    let query = |direction| RankingQuery {
        scope: PlaceKind::City,
        metric: Metric::CasesPer100k,
        uf: Uf::parse("SP"),
        min_population: 50_000,
        direction,
        limit: 5,
    };
    let most = store.ranking(query(Direction::MostAffected)).await.unwrap();
    let least = store
        .ranking(query(Direction::LeastAffected))
        .await
        .unwrap();
    let codes = |rows: &[app::indicators::RankingEntry]| {
        rows.iter()
            .map(|r| r.city_ibge.clone().unwrap())
            .collect::<Vec<_>>()
    };
    let expected_codes =
        |rows: &[(String, f64)]| rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&most), expected_codes(&expected[..5]));
    assert_eq!(most[0].name, "São Paulo");
    assert!((most[0].value - expected[0].1).abs() < 1e-9);
    let mut bottom: Vec<_> = expected.iter().rev().take(5).cloned().collect();
    bottom.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    assert_eq!(codes(&least), expected_codes(&bottom));
    assert_eq!(
        most[0].period_end,
        NaiveDate::from_ymd_opt(2020, 5, 5).unwrap()
    );

    // Per 100k for states: the population is the sum of the municipalities'.
    let day = NaiveDate::from_ymd_opt(2022, 4, 24).unwrap();
    let totals = store.state_totals(day).await.unwrap();
    let brazil = totals.iter().find(|t| t.uf == "BR").unwrap();
    assert_eq!(brazil.population, Some(211_755_692));
    let sp_population: i64 = read_csv(POPULATION_FILE)
        .iter()
        .filter(|r| r["state"] == "SP")
        .map(|r| r["estimated_population"].parse::<i64>().unwrap())
        .sum();
    assert_eq!(
        totals.iter().find(|t| t.uf == "SP").unwrap().population,
        Some(sp_population)
    );

    let states = store
        .ranking(RankingQuery {
            scope: PlaceKind::State,
            metric: Metric::DeathsPer100k,
            uf: None,
            min_population: 0,
            direction: Direction::MostAffected,
            limit: 27,
        })
        .await
        .unwrap();
    assert_eq!(states.len(), 27);
    assert!(states.windows(2).all(|w| w[0].value >= w[1].value));
}

on_both_stores!(cities_rank_as_computed_from_the_raw_files);
