//! The PostgreSQL query connector (the seed project's RDS source): the rows
//! of a configured query on another database, streamed into raw as CSV with
//! a header through `COPY (query) TO STDOUT`, so a table of any size never
//! sits whole in memory. The connection URL comes from the environment
//! variable the source names.

use anyhow::{Context, anyhow};
use futures_util::TryStreamExt;
use secrecy::ExposeSecret;
use sqlx::{Connection, postgres::PgConnection};
use tokio_util::io::StreamReader;

use crate::ingest::{
    connect::fetch::Fetcher, connect::hashing::HashingReader, connect::manifest::RawFile,
};
use crate::{
    lake::{Key, Lake, Layer},
    sources::SourceConfig,
};

impl Fetcher {
    /// Copies the query's rows into one raw CSV file.
    pub(super) async fn query(
        &self,
        source: &SourceConfig,
        lake: &dyn Lake,
        folder: &str,
    ) -> anyhow::Result<RawFile> {
        let url_env = source
            .url_env
            .as_deref()
            .context("a postgres source needs url_env")?;
        let query = source
            .query
            .as_deref()
            .context("a postgres source needs a query")?;
        let url = self
            .secrets
            .get(url_env)
            .ok_or_else(|| anyhow!("{url_env} is not set"))?;
        let mut conn = PgConnection::connect(url.expose_secret())
            .await
            .with_context(|| format!("connecting to {}", source.url))?;
        let statement = format!(
            "COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)",
            query.trim().trim_end_matches(';')
        );
        let rows = conn
            .copy_out_raw(&statement)
            .await
            .with_context(|| format!("running the query of {}", source.name))?;
        let name = format!("{}.csv", source.name);
        let key = Key::new(Layer::Raw, &format!("{folder}/{name}"))?;
        let mut reader = HashingReader::new(StreamReader::new(rows.map_err(std::io::Error::other)));
        lake.put_stream(&key, &mut reader)
            .await
            .with_context(|| format!("streaming the rows of {}", source.name))?;
        let (sha256, size) = reader.finish();
        Ok(RawFile {
            name,
            location: source.url.clone(),
            key: key.to_string(),
            size,
            sha256,
            etag: None,
            last_modified: None,
        })
    }
}
