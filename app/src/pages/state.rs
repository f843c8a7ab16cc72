//! A state's page (`/uf/SP`): daily cases and deaths with their 7-day mean,
//! bed occupancy per bed class and scope, weekly SRAG hospitalisations
//! confirmed and suspected, and their estimate once every notification is
//! in (the nowcast, with the two weeks ahead), each chart with its data
//! table and a CSV of exactly that table; then the state's cities ranked. The period and the
//! bed types live in the URL (`?period=30` or `?from=…&to=…`,
//! `bed_class=icu`, `scope=covid`), so a link reproduces the view.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    backend::unavailable,
    catalog::vocabulary::{BedClass, Scope, SragMeasure},
    csv::{Dialect, Table},
    dashboard::min_population,
    format::date_br,
    i18n::{Lang, Strings},
    indicators::RankingEntry,
    page_error::PageError,
    pages::overview::MinPopulationPicker,
    state_view::{BedFilter, Chart, Period},
    url::query_with,
};

/// The language, the period and the per-100k switch of a page, from its URL.
pub(super) fn filters(query: &ParamsMap) -> (Lang, Period, bool) {
    let period = Period::from_query(
        query.get_str("period"),
        query.get_str("from"),
        query.get_str("to"),
    );
    let per_100k = query.get_str("per100k") == Some("1");
    (Lang::from_query(query.get_str("lang")), period, per_100k)
}

/// The page of the state `uf` for the URL's `query`.
pub async fn html(uf: &str, query: &ParamsMap) -> Result<String, PageError> {
    let uf = uf.to_ascii_uppercase();
    let place =
        crate::catalog::vocabulary::Uf::parse(&uf).ok_or_else(|| PageError::NotFound.answered())?;
    let name = place.name();
    let (lang, period, per_100k) = filters(query);
    let backend = crate::backend::current()?;
    let mut series = backend
        .state_series(place, period)
        .await
        .map_err(unavailable)?;
    // A territory holding only some of the state's cities keeps its lists
    // to them; one holding it whole, or none of it, changes nothing.
    let partial = super::territories::chosen(query, backend.territories())
        .filter(|t| !t.states.contains(&place) && t.touched_states().contains(&place));
    if let Some(territory) = partial {
        series
            .every_city
            .retain(|c| territory.covers(place, c.city_ibge.as_deref()));
    }
    let nowcast = crate::backend::current()?
        .nowcast(place, SragMeasure::Srag)
        .await
        .map_err(unavailable)?;
    let beds = BedFilter::from_query(query.get_str("bed_class"), query.get_str("scope"));
    let mut charts = crate::charts::state_charts(&uf, &series, lang, per_100k, beds);
    // The estimate follows the reported SRAG chart it completes.
    if let Some(chart) = crate::nowcast_chart::nowcast_chart(&nowcast, lang) {
        let at = charts
            .iter()
            .position(|c| c.id == "srag")
            .map_or(charts.len(), |i| i + 1);
        charts.insert(at, chart);
    }
    // Drawn on the server whole (heading and legend included).
    let kept = query_with(query, &[]);
    let city_map = crate::city_map::city_map(&uf, &series, lang, &kept);
    let hospitals = super::hospitals::top_ten(place, partial, query).await?;
    let min_population = min_population(query.get_str("min_pop"));
    let listed = at_least(&series.every_city, min_population);
    let s = lang.strings();
    let overview_href = format!(
        "/{}",
        query_with(query, &[("period", None), ("from", None), ("to", None)])
    );
    Ok(view! {
        <p class="breadcrumb"><a href=overview_href>{s.overview}</a></p>
        <h1>{format!("{name} ({uf})")}</h1>
        {partial.map(|t| view! { <p class="covered territory-note">{format!("{}: {} · {}", s.territory_word, t.name, s.territory_cities_only)}</p> })}
        <PeriodPicker period s query=query.clone() />
        <Per100kToggle per_100k s query=query.clone() />
        <BedPicker beds s query=query.clone() />
        <div class="charts">
            {charts.into_iter().map(|chart| view! { <ChartPanel chart place=uf.clone() lang /> }).collect_view()}
        </div>
        <div inner_html=city_map></div>
        <MinPopulationPicker chosen=min_population s query=query.clone() />
        <CityTable rows=listed uf=uf.clone() min_population s lang kept />
        <div inner_html=hospitals></div>
    }
    .to_html())
}

