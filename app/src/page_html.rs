//! The data pages' content as HTML, rendered on the server by one server
//! function. The browser asks for it again when the URL changes (a filter,
//! the language, back or forward) and swaps it in without a page load, so
//! the WASM bundle carries none of the pages' tables, charts, formats or
//! data types: only this function's name, its three arguments, and a
//! plain-text answer (no JSON decoder).

use leptos::prelude::*;
use leptos::server_fn::codec::{StreamingText, TextStream};
use serde::{Deserialize, Serialize};

use crate::{i18n::FrameStrings, page_error::PageError};

/// Which page's content to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageKind {
    /// `/`: headline figures, the state map, rankings, the sources.
    Overview,
    /// `/uf/{uf}`: a state's charts, city map and cities.
    State,
    /// `/municipio/{code}`: a city's charts and rank.
    City,
    /// `/dados`: the sources and the latest ingest runs.
    Quality,
    /// `/busca?q=…`: the states and cities whose names match.
    Search,
    /// `/hospitais`: the hospitals, filtered, sorted and paged.
    Hospitals,
    /// `/hospital/{cnes}`: one hospital's series and its city's others.
    Hospital,
}

impl PageKind {
    /// The route parameter the page reads, if any.
    pub fn param(self) -> Option<&'static str> {
        match self {
            PageKind::State => Some("uf"),
            PageKind::City => Some("code"),
            PageKind::Hospital => Some("cnes"),
            PageKind::Overview | PageKind::Quality | PageKind::Search | PageKind::Hospitals => None,
        }
    }

    /// The data page whose route `path` matches, whatever its parameter
    /// (`/uf/XX` too: its answer says the state does not exist).
    pub fn routed(path: &str) -> Option<PageKind> {
        match path.strip_prefix('/')?.split_once('/') {
            None => match path {
                "/" => Some(PageKind::Overview),
                "/dados" => Some(PageKind::Quality),
                "/busca" => Some(PageKind::Search),
                "/hospitais" => Some(PageKind::Hospitals),
                _ => None,
            },
            Some((_, param)) if param.is_empty() || param.contains('/') => None,
            Some(("uf", _)) => Some(PageKind::State),
            Some(("municipio", _)) => Some(PageKind::City),
            Some(("hospital", _)) => Some(PageKind::Hospital),
            Some(_) => None,
        }
    }

    /// The data page at `path` (`/`, `/dados`, `/uf/SP`,
    /// `/municipio/3550308`), if `path` is one with a parameter that can
    /// exist: the views an embed link may open.
    pub fn at(path: &str) -> Option<PageKind> {
        match path.strip_prefix('/')?.split_once('/') {
            None if path == "/" => Some(PageKind::Overview),
            None if path == "/dados" => Some(PageKind::Quality),
            Some(("uf", uf)) if crate::catalog::vocabulary::Uf::parse(uf).is_some() => {
                Some(PageKind::State)
            }
            Some(("municipio", code)) if is_city_code(code) => Some(PageKind::City),
            _ => None,
        }
    }

    /// What the page says when its data cannot be read.
    pub fn unavailable(self, s: &FrameStrings) -> &'static str {
        match self {
            PageKind::Overview => s.overview_unavailable,
            PageKind::State => s.state_unavailable,
            PageKind::City => s.city_unavailable,
            PageKind::Quality => s.status_unavailable,
            PageKind::Search => s.search_unavailable,
            PageKind::Hospitals | PageKind::Hospital => s.hospitals_unavailable,
        }
    }
}

/// Whether `code` can name a city: IBGE's 7 digits.
pub fn is_city_code(code: &str) -> bool {
    code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The content of the `kind` page for the route parameter `param` (a state
/// or city code; empty for the others) and the URL's `query` (without `?`),
/// which holds every filter and the language.
///
/// The answer is plain text (`StreamingText`, one chunk): no JSON decoder in
/// the browser for it. A failure answers its status with a [`PageError`].
#[server(prefix = "/sf", endpoint = "page", output = StreamingText)]
pub async fn page_html(
    kind: PageKind,
    param: String,
    query: String,
) -> Result<TextStream<PageError>, PageError> {
    use crate::pages::{city, hospital, hospitals, overview, quality, search, state};

    // The content depends on the page, its parameter, its query and the
    // data alone: what differs per account is rendered around it.
    let backend = crate::backend::current()?;
    let key = format!("{kind:?}|{param}|{query}");
    let generation = backend.generation();
    if let Some(html) = backend.cached_page(generation, &key) {
        return Ok(TextStream::from(futures::stream::once(async move {
            html.to_string()
        })));
    }
    let query =
        leptos_router::location::RequestUrl::new(&format!("/?{}", query.trim_start_matches('?')))
            .parse()
            .map(|url| url.search_params().clone())
            .unwrap_or_default();
    let html = match kind {
        PageKind::Overview => overview::html(&query).await,
        PageKind::State => state::html(&param, &query).await,
        PageKind::City => city::html(&param, &query).await,
        PageKind::Quality => quality::html(&query).await,
        PageKind::Search => search::html(&query).await,
        PageKind::Hospitals => hospitals::html(&query).await,
        PageKind::Hospital => hospital::html(&param, &query).await,
    }?;
    // Every data page starts with the search box, headed by the view's
    // title for the browser to show after a navigation.
    let path = match (kind, param.as_str()) {
        (PageKind::State, uf) => format!("/uf/{uf}"),
        (PageKind::City, code) => format!("/municipio/{code}"),
        (PageKind::Quality, _) => "/dados".to_owned(),
        (PageKind::Search, _) => "/busca".to_owned(),
        (PageKind::Hospitals, _) => "/hospitais".to_owned(),
        (PageKind::Hospital, cnes) => format!("/hospital/{cnes}"),
        (PageKind::Overview, _) => "/".to_owned(),
    };
    let title = crate::view_title::of(&path, &query);
    let html = crate::view_title::marked(&title, &(search::form(&query) + &html));
    backend.keep_page(generation, key, html.as_str().into());
    Ok(TextStream::from(futures::stream::once(async { html })))
}

/// The content of a page, as [`page_html`] sends it, whole.
pub async fn read_page(kind: PageKind, param: String, query: String) -> Result<String, PageError> {
    use futures::TryStreamExt;

    page_html(kind, param, query)
        .await?
        .into_inner()
        .try_collect()
        .await
}
