//! Embed mode as the server's access gate decided it. The gate reads the
//! request's `embed` parameter once, checks the signed link, and leaves an
//! [`Embedded`] mark in the request; the shell, the frame and the account
//! bar read that mark, never the query, so no spelling of the parameter
//! (`embed=%31`, `embed=1&embed=0`) makes them disagree with the gate.

/// The mark the gate leaves in the request of an embedded view it admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded;

/// Whether the page being rendered is an embedded view. Always false in
/// the browser: embedded views are not hydrated.
pub fn is_embedded() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.extensions.get::<Embedded>().is_some())
    }
    #[cfg(not(feature = "ssr"))]
    false
}
