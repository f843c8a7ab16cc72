//! The ingest pipeline: sources → raw → bronze → silver → gold → store.
//!
//! A run fetches each selected source ([`fetch`]); a source whose content
//! did not change stops there. Changed content is parsed into bronze (rows
//! and rejects) and conformed into silver. When anything changed, the gold
//! tables are recomputed from silver, written to the lake, staged in the
//! store and published in one transaction together with the source states
//! and the run record. A failing source is recorded with its error and
//! leaves the last good data serving; the other sources still refresh.

pub mod brasilio;
mod bronze;
pub mod cases;
pub mod cities;
mod decode;
mod elastic;
pub mod fetch;
pub mod formats;
mod gdrive;
pub mod geometry;
mod gold_rows;
mod hashing;
pub mod manifest;
pub mod metrics;
pub mod municipalities;
pub mod occupancy;
mod parquet;
pub mod patients;
pub mod population;
mod query;
pub mod ranking;
pub mod reject;
mod reports;
pub mod secrets;
mod sort;
pub mod srag;

use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use self::{
    fetch::{Fetched, Fetcher, Origin},
    formats::{
        occupancy_api,
        occupancy_opendatasus::{self, PatientReport},
        occupancy_snapshot::{self, Notification},
    },
    manifest::Manifest,
    metrics::StageMetrics,
    population::Populations,
    reports::Report,
};
use crate::{
    lake::Lake,
    sources::{Format, SourceConfig},
    store::{GoldRow, RunRow, SourceStateRow, Store},
};

/// The bronze and silver results of one fetch.
pub struct Refined {
    pub stages: Vec<StageMetrics>,
    /// The newest date the source's data refers to.
    pub newest_date: Option<NaiveDate>,
}

/// What happened to one source in a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceReport {
    pub name: String,
    /// `new`, `unchanged`, `refined` (unchanged content refined again) or
    /// `failed`.
    pub outcome: String,
    pub error: Option<String>,
    pub stages: Vec<StageMetrics>,
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// `ok`, `partial` or `failed`.
    pub status: String,
    pub sources: Vec<SourceReport>,
    pub gold: Vec<StageMetrics>,
    /// Loading the gold tables into the store's staging tables.
    #[serde(default)]
    pub store: StoreLoad,
}

/// The gold rows a run loaded into the store (PostgreSQL: by `COPY`), and
/// the seconds it took.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreLoad {
    pub rows: u64,
    pub seconds: f64,
}

/// Follows a run as it goes (the CLI draws its progress from these).
pub trait Observer: Send + Sync {
    /// A source's collection begins.
    fn source_started(&self, source: &str);
    /// A source is done: its outcome and each stage's figures.
    fn source_finished(&self, report: &SourceReport);
    /// A gold table has been computed and staged.
    fn gold_finished(&self, metrics: &StageMetrics);
}

/// Runs ingests against one lake and one store.
pub struct Pipeline {
    lake: Arc<dyn Lake>,
    store: Store,
    sources: Arc<[SourceConfig]>,
    fetcher: Fetcher,
    observer: Option<Arc<dyn Observer>>,
}

impl Pipeline {
    pub fn new(
        lake: Arc<dyn Lake>,
        store: Store,
        sources: Arc<[SourceConfig]>,
        fetcher: Fetcher,
    ) -> Self {
        Pipeline {
            lake,
            store,
            sources,
            fetcher,
            observer: None,
        }
    }

