//! The indicator rows the API serves and the pages draw: one type per gold
//! view, read by the server from the store and drawn by the pages it
//! renders. With `ssr` they also describe themselves for the OpenAPI
//! document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::vocabulary::{BedClass, Scope};

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
/// when the source corrected itself), 7-day mean of new, per 100k.
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

/// One place's standing in a ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankingEntry {
    /// 1 is the most affected (for `new_cases_week_per_100k`, the fastest rise).
    pub rank: i64,
    pub uf: String,
    /// 7-digit IBGE code for a city; absent for states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_ibge: Option<String>,
    pub name: String,
    pub metric: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub value: f64,
    /// The week before, for `new_cases_week_per_100k`.
    pub previous_value: Option<f64>,
    /// `value / previous_value − 1`.
    pub change: Option<f64>,
    pub population: i64,
}

/// The outcome of one ingest run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunSummary {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// `ok`, `partial` (some sources failed) or `failed`.
    pub status: String,
    pub error: Option<String>,
}
