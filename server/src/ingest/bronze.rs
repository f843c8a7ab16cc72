//! The bronze step shared by every format: stream a raw file (decompressed
//! as it is read) through its parser, writing its typed rows and its
//! rejects as Parquet beside each other under `bronze/<source>/<stamp>/`;
//! and the whole bronze → silver refinement of sources whose editions
//! replace each other.

use std::{
    sync::mpsc::{SyncSender, sync_channel},
    time::Instant,
};

use anyhow::{Context, anyhow};
use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};

pub use super::formats::Parser;
use app::catalog::runs::StageMetrics;

use super::{
    Refined,
    contract::Profile,
    decode,
    formats::Sink,
    manifest::{Manifest, RawFile},
    parquet::{self, BATCH_ROWS, Staged, Writer, column},
    reject::Reject,
    sort::{Order, Sorter, Stream},
};
use crate::lake::{Key, Lake, Layer};

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
    out: SyncSender<Vec<T>>,
    rejects: Vec<Reject>,
}

impl<T> Batcher<T> {
    fn send(&mut self) -> anyhow::Result<()> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        self.out
            .send(batch)
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
struct Written {
    rows: u64,
    rejected: u64,
    bytes: u64,
}

impl std::ops::AddAssign for Written {
    fn add_assign(&mut self, other: Self) {
        self.rows += other.rows;
        self.rejected += other.rejected;
        self.bytes += other.bytes;
    }
}

/// Parses one raw file into bronze, passing its rows on to `then`.
async fn file<T: Serialize + Send>(
    lake: &dyn Lake,
    manifest: &Manifest,
    raw: &RawFile,
    fields: &[FieldRef],
    parse: Parser<T>,
    then: Downstream<'_, T>,
) -> anyhow::Result<Written> {
    let bytes = lake.get(&raw.key.parse()?).await?;
    // Two threads: one decompresses and parses, this one writes bronze
    // and feeds the next step.
    let (rows, rejects) = std::thread::scope(|scope| -> anyhow::Result<_> {
        let (out, batches) = sync_channel(2);
        let parsing = scope.spawn(|| -> anyhow::Result<Vec<Reject>> {
            let mut input = decode::reader(&raw.name, &bytes)
                .with_context(|| format!("decompressing {}", raw.name))?;
            let mut batcher = Batcher {
                batch: Vec::with_capacity(BATCH_ROWS),
                out,
                rejects: Vec::new(),
            };
            parse(&raw.key, &mut input, &mut batcher).with_context(|| raw.name.clone())?;
            batcher.send()?;
            Ok(batcher.rejects)
        });
        let mut rows = Writer::new(fields)?;
        let mut written = Ok(());
        for batch in batches {
            written = rows.write(&batch).and_then(|()| then(batch));
            if written.is_err() {
                // Dropping the receiver stops the parser at its next batch.
                break;
            }
        }
        let parsed = parsing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written?;
        Ok((rows, parsed?))
    })?;
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
pub async fn every_file<T: Serialize + Send>(
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
    Ok(StageMetrics::since(
        "bronze",
        started,
        written.rows + written.rejected,
        written.rows,
        written.rejected,
        written.bytes,
    ))
}

/// How an edition's rows become silver.
pub enum Conform<T> {
    /// The whole edition at once, in memory (small sources): deduplicates,
    /// sorts, or reshapes.
    Whole(fn(Vec<T>) -> Vec<T>),
    /// Sorted by `order` out of memory, and each run of rows equal by
    /// `order` folded into its first row by `fold` (large sources).
    Sorted {
        order: Order<T>,
        fold: fn(&mut T, T),
    },
}

/// One row per key, sorted by key; a repeated key keeps its last row (a
/// `Conform::Whole` step of reference lists).
pub fn last_by_key<T>(mut rows: Vec<T>, key: fn(&T) -> &str) -> Vec<T> {
    rows.reverse();
    rows.sort_by(|a, b| key(a).cmp(key(b)));
    rows.dedup_by(|a, b| key(a) == key(b));
    rows
}

/// Which files of a fetch make an edition.
pub enum Files {
    /// The newest (names carry their data date).
    Newest,
    /// All of them together (e.g. one per state).
    Every,
}

/// How a source whose editions replace each other is refined.
pub struct Edition<T> {
    pub fields: fn() -> Vec<FieldRef>,
    pub parse: Parser<T>,
    pub files: Files,
    pub conform: Conform<T>,
    /// The silver object, replaced by each new edition.
    pub silver: &'static str,
    /// The date a row refers to, for the source's newest date.
    pub date: fn(&T) -> Option<NaiveDate>,
    /// The place a row is about (blank: none), for the source's contract.
    pub place: fn(&T) -> &str,
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Edition<T> {
    /// The files of a fetch that make its edition.
    fn edition_files<'m>(&self, manifest: &'m Manifest) -> anyhow::Result<Vec<&'m RawFile>> {
        let newest = manifest
            .files
            .iter()
            .max_by(|a, b| a.name.cmp(&b.name))
            .context("the manifest lists no file")?;
        Ok(match self.files {
            Files::Newest => vec![newest],
            Files::Every => manifest.files.iter().collect(),
        })
    }

    /// Parses the edition in a fetch into bronze and conforms it into the
    /// silver that is to replace the last.
    pub async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        self.refine_with(lake, manifest, &mut |_| {}).await
    }

