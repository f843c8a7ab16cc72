//! Progress of `sentinela ingest` on the terminal: a line per source that
//! spins while it is collected and then shows, per stage, the rows and
//! bytes; a line per gold table. Drawn on standard error, and only when it
//! is a terminal.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use indicatif::{HumanBytes, MultiProgress, ProgressBar, ProgressStyle};

use app::catalog::runs::{SourceReport, StageMetrics};

use crate::ingest::Observer;

/// The terminal's progress lines.
#[derive(Default)]
pub struct ProgressLines {
    lines: MultiProgress,
    sources: Mutex<HashMap<String, ProgressBar>>,
}

/// `bronze 21,658 rows 245.0 KiB · silver …`
fn figures(stages: &[StageMetrics]) -> String {
    stages
        .iter()
        .map(|s| format!("{} {} rows {}", s.stage, s.rows_out, HumanBytes(s.bytes)))
        .collect::<Vec<_>>()
        .join(" · ")
}

impl Observer for ProgressLines {
    fn source_started(&self, source: &str) {
        let line = self.lines.add(ProgressBar::new_spinner());
        line.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"),
        );
        line.set_message(format!("{source}: collecting"));
        line.enable_steady_tick(Duration::from_millis(120));
        self.sources
            .lock()
            .expect("not poisoned")
            .insert(source.to_owned(), line);
    }

    fn source_finished(&self, report: &SourceReport) {
        let Some(line) = self
            .sources
            .lock()
            .expect("not poisoned")
            .remove(&report.name)
        else {
            return;
        };
        line.set_style(ProgressStyle::with_template("✔ {msg}").expect("a valid template"));
        let detail = report
            .error
            .clone()
            .unwrap_or_else(|| figures(&report.stages));
        line.finish_with_message(format!("{}: {} {detail}", report.name, report.outcome));
    }

    fn gold_finished(&self, metrics: &StageMetrics) {
        let line = self.lines.add(ProgressBar::new_spinner());
        line.set_style(ProgressStyle::with_template("✔ {msg}").expect("a valid template"));
        line.finish_with_message(format!(
            "{}: {} rows {} in {:.2} s",
            metrics.stage,
            metrics.rows_out,
            HumanBytes(metrics.bytes),
            metrics.seconds
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_figures_read_as_rows_and_bytes() {
        let stage = |name: &str, rows, bytes| StageMetrics {
            stage: name.into(),
            rows_in: rows,
            rows_out: rows,
            rejected: 0,
            bytes,
            seconds: 0.1,
        };
        assert_eq!(
            figures(&[
                stage("bronze", 21_658, 250_880),
                stage("silver", 21_658, 2048)
            ]),
            "bronze 21658 rows 245.00 KiB · silver 21658 rows 2.00 KiB"
        );
    }
}
