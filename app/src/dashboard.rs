//! The overview's data: headline figures with their change against the
//! week before, and the rankings, read in one
//! server function so the page renders (and re-renders on a filter change)
//! from one round trip.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::indicators::RankingEntry;

/// A figure and the same figure a week earlier.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub value: f64,
    pub previous: Option<f64>,
}

impl Change {
    /// Relative change against the week before, when there was one.
    pub fn relative(self) -> Option<f64> {
        self.previous
            .filter(|p| *p != 0.0)
            .map(|p| self.value / p - 1.0)
    }
}

/// The headline figures of the country.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// New cases in the 7 days ending on the newest case date.
    pub cases_week: Option<Change>,
    pub deaths_week: Option<Change>,
    /// Occupancy of COVID/SRAG beds on the newest occupancy date.
    pub icu_rate: Option<Change>,
    pub clinical_rate: Option<Change>,
    /// Hospitals counted and stale in that occupancy.
    pub hospitals: i64,
    pub stale: i64,
    /// SRAG over the 28 days ending on the newest SIVEP date.
    pub confirmed_share: Option<f64>,
    pub death_rate_confirmed: Option<f64>,
    pub death_rate_suspected: Option<f64>,
}

/// Everything the overview shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub cases_as_of: Option<NaiveDate>,
    pub occupancy_as_of: Option<NaiveDate>,
    pub srag_period: Option<(NaiveDate, NaiveDate)>,
    pub headline: Headline,
    /// States by cases per 100k: most and least affected.
    pub most: Vec<RankingEntry>,
    pub least: Vec<RankingEntry>,
    /// States whose new cases rose the most against the week before.
    pub rising: Vec<RankingEntry>,
    /// Cities of at least 50,000 inhabitants by cases per 100k.
    pub cities: Vec<RankingEntry>,
}

/// Reads the overview.
#[server(prefix = "/sf", endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, ServerFnError> {
    crate::backend::current()?
        .overview()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}
