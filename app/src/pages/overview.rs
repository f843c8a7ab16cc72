//! Visão geral: the landing page. The country's headline figures against
//! the week before, a map of the states coloured by the chosen indicator,
//! the table of every state, the rankings (cities above a minimum
//! population chosen in the URL, `min_pop`), the sales territories' headline
//! figures and where SRAG hospitalisations are rising by the nowcast's
//! trends. A sales territory chosen in the URL (`territory`) keeps the map,
//! the states, the trends and the rankings to its places; before any data
//! is ingested it says so plainly. Every source's state follows, so a reader knows how current
//! the figures are.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    backend::unavailable,
    catalog::{
        territory::Territory,
        vocabulary::{SragMeasure, TrendClass, Uf},
    },
    components::map::StateMap,
    csv::{Dialect, Table},
    dashboard::{Change, MIN_POPULATIONS, MapMetric, Overview as OverviewData, min_population},
    format::{date_br, datetime_br},
    i18n::{Lang, Strings},
    indicators::{RankingEntry, SragTrend},
    page_error::PageError,
    pages::territories::{TerritoryTable, chosen},
    state_board::{self, Column, MIN_WEEK_BASE, SILENT_DAYS, StateStanding},
    status::{DataStatus, Failure, SourceState, SourceStatus},
    territory_view::TerritoryHeadline,
    url::{query_with, state_query},
};

/// The overview's content for the URL's `query`: the figures once there
/// are data, then the sources.
pub async fn html(query: &ParamsMap) -> Result<String, PageError> {
    let lang = Lang::from_query(query.get_str("lang"));
    let backend = crate::backend::current()?;
    let status = backend.data_status().await.map_err(unavailable)?;
    let territories = backend.territories().to_vec();
    let territory = chosen(query, &territories).cloned();
    let indicators = match status.has_data() {
        true => {
            let metric = MapMetric::from_code(query.get_str("metric"));
            let min_population = min_population(query.get_str("min_pop"));
            let overview = backend
                .overview(metric, min_population, territory.as_ref())
                .await
                .map_err(unavailable)?;
            let mut trends = backend
                .trends(SragMeasure::Srag)
                .await
                .map_err(unavailable)?;
            if let Some(territory) = &territory {
                let touched = territory.touched_states();
                trends.retain(|t| Uf::parse(&t.uf).is_some_and(|uf| touched.contains(&uf)));
            }
            let headlines = backend.territory_headlines().await.map_err(unavailable)?;
            Some((overview, trends, headlines))
        }
        false => None,
    };
    let s = lang.strings();
    Ok(view! {
        <h1>{s.overview}</h1>
        <p class="breadcrumb"><a href=format!("/hospitais{}", state_query(query))>{s.hospitals_link}</a></p>
        {indicators.map(|(data, trends, headlines)| view! {
            <TerritoryPicker territories chosen=territory.as_ref().map(|t| t.slug.clone()) s query=query.clone() />
            <TerritoryKpis headline=territory.as_ref().and_then(|t| headlines.iter().find(|h| h.territory.slug == t.slug).cloned()) s />
            <Indicators data trends_as_of=trends.first().map(|t| t.vintage) s query=query.clone() />
            <TerritoryTable rows=headlines s query=query.clone() />
            <RisingHospitalisations trends s query=query.clone() />
        })}
        <SourcesPanel status s />
    }
    .to_html())
}

