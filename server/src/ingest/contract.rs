//! Data contracts: what a new edition of a source must keep of the last
//! good one before it may replace silver. Each committed silver carries a
//! [`Profile`] (rows, newest date, places, filled columns); a new edition
//! whose profile breaks the source's [`Contract`] against it is held, and
//! the last good silver and gold keep serving until an admin accepts it.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::sources::Contract;

/// What a source's silver holds, as far as its contract is concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub rows: u64,
    /// The newest date the rows refer to.
    pub newest_date: Option<NaiveDate>,
    /// The places the rows are about: states, cities or hospitals.
    pub places: BTreeSet<String>,
    /// The columns with at least one value that is neither null nor blank.
    pub filled: BTreeSet<String>,
}

impl Profile {
    /// Counts a row about `place` (blank: none) on `day`.
    pub fn observe(&mut self, day: Option<NaiveDate>, place: &str) {
        self.rows += 1;
        self.newest_date = self.newest_date.max(day);
        if !place.is_empty() && !self.places.contains(place) {
            self.places.insert(place.to_owned());
        }
    }
}

/// One way a new edition breaks its contract.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Breach {
    #[error("the newest date went back from {was} to {now}")]
    DateWentBack { was: NaiveDate, now: NaiveDate },
    #[error("the rows fell from {was} to {now}, more than {allowed_percent} % fewer")]
    RowsDropped {
        was: u64,
        now: u64,
        allowed_percent: f64,
    },
    #[error("{count} place(s) disappeared ({examples})")]
    PlacesDisappeared { count: usize, examples: String },
    #[error("column(s) {0} became all blank")]
    ColumnsBlank(String),
}

/// How many missing places a breach names.
const EXAMPLES: usize = 5;

/// Every way the edition profiled as `now` breaks `contract` against the
/// last good one, `was`.
pub fn check(contract: &Contract, was: &Profile, now: &Profile) -> Vec<Breach> {
    let mut breaches = Vec::new();
    if let (Some(was), Some(now)) = (was.newest_date, now.newest_date)
        && now < was
    {
        breaches.push(Breach::DateWentBack { was, now });
    }
    let floor = was.rows as f64 * (1.0 - contract.max_row_drop);
    if (now.rows as f64) < floor {
        breaches.push(Breach::RowsDropped {
            was: was.rows,
            now: now.rows,
            allowed_percent: contract.max_row_drop * 100.0,
        });
    }
    let gone: Vec<&String> = was.places.difference(&now.places).collect();
    if !gone.is_empty() {
        let mut examples = gone
            .iter()
            .take(EXAMPLES)
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if gone.len() > EXAMPLES {
            examples.push_str(", …");
        }
        breaches.push(Breach::PlacesDisappeared {
            count: gone.len(),
            examples,
        });
    }
    let blank: Vec<&str> = was
        .filled
        .difference(&now.filled)
        .map(String::as_str)
        .collect();
    if !blank.is_empty() {
        breaches.push(Breach::ColumnsBlank(blank.join(", ")));
    }
    breaches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(rows: u64, newest: &str, places: &[&str], filled: &[&str]) -> Profile {
        Profile {
            rows,
            newest_date: Some(newest.parse().unwrap()),
            places: places.iter().map(|p| p.to_string()).collect(),
            filled: filled.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn an_edition_that_grows_keeps_its_contract() {
        let was = profile(100, "2022-04-24", &["SP", "RJ"], &["uf", "cases"]);
        let now = profile(96, "2022-04-25", &["SP", "RJ", "MG"], &["uf", "cases", "x"]);
        assert_eq!(check(&Contract::default(), &was, &now), vec![]);
    }

    #[test]
    fn each_breach_is_named() {
        let was = profile(100, "2022-04-24", &["SP", "RJ"], &["uf", "cases"]);
        let now = profile(50, "2021-04-03", &["SP"], &["uf"]);
        let breaches = check(&Contract::default(), &was, &now);
        assert_eq!(
            breaches.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "the newest date went back from 2022-04-24 to 2021-04-03",
                "the rows fell from 100 to 50, more than 5 % fewer",
                "1 place(s) disappeared (RJ)",
                "column(s) cases became all blank",
            ]
        );
        let lenient = Contract { max_row_drop: 0.6 };
        assert_eq!(check(&lenient, &was, &now).len(), 3);
    }

    #[test]
    fn observing_rows_tracks_the_newest_date_and_the_places() {
        let mut profile = Profile::default();
        profile.observe(Some("2021-03-01".parse().unwrap()), "SP");
        profile.observe(Some("2021-02-01".parse().unwrap()), "SP");
        profile.observe(None, "");
        assert_eq!(profile.rows, 3);
        assert_eq!(profile.newest_date, Some("2021-03-01".parse().unwrap()));
        assert_eq!(profile.places.len(), 1);
    }
}
