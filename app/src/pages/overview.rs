//! Visão geral: the landing page. The country's headline figures against
//! the week before, a map of the states coloured by the chosen indicator,
//! and the rankings; before any data is ingested it says so plainly. Every
//! source's state follows, so a reader knows how current the figures are.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::frame::Frame;
use crate::{
    components::map::StateMap,
    dashboard::{Change, MapMetric, Overview as OverviewData, get_overview},
    format::{change_br, date_br, datetime_br, number_br, percent_br},
    i18n::{Lang, Strings, use_lang},
    indicators::RankingEntry,
    status::{DataStatus, SourceState, SourceStatus, get_data_status},
    url::state_query,
};

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let metric = Memo::new(move |_| MapMetric::from_code(query.read().get_str("metric")));
    let status = Resource::new(|| (), |_| get_data_status());
    let overview = Resource::new(move || metric.get(), |m| get_overview(m.code().to_owned()));
    view! {
        <Frame>
            <h1>{move || lang.get().strings().overview}</h1>
            <Suspense fallback=move || view! { <p>{lang.get().strings().loading}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) if status.has_data() => {
                            view! {
                                <Transition fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        match overview.await {
                                            Ok(data) => view! { <Indicators data lang /> }.into_any(),
                                            Err(_) => unavailable(lang, |s| s.overview_unavailable),
                                        }
                                    })}
                                </Transition>
                                <SourcesPanel status lang />
                            }
                                .into_any()
                        }
                        Ok(status) => view! { <SourcesPanel status lang /> }.into_any(),
                        Err(_) => unavailable(lang, |s| s.status_unavailable),
                    }
                })}
            </Suspense>
        </Frame>
    }
}

fn unavailable(lang: Memo<Lang>, label: fn(&Strings) -> &'static str) -> AnyView {
    view! {
        <p class="notice notice-error" role="alert">
            {move || label(lang.get().strings())}
        </p>
    }
    .into_any()
}

/// The figures: freshness, headline cards, map and rankings.
#[component]
fn Indicators(data: OverviewData, lang: Memo<Lang>) -> impl IntoView {
    let OverviewData {
        cases_as_of,
        occupancy_as_of,
        srag_period,
        headline,
        metric,
        map_view_box,
        map,
        most,
        least,
        rising,
        cities,
    } = data;
    let s = move || lang.get().strings();
    let as_of = move |date: Option<chrono::NaiveDate>| {
        date.map(|d| format!("{} {}", s().data_as_of, date_br(d)))
            .unwrap_or_default()
    };
    let srag_note = move || {
        srag_period
            .map(|(from, to)| format!("{} – {} ({})", date_br(from), date_br(to), s().last_28_days))
            .unwrap_or_default()
    };
    let count = |c: Option<Change>| c.map(|c| number_br(c.value, 0));
    let rate = |c: Option<Change>| c.map(|c| percent_br(c.value));
    let coverage = move || {
        format!(
            "{} {} · {} {}",
            number_br(headline.hospitals as f64, 0),
            s().hospitals_reporting,
            number_br(headline.stale as f64, 0),
            s().stale_hospitals
        )
    };
    let death_rates = match (headline.death_rate_confirmed, headline.death_rate_suspected) {
        (Some(c), Some(u)) => Some(format!("{} / {}", percent_br(c), percent_br(u))),
        _ => None,
    };
    let kpis = view! {
        <section class="kpis" aria-label=move || s().overview>
            <Kpi label=move || s().cases_week value=count(headline.cases_week) change=headline.cases_week note=move || as_of(cases_as_of) lang />
            <Kpi label=move || s().deaths_week value=count(headline.deaths_week) change=headline.deaths_week note=move || as_of(cases_as_of) lang />
            <Kpi label=move || s().icu_rate value=rate(headline.icu_rate) change=headline.icu_rate note=move || format!("{} · {}", as_of(occupancy_as_of), coverage()) lang />
            <Kpi label=move || s().clinical_rate value=rate(headline.clinical_rate) change=headline.clinical_rate note=move || as_of(occupancy_as_of) lang />
            <Kpi label=move || s().confirmed_share value=headline.confirmed_share.map(percent_br) change=None note=srag_note lang />
            <Kpi label=move || s().death_rates value=death_rates change=None note=srag_note lang />
        </section>
    }
    .into_any();
    let map = view! { <StateMap metric view_box=map_view_box areas=map lang /> }.into_any();
    let rankings = view! {
        <div class="rankings">
            <RankingTable title=move || s().most_affected rows=most lang />
            <RankingTable title=move || s().least_affected rows=least lang />
            <RankingTable title=move || s().rising rows=rising lang />
            <RankingTable title=move || s().cities_most rows=cities lang />
        </div>
    }
    .into_any();
    view! { {kpis} {map} {rankings} }
}

