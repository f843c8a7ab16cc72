//! Brasil.IO's `caso` table through the real HTTP connector as the cases
//! source: each state's and a city's figures equal the file's (read here
//! independently), new cases are the differences between a place's rows,
//! and the country is the sum of the states.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sentinela::{
    ingest::connect::fetch::Origin,
    sources,
    store::{Filter, Store},
};

use crate::{
    city_totals::city_days,
    ingest::pipeline,
    support::{files::FileServer, local_lake, on_both_stores, shared_data},
};

const FILE: &str = "cases/brasilio-caso_BR_2020-03-31.csv";

/// `(place_type, state, city code, date) → (confirmed, deaths)` of the file.
fn file_figures() -> BTreeMap<(String, String, String, NaiveDate), (i64, i64)> {
    let mut reader = csv::Reader::from_path(shared_data().join(FILE)).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (date, state, kind, code, confirmed, deaths) = (
        at("date"),
        at("state"),
        at("place_type"),
        at("city_ibge_code"),
        at("confirmed"),
        at("deaths"),
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (
                (
                    record[kind].to_owned(),
                    record[state].to_owned(),
                    record[code].to_owned(),
                    record[date].parse().unwrap(),
                ),
                (
                    record[confirmed].parse().unwrap(),
                    // Early rows leave deaths blank for none.
                    record[deaths].parse().unwrap_or(0),
                ),
            )
        })
        .collect()
}

async fn brasilio_cases_equal_the_file(store: Store) {
    let server = FileServer::start(shared_data()).await;
    let toml = format!(
        r#"
        [[source]]
        name = "cases-brasilio"
        title = "Casos e óbitos — Brasil.IO, CC BY-SA 4.0"
        kind = "http"
        url = "{}"
        format = "brasilio-caso"
        "#,
        server.url(FILE)
    );
    let (lake, _dir) = local_lake();
    let report = pipeline(&store, lake, sources::parse(&toml).unwrap().into())
        .run(&Origin::Remote, &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");

    let figures = file_figures();
    let day = NaiveDate::from_ymd_opt(2020, 3, 30).unwrap();
    let mut expected: Vec<(String, i64, i64)> = figures
        .iter()
        .filter(|((kind, _, _, date), _)| kind == "state" && *date == day)
        .map(|((_, uf, _, _), (cases, deaths))| (uf.clone(), *cases, *deaths))
        .collect();
    let brazil = expected
        .iter()
        .fold((0, 0), |(c, d), (_, cases, deaths)| (c + cases, d + deaths));
    expected.push(("BR".into(), brazil.0, brazil.1));
    expected.sort();
    let mut totals: Vec<(String, i64, i64)> = store
        .state_totals(day)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.uf, t.cases, t.deaths))
        .collect();
    totals.sort();
    assert_eq!(totals, expected);
    assert_eq!(totals.len(), 28, "27 states and the country");

    // São Paulo city: new cases are the change since the city's previous
    // row, which the file skips days before (no rows for 28 and 29 March).
    let city: BTreeMap<NaiveDate, (i64, i64)> = figures
        .iter()
        .filter(|((kind, _, code, _), _)| kind == "city" && code == "3550308")
        .map(|((_, _, _, date), counts)| (*date, *counts))
        .collect();
    let (before, previous) = city.range(..day).next_back().unwrap();
    assert!(
        *before < day.pred_opt().unwrap(),
        "the file skips days here"
    );
    let days = city_days(
        &store,
        Filter::default()
            .eq("city_ibge", "3550308")
            .between("date", *before, day),
    )
    .await;
    let last = days.last().unwrap();
    assert_eq!(
        (last.date, last.cases, last.deaths),
        (day, city[&day].0, city[&day].1)
    );
    assert_eq!(
        (last.new_cases, last.new_deaths),
        (city[&day].0 - previous.0, city[&day].1 - previous.1)
    );
}

on_both_stores!(brasilio_cases_equal_the_file);
