//! A city's page (`/municipio/3550308`): its daily cases and deaths with
//! their 7-day mean over the period in the URL, and its rank among its
//! state's cities by cases per 100,000 inhabitants.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    frame::Frame,
    state::{ChartPanel, Per100kToggle, PeriodPicker, view_filters},
};
use crate::{
    city_view::{CityView, get_city_view},
    format::number_br,
    i18n::{Lang, use_lang},
    url::query_with,
};

/// The city page.
#[component]
pub fn CityPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let (period, per_100k) = view_filters(query);
    let view_data = Resource::new(
        move || (code.get(), period.get(), lang.get(), per_100k.get()),
        |(code, period, lang, per_100k)| {
            get_city_view(code, period, lang.code().to_owned(), per_100k)
        },
    );
    view! {
        <Frame>
            <Transition fallback=move || view! { <p>{lang.get().strings().loading}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => view! { <CityContent data period per_100k lang /> }.into_any(),
                        Err(_) => view! {
                            <h1>{move || code.get()}</h1>
                            <p class="notice notice-error" role="alert">
                                {move || lang.get().strings().city_unavailable}
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
fn CityContent(
    data: CityView,
    period: Memo<crate::state_view::Period>,
    per_100k: Memo<bool>,
    lang: Memo<Lang>,
) -> impl IntoView {
    let s = move || lang.get().strings();
    let CityView {
        code,
        name,
        uf,
        rank,
        cases_per_100k,
        charts,
    } = data;
    let query = use_query_map();
    let state_href = {
        let uf = uf.clone();
        move || format!("/uf/{uf}{}", query.with(|q| query_with(q, &[])))
    };
    let standing = move || match (rank, cases_per_100k) {
        (Some((position, total)), Some(value)) => format!(
            "{} {position} {} {total} {} · {} {}",
            s().city_rank_prefix,
            s().city_rank_of,
            s().city_rank_suffix,
            number_br(value, 1),
            s().per_100k_suffix
        ),
        _ => s().city_unranked.to_owned(),
    };
    let charts = charts
        .into_iter()
        .map(|chart| view! { <ChartPanel chart place=code.clone() lang /> })
        .collect_view()
        .into_any();
    view! {
        <p class="breadcrumb"><a href=state_href>{uf.clone()}</a></p>
        <h1>{format!("{name} ({uf})")}</h1>
        <p class="standing">{standing}</p>
        <PeriodPicker period lang />
        <Per100kToggle per_100k lang />
        <div class="charts">{charts}</div>
    }
}