    /// Reports every source and gold table to `observer` as the run goes.
    pub fn observed_by(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Runs the sources named in `only` (every source when empty) from
    /// `origin`, then refreshes gold. The caller holds the ingest lock.
    pub async fn run(&self, origin: &Origin, only: &[&str]) -> anyhow::Result<RunReport> {
        let started_at = Utc::now();
        if let Some(unknown) = only
            .iter()
            .find(|name| !self.sources.iter().any(|s| s.name == **name))
        {
            bail!("no source named {unknown:?} in the configuration");
        }
        let selected: Vec<&SourceConfig> = self
            .sources
            .iter()
            .filter(|s| only.is_empty() || only.contains(&s.name.as_str()))
            .collect();
        let previous_states = self.store.source_states().await?;
        let mut reports = Vec::new();
        let mut states = Vec::new();
        let mut changed = Vec::new();
        for source in selected {
            let span = tracing::info_span!("source", name = %source.name);
            let _guard = span.enter();
            let mut state = previous_states
                .iter()
                .find(|s| s.name == source.name)
                .cloned()
                .unwrap_or_else(|| SourceStateRow {
                    name: source.name.clone(),
                    ..SourceStateRow::default()
                });
            state.last_attempt_at = Some(Utc::now());
            if let Some(observer) = &self.observer {
                observer.source_started(&source.name);
            }
            // SIVEP's silver looks its city codes up in the municipality
            // list: a new list refines it again, even from unchanged content.
            let stale = source.format == Format::SivepSummary
                && changed.contains(&Format::IbgeMunicipalities);
            let report = match self.ingest_source(source, origin, stale).await {
                Ok((outcome, digest, refined)) => {
                    state.last_success_at = state.last_attempt_at;
                    state.last_error = None;
                    let mut stages = Vec::new();
                    if let Some(refined) = refined {
                        changed.push(source.format);
                        state.content_sha256 = digest;
                        state.newest_date = refined.newest_date.or(state.newest_date);
                        stages = refined.stages;
                    }
                    tracing::info!(outcome, "source done");
                    SourceReport {
                        name: source.name.clone(),
                        outcome: outcome.into(),
                        error: None,
                        stages,
                    }
                }
                Err(error) => {
                    let message = format!("{error:#}");
                    tracing::warn!(error = %message, "source failed");
                    state.last_error = Some(message.clone());
                    SourceReport {
                        name: source.name.clone(),
                        outcome: "failed".into(),
                        error: Some(message),
                        stages: Vec::new(),
                    }
                }
            };
            if let Some(observer) = &self.observer {
                observer.source_finished(&report);
            }
            reports.push(report);
            states.push(state);
        }

        let failures = reports.iter().filter(|r| r.error.is_some()).count();
        let status = match failures {
            0 => "ok",
            n if n == reports.len() => "failed",
            _ => "partial",
        };
        let mut report = RunReport {
            id: format!(
                "{}-{}",
                started_at.format("%Y%m%dT%H%M%S%.6fZ"),
                std::process::id()
            ),
            started_at,
            finished_at: started_at,
            status: status.into(),
            sources: reports,
            gold: Vec::new(),
            store: StoreLoad::default(),
        };
        let mut tables = Vec::new();
        self.refresh_gold(&changed, &mut report, &mut tables)
            .await?;
        report.finished_at = Utc::now();
        let run = RunRow {
            id: report.id.clone(),
            started_at: report.started_at,
            finished_at: report.finished_at,
            status: report.status.clone(),
            origin: match origin {
                Origin::Remote => "remote".into(),
                Origin::Dir(dir) => dir.display().to_string(),
            },
            report: serde_json::to_string(&report).expect("a report always serialises"),
            error: (failures > 0).then(|| format!("{failures} source(s) failed")),
        };
        self.store
            .publish(&tables, &states, &run)
            .await
            .context("publishing the run")?;
        Ok(report)
    }

    /// Loads a gold table into its staging twin, for publishing.
    async fn stage<R: GoldRow>(
        &self,
        rows: &[R],
        metrics: StageMetrics,
        report: &mut RunReport,
        tables: &mut Vec<&'static str>,
    ) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let staged = self
            .store
            .stage(rows)
            .await
            .with_context(|| format!("staging {}", R::TABLE))?;
        report.store.rows += staged as u64;
        report.store.seconds += started.elapsed().as_secs_f64();
        tracing::info!(table = R::TABLE, rows = staged, "gold staged");
        if let Some(observer) = &self.observer {
            observer.gold_finished(&metrics);
        }
        report.gold.push(metrics);
        tables.push(R::TABLE);
        Ok(())
    }

    /// Recomputes the gold tables whose inputs changed, and stages them.
    async fn refresh_gold(
        &self,
        changed: &[Format],
        report: &mut RunReport,
        tables: &mut Vec<&'static str>,
    ) -> anyhow::Result<()> {
        let lake = self.lake.as_ref();
        let cases_inputs = [
            Format::WcotaStates,
            Format::WcotaCitiesTime,
            Format::WcotaCities,
            Format::BrasilioCaso,
            Format::Population,
        ];
        if changed.iter().any(|f| cases_inputs.contains(f)) {
            let populations = Populations::load(lake).await?;
            let mut states = Vec::new();
            if cases::EDITION.has_silver(lake).await? {
                let (rows, metrics) = cases::gold(lake, &populations)
                    .await
                    .context("computing gold cases")?;
                self.stage(&rows, metrics, report, tables).await?;
                states = rows;
            }
            let mut cities = Vec::new();
            if cities::EDITION.has_silver(lake).await? {
                let (rows, metrics) = cities::gold(lake, &populations)
                    .await
                    .context("computing gold city cases")?;
                self.stage(&rows, metrics, report, tables).await?;
                cities = rows;
            }
            let (rows, metrics) = ranking::gold(lake, &states, &cities, &populations)
                .await
                .context("computing the rankings")?;
            self.stage(&rows, metrics, report, tables).await?;
        }
        if changed
            .iter()
            .any(|f| [Format::StatesGeojson, Format::MunicipalitiesGeojson].contains(f))
        {
            let (rows, metrics) = geometry::gold(lake).await.context("computing the map")?;
            self.stage(&rows, metrics, report, tables).await?;
        }
        if changed.contains(&Format::SivepSummary) {
            let (rows, metrics) = srag::gold(lake).await.context("computing gold SRAG")?;
            self.stage(&rows, metrics, report, tables).await?;
        }
        if changed.contains(&Format::OccupancyOpendatasus) {
            let sources = self
                .sources_with_silver::<PatientReport>(Format::OccupancyOpendatasus)
                .await?;
            let (rows, metrics) = patients::gold(lake, &sources)
                .await
                .context("computing gold occupancy patients")?;
            self.stage(&rows, metrics, report, tables).await?;
        }
        let occupancy_formats = [Format::OccupancySnapshot, Format::OccupancyApi];
        if changed.iter().any(|f| occupancy_formats.contains(f)) {
            let mut with_silver = Vec::new();
            for format in occupancy_formats {
                with_silver.extend(self.sources_with_silver::<Notification>(format).await?);
            }
            let (rows, metrics) = occupancy::gold(lake, &with_silver)
                .await
                .context("computing gold occupancy")?;
            self.stage(&rows, metrics, report, tables).await?;
        }
        Ok(())
    }

