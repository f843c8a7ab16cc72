//! Parsers from raw files to typed bronze rows, one module per format. They
//! read by header name (column order changes between files of one source)
//! and return every bad row as a [`Reject`](super::reject::Reject).

pub mod arrow_time;
pub mod brasilio_caso;
pub mod geojson;
pub mod ibge_municipalities;
pub mod instant;
pub mod municipalities_geojson;
pub mod occupancy_api;
pub mod occupancy_opendatasus;
pub mod occupancy_snapshot;
pub mod population;
pub mod sivep_summary;
pub mod states_geojson;
pub mod wcota_cities;
pub mod wcota_states;

use std::{borrow::Cow, collections::HashMap, io::Read};

use anyhow::{anyhow, bail};

use super::reject::Reject;

/// Where a parser puts what it reads, row by row as it goes: the usable
/// rows and the rejects.
pub trait Sink<T> {
    /// Takes one good row; an error (e.g. writing it out) stops the parse.
    fn row(&mut self, row: T) -> anyhow::Result<()>;
    /// Takes one reject.
    fn reject(&mut self, reject: Reject);
}

/// A format's parser: reads one file's content (decompressed) from `input`
/// and feeds `sink`. An error means the file is not of the format (or could
/// not be read, or the sink failed); bad rows are rejects, not errors.
pub type Parser<T> = fn(&str, &mut dyn Read, &mut dyn Sink<T>) -> anyhow::Result<()>;

/// Everything parsing one file produced, held in memory.
#[derive(Debug)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub rejects: Vec<Reject>,
}

impl<T> Sink<T> for Parsed<T> {
    fn row(&mut self, row: T) -> anyhow::Result<()> {
        self.rows.push(row);
        Ok(())
    }

    fn reject(&mut self, reject: Reject) {
        self.rejects.push(reject);
    }
}

/// Parses a whole file held in memory.
pub fn parse_all<T>(parse: Parser<T>, file: &str, mut bytes: &[u8]) -> anyhow::Result<Parsed<T>> {
    let mut parsed = Parsed {
        rows: Vec::new(),
        rejects: Vec::new(),
    };
    parse(file, &mut bytes, &mut parsed)?;
    Ok(parsed)
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

    /// The reject this makes at `line` of `file`.
    pub fn at(self, file: &str, line: u64) -> Reject {
        Reject {
            file: file.to_owned(),
            line,
            field: self.field,
            value: self.value,
            reason: self.reason,
        }
    }
}

/// Reads a CSV by header name (a UTF-8 byte-order mark tolerated), record
/// by record. The `columns` must all be present; `row` receives each
/// record's values in `columns` order and makes a row or says why not. A
/// file without the columns, or whose bytes cannot be read (a corrupt or
/// cut-off compressed stream), is an error; a malformed or bad row is a
/// reject with its line. A value that is not UTF-8 is read as Latin-1
/// (ISO 8859-1), the other encoding the Ministry's files come in.
pub fn read_csv<T, const N: usize>(
    file: &str,
    input: &mut dyn Read,
    columns: [&str; N],
    row: impl Fn([&str; N]) -> Result<T, Bad>,
    sink: &mut dyn Sink<T>,
) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| anyhow!("unreadable header: {e}"))?
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
        bail!("missing columns: {}", missing.join(", "));
    }
    let at = columns.map(|c| positions[c]);
    let mut record = csv::ByteRecord::new();
    for index in 0u64.. {
        let outcome = match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let values = at.map(|i| text(record.get(i).unwrap_or_default()));
                row(std::array::from_fn(|i| values[i].as_ref()))
            }
            Err(error) if matches!(error.kind(), csv::ErrorKind::Io(_)) => {
                bail!("reading line {}: {error}", index + 2)
            }
            Err(error) => Err(Bad::new("", "", format!("unreadable row: {error}"))),
        };
        match outcome {
            Ok(value) => sink.row(value)?,
            Err(bad) => sink.reject(bad.at(file, index + 2)),
        }
    }
    Ok(())
}

/// A CSV value as text: UTF-8, or else Latin-1 (every byte is a character).
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()),
    }
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
    fn values_that_are_not_utf8_are_read_as_latin1() {
        let input = b"uf,name\nSP,S\xe3o Paulo\nPA,Par\xc3\xa1\n";
        let parsed = parse_all(
            |file, input, sink| {
                read_csv(
                    file,
                    input,
                    ["uf", "name"],
                    |[u, n]| Ok(format!("{u} {n}")),
                    sink,
                )
            },
            "latin1.csv",
            input,
        )
        .unwrap();
        assert_eq!(parsed.rows, ["SP São Paulo", "PA Pará"]);
        assert!(parsed.rejects.is_empty());
    }

    #[test]
    fn state_codes_are_normalised() {
        assert_eq!(uf(" sp"), Some("SP".into()));
        assert_eq!(uf("TOTAL"), None);
        assert_eq!(uf("XX"), None);
    }
}
