//! Dados e qualidade: what a reader needs to trust or doubt the figures:
//! each source's state and freshness, the latest ingest runs with rows in
//! and out of each layer and the rows rejected, and the alerts that failed
//! to arrive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{catalog::runs::RunReport, indicators::BacktestScore, status::SourceStatus};

/// One ingest run, as its stored report tells it, with its recorded error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunDetail {
    pub report: RunReport,
    pub error: Option<String>,
}

/// An edition held back by its source's data contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldNote {
    pub source: String,
    /// The run that held it (what `sentinela accept` takes).
    pub run: String,
    pub reason: String,
    pub held_at: DateTime<Utc>,
}

/// An alert delivery that failed at least once and has not arrived: its
/// channel, whether it is still tried, and why it failed (never its
/// rule's account, name or destination).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Undelivered {
    /// `webhook` or `email`.
    pub channel: String,
    /// Given up (`dead`), else still tried.
    pub dead: bool,
    pub attempts: i64,
    pub last_error: String,
    pub fired_at: DateTime<Utc>,
    /// When it is tried next, if still tried.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// The data and quality page's content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub sources: Vec<SourceStatus>,
    /// Editions waiting for an admin, newest first.
    pub held: Vec<HeldNote>,
    /// The gold units behind the collected data (a run died or failed
    /// before computing them); empty when every indicator is current.
    pub gold_behind: Vec<String>,
    /// Newest first.
    pub runs: Vec<RunDetail>,
    /// The nowcast's backtest at the newest vintage; empty before there
    /// are enough vintages to score it.
    pub backtest: Vec<BacktestScore>,
    /// Newest first.
    pub undelivered: Vec<Undelivered>,
}
