//! Bed occupancy snapshots of the Ministry's `leito_ocupacao` API, as the
//! collector saved them: one CSV (often gzipped) per day, one row per
//! hospital with its latest report, plus the collector's `ts_run`.
//!
//! Quirks handled: numbers written as floats (`62.0`), blanks (zero),
//! lower-case states, column order changing between days. Values that are
//! numbers but implausible (negative, absurd) are kept here and judged per
//! bed type in gold; values that are not whole numbers reject the row.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Header, Parsed, integer};
use crate::ingest::reject::Reject;

/// One hospital's occupancy report, as one snapshot carried it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// CNES code, trimmed; all-digit codes left-padded to 7 digits.
    pub cnes: String,
    /// `estadoSigla`, trimmed and upper-cased (validated in silver).
    pub uf: String,
    pub city: String,
    /// `dataNotificacaoOcupacao`.
    pub notified_at: DateTime<Utc>,
    /// When the snapshot was taken (`ts_run`).
    pub snapshot_at: DateTime<Utc>,
    pub offered_hosp_cli: i64,
    pub offered_hosp_uti: i64,
    pub offered_srag_cli: i64,
    pub offered_srag_uti: i64,
    pub occupied_hosp_cli: i64,
    pub occupied_hosp_uti: i64,
    pub occupied_srag_cli: i64,
    pub occupied_srag_uti: i64,
}

/// The bed counts, by source column name, in [`Notification`] field order.
pub const COUNT_COLUMNS: [&str; 8] = [
    "ofertaHospCli",
    "ofertaHospUti",
    "ofertaSRAGCli",
    "ofertaSRAGUti",
    "ocupHospCli",
    "ocupHospUti",
    "ocupSRAGCli",
    "ocupSRAGUti",
];

/// A hospital's identity: the CNES code trimmed, and left-padded with
/// zeros to 7 digits when it is all digits and shorter.
pub fn hospital_code(text: &str) -> String {
    let code = text.trim();
    if !code.is_empty() && code.len() < 7 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("{code:0>7}")
    } else {
        code.to_owned()
    }
}

fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses one snapshot file (already decompressed).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed<Notification>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = Header::new(
        reader
            .headers()
            .map_err(|e| format!("unreadable header: {e}"))?,
    );
    let [cnes, uf, city, notified, snapshot] = header.require([
        "cnes",
        "estadoSigla",
        "municipio",
        "dataNotificacaoOcupacao",
        "ts_run",
    ])?;
    let counts = header.require(COUNT_COLUMNS)?;
    let mut parsed = Parsed {
        rows: Vec::new(),
        rejects: Vec::new(),
    };
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let reject = |field: &str, value: &str, reason: String| Reject {
            file: file.to_owned(),
            line,
            field: field.to_owned(),
            value: value.to_owned(),
            reason,
        };
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                parsed
                    .rejects
                    .push(reject("", "", format!("unreadable row: {error}")));
                continue;
            }
        };
        let get = |i: usize| record.get(i).unwrap_or("");
        let code = hospital_code(get(cnes));
        if code.is_empty() {
            parsed
                .rejects
                .push(reject("cnes", get(cnes), "blank hospital code".into()));
            continue;
        }
        let Some(notified_at) = instant(get(notified)) else {
            parsed.rejects.push(reject(
                "dataNotificacaoOcupacao",
                get(notified),
                "not an ISO 8601 instant".into(),
            ));
            continue;
        };
        let Some(snapshot_at) = instant(get(snapshot)) else {
            parsed.rejects.push(reject(
                "ts_run",
                get(snapshot),
                "not an ISO 8601 instant".into(),
            ));
            continue;
        };
        let mut values = [0i64; 8];
        let mut bad = None;
        for (slot, (name, position)) in values.iter_mut().zip(COUNT_COLUMNS.iter().zip(counts)) {
            match integer(get(position)) {
                Ok(value) => *slot = value.unwrap_or(0),
                Err(reason) => {
                    bad = Some(reject(name, get(position), reason.into()));
                    break;
                }
            }
        }
        if let Some(reject) = bad {
            parsed.rejects.push(reject);
            continue;
        }
        let [ohc, ohu, osc, osu, uhc, uhu, usc, usu] = values;
        parsed.rows.push(Notification {
            cnes: code,
            uf: get(uf).trim().to_ascii_uppercase(),
            city: get(city).trim().to_owned(),
            notified_at,
            snapshot_at,
            offered_hosp_cli: ohc,
            offered_hosp_uti: ohu,
            offered_srag_cli: osc,
            offered_srag_uti: osu,
            occupied_hosp_cli: uhc,
            occupied_hosp_uti: uhu,
            occupied_srag_cli: usc,
            occupied_srag_uti: usu,
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hospital_codes_are_padded_only_when_all_digits() {
        assert_eq!(hospital_code("9768"), "0009768");
        assert_eq!(hospital_code(" 2350289"), "2350289");
        assert_eq!(hospital_code("2711451 "), "2711451");
        assert_eq!(hospital_code("230389-2"), "230389-2");
        assert_eq!(hospital_code("708203113539445"), "708203113539445");
    }

    // Hand-made rows following the snapshot header, columns reordered.
    const SAMPLE: &str = "cnes,ts_run,estadoSigla,municipio,dataNotificacaoOcupacao,\
        ofertaHospCli,ofertaHospUti,ofertaSRAGCli,ofertaSRAGUti,ocupHospCli,ocupHospUti,ocupSRAGCli,ocupSRAGUti\n\
        9768,2021-03-22T16:00:43.955488+00:00,sp,Campinas,2021-03-05T03:00:39.905Z,62.0,2.0,,,9.0,3.0,0.0,6\n\
        2350289,2021-03-22T16:00:43.955488+00:00,RJ,Rio,2021-03-05,1,1,1,1,1,1,1,1\n\
        2350290,2021-03-22T16:00:43.955488+00:00,RJ,Rio,2021-03-05T03:00:00Z,1.5,1,1,1,1,1,1,1\n\
        2350291,2021-03-22T16:00:43.955488+00:00,RJ,Rio,2021-03-05T03:00:00Z,-4,28052021,1,1,1,1,1,1\n";

    #[test]
    fn parses_quirky_rows_and_rejects_the_unreadable() {
        let parsed = parse("data.csv", SAMPLE.as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!((first.cnes.as_str(), first.uf.as_str()), ("0009768", "SP"));
        assert_eq!(
            (
                first.offered_hosp_cli,
                first.offered_srag_cli,
                first.occupied_srag_uti
            ),
            (62, 0, 6)
        );
        // Implausible numbers are kept for gold to judge per bed type.
        assert_eq!(
            (
                parsed.rows[1].offered_hosp_cli,
                parsed.rows[1].offered_hosp_uti
            ),
            (-4, 28_052_021)
        );
        let reasons: Vec<_> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![(3, "dataNotificacaoOcupacao"), (4, "ofertaHospCli")]
        );
    }
}
