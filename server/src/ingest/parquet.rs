//! Typed rows as Parquet objects in the lake (ZSTD-compressed), through
//! `serde_arrow`, so each table is one Rust struct plus its Arrow schema.
//! Tables of any size stream both ways: a [`Writer`] encodes batch by batch
//! into a local temporary file that is then uploaded (at once, or later as
//! a [`Staged`] object), and [`batches`] downloads an object to a temporary
//! file and decodes it batch by batch.

use std::{
    collections::BTreeSet,
    fs::File,
    io::{Seek, SeekFrom},
    marker::PhantomData,
    sync::{
        Arc,
        mpsc::{SyncSender, sync_channel},
    },
    thread::JoinHandle,
};

use anyhow::Context;
use arrow_array::{Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, FieldRef, Schema};
use parquet::{
    arrow::{
        ArrowWriter, ProjectionMask,
        arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder},
    },
    basic::{Compression, ZstdLevel},
    file::properties::WriterProperties,
};
use serde::{Serialize, de::DeserializeOwned};
use tokio::io::AsyncWriteExt;

use crate::lake::{Key, Lake};

/// Rows per batch when reading, and per row group when writing.
pub const BATCH_ROWS: usize = 65_536;

/// A column: name, Arrow type, nullability.
pub fn column(name: &str, data_type: DataType, nullable: bool) -> FieldRef {
    Arc::new(Field::new(name, data_type, nullable))
}

/// A Parquet file being written to local disk, batch by batch: memory
/// holds the batch being encoded, not the table.
pub struct Writer {
    fields: Vec<FieldRef>,
    writer: ArrowWriter<File>,
    rows: u64,
    /// Per column, whether a value neither null nor blank was written.
    filled: Vec<bool>,
}

impl Writer {
    /// Starts a file of `fields` in a new temporary file.
    pub fn new(fields: &[FieldRef]) -> anyhow::Result<Self> {
        let file = tempfile::tempfile().context("creating a temporary Parquet file")?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(
                ZstdLevel::try_new(1).expect("level 1 is valid"),
            ))
            .set_max_row_group_row_count(Some(BATCH_ROWS))
            .build();
        let schema = Arc::new(Schema::new(fields.to_vec()));
        let writer = ArrowWriter::try_new(file, schema, Some(properties))
            .context("starting a Parquet file")?;
        Ok(Writer {
            fields: fields.to_vec(),
            writer,
            rows: 0,
            filled: vec![false; fields.len()],
        })
    }

    /// Writes rows as one or more batches: any rows that serialise to the
    /// file's columns (owned, or borrowing what they show).
    /// Returns the batches written, for a caller that passes them on (they
    /// share their buffers: nothing is copied).
    pub fn write<R: Serialize>(&mut self, rows: &[R]) -> anyhow::Result<Vec<RecordBatch>> {
        let mut written = Vec::new();
        for chunk in rows.chunks(BATCH_ROWS) {
            let batch = serde_arrow::to_record_batch(&self.fields, &chunk)
                .context("converting rows to Arrow")?;
            for (filled, column) in self.filled.iter_mut().zip(batch.columns()) {
                *filled = *filled || has_value(column.as_ref());
            }
            self.writer.write(&batch).context("writing Parquet")?;
            self.rows += chunk.len() as u64;
            written.push(batch);
        }
        Ok(written)
    }

    /// The rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Finishes the file and returns it, rewound.
    fn finish_local(self) -> anyhow::Result<File> {
        let mut file = self
            .writer
            .into_inner()
            .context("finishing a Parquet file")?;
        file.seek(SeekFrom::Start(0))
            .context("rewinding a Parquet file")?;
        Ok(file)
    }

    /// Finishes the file as the future content of `key`, not yet uploaded.
    pub fn stage(self, key: Key) -> anyhow::Result<Staged> {
        let filled = self
            .fields
            .iter()
            .zip(&self.filled)
            .filter(|(_, filled)| **filled)
            .map(|(field, _)| field.name().clone())
            .collect();
        let file = self.finish_local()?;
        let bytes = file.metadata().context("sizing a Parquet file")?.len();
        Ok(Staged {
            key,
            file,
            bytes,
            filled,
        })
    }

    /// Finishes the file and uploads it to `key`; returns the bytes written.
    pub async fn finish(self, lake: &dyn Lake, key: &Key) -> anyhow::Result<u64> {
        self.stage(key.clone())?.upload(lake).await
    }
}

