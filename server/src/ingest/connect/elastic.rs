//! The Elasticsearch connector, for the Ministry's `leito_ocupacao` index:
//! `_search` with `scroll`, HTTP basic authentication from the configured
//! environment variables, page after page until a page comes back empty.
//! Each page is stored in raw exactly as received (`page-0001.json`, …);
//! each fetch is a snapshot of every hospital's latest report.

use anyhow::{Context, anyhow};
use bytes::Bytes;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::ingest::{
    connect::fetch::{Failure, Fetcher},
    connect::manifest::RawFile,
};
use crate::{
    lake::{Key, Lake, Layer},
    sources::SourceConfig,
};

/// How long the server keeps a scroll context between pages.
const KEEP_ALIVE: &str = "1m";

/// The part of a response the connector reads.
#[derive(Deserialize)]
struct Page {
    #[serde(rename = "_scroll_id")]
    scroll_id: Option<String>,
    hits: Hits,
}

#[derive(Deserialize)]
struct Hits {
    hits: Vec<serde_json::Value>,
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &reqwest::Url) -> String {
    let mut origin = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        origin.push_str(&format!(":{port}"));
    }
    origin
}

impl Fetcher {
    /// Reads every page of the index into raw.
    pub(super) async fn scroll(
        &self,
        source: &SourceConfig,
        lake: &dyn Lake,
        folder: &str,
    ) -> anyhow::Result<Vec<RawFile>> {
        let search = reqwest::Url::parse(&source.url)
            .with_context(|| format!("invalid URL {}", source.url))?;
        let scroll_url = format!("{}/_search/scroll", origin(&search));
        let credentials = match (&source.user_env, &source.password_env) {
            (Some(user), Some(password)) => Some((
                self.secrets
                    .get(user)
                    .ok_or_else(|| anyhow!("{user} is not set"))?,
                self.secrets
                    .get(password)
                    .ok_or_else(|| anyhow!("{password} is not set"))?,
            )),
            _ => None,
        };
        let post = |url: &str, body: serde_json::Value| {
            let mut request = self
                .http
                .post(url)
                .query(&[("scroll", KEEP_ALIVE)])
                .json(&body);
            if let Some((user, password)) = &credentials {
                request = request.basic_auth(user.expose_secret(), Some(password.expose_secret()));
            }
            async move {
                let response = Failure::check(request.send().await.map_err(Failure::transport)?)?;
                response.bytes().await.map_err(Failure::transport)
            }
        };

        let mut files = Vec::new();
        let mut body = self
            .retrying(&format!("searching {}", source.url), || {
                post(search.as_str(), json!({ "size": source.page_size }))
            })
            .await?;
        let mut scroll_id = None;
        loop {
            let page: Page = serde_json::from_slice(&body).context("reading a search response")?;
            scroll_id = page.scroll_id.or(scroll_id);
            if page.hits.hits.is_empty() {
                break;
            }
            files.push(
                self.store_page(source, lake, folder, files.len() + 1, body)
                    .await?,
            );
            let id = scroll_id
                .clone()
                .context("the response carries no _scroll_id")?;
            body = self
                .retrying(&format!("scrolling {scroll_url}"), || {
                    post(
                        &scroll_url,
                        json!({ "scroll": KEEP_ALIVE, "scroll_id": id }),
                    )
                })
                .await?;
        }
        if let Some(id) = scroll_id {
            // Best effort: the context expires by itself after KEEP_ALIVE.
            let mut request = self
                .http
                .delete(&scroll_url)
                .json(&json!({ "scroll_id": [id] }));
            if let Some((user, password)) = &credentials {
                request = request.basic_auth(user.expose_secret(), Some(password.expose_secret()));
            }
            let _ = request.send().await;
        }
        Ok(files)
    }

    async fn store_page(
        &self,
        source: &SourceConfig,
        lake: &dyn Lake,
        folder: &str,
        number: usize,
        body: Bytes,
    ) -> anyhow::Result<RawFile> {
        let name = format!("page-{number:04}.json");
        let key = Key::new(Layer::Raw, &format!("{folder}/{name}"))?;
        let sha256 = hex::encode(Sha256::digest(&body));
        let size = body.len() as u64;
        lake.put(&key, body).await?;
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
