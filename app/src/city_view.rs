//! A city's page data: its daily cases and deaths over the chosen period,
//! drawn on the server, and its rank among its state's cities.

use serde::{Deserialize, Serialize};

use crate::indicators::{CasesDay, RankingEntry};

/// The raw series of one city, as the backend reads them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CitySeries {
    pub days: Vec<CasesDay>,
    /// Its state's cities with a known population, most affected first
    /// (cases per 100k); empty when the city is not among them.
    pub state_ranking: Vec<RankingEntry>,
}
