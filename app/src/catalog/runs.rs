//! What an ingest run reports, as the pipeline writes it into the run
//! record and the data and quality page reads it back: one set of types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::vocabulary::vocabulary;

vocabulary!(
    /// How a run ended.
    RunStatus {
        /// Every source and gold table it tried is current.
        Ok = "ok",
        /// Nothing failed, but an edition broke its source's data contract
        /// and waits for an admin.
        Held = "held",
        /// Some sources or gold tables failed; the others refreshed.
        Partial = "partial",
        /// Everything it tried failed.
        Failed = "failed",
    }
);

vocabulary!(
    /// What a run did with one source.
    Outcome {
        /// New content, refined into silver.
        New = "new",
        /// The same content as the silver committed from it.
        Unchanged = "unchanged",
        /// Unchanged content refined again: its silver was never committed,
        /// is missing, or was refined with an older reference.
        Refined = "refined",
        /// A held edition an admin accepted, refined into silver.
        Accepted = "accepted",
        /// An edition that broke the source's contract, kept out of silver.
        Held = "held",
        /// `ingest --from DIR`: the folder holds no file of it.
        Absent = "absent",
        Failed = "failed",
    }
);

/// The figures of one stage of one source (or of a gold table): rows in
/// and out, rejects, bytes written and seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageMetrics {
    /// `bronze`, `silver`, … or `gold <table>`.
    pub stage: String,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rejected: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl StageMetrics {
    /// The figures of a stage that started at `started` (on the server).
    pub fn since(
        stage: &str,
        started: std::time::Instant,
        rows_in: u64,
        rows_out: u64,
        rejected: u64,
        bytes: u64,
    ) -> Self {
        StageMetrics {
            stage: stage.to_owned(),
            rows_in,
            rows_out,
            rejected,
            bytes,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// What happened to one source in a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceReport {
    pub name: String,
    pub outcome: Outcome,
    pub error: Option<String>,
    /// Why its edition is held (outcome `held`).
    #[serde(default)]
    pub held: Option<String>,
    pub stages: Vec<StageMetrics>,
}

/// The gold rows a run loaded into the store (PostgreSQL: by `COPY`), and
/// the seconds it took.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreLoad {
    pub rows: u64,
    pub seconds: f64,
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub status: RunStatus,
    pub sources: Vec<SourceReport>,
    pub gold: Vec<StageMetrics>,
    /// The gold units that could not be computed, with why; their last
    /// published gold keeps serving, and the next run tries again.
    #[serde(default)]
    pub gold_errors: Vec<String>,
    /// Loading the gold tables into the store's staging tables.
    #[serde(default)]
    pub store: StoreLoad,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run records keep the codes the pages and scripts read.
    #[test]
    fn a_report_is_stored_with_its_codes_and_read_back() {
        let at = "2020-07-21T03:00:00Z".parse().unwrap();
        let report = RunReport {
            id: "run-1".into(),
            started_at: at,
            finished_at: at,
            status: RunStatus::Partial,
            sources: vec![SourceReport {
                name: "cases-states".into(),
                outcome: Outcome::Held,
                error: None,
                held: Some("the rows fell".into()),
                stages: Vec::new(),
            }],
            gold: Vec::new(),
            gold_errors: vec!["srag: no silver".into()],
            store: StoreLoad::default(),
        };
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains(r#""status":"partial""#), "{json}");
        assert!(json.contains(r#""outcome":"held""#), "{json}");
        assert_eq!(serde_json::from_str::<RunReport>(&json).unwrap(), report);
        assert!(serde_json::from_str::<RunStatus>(r#""fine""#).is_err());
        assert_eq!(report.status, "partial");
    }
}
