//! The bronze step shared by every format: read a raw file (decompressed),
//! parse it, and write its typed rows and its rejects as Parquet beside
//! each other under `bronze/<source>/<stamp>/`; and the whole bronze →
//! silver refinement of sources whose editions replace each other.

use std::time::Instant;

use anyhow::Context;
use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;
use serde::Serialize;

use super::{
    Refined,
    decode::decompress,
    formats::Parsed,
    manifest::{Manifest, RawFile},
    metrics::StageMetrics,
    parquet::{self, column},
    reject::Reject,
};
use crate::lake::{Key, Lake, Layer};

/// A format's parser.
pub type Parser<T> = fn(&str, &[u8]) -> Result<Parsed<T>, String>;

/// The columns of every rejects file.
pub fn reject_fields() -> Vec<FieldRef> {
    vec![
        column("file", DataType::Utf8, false),
        column("line", DataType::UInt64, false),
        column("field", DataType::Utf8, false),
        column("value", DataType::Utf8, false),
        column("reason", DataType::Utf8, false),
    ]
}

/// Parses one raw file into bronze; returns its rows and the bytes written.
async fn file<T: Serialize>(
    lake: &dyn Lake,
    manifest: &Manifest,
    raw: &RawFile,
    fields: &[FieldRef],
    parse: Parser<T>,
) -> anyhow::Result<(Parsed<T>, u64)> {
    let bytes = lake.get(&raw.key.parse()?).await?;
    let text =
        decompress(&raw.name, &bytes).with_context(|| format!("decompressing {}", raw.name))?;
    let parsed = parse(&raw.key, &text).map_err(|e| anyhow::anyhow!("{}: {e}", raw.name))?;
    let folder = Manifest::folder(&manifest.source, manifest.fetched_at);
    let rows_key = Key::new(Layer::Bronze, &format!("{folder}/{}.parquet", raw.name))?;
    let rejects_key = Key::new(
        Layer::Bronze,
        &format!("{folder}/{}.rejects.parquet", raw.name),
    )?;
    let mut written = parquet::write(lake, &rows_key, fields, &parsed.rows).await?;
    written +=
        parquet::write::<Reject>(lake, &rejects_key, &reject_fields(), &parsed.rejects).await?;
    Ok((parsed, written))
}

/// Parses the newest edition in a fetch (names carry their data date) into
/// bronze, for sources whose editions replace each other.
pub async fn newest_edition<T: Serialize>(
    lake: &dyn Lake,
    manifest: &Manifest,
    fields: &[FieldRef],
    parse: Parser<T>,
) -> anyhow::Result<(Vec<T>, StageMetrics)> {
    let started = Instant::now();
    let raw = manifest
        .files
        .iter()
        .max_by(|a, b| a.name.cmp(&b.name))
        .context("the manifest lists no file")?;
    let (parsed, written) = file(lake, manifest, raw, fields, parse).await?;
    let (rows, rejected) = (parsed.rows.len() as u64, parsed.rejects.len() as u64);
    let metrics = StageMetrics::since("bronze", started, rows + rejected, rows, rejected, written);
    Ok((parsed.rows, metrics))
}

/// Parses every file of a fetch into bronze, for sources whose fetches are
/// snapshots kept side by side.
pub async fn every_file<T: Serialize>(
    lake: &dyn Lake,
    manifest: &Manifest,
    fields: &[FieldRef],
    parse: Parser<T>,
) -> anyhow::Result<StageMetrics> {
    let started = Instant::now();
    let (mut rows, mut rejected, mut written) = (0, 0, 0);
    for raw in &manifest.files {
        let (parsed, bytes) = file(lake, manifest, raw, fields, parse).await?;
        rows += parsed.rows.len() as u64;
        rejected += parsed.rejects.len() as u64;
        written += bytes;
    }
    Ok(StageMetrics::since(
        "bronze",
        started,
        rows + rejected,
        rows,
        rejected,
        written,
    ))
}

/// How a source whose editions replace each other is refined.
pub struct Edition<T> {
    pub fields: fn() -> Vec<FieldRef>,
    pub parse: Parser<T>,
    /// Deduplicates and sorts the rows for silver.
    pub conform: fn(Vec<T>) -> Vec<T>,
    /// The silver object, replaced by each new edition.
    pub silver: &'static str,
    /// The date a row refers to, for the source's newest date.
    pub date: fn(&T) -> Option<NaiveDate>,
}

impl<T: Serialize> Edition<T> {
    /// Parses the newest edition into bronze, conforms it and replaces silver.
    pub async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        let fields = (self.fields)();
        let (rows, bronze) = newest_edition(lake, manifest, &fields, self.parse).await?;
        let started = Instant::now();
        let silver_rows = (self.conform)(rows);
        let newest_date = silver_rows.iter().filter_map(self.date).max();
        let bytes = parquet::write(
            lake,
            &Key::new(Layer::Silver, self.silver)?,
            &fields,
            &silver_rows,
        )
        .await?;
        let silver = StageMetrics::since(
            "silver",
            started,
            bronze.rows_out,
            silver_rows.len() as u64,
            0,
            bytes,
        );
        Ok(Refined {
            stages: vec![bronze, silver],
            newest_date,
        })
    }

    /// Whether silver holds this source's table yet.
    pub async fn has_silver(&self, lake: &dyn Lake) -> anyhow::Result<bool> {
        Ok(lake.exists(&Key::new(Layer::Silver, self.silver)?).await?)
    }
}
