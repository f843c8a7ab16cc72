//! The frame every page shares: brand, "Copiar link", language switch,
//! footer with the data attribution, and the `data-hydrated` marker that tests wait for;
//! in embed mode only the page and the attribution.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::{embed::is_embedded, i18n::use_lang, url::query_with};

/// Wraps a page's content in the site header and footer.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let lang = use_lang();
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser: the marker flips once hydration is done.
    Effect::new(move |_| hydrated.set(true));

    // Embed mode (the intranet's iframe, as the gate admitted it): no site
    // header, the same pages and filters, the attribution kept.
    let embedded = is_embedded();
    let query = use_query_map();
    view! {
        <div
            class="frame"
            class:embedded=embedded
            data-hydrated=move || hydrated.get().to_string()
        >
            {(!embedded).then(|| view! {
                <header class="site-header">
                    <a class="brand" href="/">
                        <span class="brand-name">"Sentinela"</span>
                        <span class="brand-tagline">{move || lang.get().frame().tagline}</span>
                    </a>
                    <nav class="site-nav">
                        <a href=move || format!("/dados{}", query.with(|q| query_with(q, &[])))>
                            {move || lang.get().frame().quality_title}
                        </a>
                        // A page of forms, rendered on the server: loaded whole.
                        <a href="/alertas" rel="external">{move || lang.get().frame().alerts_title}</a>
                        // The share script copies the address, every filter in it.
                        <button type="button" class="copy-link" data-copy-link=""
                            data-done=move || lang.get().frame().link_copied>
                            {move || lang.get().frame().copy_link}
                        </button>
                        <span class="copy-status" role="status"></span>
                        <LanguageSwitch />
                    </nav>
                </header>
            })}
            <main class="page">{children()}</main>
            <footer class="site-footer">
                <p>{move || lang.get().frame().attribution}</p>
            </footer>
        </div>
    }
}

/// Switches the interface language by rewriting `lang` in the URL, keeping
/// every other filter, so the view stays shareable. A link: it works before
/// hydration and on pages that are not hydrated.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let location = use_location();
    let href = move || {
        let other = lang.get().other().code();
        let query = query.with(|q| query_with(q, &[("lang", Some(other))]));
        format!("{}{query}", location.pathname.get())
    };
    view! {
        <a class="lang-switch" href=href>
            {move || lang.get().frame().switch_language}
        </a>
    }
}
