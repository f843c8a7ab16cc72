//! The out-of-memory sort's runs on local disk: each row serialised as it
//! is by `postcard` (compact, no columns to build, nothing to compress),
//! behind its length, in an anonymous temporary file, and read back one
//! row at a time. A run lives only as long as the sort that wrote it.

use std::{
    fs::File,
    io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write},
    marker::PhantomData,
};

use anyhow::Context;
use serde::{Serialize, de::DeserializeOwned};

/// Bytes read or written to disk at a time.
const BUFFER: usize = 1 << 20;

/// Writes `rows` to a new temporary file, rewound for reading.
pub fn write<T: Serialize>(rows: impl Iterator<Item = anyhow::Result<T>>) -> anyhow::Result<File> {
    let file = tempfile::tempfile().context("creating a sort run's file")?;
    let mut out = BufWriter::with_capacity(BUFFER, file);
    let mut record = Vec::new();
    for row in rows {
        record.clear();
        record = postcard::to_extend(&row?, record).context("encoding a row of a sort run")?;
        let length = u32::try_from(record.len()).context("a row of a sort run over 4 GiB")?;
        out.write_all(&length.to_le_bytes())
            .and_then(|()| out.write_all(&record))
            .context("writing a sort run")?;
    }
    let mut file = out
        .into_inner()
        .map_err(|error| error.into_error())
        .context("writing a sort run")?;
    file.seek(SeekFrom::Start(0))
        .context("rewinding a sort run")?;
    Ok(file)
}

/// The rows of a run, in the order written.
pub struct Run<T> {
    input: BufReader<File>,
    record: Vec<u8>,
    row_type: PhantomData<fn() -> T>,
}

impl<T> Run<T> {
    /// Reads a file [`write`] wrote.
    pub fn read(file: File) -> Self {
        Run {
            input: BufReader::with_capacity(BUFFER, file),
            record: Vec::new(),
            row_type: PhantomData,
        }
    }

    /// The next record's bytes; `None` at the end of the file, an error if
    /// it ends inside a record.
    fn next_record(&mut self) -> anyhow::Result<Option<&[u8]>> {
        if self
            .input
            .fill_buf()
            .context("reading a sort run")?
            .is_empty()
        {
            return Ok(None);
        }
        let mut length = [0; 4];
        self.input
            .read_exact(&mut length)
            .context("reading a sort run's row length")?;
        self.record.resize(u32::from_le_bytes(length) as usize, 0);
        self.input
            .read_exact(&mut self.record)
            .context("reading a row of a sort run")?;
        Ok(Some(&self.record))
    }
}

impl<T: DeserializeOwned> Iterator for Run<T> {
    type Item = anyhow::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
            .and_then(|record| {
                record
                    .map(|bytes| {
                        postcard::from_bytes(bytes).context("decoding a row of a sort run")
                    })
                    .transpose()
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::ingest::bronze::formats::{
        occupancy_opendatasus::PatientReport, occupancy_snapshot::Notification,
        sivep_summary::SragRow,
    };

    /// Rows written and read back as they were, compared as JSON.
    fn round_trip<T: Serialize + DeserializeOwned + Debug>(rows: Vec<T>) {
        let json = |rows: &[T]| serde_json::to_value(rows).unwrap();
        let written = json(&rows);
        let file = write(rows.into_iter().map(Ok)).unwrap();
        let read: Vec<T> = Run::read(file).collect::<anyhow::Result<_>>().unwrap();
        assert_eq!(json(&read), written);
    }

    #[test]
    fn every_sorted_row_type_reads_back_as_written() {
        let instant = Utc.with_ymd_and_hms(2021, 3, 22, 23, 59, 58).unwrap()
            + chrono::Duration::microseconds(123_456);
        let notification = |name: &str, respirators| Notification {
            cnes: "2077485".into(),
            uf: "SP".into(),
            city: "São Paulo".into(),
            name: name.into(),
            notified_at: instant,
            snapshot_at: instant + chrono::Duration::days(1),
            offered_hosp_cli: 120,
            offered_hosp_uti: 40,
            offered_srag_cli: 0,
            offered_srag_uti: -1,
            occupied_hosp_cli: 99,
            occupied_hosp_uti: 41,
            occupied_srag_cli: i64::MAX,
            occupied_srag_uti: i64::MIN,
            respirators,
        };
        round_trip(vec![
            notification("Hospital das Clínicas", Some(12)),
            notification("", None),
        ]);
        round_trip(vec![SragRow {
            uf: String::new(),
            city_ibge6: "355030".into(),
            city_ibge: String::new(),
            date: NaiveDate::from_ymd_opt(2020, 6, 23).unwrap(),
            age_class: "60+".into(),
            srag: 3,
            covid: 2,
            deaths_srag: 1,
            deaths_covid: 0,
        }]);
        round_trip(vec![PatientReport {
            cnes: "0000019".into(),
            uf: "AC".into(),
            city: "Rio Branco".into(),
            notified_at: instant,
            updated_at: instant,
            excluded: true,
            suspected_clinical: 1,
            suspected_icu: 2,
            confirmed_clinical: 3,
            confirmed_icu: 4,
            deaths_suspected: 5,
            discharges_suspected: 6,
            deaths_confirmed: 7,
            discharges_confirmed: 8,
        }]);
    }

    #[test]
    fn an_empty_run_reads_as_no_rows_and_a_cut_one_as_an_error() {
        let empty = write(std::iter::empty::<anyhow::Result<u64>>()).unwrap();
        assert_eq!(Run::<u64>::read(empty).count(), 0);

        let file = write((0..3u64).map(|n| Ok(n.to_string()))).unwrap();
        let length = file.metadata().unwrap().len();
        file.set_len(length - 1).unwrap();
        let read: Vec<anyhow::Result<String>> = Run::read(file).collect();
        assert_eq!(read.len(), 3, "two rows, then the error");
        assert_eq!(read[1].as_deref().ok(), Some("1"));
        let error = format!("{:#}", read[2].as_ref().unwrap_err());
        assert!(error.contains("reading a row of a sort run"), "{error}");
    }
}
