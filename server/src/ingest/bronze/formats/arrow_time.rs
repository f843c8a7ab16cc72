//! Serde adapters that hand instants and dates to `serde_arrow` as the
//! numbers Arrow stores (microseconds, days since 1970-01-01). chrono's own
//! serde goes through text: a format and a parse per value, which dominated
//! the cost of moving rows in and out of Parquet.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Deserializer, Serializer, de::Error};

pub use chrono::serde::ts_microseconds as instant;

/// A date as days since 1970-01-01 (Arrow `Date32`).
pub mod date {
    use super::*;

    fn epoch() -> NaiveDate {
        NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
    }

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        let days = (*date - epoch()).num_days();
        serializer.serialize_i32(i32::try_from(days).map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(deserializer)?;
        epoch()
            .checked_add_signed(Duration::days(days.into()))
            .ok_or_else(|| D::Error::custom(format!("{days} days from 1970 is out of range")))
    }
}
