//! The Ministry's hospital occupancy register as OpenDataSUS publishes it
//! (`esus-vepi.LeitoOcupacao_<year>.csv`): one row per report, with the
//! patients in clinical and ICU beds split into suspected and confirmed
//! COVID-19, and the exits (deaths, discharges) of each group. It has no
//! beds offered, so it feeds indicators 3 and 4, not the occupancy rate.
//!
//! Quirks handled: counts written as floats (`1.0`), blank counts (zero),
//! the hospital's state written as a name in any case and with or without
//! accents (`São Paulo`, `SAO PAULO`), or as a code; an unnamed index column
//! first; a report revised later (same hospital and time, a newer
//! `_updated_at`) and reports withdrawn by the notifier (`excluido`), both
//! settled in silver. Implausible counts are kept and judged in gold.

use std::io::Read;

use app::catalog::vocabulary::Uf;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Bad, Sink, integer, occupancy_snapshot::hospital_code, read_csv, uf};
use crate::folding::folded;
use app::catalog::domain::brasilia_day;

/// One hospital's report of its COVID-19 patients and exits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientReport {
    /// CNES code, trimmed; all-digit codes left-padded to 7 digits.
    pub cnes: String,
    /// The hospital's state (`estado`, else `estadoNotificacao`) as its
    /// code; an unknown name is kept upper-cased and rejected in silver.
    pub uf: String,
    pub city: String,
    /// `dataNotificacao`.
    #[serde(with = "super::arrow_time::instant")]
    pub notified_at: DateTime<Utc>,
    /// `_updated_at` (else `_created_at`): the newest version counts.
    #[serde(with = "super::arrow_time::instant")]
    pub updated_at: DateTime<Utc>,
    /// `excluido`: withdrawn by the notifier.
    pub excluded: bool,
    pub suspected_clinical: i64,
    pub suspected_icu: i64,
    pub confirmed_clinical: i64,
    pub confirmed_icu: i64,
    pub deaths_suspected: i64,
    pub discharges_suspected: i64,
    pub deaths_confirmed: i64,
    pub discharges_confirmed: i64,
}

/// The counts, by source column name, in [`PatientReport`] field order.
pub const COUNT_COLUMNS: [&str; 8] = [
    "ocupacaoSuspeitoCli",
    "ocupacaoSuspeitoUti",
    "ocupacaoConfirmadoCli",
    "ocupacaoConfirmadoUti",
    "saidaSuspeitaObitos",
    "saidaSuspeitaAltas",
    "saidaConfirmadaObitos",
    "saidaConfirmadaAltas",
];

/// The columns a report is made of, in the order [`report`] takes them.
const COLUMNS: [&str; 16] = [
    "cnes",
    "estado",
    "estadoNotificacao",
    "municipio",
    "dataNotificacao",
    "_updated_at",
    "_created_at",
    "excluido",
    COUNT_COLUMNS[0],
    COUNT_COLUMNS[1],
    COUNT_COLUMNS[2],
    COUNT_COLUMNS[3],
    COUNT_COLUMNS[4],
    COUNT_COLUMNS[5],
    COUNT_COLUMNS[6],
    COUNT_COLUMNS[7],
];

/// The first day a report may refer to.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date")
}

/// Parses one register file (already decompressed).
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<PatientReport>,
) -> anyhow::Result<()> {
    read_csv(file, input, COLUMNS, report, sink)
}

fn instant(field: &str, text: &str) -> Result<DateTime<Utc>, Bad> {
    super::instant::parse(text).ok_or_else(|| Bad::new(field, text, "not an ISO 8601 instant"))
}

/// A state's code from its name or code.
fn state_code(text: &str) -> Option<String> {
    let name = folded(text);
    Uf::all()
        .find(|known| folded(known.name()) == name)
        .map(|known| known.code().to_owned())
        .or_else(|| uf(text))
}

fn flag(field: &str, text: &str) -> Result<bool, Bad> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "0" => Ok(false),
        "true" | "1" => Ok(true),
        _ => Err(Bad::new(field, text, "not true or false")),
    }
}