/// A headline figure, its change against the week before and what it refers to.
#[component]
fn Kpi(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    value: Option<String>,
    change: Option<Change>,
    note: impl Fn() -> String + Send + Sync + 'static,
    lang: Memo<Lang>,
) -> impl IntoView {
    let relative = change.and_then(Change::relative);
    let trend = match relative {
        Some(r) if r > 0.0 => "kpi-change up",
        Some(r) if r < 0.0 => "kpi-change down",
        _ => "kpi-change",
    };
    view! {
        <article class="kpi">
            <h2 class="kpi-label">{label}</h2>
            <p class="kpi-value">{value.unwrap_or_else(|| "—".to_owned())}</p>
            {relative.map(|r| view! {
                <p class=trend>{change_br(r)} " " {move || lang.get().strings().vs_last_week}</p>
            })}
            <p class="kpi-note">{note}</p>
        </article>
    }
}

/// A ranking as a table: position in the list, place, value per 100k and,
/// for the weekly ranking, the change against the week before.
#[component]
fn RankingTable(
    title: impl Fn() -> &'static str + Send + Sync + 'static,
    rows: Vec<RankingEntry>,
    lang: Memo<Lang>,
) -> impl IntoView {
    let s = move || lang.get().strings();
    let query = use_query_map();
    let weekly = rows.iter().any(|r| r.change.is_some());
    view! {
        <section class="ranking">
            <h2>{title}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || s().rank}</th>
                            <th scope="col">{move || s().place}</th>
                            <th scope="col" class="num">{move || s().per_100k}</th>
                            {weekly.then(|| view! { <th scope="col" class="num">{move || s().change}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .enumerate()
                            .map(|(position, r)| {
                                let place = match &r.city_ibge {
                                    Some(_) => format!("{} ({})", r.name, r.uf),
                                    None => r.name.clone(),
                                };
                                let uf = r.uf.clone();
                                let href = move || format!("/uf/{uf}{}", state_query(query));
                                view! {
                                    <tr data-uf=r.uf.clone()>
                                        <td class="num">{position + 1}</td>
                                        <th scope="row"><a href=href>{place}</a></th>
                                        <td class="num">{number_br(r.value, 1)}</td>
                                        {weekly.then(|| view! {
                                            <td class="num">{r.change.map(change_br).unwrap_or_else(|| "—".into())}</td>
                                        })}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The sources and their states, introduced by a notice when nothing has
/// been collected yet.
#[component]
pub(crate) fn SourcesPanel(status: DataStatus, lang: Memo<Lang>) -> impl IntoView {
    let has_data = status.has_data();
    let rows = status.sources;
    view! {
        <section class="sources" aria-labelledby="sources-title">
            <Show when=move || !has_data>
                <div class="notice" role="status">
                    <h2>{move || lang.get().strings().no_data_title}</h2>
                    <p>{move || lang.get().strings().no_data_body}</p>
                </div>
            </Show>
            <h2 id="sources-title">{move || lang.get().strings().sources}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || lang.get().strings().source}</th>
                            <th scope="col">{move || lang.get().strings().kind}</th>
                            <th scope="col">{move || lang.get().strings().state}</th>
                            <th scope="col">{move || lang.get().strings().last_success}</th>
                            <th scope="col">{move || lang.get().strings().newest_data}</th>
                            <th scope="col">{move || lang.get().strings().detail}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|source| view! { <SourceRow source lang /> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One source's row.
#[component]
fn SourceRow(source: SourceStatus, lang: Memo<Lang>) -> impl IntoView {
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
    let state_label = move || {
        let s = lang.get().strings();
        match state {
            SourceState::Pending => s.state_pending,
            SourceState::Ok => s.state_ok,
            SourceState::Failing => s.state_failing,
            SourceState::Late => s.state_late,
        }
    };
    let state_class = match state {
        SourceState::Pending => "badge badge-pending",
        SourceState::Ok => "badge badge-ok",
        SourceState::Failing => "badge badge-failing",
        SourceState::Late => "badge badge-pending",
    };
    let last_success = last_success.map(datetime_br);
    let newest_date = newest_date.map(date_br);
    let detail = move || match (&last_error, state) {
        (Some(error), _) => error.clone(),
        (None, SourceState::Pending) => lang.get().strings().pending_detail.to_string(),
        (None, SourceState::Late) => lang.get().strings().late_detail.to_string(),
        (None, _) => String::new(),
    };
    let never = move || lang.get().strings().never.to_string();
    view! {
        <tr data-source=name>
            <th scope="row">{title}</th>
            <td>{kind}</td>
            <td>
                <span class=state_class>{state_label}</span>
            </td>
            <td>{move || last_success.clone().unwrap_or_else(never)}</td>
            <td>{newest_date.unwrap_or_else(|| "—".to_owned())}</td>
            <td class="detail">{detail}</td>
        </tr>
    }
}
