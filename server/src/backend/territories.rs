//! The territories' headline figures: each territory's population and new
//! cases over its states and its other cities on the states' newest day,
//! the ICU beds of its counted hospitals on their newest day and 7 days
//! before, and the SRAG trend of its whole states summed, from their
//! stored nowcasts.

use std::collections::HashMap;

use app::{
    catalog::{
        GoldTable,
        territory::Territory,
        vocabulary::{BedClass, BedStatus, Scope, SragMeasure},
    },
    indicators::{CasesDay, NowcastWeek},
    territory_view::TerritoryHeadline,
};
use chrono::{Duration, NaiveDate};

use super::nowcast;
use crate::store::{Filter, Page, Places, Store, StoreError};

/// Every territory's headline, in the configuration's order.
pub async fn headlines(
    store: &Store,
    territories: &[Territory],
) -> Result<Vec<TerritoryHeadline>, StoreError> {
    if territories.is_empty() {
        return Ok(Vec::new());
    }
    let no_filter = Filter::default();
    let cases_date = store.newest_date(GoldTable::CasesState, &no_filter).await?;
    let occupancy_date = store
        .newest_date(GoldTable::OccupancyHospital, &no_filter)
        .await?;
    let nowcast: Vec<NowcastWeek> = nowcast::newest(store, SragMeasure::Srag).await?;
    let mut headlines = Vec::with_capacity(territories.len());
    for territory in territories {
        let (population, cases_per_100k_7d) = match cases_date {
            Some(date) => cases(store, territory, date).await?,
            None => (None, None),
        };
        let icu = match occupancy_date {
            Some(date) => icu_rate(store, territory, date).await?,
            None => None,
        };
        let before = match occupancy_date {
            Some(date) => icu_rate(store, territory, date - Duration::days(7)).await?,
            None => None,
        };
        headlines.push(TerritoryHeadline {
            territory: territory.clone(),
            cases_date,
            population,
            cases_per_100k_7d,
            occupancy_date,
            icu_beds: icu.map(|(beds, _)| beds),
            icu_rate: icu.map(|(_, rate)| rate),
            icu_change_7d: icu
                .zip(before)
                .map(|((_, now), (_, then))| (now - then) * 100.0),
            srag_trend: crate::nowcast::territory::trend(territory, &nowcast),
            srag_vintage: nowcast.first().map(|week| week.vintage),
        });
    }
    Ok(headlines)
}

/// The territory's population, and its new cases over the 7 days ending on
/// `date` per 100,000 inhabitants: `None` when a member has no row that
/// day or no population.
async fn cases(
    store: &Store,
    territory: &Territory,
    date: NaiveDate,
) -> Result<(Option<i64>, Option<f64>), StoreError> {
    let states: Vec<String> = territory
        .states
        .iter()
        .map(|uf| uf.code().to_owned())
        .collect();
    let cities: Vec<String> = territory.extra_cities().map(str::to_owned).collect();
    let rows = cases_on(store, &states, &cities, date).await?;
    Ok(summed_per_100k(
        &rows,
        states.iter().chain(&cities).map(String::as_str),
    ))
}

/// The case rows of the states `states` and the cities `cities` on
/// `date`, by place code ([`CasesDay::place_code`]).
pub(crate) async fn cases_on(
    store: &Store,
    states: &[String],
    cities: &[String],
    date: NaiveDate,
) -> Result<HashMap<String, CasesDay>, StoreError> {
    let all = Page {
        limit: u32::MAX - 1,
        offset: 0,
    };
    let day = || Filter::default().eq("date", date.to_string());
    let mut rows = HashMap::new();
    for (places, column, codes) in [
        (Places::States, "uf", states),
        (Places::Cities, "city_ibge", cities),
    ] {
        if !codes.is_empty() {
            let filter = day().any_of(column, codes);
            for row in store.cases(places, &filter, all).await?.rows {
                rows.insert(row.place_code().to_owned(), row);
            }
        }
    }
    Ok(rows)
}

/// The population of the places `codes` summed, and their new cases over
/// the 7 days of `rows` per 100,000 inhabitants: `None` when a place has
/// no row in `rows` or no population.
pub(crate) fn summed_per_100k<'a>(
    rows: &HashMap<String, CasesDay>,
    codes: impl IntoIterator<Item = &'a str>,
) -> (Option<i64>, Option<f64>) {
    let members: Option<Vec<&CasesDay>> = codes.into_iter().map(|code| rows.get(code)).collect();
    let Some(members) = members else {
        return (None, None);
    };
    let population: Option<i64> = members.iter().map(|row| row.population).sum();
    // The 7-day mean is the week's sum over 7: the sum, back to a count.
    let week: f64 = members
        .iter()
        .map(|row| (row.new_cases_7d * 7.0).round())
        .sum();
    let per_100k = population
        .filter(|&p| p > 0)
        .map(|p| week / p as f64 * 100_000.0);
    (population, per_100k)
}

/// ICU beds offered and the occupancy rate (all beds) over the
/// territory's counted hospitals on `date`; `None` without any.
async fn icu_rate(
    store: &Store,
    territory: &Territory,
    date: NaiveDate,
) -> Result<Option<(i64, f64)>, StoreError> {
    let places = Filter::default().within(territory);
    beds_rate(store, places, date, BedClass::Icu, Scope::All).await
}

/// Beds offered and the occupancy rate of `bed_class` × `scope` over the
/// counted hospitals `places` matches on `date`; `None` without any.
pub(crate) async fn beds_rate(
    store: &Store,
    places: Filter,
    date: NaiveDate,
    bed_class: BedClass,
    scope: Scope,
) -> Result<Option<(i64, f64)>, StoreError> {
    let filter = places
        .eq("date", date.to_string())
        .eq("bed_class", bed_class.code())
        .eq("scope", scope.code())
        .eq("status", BedStatus::Counted.code());
    Ok(store
        .hospital_totals(&filter)
        .await?
        .filter(|&(offered, _)| offered > 0)
        .map(|(offered, occupied)| (offered, occupied as f64 / offered as f64)))
}
