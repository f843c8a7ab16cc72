//! Bronze: each raw file streamed (decompressed as it is read, [`decode`])
//! through its format's parser ([`formats`]), its typed rows and its
//! rejects ([`reject`]) written as Parquet beside each other under
//! `bronze/<source>/<stamp>/`, the rows passed on to the silver step.

mod chunks;
pub mod decode;
pub mod formats;
pub mod reject;

use std::time::Instant;

use anyhow::{Context, anyhow};
use app::catalog::runs::StageMetrics;
use arrow_schema::{DataType, FieldRef};
use serde::Serialize;

use self::{
    formats::{Parser, Sink},
    reject::Reject,
};
use crate::{
    ingest::{
        connect::manifest::{Manifest, RawFile},
        on_a_thread,
        parquet::{self, BATCH_ROWS, Writer, column},
    },
    lake::{Key, Lake, Layer},
};

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

/// Takes each batch of rows once it is written to bronze.
pub type Downstream<'a, T> = &'a mut (dyn FnMut(Vec<T>) -> anyhow::Result<()> + Send);

/// A parser's sink on the parsing thread: gathers rows into batches for
/// the writing thread, and keeps the rejects.
struct Batcher<T> {
    batch: Vec<T>,
    out: tokio::sync::mpsc::Sender<Vec<T>>,
    rejects: Vec<Reject>,
}

impl<T> Batcher<T> {
    fn send(&mut self) -> anyhow::Result<()> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        self.out
            .blocking_send(batch)
            .map_err(|_| anyhow!("the bronze writer stopped"))
    }
}

impl<T> Sink<T> for Batcher<T> {
    fn row(&mut self, row: T) -> anyhow::Result<()> {
        self.batch.push(row);
        match self.batch.len() < BATCH_ROWS {
            true => Ok(()),
            false => self.send(),
        }
    }

    fn reject(&mut self, reject: Reject) {
        self.rejects.push(reject);
    }
}

/// What raw files gave bronze.
#[derive(Default)]
pub struct Written {
    pub rows: u64,
    pub rejected: u64,
    pub bytes: u64,
}

impl Written {
    /// The figures of the bronze stage that started at `started`.
    pub fn metrics(&self, started: Instant) -> StageMetrics {
        StageMetrics::since(
            "bronze",
            started,
            self.rows + self.rejected,
            self.rows,
            self.rejected,
            self.bytes,
        )
    }
}

impl std::ops::AddAssign for Written {
    fn add_assign(&mut self, other: Self) {
        self.rows += other.rows;
        self.rejected += other.rejected;
        self.bytes += other.bytes;
    }
}

/// Parses one raw file into bronze, passing its rows on to `then`. The
/// object streams in while a thread decompresses and parses it; this task
/// writes bronze and feeds the next step.
pub async fn file<T: Serialize + Send + 'static>(
    lake: &dyn Lake,
    manifest: &Manifest,
    raw: &RawFile,
    fields: &[FieldRef],
    parse: Parser<T>,
    then: Downstream<'_, T>,
) -> anyhow::Result<Written> {
    let object = lake.open(&raw.key.parse()?).await?;
    let (download, input) = chunks::channel();
    let (out, mut batches) = tokio::sync::mpsc::channel(2);
    let (name, key) = (raw.name.clone(), raw.key.clone());
    let parsing = on_a_thread("parser", move || -> anyhow::Result<Vec<Reject>> {
        let mut input =
            decode::reader(&name, input).with_context(|| format!("decompressing {name}"))?;
        let mut batcher = Batcher {
            batch: Vec::with_capacity(BATCH_ROWS),
            out,
            rejects: Vec::new(),
        };
        parse(&key, &mut input, &mut batcher).with_context(|| name.clone())?;
        batcher.send()?;
        Ok(batcher.rejects)
    })
    .context("starting the parser's thread")?;
    let mut rows = Writer::new(fields)?;
    let write = async {
        while let Some(batch) = batches.recv().await {
            rows.write(&batch)?;
            then(batch)?;
        }
        anyhow::Ok(())
    };
    // A failed write drops the batches' receiver, which stops the parser at
    // its next batch; the parser gone, the download stops too.
    let ((), written) = tokio::join!(download.pump(object), write);
    let parsed = parsing.await;
    written?;
    let rejects = parsed?;
    let folder = manifest.own_folder();
    let rows_key = Key::new(Layer::Bronze, &format!("{folder}/{}.parquet", raw.name))?;
    let rejects_key = Key::new(
        Layer::Bronze,
        &format!("{folder}/{}.rejects.parquet", raw.name),
    )?;
    let written = Written {
        rows: rows.rows(),
        rejected: rejects.len() as u64,
        bytes: rows.finish(lake, &rows_key).await?
            + parquet::write(lake, &rejects_key, &reject_fields(), &rejects).await?,
    };
    crate::crash::point("bronze", &raw.name);
    Ok(written)
}

/// Parses every file of a fetch into bronze, for sources whose fetches are
/// snapshots kept side by side.
pub async fn every_file<T: Serialize + Send + 'static>(
    lake: &dyn Lake,
    manifest: &Manifest,
    fields: &[FieldRef],
    parse: Parser<T>,
) -> anyhow::Result<StageMetrics> {
    let started = Instant::now();
    let mut written = Written::default();
    for raw in &manifest.files {
        written += file(lake, manifest, raw, fields, parse, &mut |_| Ok(())).await?;
    }
    Ok(written.metrics(started))
}
