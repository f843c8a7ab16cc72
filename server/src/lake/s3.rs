//! The S3 lake, through `aws-sdk-s3`: one bucket per layer (a bucket name
//! template with `{layer}`) or one bucket with layer prefixes. Works with
//! S3-compatible servers (custom endpoint, path-style addressing).
//!
//! Objects up to [`PART_SIZE`] go in one `PutObject`; larger ones stream as a
//! multipart upload, aborted on any error, so a failed write replaces nothing.

use async_trait::async_trait;
use aws_sdk_s3::{
    Client,
    config::retry::RetryConfig,
    error::{DisplayErrorContext, ProvideErrorMetadata, SdkError},
    primitives::ByteStream,
    types::{CompletedMultipartUpload, CompletedPart},
};
use tokio::io::{AsyncRead, AsyncReadExt};

use super::{Key, Lake, LakeError, Layer, ObjectInfo, ObjectReader};

/// Size of each multipart part (S3's minimum is 5 MiB).
pub const PART_SIZE: usize = 8 * 1024 * 1024;

/// How to reach the buckets.
#[derive(Clone, Debug)]
pub struct S3Config {
    /// Bucket name, or a template with `{layer}` for one bucket per layer.
    pub bucket: String,
    /// Custom endpoint URL, for S3-compatible servers.
    pub endpoint: Option<String>,
    /// Region; the default AWS chain decides when absent.
    pub region: Option<String>,
    /// Path-style addressing (`endpoint/bucket/key`), needed by most
    /// S3-compatible servers.
    pub force_path_style: bool,
}

/// A lake in S3 buckets.
#[derive(Debug)]
pub struct S3Lake {
    client: Client,
    config: S3Config,
}

impl S3Lake {
    /// Builds the client; credentials come from the default AWS chain
    /// (environment, profile, container or instance role).
    pub async fn new(config: S3Config) -> Self {
        S3Lake {
            client: Client::from_conf(sdk_config(&config).await),
            config,
        }
    }

    /// The bucket and object key that hold a lake key.
    fn locate(&self, key: &Key) -> (String, String) {
        self.locate_prefix(key.layer(), key.path())
    }

    fn locate_prefix(&self, layer: Layer, path: &str) -> (String, String) {
        if self.config.bucket.contains("{layer}") {
            (
                self.config.bucket.replace("{layer}", layer.as_str()),
                path.to_owned(),
            )
        } else {
            (
                self.config.bucket.clone(),
                format!("{}/{path}", layer.as_str()),
            )
        }
    }

    /// The lake key of an object found in a layer's bucket.
    fn key_of(&self, layer: Layer, object_key: &str) -> Option<Key> {
        if self.config.bucket.contains("{layer}") {
            Key::new(layer, object_key).ok()
        } else {
            object_key.parse().ok()
        }
    }

    async fn put_multipart(
        &self,
        key: &Key,
        first: Vec<u8>,
        body: &mut (dyn AsyncRead + Send + Unpin),
    ) -> Result<u64, LakeError> {
        let (bucket, object) = self.locate(key);
        let created = self
            .client
            .create_multipart_upload()
            .bucket(&bucket)
            .key(&object)
            .send()
            .await
            .map_err(s3_error("CreateMultipartUpload", key))?;
        let upload_id = created.upload_id().unwrap_or_default().to_owned();
        let result = self
            .upload_parts(key, &bucket, &object, &upload_id, first, body)
            .await;
        if result.is_err() {
            // Best effort; the upload's own error is the one worth reporting.
            let _ = self
                .client
                .abort_multipart_upload()
                .bucket(&bucket)
                .key(&object)
                .upload_id(&upload_id)
                .send()
                .await;
        }
        result
    }

    async fn upload_parts(
        &self,
        key: &Key,
        bucket: &str,
        object: &str,
        upload_id: &str,
        first: Vec<u8>,
        body: &mut (dyn AsyncRead + Send + Unpin),
    ) -> Result<u64, LakeError> {
        let mut parts = Vec::new();
        let mut total = 0u64;
        let mut chunk = first;
        loop {
            let number = i32::try_from(parts.len() + 1).expect("fewer than 2^31 parts");
            total += chunk.len() as u64;
            let uploaded = self
                .client
                .upload_part()
                .bucket(bucket)
                .key(object)
                .upload_id(upload_id)
                .part_number(number)
                .body(ByteStream::from(chunk))
                .send()
                .await
                .map_err(s3_error("UploadPart", key))?;
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(uploaded.e_tag().map(str::to_owned))
                    .build(),
            );
            chunk = read_chunk(key, body).await?;
            if chunk.is_empty() {
                break;
            }
        }
        self.client
            .complete_multipart_upload()
            .bucket(bucket)
            .key(object)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(s3_error("CompleteMultipartUpload", key))?;
        Ok(total)
    }
}

