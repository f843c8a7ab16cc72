//! The dashboard's view of the data: implements the `app` crate's
//! [`Backend`] over the store and the source configuration.

mod hospitals;
pub(crate) mod nowcast;
mod overview;
pub(crate) mod page_cache;
mod search;
mod state;
pub(crate) mod territories;

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{DateTime, NaiveDate, Utc};

use app::{
    alerts_view::{AlertLine, FiringLine},
    backend::{Backend, BackendError},
    catalog::{
        alerts::DeliveryStatus,
        domain::brasilia_day,
        runs::RunReport,
        territory::Territory,
        vocabulary::{SragMeasure, Uf},
    },
    city_view::CitySeries,
    dashboard::{MapMetric, Overview},
    hospital_view::{HospitalAsk, HospitalDetail, HospitalList},
    indicators::{NowcastSeries, SragTrend},
    quality::{HeldNote, Quality, RunDetail, Undelivered},
    search::Found,
    state_view::{Period, StateSeries},
    status::{DataStatus, SourceState, SourceStatus},
    territory_view::TerritoryHeadline,
};
use async_trait::async_trait;

use self::page_cache::PageCache;
use crate::{
    lineage,
    sources::SourceConfig,
    store::{Store, StoreError},
    territories::Territories,
};

/// Runs shown on the data and quality page.
const RUNS_SHOWN: u32 = 10;
/// Firings shown per rule on the alerts page.
const FIRINGS_SHOWN: usize = 5;
/// Undelivered alerts shown on the data and quality page.
const UNDELIVERED_SHOWN: u32 = 20;

/// Answers the server functions from the store.
pub struct DashboardBackend {
    store: Store,
    sources: Arc<[SourceConfig]>,
    territories: Territories,
    pages: PageCache<Arc<str>>,
}

impl DashboardBackend {
    pub fn new(store: Store, sources: Arc<[SourceConfig]>, territories: Territories) -> Self {
        DashboardBackend {
            store,
            sources,
            territories,
            pages: PageCache::default(),
        }
    }
}

/// Logs a store failure once, here at the boundary, and gives users a
/// message without internals.
fn unavailable(error: impl std::fmt::Display) -> BackendError {
    tracing::error!(%error, "store read failed");
    BackendError("the data store is unavailable".into())
}

/// Whether a source last succeeded more than two collection intervals ago.
fn is_late(last_success: Option<DateTime<Utc>>, every: Duration, now: DateTime<Utc>) -> bool {
    let allowed = chrono::Duration::from_std(every * 2).unwrap_or(chrono::Duration::MAX);
    last_success.is_some_and(|at| now.signed_duration_since(at) > allowed)
}

/// Whether the newest date of a source's data is older than its publisher's
/// updates allow, counted in Brasília's calendar.
fn is_stale(newest: Option<NaiveDate>, fresh_within: Option<Duration>, now: DateTime<Utc>) -> bool {
    let (Some(newest), Some(within)) = (newest, fresh_within) else {
        return false;
    };
    let within = chrono::Duration::from_std(within).unwrap_or(chrono::Duration::MAX);
    brasilia_day(now).signed_duration_since(newest) > within
}

/// Every configured source with what the store remembers of it, in
/// configuration order.
pub async fn source_statuses(
    store: &Store,
    sources: &[SourceConfig],
) -> Result<Vec<SourceStatus>, StoreError> {
    let now = Utc::now();
    let mut states: HashMap<_, _> = store
        .source_states()
        .await?
        .into_iter()
        .map(|row| (row.name.clone(), row))
        .collect();
    Ok(sources
        .iter()
        .map(|source| {
            let row = states.remove(&source.name).unwrap_or_default();
            let state = match (&row.last_attempt_at, &row.last_error) {
                (None, _) => SourceState::Pending,
                (Some(_), Some(_)) => SourceState::Failing,
                (Some(_), None) if is_late(row.last_success_at, source.every, now) => {
                    SourceState::Late
                }
                (Some(_), None) if is_stale(row.newest_date, source.fresh_within, now) => {
                    SourceState::Stale
                }
                (Some(_), None) => SourceState::Ok,
            };
            SourceStatus {
                name: source.name.clone(),
                title: source.title.clone(),
                kind: source.kind.to_string(),
                state,
                last_attempt: row.last_attempt_at,
                last_success: row.last_success_at,
                newest_date: row.newest_date,
                last_error: row.last_error,
            }
        })
        .collect())
}

#[async_trait]
impl Backend for DashboardBackend {
    async fn data_status(&self) -> Result<DataStatus, BackendError> {
        let sources = source_statuses(&self.store, &self.sources)
            .await
            .map_err(unavailable)?;
        Ok(DataStatus { sources })
    }

    async fn overview(
        &self,
        metric: MapMetric,
        min_population: i64,
        territory: Option<&Territory>,
    ) -> Result<Overview, BackendError> {
        overview::overview(&self.store, metric, min_population, territory)
            .await
            .map_err(unavailable)
    }

    async fn search(&self, query: &str) -> Result<Vec<Found>, BackendError> {
        search::search(&self.store, query)
            .await
            .map_err(unavailable)
    }

