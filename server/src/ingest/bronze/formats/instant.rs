//! ISO 8601 instants as the hospital files write them
//! (`2020-11-27T03:00:19.869Z`, `2021-02-23T16:00:11.117292+00:00`), read
//! by position; any other spelling (another offset, a leap second, spaces)
//! goes to chrono's RFC 3339 parser, whose answer is the rule. Each
//! occupancy row carries two instants, and chrono's general parser led the
//! bronze profile.

use chrono::{DateTime, NaiveDate, Utc};

/// The instant `text` names, if it is one.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    utc_by_position(text.as_bytes()).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)`, else `None`.
fn utc_by_position(b: &[u8]) -> Option<DateTime<Utc>> {
    let rest = b.get(19..)?;
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, byte)| b[at] != byte) {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &digit| {
            digit
                .is_ascii_digit()
                .then(|| n * 10 + u32::from(digit - b'0'))
        })
    };
    let (fraction, zone) = match rest.first() {
        Some(b'.') => {
            let digits = rest[1..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            let value = number(20, 20 + digits)?;
            (value * 10u32.pow(9 - digits as u32), &rest[1 + digits..])
        }
        _ => (0, rest),
    };
    if zone != b"Z" && zone != b"+00:00" {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 7)?,
        number(8, 10)?,
    )?;
    let time =
        date.and_hms_nano_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?, fraction)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn every_spelling_reads_as_chrono_reads_it() {
        let mut cases = vec![
            "2020-11-27T03:00:19.869Z",
            "2021-02-23T16:00:11.117292+00:00",
            " 2021-02-23T16:00:11+00:00 ",
            "2021-02-23T16:00:11Z",
            "2021-02-23T16:00:11.123456789Z",
            "2021-02-23T16:00:11.1234567891Z",
            "2021-02-23T13:00:11-03:00",
            "2021-02-23 16:00:11Z",
            "2021-02-23t16:00:11z",
            "2016-12-31T23:59:60Z",
            "2021-02-29T16:00:11Z",
            "2021-13-01T16:00:11Z",
            "2021-02-23T24:00:00Z",
            "2021-02-23T16:00:11.Z",
            "2021-02-23T16:00:11",
            "2021-02-23T16:00:11+00:00x",
            "2021-0a-23T16:00:11Z",
            "+021-02-23T16:00:11Z",
            "",
            "2021",
        ];
        let generated: Vec<String> = (0..400)
            .map(|i| {
                format!(
                    "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}.{}Z",
                    i % 30,
                    i % 14,
                    i % 33,
                    i % 25,
                    i % 61,
                    i % 62,
                    "9".repeat(i % 11)
                )
            })
            .collect();
        cases.extend(generated.iter().map(String::as_str));
        for text in cases {
            assert_eq!(parse(text), chrono(text), "{text:?}");
        }
        assert!(parse("2020-11-27T03:00:19.869Z").is_some());
    }
}
