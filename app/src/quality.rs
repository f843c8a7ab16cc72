//! Dados e qualidade: what a reader needs to trust or doubt the figures:
//! each source's state and freshness, and the latest ingest runs with rows
//! in and out of each layer and the rows rejected.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::status::SourceStatus;

/// One stage of one source in a run (or one gold table).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// `bronze`, `silver`, or `gold <table>`.
    pub stage: String,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rejected: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// What happened to one source in a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceRun {
    pub name: String,
    /// `new`, `unchanged`, `refined`, `accepted`, `held` or `failed`.
    pub outcome: String,
    pub error: Option<String>,
    /// Why its edition is held.
    #[serde(default)]
    pub held: Option<String>,
    pub stages: Vec<Stage>,
}

/// One ingest run, as its stored report tells it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunDetail {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// `ok`, `held`, `partial` or `failed`.
    pub status: String,
    #[serde(default)]
    pub error: Option<String>,
    pub sources: Vec<SourceRun>,
    pub gold: Vec<Stage>,
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
}
