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

/// What a collection failure was, told from its message: what the data page
/// says in plain words before the detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The source could not be reached: no network, no name resolution,
    /// refused or timed out.
    Unreachable,
    /// The source answered with this HTTP error status.
    Http(u16),
    /// Anything else (a file that would not parse, a store that failed).
    Other,
}

impl Failure {
    pub fn of(error: &str) -> Failure {
        let text = error.to_ascii_lowercase();
        const UNREACHABLE: [&str; 7] = [
            "dns error",
            "failed to lookup address",
            "connection refused",
            "network is unreachable",
            "timed out",
            "error sending request",
            "tcp connect",
        ];
        if UNREACHABLE.iter().any(|sign| text.contains(sign)) {
            return Failure::Unreachable;
        }
        text.match_indices("http ")
            .find_map(|(at, _)| {
                let code = text.get(at + 5..at + 8)?;
                code.parse().ok().filter(|c| (400..600).contains(c))
            })
            .map_or(Failure::Other, Failure::Http)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_told_from_their_messages() {
        let offline = "fetching https://raw.githubusercontent.com/x.csv: error sending request \
                       for url (https://raw.githubusercontent.com/x.csv): client error (Connect): \
                       dns error: failed to lookup address information";
        assert_eq!(Failure::of(offline), Failure::Unreachable);
        assert_eq!(
            Failure::of("fetching x: HTTP 404 Not Found"),
            Failure::Http(404)
        );
        assert_eq!(Failure::of("fetching x: HTTP 503"), Failure::Http(503));
        assert_eq!(Failure::of("cases.csv: line 3: bad date"), Failure::Other);
    }
}
