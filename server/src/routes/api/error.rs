//! The API's failures as HTTP answers: a bad parameter is a 400 naming it
//! and what it allows; a store failure is a 503 telling the client to retry
//! (logged once, here). Never a 500 for what a client sent.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::json_error::{ErrorBody, error_response};

/// A query parameter that cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ParamError {
    /// The parameter at fault.
    pub parameter: String,
    /// What is wrong with it.
    pub message: String,
    /// What it accepts.
    pub allowed: String,
}

impl ParamError {
    pub fn new(parameter: &str, message: impl Into<String>, allowed: impl Into<String>) -> Self {
        ParamError {
            parameter: parameter.to_owned(),
            message: message.into(),
            allowed: allowed.into(),
        }
    }
}

/// The failures every endpoint may answer, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only its description is used.
pub enum Failures {
    /// A parameter is invalid: the body names it and what it allows.
    #[response(status = 400)]
    BadParameter(ErrorBody),
    /// In `login` mode: no session and no (or a revoked) API token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Too many requests from this address; retry after `Retry-After` seconds.
    #[response(status = 429)]
    TooManyRequests(ErrorBody),
    /// The store is unavailable; retry after `Retry-After` seconds.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// Why an API request failed.
#[derive(Debug)]
pub enum ApiError {
    Param(ParamError),
    NotFound,
    /// The path names something the data does not hold (what, said).
    Unknown(&'static str),
    /// A change or an account's data without an account (alerts).
    Unauthorized,
    /// The caller's account may not reach it (what, said).
    Forbidden(&'static str),
    /// The store could not answer; the cause is logged, not sent.
    Unavailable(crate::store::StoreError),
    /// A response could not be written (a bug, logged).
    Rendering(String),
}

impl From<ParamError> for ApiError {
    fn from(error: ParamError) -> Self {
        ApiError::Param(error)
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        ApiError::Unavailable(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Param(error) => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    error: "invalid_parameter",
                    message: error.message,
                    parameter: Some(error.parameter),
                    allowed: Some(error.allowed),
                },
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorBody::plain("not_found", "no such endpoint; see /api/v1/openapi.json"),
            ),
            ApiError::Unknown(what) => (StatusCode::NOT_FOUND, ErrorBody::plain("not_found", what)),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::plain(
                    "unauthorized",
                    "send an API token (Authorization: Bearer …) or sign in",
                ),
            ),
            ApiError::Forbidden(what) => {
                (StatusCode::FORBIDDEN, ErrorBody::plain("forbidden", what))
            }
            ApiError::Unavailable(error) => {
                tracing::error!(error = %error, "API store read failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorBody::plain(
                        "unavailable",
                        "the data store is unavailable; retry shortly",
                    ),
                )
            }
            ApiError::Rendering(error) => {
                tracing::error!(%error, "API response rendering failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody::plain("internal", "the response could not be written"),
                )
            }
        };
        error_response(status, body)
    }
}
