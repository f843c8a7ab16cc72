//! A state's page (`/uf/SP`): daily cases and deaths with their 7-day mean,
//! bed occupancy per bed class and scope, weekly SRAG hospitalisations
//! confirmed and suspected, each chart with its data table and a CSV of
//! exactly that table; then the state's cities ranked. The period lives in
//! the URL (`?period=30` or `?from=…&to=…`), so a link reproduces the view.

use leptos::prelude::*;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};

use super::frame::Frame;
use crate::{
    format::{date_br, number_br, percent_br},
    i18n::{Lang, use_lang},
    indicators::RankingEntry,
    state_view::{Chart, Period, StateView, get_state_view},
    url::{encode, query_with},
};

/// The period and the per-100k switch of a page, from its URL.
pub(super) fn view_filters(query: Memo<ParamsMap>) -> (Memo<Period>, Memo<bool>) {
    let period = Memo::new(move |_| {
        let q = query.read();
        Period::from_query(q.get_str("period"), q.get_str("from"), q.get_str("to"))
    });
    let per_100k = Memo::new(move |_| query.read().get_str("per100k") == Some("1"));
    (period, per_100k)
}

/// The state page.
#[component]
pub fn StatePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let uf = Memo::new(move |_| {
        params
            .read()
            .get("uf")
            .unwrap_or_default()
            .to_ascii_uppercase()
    });
    let (period, per_100k) = view_filters(query);
    let view_data = Resource::new(
        move || (uf.get(), period.get(), lang.get(), per_100k.get()),
        |(uf, period, lang, per_100k)| get_state_view(uf, period, lang.code().to_owned(), per_100k),
    );
    view! {
        <Frame>
            <Transition fallback=move || view! { <p>{lang.get().strings().loading}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => view! { <StateContent data period per_100k lang /> }.into_any(),
                        Err(_) => view! {
                            <h1>{move || uf.get()}</h1>
                            <p class="notice notice-error" role="alert">
                                {move || lang.get().strings().state_unavailable}
                            </p>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
        </Frame>
    }
}

#[component]
fn StateContent(
    data: StateView,
    period: Memo<Period>,
    per_100k: Memo<bool>,
    lang: Memo<Lang>,
) -> impl IntoView {
    let s = move || lang.get().strings();
    let StateView {
        uf,
        name,
        charts,
        city_map,
        cities,
    } = data;
    let query = use_query_map();
    let overview_href = move || {
        let kept = query.with(|q| query_with(q, &[("period", None), ("from", None), ("to", None)]));
        format!("/{kept}")
    };
    let charts = charts
        .into_iter()
        .map(|chart| view! { <ChartPanel chart place=uf.clone() lang /> })
        .collect_view()
        .into_any();
    view! {
        <p class="breadcrumb"><a href=overview_href>{move || s().overview}</a></p>
        <h1>{format!("{name} ({uf})")}</h1>
        <PeriodPicker period lang />
        <Per100kToggle per_100k lang />
        <div class="charts">{charts}</div>
        // Drawn on the server whole (heading and legend included): the
        // WASM only carries the string.
        <div inner_html=city_map></div>
        <CityTable rows=cities lang />
    }
}

/// Period presets as links, and a custom range as a GET form: both change
/// the URL, so back and forward work and the view can be shared.
#[component]
pub(super) fn PeriodPicker(period: Memo<Period>, lang: Memo<Lang>) -> impl IntoView {
    let s = move || lang.get().strings();
    let query = use_query_map();
    let preset_href = move |days: u32| {
        let days = days.to_string();
        query.with(|q| query_with(q, &[("from", None), ("to", None), ("period", Some(&days))]))
    };
    let kept_filters = move || {
        query.with(|q| {
            q.latest_values()
                .filter(|(key, _)| !matches!(key.as_ref(), "from" | "to" | "period"))
                .map(|(key, value)| (key.to_string(), value.to_owned()))
                .collect::<Vec<_>>()
        })
    };
    let (from, to) = match period.get_untracked() {
        Period::Between(from, to) => (from.to_string(), to.to_string()),
        Period::Last(_) => (String::new(), String::new()),
    };
    view! {
        <nav class="period" aria-label=move || s().period>
            <span class="period-label">{move || s().period}</span>
            <div class="segmented">
                {Period::PRESETS
                    .into_iter()
                    .map(|days| {
                        let active = move || period.get() == Period::Last(days);
                        view! {
                            <a href=move || preset_href(days) class:active=active aria-current=move || active().then_some("page")>
                                {days} " " {move || s().days}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
            <Form method="GET" action="">
                // The other filters (language, per 100k, embed link) ride along.
                {move || {
                    kept_filters()
                        .into_iter()
                        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                        .collect_view()
                }}
                <label>{move || s().from_label} " " <input type="date" name="from" value=from required /></label>
                <label>{move || s().to_label} " " <input type="date" name="to" value=to required /></label>
                <button type="submit">{move || s().apply}</button>
            </Form>
        </nav>
    }
}

/// Switches cases and deaths between counts and per 100,000 inhabitants,
/// in the URL.
#[component]
pub(super) fn Per100kToggle(per_100k: Memo<bool>, lang: Memo<Lang>) -> impl IntoView {
    let query = use_query_map();
    let href = move || {
        let next = (!per_100k.get()).then_some("1");
        query.with(|q| query_with(q, &[("per100k", next)]))
    };
    view! {
        <p class="toggle">
            <a href=href role="switch" aria-checked=move || per_100k.get().to_string()>
                <span class="toggle-box" class:on=move || per_100k.get()></span>
                {move || lang.get().strings().per_100k_toggle}
            </a>
        </p>
    }
}

/// One chart, the table behind it and its CSV.
#[component]
pub(super) fn ChartPanel(chart: Chart, place: String, lang: Memo<Lang>) -> impl IntoView {
    let s = move || lang.get().strings();
    let Chart {
        id,
        title,
        svg,
        percent,
        columns,
        rows,
    } = chart;
    let show = move |v: Option<f64>| match v {
        Some(v) if percent => percent_br(v),
        Some(v) => number_br(v, 1),
        None => "—".to_owned(),
    };
    let csv = csv_data_url(&columns, &rows, lang.get_untracked());
    let file = format!("sentinela_{place}_{id}.csv");
    let empty = svg.is_empty();
    let covered = match (rows.first(), rows.last()) {
        (Some((first, _)), Some((last, _))) => Some((date_br(*first), date_br(*last))),
        _ => None,
    };
    let covered = move || {
        covered
            .clone()
            .map(|(first, last)| format!("{} {first} – {last}", s().data_from))
    };
    view! {
        <section class="chart-panel" data-chart=id.clone()>
            <h2>{title}</h2>
            <p class="covered">{covered}</p>
            {if empty {
                view! { <p class="notice">{move || s().chart_empty}</p> }.into_any()
            } else {
                view! { <div class="chart" role="img" aria-label=title_of(&columns) inner_html=svg></div> }.into_any()
            }}
            <details>
                <summary>{move || s().chart_table}</summary>
                <div class="table-scroll" tabindex="0">
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || s().date}</th>
                                {columns.iter().map(|c| view! { <th scope="col" class="num">{c.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|(date, values)| view! {
                                    <tr>
                                        <th scope="row">{date_br(date)}</th>
                                        {values.into_iter().map(|v| view! { <td class="num">{show(v)}</td> }).collect_view()}
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
            <a class="csv-link" href=csv download=file>{move || s().chart_csv}</a>
        </section>
    }
}

fn title_of(columns: &[String]) -> String {
    columns.join(", ")
}

/// The table as a CSV `data:` URL: ISO dates; in Portuguese the Brazilian
/// Excel dialect (semicolons, decimal commas), in English RFC 4180.
fn csv_data_url(
    columns: &[String],
    rows: &[(chrono::NaiveDate, Vec<Option<f64>>)],
    lang: Lang,
) -> String {
    let (separator, comma) = match lang {
        Lang::Pt => (";", true),
        Lang::En => (",", false),
    };
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut text = String::from("date");
    for column in columns {
        text.push_str(separator);
        text.push_str(&quote(column));
    }
    text.push_str("\r\n");
    for (date, values) in rows {
        text.push_str(&date.to_string());
        for value in values {
            text.push_str(separator);
            if let Some(v) = value {
                let number = v.to_string();
                text.push_str(&if comma {
                    number.replace('.', ",")
                } else {
                    number
                });
            }
        }
        text.push_str("\r\n");
    }
    format!("data:text/csv;charset=utf-8,{}", encode(&text))
}

/// The state's cities ranked by cases per 100k.
#[component]
fn CityTable(rows: Vec<RankingEntry>, lang: Memo<Lang>) -> impl IntoView {
    let s = move || lang.get().strings();
    let kept = use_query_map().with_untracked(|q| query_with(q, &[]));
    view! {
        <section class="ranking">
            <h2>{move || s().state_cities}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || s().rank}</th>
                            <th scope="col">{move || s().place}</th>
                            <th scope="col" class="num">{move || s().per_100k}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .enumerate()
                            .map(|(i, r)| view! {
                                <tr data-city=r.city_ibge.clone().unwrap_or_default()>
                                    <td class="num">{i + 1}</td>
                                    <th scope="row">
                                        <a href=format!("/municipio/{}{}", r.city_ibge.clone().unwrap_or_default(), kept)>{r.name}</a>
                                    </th>
                                    <td class="num">{number_br(r.value, 1)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_downloads_hold_the_table_in_the_reader_s_dialect() {
        let rows = vec![("2021-03-01".parse().unwrap(), vec![Some(0.5), None])];
        let columns = vec!["UTI".to_owned(), "Clínicos".to_owned()];
        let pt = csv_data_url(&columns, &rows, Lang::Pt);
        assert!(pt.starts_with(
            "data:text/csv;charset=utf-8,date%3B%22UTI%22%3B%22Cl%C3%ADnicos%22%0D%0A"
        ));
        assert!(pt.ends_with("2021-03-01%3B0%2C5%3B%0D%0A"), "{pt}");
        assert!(csv_data_url(&columns, &rows, Lang::En).ends_with("2021-03-01%2C0.5%2C%0D%0A"));
    }
}