/// A [`Writer`] on a thread of its own: rows are gathered here and each
/// full batch is encoded there (Arrow, Parquet, ZSTD) while the caller
/// goes on making the next, e.g. merging a sort's runs.
pub struct WriterBehind<T> {
    pending: Vec<T>,
    batches: Option<SyncSender<Vec<T>>>,
    writing: Option<JoinHandle<anyhow::Result<Writer>>>,
    rows: u64,
}

impl<T: Serialize + Send + 'static> WriterBehind<T> {
    /// Starts a file of `fields`, and the thread that writes it (one batch
    /// waits for it at most).
    pub fn new(fields: &[FieldRef]) -> anyhow::Result<Self> {
        let mut writer = Writer::new(fields)?;
        let (batches, received) = sync_channel::<Vec<T>>(1);
        let writing = std::thread::Builder::new()
            .name("parquet writer".into())
            .spawn(move || {
                for batch in received {
                    writer.write(&batch)?;
                }
                Ok(writer)
            })
            .context("starting a Parquet writer's thread")?;
        Ok(WriterBehind {
            pending: Vec::with_capacity(BATCH_ROWS),
            batches: Some(batches),
            writing: Some(writing),
            rows: 0,
        })
    }

    /// Adds a row; a full batch goes to the writing thread.
    pub fn push(&mut self, row: T) -> anyhow::Result<()> {
        self.pending.push(row);
        self.rows += 1;
        if self.pending.len() < BATCH_ROWS {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH_ROWS));
        self.send(batch)
    }

    /// The rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Hands a batch to the writing thread; if it has stopped, its error.
    fn send(&mut self, batch: Vec<T>) -> anyhow::Result<()> {
        let sent = self.batches.as_ref().map(|batches| batches.send(batch));
        if let Some(Ok(())) = sent {
            return Ok(());
        }
        self.batches = None;
        match self.join() {
            Err(error) => Err(error),
            Ok(_) => anyhow::bail!("the Parquet writer's thread stopped early"),
        }
    }

    /// Waits for the writing thread (its input closed) to end.
    fn join(&mut self) -> anyhow::Result<Writer> {
        self.writing
            .take()
            .context("the Parquet writer's thread was already joined")?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// Finishes the file as the future content of `key`, not yet uploaded.
    pub fn stage(mut self, key: Key) -> anyhow::Result<Staged> {
        let last = std::mem::take(&mut self.pending);
        self.send(last)?;
        self.batches = None;
        self.join()?.stage(key)
    }
}

/// Whether a column holds a value that is neither null nor blank.
fn has_value(column: &dyn Array) -> bool {
    match column.as_any().downcast_ref::<StringArray>() {
        Some(text) => text.iter().flatten().any(|v| !v.trim().is_empty()),
        None => column.null_count() < column.len(),
    }
}

/// A finished Parquet file on local disk, bound for a lake object: silver
/// is uploaded only once its edition is known to keep its contract.
#[derive(Debug)]
pub struct Staged {
    pub key: Key,
    file: File,
    pub bytes: u64,
    /// The columns with a value that is neither null nor blank.
    pub filled: BTreeSet<String>,
}

impl Staged {
    /// Uploads the file to its key; returns the bytes written.
    pub async fn upload(self, lake: &dyn Lake) -> anyhow::Result<u64> {
        let mut file = self.file;
        file.seek(SeekFrom::Start(0))
            .context("rewinding a Parquet file")?;
        let mut file = tokio::fs::File::from_std(file);
        Ok(lake.put_stream(&self.key, &mut file).await?)
    }

    /// Reads the rows back before the upload.
    pub fn read<T: DeserializeOwned>(&self) -> anyhow::Result<Vec<T>> {
        let mut rows = Vec::new();
        for batch in self.batches()? {
            rows.extend(batch?);
        }
        Ok(rows)
    }

