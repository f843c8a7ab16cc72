//! The search box atop every data page (a GET form to `/busca`, so it works
//! before hydration and without JavaScript) and the search page
//! (`/busca?q=sao`): the states and cities whose names match, each linked
//! to its page, with the language kept.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    backend::unavailable,
    i18n::{Lang, Strings},
    page_error::PageError,
    search::{Found, SHORTEST},
    url::query_with,
};

/// The search page for the URL's `query`.
pub async fn html(query: &ParamsMap) -> Result<String, PageError> {
    let lang = Lang::from_query(query.get_str("lang"));
    let s = lang.strings();
    let asked = query.get_str("q").unwrap_or_default().trim().to_owned();
    let found = crate::backend::current()?
        .search(&asked)
        .await
        .map_err(unavailable)?;
    // The places' links keep the language, not the query.
    let kept = query_with(query, &[("q", None)]);
    let outcome = match (asked.chars().count() < SHORTEST, found.is_empty()) {
        (true, _) => view! { <p class="notice" role="status">{s.search_too_short}</p> }.into_any(),
        (false, true) => view! {
            <p class="notice" role="status">{format!("{} “{asked}”.", s.search_nothing)}</p>
        }
        .into_any(),
        (false, false) => view! { <FoundList found s kept /> }.into_any(),
    };
    Ok(view! {
        <h1>{s.search_title}</h1>
        {outcome}
    }
    .to_html())
}

/// The search box every data page starts with: a GET form to this page,
/// the language kept, what was asked filled in. Part of the page's HTML,
/// which the server renders, so the WASM bundle carries none of it.
pub fn form(query: &ParamsMap) -> String {
    let lang = Lang::from_query(query.get_str("lang"));
    let s = lang.frame();
    let asked = query.get_str("q").unwrap_or_default().to_owned();
    view! {
        <form class="search" action="/busca" method="get" role="search">
            <input name="q" type="search" value=asked aria-label=s.search_label placeholder=s.search_label autocomplete="off" />
            {(lang == Lang::En).then(|| view! { <input type="hidden" name="lang" value="en" /> })}
            <button type="submit">{s.search_button}</button>
        </form>
    }
    .to_html()
}

/// The places found, best first.
#[component]
fn FoundList(found: Vec<Found>, s: &'static Strings, kept: String) -> impl IntoView {
    view! {
        <ul class="found">
            {found
                .into_iter()
                .map(|place| {
                    let href = format!("{}{kept}", place.href());
                    let detail = match place.population {
                        Some(people) => format!(
                            "{} · {} {}",
                            place.uf,
                            s.numbers.number(people as f64, 0),
                            s.inhabitants
                        ),
                        None => s.state_word.to_owned(),
                    };
                    view! {
                        <li>
                            <a href=href>{place.name}</a>
                            " "
                            <span class="found-detail">{detail}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
