//! Whole data-page documents, kept for the requests that carry no account
//! until the store's generation moves, so that a page answers without
//! rendering: its router, shell and hydration data are written once per
//! key. A kept document is split where it names the nonce of the request
//! that rendered it, and every answer joins the pieces with its own
//! request's nonce (which its Content-Security-Policy names), so no two
//! answers share a nonce. What can differ between two requests for the
//! same address (the account bar and its anti-forgery token) keeps them
//! out: a request with an account is rendered whole, as before. Browsers
//! that accept gzip get the document compressed once ([`gzip`]), not per
//! answer.

mod gzip;

use std::{
    convert::Infallible,
    sync::{Arc, OnceLock},
};

use app::{account::Account, embed::Embedded, page_html::PageKind};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use self::gzip::GzipPieces;
use super::page_policy::PageNonce;
use crate::{
    backend::page_cache::{PageCache, Rendered},
    store::Store,
};

/// The documents kept, and the store whose generation dates them.
#[derive(Clone)]
pub struct PageDocuments {
    kept: PageCache<Arc<Document>>,
    store: Store,
}

impl PageDocuments {
    pub fn new(store: Store) -> Self {
        PageDocuments {
            kept: PageCache::default(),
            store,
        }
    }
}

/// A rendered document, cut where its nonce stood.
pub struct Document {
    content_type: HeaderValue,
    pieces: Vec<Bytes>,
    /// The pieces deflated, when a browser first asks for gzip; `None` if
    /// that failed (the document then goes out as it is).
    gzip: OnceLock<Option<GzipPieces>>,
}

impl Rendered for Arc<Document> {
    fn bytes(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }
}

impl Document {
    /// Cuts `html` at every occurrence of `nonce`.
    fn cut(content_type: HeaderValue, html: &Bytes, nonce: &str) -> Document {
        let mut pieces = Vec::new();
        let mut start = 0;
        let needle = nonce.as_bytes();
        let mut at = 0;
        while let Some(found) = find(&html[at..], needle) {
            let end = at + found;
            pieces.push(html.slice(start..end));
            start = end + needle.len();
            at = start;
        }
        pieces.push(html.slice(start..));
        Document {
            content_type,
            pieces,
            gzip: OnceLock::new(),
        }
    }

    /// The document with `nonce` wherever the rendering's stood, as gzip
    /// if `gzip` and that can be made.
    fn answer(&self, nonce: &str, gzip: bool) -> Response {
        let deflated = gzip
            .then(|| {
                self.gzip.get_or_init(|| {
                    GzipPieces::new(&self.pieces)
                        .inspect_err(|error| tracing::warn!(%error, "cannot gzip a page"))
                        .ok()
                })
            })
            .and_then(Option::as_ref);
        let (chunks, encoding) = match deflated {
            Some(deflated) => (deflated.chunks(nonce.as_bytes()), Some("gzip")),
            None => (self.joined(nonce), None),
        };
        let length = chunks.iter().map(Bytes::len).sum::<usize>();
        let body = Body::from_stream(futures_util::stream::iter(
            chunks.into_iter().map(Ok::<_, Infallible>),
        ));
        let mut response = (
            [
                (header::CONTENT_TYPE, self.content_type.clone()),
                (header::CONTENT_LENGTH, HeaderValue::from(length)),
                (header::VARY, HeaderValue::from_static("accept-encoding")),
            ],
            body,
        )
            .into_response();
        if let Some(encoding) = encoding {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }

    /// The pieces with `nonce` between every two.
    fn joined(&self, nonce: &str) -> Vec<Bytes> {
        let nonce = Bytes::copy_from_slice(nonce.as_bytes());
        let last = self.pieces.len() - 1;
        self.pieces
            .iter()
            .enumerate()
            .flat_map(|(i, piece)| {
                let between = (i < last).then(|| nonce.clone());
                std::iter::once(piece.clone()).chain(between)
            })
            .collect()
    }
}

/// Whether the request accepts gzip (named, with a weight above 0).
fn accepts_gzip(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let named = parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("gzip"));
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            named && !refused
        })
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Answers a data page from its kept document, or renders it and keeps it
/// when it is a plain page for anyone: a 200 of HTML that sets no cookie.
pub async fn page_documents(
    State(documents): State<PageDocuments>,
    request: Request,
    next: Next,
) -> Response {
    let nonce = request.extensions().get::<PageNonce>().cloned();
    let (Some(PageNonce(nonce)), true) = (nonce, keepable(&request)) else {
        return next.run(request).await;
    };
    let nonce = nonce.to_string();
    let gzip = accepts_gzip(&request);
    let embedded = request.extensions().get::<Embedded>().is_some();
    let address = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let key = format!("{}{address}", if embedded { "embed " } else { "" });
    // Read before rendering: a publish during the rendering dates the
    // document with the generation it may have missed.
    let generation = documents.store.generation();
    let mut own = Some((request, next));
    // The answer of this request's own rendering, if it renders.
    let mut rendered = None;
    let document = documents
        .kept
        .get_or_render(generation, &key, || async {
            let (request, next) = own.take().expect("a request renders once");
            let (document, answer) = render(request, next, &nonce, gzip).await;
            rendered = Some(answer);
            document
        })
        .await;
    if let Some(answer) = rendered {
        return answer;
    }
    match (document, own) {
        (Some(document), _) => document.answer(&nonce, gzip),
        // Another request's rendering was not to keep (a 404, a cookie):
        // this one renders on its own.
        (None, Some((request, next))) => next.run(request).await,
        (None, None) => unreachable!("a request that rendered has its answer"),
    }
}

