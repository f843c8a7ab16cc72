//! Security headers on every response: who may frame the pages (CSP
//! `frame-ancestors`, from the settings, so the intranet's iframe works and
//! no one else's does), no MIME sniffing, no full URLs (with their filters)
//! leaked to other sites in the referrer, and HSTS when served over HTTPS.

use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
};
use tower_http::set_header::SetResponseHeaderLayer;

/// The `frame-ancestors` setting cannot be sent as a header.
#[derive(Debug, thiserror::Error)]
#[error("SENTINELA_FRAME_ANCESTORS is not a valid CSP source list: {0:?}")]
pub struct InvalidFrameAncestors(String);

/// The framing policy for `frame_ancestors` (e.g. `'self' https://intranet.example`).
pub fn frame_policy(frame_ancestors: &str) -> Result<HeaderValue, InvalidFrameAncestors> {
    let list = frame_ancestors.trim();
    let valid = !list.is_empty() && !list.contains([';', ',', '\n', '\r']);
    valid
        .then(|| HeaderValue::from_str(&format!("frame-ancestors {list}")).ok())
        .flatten()
        .ok_or_else(|| InvalidFrameAncestors(frame_ancestors.to_owned()))
}

/// Adds the security headers to every response of `router`; `https` adds
/// HSTS (a year, subdomains included).
pub fn secure<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    frame_policy: HeaderValue,
    https: bool,
) -> Router<S> {
    let set =
        |name: HeaderName, value: HeaderValue| SetResponseHeaderLayer::overriding(name, value);
    let router = match https {
        true => router.layer(set(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )),
        false => router,
    };
    // Pages set their own policy (frame-ancestors and their script nonce).
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            frame_policy,
        ))
        .layer(set(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(set(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_policies_are_source_lists_only() {
        assert_eq!(
            frame_policy("'self' https://intranet.example").unwrap(),
            "frame-ancestors 'self' https://intranet.example"
        );
        for bad in ["", "  ", "'self'; script-src *", "a,b", "x\ny"] {
            assert!(frame_policy(bad).is_err(), "{bad:?}");
        }
    }
}
