//! The JSON body of every refusal and failure that is not a page: the
//! API's, the admin routes' and the access gate's, one shape for scripts.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every JSON error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid_parameter`, `not_found`, `unavailable`, `internal`, or from
    /// the access gate `unauthorized`, `forbidden`, `too_many_requests`,
    /// `cross_site`.
    pub error: &'static str,
    pub message: String,
    /// Set for `invalid_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
}

impl ErrorBody {
    /// A body with no parameter to name.
    pub fn plain(error: &'static str, message: impl Into<String>) -> Self {
        ErrorBody {
            error,
            message: message.into(),
            parameter: None,
            allowed: None,
        }
    }
}

/// An error answer: `status` with `body`, and `Retry-After` on a 503.
pub fn error_response(status: StatusCode, body: ErrorBody) -> Response {
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}