/// Renders `request`: its answer, and the document to keep when it is an
/// HTML page answered `200` without a cookie.
async fn render(
    request: Request,
    next: Next,
    nonce: &str,
    gzip: bool,
) -> (Option<Arc<Document>>, Response) {
    let response = next.run(request).await;
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let html = content_type
        .as_ref()
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if response.status() != StatusCode::OK
        || !html
        || response.headers().contains_key(header::SET_COOKIE)
    {
        return (None, response);
    }
    let (parts, body) = response.into_parts();
    let html = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(html) => html,
        Err(error) => {
            tracing::error!(%error, "a page's rendering failed while it was written");
            return (None, StatusCode::SERVICE_UNAVAILABLE.into_response());
        }
    };
    let document = Arc::new(Document::cut(
        content_type.unwrap_or(HeaderValue::from_static("text/html")),
        &html,
        nonce,
    ));
    let mut answer = document.answer(nonce, gzip);
    for (name, value) in parts.headers.iter() {
        answer.headers_mut().entry(name).or_insert(value.clone());
    }
    (Some(document), answer)
}

/// Whether the request asks, for no account, for a data page by `GET`.
fn keepable(request: &Request) -> bool {
    request.method() == Method::GET
        && request.extensions().get::<Account>().is_none()
        && PageKind::routed(request.uri().path()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn joined(response: Response) -> String {
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(body.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn every_answer_carries_its_own_nonce_where_the_rendering_s_stood() {
        let html = Bytes::from_static(
            b"<style nonce=\"N1\">a</style><script nonce=\"N1\">b</script><p>N</p>",
        );
        let document = Document::cut(HeaderValue::from_static("text/html"), &html, "N1");
        assert_eq!(document.pieces.len(), 3);
        assert_eq!(
            joined(document.answer("zz9", false)).await,
            "<style nonce=\"zz9\">a</style><script nonce=\"zz9\">b</script><p>N</p>"
        );
        let none = Document::cut(HeaderValue::from_static("text/html"), &html, "absent");
        assert_eq!(
            joined(none.answer("zz9", false)).await,
            String::from_utf8_lossy(&html)
        );
    }

    #[test]
    fn gzip_is_sent_to_who_accepts_it() {
        let asking = |value: &str| {
            let request = Request::builder()
                .header(header::ACCEPT_ENCODING, value)
                .body(Body::empty())
                .unwrap();
            accepts_gzip(&request)
        };
        assert!(asking("gzip, deflate, br, zstd"));
        assert!(asking("br;q=1.0, GZIP;q=0.5"));
        assert!(!asking("br"));
        assert!(!asking("gzip;q=0, br"));
        assert!(!asking("identity"));
    }
}
