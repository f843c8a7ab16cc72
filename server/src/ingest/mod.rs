//! The ingest pipeline: sources → raw → bronze → silver → gold → store,
//! laid out by stage: [`connect`] (sources into raw), [`bronze`] (the
//! formats' parsers), [`silver`] (conformed tables, references, the
//! external sort), [`gold`] (the indicator tables), with [`refinery`] (the
//! one match from a format to its refinement), [`contract`] and the shared
//! Parquet machinery ([`parquet`]); this module is the run itself.
//!
//! A run fetches each selected source ([`connect::fetch`]). New content is parsed
//! into bronze (rows and rejects) and conformed into a new silver, which
//! replaces the last only if it keeps the source's data contract
//! ([`contract`]; otherwise the edition is held). Once a source's silver is
//! whole in the lake it is committed in the store with a new version, at
//! once: a run that dies later keeps it. Unchanged content stops at raw
//! only when its silver is committed from exactly that fetch; any source
//! whose latest fetch never reached silver is refined again by the next
//! run, selected or not. Gold follows silver, not the run: every gold unit
//! ([`crate::lineage`]) whose recorded inputs differ from the committed
//! silver is computed again, staged in the store and published in one transaction
//! with those inputs, the source states and the run record. A failing
//! source or unit is recorded with its error and leaves the last good data
//! serving; the others still refresh.

pub mod bronze;
pub mod connect;
pub mod contract;
pub mod gold;
mod handoff;
mod parquet;
mod refinery;
pub mod silver;
mod threads;

use std::{collections::HashMap, sync::Arc, time::Instant};

pub use self::threads::{off_workers, on_a_thread};

use anyhow::{Context, bail};
use app::catalog::runs::{
    Outcome as SourceOutcome, RunReport, RunStatus, SourceReport, StageMetrics, StoreLoad,
};
use chrono::Utc;
use tracing::Instrument;

use self::{
    bronze::formats::{occupancy_opendatasus::PatientReport, occupancy_snapshot::Notification},
    connect::{
        fetch::{Fetched, Fetcher, Origin},
        manifest::Manifest,
    },
    contract::Profile,
    gold::{cases, cities, geometry, hospitals, nowcast, occupancy, patients, ranking, srag},
    handoff::StoreGone,
    parquet::Staged,
    silver::{
        population::Populations,
        reports::{self, Report},
    },
};
use crate::{
    crash,
    lake::Lake,
    lineage::{self, Unit},
    sources::SourceConfig,
    store::{
        ArrowRows, GoldInput, HeldEdition, RunRow, SilverEdition, SourceStateRow, Store,
        tables::{self, Table},
    },
    territories::Territories,
};

