//! A staging twin's secondary indexes, dropped while its rows go in and
//! made again after, in the same transaction: one sort of the loaded rows
//! instead of an insertion into the index per row, where the rows come in
//! another order than the index's (the hospitals' rows come per hospital,
//! their day index is by day). The primary key stays, as rows come in its
//! order.

use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AssertSqlSafe, Executor, postgres::PgConnection};

use super::StoreError;

/// Indexes' names and the statements that make them again.
pub(super) struct DeferredIndexes(Vec<(String, String)>);

impl DeferredIndexes {
    /// Drops `table`'s secondary indexes (on PostgreSQL), keeping how to
    /// make them again.
    pub(super) async fn drop_postgres(
        conn: &mut PgConnection,
        table: &str,
    ) -> Result<Self, StoreError> {
        let listed = sqlx::query_as(
            "SELECT CAST(i.relname AS TEXT), pg_get_indexdef(i.oid) FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid \
             WHERE x.indrelid = CAST($1 AS regclass) AND NOT x.indisprimary",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .map_err(StoreError::query("list the staging twin's indexes"))?;
        DeferredIndexes(listed).dropped(conn).await
    }

    /// Drops `table`'s secondary indexes (on SQLite: those made by a
    /// statement, not by a constraint), keeping how to make them again.
    pub(super) async fn drop_sqlite(
        conn: &mut AnyConnection,
        table: &str,
    ) -> Result<Self, StoreError> {
        let listed = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .map_err(StoreError::query("list the staging twin's indexes"))?;
        DeferredIndexes(listed).dropped(conn).await
    }

    /// Drops the indexes (boxed: a future generic over the connection's
    /// lifetime is otherwise not `Send` for every lifetime).
    fn dropped<'c, E: Executor<'c> + 'c>(self, conn: E) -> BoxFuture<'c, Result<Self, StoreError>> {
        let drops: Vec<String> = self
            .0
            .iter()
            .map(|(name, _)| format!("DROP INDEX {name}"))
            .collect();
        Box::pin(async move {
            if !drops.is_empty() {
                conn.execute(AssertSqlSafe(drops.join("; ")))
                    .await
                    .map_err(StoreError::query("drop the staging twin's indexes"))?;
            }
            Ok(self)
        })
    }

    /// Makes the indexes again, over the rows loaded since they were
    /// dropped.
    pub(super) fn restore<'c, E: Executor<'c> + 'c>(
        self,
        conn: E,
    ) -> BoxFuture<'c, Result<(), StoreError>> {
        let creates: Vec<String> = self.0.into_iter().map(|(_, create)| create).collect();
        Box::pin(async move {
            if !creates.is_empty() {
                conn.execute(AssertSqlSafe(creates.join("; ")))
                    .await
                    .map_err(StoreError::query("make the staging twin's indexes again"))?;
            }
            Ok(())
        })
    }
}
