//! Sentinela's user interface: the HTML shell, the router and its pages, the
//! server function they call, and the types the server fills them from.
//!
//! Compiled twice: with `ssr` into the server (rendering, the pages' content
//! from [`backend::Backend`]) and with `hydrate` into the WASM bundle, which
//! shows that content ([`page_html`]) and carries only the frame and router.

// Leptos views are deeply nested types; the tables of a page exceed the
// default depth of 128.
#![recursion_limit = "256"]

pub mod account;
#[cfg(feature = "ssr")]
pub mod alerts_view;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
mod city_map;
pub mod city_view;
#[cfg(feature = "ssr")]
mod components;
pub mod csv;
pub mod dashboard;
pub mod embed;
pub mod format;
#[cfg(feature = "ssr")]
pub mod hospital_view;
pub mod i18n;
pub mod indicators;
#[cfg(feature = "ssr")]
mod nowcast_chart;
pub mod page_error;
pub mod page_html;
mod pages;
pub mod quality;
pub mod search;
mod share;
pub mod state_board;
pub mod state_view;
pub mod status;
#[cfg(feature = "ssr")]
pub mod territory_view;
mod tooltips;
pub mod url;
pub mod view_title;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::{page_html::PageKind, pages::server_page::ServerPage};

/// The HTML document around the app, rendered on the server only. An
/// embedded view (as the access gate decided: [`embed::Embedded`]) is not
/// hydrated: it ships no WASM, its links load whole pages, and each one is
/// checked against its signed link. Nor is the sign-in page, a plain form.
/// The stylesheet is inline (a linked one would hold the first paint back
/// by a request), and so are the tooltip layer's and the share button's
/// scripts; all carry the response's nonce, which the server mints and
/// names in the page's Content-Security-Policy.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let hydrate = hydrated_request();
    let title = requested_title();
    let nonce = leptos::nonce::use_nonce();
    let stylesheet = use_context::<Stylesheet>().map(|sheet| sheet.0);
    view! {
        <!DOCTYPE html>
        <html lang="pt-BR">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Radar de demanda hospitalar a partir dos dados públicos de COVID-19" />
                <title>{title.clone()}</title>
                {open_graph("og:title", title)}
                {open_graph("og:site_name", "Sentinela".to_owned())}
                // No icon: browsers would otherwise ask for /favicon.ico on every visit.
                <link rel="icon" href="data:," />
                <style nonce=nonce.clone()>{stylesheet}</style>
                <script nonce=nonce.clone()>{tooltips::SCRIPT}</script>
                <script nonce=nonce>{share::SCRIPT}</script>
                {hydrate.then(|| view! { <HydrationScripts options /> })}
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// An Open Graph `<meta property=… content=…>` (the view macro takes no
/// attribute named `property`).
fn open_graph(property: &'static str, content: String) -> impl IntoView {
    use leptos::attr::custom::custom_attribute;
    leptos::html::meta()
        .add_any_attr(custom_attribute("property", property))
        .content(content)
}

/// The title of the view the request asks for.
fn requested_title() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        let query = leptos_router::location::RequestUrl::new(&format!(
            "/?{}",
            parts.uri.query().unwrap_or_default()
        ))
        .parse()
        .map(|url| url.search_params().clone())
        .unwrap_or_default();
        return view_title::of(parts.uri.path(), &query);
    }
    "Sentinela".to_owned()
}

/// Whether the page being rendered is hydrated: not in embed mode, not the
/// sign-in and alerts pages (plain forms, rendered on the server only).
fn hydrated_request() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_none_or(|parts| {
            !embed::is_embedded() && !matches!(parts.uri.path(), "/entrar" | "/alertas")
        })
    }
    #[cfg(not(feature = "ssr"))]
    true
}

/// The site's stylesheet (the server reads it from the build), which the
/// shell writes into every page.
#[derive(Clone, Debug)]
pub struct Stylesheet(pub Arc<str>);

/// The application: the account bar and the routes. The data pages' content
/// is rendered by the server ([`page_html`]), in the browser too.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <account::AccountBar />
        // Data pages render whole before answering (`SsrMode::Async`), so a
        // store failure can still make the answer a 503.
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=|| view! { <ServerPage kind=PageKind::Overview /> } ssr=SsrMode::Async />
                <Route path=(StaticSegment("uf"), ParamSegment("uf")) view=|| view! { <ServerPage kind=PageKind::State /> } ssr=SsrMode::Async />
                <Route path=StaticSegment("dados") view=|| view! { <ServerPage kind=PageKind::Quality /> } ssr=SsrMode::Async />
                <Route path=StaticSegment("busca") view=|| view! { <ServerPage kind=PageKind::Search /> } ssr=SsrMode::Async />
                <Route path=StaticSegment("hospitais") view=|| view! { <ServerPage kind=PageKind::Hospitals /> } ssr=SsrMode::Async />
                <Route path=(StaticSegment("hospital"), ParamSegment("cnes")) view=|| view! { <ServerPage kind=PageKind::Hospital /> } ssr=SsrMode::Async />
                <Route path=StaticSegment("entrar") view=pages::sign_in::SignInPage />
                <Route path=StaticSegment("alertas") view=pages::alerts::AlertsPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("municipio"), ParamSegment("code")) view=|| view! { <ServerPage kind=PageKind::City /> } ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
