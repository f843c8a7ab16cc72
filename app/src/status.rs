//! What the dashboard knows about its data: each configured source, whether
//! it has been collected, when, and why not. Shown instead of empty charts
//! until the first ingest finishes, and on the data-quality page afterwards.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The state of every configured source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataStatus {
    pub sources: Vec<SourceStatus>,
}

impl DataStatus {
    /// True once at least one source has been collected successfully.
    pub fn has_data(&self) -> bool {
        self.sources.iter().any(|s| s.last_success.is_some())
    }
}

/// One configured source and its collection history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceStatus {
    /// Identifier used in the configuration and the CLI.
    pub name: String,
    /// Human-readable title, with the publisher.
    pub title: String,
    /// Connector kind (`http`, `elasticsearch`, `gdrive`, `postgres`).
    pub kind: String,
    pub state: SourceState,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    /// The newest date the source's data refers to.
    pub newest_date: Option<NaiveDate>,
    /// The last failure, when the last attempt failed.
    pub last_error: Option<String>,
}

/// Where a source stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SourceState {
    /// Never attempted.
    Pending,
    /// The last attempt succeeded.
    Ok,
    /// The last attempt failed; `last_error` says why.
    Failing,
    /// The last attempt succeeded, but the last success is older than two
    /// of the source's collection intervals: the scheduler is behind.
    Late,
    /// Collected, but the newest date of its data is older than its
    /// publisher's updates allow: the source is no longer updated.
    Stale,
}
