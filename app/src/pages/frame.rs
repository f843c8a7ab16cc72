//! The frame every page shares: brand, language switch, footer with the
//! data attribution, and the `data-hydrated` marker that tests wait for;
//! in embed mode only the page and the attribution.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::{
    account::{Account, get_account},
    i18n::use_lang,
    url::{encode, query_with},
};

/// Wraps a page's content in the site header and footer.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let lang = use_lang();
    let hydrated = RwSignal::new(false);
    // Effects run only in the browser: the marker flips once hydration is done.
    Effect::new(move |_| hydrated.set(true));

    // Embed mode (`?embed=1`, the intranet's iframe): no site header, the
    // same pages and filters, the attribution kept.
    let query = use_query_map();
    let embedded = query.read_untracked().get_str("embed") == Some("1");
    view! {
        <div
            class="frame"
            class:embedded=embedded
            data-hydrated=move || hydrated.get().to_string()
        >
            <Show when=move || !embedded>
                <header class="site-header">
                    <a class="brand" href="/">
                        <span class="brand-name">"Sentinela"</span>
                        <span class="brand-tagline">{move || lang.get().strings().tagline}</span>
                    </a>
                    <nav class="site-nav">
                        <a href=move || format!("/dados{}", query.with(|q| query_with(q, &[])))>
                            {move || lang.get().strings().quality_title}
                        </a>
                        <LanguageSwitch />
                        <AccountArea />
                    </nav>
                </header>
            </Show>
            <main class="page">{children()}</main>
            <footer class="site-footer">
                <p>{move || lang.get().strings().attribution}</p>
            </footer>
        </div>
    }
}

/// The signed-in account and its sign-out button, or a sign-in link that
/// comes back to this page.
#[component]
fn AccountArea() -> impl IntoView {
    let lang = use_lang();
    let s = move || lang.get().strings();
    let account = use_context::<OnceResource<Result<Option<Account>, ServerFnError>>>()
        .unwrap_or_else(|| OnceResource::new(get_account()));
    let location = use_location();
    let sign_in_href = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        format!("/entrar?destino={}", encode(&here))
    };
    view! {
        <Suspense fallback=|| ()>
            {move || match account.get().and_then(Result::ok).flatten() {
                Some(account) => {
                    view! {
                        <form class="account" method="post" action="/conta/sair">
                            <span>{move || s().signed_in_as} " " <strong>{account.name.clone()}</strong></span>
                            <input type="hidden" name="csrf" value=account.csrf.clone() />
                            <button type="submit">{move || s().sign_out}</button>
                        </form>
                    }
                        .into_any()
                }
                None => view! { <a href=sign_in_href rel="external">{move || s().sign_in}</a> }.into_any(),
            }}
        </Suspense>
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
            {move || lang.get().strings().switch_language}
        </a>
    }
}
