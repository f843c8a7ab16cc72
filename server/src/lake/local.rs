//! The local-directory lake: one file per object under a root folder.
//! Writes go to a hidden temporary file in the target folder, are flushed to
//! disk, then renamed over the target, so replacement is atomic.

use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use async_trait::async_trait;
use tokio::{
    fs,
    io::{AsyncRead, AsyncWriteExt},
};

use super::{Key, Lake, LakeError, ObjectInfo, ObjectReader};

/// A lake in a local directory.
#[derive(Debug)]
pub struct LocalLake {
    root: PathBuf,
}

/// Distinguishes concurrent temporary files of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl LocalLake {
    pub fn new(root: PathBuf) -> Self {
        LocalLake { root }
    }

    fn path_of(&self, key: &Key) -> PathBuf {
        self.root.join(key.to_string())
    }

    async fn write_atomically(
        &self,
        key: &Key,
        target: &Path,
        body: &mut (dyn AsyncRead + Send + Unpin),
    ) -> std::io::Result<u64> {
        let dir = target.parent().expect("a key always has a parent folder");
        fs::create_dir_all(dir).await?;
        let name = target
            .file_name()
            .expect("a key never ends in '/'")
            .to_string_lossy();
        let temp = dir.join(format!(
            ".{name}.tmp-{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let result = async {
            let mut file = fs::File::create(&temp).await?;
            let written = tokio::io::copy(body, &mut file).await?;
            file.flush().await?;
            file.sync_all().await?;
            fs::rename(&temp, target).await?;
            Ok(written)
        }
        .await;
        if result.is_err() {
            // Best effort: the failure being reported matters more than the leftover.
            let _ = fs::remove_file(&temp).await;
        }
        tracing::debug!(%key, ok = result.is_ok(), "local lake write");
        result
    }
}

fn io_error(key: &Key) -> impl FnOnce(std::io::Error) -> LakeError + '_ {
    move |source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LakeError::NotFound(key.clone())
        } else {
            LakeError::Io {
                key: key.to_string(),
                source,
            }
        }
    }
}

#[async_trait]
impl Lake for LocalLake {
    async fn put_stream(
        &self,
        key: &Key,
        body: &mut (dyn AsyncRead + Send + Unpin),
    ) -> Result<u64, LakeError> {
        let target = self.path_of(key);
        self.write_atomically(key, &target, body)
            .await
            .map_err(|source| LakeError::Io {
                key: key.to_string(),
                source,
            })
    }

    async fn open(&self, key: &Key) -> Result<ObjectReader, LakeError> {
        let file = fs::File::open(self.path_of(key))
            .await
            .map_err(io_error(key))?;
        Ok(Box::new(file))
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, LakeError> {
        let root = self.root.clone();
        let prefix = prefix.to_owned();
        let io = |source| LakeError::Io {
            key: prefix.clone(),
            source,
        };
        // Walk only the deepest folder the prefix names, then filter by prefix.
        let start = root.join(prefix.rsplit_once('/').map_or("", |(dir, _)| dir));
        let entries = tokio::task::spawn_blocking({
            let prefix = prefix.clone();
            move || -> std::io::Result<Vec<ObjectInfo>> {
                let mut found = Vec::new();
                if !start.is_dir() {
                    return Ok(found);
                }
                for entry in walkdir::WalkDir::new(&start) {
                    let entry = entry.map_err(std::io::Error::from)?;
                    let hidden = entry.file_name().to_string_lossy().starts_with('.');
                    if !entry.file_type().is_file() || hidden {
                        continue;
                    }
                    let relative = entry
                        .path()
                        .strip_prefix(&root)
                        .expect("walked below the root")
                        .to_string_lossy()
                        .replace(std::path::MAIN_SEPARATOR, "/");
                    if !relative.starts_with(&prefix) {
                        continue;
                    }
                    // Files that are not valid keys were not written by the lake.
                    if let Ok(key) = relative.parse::<Key>() {
                        found.push(ObjectInfo {
                            key,
                            size: entry.metadata().map_err(std::io::Error::from)?.len(),
                        });
                    }
                }
                found.sort_by(|a, b| a.key.cmp(&b.key));
                Ok(found)
            }
        })
        .await
        .map_err(|join| io(std::io::Error::other(join)))?;
        entries.map_err(io)
    }

    async fn exists(&self, key: &Key) -> Result<bool, LakeError> {
        fs::try_exists(self.path_of(key))
            .await
            .map_err(io_error(key))
    }

    async fn delete(&self, key: &Key) -> Result<(), LakeError> {
        match fs::remove_file(self.path_of(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(key)(e)),
            _ => Ok(()),
        }
    }
}
