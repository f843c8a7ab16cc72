//! The indicator rows: one type per gold table, computed by the ingest,
//! kept in the lake and the store, served by the API and drawn by the
//! pages (the server maps each onto its table's columns in
//! `store::tables`), and the views the pages add over them. With `ssr`
//! they also describe themselves for the OpenAPI document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{
    domain::ratio,
    runs::RunStatus,
    vocabulary::{
        BacktestKind, BedClass, BedStatus, CityMatch, Metric, PlaceKind, Scope, SragMeasure,
        TrendClass,
    },
};

/// A state: code, name and the population the per-100k figures use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StateInfo {
    /// Two-letter code (`SP`).
    pub uf: String,
    pub name: String,
    /// `null` until the population reference is collected.
    pub population: Option<i64>,
}

/// A city with a known population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CityInfo {
    /// 7-digit IBGE code.
    pub city_ibge: String,
    pub name: String,
    pub uf: String,
    pub population: i64,
}

/// Cases and deaths of one place on one day: cumulative, new (negative
/// when the source corrected itself), 7-day mean of new, per 100k. The row
/// of `gold_cases_state` (without the city fields) and `gold_cases_city`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CasesDay {
    /// State code, or `BR` for the whole country.
    pub uf: String,
    /// 7-digit IBGE code for a city; absent for states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_ibge: Option<String>,
    /// City name; absent for states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    pub date: NaiveDate,
    pub cases: i64,
    pub deaths: i64,
    pub new_cases: i64,
    pub new_deaths: i64,
    pub new_cases_7d: f64,
    pub new_deaths_7d: f64,
    pub population: Option<i64>,
    pub cases_per_100k: Option<f64>,
    pub deaths_per_100k: Option<f64>,
}

impl CasesDay {
    /// The code that tells its place apart: the city's IBGE code, else the
    /// state's code.
    pub fn place_code(&self) -> &str {
        self.city_ibge.as_deref().unwrap_or(&self.uf)
    }
}

/// Bed occupancy of one state, day, bed class and scope, with coverage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OccupancyDay {
    pub uf: String,
    pub date: NaiveDate,
    /// `clinical` or `icu`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub bed_class: BedClass,
    /// `all` (general + SRAG beds) or `covid` (SRAG beds).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub scope: Scope,
    /// Beds offered by the hospitals counted.
    pub offered: i64,
    /// Beds occupied, each hospital capped at what it offers.
    pub occupied: i64,
    /// Beds occupied as reported.
    pub occupied_raw: i64,
    /// `occupied / offered`.
    pub rate: f64,
    /// Hospitals whose latest report is at most 13 days old.
    pub hospitals: i64,
    /// Hospitals whose latest report is older: not counted.
    pub stale: i64,
    /// Hospitals reporting more occupied beds than offered.
    pub over_capacity: i64,
    /// Hospitals whose values were unusable (no beds offered, negative or absurd).
    pub rejected: i64,
}

/// One hospital's bed occupancy on one day, for one bed class and scope:
/// indicator 2's rules applied to that hospital alone (its latest report
/// on or before the day, in its latest version, if at most 13 days old).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HospitalOccupancy {
    /// CNES code: trimmed, all-digit codes left-padded to 7 digits.
    pub cnes: String,
    /// Its latest name (blank when no report named it).
    pub name: String,
    /// The state of the report counted that day.
    pub uf: String,
    /// Its latest city, as the reports write it.
    pub city: String,
    /// 7-digit IBGE code of the city; `null` when the name matches no
    /// municipality of the state, or several.
    pub city_ibge: Option<String>,
    pub date: NaiveDate,
    /// `clinical` or `icu`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub bed_class: BedClass,
    /// `all` (general + SRAG beds) or `covid` (SRAG beds).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub scope: Scope,
    /// `counted`, `stale` (report older than 14 days), `rejected`
    /// (a negative or absurd value) or `no_beds`; the figures below are
    /// `null` unless `counted`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: BedStatus,
    pub offered: Option<i64>,
    /// Occupied beds, capped at `offered`.
    pub occupied: Option<i64>,
    /// Occupied beds as reported.
    pub occupied_raw: Option<i64>,
    /// `occupied / offered`.
    pub rate: Option<f64>,
    /// More beds occupied than offered were reported.
    pub over_capacity: bool,
    /// `rate` minus the rate 7 days before, in percentage points; `null`
    /// unless both days are counted.
    pub change_7d: Option<f64>,
    /// Respirators offered (`ofertaRespiradores`) by the report counted;
    /// `null` when blank, implausible or stale.
    pub respirators: Option<i64>,
    /// The Brasília day of the report that is current on `date`.
    pub last_report: NaiveDate,
    pub days_since_report: i64,
}

