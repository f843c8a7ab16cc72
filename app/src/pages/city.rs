//! A city's page (`/municipio/3550308`): its daily cases and deaths with
//! their 7-day mean over the period in the URL, and its rank among its
//! state's cities by cases per 100,000 inhabitants (those of the URL's
//! `min_pop` or more, as the state's page lists them).

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use super::state::{ChartPanel, Per100kToggle, PeriodPicker, at_least, filters};
use crate::{
    backend::unavailable,
    dashboard::min_population,
    i18n::Strings,
    indicators::{CasesDay, RankingEntry},
    page_error::PageError,
    pages::hospitals::hospital_query,
    url::query_with,
};

/// The page of the city `code` (7-digit IBGE code) for the URL's `query`.
pub async fn html(code: &str, query: &ParamsMap) -> Result<String, PageError> {
    let (lang, period, per_100k) = filters(query);
    // What is no city code never reaches the store.
    if !crate::page_html::is_city_code(code) {
        return Err(PageError::NotFound.answered());
    }
    let series = crate::backend::current()?
        .city_series(code, period)
        .await
        .map_err(unavailable)?;
    let city = series
        .state_ranking
        .iter()
        .find(|r| r.city_ibge.as_deref() == Some(code));
    let (name, uf) = match (city, series.days.first()) {
        (Some(city), _) => (city.name.clone(), city.uf.clone()),
        (None, Some(day)) => (day.city.clone().unwrap_or_default(), day.uf.clone()),
        (None, None) => return Err(PageError::NotFound.answered()),
    };
    let s = lang.strings();
    let min_population = min_population(query.get_str("min_pop"));
    let standing = standing(code, &series.state_ranking, min_population, s);
    let days: Vec<&CasesDay> = series.days.iter().collect();
    let charts = crate::charts::case_charts(&days, lang, per_100k);
    let state_href = format!("/uf/{uf}{}", query_with(query, &[]));
    Ok(view! {
        <p class="breadcrumb">
            <a href=state_href>{uf.clone()}</a>
            " · "
            <a href=format!("/hospitais{}", query_with(&hospital_query(query), &[("city", Some(code))]))>{s.city_hospitals}</a>
        </p>
        <h1>{format!("{name} ({uf})")}</h1>
        <p class="standing">{standing}</p>
        <PeriodPicker period s query=query.clone() />
        <Per100kToggle per_100k s query=query.clone() />
        <div class="charts">
            {charts.into_iter().map(|chart| view! { <ChartPanel chart place=code.to_owned() lang /> }).collect_view()}
        </div>
    }
    .to_html())
}

/// The city's rank as its state's page gives it: its position among the
/// state's cities of `min_population` inhabitants or more by cases per
/// 100k, or among all of them when it is smaller; the rule said with it.
fn standing(code: &str, ranking: &[RankingEntry], min_population: i64, s: &Strings) -> String {
    let listed = at_least(ranking, min_population);
    let is_city = |r: &RankingEntry| r.city_ibge.as_deref() == Some(code);
    let (among, within) = match listed.iter().any(is_city) {
        true => (
            listed,
            format!(
                "{} {} {}",
                s.city_rank_with,
                s.numbers.number(min_population as f64, 0),
                s.inhabitants_or_more
            ),
        ),
        false => (ranking.to_vec(), s.city_rank_any.to_owned()),
    };
    match among.iter().position(is_city) {
        Some(i) => format!(
            "{} {} {} {} {} {} · {} {}",
            s.city_rank_prefix,
            i + 1,
            s.city_rank_of,
            among.len(),
            within,
            s.city_rank_suffix,
            s.numbers.number(among[i].value, 1),
            s.per_100k_suffix
        ),
        None => s.city_unranked.to_owned(),
    }
}
