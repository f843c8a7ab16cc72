//! The page for addresses that match no route (HTTP 404).

use leptos::prelude::*;

use super::frame::Frame;
use crate::i18n::use_lang;

/// Says the address is unknown and links back to the overview.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Frame>
            <Unknown />
        </Frame>
    }
}

/// What a page says of an address it does not know (a route that matches
/// nothing, or a state or city that does not exist), with the way back.
#[component]
pub fn Unknown() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || lang.get().frame().not_found_title}</h1>
        <p>{move || lang.get().frame().not_found_body}</p>
        <p>
            <a href="/">{move || lang.get().frame().back_home}</a>
        </p>
    }
}
