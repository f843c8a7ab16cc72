//! A city's page data: its daily cases and deaths over the chosen period,
//! drawn on the server, and its rank among its state's cities.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    indicators::{CasesDay, RankingEntry},
    state_view::{Chart, Period},
};

/// The raw series of one city, as the backend reads them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CitySeries {
    pub days: Vec<CasesDay>,
    /// Its state's cities with a known population, most affected first
    /// (cases per 100k); empty when the city is not among them.
    pub state_ranking: Vec<RankingEntry>,
}

/// Everything a city's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityView {
    pub code: String,
    pub name: String,
    pub uf: String,
    /// Its place among its state's cities by cases per 100k, and how many.
    pub rank: Option<(usize, usize)>,
    pub cases_per_100k: Option<f64>,
    pub charts: Vec<Chart>,
}

/// Reads a city's page (`code`: 7-digit IBGE code) over `period`.
#[server(prefix = "/sf", endpoint = "city_view")]
pub async fn get_city_view(
    code: String,
    period: Period,
    lang: String,
    per_100k: bool,
) -> Result<CityView, ServerFnError> {
    let series = crate::backend::current()?
        .city_series(&code, period)
        .await
        .map_err(crate::backend::unavailable)?;
    let entry = series
        .state_ranking
        .iter()
        .position(|r| r.city_ibge.as_deref() == Some(code.as_str()));
    let (name, uf) = match (entry, series.days.first()) {
        (Some(i), _) => (
            series.state_ranking[i].name.clone(),
            series.state_ranking[i].uf.clone(),
        ),
        (None, Some(day)) => (day.city.clone().unwrap_or_default(), day.uf.clone()),
        (None, None) => return Err(ServerFnError::new(format!("unknown city {code:?}"))),
    };
    let lang = crate::i18n::Lang::from_query(Some(&lang));
    let days: Vec<&CasesDay> = series.days.iter().collect();
    Ok(CityView {
        rank: entry.map(|i| (i + 1, series.state_ranking.len())),
        cases_per_100k: entry.map(|i| series.state_ranking[i].value),
        charts: crate::charts::case_charts(&days, lang, per_100k),
        code,
        name,
        uf,
    })
}
