//! What each pipeline stage reports: rows in and out, rejects, bytes, time.

use std::time::Instant;

use serde::{Deserialize, Serialize};

/// The figures of one stage of one source (or of a gold table).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageMetrics {
    pub stage: String,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rejected: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl StageMetrics {
    /// Figures of a stage that started at `started`.
    pub fn since(
        stage: &str,
        started: Instant,
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
