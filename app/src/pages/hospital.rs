//! One hospital's page (`/hospital/2081288`): its name, city and last
//! report, its occupancy rates and beds offered per bed class and scope
//! over its last 90 days (each chart with its table), and the other
//! hospitals of its city. An unknown or malformed code is the 404 page.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use super::state::ChartPanel;
use crate::{
    backend::unavailable, format::date_br, hospital_view::is_hospital_code, i18n::Lang,
    page_error::PageError, url::query_with,
};

/// The page of the hospital `cnes` for the URL's `query`.
pub async fn html(cnes: &str, query: &ParamsMap) -> Result<String, PageError> {
    if !is_hospital_code(cnes) {
        return Err(PageError::NotFound.answered());
    }
    let lang = Lang::from_query(query.get_str("lang"));
    let s = lang.strings();
    let detail = crate::backend::current()?
        .hospital(cnes)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| PageError::NotFound.answered())?;
    let summary = detail.summary;
    let charts = crate::charts::hospital_charts(&detail.days, lang);
    let kept = query_with(query, &[]);
    let list_href = format!(
        "/hospitais{}",
        query_with(query, &[("uf", Some(&summary.uf))])
    );
    let name = match summary.name.trim() {
        "" => summary.cnes.clone(),
        name => name.to_owned(),
    };
    let stale = (summary.days_since_report > 13).then(|| {
        view! {
            " "
            <span class="badge badge-pending">{s.stale_badge}</span>
        }
    });
    let neighbours = detail.neighbours;
    Ok(view! {
        <p class="breadcrumb"><a href=list_href>{format!("{} ({})", s.hospitals_title, summary.uf)}</a></p>
        <h1>{name}</h1>
        <p class="standing">
            {format!("{} ({}) · CNES {}", summary.city, summary.uf, summary.cnes)}
        </p>
        <p class="covered">
            {format!("{} {} ({} {})", s.hospital_reported, date_br(summary.last_report), summary.days_since_report, s.stale_days)}
            {stale}
        </p>
        <div class="charts">
            {charts.into_iter().map(|chart| view! { <ChartPanel chart place=summary.cnes.clone() lang /> }).collect_view()}
        </div>
        <section class="ranking">
            <h2>{s.hospital_neighbours}</h2>
            {if neighbours.is_empty() {
                view! { <p class="notice">{s.hospitals_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="found neighbours">
                        {neighbours
                            .into_iter()
                            .map(|other| {
                                let rate = other.icu_rate.map(|r| format!(" · {} {}", s.icu_occupancy, s.numbers.percent(r)));
                                view! {
                                    <li>
                                        <a href=format!("/hospital/{}{kept}", other.cnes)>{other.name}</a>
                                        <span class="found-detail">{rate}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
    .to_html())
}
