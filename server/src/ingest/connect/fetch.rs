//! Connectors: bring a source's current file into the raw layer, exactly as
//! fetched, hashed on the way, with a manifest. Unchanged content (an HTTP
//! 304, or the same digest as the last fetch) is reported as such and leaves
//! nothing new behind, so nothing downstream is recomputed.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, anyhow};
use chrono::Utc;
use futures_util::TryStreamExt;
use reqwest::{StatusCode, header};
use tokio_util::io::StreamReader;

use app::catalog::domain::brasilia_day;

use crate::ingest::{
    connect::dated::{self, Template},
    connect::hashing::HashingReader,
    connect::manifest::{Manifest, RawFile},
    connect::secrets::Secrets,
};
use crate::{
    lake::{Key, Lake, Layer},
    sources::{SourceConfig, SourceKind},
};

/// Where the files come from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The locations in the source configuration.
    Remote,
    /// A folder of already-downloaded files (`sentinela ingest --from DIR`).
    Dir(PathBuf),
}

/// The outcome of a fetch.
#[derive(Debug)]
pub enum Fetched {
    /// `--from DIR` holds no file of the source: nothing collected.
    Absent,
    /// Same content as the last fetch: nothing to reprocess.
    Unchanged,
    /// New content, stored in raw and described by the manifest.
    New(Manifest),
}

/// How often and how patiently failed downloads are retried.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub attempts: u32,
    /// Delay before the second attempt; doubles after each failure.
    pub first_delay: Duration,
    /// How long a server may stay silent mid-download before the attempt fails.
    pub read_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            first_delay: Duration::from_secs(2),
            read_timeout: Duration::from_secs(120),
        }
    }
}

/// Fetches sources into the lake.
#[derive(Clone, Debug)]
pub struct Fetcher {
    pub(super) http: reqwest::Client,
    retry: RetryPolicy,
    pub(super) secrets: Secrets,
}

/// A request that failed, and whether trying again may help.
pub(super) struct Failure {
    error: anyhow::Error,
    retryable: bool,
}

impl Failure {
    /// A failure to connect or transfer: worth retrying.
    pub(super) fn transport(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            error: error.into(),
            retryable: true,
        }
    }

    /// A failure that retrying cannot mend.
    pub(super) fn permanent(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            error: error.into(),
            retryable: false,
        }
    }

    /// Passes a successful response; server errors and 429 are retryable.
    pub(super) fn check(response: reqwest::Response) -> Result<reqwest::Response, Failure> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        Err(Failure {
            error: anyhow!("HTTP {status}"),
            retryable: status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS,
        })
    }
}

impl Fetcher {
    pub fn new(retry: RetryPolicy, secrets: Secrets) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("sentinela/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(20))
            .read_timeout(retry.read_timeout)
            .build()
            .context("building the HTTP client")?;
        Ok(Fetcher {
            http,
            retry,
            secrets,
        })
    }

    /// Fetches one source; `previous` is its last manifest.
    pub async fn fetch(
        &self,
        source: &SourceConfig,
        origin: &Origin,
        lake: &dyn Lake,
        previous: Option<&Manifest>,
    ) -> anyhow::Result<Fetched> {
        let fetched_at = Utc::now();
        let folder = Manifest::folder(&source.name, fetched_at);
        let files = match origin {
            Origin::Dir(dir) => match copy_from_dir(source, dir, lake, &folder).await? {
                files if files.is_empty() => return Ok(Fetched::Absent),
                files => files,
            },
            Origin::Remote => match source.kind {
                SourceKind::Http => match Template::of(&source.url)? {
                    Some(template) => {
                        match self.discover(source, &template, lake, &folder).await? {
                            files if files.is_empty() => return Ok(Fetched::Unchanged),
                            files => files,
                        }
                    }
                    None => {
                        let validators = previous.and_then(|m| m.file_from(&source.url));
                        match self.download(source, lake, &folder, validators).await? {
                            Some(file) => vec![file],
                            None => return Ok(Fetched::Unchanged),
                        }
                    }
                },
                SourceKind::Elasticsearch => self.scroll(source, lake, &folder).await?,
                SourceKind::Postgres => vec![self.query(source, lake, &folder).await?],
                SourceKind::Gdrive => vec![self.drive(source, lake, &folder).await?],
            },
        };
        let manifest = Manifest {
            source: source.name.clone(),
            fetched_at,
            files,
        };
        if previous.is_some_and(|p| p.digest() == manifest.digest()) {
            for file in &manifest.files {
                lake.delete(&file.key.parse()?).await?;
            }
            return Ok(Fetched::Unchanged);
        }
        manifest
            .save(lake)
            .await
            .context("saving the raw manifest")?;
        Ok(Fetched::New(manifest))
    }

    /// Runs `attempt` until it succeeds, fails for good, or runs out of
    /// attempts, waiting longer after each retryable failure.
    pub(super) async fn retrying<T, F, Fut>(&self, what: &str, mut attempt: F) -> anyhow::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let mut delay = self.retry.first_delay;
        let mut tries = 1;
        loop {
            match attempt().await {
                Ok(value) => return Ok(value),
                Err(failure) if failure.retryable && tries < self.retry.attempts => {
                    tracing::warn!(
                        what,
                        attempt = tries,
                        error = format!("{:#}", failure.error),
                        "fetch failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    tries += 1;
                }
                Err(failure) => {
                    return Err(failure.error.context(format!("{what} ({tries} attempts)")));
                }
            }
        }
    }

