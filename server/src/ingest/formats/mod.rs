//! Parsers from raw files to typed bronze rows, one module per format. They
//! read by header name (column order changes between files of one source)
//! and return every bad row as a [`Reject`](super::reject::Reject).

pub mod occupancy_api;
pub mod occupancy_snapshot;
pub mod population;
pub mod sivep_summary;
pub mod states_geojson;
pub mod wcota_cities;
pub mod wcota_states;

use std::collections::HashMap;

use super::reject::Reject;

/// What parsing one file produced.
#[derive(Debug)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub rejects: Vec<Reject>,
}

/// Why one row cannot be used: the field at fault, its value, the reason.
#[derive(Debug, PartialEq, Eq)]
pub struct Bad {
    pub field: String,
    pub value: String,
    pub reason: String,
}

impl Bad {
    pub fn new(field: &str, value: &str, reason: impl Into<String>) -> Self {
        Bad {
            field: field.to_owned(),
            value: value.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Reads a CSV by header name (a UTF-8 byte-order mark tolerated). The
/// `columns` must all be present; `row` receives each record's values in
/// `columns` order and makes a row or says why not. A file without the
/// columns is an error; an unreadable or bad row is a reject with its line.
pub fn parse_csv<T, const N: usize>(
    file: &str,
    bytes: &[u8],
    columns: [&str; N],
    row: impl Fn([&str; N]) -> Result<T, Bad>,
) -> Result<Parsed<T>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("unreadable header: {e}"))?
        .clone();
    let positions: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim_start_matches('\u{feff}').trim(), i))
        .collect();
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| !positions.contains_key(**c))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing columns: {}", missing.join(", ")));
    }
    let at = columns.map(|c| positions[c]);
    let mut parsed = Parsed {
        rows: Vec::new(),
        rejects: Vec::new(),
    };
    for (index, record) in reader.records().enumerate() {
        let outcome = match &record {
            Ok(record) => row(at.map(|i| record.get(i).unwrap_or(""))),
            Err(error) => Err(Bad::new("", "", format!("unreadable row: {error}"))),
        };
        match outcome {
            Ok(value) => parsed.rows.push(value),
            Err(bad) => parsed.rejects.push(Reject {
                file: file.to_owned(),
                line: index as u64 + 2,
                field: bad.field,
                value: bad.value,
                reason: bad.reason,
            }),
        }
    }
    Ok(parsed)
}

/// A count that must be written (blanks are bad), as [`integer`] reads it.
pub fn count(field: &str, text: &str) -> Result<i64, Bad> {
    match integer(text) {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(Bad::new(field, "", "blank count")),
        Err(reason) => Err(Bad::new(field, text, reason)),
    }
}

/// A count that must be written and not be negative.
pub fn non_negative(field: &str, text: &str) -> Result<i64, Bad> {
    match count(field, text)? {
        value if value < 0 => Err(Bad::new(field, text, "negative count")),
        value => Ok(value),
    }
}

/// A `YYYY-MM-DD` date.
pub fn date(field: &str, text: &str) -> Result<chrono::NaiveDate, Bad> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Bad::new(field, text, "not a YYYY-MM-DD date"))
}

/// Parses an integer that may be written as a float (`62.0`); blanks are
/// `None`. Fractions and non-numbers are errors.
pub fn integer(text: &str) -> Result<Option<i64>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(value) = text.parse::<i64>() {
        return Ok(Some(value));
    }
    match text.parse::<f64>() {
        Ok(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => Ok(Some(value as i64)),
        Ok(_) => Err("not a whole number"),
        Err(_) => Err("not a number"),
    }
}

/// The 27 federative units.
pub const UFS: [&str; 27] = [
    "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA", "PB", "PE",
    "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
];

/// A state code, trimmed and upper-cased, if it is one of the 27.
pub fn uf(text: &str) -> Option<String> {
    let code = text.trim().to_ascii_uppercase();
    UFS.contains(&code.as_str()).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_may_look_like_floats() {
        assert_eq!(integer("62.0"), Ok(Some(62)));
        assert_eq!(integer(" -3 "), Ok(Some(-3)));
        assert_eq!(integer(""), Ok(None));
        assert_eq!(integer("1.5"), Err("not a whole number"));
        assert_eq!(integer("abc"), Err("not a number"));
    }

    #[test]
    fn state_codes_are_normalised() {
        assert_eq!(uf(" sp"), Some("SP".into()));
        assert_eq!(uf("TOTAL"), None);
        assert_eq!(uf("XX"), None);
    }
}
