//! Dados e qualidade (`/dados`): each source's state and freshness, how
//! accurate the nowcast has been (its backtest), the alerts that failed to
//! arrive, then the latest ingest runs: per source and stage, rows in and
//! out and rows rejected, and the gold tables each run refreshed.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use super::{backtest::BacktestPanel, overview::SourcesPanel};
use crate::{
    backend::unavailable,
    catalog::runs::{RunStatus, StageMetrics},
    format::datetime_br,
    i18n::{Lang, Strings},
    page_error::PageError,
    quality::{HeldNote, RunDetail, Undelivered},
    status::DataStatus,
};

/// The data and quality page for the URL's `query`.
pub async fn html(query: &ParamsMap) -> Result<String, PageError> {
    let lang = Lang::from_query(query.get_str("lang"));
    let s = lang.strings();
    let quality = crate::backend::current()?
        .quality()
        .await
        .map_err(unavailable)?;
    let behind = (!quality.gold_behind.is_empty()).then(|| {
        view! {
            <p class="notice notice-error" data-gold-behind="">
                {s.gold_behind} " " {quality.gold_behind.join(", ")}
            </p>
        }
    });
    Ok(view! {
        <h1>{lang.frame().quality_title}</h1>
        {behind}
        <SourcesPanel status=DataStatus { sources: quality.sources } s />
        {(!quality.held.is_empty()).then(|| view! { <HeldPanel held=quality.held s /> })}
        <BacktestPanel scores=quality.backtest s />
        {(!quality.undelivered.is_empty())
            .then(|| view! { <UndeliveredPanel undelivered=quality.undelivered s /> })}
        <h2>{s.runs_title}</h2>
        {quality.runs.into_iter().map(|run| view! { <RunPanel run s /> }).collect_view()}
    }
    .to_html())
}

/// The editions held by their contracts, with why and how to accept them.
#[component]
fn HeldPanel(held: Vec<HeldNote>, s: &'static Strings) -> impl IntoView {
    view! {
        <section class="held">
            <h2>{s.held_title}</h2>
            <p>{s.held_explained}</p>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{s.source}</th>
                            <th scope="col">{s.held_title}</th>
                            <th scope="col">"ID"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {held
                            .into_iter()
                            .map(|h| view! {
                                <tr data-held=h.source.clone()>
                                    <th scope="row">{h.source.clone()}</th>
                                    <td>{datetime_br(h.held_at)} ": " {h.reason}</td>
                                    <td><code>{h.run}</code></td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The alert deliveries that failed and have not arrived.
#[component]
fn UndeliveredPanel(undelivered: Vec<Undelivered>, s: &'static Strings) -> impl IntoView {
    let [channel, status, attempts, error, next] = s.undelivered_columns;
    let [retrying, dead] = s.undelivered_status;
    view! {
        <section class="undelivered">
            <h2>{s.undelivered_title}</h2>
            <p>{s.undelivered_explained}</p>
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{channel}</th>
                            <th scope="col">{status}</th>
                            <th scope="col" class="num">{attempts}</th>
                            <th scope="col">{error}</th>
                            <th scope="col">{next}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {undelivered
                            .into_iter()
                            .map(|u| view! {
                                <tr data-undelivered=u.channel.clone()>
                                    <th scope="row">{u.channel.clone()} " · " {datetime_br(u.fired_at)}</th>
                                    <td>
                                        <span class=if u.dead { "badge badge-failing" } else { "badge badge-pending" }>
                                            {if u.dead { dead } else { retrying }}
                                        </span>
                                    </td>
                                    <td class="num">{u.attempts}</td>
                                    <td>{u.last_error}</td>
                                    <td>{u.next_attempt_at.map(datetime_br).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One run: when, how it ended, and each source's and gold table's figures.
#[component]
fn RunPanel(run: RunDetail, s: &'static Strings) -> impl IntoView {
    let RunDetail { report: run, error } = run;
    let badge = match run.status {
        RunStatus::Ok => "badge badge-ok",
        RunStatus::Partial | RunStatus::Held => "badge badge-pending",
        RunStatus::Failed => "badge badge-failing",
    };
    let mut rows: Vec<(String, String, Option<String>, StageMetrics)> = Vec::new();
    for source in run.sources {
        if source.stages.is_empty() {
            let empty = StageMetrics {
                stage: "—".into(),
                rows_in: 0,
                rows_out: 0,
                rejected: 0,
                bytes: 0,
                seconds: 0.0,
            };
            rows.push((
                source.name.clone(),
                source.outcome.to_string(),
                source.error.clone().or(source.held.clone()),
                empty,
            ));
        }
        for stage in source.stages {
            rows.push((
                source.name.clone(),
                source.outcome.to_string(),
                source.error.clone().or(source.held.clone()),
                stage,
            ));
        }
    }
    for stage in run.gold {
        rows.push(("gold".into(), String::new(), None, stage));
    }
    view! {
        <section class="run" data-run=run.id.clone()>
            <h3>
                {datetime_br(run.started_at)} " " <span class=badge>{run.status.code()}</span>
            </h3>
            {error.map(|e| view! { <p class="notice notice-error">{e}</p> })}
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{s.source}</th>
                            <th scope="col">{s.outcome}</th>
                            <th scope="col">{s.stage}</th>
                            <th scope="col" class="num">{s.rows_in}</th>
                            <th scope="col" class="num">{s.rows_out}</th>
                            <th scope="col" class="num">{s.rejected}</th>
                            <th scope="col" class="num">"s"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(source, outcome, error, stage)| view! {
                                <tr>
                                    <th scope="row">{source}</th>
                                    <td title=error.unwrap_or_default()>{outcome}</td>
                                    <td>{stage.stage}</td>
                                    <td class="num">{s.numbers.number(stage.rows_in as f64, 0)}</td>
                                    <td class="num">{s.numbers.number(stage.rows_out as f64, 0)}</td>
                                    <td class="num">{s.numbers.number(stage.rejected as f64, 0)}</td>
                                    <td class="num">{s.numbers.number(stage.seconds, 2)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
