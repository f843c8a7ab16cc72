//! Why a data page's content could not be rendered: a call that names no
//! page (400), a state or city that does not exist (404), data that cannot
//! be read (503). The page server function answers with that status and
//! the kind of failure alone, never the request's text, so nothing a
//! caller sent comes back; on the wire it is one plain-text word, so the
//! WASM needs no decoder beyond a `match`.

use leptos::server_fn::{
    Bytes, ContentType, Decodes, Encodes, Format, FormatType,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// Why a page's content is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The call's arguments do not name a page.
    #[error("the request does not name a page")]
    BadRequest,
    /// The state or city does not exist.
    #[error("no such place")]
    NotFound,
    /// The data could not be read.
    #[error("the data is unavailable")]
    Unavailable,
}

impl PageError {
    const ALL: [PageError; 3] = [
        PageError::BadRequest,
        PageError::NotFound,
        PageError::Unavailable,
    ];

    /// The word that stands for the failure on the wire and in the page's
    /// hydration data.
    pub fn code(self) -> &'static str {
        match self {
            PageError::BadRequest => "bad_request",
            PageError::NotFound => "not_found",
            PageError::Unavailable => "unavailable",
        }
    }

    /// The failure `code` stands for; an unknown word is an unavailable page.
    pub fn from_code(code: &str) -> PageError {
        PageError::ALL
            .into_iter()
            .find(|error| error.code() == code)
            .unwrap_or(PageError::Unavailable)
    }

    /// This failure, with the HTTP status of the page or server function
    /// being answered set to match.
    pub fn answered(self) -> Self {
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(match self {
                PageError::BadRequest => http::StatusCode::BAD_REQUEST,
                PageError::NotFound => http::StatusCode::NOT_FOUND,
                PageError::Unavailable => http::StatusCode::SERVICE_UNAVAILABLE,
            });
        }
        self
    }
}

impl FromServerFnError for PageError {
    type Encoder = PageErrorText;

    /// Arguments that do not parse are the caller's fault (400); anything
    /// else the server function machinery reports is an outage (503). The
    /// error's own text, which may quote the arguments, is dropped.
    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => PageError::BadRequest,
            _ => PageError::Unavailable,
        }
        .answered()
    }
}

/// [`PageError`] on the wire: its code as plain text.
pub struct PageErrorText;

impl ContentType for PageErrorText {
    const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";
}

impl FormatType for PageErrorText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl Encodes<PageError> for PageErrorText {
    type Error = std::convert::Infallible;

    fn encode(error: &PageError) -> Result<Bytes, Self::Error> {
        Ok(Bytes::from_static(error.code().as_bytes()))
    }
}

impl Decodes<PageError> for PageErrorText {
    type Error = std::convert::Infallible;

    fn decode(bytes: Bytes) -> Result<PageError, Self::Error> {
        Ok(PageError::from_code(
            std::str::from_utf8(&bytes).unwrap_or_default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_travels_as_its_code_and_nothing_else() {
        for error in PageError::ALL {
            let sent = PageErrorText::encode(&error).unwrap();
            assert_eq!(PageErrorText::decode(sent).unwrap(), error);
        }
        let echoed = PageError::from_server_fn_error(ServerFnErrorErr::Args(
            "unknown variant `<script>`".into(),
        ));
        assert_eq!(echoed, PageError::BadRequest);
        assert!(!PageErrorText::encode(&echoed).unwrap().contains(&b'<'));
        assert_eq!(PageError::from_code("<script>"), PageError::Unavailable);
    }
}