    /// Downloads with retries; `None` when the server says not modified.
    async fn download(
        &self,
        source: &SourceConfig,
        lake: &dyn Lake,
        folder: &str,
        previous: Option<&RawFile>,
    ) -> anyhow::Result<Option<RawFile>> {
        self.retrying(&format!("fetching {}", source.url), || {
            self.download_once(&source.url, lake, folder, previous, false)
        })
        .await
    }

    /// The editions of a source with dated URLs published since the newest
    /// one in its raw layer ([`dated`](super::dated)).
    async fn discover(
        &self,
        source: &SourceConfig,
        template: &Template,
        lake: &dyn Lake,
        folder: &str,
    ) -> anyhow::Result<Vec<RawFile>> {
        let newest = lake
            .list(&format!("raw/{}/", source.name))
            .await?
            .iter()
            .filter_map(|object| template.date_of(object.key.path().rsplit('/').next()?))
            .max()
            .or_else(|| source.since.and_then(|day| day.pred_opt()));
        let today = brasilia_day(Utc::now());
        let files = dated::walk(newest, today, |day| {
            let url = template.url(day);
            async move {
                self.retrying(&format!("fetching {url}"), || {
                    self.download_once(&url, lake, folder, None, true)
                })
                .await
            }
        })
        .await?;
        tracing::info!(
            source = %source.name,
            newest = ?newest,
            found = files.len(),
            "dated editions tried"
        );
        Ok(files)
    }

    /// One GET of `url` into raw: `None` when the server says not
    /// modified, or (with `missing_ok`) that there is no such file.
    async fn download_once(
        &self,
        url: &str,
        lake: &dyn Lake,
        folder: &str,
        previous: Option<&RawFile>,
        missing_ok: bool,
    ) -> Result<Option<RawFile>, Failure> {
        let mut request = self.http.get(url);
        if let Some(etag) = previous.and_then(|p| p.etag.as_deref()) {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = previous.and_then(|p| p.last_modified.as_deref()) {
            request = request.header(header::IF_MODIFIED_SINCE, modified);
        }
        let response = request.send().await.map_err(Failure::transport)?;
        let missing = matches!(response.status(), StatusCode::NOT_FOUND | StatusCode::GONE);
        if response.status() == StatusCode::NOT_MODIFIED || (missing && missing_ok) {
            return Ok(None);
        }
        let response = Failure::check(response)?;
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (etag, last_modified) = (
            header_text(header::ETAG),
            header_text(header::LAST_MODIFIED),
        );
        let name = file_name(url);
        let key = Key::new(Layer::Raw, &format!("{folder}/{name}")).map_err(Failure::permanent)?;
        let body = StreamReader::new(response.bytes_stream().map_err(std::io::Error::other));
        let mut reader = HashingReader::new(body);
        lake.put_stream(&key, &mut reader)
            .await
            .map_err(Failure::transport)?;
        let (sha256, size) = reader.finish();
        Ok(Some(RawFile {
            name,
            location: url.to_owned(),
            key: key.to_string(),
            size,
            sha256,
            etag,
            last_modified,
        }))
    }
}

/// The last path segment of a URL, without its query.
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("data")
        .to_owned()
}

/// Copies the files under `dir` (at any depth) whose name matches the
/// source's file pattern: every one for a source with history, else the
/// newest (names carry their data date, so the greatest name is the newest).
async fn copy_from_dir(
    source: &SourceConfig,
    dir: &Path,
    lake: &dyn Lake,
    folder: &str,
) -> anyhow::Result<Vec<RawFile>> {
    let pattern_text = source
        .file
        .clone()
        .unwrap_or_else(|| file_name(&source.url));
    let pattern = glob::Pattern::new(&pattern_text)
        .with_context(|| format!("file pattern {pattern_text:?}"))?;
    let root = dir.to_owned();
    let mut names: Vec<(String, PathBuf)> = tokio::task::spawn_blocking(move || {
        walkdir::WalkDir::new(&root)
            .follow_links(true)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                (
                    entry.file_name().to_string_lossy().into_owned(),
                    entry.into_path(),
                )
            })
            .collect()
    })
    .await?;
    names.retain(|(name, _)| pattern.matches(name));
    names.sort();
    if !source.history {
        names = names.split_off(names.len().saturating_sub(1));
    }
    let mut files = Vec::with_capacity(names.len());
    for (name, path) in names {
        let file = tokio::fs::File::open(&path)
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        let key = Key::new(Layer::Raw, &format!("{folder}/{name}"))?;
        let mut reader = HashingReader::new(file);
        lake.put_stream(&key, &mut reader).await?;
        let (sha256, size) = reader.finish();
        files.push(RawFile {
            name,
            location: path.display().to_string(),
            key: key.to_string(),
            size,
            sha256,
            etag: None,
            last_modified: None,
        });
    }
    Ok(files)
}