    /// [`Edition::refine`], completing each silver row with `complete` as
    /// it is written (e.g. a column looked up in a reference), after the
    /// conform step: it must not change what the rows are ordered by.
    pub async fn refine_with(
        &self,
        lake: &dyn Lake,
        manifest: &Manifest,
        complete: &mut (dyn FnMut(&mut T) + Send),
    ) -> anyhow::Result<Refined> {
        let fields = (self.fields)();
        let started = Instant::now();
        let mut written = Written::default();
        let conformed: Stream<T> = match self.conform {
            Conform::Whole(conform) => {
                let mut rows = Vec::new();
                for raw in self.edition_files(manifest)? {
                    let mut keep = |batch: Vec<T>| {
                        rows.extend(batch);
                        Ok(())
                    };
                    written += file(lake, manifest, raw, &fields, self.parse, &mut keep).await?;
                }
                Box::new(conform(rows).into_iter().map(Ok))
            }
            Conform::Sorted { order, fold } => {
                let mut sorter = Sorter::new(&fields, order, fold);
                for raw in self.edition_files(manifest)? {
                    let mut sort = |batch| sorter.extend(batch);
                    written += file(lake, manifest, raw, &fields, self.parse, &mut sort).await?;
                }
                Box::new(sorter.finish()?)
            }
        };
        let bronze = StageMetrics::since(
            "bronze",
            started,
            written.rows + written.rejected,
            written.rows,
            written.rejected,
            written.bytes,
        );

        let started = Instant::now();
        let mut silver = Writer::new(&fields)?;
        let mut profile = Profile::default();
        for row in conformed {
            let mut row = row?;
            complete(&mut row);
            profile.observe((self.date)(&row), (self.place)(&row));
            silver.push(row)?;
        }
        let rows = silver.rows();
        let staged = silver.stage(Key::new(Layer::Silver, self.silver)?)?;
        profile.filled = staged.filled.clone();
        let silver = StageMetrics::since("silver", started, written.rows, rows, 0, staged.bytes);
        Ok(Refined {
            stages: vec![bronze, silver],
            silver: vec![staged],
            profile,
        })
    }

    /// Rows conformed elsewhere (another format's edition of the same
    /// table) as the silver that is to replace this one's.
    pub fn stage_silver(&self, rows: &[T]) -> anyhow::Result<Staged> {
        parquet::stage(
            Key::new(Layer::Silver, self.silver)?,
            &(self.fields)(),
            rows,
        )
    }

    /// Whether silver holds this source's table yet.
    pub async fn has_silver(&self, lake: &dyn Lake) -> anyhow::Result<bool> {
        Ok(lake.exists(&Key::new(Layer::Silver, self.silver)?).await?)
    }
}
