//! Sources whose editions replace each other: a fetch's edition parsed
//! into bronze and conformed into the silver that is to replace the last,
//! in memory for small sources or sorted out of memory for large ones.

use std::time::Instant;

use anyhow::Context;
use app::catalog::runs::StageMetrics;
use arrow_schema::FieldRef;
use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};

use crate::ingest::silver::sort::{Sorter, Sorting, Stream};
use crate::{
    ingest::{
        Refined,
        bronze::{self, Written, formats::Parser},
        connect::manifest::{Manifest, RawFile},
        contract::Profile,
        parquet::{self, Staged, WriterBehind},
    },
    lake::{Key, Lake, Layer},
};

/// How an edition's rows become silver.
pub enum Conform<T> {
    /// The whole edition at once, in memory (small sources): deduplicates,
    /// sorts, or reshapes.
    Whole(fn(Vec<T>) -> Vec<T>),
    /// Sorted out of memory, and each run of rows equal by the order
    /// folded into its first row (large sources).
    Sorted(Sorting<T>),
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
                    written +=
                        bronze::file(lake, manifest, raw, &fields, self.parse, &mut keep).await?;
                }
                Box::new(conform(rows).into_iter().map(Ok))
            }
            Conform::Sorted(sorting) => {
                let mut sorter = Sorter::new(sorting);
                for raw in self.edition_files(manifest)? {
                    let mut sort = |batch| sorter.extend(batch);
                    written +=
                        bronze::file(lake, manifest, raw, &fields, self.parse, &mut sort).await?;
                }
                Box::new(sorter.finish()?)
            }
        };
        let bronze = written.metrics(started);

        let started = Instant::now();
        let mut silver = WriterBehind::new(&fields)?;
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