/// The S3 client configuration: rustls with ring for HTTPS, the default
/// credential chain, and the endpoint, region and addressing of `config`.
pub async fn sdk_config(config: &S3Config) -> aws_sdk_s3::Config {
    let shared = crate::aws::shared_config(config.region.as_deref()).await;
    // Throttling (503 SlowDown) and transient failures: up to four attempts
    // with jittered exponential backoff, then the error is the caller's.
    let mut builder = aws_sdk_s3::config::Builder::from(&shared)
        .force_path_style(config.force_path_style)
        .retry_config(RetryConfig::standard().with_max_attempts(4));
    if let Some(endpoint) = &config.endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    builder.build()
}

/// Reads up to [`PART_SIZE`] bytes; fewer only at the end of the stream.
async fn read_chunk(
    key: &Key,
    body: &mut (dyn AsyncRead + Send + Unpin),
) -> Result<Vec<u8>, LakeError> {
    let mut chunk = Vec::with_capacity(PART_SIZE);
    body.take(PART_SIZE as u64)
        .read_to_end(&mut chunk)
        .await
        .map_err(|source| LakeError::Io {
            key: key.to_string(),
            source,
        })?;
    Ok(chunk)
}

/// Turns an SDK error into a lake error that names the operation and key.
fn s3_error<'k, E, R>(
    operation: &'static str,
    key: &'k Key,
) -> impl FnOnce(SdkError<E, R>) -> LakeError + 'k
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    move |error| LakeError::S3 {
        operation,
        key: key.to_string(),
        message: DisplayErrorContext(&error).to_string(),
    }
}

/// True when the error is S3's "no such key" (404).
fn is_not_found<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    match error {
        SdkError::ServiceError(service) => {
            matches!(service.err().code(), Some("NoSuchKey" | "NotFound" | "404"))
        }
        _ => false,
    }
}

#[async_trait]
impl Lake for S3Lake {
    async fn put_stream(
        &self,
        key: &Key,
        body: &mut (dyn AsyncRead + Send + Unpin),
    ) -> Result<u64, LakeError> {
        let first = read_chunk(key, body).await?;
        if first.len() == PART_SIZE {
            return self.put_multipart(key, first, body).await;
        }
        let (bucket, object) = self.locate(key);
        let size = first.len() as u64;
        self.client
            .put_object()
            .bucket(bucket)
            .key(object)
            .body(ByteStream::from(first))
            .send()
            .await
            .map_err(s3_error("PutObject", key))?;
        Ok(size)
    }

    async fn open(&self, key: &Key) -> Result<ObjectReader, LakeError> {
        let (bucket, object) = self.locate(key);
        match self
            .client
            .get_object()
            .bucket(bucket)
            .key(object)
            .send()
            .await
        {
            Ok(output) => Ok(Box::new(output.body.into_async_read())),
            Err(error) if is_not_found(&error) => Err(LakeError::NotFound(key.clone())),
            Err(error) => Err(s3_error("GetObject", key)(error)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, LakeError> {
        let listing_error = |message: String| LakeError::S3 {
            operation: "ListObjectsV2",
            key: prefix.to_owned(),
            message,
        };
        let mut found = Vec::new();
        for layer in Layer::ALL {
            // "layer/..." lists inside one layer; a bare beginning of a layer
            // name ("" included) lists whole layers.
            let layer_prefix = match prefix.split_once('/') {
                Some((name, path)) if name == layer.as_str() => path,
                None if layer.as_str().starts_with(prefix) => "",
                _ => continue,
            };
            let (bucket, object_prefix) = self.locate_prefix(layer, layer_prefix);
            let mut pages = self
                .client
                .list_objects_v2()
                .bucket(bucket)
                .prefix(object_prefix)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| listing_error(DisplayErrorContext(&e).to_string()))?;
                for object in page.contents() {
                    let Some(key) = object.key().and_then(|k| self.key_of(layer, k)) else {
                        continue;
                    };
                    if key.to_string().starts_with(prefix) {
                        found.push(ObjectInfo {
                            key,
                            size: object.size().unwrap_or(0).max(0) as u64,
                        });
                    }
                }
            }
        }
        found.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(found)
    }

    async fn exists(&self, key: &Key) -> Result<bool, LakeError> {
        let (bucket, object) = self.locate(key);
        match self
            .client
            .head_object()
            .bucket(bucket)
            .key(object)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(error) if is_not_found(&error) => Ok(false),
            Err(error) => Err(s3_error("HeadObject", key)(error)),
        }
    }

    async fn delete(&self, key: &Key) -> Result<(), LakeError> {
        let (bucket, object) = self.locate(key);
        self.client
            .delete_object()
            .bucket(bucket)
            .key(object)
            .send()
            .await
            .map_err(s3_error("DeleteObject", key))?;
        Ok(())
    }
}
