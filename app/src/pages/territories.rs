//! The overview's sales territories: one row per configured territory with
//! its population, cases per 100k over 7 days, ICU occupancy and its 7-day
//! change in percentage points, ICU beds and how many of its states' SRAG
//! trends rise, each territory linked to its hospitals' list.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    format::date_br, i18n::Strings, pages::hospitals::hospital_query,
    territory_view::TerritoryHeadline, url::query_with,
};

/// The territories' table; nothing when none is configured.
#[component]
pub fn TerritoryTable(
    rows: Vec<TerritoryHeadline>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    let first = rows.first()?;
    let n = s.numbers;
    let dates = [first.cases_date, first.occupancy_date]
        .into_iter()
        .zip(s.territories_dates)
        .filter_map(|(date, label)| date.map(|d| format!("{label} {}", date_br(d))))
        .collect::<Vec<_>>()
        .join(" · ");
    let dash = || "—".to_owned();
    let kept = hospital_query(&query);
    Some(view! {
        <section class="territories" aria-labelledby="territories-title">
            <h2 id="territories-title">{s.territories_title}</h2>
            <p class="covered">{dates}</p>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{s.territory_word}</th>
                            <th scope="col" class="num wide-only">{s.population_word}</th>
                            <th scope="col" class="num">{s.cases_per_100k_7d}</th>
                            <th scope="col" class="num">{s.icu_occupancy}</th>
                            <th scope="col" class="num">{s.change_7d}</th>
                            <th scope="col" class="num wide-only">{s.icu_beds}</th>
                            <th scope="col" class="num wide-only">{s.srag_states_rising}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                let link = format!(
                                    "/hospitais{}",
                                    query_with(&kept, &[("territory", Some(&row.territory.slug))])
                                );
                                view! {
                                    <tr data-territory=row.territory.slug.clone()>
                                        <th scope="row"><a href=link>{row.territory.name}</a></th>
                                        <td class="num wide-only">{row.population.map_or_else(dash, |p| n.number(p as f64, 0))}</td>
                                        <td class="num">{row.cases_per_100k_7d.map_or_else(dash, |c| n.number(c, 1))}</td>
                                        <td class="num">{row.icu_rate.map_or_else(dash, |r| n.percent(r))}</td>
                                        <td class="num">{row.icu_change_7d.map_or_else(dash, |p| n.points(p))}</td>
                                        <td class="num wide-only">{row.icu_beds.map_or_else(dash, |b| n.number(b as f64, 0))}</td>
                                        <td class="num wide-only">
                                            {row.srag_rising.map_or_else(dash, |(up, of)| format!("{up} {} {of}", s.of_word))}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="covered">{s.territories_help}</p>
        </section>
    })
}
