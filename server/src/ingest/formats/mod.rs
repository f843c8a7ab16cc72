//! Parsers from raw files to typed bronze rows, one module per format. They
//! read by header name (column order changes between files of one source)
//! and return every bad row as a [`Reject`](super::reject::Reject).

pub mod occupancy_snapshot;
pub mod population;
pub mod sivep_summary;
pub mod wcota_cities;
pub mod wcota_states;

use std::collections::HashMap;

use super::reject::Reject;

/// The position of each named column in a CSV header.
pub struct Header {
    positions: HashMap<String, usize>,
}

impl Header {
    /// Indexes a header, tolerating a UTF-8 byte-order mark.
    pub fn new(record: &csv::StringRecord) -> Self {
        let positions = record
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim_start_matches('\u{feff}').trim().to_owned(), i))
            .collect();
        Header { positions }
    }

    /// The positions of `names`, or the list of missing ones.
    pub fn require<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], String> {
        let missing: Vec<&str> = names
            .iter()
            .filter(|n| !self.positions.contains_key(**n))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(format!("missing columns: {}", missing.join(", ")));
        }
        Ok(names.map(|n| self.positions[n]))
    }
}

/// What parsing one file produced.
#[derive(Debug)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub rejects: Vec<Reject>,
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