/// A hospital of the occupancy data as of the data's newest day: who and
/// where it is, its size, latest rates and their 7-day change, its last
/// report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HospitalSummary {
    pub cnes: String,
    /// Its latest name (blank when no report named it).
    pub name: String,
    /// The state of its latest report.
    pub uf: String,
    /// Its latest city, as the reports write it.
    pub city: String,
    /// 7-digit IBGE code, when `city_match` is `matched`.
    pub city_ibge: Option<String>,
    /// `matched`, `unmatched` or `ambiguous`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub city_match: CityMatch,
    /// The newest day of the data, which the figures are as of.
    pub date: NaiveDate,
    /// The Brasília day of its latest report.
    pub last_report: NaiveDate,
    /// Days from `last_report` to `date`: above 13, the hospital is stale
    /// and its figures are `null`.
    pub days_since_report: i64,
    /// Beds offered, clinical and ICU (all scopes): its size.
    pub beds: Option<i64>,
    pub icu_offered: Option<i64>,
    pub icu_rate: Option<f64>,
    /// In percentage points.
    pub icu_change_7d: Option<f64>,
    pub clinical_offered: Option<i64>,
    pub clinical_rate: Option<f64>,
    /// In percentage points.
    pub clinical_change_7d: Option<f64>,
    pub respirators: Option<i64>,
    /// Bed types (class × scope) it reports over capacity.
    pub over_capacity: i64,
}

/// SRAG hospitalisations and deaths of one state over a period (or one day),
/// split into confirmed COVID-19 and suspected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SragTotals {
    /// State code; blank for the notifications without a known state.
    pub uf: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub hospitalised: i64,
    pub confirmed: i64,
    pub suspected: i64,
    pub deaths: i64,
    pub deaths_confirmed: i64,
    pub deaths_suspected: i64,
    /// `confirmed / hospitalised`; `null` without hospitalisations.
    pub confirmed_share: Option<f64>,
    /// `deaths_confirmed / confirmed`.
    pub death_rate_confirmed: Option<f64>,
    /// `deaths_suspected / suspected`.
    pub death_rate_suspected: Option<f64>,
}

/// COVID-19 patients in one state's hospitals on one day, suspected and
/// confirmed, and their exits, from the occupancy register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatientsDay {
    pub uf: String,
    pub date: NaiveDate,
    /// Hospitals whose latest report is at most 13 days old.
    pub hospitals: i64,
    /// Hospitals whose latest report is older: not counted.
    pub stale: i64,
    /// Hospitals whose latest report has a negative or absurd count.
    pub rejected: i64,
    pub suspected_clinical: i64,
    pub suspected_icu: i64,
    pub confirmed_clinical: i64,
    pub confirmed_icu: i64,
    /// Confirmed over all patients (clinical and ICU); `null` without patients.
    pub confirmed_share: Option<f64>,
    /// Deaths and discharges reported that day.
    pub deaths_suspected: i64,
    pub discharges_suspected: i64,
    pub deaths_confirmed: i64,
    pub discharges_confirmed: i64,
    /// `deaths_suspected / (deaths_suspected + discharges_suspected)`.
    pub death_rate_suspected: Option<f64>,
    /// `deaths_confirmed / (deaths_confirmed + discharges_confirmed)`.
    pub death_rate_confirmed: Option<f64>,
    /// Reports of that day whose exits are negative or absurd: not added.
    pub rejected_exits: i64,
}

impl PatientsDay {
    /// The share of exits that were deaths: `deaths / (deaths + discharges)`.
    pub fn death_rate(deaths: i64, discharges: i64) -> Option<f64> {
        ratio(deaths, deaths + discharges)
    }
}

/// One epidemiological week of a nowcast: SIVEP-Gripe's count of a state
/// (or Brazil) as reported by a vintage, and the median and intervals of
/// the count it will eventually reach (docs/nowcast.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NowcastWeek {
    /// State code, or `BR` for Brazil (the sum of the states).
    pub uf: String,
    /// `srag` (hospitalisations by week of first symptoms), `covid` (the
    /// confirmed among them) or `deaths` (SRAG deaths by week of death).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub measure: SragMeasure,
    /// The Sunday that starts the week.
    pub week: NaiveDate,
    /// The SIVEP-Gripe database (its date) the nowcast was made from.
    pub vintage: NaiveDate,
    /// Whole weeks from the week's end to the vintage: 0 for the week that
    /// had just ended.
    pub weeks_back: i64,
    /// The count the vintage held.
    pub reported: i64,
    /// The estimate of the eventual count (never below `reported`).
    pub median: f64,
    /// The 50 % interval.
    pub low_50: f64,
    pub high_50: f64,
    /// The 90 % interval.
    pub low_90: f64,
    pub high_90: f64,
    /// The week is past the completion horizon (12 weeks): its count is
    /// taken as final and its estimate equals it.
    pub complete: bool,
}

/// The trend of a state's (or Brazil's) nowcast series at a vintage: the
/// weekly growth of the last 3 (short) and 6 (long) ended weeks and the
/// probability that each is an increase, with its class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SragTrend {
    /// State code, or `BR`.
    pub uf: String,
    /// `srag`, `covid` or `deaths`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub measure: SragMeasure,
    pub vintage: NaiveDate,
    /// The newest ended week the trends end with (its Sunday).
    pub week: NaiveDate,
    /// Weekly growth over the last 3 weeks (0.1: +10 % a week).
    pub short_growth: f64,
    /// The probability that the short trend is an increase.
    pub short_p_increase: f64,
    /// `aumento` (p > 0.95), `provavel_aumento` (> 0.75), `estavel`,
    /// `provavel_queda` (< 0.25) or `queda` (< 0.05).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub short_class: TrendClass,
    /// Weekly growth over the last 6 weeks.
    pub long_growth: f64,
    pub long_p_increase: f64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub long_class: TrendClass,
}