    /// The configured sources of `format` whose silver of `T` exists.
    async fn sources_with_silver<T: Report>(&self, format: Format) -> anyhow::Result<Vec<&str>> {
        let mut names = Vec::new();
        for source in self.sources.iter().filter(|s| s.format == format) {
            if reports::has_silver::<T>(self.lake.as_ref(), &source.name).await? {
                names.push(source.name.as_str());
            }
        }
        Ok(names)
    }

    /// Fetches and refines one source: `("unchanged", …, None)`,
    /// `("new", digest, Some(refined))`, or, when its silver is `stale`
    /// and its content unchanged, `("refined", digest, Some(refined))`.
    async fn ingest_source(
        &self,
        source: &SourceConfig,
        origin: &Origin,
        stale: bool,
    ) -> anyhow::Result<(&'static str, Option<String>, Option<Refined>)> {
        let lake = self.lake.as_ref();
        let has_silver = has_silver(lake, source).await?;
        let previous = Manifest::latest(lake, &source.name).await?;
        let (outcome, manifest) = match self
            .fetcher
            .fetch(source, origin, lake, previous.as_ref())
            .await?
        {
            Fetched::New(manifest) => ("new", manifest),
            Fetched::Unchanged if has_silver && !stale => return Ok(("unchanged", None, None)),
            // Unchanged content whose silver is missing (a wiped layer) or
            // stale is refined again from raw.
            Fetched::Unchanged => (
                "refined",
                previous.context("unchanged content without a previous manifest")?,
            ),
        };
        let refined = match source.format {
            Format::WcotaStates => cases::EDITION.refine(lake, &manifest).await?,
            Format::WcotaCitiesTime => cities::EDITION.refine(lake, &manifest).await?,
            Format::WcotaCities => cities::SNAPSHOTS.refine(lake, &manifest).await?,
            Format::BrasilioCaso => brasilio::refine(lake, &manifest).await?,
            Format::Population => population::EDITION.refine(lake, &manifest).await?,
            Format::OccupancySnapshot => {
                reports::refine(lake, &manifest, occupancy_snapshot::parse).await?
            }
            Format::OccupancyApi => reports::refine(lake, &manifest, occupancy_api::parse).await?,
            Format::OccupancyOpendatasus => {
                reports::refine(lake, &manifest, occupancy_opendatasus::parse).await?
            }
            Format::SivepSummary => srag::refine(lake, &manifest).await?,
            Format::IbgeMunicipalities => municipalities::EDITION.refine(lake, &manifest).await?,
            Format::StatesGeojson => geometry::STATES.refine(lake, &manifest).await?,
            Format::MunicipalitiesGeojson => geometry::CITIES.refine(lake, &manifest).await?,
        };
        Ok((outcome, Some(manifest.digest()), Some(refined)))
    }
}

/// Whether the source's silver exists.
async fn has_silver(lake: &dyn Lake, source: &SourceConfig) -> anyhow::Result<bool> {
    match source.format {
        Format::WcotaStates => cases::EDITION.has_silver(lake).await,
        Format::WcotaCitiesTime | Format::WcotaCities => cities::EDITION.has_silver(lake).await,
        Format::BrasilioCaso => brasilio::EDITION.has_silver(lake).await,
        Format::Population => population::EDITION.has_silver(lake).await,
        Format::OccupancySnapshot | Format::OccupancyApi => {
            reports::has_silver::<Notification>(lake, &source.name).await
        }
        Format::OccupancyOpendatasus => {
            reports::has_silver::<PatientReport>(lake, &source.name).await
        }
        Format::SivepSummary => srag::EDITION.has_silver(lake).await,
        Format::IbgeMunicipalities => municipalities::EDITION.has_silver(lake).await,
        Format::StatesGeojson => geometry::STATES.has_silver(lake).await,
        Format::MunicipalitiesGeojson => geometry::CITIES.has_silver(lake).await,
    }
}