/// One report from its values, in [`COLUMNS`] order, as text.
fn report(
    [
        cnes,
        state,
        notifier_state,
        city,
        notified,
        updated,
        created,
        excluded,
        counts @ ..,
    ]: [&str; 16],
) -> Result<PatientReport, Bad> {
    let code = hospital_code(cnes);
    if code.is_empty() {
        return Err(Bad::new("cnes", cnes, "blank hospital code"));
    }
    let notified_at = instant("dataNotificacao", notified)?;
    let updated_at = match updated.trim() {
        "" => instant("_created_at", created)?,
        _ => instant("_updated_at", updated)?,
    };
    let day = brasilia_day(notified_at);
    if day < first_day() {
        return Err(Bad::new(
            "dataNotificacao",
            notified,
            "dated before the pandemic",
        ));
    }
    if day
        > brasilia_day(updated_at)
            .succ_opt()
            .unwrap_or(NaiveDate::MAX)
    {
        return Err(Bad::new(
            "dataNotificacao",
            notified,
            "dated after the report was last updated",
        ));
    }
    let uf = [state, notifier_state]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map(|s| state_code(s).unwrap_or_else(|| folded(s)))
        .unwrap_or_default();
    let mut values = [0i64; 8];
    for (slot, (name, text)) in values.iter_mut().zip(COUNT_COLUMNS.iter().zip(counts)) {
        *slot = integer(text)
            .map_err(|reason| Bad::new(name, text, reason))?
            .unwrap_or(0);
    }
    let [sc, su, cc, cu, ds, hs, dc, hc] = values;
    Ok(PatientReport {
        cnes: code,
        uf,
        city: city.trim().to_owned(),
        notified_at,
        updated_at,
        excluded: flag("excluido", excluded)?,
        suspected_clinical: sc,
        suspected_icu: su,
        confirmed_clinical: cc,
        confirmed_icu: cu,
        deaths_suspected: ds,
        discharges_suspected: hs,
        deaths_confirmed: dc,
        discharges_confirmed: hc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    const HEADER: &str = ",_id,dataNotificacao,cnes,ocupacaoSuspeitoCli,ocupacaoSuspeitoUti,\
        ocupacaoConfirmadoCli,ocupacaoConfirmadoUti,ocupacaoCovidUti,ocupacaoCovidCli,\
        ocupacaoHospitalarUti,ocupacaoHospitalarCli,saidaSuspeitaObitos,saidaSuspeitaAltas,\
        saidaConfirmadaObitos,saidaConfirmadaAltas,origem,_p_usuario,estadoNotificacao,\
        municipioNotificacao,estado,municipio,excluido,validado,_created_at,_updated_at";

    fn parsed(rows: &[&str]) -> crate::ingest::bronze::formats::Parsed<PatientReport> {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        parse_all(parse, "test.csv", text.as_bytes()).unwrap()
    }

    #[test]
    fn state_names_are_read_in_any_case_with_or_without_accents() {
        assert_eq!(state_code("São Paulo"), Some("SP".into()));
        assert_eq!(state_code(" SAO  PAULO "), Some("SP".into()));
        assert_eq!(state_code("espírito santo"), Some("ES".into()));
        assert_eq!(state_code("df"), Some("DF".into()));
        assert_eq!(state_code("Atlântida"), None);
    }

    #[test]
    fn reports_are_read_by_name_with_blanks_as_zero() {
        let out = parsed(&[
            "0,a1,2021-03-02T01:00:00.000Z,9768,1.0,,3,4,,,,,5,6.0,,8,AGENDA,u,São Paulo,Santos,,Santos,False,True,2021-03-02T02:00:00.000Z,",
        ]);
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        let row = &out.rows[0];
        assert_eq!(row.cnes, "0009768");
        assert_eq!(
            row.uf, "SP",
            "the notifier's state stands in for a blank one"
        );
        assert_eq!(row.updated_at, row.notified_at + chrono::Duration::hours(1));
        assert_eq!(
            [
                row.suspected_clinical,
                row.suspected_icu,
                row.confirmed_clinical,
                row.confirmed_icu,
                row.deaths_suspected,
                row.discharges_suspected,
                row.deaths_confirmed,
                row.discharges_confirmed
            ],
            [1, 0, 3, 4, 5, 6, 0, 8]
        );
        assert!(!row.excluded);
    }

    #[test]
    fn bad_rows_are_rejected_with_a_reason() {
        let out = parsed(&[
            "0,a,2021-03-02T01:00:00Z,,1,,,,,,,,,,,,,,SP,,SP,,False,,2021-03-02T02:00:00Z,",
            "1,b,02/03/2021,123,1,,,,,,,,,,,,,,SP,,SP,,False,,2021-03-02T02:00:00Z,",
            "2,c,2021-03-02T01:00:00Z,123,1.5,,,,,,,,,,,,,,SP,,SP,,False,,2021-03-02T02:00:00Z,",
            "3,d,2021-03-02T01:00:00Z,123,1,,,,,,,,,,,,,,SP,,SP,,maybe,,2021-03-02T02:00:00Z,",
            "4,e,2031-03-02T01:00:00Z,123,1,,,,,,,,,,,,,,SP,,SP,,False,,2021-03-02T02:00:00Z,",
            "5,f,2019-03-02T01:00:00Z,123,1,,,,,,,,,,,,,,SP,,SP,,False,,2021-03-02T02:00:00Z,",
        ]);
        assert!(out.rows.is_empty());
        let reasons: Vec<(&str, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.field.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("cnes", "blank hospital code"),
                ("dataNotificacao", "not an ISO 8601 instant"),
                ("ocupacaoSuspeitoCli", "not a whole number"),
                ("excluido", "not true or false"),
                ("dataNotificacao", "dated after the report was last updated"),
                ("dataNotificacao", "dated before the pandemic"),
            ]
        );
    }
}
