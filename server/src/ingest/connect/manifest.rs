//! Raw-layer manifests: for each fetch of a source, what was fetched, from
//! where, when, its size and digest, and the HTTP validators for the next
//! conditional request. Stored beside the bytes, as
//! `raw/<source>/<stamp>/manifest.json`.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::lake::{Key, Lake, LakeError, Layer};

/// One fetch of one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub source: String,
    pub fetched_at: DateTime<Utc>,
    pub files: Vec<RawFile>,
}

/// One file of a fetch, as stored in the raw layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawFile {
    /// The file name, as the parsers and `--from DIR` know it.
    pub name: String,
    /// The URL or path it came from.
    pub location: String,
    /// Its lake key.
    pub key: String,
    pub size: u64,
    pub sha256: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Manifest {
    /// The folder of this fetch: `raw/<source>/<stamp>`.
    pub fn folder(source: &str, fetched_at: DateTime<Utc>) -> String {
        format!("{source}/{}", fetched_at.format("%Y%m%dT%H%M%S%.6fZ"))
    }

    /// This fetch's folder.
    pub fn own_folder(&self) -> String {
        Self::folder(&self.source, self.fetched_at)
    }

    fn key(&self) -> Result<Key, LakeError> {
        Key::new(Layer::Raw, &format!("{}/manifest.json", self.own_folder()))
    }

    /// A digest of the whole fetch: unchanged content gives the same digest.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for file in &self.files {
            hasher.update(file.name.as_bytes());
            hasher.update([0]);
            hasher.update(file.sha256.as_bytes());
        }
        hex::encode(hasher.finalize())
    }

    /// The file fetched from `location`, if any.
    pub fn file_from(&self, location: &str) -> Option<&RawFile> {
        self.files.iter().find(|f| f.location == location)
    }

    /// Writes the manifest beside its files.
    pub async fn save(&self, lake: &dyn Lake) -> Result<(), LakeError> {
        let json = serde_json::to_vec_pretty(self).expect("a manifest always serialises");
        lake.put(&self.key()?, Bytes::from(json)).await
    }

    /// The newest manifest of a source, if it was ever fetched.
    pub async fn latest(lake: &dyn Lake, source: &str) -> Result<Option<Manifest>, LakeError> {
        let newest = lake
            .list(&format!("raw/{source}/"))
            .await?
            .into_iter()
            .filter(|o| o.key.path().ends_with("/manifest.json"))
            .map(|o| o.key)
            .max();
        match newest {
            Some(key) => Self::read(lake, &key).await.map(Some),
            None => Ok(None),
        }
    }

    /// The manifest of the fetch in `folder` (`<source>/<stamp>`).
    pub async fn load(lake: &dyn Lake, folder: &str) -> Result<Manifest, LakeError> {
        Self::read(
            lake,
            &Key::new(Layer::Raw, &format!("{folder}/manifest.json"))?,
        )
        .await
    }

    async fn read(lake: &dyn Lake, key: &Key) -> Result<Manifest, LakeError> {
        let bytes = lake.get(key).await?;
        serde_json::from_slice(&bytes).map_err(|e| LakeError::Io {
            key: key.to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })
    }
}
