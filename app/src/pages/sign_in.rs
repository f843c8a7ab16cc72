//! The sign-in page (`/entrar`): a plain HTML form that posts to the server,
//! the reason a sign-in failed, and the confirmation after signing out.
//! Rendered on the server only: the page ships no WASM (the shell leaves out
//! the hydration scripts), so the browser bundle carries none of it.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_router::hooks::use_query_map;

#[cfg(feature = "ssr")]
use super::frame::Frame;
#[cfg(feature = "ssr")]
use crate::i18n::use_lang;

/// User name and password; `destino` carries the page asked for.
#[cfg(feature = "ssr")]
#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let s = move || lang.get().strings();
    let query = use_query_map();
    let flag = move |name: &str| query.read().get_str(name) == Some("1");
    let destination = move || query.read().get("destino").unwrap_or_else(|| "/".into());
    view! {
        <Frame>
            <section class="sign-in">
                <h1>{move || s().sign_in_title}</h1>
                <Show when=move || flag("saiu")>
                    <p class="notice" role="status">{move || s().signed_out}</p>
                </Show>
                <Show when=move || flag("erro")>
                    <p class="error" role="alert">{move || s().sign_in_failed}</p>
                </Show>
                <form method="post" action="/conta/entrar">
                    <input type="hidden" name="destino" value=destination />
                    <label>
                        {move || s().account_name}
                        <input name="usuario" autocomplete="username" required />
                    </label>
                    <label>
                        {move || s().password}
                        <input name="senha" type="password" autocomplete="current-password" required />
                    </label>
                    <button type="submit">{move || s().sign_in}</button>
                </form>
            </section>
        </Frame>
    }
}

/// Never rendered in the browser: links to the page load it whole.
#[cfg(not(feature = "ssr"))]
#[component]
pub fn SignInPage() -> impl IntoView {}
