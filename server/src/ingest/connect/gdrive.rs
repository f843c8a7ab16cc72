//! The Google Drive connector: downloads a shared file by its URL
//! (`https://drive.google.com/uc?export=download&id=…`). Large files first
//! answer with an HTML page ("can't scan this file for viruses") whose form
//! carries the confirmation; the connector submits that form and streams the
//! file that follows into raw.

use anyhow::{Context, anyhow};
use futures_util::TryStreamExt;
use reqwest::header;
use tokio_util::io::StreamReader;

use crate::ingest::{
    connect::fetch::{Failure, Fetcher},
    connect::hashing::HashingReader,
    connect::manifest::RawFile,
};
use crate::{
    lake::{Key, Lake, Layer},
    sources::SourceConfig,
};

/// The value of `attribute="…"` in an HTML tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The confirmation form of Drive's warning page: its action and fields.
fn confirmation_form(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let form_start = html.find("<form")?;
    let form = &html[form_start..form_start + html[form_start..].find("</form>")?];
    let action = attribute(&form[..form.find('>')?], "action")?.replace("&amp;", "&");
    let fields = form
        .split("<input")
        .skip(1)
        .filter_map(|input| {
            let tag = &input[..input.find('>')?];
            (attribute(tag, "type") == Some("hidden")).then(|| {
                Some((
                    attribute(tag, "name")?.to_owned(),
                    attribute(tag, "value")?.to_owned(),
                ))
            })?
        })
        .collect();
    Some((action, fields))
}

/// The file name a response gives in `Content-Disposition`, if any.
fn attachment_name(response: &reqwest::Response) -> Option<String> {
    let disposition = response
        .headers()
        .get(header::CONTENT_DISPOSITION)?
        .to_str()
        .ok()?;
    let name = disposition
        .split("filename=")
        .nth(1)?
        .split(';')
        .next()?
        .trim()
        .trim_matches('"');
    (!name.is_empty() && !name.contains(['/', '\\'])).then(|| name.to_owned())
}

impl Fetcher {
    /// Downloads the shared file, through the confirmation page when Drive
    /// shows one.
    pub(super) async fn drive(
        &self,
        source: &SourceConfig,
        lake: &dyn Lake,
        folder: &str,
    ) -> anyhow::Result<RawFile> {
        let get = |url: String, query: Vec<(String, String)>| async move {
            let response = self
                .http
                .get(&url)
                .query(&query)
                .send()
                .await
                .map_err(Failure::transport)?;
            Failure::check(response)
        };
        let mut response = self
            .retrying(&format!("fetching {}", source.url), || {
                get(source.url.clone(), Vec::new())
            })
            .await?;
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if is_html {
            let page = response
                .text()
                .await
                .context("reading Drive's confirmation page")?;
            let (action, fields) = confirmation_form(&page).ok_or_else(|| {
                anyhow!(
                    "Drive answered with a page that has no download form (is the file shared?)"
                )
            })?;
            response = self
                .retrying(
                    &format!("confirming the download of {}", source.url),
                    || get(action.clone(), fields.clone()),
                )
                .await?;
        }
        let name = source
            .file
            .clone()
            .filter(|f| !f.contains(['*', '?', '[']))
            .or_else(|| attachment_name(&response))
            .unwrap_or_else(|| format!("{}.bin", source.name));
        let key = Key::new(Layer::Raw, &format!("{folder}/{name}"))?;
        let body = StreamReader::new(response.bytes_stream().map_err(std::io::Error::other));
        let mut reader = HashingReader::new(body);
        lake.put_stream(&key, &mut reader)
            .await
            .with_context(|| format!("downloading {}", source.url))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_confirmation_form() {
        // Shaped like Drive's warning page for files too large to scan.
        let page = r#"<html><body><p>Google Drive can't scan this file for viruses.</p>
            <form id="download-form" action="https://drive.usercontent.google.com/download" method="get">
            <input type="submit" id="uc-download-link" value="Download anyway"/>
            <input type="hidden" name="id" value="1AbC"><input type="hidden" name="export" value="download">
            <input type="hidden" name="confirm" value="t"><input type="hidden" name="uuid" value="u-42"></form>"#;
        let (action, fields) = confirmation_form(page).unwrap();
        assert_eq!(action, "https://drive.usercontent.google.com/download");
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("id", "1AbC"),
                ("export", "download"),
                ("confirm", "t"),
                ("uuid", "u-42")
            ]
        );
        assert!(confirmation_form("<html>no form</html>").is_none());
    }
}