/// The bronze and silver results of one fetch: the new silver is staged on
/// local disk, uploaded only once the edition keeps its contract.
pub struct Refined {
    pub stages: Vec<StageMetrics>,
    /// The silver objects that are to replace the source's; the first is
    /// its own table, which `profile` describes.
    pub silver: Vec<Staged>,
    pub profile: Profile,
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

/// What a run does with one source.
enum Task<'a> {
    /// Fetch it, and refine what is new or never committed.
    Collect,
    /// Refine its latest fetch if that never reached silver; fetch nothing.
    Repair,
    /// Refine a held edition into silver, contract aside.
    Accept(&'a HeldEdition),
}

/// How one source ended, before it becomes a report.
enum Step {
    /// The folder collected from holds no file of it.
    Absent,
    Unchanged,
    /// Its latest edition stays held (held in an earlier run).
    StillHeld(String),
    Held {
        reason: String,
        stages: Vec<StageMetrics>,
    },
    Committed {
        outcome: SourceOutcome,
        stages: Vec<StageMetrics>,
    },
}

/// The silver each source has committed, kept current through a run.
type Committed = HashMap<String, SilverEdition>;

/// Runs ingests against one lake and one store.
pub struct Pipeline {
    lake: Arc<dyn Lake>,
    store: Store,
    sources: Arc<[SourceConfig]>,
    fetcher: Fetcher,
    observer: Option<Arc<dyn Observer>>,
    /// The territories alert rules may watch.
    territories: Territories,
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
            territories: Territories::default(),
        }
    }

    /// Evaluates the alert rules on territories as `territories` has them
    /// (without, a rule on a territory sees nothing).
    pub fn with_territories(mut self, territories: Territories) -> Self {
        self.territories = territories;
        self
    }

    /// Reports every source and gold table to `observer` as the run goes.
    pub fn observed_by(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Collects the sources named in `only` (every source when empty) from
    /// `origin`, repairs the others, then brings gold up to silver. The
    /// caller holds the ingest lock.
    pub async fn run(&self, origin: &Origin, only: &[&str]) -> anyhow::Result<RunReport> {
        if let Some(unknown) = only
            .iter()
            .find(|name| !self.sources.iter().any(|s| s.name == **name))
        {
            bail!("no source named {unknown:?} in the configuration");
        }
        if let Origin::Dir(dir) = origin
            && !dir.is_dir()
        {
            bail!("{} is not a folder", dir.display());
        }
        self.run_tasks(origin, &origin_label(origin), |source| {
            match only.is_empty() || only.contains(&source.name.as_str()) {
                true => Task::Collect,
                false => Task::Repair,
            }
        })
        .await
    }

    /// Collects nothing: refines each source whose latest fetch never
    /// reached silver, and brings gold up to silver. The caller holds the
    /// ingest lock.
    pub async fn repair(&self) -> anyhow::Result<RunReport> {
        self.run_tasks(&Origin::Remote, "repair", |_| Task::Repair)
            .await
    }

    /// Refines the edition of `source` that run `run_id` held into silver,
    /// contract aside, and brings gold up to it; `by` names who accepted it.
    /// The caller holds the ingest lock.
    pub async fn accept(&self, source: &str, run_id: &str, by: &str) -> anyhow::Result<RunReport> {
        let held = self
            .store
            .held_editions()
            .await?
            .into_iter()
            .find(|h| h.source == source && h.run_id == run_id)
            .with_context(|| format!("no edition of {source:?} from run {run_id:?} is held"))?;
        let report = self
            .run_tasks(&Origin::Remote, &format!("accepted by {by}"), |s| {
                match s.name == source {
                    true => Task::Accept(&held),
                    false => Task::Repair,
                }
            })
            .await?;
        let accepted = report
            .sources
            .iter()
            .any(|s| s.name == source && s.outcome == SourceOutcome::Accepted);
        if accepted {
            self.store.accept_edition(source, run_id, by).await?;
        }
        Ok(report)
    }

    /// The gold units behind the committed silver.
    pub async fn gold_behind(&self) -> anyhow::Result<Vec<Unit>> {
        lineage::lagging(&self.store, &self.sources).await
    }

    async fn committed(&self) -> anyhow::Result<Committed> {
        Ok(self
            .store
            .silver_editions()
            .await?
            .into_iter()
            .map(|edition| (edition.source.clone(), edition))
            .collect())
    }

    async fn run_tasks<'h>(
        &self,
        origin: &Origin,
        origin_label: &str,
        task_of: impl Fn(&SourceConfig) -> Task<'h>,
    ) -> anyhow::Result<RunReport> {
        let started_at = Utc::now();
        let id = format!(
            "{}-{}",
            started_at.format("%Y%m%dT%H%M%S%.6fZ"),
            std::process::id()
        );
        let previous_states = self.store.source_states().await?;
        let held = self.store.held_editions().await?;
        let mut committed = self.committed().await?;
        let mut reports = Vec::new();
        let mut states = Vec::new();
        for source in self.sources.iter() {
            let task = task_of(source);
            let previous = previous_states.iter().find(|s| s.name == source.name);
            let repair = matches!(task, Task::Repair);
            if repair && previous.is_some_and(|s| s.last_error.is_some()) {
                // Its last attempt failed: it is retried when due, not on
                // every run.
                continue;
            }
            if !repair && let Some(observer) = &self.observer {
                observer.source_started(&source.name);
            }
            let attempted_at = Utc::now();
            let outcome = self
                .source(source, origin, &task, &held, &id, &mut committed)
                .instrument(tracing::info_span!("source", name = %source.name))
                .await;
            let report = match outcome {
                Ok(Step::Unchanged | Step::StillHeld(_)) if repair => continue,
                Ok(outcome) => {
                    let (outcome, held, stages) = match outcome {
                        Step::Absent => (SourceOutcome::Absent, None, Vec::new()),
                        Step::Unchanged => (SourceOutcome::Unchanged, None, Vec::new()),
                        Step::StillHeld(reason) => (SourceOutcome::Held, Some(reason), Vec::new()),
                        Step::Held { reason, stages } => {
                            (SourceOutcome::Held, Some(reason), stages)
                        }
                        Step::Committed { outcome, stages } => (outcome, None, stages),
                    };
                    tracing::info!(source = %source.name, %outcome, "source done");
                    SourceReport {
                        name: source.name.clone(),
                        outcome,
                        error: None,
                        held,
                        stages,
                    }
                }
                Err(error) => {
                    let message = format!("{error:#}");
                    tracing::warn!(source = %source.name, error = %message, "source failed");
                    SourceReport {
                        name: source.name.clone(),
                        outcome: SourceOutcome::Failed,
                        error: Some(message),
                        held: None,
                        stages: Vec::new(),
                    }
                }
            };
            if report.outcome == SourceOutcome::Absent {
                // Nothing was collected: its state stays as it was.
                reports.push(report);
                continue;
            }
            let mut state = previous.cloned().unwrap_or_else(|| SourceStateRow {
                name: source.name.clone(),
                ..SourceStateRow::default()
            });
            state.last_error = report.error.clone();
            if !repair {
                // A repair collects nothing: the next collection stays due
                // when it was.
                state.last_attempt_at = Some(attempted_at);
                if report.error.is_none() {
                    state.last_success_at = Some(attempted_at);
                }
            }
            if let Some(edition) = committed.get(&source.name) {
                state.content_sha256 = Some(edition.raw_digest.clone());
                state.newest_date = edition.newest_date.or(state.newest_date);
            }
            if let Some(observer) = &self.observer {
                observer.source_finished(&report);
            }
            reports.push(report);
            states.push(state);
        }

        if let Origin::Dir(dir) = origin
            && !reports.is_empty()
            && reports.iter().all(|r| r.outcome == SourceOutcome::Absent)
        {
            bail!(
                "no file in {} matches a source's `file` pattern",
                dir.display()
            );
        }
        let mut report = RunReport {
            id,
            started_at,
            finished_at: started_at,
            status: RunStatus::Ok,
            sources: reports,
            gold: Vec::new(),
            gold_errors: Vec::new(),
            store: StoreLoad::default(),
        };
        let (tables, inputs, units_tried) = self.refresh_gold(&committed, &mut report).await?;
        report.status = status(&report, units_tried);
        report.finished_at = Utc::now();
        if report.sources.is_empty() && units_tried == 0 {
            // A repair that found nothing to do: no run to record.
            return Ok(report);
        }
        let failures: Vec<String> = report
            .sources
            .iter()
            .filter(|s| s.error.is_some())
            .map(|s| format!("source {} failed", s.name))
            .chain(report.gold_errors.iter().map(|e| format!("gold {e}")))
            .collect();
        let run = RunRow {
            id: report.id.clone(),
            started_at: report.started_at,
            finished_at: report.finished_at,
            status: report.status,
            origin: origin_label.to_owned(),
            report: serde_json::to_string(&report).expect("a report always serialises"),
            error: (!failures.is_empty()).then(|| failures.join("; ")),
        };
        let tables: Vec<&str> = tables.iter().map(String::as_str).collect();
        self.store
            .publish(&tables, &inputs, &states, &run)
            .await
            .context("publishing the run")?;
        crash::point("published", &report.id);
        // The rules see the newest gold in this process, after the publish
        // (a run that published nothing new evaluates too: it catches up
        // on a publish whose evaluation a crash prevented, and hysteresis
        // keeps it from firing twice). Gold is published whatever happens
        // here; the next run evaluates again.
        if let Err(error) =
            crate::alerts::evaluate(&self.store, &self.territories, Utc::now()).await
        {
            tracing::warn!(error = %format!("{error:#}"), "alert evaluation failed");
        }
        Ok(report)
    }

    /// Does `task` for one source.
    async fn source(
        &self,
        source: &SourceConfig,
        origin: &Origin,
        task: &Task<'_>,
        held: &[HeldEdition],
        run_id: &str,
        committed: &mut Committed,
    ) -> anyhow::Result<Step> {
        let lake = self.lake.as_ref();
        let (outcome, manifest) = match task {
            Task::Accept(edition) => (
                SourceOutcome::Accepted,
                Manifest::load(lake, &edition.fetch_folder).await?,
            ),
            Task::Collect | Task::Repair => {
                let latest = Manifest::latest(lake, &source.name).await?;
                let fetched = match task {
                    Task::Collect => {
                        self.fetcher
                            .fetch(source, origin, lake, latest.as_ref())
                            .await?
                    }
                    _ => Fetched::Unchanged,
                };
                match fetched {
                    Fetched::Absent => return Ok(Step::Absent),
                    Fetched::New(manifest) => {
                        crash::point("fetched", &source.name);
                        (SourceOutcome::New, manifest)
                    }
                    Fetched::Unchanged => {
                        let Some(manifest) = latest else {
                            return Ok(Step::Unchanged);
                        };
                        if self.is_current(source, &manifest, committed).await? {
                            return Ok(Step::Unchanged);
                        }
                        let digest = manifest.digest();
                        if let Some(held) = held
                            .iter()
                            .find(|h| h.source == source.name && h.raw_digest == digest)
                        {
                            return Ok(Step::StillHeld(held.reason.clone()));
                        }
                        (SourceOutcome::Refined, manifest)
                    }
                }
            }
        };
        let refined = refinery::of(source.format)
            .refine(self.lake.as_ref(), &manifest)
            .await?;
        crash::point("refined", &source.name);
        let check = !matches!(task, Task::Accept(_));
        self.commit(source, &manifest, refined, run_id, check, committed)
            .await
            .map(|committed| match committed {
                Ok(stages) => Step::Committed { outcome, stages },
                Err((reason, stages)) => Step::Held { reason, stages },
            })
    }

    /// Whether the source's committed silver was refined from `manifest`'s
    /// fetch, with the current references, and is in the lake.
    async fn is_current(
        &self,
        source: &SourceConfig,
        manifest: &Manifest,
        committed: &Committed,
    ) -> anyhow::Result<bool> {
        let Some(edition) = committed.get(&source.name) else {
            return Ok(false);
        };
        let depends = lineage::versions_of(
            &self.sources,
            lineage::refined_with(source.format),
            committed,
        );
        Ok(edition.raw_digest == manifest.digest()
            && edition.depends == lineage::encode(&depends)
            && refinery::of(source.format)
                .has_silver(self.lake.as_ref(), &source.name)
                .await?)
    }

    /// Replaces the source's silver with `refined` and commits it, unless
    /// (with `check`) it breaks the source's contract: then the edition is
    /// held, and `Err` carries why.
    async fn commit(
        &self,
        source: &SourceConfig,
        manifest: &Manifest,
        refined: Refined,
        run_id: &str,
        check: bool,
        committed: &mut Committed,
    ) -> anyhow::Result<Result<Vec<StageMetrics>, (String, Vec<StageMetrics>)>> {
        let Refined {
            stages,
            silver,
            profile,
        } = refined;
        let was = committed
            .get(&source.name)
            .and_then(|edition| serde_json::from_str::<Profile>(&edition.profile).ok());
        if let Some(was) = was.filter(|_| check) {
            let breaches = contract::check(&source.contract, &was, &profile);
            if !breaches.is_empty() {
                let reason = breaches
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                tracing::warn!(%reason, "edition held: it breaks the source's contract");
                self.store
                    .hold_edition(&HeldEdition {
                        source: source.name.clone(),
                        run_id: run_id.to_owned(),
                        raw_digest: manifest.digest(),
                        fetch_folder: manifest.own_folder(),
                        reason: reason.clone(),
                        held_at: Utc::now(),
                    })
                    .await?;
                crash::point("held", &source.name);
                return Ok(Err((reason, stages)));
            }
        }
        for staged in silver {
            staged.upload(self.lake.as_ref()).await?;
            crash::point("silver", &source.name);
        }
        let depends = lineage::versions_of(
            &self.sources,
            lineage::refined_with(source.format),
            committed,
        );
        let edition = SilverEdition {
            source: source.name.clone(),
            raw_digest: manifest.digest(),
            version: run_id.to_owned(),
            newest_date: profile.newest_date,
            profile: serde_json::to_string(&profile).expect("a profile serialises"),
            depends: lineage::encode(&depends),
            committed_at: Utc::now(),
        };
        self.store
            .commit_silver(&edition)
            .await
            .context("committing the new silver")?;
        crash::point("committed", &source.name);
        committed.insert(source.name.clone(), edition);
        Ok(Ok(stages))
    }

    /// Loads a gold table into its staging twin, for publishing.
    async fn stage<T: Table>(
        &self,
        rows: &[T::Row],
        metrics: StageMetrics,
        report: &mut RunReport,
        tables: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let staged = self
            .store
            .stage::<T, _>(futures_util::stream::iter([anyhow::Ok(rows)]))
            .await
            .with_context(|| format!("staging {}", T::TABLE.name()))?;
        self.staged::<T>(staged, started, metrics, report, tables);
        Ok(())
    }

    /// Records a table staged since `started` in the run's report.
    fn staged<T: Table>(
        &self,
        rows: u64,
        started: Instant,
        metrics: StageMetrics,
        report: &mut RunReport,
        tables: &mut Vec<String>,
    ) {
        report.store.rows += rows;
        report.store.seconds += started.elapsed().as_secs_f64();
        tracing::info!(table = T::TABLE.name(), rows, "gold staged");
        if let Some(observer) = &self.observer {
            observer.gold_finished(&metrics);
        }
        report.gold.push(metrics);
        tables.push(T::TABLE.name().to_owned());
    }

    /// Computes and stages every gold unit that is behind the committed
    /// silver; returns the staged tables, the inputs to record with them
    /// and how many units it tried. A unit that fails is reported and left
    /// as published.
    async fn refresh_gold(
        &self,
        committed: &Committed,
        report: &mut RunReport,
    ) -> anyhow::Result<(Vec<String>, Vec<GoldInput>, usize)> {
        let recorded = self.store.gold_inputs().await?;
        let behind = lineage::behind(&self.sources, committed, &recorded);
        let mut tables = Vec::new();
        let mut inputs = Vec::new();
        for &unit in &behind {
            let span = tracing::info_span!("gold", unit = unit.name());
            let mut staged = Vec::new();
            match self
                .compute(unit, report, &mut staged)
                .instrument(span)
                .await
            {
                Ok(()) => {
                    crash::point("gold", unit.name());
                    tables.extend(staged);
                    inputs.push(GoldInput {
                        unit: unit.name().to_owned(),
                        inputs: lineage::encode(&unit.inputs(&self.sources, committed)),
                    });
                }
                Err(error) => {
                    let message = format!("{}: {error:#}", unit.name());
                    tracing::warn!(error = %message, "gold unit failed");
                    report.gold_errors.push(message);
                }
            }
        }
        Ok((tables, inputs, behind.len()))
    }

    /// Computes one unit's gold tables from silver and stages them.
    async fn compute(
        &self,
        unit: Unit,
        report: &mut RunReport,
        tables: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        let lake = self.lake.as_ref();
        match unit {
            Unit::Cases => {
                let populations = Populations::load(lake).await?;
                let mut states = Vec::new();
                if cases::EDITION.has_silver(lake).await? {
                    let (rows, metrics) = cases::gold(lake, &populations)
                        .await
                        .context("computing gold cases")?;
                    self.stage::<tables::CasesState>(&rows, metrics, report, tables)
                        .await?;
                    states = rows;
                }
                let mut cities = Vec::new();
                if cities::EDITION.has_silver(lake).await? {
                    let (rows, metrics) = cities::gold(lake, &populations)
                        .await
                        .context("computing gold city cases")?;
                    self.stage::<tables::CasesCity>(&rows, metrics, report, tables)
                        .await?;
                    cities = rows;
                }
                let (rows, metrics) = ranking::gold(lake, &states, &cities, &populations)
                    .await
                    .context("computing the rankings")?;
                self.stage::<tables::Ranking>(&rows, metrics, report, tables)
                    .await
            }
            Unit::Geometry => {
                let (rows, metrics) = geometry::gold(lake).await.context("computing the map")?;
                self.stage::<tables::Geometry>(&rows, metrics, report, tables)
                    .await
            }
            Unit::Srag => {
                let (rows, metrics) = srag::gold(lake).await.context("computing gold SRAG")?;
                self.stage::<tables::SragState>(&rows, metrics, report, tables)
                    .await
            }
            Unit::Patients => {
                let sources = self.sources_with_silver::<PatientReport>(unit).await?;
                let (rows, metrics) = patients::gold(lake, &sources)
                    .await
                    .context("computing gold occupancy patients")?;
                self.stage::<tables::OccupancyPatients>(&rows, metrics, report, tables)
                    .await
            }
            Unit::Occupancy => {
                let sources = self.sources_with_silver::<Notification>(unit).await?;
                let (rows, metrics) = occupancy::gold(lake, &sources)
                    .await
                    .context("computing gold occupancy")?;
                self.stage::<tables::OccupancyState>(&rows, metrics, report, tables)
                    .await
            }
            Unit::Hospitals => {
                let sources = self.sources_with_silver::<Notification>(unit).await?;
                // The rows per day go to the store as they are computed: the
                // database works on one core while they are computed on the
                // other.
                let (days, handed) = handoff::channel();
                let started = Instant::now();
                let (computed, staged) = tokio::join!(
                    hospitals::gold(lake, &sources, days),
                    self.store
                        .stage::<tables::OccupancyHospital, ArrowRows>(handed)
                );
                let computed = computed.context("computing the hospitals");
                let staged = staged.with_context(|| {
                    format!("staging {}", tables::OccupancyHospital::TABLE.name())
                });
                // A computation stopped because the store's staging failed
                // says less than the staging's own error.
                let (gold, rows) = match (computed, staged) {
                    (Ok(gold), Ok(rows)) => (gold, rows),
                    (Err(error), Err(staging)) if error.is::<StoreGone>() => return Err(staging),
                    (Err(error), _) | (Ok(_), Err(error)) => return Err(error),
                };
                let [unmatched, ambiguous, days_metrics, summary_metrics] = gold.metrics;
                report.gold.extend([unmatched, ambiguous]);
                self.staged::<tables::OccupancyHospital>(
                    rows,
                    started,
                    days_metrics,
                    report,
                    tables,
                );
                self.stage::<tables::Hospital>(&gold.summaries, summary_metrics, report, tables)
                    .await
            }
            Unit::Nowcast => {
                let source = self.vintages_with_silver(unit).await?;
                let nowcast::NowcastGold {
                    weeks,
                    trends,
                    outlook,
                    scores,
                    metrics:
                        [
                            weeks_metrics,
                            trends_metrics,
                            outlook_metrics,
                            scores_metrics,
                        ],
                } = nowcast::gold(lake, source)
                    .await
                    .context("computing the nowcast")?;
                self.stage::<tables::SragNowcast>(&weeks, weeks_metrics, report, tables)
                    .await?;
                self.stage::<tables::SragTrends>(&trends, trends_metrics, report, tables)
                    .await?;
                self.stage::<tables::SragOutlook>(&outlook, outlook_metrics, report, tables)
                    .await?;
                self.stage::<tables::SragBacktest>(&scores, scores_metrics, report, tables)
                    .await
            }
        }
    }

    /// The first configured source of `unit`'s formats (weekly vintages)
    /// with silver: the nowcast is learnt from one source's vintages.
    async fn vintages_with_silver(&self, unit: Unit) -> anyhow::Result<&str> {
        let formats = unit.formats();
        for source in self.sources.iter().filter(|s| formats.contains(&s.format)) {
            if refinery::of(source.format)
                .has_silver(self.lake.as_ref(), &source.name)
                .await?
            {
                return Ok(source.name.as_str());
            }
        }
        bail!("no source of weekly vintages has silver")
    }

    /// The configured sources of `unit`'s formats whose silver of `T`
    /// exists.
    async fn sources_with_silver<T: Report>(&self, unit: Unit) -> anyhow::Result<Vec<&str>> {
        let formats = unit.formats();
        let mut names = Vec::new();
        for source in self.sources.iter().filter(|s| formats.contains(&s.format)) {
            if reports::has_silver::<T>(self.lake.as_ref(), &source.name).await? {
                names.push(source.name.as_str());
            }
        }
        Ok(names)
    }
}

/// A run's status: `failed` when every source and gold unit it tried
/// failed, `partial` when some did, `held` when an edition waits for an
/// admin. A run that leaves gold behind silver never ends `ok`.
fn status(report: &RunReport, units_tried: usize) -> RunStatus {
    let failed =
        report.sources.iter().filter(|s| s.error.is_some()).count() + report.gold_errors.len();
    let collected = report
        .sources
        .iter()
        .filter(|s| s.outcome != SourceOutcome::Absent);
    let tried = collected.count() + units_tried;
    let held = report.sources.iter().any(|s| s.held.is_some());
    match failed {
        0 if held => RunStatus::Held,
        0 => RunStatus::Ok,
        n if n >= tried => RunStatus::Failed,
        _ => RunStatus::Partial,
    }
}

/// How a run's origin is recorded.
fn origin_label(origin: &Origin) -> String {
    match origin {
        Origin::Remote => "remote".into(),
        Origin::Dir(dir) => dir.display().to_string(),
    }
}