/// The figures: freshness, headline cards, map and rankings.
#[component]
fn Indicators(
    data: OverviewData,
    /// The SIVEP edition of the trends.
    trends_as_of: Option<chrono::NaiveDate>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    let OverviewData {
        cases_as_of,
        occupancy_as_of,
        srag_period,
        headline,
        metric,
        map_view_box,
        map,
        cities,
        cities_least,
        min_population,
        mut states,
    } = data;
    let map_as_of = match metric {
        MapMetric::SragTrend => trends_as_of,
        _ if metric.is_rate() => occupancy_as_of,
        _ => cases_as_of,
    };
    let column = Column::chosen(query.get_str("ordem"), metric);
    state_board::sort(&mut states, column);
    let as_of = |date: Option<chrono::NaiveDate>| {
        date.map(|d| format!("{} {}", s.data_as_of, date_br(d)))
            .unwrap_or_default()
    };
    let srag_note = srag_period
        .map(|(from, to)| format!("{} – {} ({})", date_br(from), date_br(to), s.complete_weeks))
        .unwrap_or_default();
    let count = |c: Option<Change>| c.map(|c| s.numbers.number(c.value, 0));
    let rate = |c: Option<Change>| c.map(|c| s.numbers.percent(c.value));
    // Counts change relative to the week before; rates in percentage points.
    let relative = |c: Option<Change>| {
        c.and_then(Change::relative)
            .map(|r| Shift::new(r, s.numbers.change(r)))
    };
    let points = |c: Option<Change>| {
        c.and_then(Change::points)
            .map(|p| Shift::new(p, s.numbers.points(p)))
    };
    let coverage = format!(
        "{} {} · {} {}",
        s.numbers.number(headline.hospitals as f64, 0),
        s.hospitals_reporting,
        s.numbers.number(headline.stale as f64, 0),
        s.stale_hospitals
    );
    let death_rates = match (headline.death_rate_confirmed, headline.death_rate_suspected) {
        (Some(c), Some(u)) => Some(format!(
            "{} / {}",
            s.numbers.percent(c),
            s.numbers.percent(u)
        )),
        _ => None,
    };
    let state_query = state_query(&query);
    let lang = Lang::from_query(query.get_str("lang"));
    let at_least = format!(
        "({} {})",
        s.numbers.number(min_population as f64, 0),
        s.inhabitants_or_more
    );
    view! {
        <section class="kpis" aria-label=s.overview>
            <Kpi label=s.cases_week value=count(headline.cases_week) change=relative(headline.cases_week) note=as_of(cases_as_of) s />
            <Kpi label=s.deaths_week value=count(headline.deaths_week) change=relative(headline.deaths_week) note=as_of(cases_as_of) s />
            <Kpi label=s.icu_rate value=rate(headline.icu_rate) change=points(headline.icu_rate) note=format!("{} · {coverage}", as_of(occupancy_as_of)) s />
            <Kpi label=s.clinical_rate value=rate(headline.clinical_rate) change=points(headline.clinical_rate) note=as_of(occupancy_as_of) s />
            <Kpi label=s.confirmed_share value=headline.confirmed_share.map(|r| s.numbers.percent(r)) change=None note=srag_note.clone() s />
            <Kpi label=s.death_rates value=death_rates change=None note=srag_note s />
        </section>
        <StateMap metric as_of=map_as_of view_box=map_view_box areas=map s query=query.clone() />
        <StateBoard rows=states column occupancy_as_of cases_as_of s query=query.clone() />
        <MinPopulationPicker chosen=min_population s query />
        <div class="rankings">
            <RankingTable title=format!("{} {at_least}", s.cities_most) file="municipios_mais_afetados" rows=cities s lang state_query=state_query.clone() />
            <RankingTable title=format!("{} {at_least}", s.cities_least) file="municipios_menos_afetados" rows=cities_least s lang state_query />
        </div>
    }
}

