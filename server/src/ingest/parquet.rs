//! Typed rows as Parquet objects in the lake (ZSTD-compressed), through
//! `serde_arrow`, so each table is one Rust struct plus its Arrow schema.

use std::sync::Arc;

use anyhow::Context;
use arrow_schema::{DataType, Field, FieldRef};
use bytes::Bytes;
use parquet::{
    arrow::{ArrowWriter, arrow_reader::ParquetRecordBatchReaderBuilder},
    basic::{Compression, ZstdLevel},
    file::properties::WriterProperties,
};
use serde::{Serialize, de::DeserializeOwned};

use crate::lake::{Key, Lake};

/// A column: name, Arrow type, nullability.
pub fn column(name: &str, data_type: DataType, nullable: bool) -> FieldRef {
    Arc::new(Field::new(name, data_type, nullable))
}

/// Encodes rows as one Parquet file.
pub fn encode<T: Serialize>(fields: &[FieldRef], rows: &[T]) -> anyhow::Result<Bytes> {
    let batch = serde_arrow::to_record_batch(fields, &rows).context("converting rows to Arrow")?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(1).expect("level 1 is valid"),
        ))
        .build();
    let mut buffer = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut buffer, batch.schema(), Some(properties))
        .context("starting a Parquet file")?;
    writer.write(&batch).context("writing Parquet")?;
    writer.close().context("finishing a Parquet file")?;
    Ok(buffer.into())
}

/// Decodes every row of a Parquet file.
pub fn decode<T: DeserializeOwned>(bytes: Bytes) -> anyhow::Result<Vec<T>> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes)
        .context("opening Parquet")?
        .build()
        .context("reading Parquet")?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.context("reading a Parquet batch")?;
        rows.extend(
            serde_arrow::from_record_batch::<Vec<T>>(&batch).context("converting Arrow to rows")?,
        );
    }
    Ok(rows)
}

/// Writes rows to a lake object; returns the bytes written.
pub async fn write<T: Serialize>(
    lake: &dyn Lake,
    key: &Key,
    fields: &[FieldRef],
    rows: &[T],
) -> anyhow::Result<u64> {
    let bytes = encode(fields, rows)?;
    let size = bytes.len() as u64;
    lake.put(key, bytes).await?;
    Ok(size)
}

/// Reads all rows of a lake object.
pub async fn read<T: DeserializeOwned>(lake: &dyn Lake, key: &Key) -> anyhow::Result<Vec<T>> {
    decode(lake.get(key).await?)
}