    /// Reads the rows back a batch at a time, before or after the upload.
    pub fn batches<T>(&self) -> anyhow::Result<Batches<T>> {
        let mut file = self.file.try_clone().context("reopening a Parquet file")?;
        file.seek(SeekFrom::Start(0))
            .context("rewinding a Parquet file")?;
        Ok(Batches {
            reader: record_batches(file)?,
            row_type: PhantomData,
        })
    }
}

/// A local Parquet file's Arrow batches.
fn record_batches(file: File) -> anyhow::Result<ParquetRecordBatchReader> {
    ParquetRecordBatchReaderBuilder::try_new(file)
        .context("opening Parquet")?
        .with_batch_size(BATCH_ROWS)
        .build()
        .context("reading Parquet")
}

/// Rows of a local Parquet file, a batch at a time.
pub struct Batches<T> {
    reader: ParquetRecordBatchReader,
    row_type: PhantomData<fn() -> T>,
}

impl<T> Batches<T> {
    /// Reads a local Parquet file.
    fn of_file(file: File) -> anyhow::Result<Self> {
        Ok(Batches {
            reader: record_batches(file)?,
            row_type: PhantomData,
        })
    }
}

impl<T: DeserializeOwned> Iterator for Batches<T> {
    type Item = anyhow::Result<Vec<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let batch = self.reader.next()?;
        Some(batch.context("reading a Parquet batch").and_then(|batch| {
            serde_arrow::from_record_batch(&batch).context("converting Arrow to rows")
        }))
    }
}

impl<T: DeserializeOwned> Batches<T> {
    /// The rows one by one.
    pub fn rows(self) -> Rows<T> {
        Rows {
            batches: self,
            current: Vec::new().into_iter(),
        }
    }
}

impl<T: DeserializeOwned + Send> Batches<T> {
    /// Hands each batch to `then`, decoding the next one meanwhile on a
    /// thread of its own.
    pub fn read_ahead(
        self,
        mut then: impl FnMut(Vec<T>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        std::thread::scope(|scope| {
            let (out, decoded) = sync_channel(2);
            let reading = scope.spawn(move || {
                for batch in self {
                    if out.send(batch).is_err() {
                        break;
                    }
                }
            });
            let mut outcome = Ok(());
            for batch in decoded {
                outcome = batch.and_then(&mut then);
                if outcome.is_err() {
                    // Dropping the receiver stops the reader at its next batch.
                    break;
                }
            }
            reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            outcome
        })
    }
}

/// Rows of a Parquet file one by one, decoded a batch at a time.
pub struct Rows<T> {
    batches: Batches<T>,
    current: std::vec::IntoIter<T>,
}

impl<T: DeserializeOwned> Iterator for Rows<T> {
    type Item = anyhow::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.current.next() {
                return Some(Ok(row));
            }
            match self.batches.next()? {
                Ok(batch) => self.current = batch.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// A lake object copied to a local temporary file (Parquet is read by
/// seeking).
async fn local_copy(lake: &dyn Lake, key: &Key) -> anyhow::Result<File> {
    let mut object = lake.open(key).await?;
    let file = tempfile::tempfile().context("creating a temporary Parquet file")?;
    let mut local = tokio::fs::File::from_std(file);
    tokio::io::copy(&mut object, &mut local)
        .await
        .with_context(|| format!("downloading {key}"))?;
    local.flush().await.context("writing a temporary file")?;
    Ok(local.into_std().await)
}

/// Opens a lake object's rows for reading batch by batch.
pub async fn batches<T>(lake: &dyn Lake, key: &Key) -> anyhow::Result<Batches<T>> {
    Batches::of_file(local_copy(lake, key).await?).with_context(|| format!("reading {key}"))
}

/// Opens some columns of a lake object as Arrow batches, for aggregates
/// that need neither whole rows nor the other columns.
pub async fn columns(
    lake: &dyn Lake,
    key: &Key,
    names: &[&str],
) -> anyhow::Result<ParquetRecordBatchReader> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(local_copy(lake, key).await?)
        .with_context(|| format!("opening {key}"))?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), names.iter().copied());
    builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .with_context(|| format!("reading {key}"))
}

