//! Loading gold tables: rows go to a table's staging twin (`<table>_next`)
//! by `COPY` on PostgreSQL (multi-row INSERTs stall over TCP; the twin is
//! then analysed) or batched INSERTs on SQLite; [`Store::publish`] then
//! swaps every staged table in by renaming, and saves the source states
//! and the run record, in one transaction.

use std::{ops::Range, pin::pin, sync::Arc};

use futures_util::{Stream, StreamExt};
use sqlx::{AssertSqlSafe, Connection, Executor};

use super::{
    RunRow, SourceStateRow, Store, StoreBackend, StoreError, deferred_index::DeferredIndexes,
    lineage, row_batch::RowBatch, runs, source_state, tables::Table,
};

/// A value of a gold row.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlValue {
    Text(String),
    Int(i64),
    Float(f64),
    Null,
}

impl From<String> for SqlValue {
    fn from(text: String) -> Self {
        SqlValue::Text(text)
    }
}

impl From<i64> for SqlValue {
    fn from(int: i64) -> Self {
        SqlValue::Int(int)
    }
}

impl From<f64> for SqlValue {
    fn from(float: f64) -> Self {
        SqlValue::Float(float)
    }
}

impl From<chrono::NaiveDate> for SqlValue {
    fn from(date: chrono::NaiveDate) -> Self {
        SqlValue::Text(date.to_string())
    }
}

/// A flag as 0 or 1 (`BIGINT`: both stores read it the same way).
impl From<bool> for SqlValue {
    fn from(flag: bool) -> Self {
        SqlValue::Int(i64::from(flag))
    }
}

impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(SqlValue::Null, Into::into)
    }
}

/// Rows per INSERT statement on SQLite.
const SQLITE_BATCH: usize = 500;

impl Store {
    /// Replaces the contents of `T`'s staging twin with the rows of
    /// `batches`, taken one batch at a time as they come (a table larger
    /// than memory goes in as it is computed). The twin is committed only
    /// once the stream ends without an error.
    pub async fn stage<T: Table, B: RowBatch<T>>(
        &self,
        batches: impl Stream<Item = anyhow::Result<B>>,
    ) -> Result<u64, StoreError> {
        let staging = format!("{}_next", T::TABLE.name());
        let batches =
            pin!(batches.map(|batch| batch.map_err(|error| StoreError::Rows(error.into()))));
        match self.backend {
            StoreBackend::Postgres => self.copy_rows::<T, B>(&staging, batches).await,
            StoreBackend::Sqlite => self.insert_rows::<T, B>(&staging, batches).await,
        }
    }

    async fn copy_rows<T: Table, B: RowBatch<T>>(
        &self,
        staging: &str,
        mut batches: impl Stream<Item = Result<B, StoreError>> + Unpin,
    ) -> Result<u64, StoreError> {
        let mut conn = self.native_postgres().await?;
        let mut tx = conn
            .begin()
            .await
            .map_err(StoreError::query("begin staging"))?;
        tx.execute(AssertSqlSafe(format!("TRUNCATE {staging}")))
            .await
            .map_err(StoreError::query("clear staging"))?;
        let indexes = DeferredIndexes::drop_postgres(&mut tx, staging).await?;
        let statement = format!(
            "COPY {staging} ({}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            T::COLUMNS.join(", ")
        );
        let mut copy = tx
            .copy_in_raw(&statement)
            .await
            .map_err(StoreError::query("start COPY"))?;
        while let Some(batch) = batches.next().await {
            let batch = batch?;
            for rows in chunks(batch.rows(), 10_000) {
                let mut csv = csv::Writer::from_writer(Vec::new());
                batch.write_csv(rows, &mut csv)?;
                let lines = csv
                    .into_inner()
                    .map_err(|error| StoreError::Rows(Box::new(error.into_error())))?;
                copy.send(lines)
                    .await
                    .map_err(StoreError::query("COPY rows"))?;
            }
        }
        crate::crash::point("staging", T::TABLE.name());
        let copied = copy
            .finish()
            .await
            .map_err(StoreError::query("finish COPY"))?;
        indexes.restore(&mut *tx).await?;
        // The twin's statistics describe the rows it held before, or none:
        // without its rows' own, the queries after a publish were planned
        // on guesses until autovacuum came by (the first `/uf/SP` after an
        // ingest took 86–183 ms instead of 14–17).
        tx.execute(AssertSqlSafe(format!("ANALYZE {staging}")))
            .await
            .map_err(StoreError::query("analyze staging"))?;
        tx.commit()
            .await
            .map_err(StoreError::query("commit staging"))?;
        Ok(copied)
    }

