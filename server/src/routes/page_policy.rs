//! Each page's Content-Security-Policy and the nonce it names, both decided
//! here for every request: the nonce is handed to the page's rendering
//! (Leptos reads it from its context, so the page's scripts and stylesheet
//! carry it), and every HTML answer of the routes names it in its policy.
//! The policy thus never depends on what the renderer did with its own
//! response options; answers that are not pages keep the strict policy
//! ([`super::headers`]).

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

use super::headers::FramePolicy;

/// The nonce minted for a request, in its extensions.
#[derive(Clone, Debug)]
pub struct PageNonce(pub Nonce);

/// Gives the Leptos rendering of this request its nonce: called with the
/// pages' context, after Leptos provided its own.
pub fn provide_page_nonce() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    if let Some(PageNonce(nonce)) = nonce {
        leptos::prelude::provide_context(nonce);
    }
}

/// Mints the request's nonce and names it in the policy of an HTML answer:
/// who may frame it, scripts only from this site or inline with the nonce,
/// styles only inline with the nonce (no style attribute applies).
pub async fn page_policy(
    State(framing): State<FramePolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if html && let Ok(policy) = HeaderValue::from_str(&policy(&framing, &nonce)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

fn policy(framing: &FramePolicy, nonce: &Nonce) -> String {
    format!(
        "{}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'nonce-{nonce}'; \
         object-src 'none'; base-uri 'none'",
        framing.directive()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_may_run_only_this_site_s_scripts_and_what_carries_its_nonce() {
        let framing = FramePolicy::new("'self'").unwrap();
        let nonce = Nonce::from_value("abc");
        assert_eq!(
            policy(&framing, &nonce),
            "frame-ancestors 'self'; script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'; \
             style-src 'nonce-abc'; object-src 'none'; base-uri 'none'"
        );
    }
}
