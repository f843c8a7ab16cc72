//! An ingest's outcome, told once in a stable log field. Every ingest, the
//! server's scheduled runs, an admin's and the ingest job's
//! (`sentinela ingest`), ends with one event whose `ingest_run_status` is
//! the run's status (`ok`, `held`, `partial`, `failed`, as recorded on
//! `/dados`), `idle` for a job that found nothing due, or `busy` for one
//! that found another ingest running. In AWS, CloudWatch metric filters
//! count these events for the alarms on failed, held and missing runs
//! (`terraform/modules/alarms`), so the field's name and values are a
//! contract: change them there too.

use app::catalog::runs::RunReport;

/// What an ingest did.
#[derive(Debug)]
pub enum Outcome {
    /// Another process holds the ingest lock: nothing was done.
    Busy,
    /// Nothing was due and gold was current: nothing was done.
    Idle,
    /// A run and its report.
    Ran(RunReport),
}

/// Tells `outcome` of the ingest `what`, once, with `ingest_run_status`.
pub fn log(what: &str, outcome: &anyhow::Result<Outcome>) {
    match outcome {
        Ok(Outcome::Ran(report)) => tracing::info!(
            ingest_run_status = report.status.code(),
            run = %report.id,
            "{what} done"
        ),
        Ok(Outcome::Idle) => {
            tracing::info!(ingest_run_status = "idle", "{what}: nothing was due")
        }
        Ok(Outcome::Busy) => tracing::info!(
            ingest_run_status = "busy",
            "{what}: another ingest is running"
        ),
        Err(error) => tracing::error!(
            ingest_run_status = "failed",
            error = format!("{error:#}"),
            "{what} failed"
        ),
    }
}