    async fn insert_rows<T: Table, B: RowBatch<T>>(
        &self,
        staging: &str,
        mut batches: impl Stream<Item = Result<B, StoreError>> + Unpin,
    ) -> Result<u64, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin staging"))?;
        tx.execute(AssertSqlSafe(format!("DELETE FROM {staging}")))
            .await
            .map_err(StoreError::query("clear staging"))?;
        let indexes = DeferredIndexes::drop_sqlite(&mut tx, staging).await?;
        let row_placeholders = format!("({})", vec!["?"; T::COLUMNS.len()].join(", "));
        let insert = |count: usize| {
            format!(
                "INSERT INTO {staging} ({}) VALUES {}",
                T::COLUMNS.join(", "),
                vec![row_placeholders.as_str(); count].join(", ")
            )
        };
        // Every chunk but a batch's last holds SQLITE_BATCH rows: its
        // statement is made once and shared.
        let full: Arc<str> = insert(SQLITE_BATCH).into();
        let mut inserted = 0;
        while let Some(batch) = batches.next().await {
            let batch = batch?;
            for rows in chunks(batch.rows(), SQLITE_BATCH) {
                let count = rows.len();
                let sql = match count {
                    SQLITE_BATCH => Arc::clone(&full),
                    _ => insert(count).into(),
                };
                let mut query = sqlx::query(AssertSqlSafe(sql));
                for value in batch.values(rows)? {
                    query = match value {
                        SqlValue::Text(text) => query.bind(text),
                        SqlValue::Int(int) => query.bind(int),
                        SqlValue::Float(float) => query.bind(float),
                        SqlValue::Null => query.bind(None::<f64>),
                    };
                }
                query
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query("insert staged rows"))?;
                inserted += count as u64;
            }
        }
        crate::crash::point("staging", T::TABLE.name());
        indexes.restore(&mut *tx).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("commit staging"))?;
        Ok(inserted)
    }

    /// In one transaction: puts each table in `tables` in its staged twin's
    /// place by renaming both (the rows served until then are emptied out
    /// of what is now the twin), records the silver versions each gold unit
    /// in `inputs` was computed from, saves the source states and records
    /// the run. The twins trade names, not rows: an index keeps the name it
    /// was created with, so every index has its twin's (migration 0018).
    pub async fn publish(
        &self,
        tables: &[&str],
        inputs: &[GoldInput],
        states: &[SourceStateRow],
        run: &RunRow,
    ) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("begin publish"))?;
        for table in tables {
            // The twins trade names, so the staged rows are served without
            // being copied again; the rows served until now are dropped.
            let empty = match self.backend {
                StoreBackend::Postgres => format!("TRUNCATE {table}_next"),
                StoreBackend::Sqlite => format!("DELETE FROM {table}_next"),
            };
            for sql in [
                format!("ALTER TABLE {table} RENAME TO {table}_old"),
                format!("ALTER TABLE {table}_next RENAME TO {table}"),
                format!("ALTER TABLE {table}_old RENAME TO {table}_next"),
                empty,
            ] {
                tx.execute(AssertSqlSafe(sql))
                    .await
                    .map_err(StoreError::query("swap gold table"))?;
            }
            crate::crash::point("publish", table);
        }
        for input in inputs {
            lineage::record_gold_input(&mut tx, &input.unit, &input.inputs).await?;
        }
        for state in states {
            source_state::upsert(&mut tx, state).await?;
        }
        runs::insert(&mut tx, run).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("commit publish"))?;
        self.generation.advance();
        Ok(())
    }
}

/// The silver versions (JSON) a gold unit was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldInput {
    pub unit: String,
    pub inputs: String,
}

/// `0..len` in ranges of at most `size`.
fn chunks(len: usize, size: usize) -> impl Iterator<Item = Range<usize>> {
    (0..len)
        .step_by(size)
        .map(move |start| start..len.min(start + size))
}