/// Period presets as links, and a custom range as a GET form: both change
/// the URL, so back and forward work and the view can be shared.
#[component]
pub(super) fn PeriodPicker(period: Period, s: &'static Strings, query: ParamsMap) -> impl IntoView {
    let (from, to) = match period {
        Period::Between(from, to) => (from.to_string(), to.to_string()),
        Period::Last(_) => (String::new(), String::new()),
    };
    // The other filters (language, per 100k, embed link) ride along.
    let kept: Vec<(String, String)> = query
        .latest_values()
        .filter(|(key, _)| !matches!(key.as_ref(), "from" | "to" | "period"))
        .map(|(key, value)| (key.to_string(), value.to_owned()))
        .collect();
    let refused = Period::refused(
        query.get_str("period"),
        query.get_str("from"),
        query.get_str("to"),
    );
    view! {
        {refused.then(|| view! { <p class="notice" role="status">{s.period_refused}</p> })}
        <nav class="period" aria-label=s.period>
            <span class="period-label">{s.period}</span>
            <div class="segmented">
                {Period::PRESETS
                    .into_iter()
                    .map(|days| {
                        let active = period == Period::Last(days);
                        let href = query_with(&query, &[("from", None), ("to", None), ("period", Some(&days.to_string()))]);
                        view! {
                            <a href=href class:active=active aria-current=active.then_some("page")>
                                {days} " " {s.days}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
            <form method="get">
                {kept
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <label>{s.from_label} " " <input type="date" name="from" value=from required /></label>
                <label>{s.to_label} " " <input type="date" name="to" value=to required /></label>
                <button type="submit">{s.apply}</button>
            </form>
        </nav>
    }
}

/// Switches cases and deaths between counts and per 100,000 inhabitants,
/// in the URL.
#[component]
pub(super) fn Per100kToggle(
    per_100k: bool,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    let href = query_with(&query, &[("per100k", (!per_100k).then_some("1"))]);
    view! {
        <p class="toggle">
            <a href=href role="switch" aria-checked=per_100k.to_string()>
                <span class="toggle-box" class:on=per_100k></span>
                {s.per_100k_toggle}
            </a>
        </p>
    }
}

/// Which bed classes and scopes the occupancy chart shows, as links that
/// set `bed_class` and `scope` in the URL (absent: both).
#[component]
fn BedPicker(beds: BedFilter, s: &'static Strings, query: ParamsMap) -> impl IntoView {
    let groups = [
        (
            "bed_class",
            s.bed_class,
            beds.class.map(BedClass::code),
            [
                (None, s.both),
                (Some(BedClass::Icu.code()), s.icu),
                (Some(BedClass::Clinical.code()), s.clinical),
            ],
        ),
        (
            "scope",
            s.bed_scope,
            beds.scope.map(Scope::code),
            [
                (None, s.both),
                (Some(Scope::All.code()), s.all_beds),
                (Some(Scope::Covid.code()), s.covid_beds),
            ],
        ),
    ];
    view! {
        <nav class="beds" aria-label=s.chart_occupancy>
            {groups
                .into_iter()
                .map(|(key, label, chosen, options)| view! {
                    <span class="period-label">{label}</span>
                    <div class="segmented" data-filter=key>
                        {options
                            .into_iter()
                            .map(|(value, text)| {
                                let active = chosen == value;
                                view! {
                                    <a href=query_with(&query, &[(key, value)])
                                        class:active=active aria-current=active.then_some("page")>
                                        {text}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </div>
                })
                .collect_view()}
        </nav>
    }
}

/// One chart, the table behind it and its CSV.
#[component]
pub(super) fn ChartPanel(chart: Chart, place: String, lang: Lang) -> impl IntoView {
    let s = lang.strings();
    let Chart {
        id,
        title,
        svg,
        percent,
        columns,
        rows,
        note,
        doc,
        forecast_from,
    } = chart;
    let show = move |v: Option<f64>| match v {
        Some(v) if percent => s.numbers.percent(v),
        Some(v) => s.numbers.number(v, 1),
        None => "—".to_owned(),
    };
    let csv = csv_data_url(&columns, &rows, lang, percent);
    // The place, the chart and the days it covers.
    let file = match (rows.first(), rows.last()) {
        (Some((first, _)), Some((last, _))) => format!("sentinela_{place}_{id}_{first}_{last}.csv"),
        _ => format!("sentinela_{place}_{id}.csv"),
    };
    // The data's dates: the rows before any forecast.
    let data = rows
        .iter()
        .filter(|(date, _)| forecast_from.is_none_or(|f| *date < f));
    let covered = match (data.clone().next(), data.clone().next_back()) {
        (Some((first, _)), Some((last, _))) => Some(format!(
            "{} {} – {}",
            s.data_from,
            date_br(*first),
            date_br(*last)
        )),
        _ => None,
    };
    view! {
        <section class="chart-panel" data-chart=id.clone()>
            <h2>{title}</h2>
            <p class="covered">{covered}</p>
            {note.map(|note| view! {
                <p class="chart-note">
                    {note}
                    {doc.map(|href| view! { " " <a href=href>{s.trends_method}</a> })}
                </p>
            })}
            {if svg.is_empty() {
                view! { <p class="notice">{s.chart_empty}</p> }.into_any()
            } else {
                view! { <div class="chart" role="img" aria-label=title_of(&columns) inner_html=svg></div> }.into_any()
            }}
            <details>
                <summary>{s.chart_table}</summary>
                <div class="table-scroll" tabindex="0">
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{s.date}</th>
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
            <a class="csv-link" href=csv download=file>{s.chart_csv}</a>
        </section>
    }
}

fn title_of(columns: &[String]) -> String {
    columns.join(", ")
}

/// The table as a CSV `data:` URL, as the page shows it: headers in the
/// page's language, rates in percent, values rounded to one decimal as on
/// the page, ISO dates; in the dialect its reader's spreadsheet opens (the
/// Brazilian Excel's in Portuguese).
fn csv_data_url(
    columns: &[String],
    rows: &[(chrono::NaiveDate, Vec<Option<f64>>)],
    lang: Lang,
    percent: bool,
) -> String {
    let s = lang.strings();
    let mut table = Table::new(Dialect::for_reader(lang));
    let headers = columns.iter().map(|column| match percent {
        true => format!("{column} (%)"),
        false => column.clone(),
    });
    table.record(std::iter::once(s.date.to_owned()).chain(headers));
    let scale = if percent { 100.0 } else { 1.0 };
    for (date, values) in rows {
        let dialect = table.dialect();
        let cells = values
            .iter()
            .map(|value| value.map_or_else(String::new, |v| dialect.fixed(v * scale, 1)));
        table.record(std::iter::once(date.to_string()).chain(cells));
    }
    table.data_url()
}

/// The state's cities of `min_population` inhabitants or more, ranked by
/// cases per 100k: their position among them (the rank a city's own page
/// gives), population, dated, the rule stated, with their download;
/// `kept` is the query their links keep.
#[component]
fn CityTable(
    rows: Vec<RankingEntry>,
    uf: String,
    min_population: i64,
    s: &'static Strings,
    lang: Lang,
    kept: String,
) -> impl IntoView {
    let as_of = rows.first().map(|r| r.period_end);
    let csv = super::overview::ranking_csv(&rows, s, lang);
    let file = format!(
        "sentinela_{uf}_municipios_{}_{}.csv",
        min_population,
        as_of.map(|d| d.to_string()).unwrap_or_default()
    );
    let n = s.numbers;
    let title = format!(
        "{} ({} {})",
        s.state_cities,
        n.number(min_population as f64, 0),
        s.inhabitants_or_more
    );
    view! {
        <section class="ranking state-cities">
            <h2>{title}</h2>
            {as_of.map(|d| view! { <p class="covered">{format!("{} {} · {}", s.data_as_of, date_br(d), s.rank_rule)}</p> })}
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">{s.rank}</th>
                            <th scope="col">{s.place}</th>
                            <th scope="col" class="num">{s.per_100k}</th>
                            <th scope="col" class="num wide-only">{s.population_word}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .enumerate()
                            .map(|(i, r)| {
                                let code = r.city_ibge.unwrap_or_default();
                                view! {
                                    <tr data-city=code.clone()>
                                        <td class="num">{i + 1}</td>
                                        <th scope="row">
                                            <a href=format!("/municipio/{code}{kept}")>{r.name}</a>
                                        </th>
                                        <td class="num">{n.number(r.value, 1)}</td>
                                        <td class="num wide-only">{n.number(r.population as f64, 0)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <a class="csv-link" href=csv download=file>{s.chart_csv}</a>
        </section>
    }
}

/// The cities of `ranking` with `min_population` inhabitants or more, in
/// its order.
pub(super) fn at_least(ranking: &[RankingEntry], min_population: i64) -> Vec<RankingEntry> {
    ranking
        .iter()
        .filter(|city| city.population >= min_population)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_downloads_hold_the_table_as_the_page_shows_it() {
        let rows = vec![("2021-03-01".parse().unwrap(), vec![Some(0.8567), None])];
        let columns = vec!["UTI".to_owned(), "Clínicos".to_owned()];
        let pt = csv_data_url(&columns, &rows, Lang::Pt, true);
        assert!(
            pt.starts_with(
                "data:text/csv;charset=utf-8,%EF%BB%BFData%3BUTI%20%28%25%29%3BCl%C3%ADnicos%20%28%25%29%0D%0A"
            ),
            "{pt}"
        );
        assert!(pt.ends_with("2021-03-01%3B85%2C7%3B%0D%0A"), "{pt}");
        let counts = vec![("2021-03-01".parse().unwrap(), vec![Some(7335.285714285715)])];
        let en = csv_data_url(&["Cases".to_owned()], &counts, Lang::En, false);
        assert!(
            en.starts_with("data:text/csv;charset=utf-8,Date%2CCases%0D%0A"),
            "{en}"
        );
        assert!(en.ends_with("2021-03-01%2C7335.3%0D%0A"), "{en}");
    }
}
