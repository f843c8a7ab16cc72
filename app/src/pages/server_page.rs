//! A data page in the browser: the frame, and the content the server renders
//! for the current URL ([`read_page`]), fetched again when the URL changes
//! and swapped in without a page load. Inside that HTML, links are followed
//! by the router as any other; a GET form (the period) and an element with
//! `data-href` (a state on the map, by click or Enter) navigate the same way.
//!
//! The first load does not send the content twice: hydration keeps an
//! element's `inner_html` as the server wrote it, so the page's resource
//! travels to the browser as whether it was read, not as the HTML again
//! ([`InPage`]).

use std::convert::Infallible;

use leptos::{
    ev::{KeyboardEvent, MouseEvent, SubmitEvent},
    prelude::*,
    server::codee::{Decoder, Encoder},
    wasm_bindgen::JsCast,
    web_sys::{Element, FormData, HtmlFormElement, UrlSearchParams},
};
use leptos_router::{
    NavigateOptions,
    hooks::{use_location, use_navigate, use_params_map},
};

use super::{frame::Frame, not_found::Unknown};
use crate::{
    i18n::use_lang,
    page_error::PageError,
    page_html::{PageKind, read_page},
};

/// The page of `kind`, its content rendered by the server.
#[component]
pub fn ServerPage(kind: PageKind) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let location = use_location();
    let content = Resource::<_, InPage>::new_with_options(
        move || {
            let param = kind.param().and_then(|name| params.read().get(name));
            (param.unwrap_or_default(), location.search.get())
        },
        move |(param, query)| read_again_once(kind, param, query),
        false,
    );
    let navigate = use_navigate();
    let go = move |to: &str| navigate(to, NavigateOptions::default());
    // While a filter's new content loads, the old one stays, dimmed and
    // marked busy (the stylesheet draws a bar above it).
    let pending = RwSignal::new(false);
    view! {
        <Frame>
            <div class="page-state" aria-busy=move || pending.get().then_some("true")>
            <Transition
                fallback=move || view! { <p>{move || lang.get().frame().loading}</p> }
                set_pending=pending.write_only()
            >
                {move || Suspend::new({
                    let go = go.clone();
                    async move {
                        match content.await {
                            Ok(html) => {
                                // After a navigation, the document takes the new view's title.
                                #[cfg(not(feature = "ssr"))]
                                if let Some(title) = crate::view_title::in_content(&html) {
                                    leptos::prelude::document().set_title(title);
                                }
                                let (on_click, on_key, on_submit) = (go.clone(), go.clone(), go);
                                view! {
                                    <div
                                        class="page-content"
                                        inner_html=html
                                        on:click=move |e: MouseEvent| follow(e.target(), &on_click)
                                        on:keydown=move |e: KeyboardEvent| {
                                            if e.key() == "Enter" {
                                                follow(e.target(), &on_key)
                                            }
                                        }
                                        on:submit=move |e: SubmitEvent| submit(e, &on_submit)
                                    ></div>
                                }
                                    .into_any()
                            }
                            // An unknown state or city is no outage.
                            Err(PageError::NotFound) => view! { <Unknown /> }.into_any(),
                            // An outage keeps the frame and offers to try again.
                            Err(_) => view! {
                                <p class="notice notice-error" role="alert">
                                    {move || kind.unavailable(lang.get().frame())}
                                    " "
                                    // An empty address is this one, loaded whole.
                                    <a href="" rel="external">{lang.get_untracked().frame().try_again}</a>
                                </p>
                            }
                                .into_any(),
                        }
                    }
                })}
            </Transition>
            </div>
        </Frame>
    }
}

/// A page's content as its resource hands it to hydration: empty when it
/// was read (the HTML is in the page already, and hydration keeps it), the
/// failure's code when it was not (the browser draws that notice itself).
struct InPage;

type Content = Result<String, PageError>;

impl Encoder<Content> for InPage {
    type Error = Infallible;
    type Encoded = String;

    fn encode(content: &Content) -> Result<String, Infallible> {
        Ok(match content {
            Ok(_) => String::new(),
            Err(error) => error.code().to_owned(),
        })
    }
}

impl Decoder<Content> for InPage {
    type Error = Infallible;
    type Encoded = str;

    fn decode(sent: &str) -> Result<Content, Infallible> {
        Ok(match sent {
            "" => Ok(String::new()),
            code => Err(PageError::from_code(code)),
        })
    }
}

/// The page's content, read once more when the first read finds the data
/// unavailable: a blip (a dropped connection, a store briefly busy) should
/// not put the outage notice in place of a page that reads the next moment.
async fn read_again_once(kind: PageKind, param: String, query: String) -> Content {
    match read_page(kind, param.clone(), query.clone()).await {
        Err(PageError::Unavailable) => read_page(kind, param, query).await,
        read => read,
    }
}

/// Opens the `data-href` of the event's target or its nearest ancestor with one.
fn follow(target: Option<leptos::web_sys::EventTarget>, go: &impl Fn(&str)) {
    let href = target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|el| el.closest("[data-href]").ok().flatten())
        .and_then(|el| el.get_attribute("data-href"));
    if let Some(href) = href {
        go(&href);
    }
}

/// Sends a GET form as a navigation to its page (its `action`, else this
/// page) with the form's fields as the query, as the browser would but
/// without a page load.
fn submit(event: SubmitEvent, go: &impl Fn(&str)) {
    let Some(form) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    if form.method() != "get" {
        return;
    }
    let Ok(fields) = FormData::new_with_form(&form)
        .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data))
    else {
        return;
    };
    event.prevent_default();
    // The form's own page (the search box's `/busca`), else this one.
    let path = form
        .get_attribute("action")
        .filter(|action| action.starts_with('/'))
        .or_else(|| leptos::prelude::window().location().pathname().ok())
        .unwrap_or_default();
    go(&format!("{path}?{}", String::from(fields.to_string())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hydration_gets_whether_the_content_was_read_not_the_content() {
        let read: Content = Ok("<h1>Visão geral</h1>".to_owned());
        assert_eq!(InPage::encode(&read).unwrap(), "");
        assert_eq!(InPage::decode("").unwrap().unwrap(), "");
        let failed: Content = Err(PageError::NotFound);
        let sent = InPage::encode(&failed).unwrap();
        assert_eq!(InPage::decode(&sent).unwrap(), failed);
    }
}
