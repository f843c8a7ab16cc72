//! The data lake: objects addressed by `layer/path` keys, behind one
//! [`Lake`] trait with two backends, a local directory ([`LocalLake`], the
//! embedded default) and S3 ([`S3Lake`], production).
//!
//! Every write is atomic: a reader sees the old object or the new one, never
//! a partial one. Large objects stream in both directions.

mod key;
mod local;
mod s3;

use std::{fmt, path::PathBuf, sync::Arc};

use async_trait::async_trait;
use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt};

pub use key::{Key, Layer};
pub use local::LocalLake;
pub use s3::{S3Config, S3Lake, sdk_config};

/// A streaming reader over one object's bytes.
pub type ObjectReader = Box<dyn AsyncRead + Send + Unpin>;

/// One object found by [`Lake::list`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: Key,
    pub size: u64,
}

/// A lake operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum LakeError {
    #[error("lake object {0} does not exist")]
    NotFound(Key),
    #[error("invalid lake key {key:?}: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    #[error("lake I/O on {key}: {source}")]
    Io {
        key: String,
        #[source]
        source: std::io::Error,
    },
    #[error("S3 {operation} on {key}: {message}")]
    S3 {
        operation: &'static str,
        key: String,
        message: String,
    },
}

/// Object storage for the raw, bronze, silver and gold layers.
#[async_trait]
pub trait Lake: Send + Sync + fmt::Debug {
    /// Writes an object from a stream, replacing any previous one atomically;
    /// returns the number of bytes written. On error nothing is replaced.
    async fn put_stream(
        &self,
        key: &Key,
        body: &mut (dyn AsyncRead + Send + Unpin),
    ) -> Result<u64, LakeError>;

    /// Opens an object for streaming reads.
    async fn open(&self, key: &Key) -> Result<ObjectReader, LakeError>;

    /// Lists the objects whose key starts with `prefix`, sorted by key.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, LakeError>;

    /// Tells whether an object exists.
    async fn exists(&self, key: &Key) -> Result<bool, LakeError>;

    /// Removes an object; removing a missing object is not an error.
    async fn delete(&self, key: &Key) -> Result<(), LakeError>;

    /// Writes a whole object held in memory.
    async fn put(&self, key: &Key, bytes: Bytes) -> Result<(), LakeError> {
        self.put_stream(key, &mut bytes.as_ref()).await.map(|_| ())
    }

    /// Reads a whole object into memory.
    async fn get(&self, key: &Key) -> Result<Bytes, LakeError> {
        let mut reader = self.open(key).await?;
        let mut buf = Vec::new();
        reader
            .read_to_end(&mut buf)
            .await
            .map_err(|source| LakeError::Io {
                key: key.to_string(),
                source,
            })?;
        Ok(buf.into())
    }
}

/// Where the lake lives, from the settings.
#[derive(Clone, Debug)]
pub enum LakeConfig {
    Local(PathBuf),
    S3(S3Config),
}

/// Opens the configured lake.
pub async fn open(config: &LakeConfig) -> Result<Arc<dyn Lake>, LakeError> {
    Ok(match config {
        LakeConfig::Local(root) => Arc::new(LocalLake::new(root.clone())),
        LakeConfig::S3(s3) => Arc::new(S3Lake::new(s3.clone()).await),
    })
}
