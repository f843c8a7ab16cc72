//! Visão geral: the landing page. Until data has been ingested it says so
//! plainly and lists every source with its state and the reason.

use leptos::prelude::*;

use super::frame::Frame;
use crate::{
    format::{date_br, datetime_br},
    i18n::{Lang, use_lang},
    status::{DataStatus, SourceState, SourceStatus, get_data_status},
};

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let lang = use_lang();
    let status = Resource::new(|| (), |_| get_data_status());
    view! {
        <Frame>
            <h1>{move || lang.get().strings().overview}</h1>
            <Suspense fallback=move || view! { <p>{lang.get().strings().loading}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) => view! { <SourcesPanel status lang /> }.into_any(),
                        Err(_) => {
                            view! {
                                <p class="notice notice-error" role="alert">
                                    {move || lang.get().strings().status_unavailable}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </Frame>
    }
}

/// The sources and their states, introduced by a notice when nothing has
/// been collected yet.
#[component]
fn SourcesPanel(status: DataStatus, lang: Memo<Lang>) -> impl IntoView {
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
            <div class="table-scroll">
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
        }
    };
    let state_class = match state {
        SourceState::Pending => "badge badge-pending",
        SourceState::Ok => "badge badge-ok",
        SourceState::Failing => "badge badge-failing",
    };
    let last_success = last_success.map(datetime_br);
    let newest_date = newest_date.map(date_br);
    let detail = move || match (&last_error, state) {
        (Some(error), _) => error.clone(),
        (None, SourceState::Pending) => lang.get().strings().pending_detail.to_string(),
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