/// A column of a batch read by [`columns`], by name, as its Arrow type.
pub fn column_of<'b, A: arrow_array::Array + 'static>(
    batch: &'b arrow_array::RecordBatch,
    name: &str,
) -> anyhow::Result<&'b A> {
    batch
        .column_by_name(name)
        .and_then(|array| array.as_any().downcast_ref::<A>())
        .with_context(|| format!("no column {name} of the expected type"))
}

/// Writes rows to a lake object; returns the bytes written.
pub async fn write<T: Serialize>(
    lake: &dyn Lake,
    key: &Key,
    fields: &[FieldRef],
    rows: &[T],
) -> anyhow::Result<u64> {
    stage(key.clone(), fields, rows)?.upload(lake).await
}

/// Rows as the future content of `key`, not yet uploaded.
pub fn stage<T: Serialize>(key: Key, fields: &[FieldRef], rows: &[T]) -> anyhow::Result<Staged> {
    let mut writer = Writer::new(fields)?;
    writer.write(rows)?;
    writer.stage(key)
}

/// Reads all rows of a lake object.
pub async fn read<T: DeserializeOwned>(lake: &dyn Lake, key: &Key) -> anyhow::Result<Vec<T>> {
    let mut rows = Vec::new();
    for batch in batches(lake, key).await? {
        rows.extend(batch?);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        name: String,
        note: String,
        count: Option<i64>,
    }

    /// The columns of [`Row`].
    fn row_fields() -> [FieldRef; 3] {
        [
            column("name", DataType::Utf8, false),
            column("note", DataType::Utf8, false),
            column("count", DataType::Int64, true),
        ]
    }

    #[test]
    fn a_staged_file_reads_back_and_knows_its_filled_columns() {
        let fields = row_fields();
        let rows: Vec<Row> = ["SP", "RJ"]
            .map(|name| Row {
                name: name.into(),
                note: " ".into(),
                count: None,
            })
            .into();
        let mut writer = WriterBehind::new(&fields).unwrap();
        for row in rows.iter().cloned() {
            writer.push(row).unwrap();
        }
        let staged = writer
            .stage("silver/t/data.parquet".parse().unwrap())
            .unwrap();
        assert_eq!(staged.filled, BTreeSet::from(["name".to_owned()]));
        assert!(staged.bytes > 0);
        assert_eq!(staged.read::<Row>().unwrap(), rows);
        assert_eq!(staged.read::<Row>().unwrap(), rows, "read twice");
    }

    #[test]
    fn rows_written_behind_cross_batches_in_order_and_an_error_reaches_the_caller() {
        let fields = row_fields();
        let rows: Vec<Row> = (0..2 * BATCH_ROWS as i64 + 3)
            .map(|n| Row {
                name: format!("h{n}"),
                note: String::new(),
                count: Some(n),
            })
            .collect();
        let mut writer = WriterBehind::new(&fields).unwrap();
        for row in rows.iter().cloned() {
            writer.push(row).unwrap();
        }
        assert_eq!(writer.rows(), rows.len() as u64);
        let staged = writer
            .stage("silver/t/data.parquet".parse().unwrap())
            .unwrap();
        assert_eq!(staged.read::<Row>().unwrap(), rows);

        // Rows that lack a column fail on the writing thread: the caller
        // gets that error at its next batch or when it stages.
        let mut writer = WriterBehind::new(&fields).unwrap();
        let mut failed = None;
        for n in 0..3 * BATCH_ROWS {
            if let Err(error) = writer.push((n as i64,)) {
                failed = Some(error);
                break;
            }
        }
        let error = match failed {
            Some(error) => error,
            None => writer
                .stage("silver/t/data.parquet".parse().unwrap())
                .unwrap_err(),
        };
        assert!(
            format!("{error:#}").contains("converting rows to Arrow"),
            "{error:#}"
        );
    }
}
