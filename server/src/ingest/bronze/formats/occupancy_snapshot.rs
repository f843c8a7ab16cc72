//! Bed occupancy snapshots of the Ministry's `leito_ocupacao` API, as the
//! collector saved them: one CSV (often gzipped) per day, one row per
//! hospital with its latest report, plus the collector's `ts_run`.
//!
//! Quirks handled: numbers written as floats (`62.0`), blanks (zero),
//! lower-case states, column order changing between days. Values that are
//! numbers but implausible (negative, absurd) are kept here and judged per
//! bed type in gold; values that are not whole numbers reject the row.

use std::io::Read;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Bad, Sink, instant, integer, read_csv};

/// One hospital's occupancy report, as one snapshot carried it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// CNES code, trimmed; all-digit codes left-padded to 7 digits.
    pub cnes: String,
    /// `estadoSigla`, trimmed and upper-cased (validated in silver).
    pub uf: String,
    pub city: String,
    /// `nomeCnes`, trimmed (blank in many reports).
    #[serde(default)]
    pub name: String,
    /// `dataNotificacaoOcupacao`.
    #[serde(with = "super::arrow_time::instant")]
    pub notified_at: DateTime<Utc>,
    /// When the snapshot was taken (`ts_run`).
    #[serde(with = "super::arrow_time::instant")]
    pub snapshot_at: DateTime<Utc>,
    pub offered_hosp_cli: i64,
    pub offered_hosp_uti: i64,
    pub offered_srag_cli: i64,
    pub offered_srag_uti: i64,
    pub occupied_hosp_cli: i64,
    pub occupied_hosp_uti: i64,
    pub occupied_srag_cli: i64,
    pub occupied_srag_uti: i64,
    /// `ofertaRespiradores`; `None` when blank or not a whole number (it
    /// takes no part in the bed counts, so it never rejects the report).
    #[serde(default)]
    pub respirators: Option<i64>,
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

/// The columns a report is made of, in the order [`notification`] takes them.
pub const COLUMNS: [&str; 15] = [
    "cnes",
    "estadoSigla",
    "municipio",
    "nomeCnes",
    "ofertaRespiradores",
    "dataNotificacaoOcupacao",
    "ts_run",
    COUNT_COLUMNS[0],
    COUNT_COLUMNS[1],
    COUNT_COLUMNS[2],
    COUNT_COLUMNS[3],
    COUNT_COLUMNS[4],
    COUNT_COLUMNS[5],
    COUNT_COLUMNS[6],
    COUNT_COLUMNS[7],
];

/// Parses one snapshot file (already decompressed).
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<Notification>,
) -> anyhow::Result<()> {
    read_csv(file, input, COLUMNS, notification, sink)
}

/// One report from its values, in [`COLUMNS`] order, as text.
pub fn notification(
    [
        cnes,
        uf,
        city,
        name,
        respirators,
        notified,
        snapshot,
        counts @ ..,
    ]: [&str; 15],
) -> Result<Notification, Bad> {
    let code = hospital_code(cnes);
    if code.is_empty() {
        return Err(Bad::new("cnes", cnes, "blank hospital code"));
    }
    let notified_at = instant::parse(notified).ok_or_else(|| {
        Bad::new(
            "dataNotificacaoOcupacao",
            notified,
            "not an ISO 8601 instant",
        )
    })?;
    let snapshot_at = instant::parse(snapshot)
        .ok_or_else(|| Bad::new("ts_run", snapshot, "not an ISO 8601 instant"))?;
    // Blanks are zero; implausible numbers are judged per bed type in gold.
    let mut values = [0i64; 8];
    for (slot, (column, text)) in values.iter_mut().zip(COUNT_COLUMNS.iter().zip(counts)) {
        *slot = integer(text)
            .map_err(|reason| Bad::new(column, text, reason))?
            .unwrap_or(0);
    }
    let [ohc, ohu, osc, osu, uhc, uhu, usc, usu] = values;
    Ok(Notification {
        cnes: code,
        uf: uf.trim().to_ascii_uppercase(),
        city: city.trim().to_owned(),
        name: name.trim().to_owned(),
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
        respirators: integer(respirators).ok().flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    #[test]
    fn hospital_codes_are_padded_only_when_all_digits() {
        assert_eq!(hospital_code("9768"), "0009768");
        assert_eq!(hospital_code(" 2350289"), "2350289");
        assert_eq!(hospital_code("2711451 "), "2711451");
        assert_eq!(hospital_code("230389-2"), "230389-2");
        assert_eq!(hospital_code("708203113539445"), "708203113539445");
    }

    // Hand-made rows following the snapshot header, columns reordered.
    const SAMPLE: &str = "cnes,ts_run,estadoSigla,municipio,nomeCnes,ofertaRespiradores,dataNotificacaoOcupacao,\
        ofertaHospCli,ofertaHospUti,ofertaSRAGCli,ofertaSRAGUti,ocupHospCli,ocupHospUti,ocupSRAGCli,ocupSRAGUti\n\
        9768,2021-03-22T16:00:43.955488+00:00,sp,Campinas, Hospital A ,4.0,2021-03-05T03:00:39.905Z,62.0,2.0,,,9.0,3.0,0.0,6\n\
        2350289,2021-03-22T16:00:43.955488+00:00,RJ,Rio,,,2021-03-05,1,1,1,1,1,1,1,1\n\
        2350290,2021-03-22T16:00:43.955488+00:00,RJ,Rio,,,2021-03-05T03:00:00Z,1.5,1,1,1,1,1,1,1\n\
        2350291,2021-03-22T16:00:43.955488+00:00,RJ,Rio,,2.5,2021-03-05T03:00:00Z,-4,28052021,1,1,1,1,1,1\n";

    #[test]
    fn parses_quirky_rows_and_rejects_the_unreadable() {
        let parsed = parse_all(parse, "data.csv", SAMPLE.as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!((first.cnes.as_str(), first.uf.as_str()), ("0009768", "SP"));
        assert_eq!(
            (first.name.as_str(), first.respirators),
            ("Hospital A", Some(4))
        );
        // A respirator count that is not a whole number is unknown, not a reject.
        assert_eq!(parsed.rows[1].respirators, None);
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
