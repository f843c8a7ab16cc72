//! The overview's sales territories: one row per configured territory with
//! its population, cases per 100k over 7 days, ICU occupancy and its 7-day
//! change in percentage points, ICU beds and the SRAG trend of its whole
//! states summed, each territory linked to its hospitals' list; the table as
//! a CSV download.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    catalog::territory::Territory,
    csv::{Dialect, Table},
    format::date_br,
    i18n::{Lang, Strings},
    indicators::SragTrend,
    pages::hospitals::hospital_query,
    territory_view::TerritoryHeadline,
    url::query_with,
};

/// The territory the URL's `territory` names, of those configured; an
/// unknown one filters nothing (a page shows everything rather than fail).
pub(crate) fn chosen<'a>(query: &ParamsMap, territories: &'a [Territory]) -> Option<&'a Territory> {
    let slug = query.get_str("territory")?;
    territories.iter().find(|t| t.slug == slug)
}

/// The territories' table; nothing when none is configured.
#[component]
pub fn TerritoryTable(
    rows: Vec<TerritoryHeadline>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    let first = rows.first()?;
    let n = s.numbers;
    let dates = [first.cases_date, first.occupancy_date, first.srag_vintage]
        .into_iter()
        .zip(s.territories_dates)
        .filter_map(|(date, label)| date.map(|d| format!("{label} {}", date_br(d))))
        .collect::<Vec<_>>()
        .join(" · ");
    let dash = || "—".to_owned();
    let lang = Lang::from_query(query.get_str("lang"));
    let csv = territories_csv(&rows, s, lang);
    let file = format!(
        "sentinela_territorios_{}.csv",
        first
            .occupancy_date
            .or(first.cases_date)
            .map(|d| d.to_string())
            .unwrap_or_default()
    );
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
                            <th scope="col" class="wide-only">{s.srag_territory_trend}</th>
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
                                let chosen = query.get_str("territory") == Some(row.territory.slug.as_str());
                                view! {
                                    <tr data-territory=row.territory.slug.clone() class:chosen=chosen aria-current=chosen.then_some("true")>
                                        <th scope="row"><a href=link>{row.territory.name}</a></th>
                                        <td class="num wide-only">{row.population.map_or_else(dash, |p| n.number(p as f64, 0))}</td>
                                        <td class="num">{row.cases_per_100k_7d.map_or_else(dash, |c| n.number(c, 1))}</td>
                                        <td class="num">{row.icu_rate.map_or_else(dash, |r| n.percent(r))}</td>
                                        <td class="num">{row.icu_change_7d.map_or_else(dash, |p| n.points(p))}</td>
                                        <td class="num wide-only">{row.icu_beds.map_or_else(dash, |b| n.number(b as f64, 0))}</td>
                                        <td class="wide-only" data-trend=row.srag_trend.as_ref().map(|t| t.short_class.code())>
                                            {row.srag_trend.as_ref().map_or_else(dash, |t| trend_text(t, s))}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <a class="csv-link" href=csv download=file>{s.chart_csv}</a>
            <p class="covered">{s.territories_help}</p>
        </section>
    })
}

/// A trend as the table tells it: its class and probability of increase.
fn trend_text(trend: &SragTrend, s: &Strings) -> String {
    format!(
        "{} ({} {})",
        s.trend(trend.short_class),
        s.trends_p_increase_short,
        s.numbers.percent(trend.short_p_increase)
    )
}

/// The table as a CSV `data:` URL, every column, in its reader's
/// spreadsheet dialect: rates in %, the change in percentage points, one
/// decimal as on the page.
fn territories_csv(rows: &[TerritoryHeadline], s: &Strings, lang: Lang) -> String {
    let mut table = Table::new(Dialect::for_reader(lang));
    table.record([
        "slug".to_owned(),
        s.territory_word.to_owned(),
        s.population_word.to_owned(),
        s.cases_per_100k_7d.to_owned(),
        format!("{} (%)", s.icu_occupancy),
        format!("{} ({})", s.change_7d, s.numbers.points_unit()),
        s.icu_beds.to_owned(),
        s.srag_territory_trend.to_owned(),
        format!("{} (%)", s.trends_p_increase),
    ]);
    let dialect = table.dialect();
    let cell = |value: Option<f64>| value.map_or_else(String::new, |v| dialect.fixed(v, 1));
    let count = |value: Option<i64>| value.map_or_else(String::new, |v| v.to_string());
    for row in rows {
        table.record([
            row.territory.slug.clone(),
            row.territory.name.clone(),
            count(row.population),
            cell(row.cases_per_100k_7d),
            cell(row.icu_rate.map(|r| r * 100.0)),
            cell(row.icu_change_7d),
            count(row.icu_beds),
            row.srag_trend
                .as_ref()
                .map_or_else(String::new, |t| s.trend(t.short_class).to_owned()),
            cell(row.srag_trend.as_ref().map(|t| t.short_p_increase * 100.0)),
        ]);
    }
    table.data_url()
}
