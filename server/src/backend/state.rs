//! A state's and a city's page: their series over the chosen period (each
//! source's own newest day ends a preset period) and the cities ranked,
//! read with the store queries the API uses.

use app::{
    catalog::{
        GoldTable,
        vocabulary::{Metric, PlaceKind, Uf},
    },
    city_view::CitySeries,
    state_view::{CityOutline, CityOutlines, Period, StateSeries},
};

use crate::store::{Direction, Filter, Page, Places, RankingQuery, Store, StoreError};

pub async fn city_series(
    store: &Store,
    code: &str,
    period: Period,
) -> Result<CitySeries, StoreError> {
    let city = || Filter::default().eq("city_ibge", code);
    let mut series = CitySeries::default();
    if let Some(newest) = store.newest_date(Places::Cities.table(), &city()).await? {
        let (from, to) = period.range(newest);
        series.days = store
            .cases(Places::Cities, &city().between("date", from, to), Page::ALL)
            .await?
            .rows;
    }
    let uf = store
        .cities(Filter::default(), Page::ALL)
        .await?
        .rows
        .into_iter()
        .find(|c| c.city_ibge == code)
        .and_then(|c| Uf::parse(&c.uf));
    if let Some(uf) = uf {
        series.state_ranking = store.ranking(cities_of(uf)).await?;
    }
    Ok(series)
}

pub async fn state_series(
    store: &Store,
    uf: Uf,
    period: Period,
) -> Result<StateSeries, StoreError> {
    let state = || Filter::default().state(uf);
    let mut series = StateSeries::default();
    if let Some(newest) = store.newest_date(Places::States.table(), &state()).await? {
        let (from, to) = period.range(newest);
        series.cases = store
            .cases(
                Places::States,
                &state().between("date", from, to),
                Page::ALL,
            )
            .await?
            .rows;
    }
    if let Some(newest) = store
        .newest_date(GoldTable::OccupancyState, &state())
        .await?
    {
        let (from, to) = period.range(newest);
        series.occupancy = store
            .occupancy(&state().between("date", from, to), Page::ALL)
            .await?
            .rows;
    }
    if let Some(newest) = store.newest_date(GoldTable::SragState, &state()).await? {
        series.srag_newest = Some(newest);
        let (from, to) = period.range(newest);
        series.srag = store.srag_days(uf, from, to).await?;
    }
    if let Some(newest) = store
        .newest_date(GoldTable::OccupancyPatients, &state())
        .await?
    {
        let (from, to) = period.range(newest);
        series.patients = store
            .patients(&state().between("date", from, to), Page::ALL)
            .await?
            .rows;
    }
    series.every_city = store.ranking(cities_of(uf)).await?;
    series.outlines = store
        .city_shapes(uf)
        .await?
        .map(|(view_box, shapes)| CityOutlines {
            view_box,
            cities: shapes
                .into_iter()
                .map(|shape| CityOutline {
                    code: shape.code,
                    name: shape.name,
                    path: shape.path,
                })
                .collect(),
        });
    Ok(series)
}

/// Every city of `uf` by cases per 100,000, most affected first (the
/// pages keep those above the population they are asked for).
fn cities_of(uf: Uf) -> RankingQuery {
    RankingQuery {
        scope: PlaceKind::City,
        metric: Metric::CasesPer100k,
        uf: Some(uf),
        min_population: 0,
        direction: Direction::MostAffected,
        limit: u32::MAX,
    }
}
