//! Dados e qualidade (`/dados`): each source's state and freshness, then the
//! latest ingest runs: per source and stage, rows in and out and rows
//! rejected, and the gold tables each run refreshed.

use leptos::prelude::*;

use super::{frame::Frame, overview::SourcesPanel};
use crate::{
    format::{datetime_br, number_br},
    i18n::{Lang, use_lang},
    quality::{RunDetail, Stage, get_quality},
    status::DataStatus,
};

/// The data and quality page.
#[component]
pub fn QualityPage() -> impl IntoView {
    let lang = use_lang();
    let quality = Resource::new(|| (), |_| get_quality());
    view! {
        <Frame>
            <h1>{move || lang.get().strings().quality_title}</h1>
            <Suspense fallback=move || view! { <p>{lang.get().strings().loading}</p> }>
                {move || Suspend::new(async move {
                    match quality.await {
                        Ok(q) => {
                            let runs = q.runs.into_iter().map(|run| view! { <RunPanel run lang /> }).collect_view();
                            view! {
                                <SourcesPanel status=DataStatus { sources: q.sources } lang />
                                <h2>{move || lang.get().strings().runs_title}</h2>
                                {runs}
                            }
                                .into_any()
                        }
                        Err(_) => view! {
                            <p class="notice notice-error" role="alert">
                                {move || lang.get().strings().status_unavailable}
                            </p>
                        }
                            .into_any(),
                    }
                })}
            </Suspense>
        </Frame>
    }
}

/// One run: when, how it ended, and each source's and gold table's figures.
#[component]
fn RunPanel(run: RunDetail, lang: Memo<Lang>) -> impl IntoView {
    let s = move || lang.get().strings();
    let badge = match run.status.as_str() {
        "ok" => "badge badge-ok",
        "partial" => "badge badge-pending",
        _ => "badge badge-failing",
    };
    let mut rows: Vec<(String, String, Option<String>, Stage)> = Vec::new();
    for source in run.sources {
        if source.stages.is_empty() {
            let empty = Stage {
                stage: "—".into(),
                rows_in: 0,
                rows_out: 0,
                rejected: 0,
                bytes: 0,
                seconds: 0.0,
            };
            rows.push((
                source.name.clone(),
                source.outcome.clone(),
                source.error.clone(),
                empty,
            ));
        }
        for stage in source.stages {
            rows.push((
                source.name.clone(),
                source.outcome.clone(),
                source.error.clone(),
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
                {datetime_br(run.started_at)} " " <span class=badge>{run.status.clone()}</span>
            </h3>
            {run.error.map(|e| view! { <p class="notice notice-error">{e}</p> })}
            <div class="table-scroll" tabindex="0">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || s().source}</th>
                            <th scope="col">{move || s().outcome}</th>
                            <th scope="col">{move || s().stage}</th>
                            <th scope="col" class="num">{move || s().rows_in}</th>
                            <th scope="col" class="num">{move || s().rows_out}</th>
                            <th scope="col" class="num">{move || s().rejected}</th>
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
                                    <td class="num">{number_br(stage.rows_in as f64, 0)}</td>
                                    <td class="num">{number_br(stage.rows_out as f64, 0)}</td>
                                    <td class="num">{number_br(stage.rejected as f64, 0)}</td>
                                    <td class="num">{number_br(stage.seconds, 2)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
