//! Security headers on every response: who may frame the pages (CSP
//! `frame-ancestors`, from the settings, so the intranet's iframe works and
//! no one else's does, and `X-Frame-Options` for browsers that predate it
//! when the list can be said that way), nothing loaded or run by answers
//! that are not pages (API, files, errors and refusals: `default-src
//! 'none'`; pages get theirs, with their nonce, from `page_policy`), no MIME
//! sniffing, no full URLs (with their filters) leaked to other sites in the
//! referrer, and HSTS when served over HTTPS.

use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
};
use tower_http::set_header::SetResponseHeaderLayer;

/// The `frame-ancestors` setting cannot be sent as a header.
#[derive(Debug, thiserror::Error)]
#[error("SENTINELA_FRAME_ANCESTORS is not a valid CSP source list: {0:?}")]
pub struct InvalidFrameAncestors(String);

/// Who may frame the site's answers, as the headers that say it.
#[derive(Clone, Debug)]
pub struct FramePolicy {
    /// `frame-ancestors <list>`, which pages put in their own policy.
    directive: String,
    /// The policy of every answer that sets none: nothing loads, nothing
    /// runs, no form posts, only the listed ancestors frame it.
    strict: HeaderValue,
    /// `DENY` or `SAMEORIGIN` when the list is `'none'` or `'self'`.
    x_frame_options: Option<HeaderValue>,
}

impl FramePolicy {
    /// The policy for `frame_ancestors` (e.g. `'self' https://intranet.example`).
    pub fn new(frame_ancestors: &str) -> Result<Self, InvalidFrameAncestors> {
        let list = frame_ancestors.trim();
        let valid = !list.is_empty()
            && list
                .bytes()
                .all(|b| (b.is_ascii_graphic() || b == b' ') && b != b';' && b != b',');
        let invalid = || InvalidFrameAncestors(frame_ancestors.to_owned());
        if !valid {
            return Err(invalid());
        }
        let directive = format!("frame-ancestors {list}");
        let strict = HeaderValue::from_str(&format!(
            "default-src 'none'; {directive}; base-uri 'none'; form-action 'none'"
        ))
        .map_err(|_| invalid())?;
        let x_frame_options = match list {
            "'none'" => Some(HeaderValue::from_static("DENY")),
            "'self'" => Some(HeaderValue::from_static("SAMEORIGIN")),
            _ => None,
        };
        Ok(FramePolicy {
            directive,
            strict,
            x_frame_options,
        })
    }

    /// The `frame-ancestors` directive.
    pub fn directive(&self) -> &str {
        &self.directive
    }
}

/// Adds the security headers to every response of `router`; `https` adds
/// HSTS (a year, subdomains included).
pub fn secure<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    framing: &FramePolicy,
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
    let router = match &framing.x_frame_options {
        Some(value) => router.layer(set(header::X_FRAME_OPTIONS, value.clone())),
        None => router,
    };
    // Pages set their own policy (frame-ancestors and their script nonce).
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            framing.strict.clone(),
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
        let policy = FramePolicy::new("'self' https://intranet.example").unwrap();
        assert_eq!(
            policy.directive(),
            "frame-ancestors 'self' https://intranet.example"
        );
        assert_eq!(
            policy.strict,
            "default-src 'none'; frame-ancestors 'self' https://intranet.example; \
             base-uri 'none'; form-action 'none'"
        );
        assert_eq!(
            policy.x_frame_options, None,
            "a list X-Frame-Options cannot say"
        );
        for bad in [
            "",
            "  ",
            "'self'; script-src *",
            "a,b",
            "x\ny",
            "'self' ção",
        ] {
            assert!(FramePolicy::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn old_browsers_get_x_frame_options_when_it_can_say_the_same() {
        let header = |list| FramePolicy::new(list).unwrap().x_frame_options;
        assert_eq!(header("'self'").unwrap(), "SAMEORIGIN");
        assert_eq!(header(" 'none' ").unwrap(), "DENY");
        assert_eq!(header("https://intranet.example"), None);
    }
}