/// One of the two weeks after a vintage's newest ended week: the outlook
/// of a state's (or Brazil's) eventual count, continuing the nowcast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutlookWeek {
    /// State code, or `BR`.
    pub uf: String,
    /// `srag`, `covid` or `deaths`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub measure: SragMeasure,
    pub vintage: NaiveDate,
    /// The Sunday that starts the week.
    pub week: NaiveDate,
    /// Weeks after the newest ended week (1 or 2).
    pub weeks_ahead: i64,
    pub median: f64,
    pub low_50: f64,
    pub high_50: f64,
    pub low_90: f64,
    pub high_90: f64,
}

/// One line of the nowcast's backtest at the newest vintage, pooled over
/// the states (docs/nowcast.md): how far what was said at every earlier
/// vintage, `step` weeks back (the nowcast) or ahead (the outlook), fell
/// from what the newest vintage holds of weeks that have since settled,
/// and how far the naive answer fell: the count reported at the time (the
/// nowcast) or the last estimate carried forward (the outlook).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacktestScore {
    /// The newest vintage, whose counts are the truth.
    pub vintage: NaiveDate,
    pub measure: SragMeasure,
    pub kind: BacktestKind,
    /// Weeks back (0: the week that had just ended) or ahead (1, 2).
    pub step: i64,
    /// The estimates scored (places × weeks).
    pub cases: i64,
    /// Median absolute relative error of the estimate's median, and of
    /// the naive answer (0.2: 20 %).
    pub error: f64,
    pub naive_error: f64,
    /// Shares of the truths inside the 50 % and 90 % intervals.
    pub coverage_50: f64,
    pub coverage_90: f64,
    /// Mean weighted interval score (events), and the naive answer's for
    /// the outlook (persistence has intervals; a count so far has none).
    pub wis: f64,
    pub naive_wis: Option<f64>,
}

/// What a state page draws of one place's nowcast at the newest vintage:
/// its weeks, the two weeks ahead and its trend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NowcastSeries {
    /// The vintage the estimates were made from; `None` before the first
    /// nowcast.
    pub vintage: Option<NaiveDate>,
    /// The method's name, as the pages cite it.
    pub method: String,
    /// Where its description is served (a path of the site).
    pub doc: String,
    /// The vintage's newest ended weeks, oldest first.
    pub weeks: Vec<NowcastWeek>,
    /// The two weeks ahead.
    pub outlook: Vec<OutlookWeek>,
    pub trend: Option<SragTrend>,
}

/// One place's standing in a ranking: the row of `gold_ranking`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankingEntry {
    /// `state` or `city`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub scope: PlaceKind,
    /// 1 is the most affected (for `new_cases_week_per_100k`, the fastest rise).
    pub rank: i64,
    pub uf: String,
    /// 7-digit IBGE code for a city; absent for states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_ibge: Option<String>,
    pub name: String,
    /// `cases_per_100k`, `deaths_per_100k` or `new_cases_week_per_100k`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub metric: Metric,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub value: f64,
    /// The week before, for `new_cases_week_per_100k`.
    pub previous_value: Option<f64>,
    /// `value / previous_value − 1`.
    pub change: Option<f64>,
    pub population: i64,
}

/// SRAG hospitalisations and deaths of one state on one day: the row of
/// `gold_srag_state`, which [`SragTotals`] adds up over a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SragDay {
    /// State code; blank for the notifications without a known state.
    pub uf: String,
    pub date: NaiveDate,
    pub hospitalised: i64,
    pub confirmed: i64,
    pub suspected: i64,
    pub deaths: i64,
    pub deaths_confirmed: i64,
    pub deaths_suspected: i64,
    /// `confirmed / hospitalised`; `None` without hospitalisations.
    pub confirmed_share: Option<f64>,
    /// `deaths_confirmed / confirmed`.
    pub death_rate_confirmed: Option<f64>,
    /// `deaths_suspected / suspected`.
    pub death_rate_suspected: Option<f64>,
}

/// One place's outline on the maps: the row of `gold_geometry`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    /// `state` or `city`.
    pub level: PlaceKind,
    pub uf: String,
    /// The state code for states, the 7-digit IBGE code for municipalities.
    pub code: String,
    pub name: String,
    /// SVG path data in the map's projection.
    pub path: String,
    /// The box the path spans, as an SVG view box (`minX minY width height`).
    pub view_box: String,
}

/// The outcome of one ingest run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunSummary {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// `ok`, `held` (an edition waits for an admin), `partial` (some
    /// sources or gold tables failed) or `failed`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: RunStatus,
    pub error: Option<String>,
}