    async fn quality(&self) -> Result<Quality, BackendError> {
        let sources = source_statuses(&self.store, &self.sources)
            .await
            .map_err(unavailable)?;
        let runs = self
            .store
            .runs(RUNS_SHOWN)
            .await
            .map_err(unavailable)?
            .into_iter()
            .filter_map(|run| match serde_json::from_str::<RunReport>(&run.report) {
                Ok(report) => Some(RunDetail {
                    report,
                    error: run.error,
                }),
                Err(error) => {
                    tracing::warn!(run = %run.id, %error, "unreadable run report");
                    None
                }
            })
            .collect();
        let held = self
            .store
            .held_editions()
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|h| HeldNote {
                source: h.source,
                run: h.run_id,
                reason: h.reason,
                held_at: h.held_at,
            })
            .collect();
        let gold_behind = lineage::lagging(&self.store, &self.sources)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|unit| unit.name().to_owned())
            .collect();
        let backtest = self.store.backtest().await.map_err(unavailable)?;
        let undelivered = self
            .store
            .failing_deliveries(UNDELIVERED_SHOWN)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|d| Undelivered {
                channel: d.channel.code().to_owned(),
                dead: d.status == DeliveryStatus::Dead,
                attempts: d.attempts,
                last_error: d.last_error.unwrap_or_default(),
                fired_at: d.created_at,
                next_attempt_at: (d.status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
            })
            .collect();
        Ok(Quality {
            sources,
            held,
            gold_behind,
            runs,
            backtest,
            undelivered,
        })
    }

    async fn alert_lines(&self, account: Option<&str>) -> Result<Vec<AlertLine>, BackendError> {
        alert_lines(&self.store, account).await.map_err(unavailable)
    }

    async fn digest_address(&self, account: &str) -> Result<Option<String>, BackendError> {
        let digest = self.store.digest(account).await.map_err(unavailable)?;
        Ok(digest.map(|digest| digest.email))
    }

    async fn city_series(&self, code: &str, period: Period) -> Result<CitySeries, BackendError> {
        state::city_series(&self.store, code, period)
            .await
            .map_err(unavailable)
    }

    async fn state_series(&self, uf: Uf, period: Period) -> Result<StateSeries, BackendError> {
        state::state_series(&self.store, uf, period)
            .await
            .map_err(unavailable)
    }

    async fn nowcast(&self, uf: Uf, measure: SragMeasure) -> Result<NowcastSeries, BackendError> {
        nowcast::series(&self.store, uf, measure)
            .await
            .map_err(unavailable)
    }

    async fn trends(&self, measure: SragMeasure) -> Result<Vec<SragTrend>, BackendError> {
        nowcast::trends(&self.store, measure)
            .await
            .map_err(unavailable)
    }

    async fn hospitals(&self, ask: &HospitalAsk) -> Result<HospitalList, BackendError> {
        let territory = ask
            .territory
            .as_deref()
            .and_then(|slug| self.territories.find(slug));
        hospitals::list(&self.store, ask, territory)
            .await
            .map_err(unavailable)
    }

    async fn hospital(&self, cnes: &str) -> Result<Option<HospitalDetail>, BackendError> {
        hospitals::detail(&self.store, cnes)
            .await
            .map_err(unavailable)
    }

    fn territories(&self) -> &[Territory] {
        self.territories.all()
    }

    fn generation(&self) -> u64 {
        self.store.generation()
    }

    fn cached_page(&self, generation: u64, key: &str) -> Option<Arc<str>> {
        self.pages.get(generation, key)
    }

    fn keep_page(&self, generation: u64, key: String, html: Arc<str>) {
        self.pages.insert(generation, key, html);
    }

    async fn territory_headlines(&self) -> Result<Vec<TerritoryHeadline>, BackendError> {
        territories::headlines(&self.store, self.territories.all())
            .await
            .map_err(unavailable)
    }
}

/// `account`'s rules (or every rule), each with its latest firings and
/// their deliveries' status (three reads however many rules).
async fn alert_lines(store: &Store, account: Option<&str>) -> Result<Vec<AlertLine>, StoreError> {
    let mut firings = store.latest_firings(account, FIRINGS_SHOWN).await?;
    let lines = store
        .alert_rules(account)
        .await?
        .into_iter()
        .map(|rule| AlertLine {
            firings: firings
                .remove(&rule.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(firing, deliveries)| FiringLine {
                    data_date: firing.data_date,
                    seen: firing.seen,
                    fired_at: firing.fired_at,
                    deliveries,
                })
                .collect(),
            id: rule.id,
            account: rule.account,
            name: rule.name,
            place: rule.place,
            spec: rule.spec,
            email: rule.email,
            webhook_url: rule.webhook_url,
            paused: rule.paused,
        })
        .collect();
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::Utc;

    use super::{is_late, is_stale};

    #[test]
    fn a_source_is_late_after_two_missed_intervals() {
        let now = Utc::now();
        let six_hours = Duration::from_secs(6 * 3600);
        let ago = |hours| Some(now - chrono::Duration::hours(hours));
        assert!(!is_late(ago(11), six_hours, now));
        assert!(is_late(ago(13), six_hours, now));
        assert!(!is_late(None, six_hours, now));
    }

    #[test]
    fn data_is_stale_when_older_than_its_publisher_allows() {
        // 02:00 UTC is still the day before in Brasília.
        let now = "2022-04-28T02:00:00Z".parse().unwrap();
        let day = |text: &str| Some(text.parse().unwrap());
        let three_days = Some(Duration::from_secs(3 * 86_400));
        assert!(!is_stale(day("2022-04-24"), three_days, now));
        assert!(is_stale(day("2022-04-23"), three_days, now));
        assert!(!is_stale(day("2020-05-05"), None, now));
        assert!(!is_stale(None, three_days, now));
    }
}
