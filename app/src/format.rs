//! Formats for what the interface prints: numbers as each language writes
//! them, dates as `24/11/2026`, times in Brasília time (UTC−3, no daylight
//! saving since 2019).

use chrono::{DateTime, NaiveDate, Utc};

use crate::catalog::domain::brasilia;

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

/// How a language writes numbers: `1.234,5` and `+4,5 p.p.` in Portuguese,
/// `1,234.5` and `+4.5 pp` in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Numbers {
    thousands: char,
    decimal: char,
    points: &'static str,
}

/// Brazilian Portuguese.
pub const BR: Numbers = Numbers {
    thousands: '.',
    decimal: ',',
    points: "p.p.",
};

/// English.
pub const EN: Numbers = Numbers {
    thousands: ',',
    decimal: '.',
    points: "pp",
};

impl Numbers {
    /// `value` with `decimals` decimals and its thousands grouped.
    pub fn number(self, value: f64, decimals: usize) -> String {
        let text = format!("{:.*}", decimals, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(self.thousands);
            }
            grouped.push(digit);
        }
        let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            ""
        };
        match fraction {
            "" => format!("{sign}{grouped}"),
            _ => format!("{sign}{grouped}{}{fraction}", self.decimal),
        }
    }

    /// A rate (0.712) as a percentage: `71,2%`.
    pub fn percent(self, rate: f64) -> String {
        format!("{}%", self.number(rate * 100.0, 1))
    }

    /// A relative change (0.123) with its sign: `+12,3%`.
    pub fn change(self, change: f64) -> String {
        let sign = if change > 0.0 { "+" } else { "" };
        format!("{sign}{}", self.percent(change))
    }

    /// The unit of a change of a rate: `p.p.`, `pp`.
    pub fn points_unit(self) -> &'static str {
        self.points
    }

    /// A change of a rate in percentage points (4.5) with its sign:
    /// `+4,5 p.p.`.
    pub fn points(self, points: f64) -> String {
        let sign = if points > 0.0 { "+" } else { "" };
        format!("{sign}{} {}", self.number(points, 1), self.points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_and_mark_decimals_as_the_language_does() {
        assert_eq!(BR.number(1234.5, 1), "1.234,5");
        assert_eq!(BR.number(30_349_463.0, 0), "30.349.463");
        assert_eq!(BR.number(999.0, 0), "999");
        assert_eq!(BR.number(-1234.0, 0), "-1.234");
        assert_eq!(BR.number(-0.01, 1), "0,0");
        assert_eq!(BR.percent(0.7126), "71,3%");
        assert_eq!(BR.change(0.123), "+12,3%");
        assert_eq!(BR.change(-0.05), "-5,0%");
        assert_eq!(BR.points((0.829 - 0.784) * 100.0), "+4,5 p.p.");
        assert_eq!(BR.points(-2.26), "-2,3 p.p.");
        assert_eq!(EN.number(96_845.0, 0), "96,845");
        assert_eq!(EN.number(1234.5, 1), "1,234.5");
        assert_eq!(EN.percent(0.829), "82.9%");
        assert_eq!(EN.points(4.5), "+4.5 pp");
    }

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
