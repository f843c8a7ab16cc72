//! What a store's gold holds, for comparing two runs: each gold table's
//! row count and a digest of its rows, on PostgreSQL and on SQLite. Taking
//! it checks that each table is indexed as its staging twin is, since a
//! publish swaps the two.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Row, any::AnyRow};

/// Each gold table (not its staging twin) with its row count and the
/// SHA-256 of its rows, sorted.
pub async fn fingerprint(url: &SecretString) -> Vec<(String, usize, String)> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(url.expose_secret())
        .await
        .expect("connect to the store");
    let sqlite = url.expose_secret().starts_with("sqlite:");
    let listing = match sqlite {
        true => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
        false => "SELECT CAST(table_name AS TEXT) FROM information_schema.tables ORDER BY 1",
    };
    let tables: Vec<String> = sqlx::query(listing)
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>(0))
        .filter(|name| name.starts_with("gold_") && !name.ends_with("_next"))
        .collect();
    assert!(tables.len() >= 6, "{tables:?}");
    let mut fingerprint = Vec::new();
    for table in tables {
        assert_eq!(
            indexes(&mut conn, sqlite, &table).await,
            indexes(&mut conn, sqlite, &format!("{table}_next")).await,
            "{table} is indexed as its twin is"
        );
        let mut rows: Vec<String> =
            sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
                .fetch_all(&mut conn)
                .await
                .unwrap()
                .iter()
                .map(text)
                .collect();
        rows.sort();
        let digest = hex::encode(Sha256::digest(rows.join("\n")));
        fingerprint.push((table, rows.len(), digest));
    }
    fingerprint
}

/// What each index of `table` indexes (unique or not, its columns), by
/// definition rather than by name, sorted.
async fn indexes(conn: &mut AnyConnection, sqlite: bool, table: &str) -> Vec<String> {
    let listing = match sqlite {
        true => format!(
            "SELECT CASE WHEN il.\"unique\" = 1 THEN 'unique ' ELSE '' END || \
             (SELECT group_concat(name, ', ') FROM \
              (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) \
             FROM pragma_index_list('{table}') il"
        ),
        false => format!(
            "SELECT CASE WHEN indexdef LIKE 'CREATE UNIQUE%' THEN 'unique ' ELSE '' END || \
             substring(indexdef from '\\((.*)\\)$') \
             FROM pg_indexes WHERE schemaname = 'public' AND tablename = '{table}'"
        ),
    };
    let mut indexes: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(listing))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect();
    indexes.sort();
    assert!(!indexes.is_empty(), "{table} has its primary key's index");
    indexes
}

/// A row as text, whatever its columns' types.
fn text(row: &AnyRow) -> String {
    (0..row.len())
        .map(|i| {
            if let Ok(value) = row.try_get::<Option<String>, _>(i) {
                format!("{value:?}")
            } else if let Ok(value) = row.try_get::<Option<i64>, _>(i) {
                format!("{value:?}")
            } else {
                format!("{:?}", row.try_get::<Option<f64>, _>(i).unwrap())
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}
