//! Brazilian formats for what the interface prints: dates as `24/11/2026`,
//! times in Brasília time (UTC−3, no daylight saving since 2019).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Brasília's offset from UTC.
fn brasilia() -> FixedOffset {
    FixedOffset::west_opt(3 * 3600).expect("UTC-3 is a valid offset")
}

/// A calendar date as `dd/mm/aaaa`.
pub fn date_br(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// An instant as `dd/mm/aaaa hh:mm` in Brasília time.
pub fn datetime_br(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&brasilia())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
        assert_eq!(date_br(d), "04/11/2026");
    }

    #[test]
    fn instants_are_shown_in_brasilia_time_across_midnight() {
        let utc = DateTime::parse_from_rfc3339("2026-11-25T01:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(datetime_br(utc), "24/11/2026 22:30");
    }
}