/// Every state in one table, sorted by the column the URL names (each
/// heading a link that sorts by it, so the view can be shared), each state
/// linked to its page.
#[component]
fn StateBoard(
    rows: Vec<StateStanding>,
    column: Column,
    occupancy_as_of: Option<chrono::NaiveDate>,
    cases_as_of: Option<chrono::NaiveDate>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    let n = s.numbers;
    let state_query = state_query(&query);
    let lang = Lang::from_query(query.get_str("lang"));
    let heading = move |label: &'static str, by: Column, class: &'static str| {
        let href = query_with(&query, &[("ordem", Some(by.code()))]);
        let sorted = by == column;
        let order = match (sorted, by) {
            (false, _) => "none",
            (true, Column::Name) => "ascending",
            (true, _) => "descending",
        };
        view! {
            <th scope="col" class=class aria-sort=order>
                <a href=href class:active=sorted>{label}</a>
            </th>
        }
    };
    // A change with its direction: ▲ up, ▼ down.
    // The arrow gives way on a phone: the sign says the same.
    let shift = move |change: Option<f64>, text: String| {
        let arrow = match change {
            Some(c) if c > 0.0 => "▲ ",
            Some(c) if c < 0.0 => "▼ ",
            _ => "",
        };
        let text = if change.is_some() {
            text
        } else {
            "—".to_owned()
        };
        view! { <span class="arrow">{arrow}</span>{text} }
    };
    let dates = [
        occupancy_as_of.map(|d| format!("{} {}", s.board_occupancy_of, date_br(d))),
        cases_as_of.map(|d| format!("{} {}", s.board_cases_to, date_br(d))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let csv = board_csv(&rows, s, lang);
    let [rule, cases, silent] = s.board_week_rule;
    let week_rule = format!(
        "{rule} {} {cases} {SILENT_DAYS} {silent}",
        n.number(MIN_WEEK_BASE as f64, 0)
    );
    let file = format!(
        "sentinela_states_{}.csv",
        occupancy_as_of
            .or(cases_as_of)
            .map(|d| d.to_string())
            .unwrap_or_default()
    );
    view! {
        <section class="state-board" aria-labelledby="board-title">
            <h2 id="board-title">{s.board_title}</h2>
            <p class="covered">{dates}</p>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            {heading(s.place, Column::Name, "")}
                            {heading(s.board_icu, Column::Icu, "num")}
                            {heading(s.board_icu_change, Column::IcuChange, "num")}
                            {heading(s.board_clinical, Column::Clinical, "num wide-only")}
                            {heading(s.board_clinical_change, Column::ClinicalChange, "num wide-only")}
                            {heading(s.board_hospitals, Column::Hospitals, "num wide-only")}
                            {heading(s.board_week, Column::Week, "num")}
                            {heading(s.board_week_change, Column::WeekChange, "num")}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                let rate = |c: Option<Change>| c.map_or_else(|| "—".to_owned(), |c| n.percent(c.value));
                                let points = |c: Option<Change>| {
                                    let p = c.and_then(Change::points);
                                    shift(p, p.map(|p| n.points(p)).unwrap_or_default())
                                };
                                let week_change = r.week.and_then(Change::relative);
                                view! {
                                    <tr data-uf=r.uf.clone()>
                                        <th scope="row">
                                            <a href=format!("/uf/{}{state_query}", r.uf) aria-label=r.name.clone()>
                                                <span class="wide-only">{r.name.clone()}</span>
                                                <span class="narrow-only" aria-hidden="true">{r.uf.clone()}</span>
                                            </a>
                                        </th>
                                        <td class="num">{rate(r.icu)}</td>
                                        <td class="num">{points(r.icu)}</td>
                                        <td class="num wide-only">{rate(r.clinical)}</td>
                                        <td class="num wide-only">{points(r.clinical)}</td>
                                        <td class="num wide-only">{r.hospitals.map_or_else(|| "—".to_owned(), |h| n.number(h as f64, 0))}</td>
                                        <td class="num">{r.week.map_or_else(|| "—".to_owned(), |c| n.number(c.value, 1))}</td>
                                        <td class="num">
                                            {match r.irregular {
                                                true => view! { <span class="irregular">{s.board_irregular}</span> }.into_any(),
                                                false => shift(week_change, week_change.map(|c| n.change(c)).unwrap_or_default()).into_any(),
                                            }}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <a class="csv-link" href=csv download=file>{s.chart_csv}</a>
            <p class="covered">{week_rule}</p>
        </section>
    }
}

/// The state table as a CSV `data:` URL, in the order shown and with every
/// column (those a phone hides too): rates in %, their changes in
/// percentage points, cases' change in %, one decimal as on the page, in
/// the dialect its reader's spreadsheet opens.
fn board_csv(rows: &[StateStanding], s: &Strings, lang: Lang) -> String {
    let mut table = Table::new(Dialect::for_reader(lang));
    let points = s.numbers.points_unit();
    table.record([
        "UF".to_owned(),
        s.place.to_owned(),
        format!("{} (%)", s.board_icu),
        format!("{} ({points})", s.board_icu_change),
        format!("{} (%)", s.board_clinical),
        format!("{} ({points})", s.board_clinical_change),
        s.board_hospitals.to_owned(),
        s.board_week.to_owned(),
        format!("{} (%)", s.board_week_change),
    ]);
    let dialect = table.dialect();
    let cell = |value: Option<f64>| value.map_or_else(String::new, |v| dialect.fixed(v, 1));
    let percent = |c: Option<Change>| cell(c.map(|c| c.value * 100.0));
    for r in rows {
        table.record([
            r.uf.clone(),
            r.name.clone(),
            percent(r.icu),
            cell(r.icu.and_then(Change::points)),
            percent(r.clinical),
            cell(r.clinical.and_then(Change::points)),
            r.hospitals.map_or_else(String::new, |h| h.to_string()),
            cell(r.week.map(|c| c.value)),
            match r.irregular {
                true => s.board_irregular.to_owned(),
                false => cell(r.week.and_then(Change::relative).map(|c| c * 100.0)),
            },
        ]);
    }
    table.data_url()
}

/// Onde as internações crescem: every state's SRAG hospitalisations trend
/// from the nowcast (the newest weeks completed for their reporting delay),
/// most likely rising first; nothing before the first nowcast.
#[component]
fn RisingHospitalisations(
    mut trends: Vec<SragTrend>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    trends.retain(|t| t.uf != Uf::COUNTRY);
    if trends.is_empty() {
        return None;
    }
    trends.sort_by(|a, b| {
        b.short_p_increase
            .total_cmp(&a.short_p_increase)
            .then_with(|| a.uf.cmp(&b.uf))
    });
    let n = s.numbers;
    let state_query = state_query(&query);
    let vintage = trends[0].vintage;
    let class = move |class: TrendClass| s.trend(class);
    let csv = trends_csv(&trends, s, Lang::from_query(query.get_str("lang")));
    let file = format!("sentinela_srag_tendencias_{vintage}.csv");
    Some(view! {
        <section class="trends" aria-labelledby="trends-title">
            <h2 id="trends-title">{s.trends_title}</h2>
            <p class="covered">
                {format!("{} {} · ", s.trends_vintage, date_br(vintage))}
                <a href=crate::url::NOWCAST_DOC>{s.trends_method}</a>
            </p>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{s.place}</th>
                            <th scope="col">{s.trends_short}</th>
                            <th scope="col" class="num">{s.trends_p_increase}</th>
                            <th scope="col" class="num">{s.trends_growth}</th>
                            <th scope="col" class="wide-only">{s.trends_long}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {trends
                            .into_iter()
                            .map(|t| {
                                let name = Uf::parse(&t.uf).map_or_else(|| t.uf.clone(), |uf| uf.name().to_owned());
                                let label = name.clone();
                                view! {
                                    <tr data-uf=t.uf.clone() data-trend=t.short_class.code()>
                                        <th scope="row">
                                            <a href=format!("/uf/{}{state_query}", t.uf) aria-label=label>
                                                <span class="wide-only">{name}</span>
                                                <span class="narrow-only" aria-hidden="true">{t.uf.clone()}</span>
                                            </a>
                                        </th>
                                        <td>{class(t.short_class)}</td>
                                        <td class="num">{n.percent(t.short_p_increase)}</td>
                                        <td class="num">{n.change(t.short_growth)}</td>
                                        <td class="wide-only">{class(t.long_class)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <a class="csv-link" href=csv download=file>{s.chart_csv}</a>
        </section>
    })
}

/// The trends as a CSV `data:` URL, in the order shown, every column (the
/// long trend a phone hides too): the probability and the weekly change in
/// %, one decimal.
fn trends_csv(trends: &[SragTrend], s: &Strings, lang: Lang) -> String {
    let mut table = Table::new(Dialect::for_reader(lang));
    table.record([
        "UF".to_owned(),
        s.place.to_owned(),
        s.trends_short.to_owned(),
        format!("{} (%)", s.trends_p_increase),
        format!("{} (%)", s.trends_growth),
        s.trends_long.to_owned(),
    ]);
    let dialect = table.dialect();
    for t in trends {
        table.record([
            t.uf.clone(),
            Uf::parse(&t.uf).map_or_else(|| t.uf.clone(), |uf| uf.name().to_owned()),
            s.trend(t.short_class).to_owned(),
            dialect.fixed(t.short_p_increase * 100.0, 1),
            dialect.fixed(t.short_growth * 100.0, 1),
            s.trend(t.long_class).to_owned(),
        ]);
    }
    table.data_url()
}

/// The city rankings' minimum population, as links that set `min_pop` in
/// the URL and keep the other filters.
#[component]
pub(super) fn MinPopulationPicker(
    chosen: i64,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    view! {
        <nav class="period" aria-label=s.min_population>
            <span class="period-label">{s.min_population}</span>
            <div class="segmented" data-filter="min_pop">
                {MIN_POPULATIONS
                    .into_iter()
                    .map(|n| {
                        let active = n == chosen;
                        let value = n.to_string();
                        view! {
                            <a href=query_with(&query, &[("min_pop", Some(&value))])
                                class:active=active aria-current=active.then_some("page")>
                                {s.numbers.number(n as f64, 0)}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </nav>
    }
}

/// The sales territories as links that filter the page (all of them
/// first), the chosen one marked, and what the filter keeps; nothing
/// without territories.
#[component]
fn TerritoryPicker(
    territories: Vec<Territory>,
    chosen: Option<String>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    if territories.is_empty() {
        return None;
    }
    let link = |slug: Option<&str>, name: &str| {
        let active = slug.map(str::to_owned) == chosen;
        view! {
            <a href=format!("/{}", query_with(&query, &[("territory", slug)]))
                class:active=active aria-current=active.then_some("page")>
                {name.to_owned()}
            </a>
        }
    };
    Some(view! {
        <nav class="period territory-picker" aria-label=s.territory_word>
            <span class="period-label">{s.territory_word}</span>
            <div class="segmented" data-filter="territory">
                {link(None, s.all_territories)}
                {territories.iter().map(|t| link(Some(&t.slug), &t.name)).collect_view()}
            </div>
            {chosen.is_some().then(|| view! { <p class="covered">{s.territory_scope}</p> })}
        </nav>
    })
}

/// The chosen territory's own headline as cards above the country's: cases
/// per 100k over 7 days, ICU occupancy and its change in p.p. with the beds
/// behind it, and its SRAG trend, each dated; nothing without a territory.
#[component]
fn TerritoryKpis(headline: Option<TerritoryHeadline>, s: &'static Strings) -> impl IntoView {
    let h = headline?;
    let n = s.numbers;
    // The table's date labels, each now opening its card's note.
    let dated = |label: &str, date: Option<chrono::NaiveDate>| {
        let mut label = label.chars();
        let first = label.next().map(|c| c.to_uppercase().collect::<String>());
        date.map(|d| {
            format!(
                "{}{} {}",
                first.unwrap_or_default(),
                label.as_str(),
                date_br(d)
            )
        })
        .unwrap_or_default()
    };
    let [cases_of, occupancy_of, sivep_of] = s.territories_dates;
    let beds = h
        .icu_beds
        .map(|b| format!(" · {}: {}", s.icu_beds, n.number(b as f64, 0)))
        .unwrap_or_default();
    let trend = h
        .srag_trend
        .as_ref()
        .map(|t| s.trend(t.short_class).to_owned());
    let p_rise = h
        .srag_trend
        .as_ref()
        .map(|t| {
            format!(
                " · {} {}",
                s.trends_p_increase_short,
                n.percent(t.short_p_increase)
            )
        })
        .unwrap_or_default();
    Some(view! {
        <section class="kpis territory-kpis" aria-labelledby="territory-kpis-title">
            <h2 id="territory-kpis-title" class="territory-kpis-title">{format!("{}: {}", s.territory_word, h.territory.name)}</h2>
            <Kpi label=s.cases_per_100k_7d value=h.cases_per_100k_7d.map(|c| n.number(c, 1)) change=None note=dated(cases_of, h.cases_date) s />
            <Kpi label=s.icu_occupancy value=h.icu_rate.map(|r| n.percent(r))
                change=h.icu_change_7d.map(|p| Shift::new(p, n.points(p)))
                note=format!("{}{beds}", dated(occupancy_of, h.occupancy_date)) s />
            <Kpi label=s.srag_territory_trend value=trend change=None note=format!("{}{p_rise}", dated(sivep_of, h.srag_vintage)) s />
        </section>
    })
}

/// A headline's change against the week before, as told.
#[derive(Clone)]
struct Shift {
    class: &'static str,
    text: String,
}

impl Shift {
    fn new(change: f64, text: String) -> Self {
        let class = match change {
            c if c > 0.0 => "kpi-change up",
            c if c < 0.0 => "kpi-change down",
            _ => "kpi-change",
        };
        Shift { class, text }
    }
}

/// A headline figure, its change against the week before and what it refers to.
#[component]
fn Kpi(
    label: &'static str,
    value: Option<String>,
    change: Option<Shift>,
    note: String,
    s: &'static Strings,
) -> impl IntoView {
    view! {
        <article class="kpi">
            <h2 class="kpi-label">{label}</h2>
            <p class="kpi-value">{value.unwrap_or_else(|| "—".to_owned())}</p>
            {change.map(|Shift { class, text }| view! {
                <p class=class>{text} " " {s.vs_last_week}</p>
            })}
            <p class="kpi-note">{note}</p>
        </article>
    }
}

/// The cities most or least affected, as a table: position in the list,
/// city (opening its own page), cases per 100k, and the date of the figures.
#[component]
fn RankingTable(
    title: String,
    /// What its download is named for, before the date.
    file: &'static str,
    rows: Vec<RankingEntry>,
    s: &'static Strings,
    lang: Lang,
    /// The query the cities' links keep.
    state_query: String,
) -> impl IntoView {
    let covered = rows
        .first()
        .map(|r| format!("{} {}", s.data_as_of, date_br(r.period_end)));
    let csv = ranking_csv(&rows, s, lang);
    let file = format!(
        "sentinela_{file}_{}.csv",
        rows.first()
            .map(|r| r.period_end.to_string())
            .unwrap_or_default()
    );
    view! {
        <section class="ranking">
            <h2>{title}</h2>
            {covered.map(|text| view! { <p class="covered">{text}</p> })}
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{s.rank}</th>
                            <th scope="col">{s.place}</th>
                            <th scope="col" class="num">{s.per_100k}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .enumerate()
                            .map(|(position, r)| {
                                let href = match &r.city_ibge {
                                    Some(code) => format!("/municipio/{code}{state_query}"),
                                    None => format!("/uf/{}{state_query}", r.uf),
                                };
                                view! {
                                    <tr data-uf=r.uf.clone()>
                                        <td class="num">{position + 1}</td>
                                        <th scope="row"><a href=href>{format!("{} ({})", r.name, r.uf)}</a></th>
                                        <td class="num">{s.numbers.number(r.value, 1)}</td>
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

/// A ranking as a CSV `data:` URL, in the order shown: its position, the
/// city's name, state and IBGE code, its figure with one decimal as on the
/// page, and its population.
pub(super) fn ranking_csv(rows: &[RankingEntry], s: &Strings, lang: Lang) -> String {
    let mut table = Table::new(Dialect::for_reader(lang));
    table.record([s.rank, s.place, "UF", "IBGE", s.per_100k, s.population_word]);
    let dialect = table.dialect();
    for (position, r) in rows.iter().enumerate() {
        table.record([
            (position + 1).to_string(),
            r.name.clone(),
            r.uf.clone(),
            r.city_ibge.clone().unwrap_or_default(),
            dialect.fixed(r.value, 1),
            r.population.to_string(),
        ]);
    }
    table.data_url()
}

/// The sources and their states, introduced by a notice when nothing has
/// been collected yet.
#[component]
pub(crate) fn SourcesPanel(status: DataStatus, s: &'static Strings) -> impl IntoView {
    let has_data = status.has_data();
    view! {
        <section class="sources" aria-labelledby="sources-title">
            {(!has_data).then(|| view! {
                <div class="notice" role="status">
                    <h2>{s.no_data_title}</h2>
                    <p>{s.no_data_body}</p>
                </div>
            })}
            <h2 id="sources-title">{s.sources}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{s.source}</th>
                            <th scope="col">{s.kind}</th>
                            <th scope="col">{s.state}</th>
                            <th scope="col">{s.last_success}</th>
                            <th scope="col">{s.newest_data}</th>
                            <th scope="col">{s.detail}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {status
                            .sources
                            .into_iter()
                            .map(|source| view! { <SourceRow source s /> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Why a collection failed, in plain words, with the full message on
/// demand; when the source was unreachable, how to load downloaded files.
#[component]
fn FailureDetail(error: String, s: &'static Strings) -> impl IntoView {
    let failure = Failure::of(&error);
    let said = match failure {
        Failure::Unreachable => s.failure_unreachable.to_owned(),
        Failure::Http(code) => format!("{} {code}", s.failure_http),
        Failure::Other => s.failure_other.to_owned(),
    };
    view! {
        <details class="failure">
            <summary>{said}</summary>
            <code>{error}</code>
        </details>
        {(failure == Failure::Unreachable).then(|| view! {
            <p class="hint">{s.offline_hint} " " <code>"sentinela ingest --from PASTA"</code></p>
        })}
    }
}

/// One source's row.
#[component]
fn SourceRow(source: SourceStatus, s: &'static Strings) -> impl IntoView {
    let SourceStatus {
        name,
        title,
        kind,
        state,
        last_success,
        newest_date,
        last_error,
        ..
    } = source;
    let (state_label, state_class) = match state {
        SourceState::Pending => (s.state_pending, "badge badge-pending"),
        SourceState::Ok => (s.state_ok, "badge badge-ok"),
        SourceState::Failing => (s.state_failing, "badge badge-failing"),
        SourceState::Late => (s.state_late, "badge badge-pending"),
        SourceState::Stale => (s.state_stale, "badge badge-pending"),
    };
    let detail = match (last_error, state) {
        (Some(error), _) => view! { <FailureDetail error s /> }.into_any(),
        (None, SourceState::Pending) => s.pending_detail.into_any(),
        (None, SourceState::Late) => s.late_detail.into_any(),
        (None, SourceState::Stale) => newest_date
            .map(|d| format!("{} {}: {}", s.stale_data_of, date_br(d), s.stale_detail))
            .unwrap_or_default()
            .into_any(),
        (None, _) => ().into_any(),
    };
    view! {
        <tr data-source=name>
            <th scope="row">{title}</th>
            <td>{kind}</td>
            <td>
                <span class=state_class>{state_label}</span>
            </td>
            <td>{last_success.map_or_else(|| s.never.to_owned(), datetime_br)}</td>
            <td>{newest_date.map_or_else(|| "—".to_owned(), date_br)}</td>
            <td class="detail">{detail}</td>
        </tr>
    }
}
