//! covid19br's per-date city totals (`cases-brazil-cities_<date>.csv`, one
//! date a file, the later file with more columns) as the cities' cases
//! source, every dated file of a folder together: each city's figures on
//! each date equal its file's (read here independently), and the rows
//! without a defined place stay in silver apart from the cities.

use std::{collections::BTreeMap, sync::Arc};

use app::indicators::CasesDay;
use chrono::NaiveDate;
use sentinela::{
    ingest::connect::fetch::Origin,
    sources,
    store::{Filter, Page, Places, Store},
};
use serde::Deserialize;

use crate::support::{local_lake, on_both_stores, shared_data, silver_rows};

const DATES: [&str; 2] = ["2020-06-18", "2020-07-13"];

/// `(date, ibgeID) → (state, totalCases, deaths, newCases, newDeaths)` of
/// the files.
type Figures = BTreeMap<(NaiveDate, String), (String, i64, i64, i64, i64)>;

fn file_figures() -> Figures {
    let mut figures = Figures::new();
    for day in DATES {
        let path = shared_data().join(format!("cases/cases-brazil-cities_{day}.csv"));
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().clone();
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let columns = [
            "ibgeID",
            "state",
            "totalCases",
            "deaths",
            "newCases",
            "newDeaths",
        ]
        .map(at);
        for record in reader.records() {
            let record = record.unwrap();
            let [code, state, cases, deaths, new_cases, new_deaths] = columns.map(|i| &record[i]);
            let number = |text: &str| text.parse::<i64>().unwrap();
            figures.insert(
                (day.parse().unwrap(), code.to_owned()),
                (
                    state.to_owned(),
                    number(cases),
                    number(deaths),
                    number(new_cases),
                    number(new_deaths),
                ),
            );
        }
    }
    figures
}

/// Gold's city days matching `filter` (ten at most), by city and day.
pub async fn city_days(store: &Store, filter: Filter) -> Vec<CasesDay> {
    let page = Page {
        limit: 10,
        offset: 0,
    };
    store
        .cases(Places::Cities, &filter, page)
        .await
        .unwrap()
        .rows
}

#[derive(Deserialize)]
struct SilverCity {
    uf: String,
    city_ibge: String,
    cases: i64,
}

async fn city_totals_fill_the_cities_silver(store: Store) {
    let toml = r#"
        [[source]]
        name = "cases-cities-totals"
        title = "Casos e óbitos por município — covid19br (W. Cota), CC BY-SA 4.0"
        kind = "http"
        url = "https://example.invalid/cases-brazil-cities.csv"
        format = "wcota-cities"
        file = "cases-brazil-cities_*.csv"
        history = true
    "#;
    let sources: Arc<[sources::SourceConfig]> = sources::parse(toml).unwrap().into();
    let (lake, dir) = local_lake();
    let report = crate::ingest::pipeline(&store, lake, sources)
        .run(&Origin::Dir(shared_data()), &[])
        .await
        .unwrap();
    assert_eq!(report.status, "ok", "{report:?}");

    let figures = file_figures();
    let bronze = &report.sources[0].stages[0];
    assert_eq!(
        (bronze.stage.as_str(), bronze.rows_in, bronze.rejected),
        ("bronze", figures.len() as u64, 0)
    );
    let [first, second] = DATES.map(|d| d.parse::<NaiveDate>().unwrap());
    // A city of both files, and one whose first case came between them.
    let newcomer = figures
        .keys()
        .find(|(day, code)| {
            *day == second && code.len() == 7 && !figures.contains_key(&(first, code.clone()))
        })
        .unwrap()
        .1
        .clone();
    for code in ["3550308", "3304557", "5300108", newcomer.as_str()] {
        let days = city_days(&store, Filter::default().eq("city_ibge", code)).await;
        let got: Vec<_> = days
            .iter()
            .map(|d| {
                (
                    d.date,
                    d.uf.clone(),
                    d.cases,
                    d.deaths,
                    d.new_cases,
                    d.new_deaths,
                )
            })
            .collect();
        let want: Vec<_> = [first, second]
            .into_iter()
            .filter_map(|day| {
                let (uf, cases, deaths, new_cases, new_deaths) =
                    figures.get(&(day, code.to_owned()))?.clone();
                Some((day, uf, cases, deaths, new_cases, new_deaths))
            })
            .collect();
        assert_eq!(got, want, "{code}");
    }

    // Cases without a defined place (a 2-digit state code in the files):
    // in silver with a blank code, one per state and file, never a city.
    let silver: Vec<SilverCity> = silver_rows(
        dir.path(),
        "cases_city_daily",
        &["uf", "city_ibge", "cases"],
    );
    let mut apart: Vec<(String, i64)> = silver
        .iter()
        .filter(|r| r.city_ibge.is_empty())
        .map(|r| (r.uf.clone(), r.cases))
        .collect();
    let mut unplaced: Vec<(String, i64)> = figures
        .iter()
        .filter(|((_, code), _)| code.len() == 2)
        .map(|(_, (uf, cases, ..))| (uf.clone(), *cases))
        .collect();
    apart.sort();
    unplaced.sort();
    assert_eq!(apart, unplaced);
    assert_eq!(apart.len(), 47);
    assert_eq!(silver.len(), figures.len());
    let unknown = city_days(&store, Filter::default().eq("city_ibge", "")).await;
    assert!(unknown.is_empty(), "places kept apart are not cities");
}

on_both_stores!(city_totals_fill_the_cities_silver);
