//! Pages of the Ministry's `leito_ocupacao` search API (Elasticsearch
//! `_search` / scroll responses): the same reports as the snapshots, as
//! JSON hits. The snapshot time is the response's `ts_run` when the
//! collector added one, else the time Sentinela fetched the page (from its
//! raw key, `raw/<source>/<stamp>/<page>`).

use std::io::Read;

use anyhow::Context;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    Sink,
    occupancy_snapshot::{COLUMNS, Notification, notification},
};

#[derive(Deserialize)]
struct Page {
    hits: Hits,
    ts_run: Option<String>,
}

#[derive(Deserialize)]
struct Hits {
    hits: Vec<Hit>,
}

#[derive(Deserialize)]
struct Hit {
    #[serde(rename = "_source")]
    source: Map<String, Value>,
}

/// The fetch time encoded in a raw key's folder.
fn fetched_at(key: &str) -> Option<DateTime<Utc>> {
    let stamp = key.rsplit('/').nth(1)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S%.6fZ")
        .ok()
        .map(|t| t.and_utc())
}

fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// Parses one page; `file` is its raw key.
pub fn parse(
    file: &str,
    input: &mut dyn Read,
    sink: &mut dyn Sink<Notification>,
) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).context("reading the page")?;
    let page: Page = serde_json::from_slice(&bytes).context("not a search response")?;
    let snapshot = page
        .ts_run
        .or_else(|| fetched_at(file).map(|t| t.to_rfc3339()))
        .context("no ts_run in the response and no fetch time in the key")?;
    for (index, hit) in page.hits.hits.iter().enumerate() {
        let values = COLUMNS.map(|column| match column {
            "ts_run" => snapshot.clone(),
            name => text(hit.source.get(name)),
        });
        match notification(values.each_ref().map(String::as_str)) {
            Ok(row) => sink.row(row)?,
            Err(bad) => sink.reject(bad.at(file, index as u64 + 1)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::bronze::formats::parse_all;

    // Hand-made page following the API's documented response shape.
    const PAGE: &str = r#"{"took": 3, "hits": {"total": {"value": 2}, "hits": [
        {"_id": "1", "_source": {"cnes": "9768", "estadoSigla": "pe", "municipio": "Sertânia",
         "dataNotificacaoOcupacao": "2020-11-27T03:00:19.869Z", "ofertaHospCli": 54, "ofertaHospUti": 0,
         "ofertaSRAGCli": 18.0, "ofertaSRAGUti": null, "ocupHospCli": 6, "ocupHospUti": 0,
         "ocupSRAGCli": 4, "ocupSRAGUti": 0}},
        {"_id": "2", "_source": {"cnes": "1", "dataNotificacaoOcupacao": "yesterday"}}]}}"#;

    #[test]
    fn reads_hits_and_takes_the_snapshot_time_from_the_key() {
        let parsed = parse_all(
            parse,
            "raw/occupancy-api/20210303T160116.597122Z/page-0001.json",
            PAGE.as_bytes(),
        )
        .unwrap();
        assert_eq!(parsed.rows.len(), 1);
        let row = &parsed.rows[0];
        assert_eq!(
            (
                row.cnes.as_str(),
                row.uf.as_str(),
                row.offered_srag_cli,
                row.offered_srag_uti
            ),
            ("0009768", "PE", 18, 0)
        );
        assert_eq!(
            row.snapshot_at.to_rfc3339(),
            "2021-03-03T16:01:16.597122+00:00"
        );
        assert_eq!(parsed.rejects.len(), 1);
        assert_eq!(
            (parsed.rejects[0].line, parsed.rejects[0].field.as_str()),
            (2, "dataNotificacaoOcupacao")
        );
    }
}
